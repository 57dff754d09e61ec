"""Execution of parsed templates with Go text/template semantics (exec.go).

Each tree is compiled once into Python closures; running a template calls those closures
with no per-node dispatch. Variables are resolved to frame slots at compile time (Go's
scoping is lexical, so slot resolution gives the same results as Go's variable stack).

Values follow otterhelm.template.gotypes. A nil interface at the end of a pipeline
becomes MISSING (Go's "dig down one level" turns it into the invalid value), which is why
`{{.Values.nullValue}}` prints `<no value>` while `{{print nil}}` prints `<nil>`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final, NoReturn

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
from otterhelm.template.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from otterhelm.template.parser import Tree
from otterhelm.template.records import FrozenRecord
from otterhelm.template.values import REFLECT_VALUE, can_be_nil, is_assignable, type_name

GO_MAX_EXEC_DEPTH: Final = 100000
"""Go's maxExecDepth, the number its error message names."""

DEFAULT_MAX_DEPTH: Final = 10000
"""Nested `{{template}}` calls allowed (ExecLimits.max_depth). Go allows 100000; each level
costs a few Python frames, so 10000 fits a thread with a raised recursion limit and a large
stack (as the renderer uses). On an ordinary stack Python's recursion limit trips first
(about 200 levels); that RecursionError is reported with Go's message as well."""

MISSINGKEY_MODES = ("default", "invalid", "zero", "error")

_CHECK_INTERVAL: Final = 256
_NO_FINAL: Final = object()  # Go's missingVal: no value piped into this command


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


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
    """One execution: output, current template, variables, limits."""

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

    def fail(self, node: Node | None, detail: str, cause: BaseException | None = None) -> NoReturn:
        if node is None:
            raise TemplateExecError(detail, template_name=self.name, cause=cause)
        raise TemplateExecError(
            detail,
            template_name=self.name,
            location=node.src.location(node.pos),
            node_text=str(node),
            cause=cause,
        )

    def check_budget(self, node: Node) -> None:
        self.sync_budget()
        budget = self.budget
        if budget.max_steps is not None and budget.used > budget.max_steps:
            raise _limit_error(self, node, f"exceeded execution step budget ({budget.max_steps})")
        if budget.deadline is not None and time.monotonic() > budget.deadline:
            raise _limit_error(self, node, f"exceeded execution time budget ({budget.timeout}s)")
        self.next_check = self._next_check_point()


def _limit_error(state: State, node: Node, detail: str) -> TemplateLimitError:
    return TemplateLimitError(
        detail,
        template_name=state.name,
        location=node.src.location(node.pos),
        node_text=str(node),
    )


Stmt = Callable[[State, Any], None]
Expr = Callable[[State, Any, Any], Any]  # (state, dot, final) -> value


class Compiled:
    __slots__ = ("run", "slots")

    def __init__(self, run: Stmt, slots: int) -> None:
        self.run = run
        self.slots = slots


def compiled_tree(tree: Tree) -> Compiled:
    """The closure form of a tree, built on first use and kept on the tree."""
    cached = tree.compiled
    if not isinstance(cached, Compiled):
        compiler = _Compiler()
        assert tree.root is not None
        with collector_paused():
            run = compiler.stmt_list(tree.root)
        cached = Compiled(run, compiler.max_slots)
        tree.compiled = cached
    return cached


def execute_tree(state: State, tree: Tree, dot: Any) -> None:
    compiled = compiled_tree(tree)
    frame: list[Any] = [None] * compiled.slots
    frame[0] = dot
    saved_vars = state.vars
    state.vars = frame
    try:
        compiled.run(state, dot)
    finally:
        state.vars = saved_vars


# ----------------------------------------------------------------------------------------
# The compiler
# ----------------------------------------------------------------------------------------


