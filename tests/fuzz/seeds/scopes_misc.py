counter = 0
cache = {}


def increment(step=1):
    global counter
    counter += step
    return counter


def outer():
    value = 1

    def middle():
        def inner():
            nonlocal value
            value += 1
            return value
        return inner()
    return middle()


class Scoped:
    attr = [counter for _ in range(2)]
    __mangled = 3

    def method(self):
        return self.__mangled, __class__


del cache
assert increment() == 1, "first increment"
assert outer() == 2
x = 1; y = 2; z = x + y;
if z: print(z); w = z * 2
for i in range(2): pass
while False: break
class One: x = 1; y = 2
def short(): return 1
print(Scoped().method(), w, One.y, short())
