"""A parsed template as the rest of the package holds it, apart from the parser, so that
running cached trees never imports the lexer and parser."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from types import CodeType

from otterhelm.template.nodes import ListNode, Node, Source, is_empty_tree, walk_nodes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

TreeCode: TypeAlias = "tuple[CodeType, tuple[Any, ...]]"
"""A tree's executable form (see codegen): the code object of its module, and the table
of constants that module reads as `K`."""


class Tree:
    """One parsed template: its name, the source it came from and its root list.

    The root may be deferred (see treecache): a cached tree is registered by name with
    its emptiness known, and its nodes are loaded only when something reads `root`. A
    cached tree also carries its executable form (`code`, see codegen) as marshaled bytes,
    so running it needs no nodes at all; they are loaded only to report an error."""

    __slots__ = (
        "_code",
        "_code_bytes",
        "_code_listener",
        "_empty_hint",
        "_nodes",
        "_pending",
        "_root",
        "compiled",
        "name",
        "source",
    )

    def __init__(self, name: str, source: Source, root: ListNode | None) -> None:
        self.name = name
        self.source = source
        self._root = root
        self._pending: Callable[[], ListNode | None] | None = None
        self._empty_hint = False
        self._code: TreeCode | None = None
        self._code_bytes: bytes | None = None
        self._code_listener: Callable[[], None] | None = None
        self._nodes: list[Node] | None = None
        # The executor's runnable form, built on first execution and reused.
        self.compiled: object | None = None

    @classmethod
    def deferred(
        cls,
        name: str,
        source: Source,
        load: Callable[[], ListNode | None],
        *,
        has_root: bool,
        empty: bool,
        code: bytes | None = None,
    ) -> Tree:
        """A tree whose root `load` builds on first use; `has_root` and `empty` answer
        `has_root()` and `is_empty()` until then. `code` is the marshaled TreeCode codegen
        made of the root, if known."""
        tree = cls(name, source, None)
        if has_root:
            tree._pending = load
            tree._empty_hint = empty
            tree._code_bytes = code
        return tree

    @property
    def root(self) -> ListNode | None:
        pending = self._pending
        if pending is not None:
            # Root first, then the marker: a concurrent reader sees one or the other loaded.
            self._root = pending()
            self._pending = None
        return self._root

    def has_root(self) -> bool:
        return self._pending is not None or self._root is not None

    def is_empty(self) -> bool:
        """Go's parse.IsEmptyTree of the root, without loading a deferred one."""
        if self._pending is not None:
            return self._empty_hint
        return is_empty_tree(self._root)

    @property
    def code(self) -> TreeCode | None:
        """The code codegen made of the root: unmarshaled from the cache entry, or None
        until `set_code` is called (the executor generates it when it first runs a tree
        that has none)."""
        if self._code is None and self._code_bytes is not None:
            self._code = marshal.loads(self._code_bytes)
        return self._code

    def set_code(self, code: TreeCode) -> None:
        self._code = code
        self._code_bytes = None
        listener = self._code_listener
        if listener is not None:
            self._code_listener = None
            listener()

    def marshaled_code(self) -> bytes | None:
        """The code, marshaled (as a cache entry stores it), or None if there is none yet."""
        if self._code_bytes is None and self._code is not None:
            self._code_bytes = marshal.dumps(self._code)
        return self._code_bytes

    def when_code_set(self, listener: Callable[[], None]) -> None:
        """Call `listener` once, when this tree gets its code (a cache keeping it)."""
        self._code_listener = listener

    def node_at(self, index: int) -> Node:
        """The node numbered `index` in walk_nodes order of the root (how generated code
        names the nodes its errors report)."""
        nodes = self._nodes
        if nodes is None:
            root = self.root
            nodes = self._nodes = walk_nodes(root) if root is not None else []
        return nodes[index]
