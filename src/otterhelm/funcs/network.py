"""`getHostByName`. Helm replaces sprig's DNS lookup with a function that returns "" unless
DNS lookups are enabled (`--enable-dns`), which otterhelm does not offer."""

from __future__ import annotations

from otterhelm.template.gotypes import STRING, Func


def get_host_by_name(_name: str) -> str:
    return ""


FUNCS: dict[str, Func] = {
    "getHostByName": Func(get_host_by_name, (STRING,)),
}
