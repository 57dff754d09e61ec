"""Python stand-ins for the Go values of text/template's exec_test.go.

`make_tval()` builds the equivalent of exec_test.go's `tVal` (a *T with fields, methods,
maps of several key types, typed nil pointers, func-valued fields), `FUNCS` is the
FuncMap testExecute installs, and the small types below carry the Go type names that
`printf "%T"` and error messages show. Types whose Go name is lower case (int8, uint16,
...) are named the same here so `%T` prints them as Go does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from otterhelm.template import fmt
from otterhelm.template.gotypes import (
    ANY,
    BOOL,
    INT,
    STRING,
    Func,
    FuncError,
    GoObject,
    Int64,
    Uint,
    go_type_name,
)

# -- named integer types ------------------------------------------------------------------


class int8(int):
    __slots__ = ()


class int16(int):
    __slots__ = ()


class int32(int):
    __slots__ = ()


class uint8(Uint):
    __slots__ = ()


class uint16(Uint):
    __slots__ = ()


class uint32(Uint):
    __slots__ = ()


class uint64(Uint):
    __slots__ = ()


class uintptr(Uint):
    __slots__ = ()


INT_TYPES: dict[str, type[int]] = {
    "int8": int8,
    "int16": int16,
    "int32": int32,
    "int64": Int64,
    "int": int,
    "uint8": uint8,
    "uint16": uint16,
    "uint32": uint32,
    "uint64": uint64,
    "uint": Uint,
    "uintptr": uintptr,
}


# -- typed containers -------------------------------------------------------------------------


class MapStringInt(GoObject, dict[str, int]):
    go_type: ClassVar[str] = "map[string]int"
    go_zero_value: ClassVar[Any] = 0


class MapStringString(GoObject, dict[str, str]):
    go_type: ClassVar[str] = "map[string]string"
    go_zero_value: ClassVar[Any] = ""


class MapAnyInt(GoObject, dict[Any, int]):
    go_type: ClassVar[str] = "map[interface {}]int"
    go_zero_value: ClassVar[Any] = 0


class MapIntInt(GoObject, dict[int, int]):
    go_type: ClassVar[str] = "map[int]int"
    go_zero_value: ClassVar[Any] = 0


class MapIntString(GoObject, dict[int, str]):
    go_type: ClassVar[str] = "map[int]string"
    go_zero_value: ClassVar[Any] = ""


class IntSlice(GoObject, list[int]):
    go_type: ClassVar[str] = "[]int"


class BoolSlice(GoObject, list[bool]):
    go_type: ClassVar[str] = "[]bool"


class S(GoObject, list[str]):
    """exec_test.go's `type S []string` with a Method0."""

    go_type: ClassVar[str] = "template.S"
    go_methods: ClassVar[Mapping[str, Func]] = {"Method0": Func(lambda self: "M0", ())}


# -- pointers, Stringers, errors ----------------------------------------------------------------


class NilPointer(GoObject):
    """A typed nil pointer (or nil non-empty interface) of the named Go type."""

    go_type: ClassVar[str] = "*int"

    def go_is_nil(self) -> bool:
        return True

    def go_string(self) -> str | None:
        return "<nil>"


def nil_of(go_type: str) -> NilPointer:
    kind = type("Nil", (NilPointer,), {"go_type": go_type})
    result: NilPointer = kind()
    return result


class IntPointer(GoObject):
    go_type: ClassVar[str] = "*int"

    def __init__(self, value: int) -> None:
        self.value = value

    def go_string(self) -> str | None:
        return str(self.value)


class V(GoObject):
    """`type V struct{ j int }` with a String method on *V."""

    go_type: ClassVar[str] = "template.V"
    go_methods: ClassVar[Mapping[str, Func]] = {"String": Func(lambda self: self.go_string(), ())}

    def __init__(self, j: int) -> None:
        self.j = j

    def go_string(self) -> str | None:
        return f"<{self.j}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, V) and other.j == self.j

    def __hash__(self) -> int:
        return hash(self.j)


class NilV(NilPointer):
    go_type: ClassVar[str] = "*template.V"

    def go_string(self) -> str | None:
        return "nilV"


class W(GoObject):
    """`type W struct{ k int }` with an Error method on *W."""

    go_type: ClassVar[str] = "template.W"

    def __init__(self, k: int) -> None:
        self.k = k

    def go_string(self) -> str | None:
        return f"[{self.k}]"


class NilW(NilPointer):
    go_type: ClassVar[str] = "*template.W"

    def go_string(self) -> str | None:
        return "nilW"


class Text(GoObject):
    """A Stringer or error value printing fixed text (bytes.Buffer, errors.New)."""

    go_type: ClassVar[str] = "*bytes.Buffer"

    def __init__(self, text: str) -> None:
        self.text = text

    def go_string(self) -> str | None:
        return self.text


