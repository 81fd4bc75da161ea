import datetime
import math

name, width, prec = "pi", 12, 4
value = math.pi
now = datetime.datetime(2024, 1, 2, 3, 4, 5)
print(f"{name}: {value:.{prec}f}")
print(f"{name!r:>{width}} {value!s} {name!a}")
print(f"{value=} {value = :.2f} {name=!r}")
print(f"{now:%Y-%m-%d %H:%M}")
print(f"{{literal}} {value:{width}.{prec}}")
print(f"{'quoted'} {'dq' if False else 'x'}")
print(F"{3.14!r}" rf"\d{{1}}{name}" fr'{name}\n' f'''{
    value
}''')
print(f"{[x for x in range(3)]} {dict(a=1)['a']} {(lambda: 1)()}")
print(f"{value:#010x}" if False else f"{int(value):#010x}")
message = (
    f"first {name} "
    "plain "
    f"second {value:e}"
)
