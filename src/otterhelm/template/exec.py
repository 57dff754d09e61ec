"""Execution of parsed templates with Go text/template semantics (exec.go).

A tree runs as Python code that otterhelm.template.codegen generates from it once (and
the tree cache keeps, marshaled): the code calls the runtime helpers of this module for
everything that is more than a dictionary lookup or a branch, so each Go behaviour
(argument conversion, field evaluation, function calls and their errors, range, template
calls, the step budget) is written once, here. Variables live in frame slots resolved at
generation time (Go's scoping is lexical, so slot resolution gives the same results as
Go's variable stack).

Generated code names the nodes its errors report by their index in `walk_nodes` order
(an `At`), and the helpers resolve an index to a node through the executing tree only
when they build an error, so running a cached tree never loads its nodes.

Values follow otterhelm.template.gotypes. A nil interface at the end of a pipeline
becomes MISSING (Go's "dig down one level" turns it into the invalid value), which is why
`{{.Values.nullValue}}` prints `<no value>` while `{{print nil}}` prints `<nil>`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from otterhelm.template import builtins, fmt
from otterhelm.template.errors import TemplateCall, TemplateExecError, TemplateLimitError
from otterhelm.template.gcpause import collector_paused
from otterhelm.template.gotypes import (
    ANY,
    BOOL,
    FLOAT64,
    INT,
    INT64,
    MISSING,
    STRING,
    Func,
    GoObject,
    GoType,
    Int64,
    Uint,
    is_true,
)
from otterhelm.template.nodes import Node
from otterhelm.template.records import FrozenRecord
from otterhelm.template.tree import Tree
from otterhelm.template.values import REFLECT_VALUE, can_be_nil, is_assignable, type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, NoReturn, TypeAlias

GO_MAX_EXEC_DEPTH: Final = 100000
"""Go's maxExecDepth, the number its error message names."""

DEFAULT_MAX_DEPTH: Final = 10000
"""Nested `{{template}}` calls allowed (ExecLimits.max_depth). Go allows 100000; each level
costs a few Python frames, so 10000 fits a thread with a raised recursion limit and a large
stack (as the renderer uses). On an ordinary stack Python's recursion limit trips first
(about 300 levels); that RecursionError is reported with Go's message as well."""

MISSINGKEY_MODES = ("default", "invalid", "zero", "error")

_CHECK_INTERVAL: Final = 256
_NO_FINAL: Final = object()  # Go's missingVal: no value piped into this command

At = int
"""A node of the executing tree, by its index in walk_nodes order."""


class ExecLimits(FrozenRecord):
    """Bounds on one execution. `max_steps` counts range iterations and template calls;
    `timeout` is seconds of wall time, checked at the same points."""

    __slots__ = ("max_depth", "max_steps", "timeout")

    def __init__(
        self, max_depth: int = DEFAULT_MAX_DEPTH, max_steps: int | None = None, timeout: float | None = None
    ) -> None:
        self.max_depth = max_depth
        self.max_steps = max_steps
        self.timeout = timeout


class ExecBudget:
    """Steps and wall time left for a render. One budget can be passed to several
    executions (a renderer's include and tpl run nested executions), which then draw on
    the same allowance."""

    __slots__ = ("deadline", "max_steps", "timeout", "used")

    def __init__(self, max_steps: int | None = None, timeout: float | None = None) -> None:
        self.max_steps = max_steps
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.used = 0

    @classmethod
    def from_limits(cls, limits: ExecLimits) -> ExecBudget:
        return cls(limits.max_steps, limits.timeout)


class Lookup:
    """What the executor needs from the template set: templates and functions by name."""

    def template(self, name: str) -> Tree | None:
        raise NotImplementedError

    def function(self, name: str) -> Func | None:
        raise NotImplementedError


