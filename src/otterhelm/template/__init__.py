"""Go's text/template, implemented in Python with Go's semantics.

`TemplateSet` plays the role of a Go *template.Template with its associated templates
(what Helm builds with `template.New("gotpl")` and one `t.New(file).Parse(text)` per
file). Functions are `gotypes.Func` descriptors; the builtins (and, or, not, len, index,
slice, print, printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge) are
always present and a supplied function of the same name replaces the builtin, as in Go.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping

from otterhelm.template.builtins import builtin_funcs
from otterhelm.template.deferred import DeferredFuncs, PendingFunc
from otterhelm.template.errors import (
    TemplateCall,
    TemplateError,
    TemplateExecError,
    TemplateLimitError,
    TemplateParseError,
)
from otterhelm.template.exec import (
    DEFAULT_MAX_DEPTH,
    GO_MAX_EXEC_DEPTH,
    MISSINGKEY_MODES,
    ExecBudget,
    ExecLimits,
    Lookup,
    State,
    compiled_tree,
    execute_tree,
)
from otterhelm.template.fmt import go_quote
from otterhelm.template.gcpause import collector_paused
from otterhelm.template.gotypes import MISSING, Func
from otterhelm.template.nodes import Source
from otterhelm.template.tree import Tree
from otterhelm.template.treecache import (
    DiskTreeCache,
    MemoryTreeCache,
    cache_key,
    default_cache_directory,
    functions_fingerprint,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from otterhelm.template.treecache import TreeCache

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "GO_MAX_EXEC_DEPTH",
    "DeferredFuncs",
    "DiskTreeCache",
    "ExecBudget",
    "ExecLimits",
    "MemoryTreeCache",
    "TemplateCall",
    "TemplateError",
    "TemplateExecError",
    "TemplateLimitError",
    "TemplateParseError",
    "TemplateSet",
    "default_cache_directory",
]


class TemplateSet(Lookup):
    """A set of named templates sharing one function map and one missingkey option."""

    def __init__(
        self,
        funcs: Mapping[str, Func] | None = None,
        missingkey: str = "default",
        *,
        name: str = "gotpl",
        limits: ExecLimits | None = None,
        delims: tuple[str, str] = ("{{", "}}"),
        tree_cache: TreeCache | None = None,
    ) -> None:
        if missingkey not in MISSINGKEY_MODES:
            raise TemplateError(f"unrecognized option: missingkey={missingkey}")
        self.name = name
        self.missingkey = "default" if missingkey == "invalid" else missingkey
        self.limits = limits or ExecLimits()
        self.delims = delims
        # Values are Funcs, or PendingFuncs from a DeferredFuncs map resolved on first call.
        self._funcs: dict[str, Func | PendingFunc] = dict(builtin_funcs())
        if funcs:
            _check_function_names(funcs)
            self._funcs.update(_entries(funcs))
        self._trees: dict[str, Tree] = {}
        self.tree_cache = tree_cache
        # The function names parses depend on, and their digest (part of a cache key),
        # computed on the first cached parse after the names change.
        self._function_names: frozenset[str] = frozenset()
        self._functions_fingerprint: str | None = None

    # -- building the set ---------------------------------------------------------------

    def add_funcs(self, mapping: Mapping[str, Func]) -> None:
        """Add or replace functions (Go's Funcs); later parses and executions see them."""
        _check_function_names(mapping)
        # The parse cache's key depends on function names only: replacing functions (as
        # the renderer does for every `tpl` call) keeps it.
        if any(name not in self._funcs for name in mapping):
            self._functions_fingerprint = None
        self._funcs.update(_entries(mapping))

    def parse(self, name: str, text: str) -> None:
        """Parse `text` as template `name`, adding it and every template it defines.

        As Go's Template.AddParseTree: a definition replaces an existing template of the
        same name unless the new one is empty (only whitespace and comments)."""
        trees = self._parse_cached(name, text)
        for tree_name, tree in trees.items():
            existing = self._trees.get(tree_name)
            if existing is not None and existing.has_root() and tree.is_empty():
                continue
            self._trees[tree_name] = tree

    def _parse_cached(self, name: str, text: str) -> dict[str, Tree]:
        cache = self.tree_cache
        if cache is None:
            return self._parse_now(name, text)
        if self._functions_fingerprint is None:
            self._function_names = frozenset(self._funcs)
            self._functions_fingerprint = functions_fingerprint(self._function_names)
        key = cache_key(name, text, self.delims, self._functions_fingerprint)
        names, delims = self._function_names, self.delims
        trees = cache.get(key, Source(name, text), lambda: _parse(name, text, names, delims))
        if trees is None:
            trees = self._parse_now(name, text)
            cache.put(key, trees)
        return trees

    def _parse_now(self, name: str, text: str) -> dict[str, Tree]:
        return _parse(name, text, self._funcs, self.delims)

    def parse_all(self, texts: Iterable[tuple[str, str]]) -> None:
        """Parse several (name, text) pairs in order, as repeated `parse` calls would,
        with the cyclic garbage collector paused for the whole batch (see gcpause)."""
        with collector_paused():
            for name, text in texts:
                self.parse(name, text)

    def add_tree(self, name: str, tree: Tree) -> None:
        """Go's AddParseTree: associate an already parsed tree under `name`."""
        existing = self._trees.get(name)
        if existing is not None and existing.has_root() and tree.is_empty():
            return
        self._trees[name] = tree

    def clone(self) -> TemplateSet:
        """An independent set with the same templates and functions (trees are shared;
        they are immutable once parsed)."""
        copy = TemplateSet(
            missingkey=self.missingkey,
            name=self.name,
            limits=self.limits,
            delims=self.delims,
            tree_cache=self.tree_cache,
        )
        copy._funcs = dict(self._funcs)
        copy._trees = dict(self._trees)
        copy._function_names = self._function_names
        copy._functions_fingerprint = self._functions_fingerprint
        return copy

    def has(self, name: str) -> bool:
        return name in self._trees

    def names(self) -> Iterator[str]:
        return iter(self._trees)

    def compile_all(self) -> None:
        """Compile every tree now rather than on first execution."""
        with collector_paused():
            for tree in self._trees.values():
                if tree.has_root():
                    compiled_tree(tree)

    # -- Lookup ---------------------------------------------------------------------------

    def template(self, name: str) -> Tree | None:
        return self._trees.get(name)

    def function(self, name: str) -> Func | None:
        func = self._funcs.get(name)
        if type(func) is PendingFunc:
            func = self._funcs[name] = func.resolve()
        return func  # type: ignore[return-value]

    # -- running --------------------------------------------------------------------------

    def execute(
        self,
        name: str,
        data: Any,
        *,
        limits: ExecLimits | None = None,
        budget: ExecBudget | None = None,
    ) -> str:
        """Run template `name` with `data` as dot and `$` (Go's ExecuteTemplate).

        `budget` shares one step/time allowance between this execution and others (pass
        the same one to the nested executions of include and tpl); without it the
        execution gets its own from `limits` (or the set's)."""
        tree = self._trees.get(name)
        if tree is None:
            raise TemplateExecError(
                f"no template {go_quote(name)} associated with template {go_quote(self.name)}",
                template_name=self.name,
                name_in_message=False,
            )
        state = State(self, name, self.missingkey, limits or self.limits, budget)
        if not tree.has_root():
            state.fail(None, f"{go_quote(name)} is an incomplete or empty template")
        try:
            with collector_paused():
                execute_tree(state, tree, MISSING if data is None else data)
        except RecursionError:
            raise TemplateLimitError(
                f"exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})", template_name=name
            ) from None
        finally:
            state.sync_budget()
        return "".join(state.out)


def _parse(name: str, text: str, functions: Container[str], delims: tuple[str, str]) -> dict[str, Tree]:
    # The lexer and parser are imported by the first text no cache answers.
    from otterhelm.template.parser import parse_text

    return parse_text(name, text, functions.__contains__, delims[0], delims[1])


def _entries(funcs: Mapping[str, Func]) -> Mapping[str, Func | PendingFunc]:
    """A deferred map's entries stay unresolved; any other map is taken as it is."""
    return funcs.pending() if isinstance(funcs, DeferredFuncs) else funcs


def _check_function_names(funcs: Mapping[str, Func]) -> None:
    """Go's Funcs rejects names that are not identifiers (letters, digits, `_`; no digit first)."""
    for name in funcs:
        valid = name != "" and all(
            char == "_" or char.isalpha() or (index > 0 and char.isdecimal())
            for index, char in enumerate(name)
        )
        if not valid:
            raise TemplateError(f"function name {go_quote(name)} is not a valid identifier")
