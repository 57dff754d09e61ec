"""Helm's rendering engine (pkg/engine/engine.go of Helm v4.3.1).

Every template of a chart tree is parsed into one template set, deepest paths first and
reverse-lexicographically within a depth, so that a parent's `define` beats a subchart's and
the alphabetically-first sibling file wins. Then each non-partial file is executed with its
chart's scoped values; `<no value>` is erased from the output. The engine binds `include`,
`tpl`, `required`, `fail` and `lookup`, and rewrites execution errors the way Helm v4 prints
them.
"""

from __future__ import annotations

import posixpath
import re

# The interpreter's own blake2b: hashlib would initialise OpenSSL (~3 ms of a short run).
from _blake2 import blake2b
from _thread import allocate_lock
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping

from otterhelm.errors import InvalidArgument
from otterhelm.render.files import Files
from otterhelm.template.deferred import DeferredFuncs
from otterhelm.template.gotypes import ANY, STRING, Func, FuncError
from otterhelm.template.records import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from otterhelm.chart.model import Chart

    class TemplateSet(Protocol):
        """The part of otterhelm.template.TemplateSet the engine uses."""

        def add_funcs(self, funcs: Mapping[str, Func]) -> None: ...
        def parse(self, name: str, text: str) -> Any: ...
        def execute(self, name: str, data: Any) -> str: ...
        def clone(self) -> TemplateSet: ...
        def has(self, name: str) -> bool: ...

    class LookupReader(Protocol):
        """Reads live objects for `lookup` (a cluster client); absent for `helm template`."""

        def lookup(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]: ...


ROOT_TEMPLATE = "gotpl"
NO_VALUE = "<no value>"
RECURSION_LIMIT = 1000
_WARN_START = "HELM_ERR_START"
_WARN_END = "HELM_ERR_END"
_WARN = re.compile(_WARN_START + "(.*)" + _WARN_END, re.DOTALL)


class RenderError(InvalidArgument):
    """A chart failed to render; the message is the one Helm prints after `Error: `."""


class EngineOptions(FrozenRecord):
    __slots__ = ("enable_dns", "lint_mode", "strict")

    def __init__(self, strict: bool = False, lint_mode: bool = False, enable_dns: bool = False) -> None:
        self.strict = strict
        self.lint_mode = lint_mode
        self.enable_dns = enable_dns


class Renderable(Record):
    """One template file: its text, the chart-scoped data it runs with and its base path."""

    __slots__ = ("base_path", "data", "text")

    def __init__(self, text: str, data: dict[str, Any], base_path: str) -> None:
        self.text = text
        self.data = data
        self.base_path = base_path


class TemplateCache:
    """Parsed template sets keyed by a digest of every template name and text, so a service
    rendering the same chart again skips parsing. Bounded, least recently used first out.

    Safe to share between threads (a service renders in several worker threads at once):
    a look-up is a read and a move to the end, which an eviction by another thread must not
    split, so both operations hold one lock. The sets it hands out are only ever cloned."""

    def __init__(self, capacity: int = 32) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, TemplateSet] = OrderedDict()
        self._lock = allocate_lock()
        # Parse trees by parse-cache key (see otterhelm.template.MemoryTreeCache), for
        # the texts `tpl` parses while rendering.
        self.trees: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> TemplateSet | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, value: TemplateSet) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


def go_path_join(*parts: str) -> str:
    """Go's path.Join: join the non-empty parts and Clean the result."""
    joined = "/".join(p for p in parts if p)
    if not joined:
        return ""
    cleaned = posixpath.normpath(joined)
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def sort_templates(names: list[str]) -> list[str]:
    """Deepest path first; within a depth, reverse lexicographic (engine_test TestSortTemplates)."""
    return sorted(names, key=lambda n: (n.count("/"), n), reverse=True)


def chart_metadata_map(chart: Chart) -> dict[str, Any]:
    """`.Chart` as Helm v4 builds it: the Metadata struct's fields by Go name, slices as
    []interface{}, nested structs as maps, plus IsRoot."""
    md = chart.metadata
    maintainers: list[Any] = [
        None if m is None else {"Name": m.name, "Email": m.email, "URL": m.url} for m in md.maintainers
    ]
    dependencies: list[Any] = [
        None
        if d is None
        else {
            "Name": d.name,
            "Version": d.version,
            "Repository": d.repository,
            "Condition": d.condition,
            "Tags": list(d.tags),
            "Enabled": d.enabled,
            "ImportValues": list(d.import_values),
            "Alias": d.alias,
        }
        for d in md.dependencies
    ]
    return {
        "Name": md.name,
        "Home": md.home,
        "Sources": list(md.sources),
        "Version": md.version,
        "Description": md.description,
        "Keywords": list(md.keywords),
        "Maintainers": maintainers,
        "Icon": md.icon,
        "APIVersion": md.api_version,
        "Condition": md.condition,
        "Tags": md.tags,
        "AppVersion": md.app_version,
        "Deprecated": md.deprecated,
        "Annotations": dict(md.annotations),
        "KubeVersion": md.kube_version,
        "Dependencies": dependencies,
        "Type": md.type,
        "IsRoot": chart.is_root,
    }


