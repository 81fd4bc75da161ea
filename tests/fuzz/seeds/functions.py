from typing import Any, Callable

GLOBAL_COUNT = 0


def positional_only(a, b, /, c, d=4, *, e, f=6, **rest) -> tuple:
    return a, b, c, d, e, f, rest


def star_args(*args: int, **kwargs: Any) -> None:
    print(*args, **kwargs)


def bare_star(x, *, key=None):
    return sorted(x, key=key)


def counter(start: int = 0) -> Callable[[], int]:
    count = start

    def bump() -> int:
        nonlocal count
        count += 1
        return count

    return bump


def touch_global():
    global GLOBAL_COUNT
    GLOBAL_COUNT += 1
    del GLOBAL_COUNT


def defaults(a=[], b={}, c=lambda x, /, y=1, *z, k, **w: (x, y, z, k, w)):
    return a, b, c


square = lambda n: n * n
compose = lambda f, g: lambda *a, **k: f(g(*a, **k))
print(positional_only(1, 2, 3, e=5), star_args(1, 2, sep="-"), compose(square, abs)(-3))
