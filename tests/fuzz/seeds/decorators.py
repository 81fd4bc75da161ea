import functools
import time

registry = {}
buttons = [lambda f: f, lambda f: f]


def register(name):
    def wrap(func):
        registry[name] = func
        return func
    return wrap


def timed(func):
    @functools.wraps(func)
    def inner(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            print(func.__name__, time.perf_counter() - start)
    return inner


@register("add")
@timed
def add(a, b):
    return a + b


@buttons[0]
@(lambda f: f)
@registry.get("add", timed) if registry else timed
def relaxed():  # PEP 614 decorator expressions
    pass


@functools.total_ordering
class Version:
    def __init__(self, *parts):
        self.parts = parts

    def __eq__(self, other):
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts


print(add(1, 2), sorted([Version(1, 2), Version(1, 0)])[0].parts)
