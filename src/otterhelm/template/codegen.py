"""Python source generated from a parse tree, compiled to a code object.

A tree becomes a module: `run(s, dot)` executes the template's statements, and one
function `(s, dot, final)` per argument that is a pipeline, a function or a chain
evaluates that argument. Statements become Python statements (text appends, `if`,
`for`, `break`, `continue`); a call site's arguments are a constant tuple of exec.Arg;
everything else calls the runtime helpers of otterhelm.template.exec (field chains,
calls, range, template calls), which hold each behaviour once. The code object is
marshaled into the tree cache, so a process running a cached template loads its code
and runs it: it neither parses, unpickles nor generates anything, and the module it
runs creates nothing but its functions.

The generated code holds no function of a render (functions are looked up by name on
each call, as Helm binds include and tpl per render) and no node: a node is named by its
index in nodes.walk_nodes order and resolved only to report an error.

Every tree runs as generated code, including the small ones `tpl` parses at run time:
generating and compiling a short text costs a fraction of a millisecond once, and its
code is cached with its tree like any other.
"""

from __future__ import annotations

from otterhelm.template.exec import (
    ARG_BOOL,
    ARG_DOT,
    ARG_DYNAMIC,
    ARG_FIELD,
    ARG_NIL,
    ARG_NUMBER,
    ARG_OTHER,
    ARG_STRING,
    ARG_VARIABLE,
    IFACE_NO,
    IFACE_OF_DOT,
    IFACE_YES,
    number_literal,
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
    walk_nodes,
)
from otterhelm.template.tree import TreeCode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

# Bodies nested deeper than this (indentation levels, loops) go to a function of their
# own: CPython allows 100 indentation levels and 20 nested loops in one function.
_MAX_INDENT: Final = 40
_MAX_LOOPS: Final = 12
# What every function running statements starts with.
_PROLOGUE: Final = ("v = s.vars", "o = s.out.append", "e = s.out.extend")
# How code reads whether a field chain's first receiver is an interface value.
_IFACE_CODE: Final = {IFACE_NO: "False", IFACE_YES: "True", IFACE_OF_DOT: "s.dot_iface"}
# What a split-off body returns to the loop around its call: {{break}} or {{continue}}.
_BREAK, _CONTINUE = 1, 2


def compile_tree(name: str, root: ListNode) -> TreeCode:
    """The code object of the module generated for a tree, and its constants table."""
    source, constants = generate(root)
    return compile(source, f"<template {name}>", "exec"), constants


def generate(root: ListNode) -> tuple[str, tuple[Any, ...]]:
    """The Python source of the module for a tree rooted at `root`, and the table of
    constants (`K`) it reads."""
    generator = _Generator(root)
    return generator.module(), tuple(generator.constants)


class _Function:
    """One generated function being written."""

    def __init__(self, header: str, prologue: tuple[str, ...]) -> None:
        self.lines = [header, *("    " + line for line in prologue)]
        self.indent = 1
        self.loops = 0  # loops of this function around the current point
        self.temps = 0  # locals x1..x<temps> are in use
        # Output not appended yet: texts, and the printed value of the last action.
        self.pending: list[str] = []
        self.pending_value = False


