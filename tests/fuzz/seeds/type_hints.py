from collections.abc import Callable, Iterator
from typing import Generic, Literal, ParamSpec, Protocol, TypeVar, overload

T = TypeVar("T", bound="Comparable")
P = ParamSpec("P")
Mode = Literal["r", "w"]


class Comparable(Protocol):
    def __lt__(self, other: "Comparable", /) -> bool: ...


class Box(Generic[T]):
    def __init__(self, item: T | None = None) -> None:
        self.item: T | None = item


@overload
def first(xs: list[int]) -> int: ...
@overload
def first(xs: list[str]) -> str: ...
def first(xs):
    return xs[0]


def wrap(fn: Callable[P, T]) -> Callable[P, list[T]]:
    def inner(*args: P.args, **kwargs: P.kwargs) -> list[T]:
        return [fn(*args, **kwargs)]
    return inner


# PEP 695 (3.12)
type Pair[K, V] = tuple[K, V]
type Nested = list[Nested] | int


def biggest[S: (int, float), *Ts, **Q](items: list[S], *rest: *Ts) -> S:
    return max(items)


class Stack[E]:
    def __iter__(self) -> Iterator[E]:
        yield from ()


counts: dict[str, list[tuple[int, ...]]] = {}
handler: Callable[..., None] | None = None
print(first([1]), Box(1).item, biggest([3, 1]))
