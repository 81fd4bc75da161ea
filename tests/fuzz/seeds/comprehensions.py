matrix = [[i * j for j in range(4)] for i in range(4)]
flat = [x for row in matrix for x in row if x if x % 2 == 0]
squares = {n: n ** 2 for n in range(10) if n % 3}
unique = {c.lower() for c in "Hello World" if c.isalpha()}
lazy = (len(w) for w in "a bb ccc".split())
total = sum(x * y for x, y in zip(range(3), range(3, 6)))
pairs = [(a, b) for a in "xy" for b in (1, 2)]
nested = {k: [v for v in vs if v] for k, vs in {"a": [0, 1], "b": []}.items()}
cond = [x if x > 0 else -x for x in (-1, 0, 1)]
walrus = [y for x in range(5) if (y := x * 2) > 4]
transposed = list(map(list, zip(*matrix)))


async def gather(source):
    got = [item async for item in source]
    awaited = [await fn() for fn in got]
    return {k: v async for k, v in source if k}, awaited


print(flat, squares, unique, list(lazy), total, pairs, nested, cond, walrus, transposed)
