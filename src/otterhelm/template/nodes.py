"""The parse tree of a template, mirroring Go's text/template/parse node types.

Every node knows its position (a character offset into the source text) and the source
it came from, so errors can report Go's `NAME:LINE:COL` (COL in bytes, as Go counts).
`str(node)` is Go's Node.String(); error messages quote it as `at <...>` and the ported
parse tests compare it. Text nodes print raw here; `tree_string(..., quote_text=True)`
prints them with Go's `%q` as parse_test.go does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from otterhelm.template.fmt import go_quote


@dataclass(frozen=True, slots=True)
class Source:
    """The text a tree was parsed from and the name used in error locations (Go's ParseName)."""

    parse_name: str
    text: str

    def location(self, pos: int) -> str:
        """Go's ErrorContext location: `NAME:LINE:COL`, COL counted in bytes from the line start."""
        line_start = self.text.rfind("\n", 0, pos) + 1
        line = 1 + self.text.count("\n", 0, pos)
        column = len(self.text[line_start:pos].encode("utf-8", "surrogateescape"))
        return f"{self.parse_name}:{line}:{column}"


@dataclass(eq=False, slots=True)
class Node:
    pos: int
    src: Source

    def write(self, out: list[str], quote_text: bool) -> None:
        raise NotImplementedError

    def __str__(self) -> str:
        out: list[str] = []
        self.write(out, False)
        return "".join(out)


@dataclass(eq=False, slots=True)
class ListNode(Node):
    nodes: list[Node] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        for node in self.nodes:
            node.write(out, quote_text)


@dataclass(eq=False, slots=True)
class TextNode(Node):
    text: str = ""

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(go_quote(self.text) if quote_text else self.text)


@dataclass(eq=False, slots=True)
class CommentNode(Node):
    text: str = ""

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{" + self.text + "}}")


@dataclass(eq=False, slots=True)
class VariableNode(Node):
    ident: list[str] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(".".join(self.ident))


@dataclass(eq=False, slots=True)
class PipeNode(Node):
    line: int = 0
    is_assign: bool = False
    decl: list[VariableNode] = field(default_factory=list)
    cmds: list[CommandNode] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        if self.decl:
            out.append(", ".join(str(v) for v in self.decl))
            out.append(" = " if self.is_assign else " := ")
        for index, cmd in enumerate(self.cmds):
            if index > 0:
                out.append(" | ")
            cmd.write(out, quote_text)


@dataclass(eq=False, slots=True)
class ActionNode(Node):
    line: int = 0
    pipe: PipeNode | None = None

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{")
        assert self.pipe is not None
        self.pipe.write(out, quote_text)
        out.append("}}")


@dataclass(eq=False, slots=True)
class CommandNode(Node):
    args: list[Node] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        for index, arg in enumerate(self.args):
            if index > 0:
                out.append(" ")
            if isinstance(arg, PipeNode):
                out.append("(")
                arg.write(out, quote_text)
                out.append(")")
            else:
                arg.write(out, quote_text)


@dataclass(eq=False, slots=True)
class IdentifierNode(Node):
    ident: str = ""

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.ident)


@dataclass(eq=False, slots=True)
class DotNode(Node):
    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(".")


@dataclass(eq=False, slots=True)
class NilNode(Node):
    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("nil")


@dataclass(eq=False, slots=True)
class FieldNode(Node):
    ident: list[str] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        for name in self.ident:
            out.append("." + name)


@dataclass(eq=False, slots=True)
class ChainNode(Node):
    node: Node | None = None
    fields: list[str] = field(default_factory=list)

    def write(self, out: list[str], quote_text: bool) -> None:
        assert self.node is not None
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write(out, quote_text)
            out.append(")")
        else:
            self.node.write(out, quote_text)
        for name in self.fields:
            out.append("." + name)


@dataclass(eq=False, slots=True)
class BoolNode(Node):
    value: bool = False

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("true" if self.value else "false")


@dataclass(eq=False, slots=True)
class NumberNode(Node):
    text: str = ""
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.text)


@dataclass(eq=False, slots=True)
class StringNode(Node):
    quoted: str = ""
    text: str = ""

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.quoted)


@dataclass(eq=False, slots=True)
class EndNode(Node):
    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{end}}")


@dataclass(eq=False, slots=True)
class ElseNode(Node):
    line: int = 0

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{else}}")


@dataclass(eq=False, slots=True)
class BranchNode(Node):
    """The shared shape of if, range and with."""

    line: int = 0
    pipe: PipeNode | None = None
    body: ListNode | None = None
    else_list: ListNode | None = None
    keyword = ""

    def write(self, out: list[str], quote_text: bool) -> None:
        assert self.pipe is not None and self.body is not None
        out.append("{{" + self.keyword + " ")
        self.pipe.write(out, quote_text)
        out.append("}}")
        self.body.write(out, quote_text)
        if self.else_list is not None:
            out.append("{{else}}")
            self.else_list.write(out, quote_text)
        out.append("{{end}}")


@dataclass(eq=False, slots=True)
class IfNode(BranchNode):
    keyword = "if"


@dataclass(eq=False, slots=True)
class RangeNode(BranchNode):
    keyword = "range"


@dataclass(eq=False, slots=True)
class WithNode(BranchNode):
    keyword = "with"


@dataclass(eq=False, slots=True)
class BreakNode(Node):
    line: int = 0

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{break}}")


@dataclass(eq=False, slots=True)
class ContinueNode(Node):
    line: int = 0

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{continue}}")


@dataclass(eq=False, slots=True)
class TemplateNode(Node):
    line: int = 0
    name: str = ""
    pipe: PipeNode | None = None

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{template " + go_quote(self.name))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write(out, quote_text)
        out.append("}}")


def tree_string(root: Node, quote_text: bool = False) -> str:
    """Go's Tree.Root.String(); with quote_text, text nodes print as `%q` (parse_test.go)."""
    out: list[str] = []
    root.write(out, quote_text)
    return "".join(out)


def is_empty_tree(node: Node | None) -> bool:
    """Go's parse.IsEmptyTree: nothing but whitespace text (decides define precedence)."""
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(child) for child in node.nodes)
    if isinstance(node, TextNode):
        return node.text.strip(" \t\n\r\v\f\x85\xa0") == ""
    return bool(isinstance(node, CommentNode))