class U(GoObject):
    go_type: ClassVar[str] = "*template.U"
    go_fields: ClassVar[Mapping[str, str]] = {"V": "V"}
    go_methods: ClassVar[Mapping[str, Func]] = {
        "TrueFalse": Func(lambda self, b: "true" if b else "", (BOOL,)),
    }

    def __init__(self, v: str) -> None:
        self.V = v


class Anonymous(GoObject):
    """`struct{ a int; b string }{7, "seven"}`."""

    go_type: ClassVar[str] = "struct { a int; b string }"
    go_fields: ClassVar[Mapping[str, str]] = {"a": "a", "b": "b"}

    def __init__(self) -> None:
        self.a = 7
        self.b = "seven"


# -- the T struct ---------------------------------------------------------------------------------

_T_FIELDS = [
    "True",
    "I",
    "U16",
    "X",
    "S",
    "FloatZero",
    "ComplexZero",
    "U",
    "V0",
    "V1",
    "V2",
    "W0",
    "W1",
    "W2",
    "SI",
    "SICap",
    "SIEmpty",
    "SB",
    "AI",
    "MSI",
    "MSIone",
    "MSIEmpty",
    "MXI",
    "MII",
    "MI32S",
    "MI64S",
    "MUI32S",
    "MUI64S",
    "MI8S",
    "MUI8S",
    "SMSI",
    "Empty0",
    "Empty1",
    "Empty2",
    "Empty3",
    "Empty4",
    "NonEmptyInterface",
    "NonEmptyInterfacePtS",
    "NonEmptyInterfaceNil",
    "NonEmptyInterfaceTypedNil",
    "Str",
    "Err",
    "PI",
    "PS",
    "PSI",
    "NIL",
    "BinaryFunc",
    "VariadicFunc",
    "VariadicFuncInt",
    "NilOKFunc",
    "ErrFunc",
    "PanicFunc",
]


def _my_error(self: T, error: bool) -> bool:
    if error:
        raise FuncError("my error")
    return False


def _madd(self: T, a: int, b: list[int]) -> IntSlice:
    return IntSlice(x + a for x in b)


def _copy(self: T) -> T:
    duplicate = T()
    duplicate.__dict__.update(self.__dict__)
    return duplicate


class T(GoObject):
    go_type: ClassVar[str] = "*template.T"
    # `True` is a Python keyword, so that one field lives in `true_field`.
    go_fields: ClassVar[Mapping[str, str]] = {
        name: "true_field" if name == "True" else name for name in _T_FIELDS
    }
    go_methods: ClassVar[Mapping[str, Func]] = {
        "Method0": Func(lambda self: "M0", ()),
        "Method1": Func(lambda self, a: a, (INT,)),
        "Method2": Func(lambda self, a, b: f"Method2: {int(a)} {b}", ("uint16", STRING)),
        "Method3": Func(lambda self, v: fmt.sprintf("Method3: %v", v), (ANY,)),
        "Copy": Func(_copy, ()),
        "MAdd": Func(_madd, (INT, "[]int")),
        "MyError": Func(_my_error, (BOOL,)),
        "GetU": Func(lambda self: self.U, ()),
    }

    def __init__(self) -> None:
        # The zero value of T.
        self.true_field = False
        self.I = 0
        self.U16 = uint16(0)
        self.X = ""
        self.S = ""
        self.FloatZero = 0.0
        self.ComplexZero = 0j
        self.U: Any = nil_of("*template.U")
        self.V0: Any = V(0)
        self.V1: Any = NilV()
        self.V2: Any = NilV()
        self.W0: Any = W(0)
        self.W1: Any = NilW()
        self.W2: Any = NilW()
        self.SI: Any = IntSlice()
        self.SICap: Any = IntSlice()
        self.SIEmpty: Any = IntSlice()
        self.SB: Any = BoolSlice()
        self.AI: Any = IntSlice([0, 0, 0])
        self.MSI: Any = MapStringInt()
        self.MSIone: Any = MapStringInt()
        self.MSIEmpty: Any = MapStringInt()
        self.MXI: Any = MapAnyInt()
        self.MII: Any = MapIntInt()
        self.MI32S: Any = MapIntString()
        self.MI64S: Any = MapIntString()
        self.MUI32S: Any = MapIntString()
        self.MUI64S: Any = MapIntString()
        self.MI8S: Any = MapIntString()
        self.MUI8S: Any = MapIntString()
        self.SMSI: Any = []
        self.Empty0: Any = None
        self.Empty1: Any = None
        self.Empty2: Any = None
        self.Empty3: Any = None
        self.Empty4: Any = None
        self.NonEmptyInterface: Any = nil_of("template.I")
        self.NonEmptyInterfacePtS: Any = nil_of("*template.I")
        self.NonEmptyInterfaceNil: Any = nil_of("template.I")
        self.NonEmptyInterfaceTypedNil: Any = nil_of("template.I")
        self.Str: Any = nil_of("fmt.Stringer")
        self.Err: Any = nil_of("error")
        self.PI: Any = nil_of("*int")
        self.PS: Any = nil_of("*string")
        self.PSI: Any = nil_of("*[]int")
        self.NIL: Any = nil_of("*int")
        self.BinaryFunc: Any = None
        self.VariadicFunc: Any = None
        self.VariadicFuncInt: Any = None
        self.NilOKFunc: Any = None
        self.ErrFunc: Any = None
        self.PanicFunc: Any = None


