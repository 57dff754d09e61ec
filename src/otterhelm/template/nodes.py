"""The parse tree of a template, mirroring Go's text/template/parse node types.

Every node knows its position (a character offset into the source text) and the source
it came from, so errors can report Go's `NAME:LINE:COL` (COL in bytes, as Go counts).
`str(node)` is Go's Node.String(); error messages quote it as `at <...>` and the ported
parse tests compare it. Text nodes print raw here; `tree_string(..., quote_text=True)`
prints them with Go's `%q` as parse_test.go does.
"""

from __future__ import annotations

from otterhelm.template.fmt import go_quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


class Source:
    """The text a tree was parsed from and the name used in error locations (Go's ParseName)."""

    __slots__ = ("parse_name", "text")

    def __init__(self, parse_name: str, text: str) -> None:
        self.parse_name = parse_name
        self.text = text

    def location(self, pos: int) -> str:
        """Go's ErrorContext location: `NAME:LINE:COL`, COL counted in bytes from the line start."""
        line_start = self.text.rfind("\n", 0, pos) + 1
        line = 1 + self.text.count("\n", 0, pos)
        column = len(self.text[line_start:pos].encode("utf-8", "surrogateescape"))
        return f"{self.parse_name}:{line}:{column}"


class Node:
    __slots__ = ("pos", "src")

    def __init__(self, pos: int, src: Source) -> None:
        self.pos = pos
        self.src = src

    def write(self, out: list[str], quote_text: bool) -> None:
        raise NotImplementedError

    def __str__(self) -> str:
        out: list[str] = []
        self.write(out, False)
        return "".join(out)


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos: int, src: Source, nodes: list[Node] | None = None) -> None:
        self.pos = pos
        self.src = src
        self.nodes = nodes if nodes is not None else []

    def write(self, out: list[str], quote_text: bool) -> None:
        for node in self.nodes:
            node.write(out, quote_text)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, src: Source, text: str = "") -> None:
        self.pos = pos
        self.src = src
        self.text = text

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(go_quote(self.text) if quote_text else self.text)


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, src: Source, text: str = "") -> None:
        self.pos = pos
        self.src = src
        self.text = text

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{" + self.text + "}}")


class VariableNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source, ident: list[str] | None = None) -> None:
        self.pos = pos
        self.src = src
        self.ident = ident if ident is not None else []

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(".".join(self.ident))


class PipeNode(Node):
    __slots__ = (
        "cmds",
        "decl",
        "is_assign",
        "line",
    )

    def __init__(
        self,
        pos: int,
        src: Source,
        line: int = 0,
        is_assign: bool = False,
        decl: list[VariableNode] | None = None,
        cmds: list[CommandNode] | None = None,
    ) -> None:
        self.pos = pos
        self.src = src
        self.line = line
        self.is_assign = is_assign
        self.decl = decl if decl is not None else []
        self.cmds = cmds if cmds is not None else []

    def write(self, out: list[str], quote_text: bool) -> None:
        if self.decl:
            out.append(", ".join(str(v) for v in self.decl))
            out.append(" = " if self.is_assign else " := ")
        for index, cmd in enumerate(self.cmds):
            if index > 0:
                out.append(" | ")
            cmd.write(out, quote_text)


class ActionNode(Node):
    __slots__ = (
        "line",
        "pipe",
    )

    def __init__(self, pos: int, src: Source, line: int = 0, pipe: PipeNode | None = None) -> None:
        self.pos = pos
        self.src = src
        self.line = line
        self.pipe = pipe

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{")
        assert self.pipe is not None
        self.pipe.write(out, quote_text)
        out.append("}}")


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int, src: Source, args: list[Node] | None = None) -> None:
        self.pos = pos
        self.src = src
        self.args = args if args is not None else []

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


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source, ident: str = "") -> None:
        self.pos = pos
        self.src = src
        self.ident = ident

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.ident)


class DotNode(Node):
    __slots__ = ()

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(".")


class NilNode(Node):
    __slots__ = ()

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("nil")


class FieldNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source, ident: list[str] | None = None) -> None:
        self.pos = pos
        self.src = src
        self.ident = ident if ident is not None else []

    def write(self, out: list[str], quote_text: bool) -> None:
        for name in self.ident:
            out.append("." + name)


class ChainNode(Node):
    __slots__ = (
        "fields",
        "node",
    )

    def __init__(
        self, pos: int, src: Source, node: Node | None = None, fields: list[str] | None = None
    ) -> None:
        self.pos = pos
        self.src = src
        self.node = node
        self.fields = fields if fields is not None else []

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