def _is_library(chart: Chart) -> bool:
    return chart.metadata.type.lower() == "library"


def all_templates(chart: Chart, top: Mapping[str, Any]) -> dict[str, Renderable]:
    """Every template of the chart tree with the data it renders with (recAllTpls)."""
    templates: dict[str, Renderable] = {}
    _collect(chart, templates, top)
    return templates


def _collect(chart: Chart, templates: dict[str, Renderable], parent: Mapping[str, Any]) -> dict[str, Any]:
    subcharts: dict[str, Any] = {}
    scoped: dict[str, Any] = {
        "Chart": chart_metadata_map(chart),
        "Files": Files((f.name, f.data) for f in chart.files),
        "Release": parent.get("Release"),
        "Capabilities": parent.get("Capabilities"),
        "Values": {},
        "Subcharts": subcharts,
    }
    if chart.is_root:
        scoped["Values"] = parent.get("Values")
    else:
        table = _values_table(parent, "Values." + chart.name)
        if table is not None:
            scoped["Values"] = table
    for sub in chart.subcharts:
        subcharts[sub.name] = _collect(sub, templates, scoped)
    full_path = chart.full_path
    base_path = go_path_join(full_path, "templates")
    library = _is_library(chart)
    for template in chart.templates:
        if library and not posixpath.basename(template.name).startswith("_"):
            continue
        text = template.data.decode("utf-8", errors="surrogateescape")
        templates[go_path_join(full_path, template.name)] = Renderable(text, scoped, base_path)
    return scoped


def _values_table(values: Mapping[str, Any], path: str) -> dict[str, Any] | None:
    """common.Values.Table: walk dot-separated keys through maps (a chart name with dots
    walks several levels, as in Helm); None when some step is not a map."""
    table: Mapping[str, Any] = values
    for key in path.split("."):
        found = table.get(key)
        if not isinstance(found, dict):
            return None
        table = found
    return dict(table) if not isinstance(table, dict) else table


