"""Parser from tokens to the node tree, following text/template/parse/parse.go.

`parse_text(name, text, funcs)` returns every tree the text defines (the top-level one
under `name`, plus each `define`/`block`) with Go's checks and messages: undefined
variables and functions, `{{break}}` outside range, empty pipelines, `multiple definition
of template`, and errors formatted `template: NAME:LINE: message`.
"""

from __future__ import annotations

from collections.abc import Callable

from otterhelm.template.errors import TemplateParseError
from otterhelm.template.fmt import go_quote
from otterhelm.template.gcpause import collector_paused
from otterhelm.template.lexer import Item, Lexer, Token
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
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    Source,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
    is_empty_tree,
)
from otterhelm.template.strconv import StrconvError, parse_float, parse_int, parse_uint, unquote, unquote_char
from otterhelm.template.tree import Tree as Tree  # re-exported: the parser makes them

_SPACE = Item.SPACE

# Go's production limit on nested parentheses; parse_test.go lowers it to 3.
MAX_STACK_DEPTH = 10000


class _Abort(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Stream:
    __slots__ = ("index", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def next_item(self) -> Token:
        # The last token (EOF or an error) repeats, as Go's closed item channel would end.
        index = self.index
        tokens = self.tokens
        if index < len(tokens) - 1:
            self.index = index + 1
        return tokens[index]


class _TreeParser:
    """Parsing state of one tree; define/block bodies get their own, sharing the stream."""

    __slots__ = (
        "action_line",
        "has_function",
        "max_depth",
        "name",
        "peek_count",
        "range_depth",
        "root",
        "source",
        "stack_depth",
        "stream",
        "token",
        "tree_set",
        "vars",
    )

    def __init__(
        self,
        name: str,
        source: Source,
        stream: _Stream,
        has_function: Callable[[str], bool],
        tree_set: dict[str, Tree],
        max_depth: int,
    ) -> None:
        self.name = name
        self.source = source
        self.stream = stream
        self.has_function = has_function
        self.tree_set = tree_set
        self.max_depth = max_depth
        self.root: ListNode | None = None
        self.token: list[Token] = []
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    # -- token buffer, exactly as Go's three-token lookahead --------------------------

    def next(self) -> Token:
        count = self.peek_count
        if count > 0:
            count -= 1
            self.peek_count = count
            return self.token[count]
        stream = self.stream
        index = stream.index
        tokens = stream.tokens
        if index < len(tokens) - 1:
            stream.index = index + 1
        token = tokens[index]
        self.token[0] = token
        return token

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Token) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Token, t1: Token) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Token:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.stream.next_item()
        return self.token[0]

    def next_non_space(self) -> Token:
        token = self.next()
        while token.typ is _SPACE:
            token = self.next()
        return token

    def peek_non_space(self) -> Token:
        token = self.next()
        while token.typ is _SPACE:
            token = self.next()
        self.peek_count += 1
        return token

    # -- errors -----------------------------------------------------------------------

    def errorf(self, message: str) -> None:
        self.root = None
        raise _Abort(f"template: {self.source.parse_name}:{self.token[0].line}: {message}")

    def expect(self, expected: Item, context: str) -> Token:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, first: Item, second: Item, context: str) -> Token:
        token = self.next_non_space()
        if token.typ not in (first, second):
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Token, context: str) -> None:
        if token.typ == Item.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.source.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token.describe()}{extra}")
        self.errorf(f"unexpected {token.describe()} in {context}")

    # -- subtrees ---------------------------------------------------------------------

    def child(self, name: str) -> _TreeParser:
        sub = _TreeParser(name, self.source, self.stream, self.has_function, self.tree_set, self.max_depth)
        sub.token = [self.token[0], self.token[0], self.token[0]]
        return sub

    def add(self) -> None:
        existing = self.tree_set.get(self.name)
        if existing is None or is_empty_tree(existing.root):
            self.tree_set[self.name] = Tree(self.name, self.source, self.root)
            return
        if not is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {_q(self.name)}")

    # -- grammar ----------------------------------------------------------------------

    def parse(self) -> None:
        self.root = ListNode(self.peek().pos, self.source)
        while self.peek().typ != Item.EOF:
            if self.peek().typ == Item.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == Item.DEFINE:
                    sub = self.child("definition")
                    sub.parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                self.errorf(f"unexpected {node}")
            assert self.root is not None
            self.root.nodes.append(node)

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(Item.STRING, Item.RAW_STRING, context)
        self.name = self.unquote(name.val)
        self.expect(Item.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        node_list = ListNode(self.peek_non_space().pos, self.source)
        while self.peek_non_space().typ != Item.EOF:
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return node_list, node
            node_list.nodes.append(node)
        self.errorf("unexpected EOF")
        raise AssertionError("unreachable")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == Item.TEXT:
            return TextNode(token.pos, self.source, token.val)
        if token.typ == Item.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ == Item.COMMENT:
            return CommentNode(token.pos, self.source, token.val)
        self.unexpected(token, "input")
        raise AssertionError("unreachable")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == Item.BLOCK:
            return self.block_control()
        if typ == Item.BREAK:
            return self.loop_control(token, "{{break}}")
        if typ == Item.CONTINUE:
            return self.loop_control(token, "{{continue}}")
        if typ == Item.ELSE:
            return self.else_control()
        if typ == Item.END:
            return EndNode(self.expect(Item.RIGHT_DELIM, "end").pos, self.source)
        if typ == Item.IF:
            return self.branch(IfNode, "if")
        if typ == Item.RANGE:
            return self.branch(RangeNode, "range")
        if typ == Item.TEMPLATE:
            return self.template_control()
        if typ == Item.WITH:
            return self.branch(WithNode, "with")
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, self.source, token.line, self.pipeline("command", Item.RIGHT_DELIM))

    def loop_control(self, keyword: Token, context: str) -> Node:
        token = self.next_non_space()
        if token.typ != Item.RIGHT_DELIM:
            self.unexpected(token, context)
        if self.range_depth == 0:
            self.errorf(f"{context} outside {{{{range}}}}")
        if keyword.typ == Item.BREAK:
            return BreakNode(keyword.pos, self.source, keyword.line)
        return ContinueNode(keyword.pos, self.source, keyword.line)

    def pipeline(self, context: str, end: Item) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, self.source, token.line)
        while True:  # the "decls" label of Go's parser
            variable = self.peek_non_space()
            if variable.typ != Item.VARIABLE:
                break
            self.next()
            token_after = self.peek()
            following = self.peek_non_space()
            if following.typ in (Item.ASSIGN, Item.DECLARE):
                pipe.is_assign = following.typ == Item.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, self.source, variable.val.split(".")))
                self.vars.append(variable.val)
            elif following.typ == Item.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, self.source, variable.val.split(".")))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (Item.VARIABLE, Item.RIGHT_DELIM, Item.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after.typ == Item.SPACE:
                self.backup3(variable, token_after)
            else:
                self.backup2(variable)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for index, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {index + 2}")

    def parse_control(self, context: str) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, Item.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(following, ElseNode):
                if context == "if" and self.peek().typ == Item.IF:
                    self.next()
                    else_list = ListNode(following.pos, self.source)
                    else_list.nodes.append(self.branch(IfNode, "if"))
                elif context == "with" and self.peek().typ == Item.WITH:
                    self.next()
                    else_list = ListNode(following.pos, self.source)
                    else_list.nodes.append(self.branch(WithNode, "with"))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, EndNode):
                        self.errorf(f"expected end; found {following}")
            return pipe.pos, pipe.line, pipe, body, else_list
        finally:
            del self.vars[mark:]

    def branch(self, kind: type[BranchNode], context: str) -> BranchNode:
        pos, line, pipe, body, else_list = self.parse_control(context)
        return kind(pos, self.source, line, pipe, body, else_list)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ in (Item.IF, Item.WITH):
            return ElseNode(peek.pos, self.source, peek.line)
        token = self.expect(Item.RIGHT_DELIM, "else")
        return ElseNode(token.pos, self.source, token.line)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, Item.RIGHT_DELIM)
        block = self.child(name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return TemplateNode(token.pos, self.source, token.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != Item.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, Item.RIGHT_DELIM)
        return TemplateNode(token.pos, self.source, token.line, name, pipe)

    def parse_template_name(self, token: Token, context: str) -> str:
        if token.typ in (Item.STRING, Item.RAW_STRING):
            return self.unquote(token.val)
        self.unexpected(token, context)
        raise AssertionError("unreachable")

    def unquote(self, text: str) -> str:
        try:
            return unquote(text)
        except StrconvError as exc:
            self.errorf(str(exc))
            raise AssertionError("unreachable") from exc

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos, self.source)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ is _SPACE:
                continue
            if token.space and token.typ in _OPERAND_START:
                # Compact tokens: a space, then the next operand (Go's SPACE item case).
                self.backup()
                continue
            if token.typ in (Item.RIGHT_DELIM, Item.RIGHT_PAREN):
                self.backup()
            elif token.typ != Item.PIPE:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        following = self.peek()
        if following.typ == Item.FIELD and not following.space:
            chain = ChainNode(following.pos, self.source, node)
            while following.typ == Item.FIELD and not following.space:
                chain.fields.append(self.next().val[1:])
                following = self.peek()
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, self.source, [*node.ident, *chain.fields])
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, self.source, [*node.ident, *chain.fields])
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {_q(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == Item.IDENTIFIER:
            if not self.has_function(token.val):
                self.errorf(f"function {_q(token.val)} not defined")
            return IdentifierNode(token.pos, self.source, token.val)
        if typ == Item.DOT:
            return DotNode(token.pos, self.source)
        if typ == Item.NIL:
            return NilNode(token.pos, self.source)
        if typ == Item.VARIABLE:
            return self.use_var(token)
        if typ == Item.FIELD:
            return FieldNode(token.pos, self.source, token.val[1:].split("."))
        if typ == Item.BOOL:
            return BoolNode(token.pos, self.source, token.val == "true")
        if typ in (Item.CHAR_CONSTANT, Item.COMPLEX, Item.NUMBER):
            try:
                return new_number(token.pos, self.source, token.val, typ)
            except StrconvError as exc:
                self.errorf(str(exc))
        if typ == Item.LEFT_PAREN:
            if self.stack_depth >= self.max_depth:
                self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", Item.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (Item.STRING, Item.RAW_STRING):
            return StringNode(token.pos, self.source, token.val, self.unquote(token.val))
        self.backup()
        return None

    def use_var(self, token: Token) -> Node:
        node = VariableNode(token.pos, self.source, token.val.split("."))
        if node.ident[0] not in self.vars:
            self.errorf(f"undefined variable {_q(node.ident[0])}")
        return node


_OPERAND_START = frozenset(
    {
        Item.BOOL,
        Item.CHAR_CONSTANT,
        Item.COMPLEX,
        Item.DOT,
        Item.FIELD,
        Item.IDENTIFIER,
        Item.NUMBER,
        Item.NIL,
        Item.RAW_STRING,
        Item.STRING,
        Item.VARIABLE,
        Item.LEFT_PAREN,
    }
)


def _q(text: str) -> str:
    return go_quote(text)


def _int64_of_float(value: float) -> int | None:
    if value != value or value in (float("inf"), float("-inf")):
        return None
    truncated = int(value)
    if -(1 << 63) <= truncated < (1 << 63) and float(truncated) == value:
        return truncated
    return None


def _uint64_of_float(value: float) -> int | None:
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        return None
    truncated = int(value)
    if truncated < (1 << 64) and float(truncated) == value:
        return truncated
    return None


def _simplify_complex(node: NumberNode) -> None:
    node.is_float = node.complex128.imag == 0
    if node.is_float:
        node.float64 = node.complex128.real
        as_int = _int64_of_float(node.float64)
        node.is_int = as_int is not None
        if as_int is not None:
            node.int64 = as_int
        as_uint = _uint64_of_float(node.float64)
        node.is_uint = as_uint is not None
        if as_uint is not None:
            node.uint64 = as_uint


def _parse_complex(text: str) -> complex:
    body = text[:-1]
    split = max(body.rfind("+"), body.rfind("-"))
    while split > 0 and body[split - 1] in "eEpP":
        split = max(body.rfind("+", 0, split), body.rfind("-", 0, split))
    if split <= 0:
        raise StrconvError("invalid syntax")
    return complex(parse_float(body[:split]), parse_float(body[split:]))


def new_number(pos: int, source: Source, text: str, typ: Item) -> NumberNode:
    """Go's newNumber: classify a literal as int, uint, float and/or complex."""
    node = NumberNode(pos, source, text)
    if typ == Item.CHAR_CONSTANT:
        char, index = unquote_char(text, 1, "'")
        if text[index:] != "'":
            raise StrconvError(f"malformed character constant: {text}")
        code = ord(char) if not 0xDC80 <= ord(char) <= 0xDCFF else ord(char) - 0xDC00
        node.int64 = node.uint64 = code
        node.float64 = float(code)
        node.is_int = node.is_uint = node.is_float = True
        return node
    if typ == Item.COMPLEX:
        node.complex128 = _parse_complex(text)
        node.is_complex = True
        _simplify_complex(node)
        return node
    if text.endswith("i"):
        try:
            imag = parse_float(text[:-1])
        except StrconvError:
            pass
        else:
            node.is_complex = True
            node.complex128 = complex(0, imag)
            _simplify_complex(node)
            return node
    unsigned: int | None
    try:
        unsigned = parse_uint(text)
        node.is_uint = True
        node.uint64 = unsigned
    except StrconvError:
        unsigned = None
    try:
        signed = parse_int(text)
    except StrconvError:
        pass
    else:
        node.is_int = True
        node.int64 = signed
        if signed == 0:
            node.is_uint = True
            node.uint64 = unsigned or 0
    if node.is_int:
        node.is_float = True
        node.float64 = float(node.int64)
    elif node.is_uint:
        node.is_float = True
        node.float64 = float(node.uint64)
    else:
        try:
            value = parse_float(text)
        except StrconvError:
            pass
        else:
            if not any(c in text for c in ".eEpP"):
                raise StrconvError(f"integer overflow: {_q(text)}")
            node.is_float = True
            node.float64 = value
            as_int = _int64_of_float(value)
            if as_int is not None:
                node.is_int = True
                node.int64 = as_int
            as_uint = _uint64_of_float(value)
            if as_uint is not None:
                node.is_uint = True
                node.uint64 = as_uint
    if not (node.is_int or node.is_uint or node.is_float):
        raise StrconvError(f"illegal number syntax: {_q(text)}")
    return node


def parse_text(
    name: str,
    text: str,
    has_function: Callable[[str], bool],
    left: str = "{{",
    right: str = "}}",
    max_depth: int = MAX_STACK_DEPTH,
    parse_comments: bool = False,
) -> dict[str, Tree]:
    """Parse one text into its trees (Go's parse.Parse). Raises TemplateParseError."""
    with collector_paused():
        return _parse_paused(name, text, has_function, left, right, max_depth, parse_comments)


def _parse_paused(
    name: str,
    text: str,
    has_function: Callable[[str], bool],
    left: str,
    right: str,
    max_depth: int,
    parse_comments: bool,
) -> dict[str, Tree]:
    source = Source(name, text)
    tokens = Lexer(
        text,
        left,
        right,
        emit_comment=parse_comments,
        break_ok=not has_function("break"),
        continue_ok=not has_function("continue"),
        keep_spaces=False,
    ).run()
    stream = _Stream(tokens)
    tree_set: dict[str, Tree] = {}
    top = _TreeParser(name, source, stream, has_function, tree_set, max_depth)
    top.token = [tokens[0], tokens[0], tokens[0]]
    try:
        top.parse()
        top.add()
    except _Abort as exc:
        raise TemplateParseError(exc.message) from None
    except RecursionError:
        raise TemplateParseError(
            f"template: {name}:{top.token[0].line}: max expression depth exceeded"
        ) from None
    return tree_set
