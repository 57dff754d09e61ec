"""Go's path package (base, dir, clean, ext, isAbs). The `os*` variants are path/filepath,
which on Linux (where Helm runs) behaves the same for these functions."""

from __future__ import annotations

from otterhelm.template.gotypes import STRING, Func


def clean(path: str) -> str:
    """path.Clean: lexical processing of `.`, `..` and repeated slashes."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def base(path: str) -> str:
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def dir_(path: str) -> str:
    return clean(path[: path.rfind("/") + 1])


def ext(path: str) -> str:
    for index in range(len(path) - 1, -1, -1):
        if path[index] == "/":
            break
        if path[index] == ".":
            return path[index:]
    return ""


def is_abs(path: str) -> bool:
    return path.startswith("/")


FUNCS: dict[str, Func] = {
    "base": Func(base, (STRING,)),
    "dir": Func(dir_, (STRING,)),
    "clean": Func(clean, (STRING,)),
    "ext": Func(ext, (STRING,)),
    "isAbs": Func(is_abs, (STRING,)),
    "osBase": Func(base, (STRING,)),
    "osClean": Func(clean, (STRING,)),
    "osDir": Func(dir_, (STRING,)),
    "osExt": Func(ext, (STRING,)),
    "osIsAbs": Func(is_abs, (STRING,)),
}