class BoolNode(Node):
    __slots__ = ("value",)

    def __init__(self, pos: int, src: Source, value: bool = False) -> None:
        self.pos = pos
        self.src = src
        self.value = value

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("true" if self.value else "false")


class NumberNode(Node):
    __slots__ = (
        "complex128",
        "float64",
        "int64",
        "is_complex",
        "is_float",
        "is_int",
        "is_uint",
        "text",
        "uint64",
    )

    def __init__(
        self,
        pos: int,
        src: Source,
        text: str = "",
        is_int: bool = False,
        is_uint: bool = False,
        is_float: bool = False,
        is_complex: bool = False,
        int64: int = 0,
        uint64: int = 0,
        float64: float = 0.0,
        complex128: complex = 0j,
    ) -> None:
        self.pos = pos
        self.src = src
        self.text = text
        self.is_int = is_int
        self.is_uint = is_uint
        self.is_float = is_float
        self.is_complex = is_complex
        self.int64 = int64
        self.uint64 = uint64
        self.float64 = float64
        self.complex128 = complex128

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.text)


class StringNode(Node):
    __slots__ = (
        "quoted",
        "text",
    )

    def __init__(self, pos: int, src: Source, quoted: str = "", text: str = "") -> None:
        self.pos = pos
        self.src = src
        self.quoted = quoted
        self.text = text

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append(self.quoted)


class EndNode(Node):
    __slots__ = ()

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{end}}")


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, src: Source, line: int = 0) -> None:
        self.pos = pos
        self.src = src
        self.line = line

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{else}}")


class BranchNode(Node):
    """The shared shape of if, range and with."""

    __slots__ = (
        "body",
        "else_list",
        "line",
        "pipe",
    )

    def __init__(
        self,
        pos: int,
        src: Source,
        line: int = 0,
        pipe: PipeNode | None = None,
        body: ListNode | None = None,
        else_list: ListNode | None = None,
    ) -> None:
        self.pos = pos
        self.src = src
        self.line = line
        self.pipe = pipe
        self.body = body
        self.else_list = else_list

    keyword: ClassVar[str] = ""

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


class IfNode(BranchNode):
    __slots__ = ()

    keyword: ClassVar[str] = "if"


class RangeNode(BranchNode):
    __slots__ = ()

    keyword: ClassVar[str] = "range"


class WithNode(BranchNode):
    __slots__ = ()

    keyword: ClassVar[str] = "with"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, src: Source, line: int = 0) -> None:
        self.pos = pos
        self.src = src
        self.line = line

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{break}}")


class ContinueNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, src: Source, line: int = 0) -> None:
        self.pos = pos
        self.src = src
        self.line = line

    def write(self, out: list[str], quote_text: bool) -> None:
        out.append("{{continue}}")


class TemplateNode(Node):
    __slots__ = (
        "line",
        "name",
        "pipe",
    )

    def __init__(
        self, pos: int, src: Source, line: int = 0, name: str = "", pipe: PipeNode | None = None
    ) -> None:
        self.pos = pos
        self.src = src
        self.line = line
        self.name = name
        self.pipe = pipe

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


# unicode.IsSpace, which bytes.TrimSpace uses.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)


def is_empty_tree(node: Node | None) -> bool:
    """Go's parse.IsEmptyTree: nothing but whitespace text (decides define precedence)."""
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(child) for child in node.nodes)
    if isinstance(node, TextNode):
        return node.text.strip(_GO_SPACE) == ""
    return bool(isinstance(node, CommentNode))


def walk_nodes(root: Node) -> list[Node]:
    """Every node under `root` (itself first), depth first in source order: the numbering
    generated code uses to name a node without holding it."""
    found: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        found.append(node)
        children: list[Node | None]
        if isinstance(node, ListNode):
            children = list(node.nodes)
        elif isinstance(node, (ActionNode, TemplateNode)):
            children = [node.pipe]
        elif isinstance(node, PipeNode):
            children = [*node.decl, *node.cmds]
        elif isinstance(node, CommandNode):
            children = list(node.args)
        elif isinstance(node, ChainNode):
            children = [node.node]
        elif isinstance(node, BranchNode):
            children = [node.pipe, node.body, node.else_list]
        else:
            continue
        stack.extend(child for child in reversed(children) if child is not None)
    return found
