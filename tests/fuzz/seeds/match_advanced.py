import enum
from dataclasses import dataclass


class Color(enum.Enum):
    RED = 1
    GREEN = 2


@dataclass
class Point:
    x: int
    y: int


def where(obj):
    match obj:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y) | Point(x=y, y=0):
            return f"axis {y}"
        case Point(x, y) if x == y:
            return "diagonal"
        case {"type": "circle", "r": r, **rest}:
            return r, rest
        case {Color.RED.value: _, "k": [1, 2, *_]}:
            return "mapping"
        case Color.RED | Color.GREEN as c:
            return c.name
        case [Point(), (1, 2), [*inner]] as whole:
            return whole, inner
        case str() | bytes():
            return "text"
        case int(n) if n > 0:
            return n
        case _:
            return None


# Soft keywords stay usable as names.
match = {"case": 1}
case = match["case"]
match[case] = 2
print(match, case, where(Point(0, 3)))
match (case):
    case 1: print("one")
