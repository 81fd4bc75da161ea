%%time
import time

total = 0
for i in range(1000):
    total += i * i
time.sleep(0)
print(total)
