import operator

a, b, c = 3, 4, 5
print(a + b * c ** 2 // 3 % 2 - -a, (a + b) * c, a @ b if False else 0)
print(a << 1 | b >> 1 & c ^ ~a, a and b or not c, a if b else c if a else b)
print(a < b < c, a is not None, b not in [1, 2], c in {5}, not a == b)
print(lambda: 0, (lambda x=1, *, y=2: x + y)(), (yield_ := 7))
print([a, b][0], {a: b}[a], (a,), (), [], {}, {1}, ...)
print(operator.add(a, b), getattr(a, "real"), a.real.imag, "s".upper().lower())
print(await_ := 1, await_ + 1, -a ** -b, (-a) ** b, not -a)
print(a if a else(b), [x for x in(1, 2)], 1if a else 2)
chained = a.bit_length().to_bytes(2, "big").hex().upper()[::-1]
print(chained, f"{a}" "{b}" f"{c!r}")