class State:
    """One execution: output, current template and tree, variables, limits."""

    __slots__ = (
        "budget",
        "depth",
        "dot_iface",
        "limits",
        "lookup",
        "missingkey",
        "name",
        "next_check",
        "out",
        "steps",
        "synced",
        "tree",
        "vars",
    )

    def __init__(
        self,
        lookup: Lookup,
        name: str,
        missingkey: str,
        limits: ExecLimits,
        budget: ExecBudget | None = None,
    ) -> None:
        self.lookup = lookup
        self.name = name
        self.missingkey = missingkey
        self.limits = limits
        self.budget = budget if budget is not None else ExecBudget.from_limits(limits)
        self.out: list[str] = []
        self.vars: list[Any] = []
        self.tree: Tree | None = None
        self.depth = 0
        self.steps = 0
        self.synced = 0
        self.dot_iface = False
        self.next_check = self._next_check_point()

    def _next_check_point(self) -> int:
        # Steps are counted locally and the budget is consulted every _CHECK_INTERVAL
        # steps (or exactly when the step allowance would run out), so counting a step
        # costs one comparison.
        budget = self.budget
        if budget.max_steps is None and budget.deadline is None:
            return 1 << 62
        interval = _CHECK_INTERVAL
        if budget.max_steps is not None:
            interval = min(interval, max(budget.max_steps - budget.used, 0))
        return self.steps + interval

    def sync_budget(self) -> None:
        """Charge the steps counted since the last check to the shared budget."""
        self.budget.used += self.steps - self.synced
        self.synced = self.steps

    def node(self, at: At) -> Node:
        """The node `at` names in the executing tree (loading the tree's nodes if needed)."""
        assert self.tree is not None
        return self.tree.node_at(at)

    def fail(self, at: At | None, detail: str, cause: BaseException | None = None) -> NoReturn:
        if at is None:
            raise TemplateExecError(detail, template_name=self.name, cause=cause)
        node = self.node(at)
        raise TemplateExecError(
            detail,
            template_name=self.name,
            location=node.src.location(node.pos),
            node_text=str(node),
            cause=cause,
        )

    def check_budget(self, at: At) -> None:
        self.sync_budget()
        budget = self.budget
        if budget.max_steps is not None and budget.used > budget.max_steps:
            raise _limit_error(self, at, f"exceeded execution step budget ({budget.max_steps})")
        if budget.deadline is not None and time.monotonic() > budget.deadline:
            raise _limit_error(self, at, f"exceeded execution time budget ({budget.timeout}s)")
        self.next_check = self._next_check_point()


def _limit_error(state: State, at: At, detail: str) -> TemplateLimitError:
    node = state.node(at)
    return TemplateLimitError(
        detail,
        template_name=state.name,
        location=node.src.location(node.pos),
        node_text=str(node),
    )


class Compiled:
    """A tree's runnable form: its generated module's namespace, its `run(state, dot)`
    and its frame size."""

    __slots__ = ("namespace", "run", "slots")

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.run: Callable[[State, Any], None] = namespace["run"]
        self.slots: int = namespace["SLOTS"]


def compiled_tree(tree: Tree) -> Compiled:
    """The runnable form of a tree, built on first use and kept on the tree: its code
    (from the tree cache, or generated now) run as a module over the runtime helpers."""
    cached = tree.compiled
    if not isinstance(cached, Compiled):
        code = tree.code
        if code is None:
            from otterhelm.template.codegen import compile_tree

            root = tree.root
            assert root is not None
            with collector_paused():
                code = compile_tree(tree.name, root)
            tree.set_code(code)
        module, constants = code
        namespace = dict(RUNTIME)
        namespace["K"] = constants
        exec(module, namespace)
        cached = Compiled(namespace)
        tree.compiled = cached
    return cached


def execute_tree(state: State, tree: Tree, dot: Any) -> None:
    compiled = compiled_tree(tree)
    frame: list[Any] = [None] * compiled.slots
    frame[0] = dot
    saved_vars, saved_tree = state.vars, state.tree
    state.vars = frame
    state.tree = tree
    try:
        compiled.run(state, dot)
    finally:
        state.vars = saved_vars
        state.tree = saved_tree


# ----------------------------------------------------------------------------------------
# Statements
# ----------------------------------------------------------------------------------------


def print_value(s: State, at: At, value: Any) -> str:
    """The text an action prints for a pipeline's value; nil is the missing value here
    (generated code leaves that conversion to this function)."""
    if type(value) is str:
        return value
    if value is None:
        return "<no value>"
    if isinstance(value, Func):
        s.fail(at, f"can't print {s.node(at)} of type func")
    return printable(value)


