"""How Go values that templates can observe are represented in Python.

Helm templates see Go's reflection types: `typeOf`, `kindIs`, `printf "%T"`, `eq` and
argument conversion all tell an `int` from an `int64` or a `float64`. The mapping is:

    Go                          Python
    nil (untyped / interface)   None
    bool                        bool           (checked before int: bool subclasses int)
    int                         int            (literals, len, sprig `int`, `atoi`)
    int64                       Int64          (`--set` numbers, sprig integer math, lookup)
    float64                     float          (every number read from YAML or JSON)
    uint                        Uint           (not in Helm data; Go's own template tests)
    complex128                  complex        (only from template literals such as 1i)
    string                      str
    []byte                      bytes
    []interface{}               list
    map[string]interface{}      dict           (keys are str)
    other host types            GoObject subclasses (Files, Capabilities, ...)

A missing value (Go's invalid reflect.Value) is the `MISSING` sentinel; it prints `<no value>`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from otterhelm.template.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Final


class Int64(int):
    """A Go int64. Plain Python ints are Go's `int`; arithmetic on Int64 yields plain int,
    so functions that return int64 wrap their result explicitly."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Int64({int(self)})"


class Uint(int):
    """A Go uint. Helm data never holds one; Go's own template tests compare them with ints."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Uint({int(self)})"


class _Missing:
    """Go's invalid reflect.Value: the result of a missing map key or an empty pipeline."""

    __slots__ = ()
    _instance: ClassVar[_Missing | None] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()

# Go parameter types a function may declare. The executor converts and checks arguments
# against them the way text/template's evalArg/validateType do, producing Go's messages
# ("wrong type for value; expected int; got float64", "expected integer; found 1.5").
GoType = str
ANY: Final = "interface {}"
STRING: Final = "string"
INT: Final = "int"
INT64: Final = "int64"
FLOAT64: Final = "float64"
BOOL: Final = "bool"
LIST: Final = "[]interface {}"
STRINGS: Final = "[]string"
DICT: Final = "map[string]interface {}"
BYTES: Final = "[]uint8"


class FuncError(Exception):
    """An error a template function returns. The executor reports it as
    `error calling NAME: <message>` at the calling node, exactly as Go does."""


class Func(FrozenRecord):
    """A template function: a Python callable plus its Go signature.

    `params` are the declared Go parameter types; `variadic` is the element type of a final
    `...T` parameter (None when the function is not variadic). `params=None` means "accept
    any arguments unchecked" and is for functions whose Go signature is `...interface{}`.
    The callable receives already-converted positional arguments and returns one value or
    raises FuncError.
    """

    __slots__ = ("fn", "params", "variadic")

    def __init__(
        self, fn: Callable[..., Any], params: tuple[GoType, ...] | None = None, variadic: GoType | None = None
    ) -> None:
        self.fn = fn
        self.params = params
        self.variadic = variadic


FuncMap = Mapping[str, Func]


def go_type_name(value: Any) -> str:
    """The `%T` name of a value, as Go prints it."""
    if value is None or value is MISSING:
        return "<nil>"
    t = type(value)
    if t is bool:
        return "bool"
    if t is Int64:
        return "int64"
    if t is Uint:
        return "uint"
    if t is complex:
        return "complex128"
    if t is int:
        return "int"
    if t is float:
        return "float64"
    if t is str:
        return "string"
    if t is bytes:
        return "[]uint8"
    if t is list:
        return "[]interface {}"
    if t is dict:
        return "map[string]interface {}"
    if isinstance(value, GoObject):
        return value.go_type
    return t.__name__


class GoObject:
    """A Python object that templates can use like a Go value of a named type.

    Subclasses declare what templates may touch:
    - `go_type`: the Go type name (`%T`, typeOf), e.g. "*common.Capabilities";
    - `go_fields`: Go field name -> Python attribute name, read with `.Field`;
    - `go_methods`: Go method name -> Func (bound at call time with the object as the
      first argument), callable as `.Method arg...` and, with no arguments, mid-chain;
    - `go_string()`: a Stringer's String(), used when the value is printed (return None
      if the type has no String method).
    A GoObject that behaves like a Go map or slice (Helm's Files, VersionSet) subclasses
    dict or list as well, so indexing, range and len work as for those kinds.
    """

    go_type: ClassVar[str] = "struct"
    go_fields: ClassVar[Mapping[str, str]] = {}
    go_methods: ClassVar[Mapping[str, Func]] = {}
    # For map-like objects: the zero value of the element type, which `index` and
    # missingkey=zero yield for an absent key (nil for interface and pointer elements).
    go_zero_value: ClassVar[Any] = None

    def go_string(self) -> str | None:
        return None

    def go_is_nil(self) -> bool:
        """True for a typed nil pointer: methods still work but `if` sees it as empty."""
        return False


def is_true(value: Any) -> bool:
    """Go template truthiness (text/template `isTrue`), which sprig's `empty` mirrors:
    false, zero numbers, nil, missing and zero-length strings, lists and maps are false;
    every other value, including every struct-like GoObject, is true."""
    if value is None or value is MISSING:
        return False
    if isinstance(value, GoObject) and value.go_is_nil():
        return False
    if isinstance(value, (bool, int, float, complex, str, bytes, list, dict, tuple)):
        return bool(value)
    return True