class _Compiler:
    def __init__(self) -> None:
        self.scope: list[tuple[str, int]] = [("$", 0)]
        self.next_slot = 1
        self.max_slots = 1
        # Slots holding a range element: Go keeps those as interface values, which shows
        # in errors ("can't evaluate field x in type interface {}").
        self.element_slots: set[int] = set()

    # -- variables --------------------------------------------------------------------

    def declare(self, name: str) -> int:
        slot = self.next_slot
        self.next_slot += 1
        self.max_slots = max(self.max_slots, self.next_slot)
        self.scope.append((name, slot))
        return slot

    def resolve(self, name: str) -> int | None:
        for declared, slot in reversed(self.scope):
            if declared == name:
                return slot
        return None

    def mark(self) -> tuple[int, int]:
        return len(self.scope), self.next_slot

    def pop(self, mark: tuple[int, int]) -> None:
        del self.scope[mark[0] :]
        self.next_slot = mark[1]

    # -- statements ---------------------------------------------------------------------

    def stmt_list(self, node: ListNode) -> Stmt:
        parts = [self.stmt(child) for child in node.nodes]
        parts = [part for part in parts if part is not _noop]
        if not parts:
            return _noop
        if len(parts) == 1:
            return parts[0]
        steps = tuple(parts)

        def run_list(s: State, dot: Any) -> None:
            for part in steps:
                part(s, dot)

        return run_list

    def stmt(self, node: Node) -> Stmt:
        if isinstance(node, TextNode):
            text = node.text

            def run_text(s: State, dot: Any) -> None:
                s.out.append(text)

            return run_text
        if isinstance(node, ActionNode):
            return self.action(node)
        if isinstance(node, CommentNode):
            return _noop
        if isinstance(node, IfNode):
            return self.if_or_with(node, with_=False)
        if isinstance(node, WithNode):
            return self.if_or_with(node, with_=True)
        if isinstance(node, RangeNode):
            return self.range(node)
        if isinstance(node, TemplateNode):
            return self.template(node)
        if isinstance(node, ListNode):
            return self.stmt_list(node)
        if isinstance(node, BreakNode):

            def run_break(s: State, dot: Any) -> None:
                raise _Break

            return run_break
        if isinstance(node, ContinueNode):

            def run_continue(s: State, dot: Any) -> None:
                raise _Continue

            return run_continue
        raise AssertionError(f"unknown node: {node}")

    def action(self, node: ActionNode) -> Stmt:
        assert node.pipe is not None
        pipe = self.pipeline(node.pipe)
        if node.pipe.decl:

            def run_decl(s: State, dot: Any) -> None:
                pipe(s, dot)

            return run_decl

        def run_action(s: State, dot: Any) -> None:
            value = pipe(s, dot)
            if type(value) is str:
                s.out.append(value)
            elif isinstance(value, Func):
                s.fail(node, f"can't print {node} of type func")
            else:
                s.out.append(printable(value))

        return run_action

    def if_or_with(self, node: BranchNode, with_: bool) -> Stmt:
        assert node.pipe is not None and node.body is not None
        # The pipeline's declarations (and, as in Go's parser, the body's) stay in scope
        # for the else branch; all of them end with the control.
        mark = self.mark()
        pipe = self.pipeline(node.pipe)
        body = self.stmt_list(node.body)
        otherwise = self.stmt_list(node.else_list) if node.else_list is not None else _noop
        self.pop(mark)
        truth = is_true

        if with_:

            def run_with(s: State, dot: Any) -> None:
                value = pipe(s, dot)
                if truth(value):
                    saved = s.dot_iface
                    s.dot_iface = False
                    try:
                        body(s, value)
                    finally:
                        s.dot_iface = saved
                else:
                    otherwise(s, dot)

            return run_with

        def run_if(s: State, dot: Any) -> None:
            if truth(pipe(s, dot)):
                body(s, dot)
            else:
                otherwise(s, dot)

        return run_if

    def range(self, node: RangeNode) -> Stmt:
        assert node.pipe is not None and node.body is not None
        mark = self.mark()
        pipe_node = node.pipe
        pipe = self.pipeline(pipe_node)
        decl = pipe_node.decl
        # Slots the iteration writes: the index (two variables) and the element.
        slots = [self.resolve(v.ident[0]) for v in decl]
        index_slot: int | None = None
        elem_slot: int | None = None
        if len(slots) == 1:
            elem_slot = slots[0]
        elif len(slots) == 2:
            index_slot, elem_slot = slots
        two_vars = len(decl) > 1
        element_slot = elem_slot if not pipe_node.is_assign else None
        if element_slot is not None:
            self.element_slots.add(element_slot)
        body = self.stmt_list(node.body)
        if element_slot is not None:
            self.element_slots.discard(element_slot)
        otherwise = self.stmt_list(node.else_list) if node.else_list is not None else _noop
        self.pop(mark)

        # Go reports a value it cannot range over at the node it evaluated last.
        evaluated_last = last_evaluated(pipe_node)

        def iterate(s: State, index: Any, elem: Any, iface: bool) -> bool:
            """One iteration; returns False on {{break}}."""
            frame = s.vars
            if index_slot is not None:
                frame[index_slot] = index
            if elem_slot is not None:
                frame[elem_slot] = elem
            s.steps += 1
            if s.steps > s.next_check:
                s.check_budget(node)
            s.dot_iface = iface
            try:
                body(s, elem)
            except _Continue:
                pass
            except _Break:
                return False
            return True

        def run_range(s: State, dot: Any) -> None:
            value = pipe(s, dot)
            saved_iface = s.dot_iface
            ran = False
            try:
                if isinstance(value, (list, tuple)):
                    for i, elem in enumerate(value):
                        ran = True
                        if not iterate(s, i, elem, True):
                            break
                elif isinstance(value, dict):
                    for key in sorted(value, key=_map_key_order):
                        ran = True
                        if not iterate(s, key, value[key], True):
                            break
                elif isinstance(value, bytes):
                    for i, elem in enumerate(value):
                        ran = True
                        if not iterate(s, i, elem, False):
                            break
                elif isinstance(value, int) and not isinstance(value, bool):
                    if two_vars:
                        s.fail(
                            evaluated_last,
                            f"can't use {fmt.format_value(value)} to iterate over more than one variable",
                        )
                    kind = type(value)
                    for i in range(int(value)):
                        ran = True
                        item = i if kind is int else kind(i)
                        if not iterate(s, item, item, False):
                            break
                elif value is MISSING or value is None:
                    pass
                else:
                    s.fail(evaluated_last, f"range can't iterate over {fmt.format_value(value)}")
            finally:
                s.dot_iface = saved_iface
            if not ran:
                otherwise(s, dot)

        return run_range

    def template(self, node: TemplateNode) -> Stmt:
        pipe = self.pipeline(node.pipe) if node.pipe is not None else None
        name = node.name

        def run_template(s: State, dot: Any) -> None:
            tree = s.lookup.template(name)
            if tree is None:
                s.fail(node, f"template {fmt.go_quote(name)} not defined")
            if s.depth >= s.limits.max_depth:
                raise _limit_error(s, node, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})")
            new_dot = pipe(s, dot) if pipe is not None else MISSING
            s.steps += 1
            if s.steps > s.next_check:
                s.check_budget(node)
            saved_name, saved_iface = s.name, s.dot_iface
            s.name = name
            s.depth += 1
            s.dot_iface = False
            try:
                execute_tree(s, tree, new_dot)
            except TemplateExecError as exc:
                call = TemplateCall(node.src.location(node.pos), saved_name, str(node))
                raise exc.through_template_call(call) from exc.cause
            except RecursionError:
                raise _limit_error(
                    s, node, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})"
                ) from None
            finally:
                s.name = saved_name
                s.depth -= 1
                s.dot_iface = saved_iface

        return run_template

    # -- pipelines and commands -------------------------------------------------------

    def pipeline(self, pipe: PipeNode) -> Callable[[State, Any], Any]:
        cmds = [self.command(cmd) for cmd in pipe.cmds]
        # Declarations become visible after the pipeline is compiled (as in Go, where
        # variables are pushed after evaluation).
        store: Callable[[State, Any], None] | None = None
        if pipe.decl:
            if pipe.is_assign:
                targets = [(v, self.resolve(v.ident[0])) for v in pipe.decl]
            else:
                targets = [(v, self.declare(v.ident[0])) for v in pipe.decl]
            slots = tuple(slot for _, slot in targets)
            missing = next((v for v, slot in targets if slot is None), None)

            def store_vars(s: State, value: Any) -> None:
                if missing is not None:
                    s.fail(last_evaluated(pipe), f"undefined variable: {missing.ident[0]}")
                frame = s.vars
                for slot in slots:
                    frame[slot] = value  # type: ignore[index]

            store = store_vars

        if len(cmds) == 1 and store is None:
            only = cmds[0]

            def run_single(s: State, dot: Any) -> Any:
                value = only(s, dot, _NO_FINAL)
                return MISSING if value is None else value

            return run_single

        commands = tuple(cmds)

        def run_pipeline(s: State, dot: Any) -> Any:
            value: Any = _NO_FINAL
            for cmd in commands:
                value = cmd(s, dot, value)
                if value is None:
                    value = MISSING
            if store is not None:
                store(s, value)
            return value

        return run_pipeline

    def command(self, cmd: CommandNode) -> Expr:
        first = cmd.args[0]
        args = cmd.args
        if isinstance(first, FieldNode):
            return self.field_chain(first, None, first.ident, args, dot_receiver=True)
        if isinstance(first, ChainNode):
            return self.chain(first, args)
        if isinstance(first, IdentifierNode):
            return self.function(first, cmd, args)
        if isinstance(first, VariableNode):
            return self.variable(first, args)
        if isinstance(first, PipeNode):
            inner = self.pipeline(first)

            def run_paren(s: State, dot: Any, final: Any) -> Any:
                _not_a_function(s, cmd, args, final)
                return inner(s, dot)

            return run_paren
        constant: Any
        if isinstance(first, BoolNode):
            constant = first.value
        elif isinstance(first, DotNode):

            def run_dot(s: State, dot: Any, final: Any) -> Any:
                _not_a_function(s, first, args, final)
                return dot

            return run_dot
        elif isinstance(first, NilNode):

            def run_nil(s: State, dot: Any, final: Any) -> Any:
                _not_a_function(s, first, args, final)
                s.fail(first, "nil is not a command")

            return run_nil
        elif isinstance(first, NumberNode):
            number = first

            def run_number(s: State, dot: Any, final: Any) -> Any:
                _not_a_function(s, number, args, final)
                return _ideal_constant(s, number)

            return run_number
        elif isinstance(first, StringNode):
            constant = first.text
        else:
            raise AssertionError(f"can't evaluate command {first}")
        value = constant

        def run_constant(s: State, dot: Any, final: Any) -> Any:
            if len(args) > 1 or final is not _NO_FINAL:
                _not_a_function(s, first, args, final)
            return value

        return run_constant

    def variable(self, node: VariableNode, args: list[Node] | None) -> Expr:
        name = node.ident[0]
        slot = self.resolve(name)
        fields = node.ident[1:]

        def read(s: State) -> Any:
            if slot is None:
                s.fail(node, f"undefined variable: {name}")
            return s.vars[slot]

        if not fields:

            def run_variable(s: State, dot: Any, final: Any) -> Any:
                if args is not None and (len(args) > 1 or final is not _NO_FINAL):
                    _not_a_function(s, node, args, final)
                return read(s)

            return run_variable
        return self.field_chain(
            node, read, fields, args, dot_receiver=False, receiver_iface=slot in self.element_slots
        )

    def chain(self, node: ChainNode, args: list[Node] | None) -> Expr:
        assert node.node is not None
        if isinstance(node.node, NilNode):

            def run_nil_chain(s: State, dot: Any, final: Any) -> Any:
                s.fail(node, f"indirection through explicit nil in {node}")

            return run_nil_chain
        inner = self.arg(node.node)

        def receiver(s: State, dot: Any) -> Any:
            value = inner.evaluate(s, dot, _NO_FINAL)
            return MISSING if value is None and isinstance(node.node, PipeNode) else value

        return self.field_chain(
            node, receiver, node.fields, args, dot_receiver=False, receiver_takes_dot=True
        )

    def field_chain(
        self,
        node: Node,
        receiver: Callable[..., Any] | None,
        fields: list[str],
        args: list[Node] | None,
        dot_receiver: bool,
        receiver_takes_dot: bool = False,
        receiver_iface: bool = False,
    ) -> Expr:
        """Go's evalFieldChain: every field but the last is read without arguments; the
        last one receives the command's arguments (and may be a method)."""
        last = fields[-1]
        leading = tuple(fields[:-1])
        call_args = args[1:] if args is not None else []
        compiled_args = [self.arg(a) for a in call_args]
        has_call_args = len(call_args) > 0

        def run_chain(s: State, dot: Any, final: Any) -> Any:
            if dot_receiver:
                value = dot
                iface = s.dot_iface
            elif receiver_takes_dot:
                value = receiver(s, dot)  # type: ignore[misc]
                iface = False
            else:
                value = receiver(s)  # type: ignore[misc]
                iface = receiver_iface
            for name in leading:
                value = _eval_field(s, node, name, value, iface, (), _NO_FINAL, dot, False)
                iface = True
            return _eval_field(s, node, last, value, iface, compiled_args, final, dot, has_call_args)

        if not leading and dot_receiver and not has_call_args:
            # The common `.Name` on a plain map: one dictionary lookup.
            def run_simple_field(s: State, dot: Any, final: Any) -> Any:
                if type(dot) is dict and final is _NO_FINAL:
                    try:
                        return dot[last]
                    except KeyError:
                        pass
                return _eval_field(s, node, last, dot, s.dot_iface, compiled_args, final, dot, False)

            return run_simple_field
        return run_chain

    def function(self, ident: IdentifierNode, cmd: CommandNode | None, args: list[Node] | None) -> Expr:
        name = ident.ident
        call_args = args[1:] if args is not None else []
        compiled = [self.arg(a) for a in call_args]
        call_node: Node = cmd if cmd is not None else ident

        def run_function(s: State, dot: Any, final: Any) -> Any:
            fn = s.lookup.function(name)
            if fn is None:
                s.fail(ident, f"{fmt.go_quote(name)} is not a defined function")
            return _call(s, dot, fn, ident, call_node, name, compiled, final)

        return run_function

    # -- arguments ----------------------------------------------------------------------

    def arg(self, node: Node) -> _Arg:
        if isinstance(node, DotNode):
            return _Arg(node, _DYNAMIC, _dot_value)
        if isinstance(node, NilNode):
            return _Arg(node, _NIL, None)
        if isinstance(node, FieldNode):
            return _Arg(node, _DYNAMIC, self.field_chain(node, None, node.ident, [node], dot_receiver=True))
        if isinstance(node, VariableNode):
            return _Arg(node, _DYNAMIC, self.variable(node, None))
        if isinstance(node, PipeNode):
            inner = self.pipeline(node)

            def run_pipe_arg(s: State, dot: Any, final: Any) -> Any:
                return inner(s, dot)

            return _Arg(node, _DYNAMIC, run_pipe_arg)
        if isinstance(node, IdentifierNode):
            return _Arg(node, _DYNAMIC, self.function(node, None, None))
        if isinstance(node, ChainNode):
            return _Arg(node, _DYNAMIC, self.chain(node, None))
        if isinstance(node, BoolNode):
            return _Arg(node, _BOOL, None)
        if isinstance(node, NumberNode):
            return _Arg(node, _NUMBER, None)
        if isinstance(node, StringNode):
            return _Arg(node, _STRING, None)
        return _Arg(node, _OTHER, None)


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