def printable(value: Any) -> str:
    """How an action prints a value (Go's printValue): missing is `<no value>`, and a
    pointer to a struct prints as the struct itself."""
    if value is MISSING:
        return "<no value>"
    if type(value) is complex:
        return _format_complex(value)
    text = fmt.format_value(value)
    if (
        isinstance(value, GoObject)
        and value.go_type.startswith("*")
        and text.startswith("&{")
        and value.go_string() is None
    ):
        return text[1:]
    return text


def _format_complex(value: complex) -> str:
    """Go's `%v` of a complex128 (template literals such as 1.5i): `(0+1.5i)`."""
    imag = fmt.format_value(value.imag)
    if not imag.startswith(("-", "+")):
        imag = "+" + imag
    return f"({fmt.format_value(value.real)}{imag}i)"


def range_items(s: State, value: Any, two_vars: bool, at: At) -> tuple[Iterable[tuple[Any, Any]], bool]:
    """What `{{range}}` iterates over a value: (index, element) pairs, and whether the
    elements are interface values (Go's slices and maps of interface{}); `at` is the node
    Go's executor evaluated last, where it reports a value it cannot range over."""
    if isinstance(value, (list, tuple)):
        return enumerate(value), True
    if isinstance(value, dict):
        return ((key, value[key]) for key in sorted(value, key=_map_key_order)), True
    if isinstance(value, bytes):
        return enumerate(value), False
    if isinstance(value, int) and not isinstance(value, bool):
        if two_vars:
            s.fail(at, f"can't use {fmt.format_value(value)} to iterate over more than one variable")
        kind = type(value)
        items = range(int(value))
        return ((i, i) for i in items) if kind is int else ((kind(i), kind(i)) for i in items), False
    if value is MISSING or value is None:
        return (), False
    s.fail(at, f"range can't iterate over {fmt.format_value(value)}")


def _map_key_order(key: Any) -> Any:
    if isinstance(key, str):
        return (0, key.encode("utf-8", "surrogateescape"))
    if isinstance(key, (int, float)):
        return (1, key)
    return (2, str(key))


def template_lookup(s: State, name: str, at: At) -> Tree:
    """The tree `{{template name}}` runs, checked before its argument is evaluated."""
    tree = s.lookup.template(name)
    if tree is None:
        s.fail(at, f"template {fmt.go_quote(name)} not defined")
    if s.depth >= s.limits.max_depth:
        raise _limit_error(s, at, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})")
    return tree


def call_template(s: State, tree: Tree, name: str, at: At, dot: Any) -> None:
    """Run `tree` for `{{template name dot}}`; its errors record this call."""
    s.steps += 1
    if s.steps > s.next_check:
        s.check_budget(at)
    saved_name, saved_iface = s.name, s.dot_iface
    s.name = name
    s.depth += 1
    s.dot_iface = False
    try:
        execute_tree(s, tree, dot)
    except TemplateExecError as exc:
        node = s.node(at)
        call = TemplateCall(node.src.location(node.pos), saved_name, str(node))
        raise exc.through_template_call(call) from exc.cause
    except RecursionError:
        raise _limit_error(s, at, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})") from None
    finally:
        s.name = saved_name
        s.depth -= 1
        s.dot_iface = saved_iface


# ----------------------------------------------------------------------------------------
# Constants and arguments (Go's idealConstant, evalArg, validateType)
# ----------------------------------------------------------------------------------------

# A number literal as generated code carries it: a tuple of constants (see number_literal).
NumberLiteral = tuple[bool, bool, bool, bool, int, int, float, complex, int]
_IS_INT, _IS_UINT, _IS_FLOAT, _IS_COMPLEX, _INT64, _UINT64, _FLOAT64, _COMPLEX128, _IDEAL = range(9)
_IDEAL_COMPLEX, _IDEAL_FLOAT, _IDEAL_INT, _IDEAL_OVERFLOW, _IDEAL_NONE = range(5)


def number_literal(
    text: str,
    flags: tuple[bool, bool, bool, bool],
    values: tuple[int, int, float, complex],
) -> NumberLiteral:
    """A number node's parsed forms and the kind of value it takes as an interface
    (Go's idealConstant): its flags are (is_int, is_uint, is_float, is_complex)."""
    is_int, is_uint, is_float, is_complex = flags
    if is_complex:
        ideal = _IDEAL_COMPLEX
    elif is_float and not _is_hex_int(text) and not text.startswith("'") and any(c in text for c in ".eEpP"):
        ideal = _IDEAL_FLOAT
    elif is_int:
        ideal = _IDEAL_INT
    elif is_uint:
        ideal = _IDEAL_OVERFLOW
    else:
        ideal = _IDEAL_NONE
    return (is_int, is_uint, is_float, is_complex, *values, ideal)


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


