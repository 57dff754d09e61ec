"""Compiled regular expressions kept between runs of a command.

Python compiles a regular expression into a program for its matching engine with a parser
and compiler written in Python: about 0.1 ms a pattern here, and a render compiles some forty
(semantic version constraints, YAML scalar forms, .helmignore rules, the chart's own regex
functions), which is a tenth of a small chart's render. The programs depend only on the
pattern, its flags and the interpreter, so a command keeps those it compiled and later runs
hand them straight to the engine.

Programs are built with `re`'s own parser and code generator, exactly as `re` does, and used
only in a process that first checked, on patterns that exercise every part of a program,
that building them gives patterns equal to the ones `re` compiles (same flags, code and
groups), so a kept program never changes what a pattern matches. Everything here is private
API of `re` (stable within an interpreter version, which is part of the key); where it
behaves otherwise, nothing is kept.
"""

from __future__ import annotations

# re's engine and its private parser and code generator (no type stubs): the launcher
# imports this module once `re` is needed anyway.
import _sre  # type: ignore[import-not-found]
import marshal
import sys
from re import _compiler, _parser  # type: ignore[attr-defined]

from otterhelm.cachedir import PrivateDirectory, stable_digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Bumped whenever what an entry holds changes shape.
FORMAT = 1
# Patterns a command keeps at most; beyond it new ones are compiled as usual every run.
MAX_PATTERNS = 2048

# (pattern, flags as given) -> (flags, code, groups - 1, groupindex, indexgroup): the arguments
# of `_sre.compile` after the pattern.
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


# Patterns the process checks the program builder on (see RegexPrograms._builds_like_re).
_SELF_CHECK: tuple[tuple[str | bytes, int], ...] = (
    (r"a(?P<name>b+?)c|(d)*$", 0),
    (r"(?i)\w+\s[^\d](?=x)(?<!y)", 8),  # 8: re.MULTILINE
    (r"x.y", 2 | 16),  # re.IGNORECASE | re.DOTALL
    (r"(?x) [a-z]{2,5} # comment", 256),  # re.ASCII
    (rb"[\x00-\x7f]{2,}(?P<tail>\xff)?", 0),
)


class RegexPrograms:
    """`install` puts a lookup in front of `re`'s compiler; `save` stores the programs this
    process compiled when there are new ones."""

    def __init__(self, store: PrivateDirectory, command: str) -> None:
        self._store = store
        self._identity = (FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE, command)
        self._key = "re-" + stable_digest(repr(self._identity))
        self._programs: dict[tuple[str | bytes, int], Program] = {}
        self._added = False
        self._verified: bool | None = None
        self._original: Callable[..., Any] | None = None

    def install(self) -> None:
        self._read()
        self._original = _compiler.compile
        _compiler.compile = self._compile

    def uninstall(self) -> None:
        if self._original is not None:
            _compiler.compile = self._original
            self._original = None

    @property
    def programs(self) -> int:
        return len(self._programs)

    def save(self) -> None:
        if not self._added:
            return
        try:
            data = marshal.dumps((self._identity, self._programs))
        except ValueError:  # a cache never fails the command
            return
        self._store.write(self._key, data)

    def _compile(self, pattern: Any, flags: int = 0) -> Any:
        assert self._original is not None
        if not isinstance(pattern, str | bytes) or flags & 128:  # 128: re.DEBUG prints
            return self._original(pattern, flags)
        key = (pattern, flags)
        program = self._programs.get(key)
        if program is not None:
            try:
                return _sre.compile(pattern, *program)
            except Exception:
                del self._programs[key]
        if len(self._programs) >= MAX_PATTERNS or not self._builds_like_re():
            return self._original(pattern, flags)
        program = _program(pattern, flags)
        if program is None:  # not a valid pattern: re raises its own error
            return self._original(pattern, flags)
        try:
            compiled = _sre.compile(pattern, *program)
        except Exception:
            return self._original(pattern, flags)
        self._programs[key] = program
        self._added = True
        return compiled

    def _builds_like_re(self) -> bool:
        """Whether building patterns from programs gives what `re` gives, checked once a
        process on patterns that use every part of a program (groups, names, flags, bytes),
        before any program is kept: only then is a new pattern compiled once, not twice."""
        if self._verified is None:
            assert self._original is not None
            try:
                self._verified = all(
                    _same(
                        _sre.compile(pattern, *(_program(pattern, flags) or ())),
                        self._original(pattern, flags),
                    )
                    for pattern, flags in _SELF_CHECK
                )
            except Exception:
                self._verified = False
        return self._verified

    def _read(self) -> None:
        data = self._store.read(self._key)
        if not data:
            return
        try:
            identity, programs = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return
        if identity == self._identity and isinstance(programs, dict):
            self._programs = programs


def _program(pattern: str | bytes, flags: int) -> Program | None:
    """The engine program `re` builds for a pattern (re._compiler.compile's steps)."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # plain ints, for marshal
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except Exception:
        return None


def _same(ours: Any, theirs: Any) -> bool:
    # Pattern equality compares pattern, flags and code; groups are compared here.
    return bool(ours == theirs and ours.groups == theirs.groups and ours.groupindex == theirs.groupindex)