def last_evaluated(node: Node) -> Node:
    """The node Go's executor last marked (`s.at`) while evaluating `node`: errors raised
    right after an evaluation (a value range cannot iterate, an argument of the wrong
    type) are reported there. Short-circuiting and/or are taken as evaluating every
    argument."""
    if isinstance(node, PipeNode):
        return last_evaluated(node.cmds[-1]) if node.cmds else node
    if isinstance(node, CommandNode):
        first = node.args[0]
        if len(node.args) > 1 and isinstance(first, (IdentifierNode, FieldNode, VariableNode, ChainNode)):
            return last_evaluated(node.args[-1])
        return last_evaluated(first)
    if isinstance(node, ChainNode) and node.node is not None:
        return last_evaluated(node.node)
    return node


def _noop(s: State, dot: Any) -> None:
    return None


def _dot_value(s: State, dot: Any, final: Any) -> Any:
    return dot


def _map_key_order(key: Any) -> Any:
    if isinstance(key, str):
        return (0, key.encode("utf-8", "surrogateescape"))
    if isinstance(key, (int, float)):
        return (1, key)
    return (2, str(key))


def _not_a_function(s: State, node: Node, args: list[Node] | None, final: Any) -> None:
    if args is not None and (len(args) > 1 or final is not _NO_FINAL):
        s.fail(node, f"can't give argument to non-function {args[0]}")


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


