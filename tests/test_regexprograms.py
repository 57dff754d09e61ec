"""Regular expression programs kept between runs (otterhelm.regexprograms)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from otterhelm.cachedir import PrivateDirectory
from otterhelm.regexprograms import RegexPrograms

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$", 0),
    (r"(?P<key>[a-z]+)=(?P<value>\w*)", 0),
    (r"hello\s+WORLD", re.IGNORECASE),
    (rb"\x00[\x01-\x7f]+", 0),
    (r"(?m)^---[ \t]*$", 0),
]
SAMPLES = ["v1.2.3-rc.1", "key=value other=", "Hello   world", "---  \nx", "1.2"]


@pytest.fixture
def programs_factory(tmp_path: Path) -> Iterator[list[RegexPrograms]]:
    installed: list[RegexPrograms] = []
    yield installed
    for programs in reversed(installed):
        programs.uninstall()
    re.purge()


def _installed(store: PrivateDirectory, installed: list[RegexPrograms]) -> RegexPrograms:
    re.purge()  # re's own per-process cache would answer before the compiler is asked
    programs = RegexPrograms(store, "template")
    programs.install()
    installed.append(programs)
    return programs


def _behaviour(pattern: re.Pattern[str] | re.Pattern[bytes]) -> list[object]:
    out: list[object] = [pattern.flags, pattern.groups, dict(pattern.groupindex)]
    for sample in SAMPLES:
        text: str | bytes = sample if isinstance(pattern.pattern, str) else sample.encode()
        found = pattern.search(text)  # type: ignore[arg-type]
        out.append(None if found is None else (found.span(), found.groups(), found.lastgroup))
    return out


def test_kept_programs_build_the_same_patterns_in_a_later_run(
    tmp_path: Path, programs_factory: list[RegexPrograms]
) -> None:
    store = PrivateDirectory(tmp_path)
    first = _installed(store, programs_factory)
    compiled = [re.compile(p, f) for p, f in PATTERNS]
    assert first.programs == len(PATTERNS)
    first.save()
    first.uninstall()

    later = _installed(store, programs_factory)
    assert later.programs == len(PATTERNS)
    calls: list[object] = []
    original = later._original
    assert original is not None

    def counting(pattern: object, flags: int = 0) -> object:
        calls.append(pattern)
        return original(pattern, flags)

    later._original = counting
    again = [re.compile(p, f) for p, f in PATTERNS]
    assert calls == []  # every pattern came from a kept program
    assert again == compiled
    assert [_behaviour(p) for p in again] == [_behaviour(p) for p in compiled]


def _saved_entry(store: PrivateDirectory, installed: list[RegexPrograms], pattern: str) -> Path:
    """The file a run that compiled `pattern` leaves."""
    programs = _installed(store, installed)
    re.compile(pattern)
    programs.save()
    programs.uninstall()
    [entry] = [p for p in Path(store.directory).rglob("*") if p.is_file()]
    return entry


def test_nothing_is_written_when_nothing_new_was_compiled(
    tmp_path: Path, programs_factory: list[RegexPrograms]
) -> None:
    store = PrivateDirectory(tmp_path)
    entry = _saved_entry(store, programs_factory, "abc+")
    before = entry.stat().st_mtime_ns
    later = _installed(store, programs_factory)
    re.compile("abc+")
    later.save()
    assert entry.stat().st_mtime_ns == before


def test_an_unusable_program_falls_back_to_compiling(
    tmp_path: Path, programs_factory: list[RegexPrograms]
) -> None:
    store = PrivateDirectory(tmp_path)
    programs = _installed(store, programs_factory)
    key = ("x(y)z", 0)
    programs._programs[key] = (0, [0, 1, 2], 0, {}, (None,))  # not valid engine code
    found = re.compile("x(y)z").search("axyzb")
    assert found is not None and found.group(1) == "y"
    assert programs._programs[key][1] != [0, 1, 2]  # replaced by the program re built


def test_a_damaged_store_is_ignored(tmp_path: Path, programs_factory: list[RegexPrograms]) -> None:
    store = PrivateDirectory(tmp_path)
    entry = _saved_entry(store, programs_factory, "q+")
    entry.write_bytes(b"\x00garbage")
    later = _installed(store, programs_factory)
    assert later.programs == 0
    assert re.compile("q+").fullmatch("qqq")


def test_debug_compiles_are_not_kept(
    tmp_path: Path, programs_factory: list[RegexPrograms], capsys: pytest.CaptureFixture[str]
) -> None:
    programs = _installed(PrivateDirectory(tmp_path), programs_factory)
    re.compile("d+", re.DEBUG)
    assert programs.programs == 0
    assert capsys.readouterr().out  # re.DEBUG still prints the program


def test_nothing_is_kept_when_building_differs_from_re(
    tmp_path: Path, programs_factory: list[RegexPrograms], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The once-a-process check: if programs built here ever differ from re's own (another
    interpreter's internals), patterns are compiled by re alone."""
    import otterhelm.regexprograms as module

    monkeypatch.setattr(module, "_same", lambda ours, theirs: False)
    programs = _installed(PrivateDirectory(tmp_path), programs_factory)
    found = re.compile(r"(?P<word>\w+)!").search("hi!")
    assert found is not None and found.group("word") == "hi"
    assert programs.programs == 0
    programs.save()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
