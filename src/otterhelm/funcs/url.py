"""Sprig's urlParse and urlJoin (url.go) over a port of the parts of Go's net/url they use:
Parse (scheme, opaque, authority, percent-decoding of path and fragment) and URL.String()
with Go's escaping rules per URL component."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from otterhelm.funcs.gokinds import NIL_DEREFERENCE, from_bytes, go_kind, to_bytes
from otterhelm.template.fmt import go_quote
from otterhelm.template.gotypes import DICT, STRING, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PATH, _PATH_SEGMENT, _HOST, _ZONE, _USER_PASSWORD, _QUERY_COMPONENT, _FRAGMENT = range(7)
_UPPER_HEX = "0123456789ABCDEF"


class _URLError(ValueError):
    pass


def _should_escape(byte: int, mode: int) -> bool:
    char = chr(byte)
    if char.isascii() and char.isalnum():
        return False
    if mode in (_HOST, _ZONE) and char in "!$&'()*+,;=:[]<>\"":
        return False
    if char in "-_.~":
        return False
    if char in "$&+,/:;=?@":
        if mode == _PATH:
            return char == "?"
        if mode == _PATH_SEGMENT:
            return char in "/;,?"
        if mode == _USER_PASSWORD:
            return char in "@/?:"
        if mode == _QUERY_COMPONENT:
            return True
        if mode == _FRAGMENT:
            return False
    return not (mode == _FRAGMENT and char in "!()*")


def escape(text: str, mode: int) -> str:
    out: list[str] = []
    for byte in to_bytes(text):
        if _should_escape(byte, mode):
            if byte == 0x20 and mode == _QUERY_COMPONENT:
                out.append("+")
            else:
                out.append("%" + _UPPER_HEX[byte >> 4] + _UPPER_HEX[byte & 15])
        else:
            out.append(chr(byte))
    return "".join(out)


def _is_hex(char: str) -> bool:
    return char in "0123456789abcdefABCDEF"


def unescape(text: str, mode: int) -> str:
    data = to_bytes(text)
    index = 0
    while index < len(data):
        if data[index] == 0x25:  # '%'
            if (
                index + 2 >= len(data)
                or not _is_hex(chr(data[index + 1]))
                or not _is_hex(chr(data[index + 2]))
            ):
                raise _URLError(f"invalid URL escape {go_quote(from_bytes(data[index : index + 3]))}")
            escaped = from_bytes(data[index : index + 3])
            if mode == _HOST and int(escaped[1:], 16) < 0x80 and escaped != "%25":
                raise _URLError(f"invalid URL escape {go_quote(escaped)}")
            index += 3
        else:
            if mode in (_HOST, _ZONE) and data[index] < 0x80 and _should_escape(data[index], mode):
                raise _URLError(f"invalid character {go_quote(chr(data[index]))} in host name")
            index += 1
    out = bytearray()
    index = 0
    while index < len(data):
        byte = data[index]
        if byte == 0x25:
            out.append(int(data[index + 1 : index + 3], 16))
            index += 3
        elif byte == 0x2B and mode == _QUERY_COMPONENT:
            out.append(0x20)
            index += 1
        else:
            out.append(byte)
            index += 1
    return out.decode("utf-8", "surrogateescape")


@dataclass
class _Userinfo:
    username: str
    password: str | None

    def __str__(self) -> str:
        text = escape(self.username, _USER_PASSWORD)
        if self.password is not None:
            text += ":" + escape(self.password, _USER_PASSWORD)
        return text


@dataclass
class ParsedURL:
    scheme: str = ""
    opaque: str = ""
    user: _Userinfo | None = None
    host: str = ""
    path: str = ""
    raw_query: str = ""
    fragment: str = ""
    force_query: bool = False
    omit_host: bool = False

    def hostname(self) -> str:
        host = self.host
        colon = host.rfind(":")
        if colon != -1 and _valid_optional_port(host[colon:]):
            host = host[:colon]
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host

    def __str__(self) -> str:
        out: list[str] = []
        if self.scheme:
            out += [self.scheme, ":"]
        if self.opaque:
            out.append(self.opaque)
        else:
            if (self.scheme or self.host or self.user is not None) and not (
                self.omit_host and not self.host and self.user is None
            ):
                if self.host or self.path or self.user is not None:
                    out.append("//")
                if self.user is not None:
                    out += [str(self.user), "@"]
                if self.host:
                    out.append(escape(self.host, _HOST))
            path = "*" if self.path == "*" else escape(self.path, _PATH)
            if path and not path.startswith("/") and self.host:
                out.append("/")
            if not out and ":" in path.partition("/")[0]:
                out.append("./")
            out.append(path)
        if self.force_query or self.raw_query:
            out += ["?", self.raw_query]
        if self.fragment:
            out += ["#", escape(self.fragment, _FRAGMENT)]
        return "".join(out)


def _valid_optional_port(port: str) -> bool:
    if port == "":
        return True
    if port[0] != ":":
        return False
    return all(char in "0123456789" for char in port[1:])


def _get_scheme(raw: str) -> tuple[str, str]:
    for index, char in enumerate(raw):
        if char.isascii() and char.isalpha():
            continue
        if char.isascii() and (char.isdigit() or char in "+-."):
            if index == 0:
                return "", raw
            continue
        if char == ":":
            if index == 0:
                raise _URLError("missing protocol scheme")
            return raw[:index], raw[index + 1 :]
        return "", raw
    return "", raw


def _parse_host(host: str, scheme: str) -> str:
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            raise _URLError("missing ']' in host")
        port = host[end + 1 :]
        if not _valid_optional_port(port):
            raise _URLError(f"invalid port {go_quote(port)} after host")
        address = host[1:end].partition("%25")[0]
        _check_ip_literal(address)
        return unescape(host, _HOST)
    if "[" in host:
        raise _URLError("invalid IP-literal")
    # For http and https Go checks everything after the first colon; otherwise after the last.
    colon = host.find(":") if scheme in ("http", "https") else host.rfind(":")
    if colon != -1:
        port = host[colon:]
        if not _valid_optional_port(port):
            raise _URLError(f"invalid port {go_quote(port)} after host")
    return unescape(host, _HOST)


def _check_ip_literal(address: str) -> None:
    """Go accepts only IPv6 addresses between brackets (netip.ParseAddr, then not Is4)."""
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        pass
    else:
        raise _URLError("invalid IP-literal")
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        raise _URLError(f"invalid host: ParseAddr({go_quote(address)}): unable to parse IP") from None


def _valid_userinfo(text: str) -> bool:
    for char in text:
        if char.isascii() and char.isalnum():
            continue
        if char in "-._:~!$&'()*+,;=%@":
            continue
        return False
    return True


def _parse_authority(authority: str, scheme: str) -> tuple[_Userinfo | None, str]:
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1 :] if at >= 0 else authority, scheme)
    if at < 0:
        return None, host
    userinfo = authority[:at]
    if not _valid_userinfo(userinfo):
        raise _URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return _Userinfo(unescape(userinfo, _USER_PASSWORD), None), host
    username, _, password = userinfo.partition(":")
    return _Userinfo(unescape(username, _USER_PASSWORD), unescape(password, _USER_PASSWORD)), host


def parse_url(raw_url: str) -> ParsedURL:
    """net/url.Parse; errors carry Go's `parse "URL": reason` text, quoting the URL
    without its fragment unless the fragment is what failed."""
    without_fragment, _, fragment = raw_url.partition("#")
    try:
        url = _parse_without_fragment(without_fragment)
    except _URLError as error:
        raise _URLError(f"parse {go_quote(without_fragment)}: {error}") from None
    try:
        url.fragment = unescape(fragment, _FRAGMENT)
    except _URLError as error:
        raise _URLError(f"parse {go_quote(raw_url)}: {error}") from None
    return url


def _parse_without_fragment(raw: str) -> ParsedURL:
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in raw):
        raise _URLError("net/url: invalid control character in URL")
    url = ParsedURL()
    if raw == "*":
        url.path = "*"
        return url
    scheme, rest = _get_scheme(raw)
    url.scheme = scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        url.force_query = True
        rest = rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if url.scheme:
            url.opaque = rest
            return url
        if ":" in rest.partition("/")[0]:
            raise _URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, rest = rest[2:], ""
        slash = authority.find("/")
        if slash >= 0:
            authority, rest = authority[:slash], authority[slash:]
        url.user, url.host = _parse_authority(authority, url.scheme)
    elif url.scheme and rest.startswith("/"):
        url.omit_host = True
    url.path = unescape(rest, _PATH)
    return url


def url_parse(text: str) -> dict[str, Any]:
    try:
        url = parse_url(text)
    except _URLError as error:
        raise FuncError(f"unable to parse url: {error}") from None
    return {
        "scheme": url.scheme,
        "host": url.host,
        "hostname": url.hostname(),
        "path": url.path,
        "query": url.raw_query,
        "opaque": url.opaque,
        "fragment": url.fragment,
        "userinfo": str(url.user) if url.user is not None else "",
    }


def _get_string(mapping: dict[str, Any], key: str) -> str:
    if key not in mapping:
        return ""
    value = mapping[key]
    kind = "invalid" if value is None else go_kind(value)
    if kind != "string":
        if value is None:
            raise FuncError(NIL_DEREFERENCE)
        raise FuncError(f"unable to parse {key} key, must be of type string, but {kind} found")
    return str(value)


def url_join(mapping: dict[str, Any] | None) -> str:
    source = mapping or {}
    url = ParsedURL(
        scheme=_get_string(source, "scheme"),
        host=_get_string(source, "host"),
        path=_get_string(source, "path"),
        raw_query=_get_string(source, "query"),
        opaque=_get_string(source, "opaque"),
        fragment=_get_string(source, "fragment"),
    )
    userinfo = _get_string(source, "userinfo")
    if userinfo:
        try:
            url.user = parse_url(f"proto://{userinfo}@host").user
        except _URLError as error:
            raise FuncError(f"unable to parse userinfo in dict: {error}") from None
    return str(url)


FUNCS: dict[str, Func] = {
    "urlParse": Func(url_parse, (STRING,)),
    "urlJoin": Func(url_join, (DICT,)),
}