def go_quote(text: str) -> str:
    """Go's %q for a string (strconv.Quote)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif char == "\a":
            out.append("\\a")
        elif char == "\b":
            out.append("\\b")
        elif char == "\f":
            out.append("\\f")
        elif char == "\v":
            out.append("\\v")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif not char.isprintable() and code > 0x7F:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


class _RenderState(Record):
    """Per-render mutable state shared by the bound functions."""

    __slots__ = ("included",)

    def __init__(self, included: dict[str, int] | None = None) -> None:
        self.included: dict[str, int] = {} if included is None else included


class Engine:
    """Renders chart trees. `functions` is the static function map (sprig + Helm's own);
    the engine adds the functions bound to the template set being rendered."""

    def __init__(
        self,
        functions: Mapping[str, Func],
        options: EngineOptions | None = None,
        lookup: LookupReader | None = None,
        cache: TemplateCache | None = None,
        template_set_factory: Callable[..., TemplateSet] | None = None,
        tree_cache: Any = None,
    ) -> None:
        # A deferred map is read-only and loads functions on first call; copying it would
        # load them all.
        self._functions: Mapping[str, Func] = (
            functions if isinstance(functions, DeferredFuncs) else dict(functions)
        )
        self._options = options or EngineOptions()
        self._lookup = lookup
        self._cache = cache
        self._factory = template_set_factory
        # otterhelm.template's TreeCache (parse trees kept across processes), if any,
        # behind trees kept in memory (shared through the TemplateCache when there is one).
        self._tree_cache = tree_cache
        self._tree_memo: dict[str, dict[str, Any]] = cache.trees if cache is not None else {}

    @property
    def missingkey(self) -> str:
        return "error" if self._options.strict else "zero"

    def render(self, chart: Chart, top: Mapping[str, Any]) -> dict[str, str]:
        """Render every non-partial template; returns template name -> output."""
        return self.render_templates(all_templates(chart, top))

    def render_templates(self, templates: Mapping[str, Renderable]) -> dict[str, str]:
        """Parse all, then execute each non-partial template (in a deep-stack thread, so that
        Helm's include guard rather than Python's recursion limit stops runaway recursion)."""
        from otterhelm.render.deepstack import call_with_deep_stack

        try:
            return call_with_deep_stack(lambda: self._render_templates(templates))
        finally:
            if self._tree_cache is not None:
                self._tree_cache.flush()

    def _render_templates(self, templates: Mapping[str, Renderable]) -> dict[str, str]:
        order = sort_templates(list(templates))
        state = _RenderState()
        base = self._parsed(templates, order)
        tset = base.clone()
        tset.add_funcs(self._bound_functions(tset, state))
        rendered: dict[str, str] = {}
        for name in order:
            if posixpath.basename(name).startswith("_"):
                continue
            renderable = templates[name]
            # Helm sets .Template on the chart-shared map, so partials included from this
            # file see this file's name.
            renderable.data["Template"] = {"Name": name, "BasePath": renderable.base_path}
            try:
                output = tset.execute(name, renderable.data)
            except RecursionError as exc:
                raise RenderError(f"rendering template failed: {exc}") from exc
            except Exception as exc:
                if _is_exec_error(exc):
                    raise RenderError(reformat_exec_error(name, exc)) from exc
                raise
            rendered[name] = output.replace(NO_VALUE, "")
        return rendered

    def _new_set(self) -> TemplateSet:
        if self._factory is not None:
            return self._factory(self._functions, self.missingkey)
        from otterhelm.template import MemoryTreeCache
        from otterhelm.template import TemplateSet as GoTemplateSet

        trees = MemoryTreeCache(self._tree_memo, self._tree_cache)
        tset: TemplateSet = GoTemplateSet(self._functions, missingkey=self.missingkey, tree_cache=trees)
        return tset

    def _parsed(self, templates: Mapping[str, Renderable], order: list[str]) -> TemplateSet:
        key = ""
        if self._cache is not None:
            digest = blake2b(self.missingkey.encode(), digest_size=32)
            for name in order:
                digest.update(b"\0" + name.encode() + b"\0" + templates[name].text.encode())
            key = digest.hexdigest()
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        tset = self._new_set()
        tset.add_funcs(_placeholders())
        if "getHostByName" not in self._functions:
            tset.add_funcs({"getHostByName": Func(lambda _name: "", (STRING,))})
        for name in order:
            try:
                tset.parse(name, templates[name].text)
            except Exception as exc:
                if _is_parse_error(exc):
                    raise RenderError(cleanup_parse_error(name, str(exc))) from exc
                raise
        if self._cache is not None:
            self._cache.put(key, tset)
        return tset

    def _bound_functions(self, tset: TemplateSet, state: _RenderState) -> dict[str, Func]:
        bound = {
            "include": _include_func(tset, state),
            "tpl": _tpl_func(tset, state, self.missingkey),
            "required": Func(self._required, (STRING, ANY)),
            "fail": Func(self._fail, (STRING,)),
        }
        reader = self._lookup
        if reader is not None and not self._options.lint_mode:
            bound["lookup"] = Func(
                lambda api, kind, ns, name: reader.lookup(api, kind, ns, name),
                (STRING, STRING, STRING, STRING),
            )
        if not self._options.enable_dns:
            bound["getHostByName"] = Func(lambda _name: "", (STRING,))
        return bound

    def _required(self, warn: str, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value == "") or _is_missing(value):
            if self._options.lint_mode:
                return ""
            raise FuncError(_WARN_START + warn + _WARN_END)
        return value

    def _fail(self, message: str) -> str:
        if self._options.lint_mode:
            return ""
        raise FuncError(_WARN_START + message + _WARN_END)


def _is_missing(value: Any) -> bool:
    from otterhelm.template.gotypes import MISSING

    return value is MISSING


def _placeholders() -> dict[str, Func]:
    """Engine-bound names declared before parsing so templates using them parse; replaced
    per render with the real bindings."""

    def not_bound(*_args: Any) -> Any:
        return "not implemented"

    return {
        "include": Func(not_bound, (STRING, ANY)),
        "tpl": Func(not_bound, (STRING, ANY)),
        "required": Func(not_bound, (STRING, ANY)),
        "fail": Func(not_bound, (STRING,)),
        # Helm's funcMap stub: an empty map whenever no cluster reader is bound.
        "lookup": Func(lambda *_a: {}, (STRING, STRING, STRING, STRING)),
    }


def _include_func(tset: TemplateSet, state: _RenderState) -> Func:
    def include(name: str, data: Any) -> str:
        count = state.included.get(name)
        if count is not None and count > RECURSION_LIMIT:
            raise FuncError(
                f"rendering template has a nested reference name: {name}: unable to execute template"
            )
        state.included[name] = (count or 0) + 1
        try:
            if not tset.has(name):
                raise FuncError(
                    f"template: no template {go_quote(name)} associated with template {go_quote(ROOT_TEMPLATE)}"
                )
            try:
                return tset.execute(name, data)
            except FuncError:
                raise
            except Exception as exc:
                if _is_exec_error(exc):
                    raise _WrappedError(exc) from exc
                raise
        finally:
            state.included[name] -= 1

    return Func(include, (STRING, ANY))


def _tpl_func(parent: TemplateSet, state: _RenderState, missingkey: str) -> Func:
    def tpl(text: str, data: Any) -> str:
        clone = parent.clone()
        clone.add_funcs({"include": _include_func(clone, state), "tpl": _tpl_func(clone, state, missingkey)})
        try:
            clone.parse(ROOT_TEMPLATE, text)
        except Exception as exc:
            if _is_parse_error(exc):
                raise FuncError(f"cannot parse template {go_quote(text)}: {exc}") from exc
            raise
        try:
            output = clone.execute(ROOT_TEMPLATE, data) if clone.has(ROOT_TEMPLATE) else ""
        except Exception as exc:
            if _is_exec_error(exc):
                raise FuncError(f"error during tpl function execution for {go_quote(text)}: {exc}") from exc
            raise
        return output.replace(NO_VALUE, "")

    return Func(tpl, (STRING, ANY))


class _WrappedError(FuncError):
    """A function error that is exactly another template's execution error (what Go's
    include returns), so the error chain continues into that template."""

    def __init__(self, inner: BaseException) -> None:
        super().__init__(str(inner))
        self.inner = inner


def _is_exec_error(exc: BaseException) -> bool:
    from otterhelm.template import TemplateExecError

    return isinstance(exc, TemplateExecError)


def _is_parse_error(exc: BaseException) -> bool:
    from otterhelm.template import TemplateParseError

    return isinstance(exc, TemplateParseError)


def cleanup_parse_error(filename: str, message: str) -> str:
    """Helm's cleanupParseError: `parse error at (<file:line>): <last part>`."""
    tokens = message.split(": ")
    if len(tokens) == 1:
        return f"parse error in ({filename}): {message}"
    return f"parse error at ({tokens[1]}): {tokens[-1]}"