def _ideal_constant(s: State, node: NumberNode) -> Any:
    """Go's idealConstant: the value an untyped number literal takes as an interface."""
    if node.is_complex:
        return node.complex128
    if (
        node.is_float
        and not _is_hex_int(node.text)
        and not node.text.startswith("'")
        and any(c in node.text for c in ".eEpP")
    ):
        return node.float64
    if node.is_int:
        return node.int64
    if node.is_uint:
        s.fail(node, f"{node.text} overflows int")
    return None


# -- argument conversion (Go's evalArg / validateType) -------------------------------------

_DYNAMIC, _NIL, _BOOL, _NUMBER, _STRING, _OTHER = range(6)


class _Arg:
    __slots__ = ("evaluate", "kind", "last", "node")

    def __init__(self, node: Node, kind: int, evaluate: Expr | None) -> None:
        self.node = node
        self.kind = kind
        self.evaluate: Expr = evaluate if evaluate is not None else _no_eval
        # Where Go's executor stands after evaluating the argument (for type errors).
        self.last = last_evaluated(node)

    def convert(self, s: State, dot: Any, typ: GoType) -> Any:
        kind = self.kind
        node = self.node
        if kind == _DYNAMIC:
            return validate_type(s, self.last, self.evaluate(s, dot, _NO_FINAL), typ)
        if kind == _NIL:
            if typ == REFLECT_VALUE:
                return MISSING
            if can_be_nil(typ):
                return None
            s.fail(node, f"cannot assign nil to {typ}")
        if typ in (ANY, REFLECT_VALUE):
            return self.empty_interface(s)
        if typ == BOOL:
            if isinstance(node, BoolNode):
                return node.value
            s.fail(node, f"expected bool; found {node}")
        if typ == STRING:
            if isinstance(node, StringNode):
                return node.text
            s.fail(node, f"expected string; found {node}")
        if typ in (INT, INT64):
            if isinstance(node, NumberNode) and node.is_int:
                return node.int64 if typ == INT else Int64(node.int64)
            s.fail(node, f"expected integer; found {node}")
        if typ == FLOAT64:
            if isinstance(node, NumberNode) and node.is_float:
                return node.float64
            s.fail(node, f"expected float; found {node}")
        if typ == "uint" or typ == "uint16":
            if isinstance(node, NumberNode) and node.is_uint:
                return Uint(node.uint64)
            s.fail(node, f"expected unsigned integer; found {node}")
        if typ == "complex128":
            if isinstance(node, NumberNode) and (node.is_complex or node.is_float):
                return node.complex128 if node.is_complex else complex(node.float64, 0)
            s.fail(node, f"expected complex; found {node}")
        s.fail(node, f"can't handle {node} for arg of type {typ}")

    def empty_interface(self, s: State) -> Any:
        node = self.node
        if isinstance(node, BoolNode):
            return node.value
        if isinstance(node, NumberNode):
            return _ideal_constant(s, node)
        if isinstance(node, StringNode):
            return node.text
        s.fail(node, f"can't handle assignment of {node} to empty interface argument")


