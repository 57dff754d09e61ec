"""Value semantics for the small `__slots__` data classes on the start-up path of a command.

`@dataclass` generates each class's methods from source text when the class is created
(about 0.3 ms a class, 0.7 ms when frozen with slots, and importing `dataclasses` pulls in
`inspect`); on the path of `otterhelm template` that was a fifth of the whole start-up.
These bases give the same equality, hashing and repr, computed from the class's
`__slots__` (its fields, in order), with nothing generated. Classes write their own
`__init__`. Data classes elsewhere stay dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar


class Record:
    """Equality and repr over the fields named in `__slots__`, like a dataclass with
    eq=True; unhashable, as a mutable dataclass is."""

    __slots__ = ()
    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def field_names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = self.__slots__
        return names

    def field_values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.field_names()])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self.field_values() == other.field_values()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.field_names())
        return f"{type(self).__qualname__}({fields})"


class FrozenRecord(Record):
    """A Record that is never changed after `__init__`, hashable by its fields, like a
    frozen dataclass (the promise is kept by the code, not enforced at run time)."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self.field_values())
