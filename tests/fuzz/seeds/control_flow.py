import random

n = random.randint(0, 10)
if n < 3:
    kind = "low"
elif n < 7:
    kind = "mid"
else:
    kind = "high"

for i in range(n):
    if i == 5:
        break
    if i % 2:
        continue
    print(i)
else:
    print("no break")

while n > 0:
    n -= 1
    if n == 2:
        break
else:
    pass

try:
    value = 1 / n
except ZeroDivisionError as err:
    value = None
    print(err)
except (TypeError, ValueError):
    raise
else:
    print("ok", value)
finally:
    print("done")

try:
    pass
finally:
    pass

assert kind in {"low", "mid", "high"}, f"bad kind {kind}"
