def ok():
    return 1


if ok() == 1
    print("missing colon")

for x in range(3)
    print(x)

class Broken(
    pass

print("after the errors", ok())