class NilT(T):
    """(*T)(nil): its methods still run (Method0 does not touch the receiver)."""

    go_methods: ClassVar[Mapping[str, Func]] = {
        **T.go_methods,
        "GetU": Func(lambda self: _nil_dereference(), ()),
    }

    def go_is_nil(self) -> bool:
        return True


def _nil_dereference() -> Any:
    raise RuntimeError("runtime error: invalid memory address or nil pointer dereference")


def _panic(message: str) -> Any:
    raise RuntimeError(message)


def make_tval() -> T:
    t = T()
    t.true_field = True
    t.I = 17
    t.U16 = uint16(16)
    t.X = "x"
    t.S = "xyz"
    t.U = U("v")
    t.V0 = V(6666)
    t.V1 = V(7777)
    t.W0 = W(888)
    t.W1 = W(999)
    t.SI = IntSlice([3, 4, 5])
    t.SICap = IntSlice([0] * 5)
    t.AI = IntSlice([3, 4, 5])
    t.SB = BoolSlice([True, False])
    t.MSI = MapStringInt({"one": 1, "two": 2, "three": 3})
    t.MSIone = MapStringInt({"one": 1})
    t.MXI = MapAnyInt({"one": 1})
    t.MII = MapIntInt({1: 1})
    t.MI32S = MapIntString({1: "one", 2: "two"})
    t.MI64S = MapIntString({2: "i642", 3: "i643"})
    t.MUI32S = MapIntString({2: "u322", 3: "u323"})
    t.MUI64S = MapIntString({2: "ui642", 3: "ui643"})
    t.MI8S = MapIntString({2: "i82", 3: "i83"})
    t.MUI8S = MapIntString({2: "u82", 3: "u83"})
    t.SMSI = [MapStringInt({"one": 1, "two": 2}), MapStringInt({"eleven": 11, "twelve": 12})]
    t.Empty1 = 3
    t.Empty2 = "empty2"
    t.Empty3 = IntSlice([7, 8])
    t.Empty4 = U("UinEmpty")
    inner = T()
    inner.X = "x"
    t.NonEmptyInterface = inner
    t.NonEmptyInterfacePtS = S(["a", "b"])
    t.NonEmptyInterfaceTypedNil = NilT()
    t.Str = Text("foozle")
    t.Err = Text("erroozle")
    t.PI = IntPointer(23)
    t.PS = "a string"
    t.PSI = IntSlice([21, 22, 23])
    t.BinaryFunc = Func(lambda a, b: f"[{a}={b}]", (STRING, STRING))
    t.VariadicFunc = Func(lambda *s: "<" + "+".join(s) + ">", (), STRING)
    t.VariadicFuncInt = Func(lambda a, *s: f"{a}=<" + "+".join(s) + ">", (INT,), STRING)
    t.NilOKFunc = Func(lambda p: p is None, ("*int",))
    t.ErrFunc = Func(lambda: "bla", ())
    t.PanicFunc = Func(lambda: _panic("test panic"), ())
    return t


# -- testExecute's FuncMap ---------------------------------------------------------------------------


def _add(*args: int) -> int:
    return sum(args)


def _makemap(*args: str) -> dict[str, Any]:
    if len(args) % 2:
        raise RuntimeError("bad makemap")
    return MapStringString(zip(args[::2], args[1::2], strict=True))


def _ddd_arg(a: int, *b: str) -> str:
    return fmt.sprintln(a, list(b))


FUNCS: dict[str, Func] = {
    "add": Func(_add, (), INT),
    "dddArg": Func(_ddd_arg, (INT,), STRING),
    "die": Func(lambda: _panic("die"), ()),
    "echo": Func(lambda arg: arg, (ANY,)),
    "makemap": Func(_makemap, (), STRING),
    "mapOfThree": Func(lambda: MapStringInt({"three": 3}), ()),
    "oneArg": Func(lambda a: "oneArg=" + a, (STRING,)),
    "returnInt": Func(lambda: 7, ()),
    "stringer": Func(lambda s: s.go_string(), (ANY,)),
    "twoArgs": Func(lambda a, b: "twoArgs=" + a + b, (STRING, STRING)),
    "typeOf": Func(go_type_name, (ANY,)),
    "valueString": Func(lambda v: "value is ignored", (STRING,)),
    "vfunc": Func(lambda a, b: "vfunc", (ANY, ANY)),
    "zeroArgs": Func(lambda: "zeroArgs", ()),
}
