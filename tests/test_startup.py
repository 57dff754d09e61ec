"""The module bundle the `otterhelm` command starts from (otterhelm.startup).

Each run is its own interpreter, as each command is: a driver installs a bundle over a small
package, imports it, reports which modules the bundle served and what they hold, and saves.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from otterhelm.cachedir import PrivateDirectory
from otterhelm.startup import ModuleBundle, _directory_states

SRC = Path(__file__).resolve().parents[1] / "src"

DRIVER = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from otterhelm.cachedir import PrivateDirectory
from otterhelm.startup import ModuleBundle, _directory_states
bundle = ModuleBundle(PrivateDirectory(sys.argv[3]), "demo")
bundle.install()
import pkgx.a
extra = {}
if len(sys.argv) > 4:
    import importlib
    extra = {"late": importlib.import_module(sys.argv[4]).VALUE}
bundle.save()
print(json.dumps({
    "served": sorted(n for n in bundle.served if n.startswith("pkgx")),
    "value": pkgx.a.VALUE,
    "file": pkgx.a.__file__,
    "loader": type(pkgx.a.__loader__).__name__,
    "package_path": list(pkgx.__path__),
    **extra,
}))
"""


def _package(root: Path) -> Path:
    package = root / "pkgx"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkgx.b import BASE\nVALUE = BASE + 1\n")
    (package / "b.py").write_text("BASE = 40\n")
    return package


