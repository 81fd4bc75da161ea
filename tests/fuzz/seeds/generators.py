def countdown(n):
    while n > 0:
        received = yield n
        if received is not None:
            n = received
        else:
            n -= 1
    return "liftoff"


def chain(*iterables):
    for it in iterables:
        yield from it


def delegate():
    result = yield from countdown(2)
    yield result


def empty():
    return
    yield


gen = countdown(5)
print(next(gen), gen.send(2), list(gen))
print(list(chain("ab", [1, 2])), list(delegate()), list(empty()))
print(sum(x for x in range(10)), max((len(s), s) for s in ["a", "bbb"]))
lines = (line.rstrip() for line in open(__file__))
x = yield_value = (yield) if False else None