def ideal_constant(s: State, at: At, number: NumberLiteral) -> Any:
    """The value an untyped number literal takes as an interface."""
    ideal = number[_IDEAL]
    if ideal == _IDEAL_COMPLEX:
        return number[_COMPLEX128]
    if ideal == _IDEAL_FLOAT:
        return number[_FLOAT64]
    if ideal == _IDEAL_INT:
        return number[_INT64]
    if ideal == _IDEAL_OVERFLOW:
        s.fail(at, f"{s.node(at)} overflows int")
    return None


ARG_DYNAMIC, ARG_NIL, ARG_BOOL, ARG_NUMBER, ARG_STRING, ARG_OTHER, ARG_FIELD, ARG_VARIABLE, ARG_DOT = range(9)

Arg: TypeAlias = "tuple[int, At, At, Any, str | None]"
"""One argument of a call site, a constant of the generated code: (kind, node, the node
Go's executor stands at after evaluating it (for type errors), value, the name of the
generated function that evaluates it).

The value of a literal is its constant; of a field chain on dot (ARG_FIELD), its
FieldChain; of a variable (ARG_VARIABLE), its (slot, FieldChain of its fields or None).
Those and dot, the common arguments, evaluate here; any other
(ARG_DYNAMIC: a pipeline, a function, a chain) by its function in the tree's module."""


def convert_arg(s: State, dot: Any, arg: Arg, typ: GoType) -> Any:
    """Go's evalArg: an argument evaluated, or a literal converted, for a parameter of type `typ`."""
    kind, at, last, value, function = arg
    if kind == ARG_FIELD:
        return validate_type(s, last, field_chain(s, value, dot, dot), typ)
    if kind == ARG_VARIABLE:
        slot, chain = value
        found = s.vars[slot]
        if chain is not None:
            found = field_chain(s, chain, found, dot)
        return validate_type(s, last, found, typ)
    if kind == ARG_DOT:
        return validate_type(s, last, dot, typ)
    if kind == ARG_DYNAMIC:
        assert s.tree is not None and isinstance(s.tree.compiled, Compiled) and function is not None
        return validate_type(s, last, s.tree.compiled.namespace[function](s, dot, _NO_FINAL), typ)
    if kind == ARG_NIL:
        if typ == REFLECT_VALUE:
            return MISSING
        if can_be_nil(typ):
            return None
        s.fail(at, f"cannot assign nil to {typ}")
    if typ in (ANY, REFLECT_VALUE):
        return _empty_interface(s, arg)
    if typ == BOOL:
        if kind == ARG_BOOL:
            return value
        _mismatch(s, at, "expected bool; found {}")
    if typ == STRING:
        if kind == ARG_STRING:
            return value
        _mismatch(s, at, "expected string; found {}")
    if typ in (INT, INT64):
        if kind == ARG_NUMBER and value[_IS_INT]:
            return value[_INT64] if typ == INT else Int64(value[_INT64])
        _mismatch(s, at, "expected integer; found {}")
    if typ == FLOAT64:
        if kind == ARG_NUMBER and value[_IS_FLOAT]:
            return value[_FLOAT64]
        _mismatch(s, at, "expected float; found {}")
    if typ == "uint" or typ == "uint16":
        if kind == ARG_NUMBER and value[_IS_UINT]:
            return Uint(value[_UINT64])
        _mismatch(s, at, "expected unsigned integer; found {}")
    if typ == "complex128":
        if kind == ARG_NUMBER and (value[_IS_COMPLEX] or value[_IS_FLOAT]):
            return value[_COMPLEX128] if value[_IS_COMPLEX] else complex(value[_FLOAT64], 0)
        _mismatch(s, at, "expected complex; found {}")
    _mismatch(s, at, "can't handle {} for arg of type " + typ)


def _empty_interface(s: State, arg: Arg) -> Any:
    kind, at, _, value, _ = arg
    if kind in (ARG_BOOL, ARG_STRING):
        return value
    if kind == ARG_NUMBER:
        return ideal_constant(s, at, value)
    _mismatch(s, at, "can't handle assignment of {} to empty interface argument")