class _Generator:
    def __init__(self, root: ListNode) -> None:
        self.root = root
        self.index = {id(node): i for i, node in reversed(list(enumerate(walk_nodes(root))))}
        self.scope: list[tuple[str, int]] = [("$", 0)]
        self.next_slot = 1
        self.max_slots = 1
        # Slots holding a range element: Go keeps those as interface values, which shows
        # in errors ("can't evaluate field x in type interface {}").
        self.element_slots: set[int] = set()
        self.functions: list[_Function] = []
        self.done: list[str] = []
        self.names = 0
        self.loops = 0  # loops around the current point, in any function
        # Tuples the code reads as K[i]: kept out of the source, since CPython's compiler
        # spends about half its time on such literals (argument tables, field names).
        self.constants: list[Any] = []
        self.constant_index: dict[str, int] = {}

    # -- output -----------------------------------------------------------------------

    def module(self) -> str:
        self.begin("def run(s, dot):", _PROLOGUE)
        self.body(self.root, "dot")
        self.end()
        return "\n".join([*self.done, f"SLOTS = {self.max_slots}", ""])

    def begin(self, header: str, prologue: tuple[str, ...]) -> None:
        self.functions.append(_Function(header, prologue))

    def end(self) -> None:
        function = self.functions.pop()
        self.done.append("\n".join(function.lines) + "\n")

    @property
    def fn(self) -> _Function:
        return self.functions[-1]

    def emit(self, line: str) -> None:
        self.fn.lines.append("    " * self.fn.indent + line)

    def constant(self, value: tuple[Any, ...]) -> str:
        """Code reading a constant tuple from the module's table."""
        if not value:
            return "()"
        key = repr(value)  # not the value: 1, 1.0 and True are equal keys
        index = self.constant_index.get(key)
        if index is None:
            index = self.constant_index[key] = len(self.constants)
            self.constants.append(value)
        return f"K[{index}]"

    def fresh(self) -> str:
        """A local of the current function, unused until the current statement ends:
        locals are reused from one statement to the next, since CPython's compiler
        takes time quadratic in a function's locals."""
        fn = self.fn
        fn.temps += 1
        return f"x{fn.temps}"

    def global_name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def at(self, node: Node) -> int:
        return self.index[id(node)]

    def fail(self, node: Node, detail: str) -> str:
        """Code raising an execution error at `node`; the name it assigns is never read."""
        name = self.fresh()
        self.emit(f"{name} = s.fail({self.at(node)}, {_literal(detail)})")
        return name

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

    # -- statements -------------------------------------------------------------------

    def body(self, node: ListNode, dot: str) -> None:
        """The statements of a list, in line or (when nested deep) in a function of their own."""
        fn = self.fn
        if fn.indent < _MAX_INDENT and fn.loops < _MAX_LOOPS:
            before = len(fn.lines)
            for child in node.nodes:
                self.stmt(child, dot)
            self.flush()
            if len(fn.lines) == before:
                self.emit("pass")
            return
        name = self.global_name("body")
        self.begin(f"def {name}(s, dot):", _PROLOGUE)
        self.body(node, "dot")
        self.end()
        if not self.loops:
            self.emit(f"{name}(s, {dot})")
            return
        status = self.fresh()
        self.emit(f"{status} = {name}(s, {dot})")
        if self.fn.loops:
            self.emit(f"if {status} == {_BREAK}:")
            self.emit("    break")
            self.emit(f"if {status} == {_CONTINUE}:")
            self.emit("    continue")
        else:
            self.emit(f"if {status}:")
            self.emit(f"    return {status}")

    def stmt(self, node: Node, dot: str) -> None:
        """A statement's code. Output is appended in batches: a text waits for what
        follows, and an action's printed value is appended with the texts around it once
        its pipeline is evaluated (pipelines cannot write output)."""
        fn = self.fn
        temps = fn.temps
        if isinstance(node, TextNode):
            fn.pending.append(_literal(node.text))
        elif isinstance(node, ActionNode) and node.pipe is not None and not node.pipe.decl:
            if fn.pending_value:
                self.flush()  # its pipeline may reuse the name the pending value is in
            value = self.pipeline(node.pipe, dot, nil_is_missing=False)
            fn.pending.append(f"PV(s, {self.at(node)}, {value})")
            fn.pending_value = True
        elif not isinstance(node, CommentNode):
            self.flush()
            self.statement(node, dot)
        fn.temps = temps

    def flush(self) -> None:
        """Append the pending output."""
        fn = self.fn
        if len(fn.pending) == 1:
            self.emit(f"o({fn.pending[0]})")
        elif fn.pending:
            self.emit(f"e(({', '.join(fn.pending)}))")
        fn.pending = []
        fn.pending_value = False

    def statement(self, node: Node, dot: str) -> None:
        if isinstance(node, ActionNode):
            self.declaration(node, dot)
        elif isinstance(node, IfNode):
            self.if_or_with(node, dot, with_=False)
        elif isinstance(node, WithNode):
            self.if_or_with(node, dot, with_=True)
        elif isinstance(node, RangeNode):
            self.range(node, dot)
        elif isinstance(node, TemplateNode):
            self.template(node, dot)
        elif isinstance(node, ListNode):
            for child in node.nodes:
                self.stmt(child, dot)
        elif isinstance(node, (BreakNode, ContinueNode)):
            status = _BREAK if isinstance(node, BreakNode) else _CONTINUE
            if self.fn.loops:
                self.emit("break" if status == _BREAK else "continue")
            else:
                self.emit(f"return {status}")
        else:
            raise AssertionError(f"unknown node: {node}")

    def declaration(self, node: ActionNode, dot: str) -> None:
        """An action that declares or assigns variables (and prints nothing)."""
        assert node.pipe is not None and node.pipe.decl
        self.pipeline(node.pipe, dot)

    def if_or_with(self, node: BranchNode, dot: str, with_: bool) -> None:
        assert node.pipe is not None and node.body is not None
        # The pipeline's declarations (and, as in Go's parser, the body's) stay in scope
        # for the else branch; all of them end with the control.
        mark = self.mark()
        # Only a true value becomes dot, and nil is as false as missing.
        value = self.pipeline(node.pipe, dot, nil_is_missing=False)
        self.emit(f"if T({value}):")
        self.fn.indent += 1
        if with_:
            saved = self.fresh()
            self.emit(f"{saved} = s.dot_iface")
            self.emit("s.dot_iface = False")
            self.body(node.body, value)
            self.emit(f"s.dot_iface = {saved}")
        else:
            self.body(node.body, dot)
        self.fn.indent -= 1
        if node.else_list is not None:
            self.emit("else:")
            self.fn.indent += 1
            self.body(node.else_list, dot)
            self.fn.indent -= 1
        self.pop(mark)

    def range(self, node: RangeNode, dot: str) -> None:
        # A {{break}} or {{continue}} leaves the body without restoring what a `with`
        # inside it changed: the loop sets s.dot_iface for each element and restores it
        # after the last.
        assert node.pipe is not None and node.body is not None
        mark = self.mark()
        pipe = node.pipe
        value = self.pipeline(pipe, dot, nil_is_missing=False)  # nothing to range over either way
        slots = [self.resolve(v.ident[0]) for v in pipe.decl]
        index_slot: int | None = None
        elem_slot: int | None = None
        if len(slots) == 1:
            elem_slot = slots[0]
        elif len(slots) == 2:
            index_slot, elem_slot = slots
        element_slot = elem_slot if not pipe.is_assign else None
        items, iface, saved, ran = (
            self.fresh(),
            self.fresh(),
            self.fresh(),
            self.fresh(),
        )
        key, elem = self.fresh(), self.fresh()
        two_vars = len(pipe.decl) > 1
        self.emit(f"{items}, {iface} = RI(s, {value}, {two_vars}, {self.at(last_evaluated(pipe))})")
        self.emit(f"{saved} = s.dot_iface")
        self.emit(f"{ran} = False")
        self.emit(f"for {key}, {elem} in {items}:")
        fn = self.fn
        fn.indent += 1
        fn.loops += 1
        self.loops += 1
        self.emit(f"{ran} = True")
        if index_slot is not None:
            self.emit(f"v[{index_slot}] = {key}")
        if elem_slot is not None:
            self.emit(f"v[{elem_slot}] = {elem}")
        self.emit("s.steps += 1")
        self.emit(f"if s.steps > s.next_check: s.check_budget({self.at(node)})")
        self.emit(f"s.dot_iface = {iface}")
        if element_slot is not None:
            self.element_slots.add(element_slot)
        self.body(node.body, elem)
        if element_slot is not None:
            self.element_slots.discard(element_slot)
        self.loops -= 1
        fn.loops -= 1
        fn.indent -= 1
        self.emit(f"s.dot_iface = {saved}")
        if node.else_list is not None:
            self.emit(f"if not {ran}:")
            fn.indent += 1
            self.body(node.else_list, dot)
            fn.indent -= 1
        self.pop(mark)

    def template(self, node: TemplateNode, dot: str) -> None:
        tree = self.fresh()
        at = self.at(node)
        self.emit(f"{tree} = TL(s, {_literal(node.name)}, {at})")
        value = self.pipeline(node.pipe, dot) if node.pipe is not None else "MISSING"
        self.emit(f"TC(s, {tree}, {_literal(node.name)}, {at}, {value})")

    # -- pipelines and commands -------------------------------------------------------

    def pipeline(self, pipe: PipeNode, dot: str, nil_is_missing: bool = True) -> str:
        """Code evaluating a pipeline; returns the name holding its value. A nil result
        is the missing value (Go's invalid reflect.Value); `nil_is_missing=False` leaves
        a final nil as it is for a caller to which both are the same (a condition, a
        printed action: PV prints nil as missing)."""
        value: str | None = None
        for index, cmd in enumerate(pipe.cmds):
            missing = nil_is_missing or bool(pipe.decl) or index < len(pipe.cmds) - 1
            value, converted = self.command(cmd, dot, value, missing)
            if missing and not converted:
                self.emit(f"if {value} is None: {value} = MISSING")
        if value is None:
            value = self.fresh()
            self.emit(f"{value} = NF")
        # Declarations become visible after the pipeline (as in Go, where variables are
        # pushed after evaluation).
        if pipe.decl:
            if pipe.is_assign:
                targets = [(v, self.resolve(v.ident[0])) for v in pipe.decl]
            else:
                targets = [(v, self.declare(v.ident[0])) for v in pipe.decl]
            undefined = next((v for v, slot in targets if slot is None), None)
            if undefined is not None:
                self.fail(last_evaluated(pipe), f"undefined variable: {undefined.ident[0]}")
            else:
                for _, slot in targets:
                    self.emit(f"v[{slot}] = {value}")
        return value

    def command(self, cmd: CommandNode, dot: str, final: str | None, missing: bool) -> tuple[str, bool]:
        """Code evaluating a command with the value piped into it (None: nothing piped);
        returns the name holding its value and whether a nil value was made missing
        (which `missing` asks for, where the code can do it at no cost)."""
        first = cmd.args[0]
        args = cmd.args
        if isinstance(first, FieldNode):
            return self.field_chain(first, dot, IFACE_OF_DOT, first.ident, args, dot, final, missing)
        if isinstance(first, ChainNode):
            return self.chain(first, args, dot, final, missing)
        if isinstance(first, IdentifierNode):
            return self.function(first, cmd, args, dot, final, missing)
        if isinstance(first, VariableNode):
            return self.variable(first, args, dot, final, missing)
        # A term that is not a function must stand alone.
        where: Node = cmd if isinstance(first, PipeNode) else first
        if len(args) > 1 or final is not None:
            return self.fail(where, f"can't give argument to non-function {args[0]}"), False
        value = self.fresh()
        if isinstance(first, PipeNode):
            inner = self.pipeline(first, dot)
            self.emit(f"{value} = {inner}")
        elif isinstance(first, DotNode):
            self.emit(f"{value} = {dot}")
        elif isinstance(first, NilNode):
            return self.fail(first, "nil is not a command"), False
        elif isinstance(first, NumberNode):
            self.emit(f"{value} = IDEAL(s, {self.at(first)}, {self.constant(_number(first))})")
        elif isinstance(first, BoolNode):
            self.emit(f"{value} = {first.value!r}")
        elif isinstance(first, StringNode):
            self.emit(f"{value} = {_literal(first.text)}")
        else:
            raise AssertionError(f"can't evaluate command {first}")
        return value, False

    def variable(
        self, node: VariableNode, args: list[Node] | None, dot: str, final: str | None, missing: bool
    ) -> tuple[str, bool]:
        name = node.ident[0]
        slot = self.resolve(name)
        fields = node.ident[1:]
        if not fields:
            if args is not None and (len(args) > 1 or final is not None):
                return self.fail(node, f"can't give argument to non-function {args[0]}"), False
            if slot is None:
                return self.fail(node, f"undefined variable: {name}"), False
            value = self.fresh()
            self.emit(f"{value} = v[{slot}]")
            return value, False
        if slot is None:
            return self.fail(node, f"undefined variable: {name}"), False
        iface = IFACE_YES if slot in self.element_slots else IFACE_NO
        return self.field_chain(node, f"v[{slot}]", iface, fields, args, dot, final, missing)

    def chain(
        self, node: ChainNode, args: list[Node] | None, dot: str, final: str | None, missing: bool
    ) -> tuple[str, bool]:
        assert node.node is not None
        if isinstance(node.node, NilNode):
            return self.fail(node, f"indirection through explicit nil in {node}"), False
        # A pipeline's nil is already the missing value here.
        receiver = self.evaluate(node.node, dot)
        return self.field_chain(node, receiver, IFACE_NO, node.fields, args, dot, final, missing)

    def field_chain(
        self,
        node: Node,
        receiver: str,
        iface: int,
        fields: list[str],
        args: list[Node] | None,
        dot: str,
        final: str | None,
        missing: bool = False,
    ) -> tuple[str, bool]:
        """Go's evalFieldChain: every field but the last is read without arguments; the
        last one receives the command's arguments (and may be a method)."""
        at = self.at(node)
        call_args = args[1:] if args is not None else []
        table = self.arguments(call_args)
        # The last field gets the arguments, if any; the others are read plainly.
        plain = fields if not call_args and final is None else fields[:-1]
        whole = len(plain) == len(fields)
        value = self.fresh()
        if plain:
            chain = (at, tuple(plain), iface, missing and whole)
            self.emit(f"{value} = FC(s, {self.constant(chain)}, {receiver}, {dot})")
        else:
            self.emit(f"{value} = {receiver}")
        if whole:
            return value, missing
        iface_now = "True" if plain else _IFACE_CODE[iface]
        self.emit(
            f"{value} = EF(s, {at}, {_literal(fields[-1])}, {value}, {iface_now}, {self.constant(table)}, "
            f"{final or 'NF'}, {dot}, {bool(call_args)})"
        )
        return value, False

    def function(
        self,
        ident: IdentifierNode,
        cmd: CommandNode | None,
        args: list[Node] | None,
        dot: str,
        final: str | None,
        missing: bool = False,
    ) -> tuple[str, bool]:
        at = self.at(ident)
        call_at = self.at(cmd if cmd is not None else ident)
        table = self.arguments(args[1:] if args is not None else [])
        site = self.constant((ident.ident, at, call_at, table, missing))
        value = self.fresh()
        self.emit(f"{value} = CALL(s, {dot}, {site}, {final or 'NF'})")
        return value, missing

    def evaluate(self, node: Node, dot: str) -> str:
        """Code evaluating an operand the way a dynamic argument is evaluated."""
        if isinstance(node, DotNode):
            value = self.fresh()
            self.emit(f"{value} = {dot}")
            return value
        if isinstance(node, FieldNode):
            return self.field_chain(node, dot, IFACE_OF_DOT, node.ident, [node], dot, None)[0]
        if isinstance(node, VariableNode):
            return self.variable(node, None, dot, None, False)[0]
        if isinstance(node, PipeNode):
            return self.pipeline(node, dot)
        if isinstance(node, IdentifierNode):
            return self.function(node, None, None, dot, None)[0]
        if isinstance(node, ChainNode):
            return self.chain(node, None, dot, None, False)[0]
        self.emit('raise AssertionError("literal arguments are converted, not evaluated")')
        value = self.fresh()
        self.emit(f"{value} = None")
        return value

    # -- arguments --------------------------------------------------------------------

    def arguments(self, nodes: list[Node]) -> tuple[tuple[Any, ...], ...]:
        """The exec.Arg of each argument."""
        return tuple(self.argument(node) for node in nodes)

    def argument(self, node: Node) -> tuple[Any, ...]:
        at, last = self.at(node), self.at(last_evaluated(node))
        if isinstance(node, DotNode):
            return (ARG_DOT, at, last, None, None)
        if isinstance(node, NilNode):
            return (ARG_NIL, at, last, None, None)
        if isinstance(node, FieldNode):
            return (ARG_FIELD, at, last, (at, tuple(node.ident), IFACE_OF_DOT, False), None)
        slot = self.resolve(node.ident[0]) if isinstance(node, VariableNode) else None
        if isinstance(node, VariableNode) and slot is not None:
            iface = IFACE_YES if slot in self.element_slots else IFACE_NO
            chain = (at, tuple(node.ident[1:]), iface, False) if len(node.ident) > 1 else None
            return (ARG_VARIABLE, at, last, (slot, chain), None)
        if isinstance(node, (VariableNode, PipeNode, IdentifierNode, ChainNode)):
            name = self.global_name("arg")
            self.begin(f"def {name}(s, dot, final):", ("v = s.vars",))
            value = self.evaluate(node, "dot")
            self.emit(f"return {value}")
            self.end()
            return (ARG_DYNAMIC, at, last, None, name)
        if isinstance(node, BoolNode):
            return (ARG_BOOL, at, last, node.value, None)
        if isinstance(node, NumberNode):
            return (ARG_NUMBER, at, last, _number(node), None)
        if isinstance(node, StringNode):
            return (ARG_STRING, at, last, node.text, None)
        return (ARG_OTHER, at, last, None, None)


def last_evaluated(node: Node) -> Node:
    """The node Go's executor last marked (`s.at`) while evaluating `node`: errors raised
    right after an evaluation (a value range cannot iterate, an argument of the wrong
    type) are reported there. Short-circuiting and/or are taken as evaluating every
    argument."""
    while True:
        if isinstance(node, PipeNode):
            if not node.cmds:
                return node
            node = node.cmds[-1]
        elif isinstance(node, CommandNode):
            first = node.args[0]
            if len(node.args) > 1 and isinstance(first, (IdentifierNode, FieldNode, VariableNode, ChainNode)):
                node = node.args[-1]
            else:
                node = first
        elif isinstance(node, ChainNode) and node.node is not None:
            node = node.node
        else:
            return node


def _number(node: NumberNode) -> tuple[Any, ...]:
    return number_literal(
        node.text,
        (node.is_int, node.is_uint, node.is_float, node.is_complex),
        (node.int64, node.uint64, node.float64, node.complex128),
    )


def _literal(text: str) -> str:
    """Python source for a string constant."""
    return repr(text)