def _run(root: Path, bundles: Path, *late: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-S", "-c", DRIVER, str(root), str(SRC), str(bundles), *late],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _bundle_files(bundles: Path) -> list[Path]:
    return sorted(p for p in bundles.rglob("*") if p.is_file())


def test_a_second_run_imports_the_modules_from_the_bundle(tmp_path: Path) -> None:
    package = _package(tmp_path)
    bundles = tmp_path / "bundles"
    first = _run(tmp_path, bundles)
    assert first["served"] == [] and first["value"] == 41
    [written] = _bundle_files(bundles)

    second = _run(tmp_path, bundles)
    assert second["served"] == ["pkgx", "pkgx.a", "pkgx.b"]
    assert second["value"] == 41
    # A bundled module looks like one imported from its file.
    assert second["file"] == str(package / "a.py")
    assert second["loader"] == "BundledModuleLoader"
    assert second["package_path"] == [str(package)]
    # Nothing new was imported, so the bundle was not rewritten.
    assert _bundle_files(bundles) == [written]
    assert written.stat().st_mtime_ns == _bundle_files(bundles)[0].stat().st_mtime_ns


def test_an_edited_module_is_imported_from_its_source_and_bundled_again(tmp_path: Path) -> None:
    package = _package(tmp_path)
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    (package / "b.py").write_text("BASE = 400\n")
    edited = _run(tmp_path, bundles)
    assert edited["value"] == 401
    assert edited["served"] == ["pkgx", "pkgx.a"]
    again = _run(tmp_path, bundles)
    assert again["value"] == 401
    assert again["served"] == ["pkgx", "pkgx.a", "pkgx.b"]


def test_a_same_size_edit_is_noticed_by_its_modification_time(tmp_path: Path) -> None:
    package = _package(tmp_path)
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    source = package / "b.py"
    before = source.stat()
    source.write_text("BASE = 50\n")  # as long as "BASE = 40\n"
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert _run(tmp_path, bundles)["value"] == 51


def test_a_module_first_needed_later_joins_the_bundle(tmp_path: Path) -> None:
    """Submodules the bundle does not hold are found under a bundled package as usual."""
    package = _package(tmp_path)
    (package / "c.py").write_text("VALUE = 'c'\n")
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    late = _run(tmp_path, bundles, "pkgx.c")
    assert late["late"] == "c"
    assert "pkgx.c" not in late["served"]  # type: ignore[operator]
    assert "pkgx.c" in _run(tmp_path, bundles, "pkgx.c")["served"]  # type: ignore[operator]
    # ... and stays for runs that do not import it, while current.
    assert _run(tmp_path, bundles)["served"] == ["pkgx", "pkgx.a", "pkgx.b"]
    assert "pkgx.c" in _run(tmp_path, bundles, "pkgx.c")["served"]  # type: ignore[operator]


def test_a_damaged_bundle_is_ignored_and_replaced(tmp_path: Path) -> None:
    _package(tmp_path)
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    [written] = _bundle_files(bundles)
    data = written.read_bytes()
    written.write_bytes(data[: len(data) // 2])  # cut short: code past the end
    cut = _run(tmp_path, bundles)
    assert cut["value"] == 41
    written.write_bytes(b"OHMB\xff\xff\x00\x00garbage")
    garbage = _run(tmp_path, bundles)
    assert garbage["value"] == 41 and garbage["served"] == []
    assert _run(tmp_path, bundles)["served"] == ["pkgx", "pkgx.a", "pkgx.b"]


def test_a_bundle_directory_others_can_write_to_is_not_used(tmp_path: Path) -> None:
    _package(tmp_path)
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    bundles.chmod(0o777)
    try:
        assert _run(tmp_path, bundles)["served"] == []
    finally:
        bundles.chmod(0o700)


def test_bundles_are_kept_apart_by_search_path_and_command(tmp_path: Path) -> None:
    """Two checkouts (or commands) sharing a cache directory never serve each other's code."""
    store = PrivateDirectory(tmp_path)
    original = list(sys.path)
    try:
        first = ModuleBundle(store, "template")
        second = ModuleBundle(store, "install")
        sys.path.append(str(tmp_path / "elsewhere"))
        third = ModuleBundle(store, "template")
    finally:
        sys.path[:] = original
    keys = {bundle._key for bundle in (first, second, third)}
    assert len(keys) == 3


def test_a_well_formed_bundle_with_wrong_contents_is_never_trusted(tmp_path: Path) -> None:
    """Entries of the wrong shape, and lengths pointing past the file, are misses: the module
    is imported from its source."""
    code = tmp_path / "code"
    code.mkdir()
    package = _package(code)
    store = PrivateDirectory(tmp_path / "bundles")
    sys.path.insert(0, str(code))
    bundle = ModuleBundle(store, "demo")
    info = (package / "b.py").stat()
    entries = {
        "pkgx": ("wrong shape",),
        "pkgx.b": (str(package / "b.py"), info.st_mtime_ns, info.st_size, False, "", 0, 10**9),
    }
    directories = _directory_states({str(package), *sys.path})
    head = marshal.dumps((bundle._identity, entries, directories))
    store.write(bundle._key, b"OHMB" + len(head).to_bytes(4, "little") + head)
    bundle.install()
    try:
        assert set(bundle._entries) == {"pkgx", "pkgx.b"}  # the index itself was accepted
        import pkgx.b  # type: ignore[import-not-found]

        assert pkgx.b.BASE == 40
        assert bundle.served == frozenset()
    finally:
        bundle.uninstall()
        sys.path.remove(str(code))
        for name in ("pkgx", "pkgx.a", "pkgx.b"):
            sys.modules.pop(name, None)


def test_a_package_that_now_shadows_a_bundled_module_is_imported(tmp_path: Path) -> None:
    """A file added beside a bundled module (here a package of the module's name, which the
    import system prefers) makes the bundle stale, as it makes the import system look again."""
    package = _package(tmp_path)
    bundles = tmp_path / "bundles"
    _run(tmp_path, bundles)
    assert _run(tmp_path, bundles)["served"] == ["pkgx", "pkgx.a", "pkgx.b"]
    (package / "b").mkdir()
    (package / "b" / "__init__.py").write_text("BASE = 7\n")
    shadowed = _run(tmp_path, bundles)
    assert shadowed["value"] == 8 and shadowed["served"] == []
    again = _run(tmp_path, bundles)
    assert again["value"] == 8 and again["served"] == ["pkgx", "pkgx.a", "pkgx.b"]


def test_an_index_longer_than_its_file_is_ignored(tmp_path: Path) -> None:
    store = PrivateDirectory(tmp_path / "bundles")
    bundle = ModuleBundle(store, "demo")
    store.write(bundle._key, b"OHMB" + (2**32 - 1).to_bytes(4, "little") + b"\x00" * 16)
    bundle.install()
    try:
        assert bundle._entries == {}
    finally:
        bundle.uninstall()