def _mismatch(s: State, at: At, template: str) -> NoReturn:
    s.fail(at, template.replace("{}", str(s.node(at)), 1))


def validate_type(s: State, at: At, value: Any, typ: GoType | None) -> Any:
    if value is MISSING:
        if typ is None or typ == REFLECT_VALUE:
            return MISSING
        if can_be_nil(typ):
            return None
        s.fail(at, f"invalid value; expected {typ}")
    if typ is None or typ in (ANY, REFLECT_VALUE):
        return value
    if value is None or not is_assignable(value, typ):
        s.fail(at, f"wrong type for value; expected {typ}; got {type_name(value)}")
    return value


# ----------------------------------------------------------------------------------------
# Fields and calls
# ----------------------------------------------------------------------------------------


IFACE_NO, IFACE_YES, IFACE_OF_DOT = range(3)

FieldChain = tuple[At, tuple[str, ...], int, bool]
"""A chain of fields read without arguments, a constant of the generated code: (node,
field names, whether the first receiver is an interface value (IFACE_OF_DOT: as dot
is), whether a nil result is the missing value (the chain ends a pipeline command))."""


def field_chain(s: State, chain: FieldChain, value: Any, dot: Any) -> Any:
    """Fields read in turn from `value` without arguments (Go's evalFieldChain up to its
    last field, or to the end when nothing is passed to the last)."""
    at, names, iface_mode, nil_is_missing = chain
    iface = s.dot_iface if iface_mode == IFACE_OF_DOT else iface_mode == IFACE_YES
    for name in names:
        if type(value) is dict and name in value:
            value = value[name]
        else:
            value = eval_field(s, at, name, value, iface, (), _NO_FINAL, dot, False)
        iface = True
    return MISSING if value is None and nil_is_missing else value


def eval_field(
    s: State,
    at: At,
    name: str,
    receiver: Any,
    iface: bool,
    args: tuple[Arg, ...],
    final: Any,
    dot: Any,
    has_call_args: bool,
) -> Any:
    """Go's evalField: a method, a struct field or a map key named `name` on `receiver`.
    (Generated code reads a key of a plain dict itself when there are no arguments.)"""
    if receiver is MISSING:
        if s.missingkey == "error":
            s.fail(at, f"nil data; no entry for key {fmt.go_quote(name)}")
        return MISSING
    if receiver is None:
        s.fail(at, f"nil pointer evaluating interface {{}}.{name}")
    has_args = has_call_args or final is not _NO_FINAL
    if isinstance(receiver, GoObject):
        method = type(receiver).go_methods.get(name)
        if method is not None:
            bound = Func(_bind(method.fn, receiver), method.params, method.variadic)
            return call(s, dot, bound, at, at, name, args, final)
        attribute = type(receiver).go_fields.get(name)
        if receiver.go_is_nil() and (attribute is not None or not type(receiver).go_fields):
            # A nil pointer: Go reports the nil unless it points to a struct lacking the field.
            s.fail(at, f"nil pointer evaluating {receiver.go_type}.{name}")
        if attribute is not None:
            if has_args:
                s.fail(at, f"{name} has arguments but cannot be invoked as function")
            return getattr(receiver, attribute)
    if isinstance(receiver, dict) and _string_keyed(receiver):
        if has_args:
            s.fail(at, f"{name} is not a method but has arguments")
        try:
            return receiver[name]
        except KeyError:
            mode = s.missingkey
            if mode == "zero":
                return receiver.go_zero_value if isinstance(receiver, GoObject) else None
            if mode == "error":
                s.fail(at, f"map has no entry for key {fmt.go_quote(name)}")
            return MISSING
    typ = "interface {}" if iface else type_name(receiver)
    s.fail(at, f"can't evaluate field {name} in type {typ}")


def _string_keyed(mapping: dict[Any, Any]) -> bool:
    """Field syntax works on maps whose key type accepts a string."""
    if isinstance(mapping, GoObject):
        go_type = mapping.go_type
        return not go_type.startswith("map[") or go_type.startswith(("map[string]", "map[interface {}]"))
    return True