def _no_eval(s: State, dot: Any, final: Any) -> Any:
    raise AssertionError("literal arguments are converted, not evaluated")


def validate_type(s: State, node: Node, value: Any, typ: GoType | None) -> Any:
    if value is MISSING:
        if typ is None or typ == REFLECT_VALUE:
            return MISSING
        if can_be_nil(typ):
            return None
        s.fail(node, f"invalid value; expected {typ}")
    if typ is None or typ in (ANY, REFLECT_VALUE):
        return value
    if value is None or not is_assignable(value, typ):
        s.fail(node, f"wrong type for value; expected {typ}; got {type_name(value)}")
    return value


# -- fields and calls -------------------------------------------------------------------------


def _eval_field(
    s: State,
    node: Node,
    name: str,
    receiver: Any,
    iface: bool,
    args: tuple[_Arg, ...] | list[_Arg],
    final: Any,
    dot: Any,
    has_call_args: bool,
) -> Any:
    """Go's evalField: a method, a struct field or a map key named `name` on `receiver`."""
    if receiver is MISSING:
        if s.missingkey == "error":
            s.fail(node, f"nil data; no entry for key {fmt.go_quote(name)}")
        return MISSING
    if receiver is None:
        s.fail(node, f"nil pointer evaluating interface {{}}.{name}")
    has_args = has_call_args or final is not _NO_FINAL
    if isinstance(receiver, GoObject):
        method = type(receiver).go_methods.get(name)
        if method is not None:
            bound = Func(_bind(method.fn, receiver), method.params, method.variadic)
            return _call(s, dot, bound, node, node, name, args, final)
        attribute = type(receiver).go_fields.get(name)
        if receiver.go_is_nil() and (attribute is not None or not type(receiver).go_fields):
            # A nil pointer: Go reports the nil unless it points to a struct lacking the field.
            s.fail(node, f"nil pointer evaluating {receiver.go_type}.{name}")
        if attribute is not None:
            if has_args:
                s.fail(node, f"{name} has arguments but cannot be invoked as function")
            return getattr(receiver, attribute)
    if isinstance(receiver, dict) and _string_keyed(receiver):
        if has_args:
            s.fail(node, f"{name} is not a method but has arguments")
        try:
            return receiver[name]
        except KeyError:
            mode = s.missingkey
            if mode == "zero":
                return receiver.go_zero_value if isinstance(receiver, GoObject) else None
            if mode == "error":
                s.fail(node, f"map has no entry for key {fmt.go_quote(name)}")
            return MISSING
    typ = "interface {}" if iface else type_name(receiver)
    s.fail(node, f"can't evaluate field {name} in type {typ}")


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


