import abc
from functools import cached_property


class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        return super().__new__(mcls, name, bases, ns)


class Base(abc.ABC, metaclass=Meta, flag=True):
    __slots__ = ("_value",)
    kind: str = "base"

    def __init__(self, value):
        self._value = value

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, new):
        self._value = new

    @staticmethod
    def make(*args):
        return Derived(*args)

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @abc.abstractmethod
    def area(self) -> float: ...


class Derived(Base):
    class Inner:
        pass

    def __init__(self, value, scale=2):
        super().__init__(value)
        self.__private = scale

    def area(self):
        return self._value * self.__private

    @cached_property
    def doubled(self):
        return self.area() * 2

    def __repr__(self):
        return f"{type(self).__name__}({self._value!r})"


class Empty: pass
print(Base.make(3).area(), Derived.name(), Derived.Inner())