def error_chain(exc: BaseException) -> Iterator[str]:
    """The texts of Go's error chain for an execution error: each level's message, then the
    error the failing call returned, and so on (what errors.Unwrap walks in Helm)."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        current = _unwrap(current)


def _unwrap(exc: BaseException) -> BaseException | None:
    if isinstance(exc, _WrappedError):
        return exc.inner
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return cause
    if isinstance(exc, FuncError) and exc.__cause__ is None:
        return None
    return exc.__cause__


class TraceStep(FrozenRecord):
    __slots__ = ("executed", "location", "message")

    def __init__(self, location: str = "", message: str = "", executed: str = "") -> None:
        self.location = location
        self.message = message
        self.executed = executed

    def __str__(self) -> str:
        out = ""
        if self.location:
            out += f"{self.location}\n  "
        if self.executed:
            out += f"{self.executed}\n    "
        if self.message:
            out += f"{self.message}\n"
        return out


def parse_trace_step(text: str) -> TraceStep | None:
    """Helm's parseTemplateExecErrorString."""
    prefix = "template: "
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix) :]
    if rest.startswith("no template "):
        return TraceStep(message=text)
    name, sep, after = rest.partition(": executing ")
    if sep:
        if not after.startswith('"'):
            return None
        end = after.find('"', 1)
        if end == -1:
            return None
        function = after[1:end]
        after_func = after[end + 1 :]
        if not after_func.startswith(" at <"):
            return None
        node, found, message = after_func[len(" at <") :].partition(">: ")
        if not found:
            return None
        cut = message.find(" template:")
        if cut != -1:
            message = message[:cut]
        return TraceStep(location=name, message=message, executed=f'executing "{function}" at <{node}>:')
    sep_at = rest.rfind(": ")
    if sep_at != -1:
        message = rest[sep_at + 2 :]
        cut = message.find(" template:")
        if cut != -1:
            message = message[:cut]
        return TraceStep(location=rest[:sep_at], message=message)
    return None


def reformat_exec_error(filename: str, exc: BaseException) -> str:
    """Helm v4's reformatExecErrorMsg."""
    message = str(exc)
    tokens = message.split(": ", 2)
    if len(tokens) != 3:
        return f"execution error in ({filename}): {message}"
    warned = _WARN.search(tokens[2])
    if warned:
        return f"execution error at ({tokens[1]}): {warned.group(1)}"
    steps: list[TraceStep] = []
    for text in error_chain(exc):
        step = parse_trace_step(text)
        if step is None:
            return message
        if not steps or steps[-1] != step:
            steps.append(step)
    return "".join(str(s) for s in steps).strip()
