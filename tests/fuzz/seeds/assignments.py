"""Assignment forms: plain, chained, unpacking, augmented, annotated, walrus."""
import re

a = b = c = 0
x, y = 1, 2
(p, q), r = (3, 4), 5
[first, *middle, last] = range(10)
head, *_ = "abc"
total: int = 0
pending: list[str]
counts: dict[str, int] = {}
total += 1
total -= 2
total *= 3
total //= 2
total **= 2
total %= 7
mask = 0xFF
mask &= 0x0F
mask |= 0x30
mask ^= 0x01
mask <<= 2
mask >>= 1
obj = type("Obj", (), {})()
obj.attr = 5
obj.attr += 1
items = [0] * 4
items[0] = items[-1] = 9
items[1:3] = [7, 7]
if (m := re.match(r"(\d+)-(\d+)", "10-20")) is not None:
    lo, hi = map(int, m.groups())
while (chunk := items.pop()) != 7:
    print(chunk)
print(1 < x <= 2 != y, x if x else y, not x, -x, +y, ~mask)