def _bind(fn: Callable[..., Any], receiver: Any) -> Callable[..., Any]:
    def bound(*args: Any) -> Any:
        return fn(receiver, *args)

    return bound


CallSite = tuple[str, At, At, tuple[Arg, ...], bool]
"""A call of a function by name, a constant of the generated code: (name, the function's
node, the command's node, arguments, whether a nil result is the missing value)."""


def call_function(s: State, dot: Any, site: CallSite, final: Any) -> Any:
    """A call of the function named at `site`, looked up in this execution's functions."""
    name, at, call_at, args, nil_is_missing = site
    fn = s.lookup.function(name)
    if fn is None:
        s.fail(at, f"{fmt.go_quote(name)} is not a defined function")
    value = call(s, dot, fn, at, call_at, name, args, final)
    return MISSING if value is None and nil_is_missing else value


def call(
    s: State,
    dot: Any,
    fn: Func,
    at: At,
    call_at: At,
    name: str,
    args: tuple[Arg, ...],
    final: Any,
) -> Any:
    """Go's evalCall: check arity, convert arguments, call, wrap errors."""
    has_final = final is not _NO_FINAL
    params = fn.params
    if params is None:
        argv = [convert_arg(s, dot, a, ANY) for a in args]
        if has_final:
            argv.append(None if final is MISSING else final)
    else:
        num_in = len(args) + (1 if has_final else 0)
        variadic = fn.variadic
        num_fixed = len(params) if variadic is not None else len(args)
        if variadic is not None:
            if num_in < num_fixed:
                s.fail(at, f"wrong number of args for {name}: want at least {num_fixed} got {len(args)}")
        elif num_in != len(params):
            s.fail(at, f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if fn is builtins.AND or fn is builtins.OR:
            return _and_or(s, dot, fn is builtins.OR, args, final)
        argv = []
        last = at
        i = 0
        while i < num_fixed and i < len(args):
            argv.append(convert_arg(s, dot, args[i], params[i]))
            last = args[i][2]
            i += 1
        if variadic is not None:
            while i < len(args):
                argv.append(convert_arg(s, dot, args[i], variadic))
                last = args[i][2]
                i += 1
        if has_final:
            if variadic is not None:
                typ = params[num_in - 1] if num_in - 1 < num_fixed else variadic
            else:
                typ = params[-1]
            argv.append(validate_type(s, last, final, typ))
    if fn.fn is builtins.call:
        callee = str(s.node(args[0][1])) if args else fmt.format_value(final)
        return _guarded(s, call_at, name, builtins.call, callee, *argv)
    return _guarded(s, call_at, name, fn.fn, *argv)


def _guarded(s: State, call_at: At, name: str, fn: Callable[..., Any], *argv: Any) -> Any:
    try:
        return fn(*argv)
    except TemplateLimitError as exc:
        node = s.node(call_at)
        raise TemplateLimitError(
            f"error calling {name}: {exc}",
            template_name=s.name,
            location=node.src.location(node.pos),
            node_text=str(node),
            cause=exc,
        ) from exc
    except RecursionError:
        raise _limit_error(s, call_at, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})") from None
    except Exception as exc:
        s.fail(call_at, f"error calling {name}: {exc}", cause=exc)


def _and_or(s: State, dot: Any, is_or: bool, args: tuple[Arg, ...], final: Any) -> Any:
    value: Any = MISSING
    for arg in args:
        value = convert_arg(s, dot, arg, REFLECT_VALUE)
        if is_true(value) == is_or:
            return value
    if final is not _NO_FINAL:
        value = final
    return value


RUNTIME: Final[Mapping[str, Any]] = {
    # The names generated code uses (see codegen): constants, then helpers.
    "MISSING": MISSING,
    "NF": _NO_FINAL,
    "T": is_true,
    "PV": print_value,
    "RI": range_items,
    "TL": template_lookup,
    "TC": call_template,
    "IDEAL": ideal_constant,
    "FC": field_chain,
    "EF": eval_field,
    "CALL": call_function,
}
"""The globals a tree's generated module runs with; copied per tree (the module adds its
own functions and argument tables to the copy)."""

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "GO_MAX_EXEC_DEPTH",
    "MISSINGKEY_MODES",
    "RUNTIME",
    "ExecLimits",
    "Lookup",
    "State",
    "compiled_tree",
    "execute_tree",
]
