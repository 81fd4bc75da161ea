data = {"a": [{"b": ({"c": [[[1, 2], [3]], {"d": (4, (5, (6, [7, {8: 9}])))}]},)}]}
value = ((((((((((((((((((((1))))))))))))))))))))
call = f(g(h(i(j(k(l(m(n(o(p(q(r(s(t(u(v(w(x(y(z(0)))))))))))))))))))))
lam = lambda: lambda: lambda: lambda: lambda: lambda: 0


def level1():
    def level2():
        def level3():
            class Level4:
                def level5(self):
                    if True:
                        for _ in range(1):
                            while True:
                                try:
                                    with open(__file__):
                                        match 1:
                                            case 1:
                                                return [[[[[0]]]]]
                                finally:
                                    break
            return Level4
        return level3
    return level2


neg = - - - - - - - - - - 1
nots = not not not not not True
power = 2 ** 2 ** 2 ** 2 ** 1
