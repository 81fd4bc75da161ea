first, *rest = [1, 2, 3]
*init, last = "abcd"
a, *b, c = range(6)
merged = {**{"x": 1}, "y": 2, **dict(z=3)}
combined = [*range(3), *"ab", 4]
unique = {*combined, 99}
as_tuple = *combined, 100
print(*combined, sep=", ", end="\n")
print(dict(**merged, extra=True), max(*combined[:3], key=str))
for x, *ys in [(1, 2, 3), (4,)]:
    print(x, ys)


def spread(*args, **kwargs):
    return args, kwargs


print(spread(*[1, 2], 3, *(4,), key=5, **{"other": 6}))