def _call(
    s: State,
    dot: Any,
    fn: Func,
    at: Node,
    call_node: Node,
    name: str,
    args: tuple[_Arg, ...] | list[_Arg],
    final: Any,
) -> Any:
    """Go's evalCall: check arity, convert arguments, call, wrap errors."""
    has_final = final is not _NO_FINAL
    params = fn.params
    if params is None:
        argv = [a.convert(s, dot, ANY) for a in args]
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
            argv.append(args[i].convert(s, dot, params[i]))
            last = args[i].last
            i += 1
        if variadic is not None:
            while i < len(args):
                argv.append(args[i].convert(s, dot, variadic))
                last = args[i].last
                i += 1
        if has_final:
            if variadic is not None:
                typ = params[num_in - 1] if num_in - 1 < num_fixed else variadic
            else:
                typ = params[-1]
            argv.append(validate_type(s, last, final, typ))
    if fn.fn is builtins.call:
        callee = str(args[0].node) if args else fmt.format_value(final)
        return _guarded(s, call_node, name, builtins.call, callee, *argv)
    return _guarded(s, call_node, name, fn.fn, *argv)


def _guarded(s: State, call_node: Node, name: str, fn: Callable[..., Any], *argv: Any) -> Any:
    try:
        return fn(*argv)
    except (_Break, _Continue):
        raise
    except TemplateLimitError as exc:
        raise TemplateLimitError(
            f"error calling {name}: {exc}",
            template_name=s.name,
            location=call_node.src.location(call_node.pos),
            node_text=str(call_node),
            cause=exc,
        ) from exc
    except RecursionError:
        raise _limit_error(s, call_node, f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})") from None
    except Exception as exc:
        s.fail(call_node, f"error calling {name}: {exc}", cause=exc)


def _and_or(s: State, dot: Any, is_or: bool, args: tuple[_Arg, ...] | list[_Arg], final: Any) -> Any:
    value: Any = MISSING
    for arg in args:
        value = arg.convert(s, dot, REFLECT_VALUE)
        if is_true(value) == is_or:
            return value
    if final is not _NO_FINAL:
        value = final
    return value


__all__ = [
    "DEFAULT_MAX_DEPTH",
    "GO_MAX_EXEC_DEPTH",
    "MISSINGKEY_MODES",
    "ExecLimits",
    "Lookup",
    "State",
    "compiled_tree",
    "execute_tree",
]
