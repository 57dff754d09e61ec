"""Sprig's string functions (strings.go plus the goutils/xstrings helpers it calls).

Several helpers work on bytes, not characters, exactly as their Go versions do: `trunc`,
`substr`, `abbrev` and `wrap` slice UTF-8 bytes, and `nospace`/`initials` read each byte
as a rune of its own.
"""

from __future__ import annotations

import unicodedata

from otterhelm.funcs.gokinds import StringList, StringMap, from_bytes, is_list, is_nil, strval, to_bytes
from otterhelm.template.fmt import format_value, go_quote
from otterhelm.template.gotypes import ANY, INT, STRING, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085 (NEL), U+00A0 (NBSP) and category Z.
_LATIN1_SPACES = frozenset("\t\n\v\f\r \x85\xa0")


def go_is_space(char: str) -> bool:
    if ord(char) < 0x100:
        return char in _LATIN1_SPACES
    return unicodedata.category(char) in ("Zs", "Zl", "Zp")


def is_upper(char: str) -> bool:
    return unicodedata.category(char) == "Lu"


def is_lower(char: str) -> bool:
    return unicodedata.category(char) == "Ll"


def is_title(char: str) -> bool:
    return unicodedata.category(char) == "Lt"


def is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def is_number(char: str) -> bool:
    return unicodedata.category(char).startswith("N")


def is_punct(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def to_upper(char: str) -> str:
    # Go maps one rune to one rune; Python may expand ("ß" -> "SS"), which Go never does.
    upper = char.upper()
    return upper if len(upper) == 1 else char


def to_lower(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


def to_title(char: str) -> str:
    title = char.title()
    return title if len(title) == 1 else to_upper(char)


def go_upper(text: str) -> str:
    return "".join(to_upper(char) for char in text)


def go_lower(text: str) -> str:
    return "".join(to_lower(char) for char in text)


def go_title(text: str) -> str:
    """strings.Title: upper-case (title-case) the first letter of each word; words start
    after anything that is not a letter, digit, underscore or mark."""
    out: list[str] = []
    prev = " "
    for char in text:
        out.append(to_title(char) if _is_separator(prev) else char)
        prev = char
    return "".join(out)


def _is_separator(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if is_letter(char) or unicodedata.category(char) == "Nd":
        return False
    return go_is_space(char)


def go_trim_space(text: str) -> str:
    start, end = 0, len(text)
    while start < end and go_is_space(text[start]):
        start += 1
    while end > start and go_is_space(text[end - 1]):
        end -= 1
    return text[start:end]


def go_trim(text: str, cutset: str) -> str:
    if not text or not cutset:
        return text
    chars = set(cutset)
    start, end = 0, len(text)
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return text[start:end]


def go_split(text: str, sep: str, limit: int = -1) -> list[str]:
    """strings.SplitN: an empty separator splits into UTF-8 sequences; n == 0 gives nil."""
    if limit == 0:
        return []
    if sep == "":
        chars = list(text)
        if 0 < limit < len(chars):
            return [*chars[: limit - 1], "".join(chars[limit - 1 :])]
        return chars
    if limit < 0:
        return text.split(sep)
    return text.split(sep, limit - 1)


# ---- goutils (Masterminds/goutils v1.1.1) ------------------------------------------------


def _abbreviate_full(text: str, offset: int, max_width: int) -> str:
    data = to_bytes(text)
    if not data:
        return ""
    if max_width < 4:
        return ""
    if len(data) <= max_width:
        return text
    offset = min(offset, len(data))
    if len(data) - offset < max_width - 3:
        offset = len(data) - (max_width - 3)
    if offset <= 4:
        return from_bytes(data[: max_width - 3]) + "..."
    if max_width < 7:
        return ""
    if offset + max_width - 3 < len(data):
        return "..." + _abbreviate_full(from_bytes(data[offset:]), 0, max_width - 3)
    return "..." + from_bytes(data[len(data) - (max_width - 3) :])


def abbrev(width: int, text: str) -> str:
    if width < 4:
        return text
    return _abbreviate_full(text, 0, width)


def abbrevboth(left: int, right: int, text: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return text
    return _abbreviate_full(text, left, right)


def _latin1_runes(text: str) -> list[str]:
    # goutils iterates bytes and converts each byte to a rune of its own.
    return [chr(byte) for byte in to_bytes(text)]


def nospace(text: str) -> str:
    runes = _latin1_runes(text)
    kept = [char for char in runes if not go_is_space(char)]
    if len(kept) == len(runes):
        return text
    return "".join(kept)


def initials(text: str) -> str:
    out: list[str] = []
    last_was_gap = True
    for char in _latin1_runes(text):
        if go_is_space(char):
            last_was_gap = True
        elif last_was_gap:
            out.append(char)
            last_was_gap = False
    return "".join(out)


def untitle(text: str) -> str:
    out: list[str] = []
    next_lower = True
    for char in text:
        if go_is_space(char):
            next_lower = True
            out.append(char)
        elif next_lower:
            out.append(to_lower(char))
            next_lower = False
        else:
            out.append(char)
    return "".join(out)


def swapcase(text: str) -> str:
    out: list[str] = []
    whitespace = True
    for char in text:
        if is_upper(char) or is_title(char):
            out.append(to_lower(char))
            whitespace = False
        elif is_lower(char):
            out.append(to_title(char) if whitespace else to_upper(char))
            whitespace = False
        else:
            out.append(char)
            whitespace = go_is_space(char)
    return "".join(out)


def wrap_custom(text: str, wrap_length: int, newline: str, wrap_long_words: bool) -> str:
    data = to_bytes(text)
    if not data:
        return ""
    sep = to_bytes(newline or "\n")
    wrap_length = max(wrap_length, 1)
    total = len(data)
    offset = 0
    out = bytearray()
    while total - offset > wrap_length:
        if data[offset] == 0x20:
            offset += 1
            continue
        end = wrap_length + offset + 1
        space_at = data[offset:end].rfind(b" ") + offset
        if space_at >= offset:
            out += data[offset:space_at] + sep
            offset = space_at + 1
        elif wrap_long_words:
            end = wrap_length + offset
            out += data[offset:end] + sep
            offset += wrap_length
        else:
            end = wrap_length + offset
            index = data[end:].find(b" ")
            if index == -1:
                out += data[offset:]
                offset = total
            else:
                space_at = index + end
                out += data[offset:space_at] + sep
                offset = space_at + 1
    out += data[offset:]
    return from_bytes(bytes(out))


# ---- xstrings v1.5.0 case conversion --------------------------------------------------------

_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _is_connector(char: str) -> bool:
    return char in "-_" or go_is_space(char)


def _is_alphabet(char: str) -> bool:
    if not is_letter(char):
        return False
    code = ord(char)
    if code < 0x3400:
        return True
    return not (0x4E00 <= code <= 0x9FCC or 0x3400 <= code <= 0x4D85 or 0x20000 <= code <= 0x2B81D)


def _next_word(text: str) -> tuple[int, str, str]:
    if not text:
        return _INVALID, "", ""
    first = text[0]
    if 0xDC80 <= ord(first) <= 0xDCFF:
        return _INVALID, first, text[1:]
    offset = 1
    if _is_connector(first):
        kind = _CONNECTOR
        while offset < len(text) and _is_connector(text[offset]):
            offset += 1
    elif is_punct(first):
        kind = _PUNCT
        while offset < len(text) and is_punct(text[offset]):
            offset += 1
    elif is_upper(first):
        kind = _UPPER
        if offset < len(text):
            char = text[offset]
            if is_upper(char):
                while offset < len(text) and is_upper(text[offset]):
                    offset += 1
                # "HTTPStatus" splits into "HTTP" and "Status".
                if offset < len(text) and _is_alphabet(text[offset]):
                    offset -= 1
            elif _is_alphabet(char):
                while offset < len(text) and _is_alphabet(text[offset]) and not is_upper(text[offset]):
                    offset += 1
    elif _is_alphabet(first):
        kind = _ALPHA
        while offset < len(text) and _is_alphabet(text[offset]) and not is_upper(text[offset]):
            offset += 1
    elif is_number(first):
        kind = _NUMBER
        while offset < len(text) and is_number(text[offset]):
            offset += 1
    else:
        kind = _OTHER
        while offset < len(text):
            char = text[offset]
            if _is_connector(char) or _is_alphabet(char) or is_number(char) or is_punct(char):
                break
            offset += 1
    return kind, text[:offset], text[offset:]


def _lower_word(out: list[str], kind: int, word: str, connector: str) -> None:
    if kind not in (_UPPER, _CONNECTOR):
        out.append(word)
        return
    for char in word:
        if _is_connector(char):
            out.append(connector)
        else:
            out.append(to_lower(char) if is_upper(char) else char)


def _camel_to_lower(text: str, connector: str) -> str:
    if not text:
        return ""
    out: list[str] = []
    kind, word, remaining = _next_word(text)
    while remaining:
        if kind != _CONNECTOR:
            _lower_word(out, kind, word, connector)
        prev, last = kind, word
        kind, word, remaining = _next_word(remaining)
        if prev == _NUMBER:
            while kind in (_ALPHA, _NUMBER):
                _lower_word(out, kind, word, connector)
                kind, word, remaining = _next_word(remaining)
            if kind not in (_INVALID, _PUNCT, _CONNECTOR):
                out.append(connector)
        elif prev == _CONNECTOR:
            _lower_word(out, prev, last, connector)
        elif prev == _PUNCT:
            pass
        else:
            if kind != _NUMBER:
                if kind not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            if not remaining:
                continue
            last = word
            kind, word, remaining = _next_word(remaining)
            if kind != _ALPHA:
                _lower_word(out, _NUMBER, last, connector)
                if kind not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            out.append(connector)
            _lower_word(out, _NUMBER, last, connector)
            while kind in (_ALPHA, _NUMBER):
                _lower_word(out, kind, word, connector)
                kind, word, remaining = _next_word(remaining)
            if kind not in (_INVALID, _CONNECTOR, _PUNCT):
                out.append(connector)
    _lower_word(out, kind, word, connector)
    return "".join(out)


def snakecase(text: str) -> str:
    return _camel_to_lower(text, "_")


def kebabcase(text: str) -> str:
    return _camel_to_lower(text, "-")


def camelcase(text: str) -> str:
    """xstrings.ToPascalCase (leading connectors are kept; words are capitalised)."""
    if not text:
        return ""
    out: list[str] = []
    chars = list(text)
    index = 0
    current = ""
    first_upper = False
    while index < len(chars):
        current = chars[index]
        index += 1
        if not _is_connector(current):
            first_upper = is_upper(current)
            current = to_upper(current)
            break
        out.append(current)
    if index >= len(chars):
        # xstrings writes the last rune again here, even when it was a connector.
        out.append(current)
        return "".join(out)
    while index < len(chars):
        previous = current
        current = chars[index]
        index += 1
        if _is_connector(current) and _is_connector(previous):
            out.append(previous)
            continue
        if _is_connector(previous):
            first_upper = is_upper(current)
            current = to_upper(current)
        else:
            if first_upper:
                if is_upper(current):
                    current = to_lower(current)
                else:
                    first_upper = False
            out.append(previous)
    out.append(current)
    return "".join(out)


# ---- sprig strings.go -----------------------------------------------------------------------


def quote(*args: Any) -> str:
    return " ".join(go_quote(strval(arg)) for arg in args if not is_nil(arg))


def squote(*args: Any) -> str:
    return " ".join("'" + format_value(arg) + "'" for arg in args if not is_nil(arg))


def cat(*args: Any) -> str:
    return " ".join(format_value(arg) for arg in args if not is_nil(arg))


def indent(spaces: int, text: str) -> str:
    pad = repeat(spaces, " ")
    return pad + text.replace("\n", "\n" + pad)


def nindent(spaces: int, text: str) -> str:
    return "\n" + indent(spaces, text)


def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


def strslice(value: Any) -> StringList:
    """sprig's strslice (toStrings): lists drop nil elements and strval the rest; a
    scalar becomes a one-element list and nil an empty one."""
    if isinstance(value, StringList):
        return value
    if is_list(value):
        return StringList(strval(item) for item in value if not is_nil(item))
    if is_nil(value):
        return StringList()
    return StringList([strval(value)])


def join(sep: str, value: Any) -> str:
    return sep.join(strslice(value))


def sort_alpha(value: Any) -> StringList:
    if is_list(value):
        # Go compares strings bytewise, which is code-point order for valid UTF-8.
        return StringList(sorted(strslice(value), key=to_bytes))
    return StringList([strval(value)])


def split(sep: str, text: str) -> StringMap:
    return StringMap({f"_{index}": part for index, part in enumerate(go_split(text, sep))})


def splitn(sep: str, count: int, text: str) -> StringMap:
    return StringMap({f"_{index}": part for index, part in enumerate(go_split(text, sep, count))})


def split_list(sep: str, text: str) -> StringList:
    return StringList(go_split(text, sep))


def trunc(count: int, text: str) -> str:
    data = to_bytes(text)
    if count < 0 and len(data) + count > 0:
        return from_bytes(data[len(data) + count :])
    if count >= 0 and len(data) > count:
        return from_bytes(data[:count])
    return text


def substr(start: int, end: int, text: str) -> str:
    data = to_bytes(text)
    try:
        if start < 0:
            return from_bytes(_go_slice(data, 0, end))
        if end < 0 or end > len(data):
            return from_bytes(_go_slice(data, start, len(data)))
        return from_bytes(_go_slice(data, start, end))
    except IndexError as error:
        raise FuncError(str(error)) from None


def _go_slice(data: bytes, low: int, high: int) -> bytes:
    if high < 0:
        raise IndexError(f"runtime error: slice bounds out of range [:{high}]")
    if high > len(data):
        raise IndexError(f"runtime error: slice bounds out of range [:{high}] with length {len(data)}")
    if low > high:
        raise IndexError(f"runtime error: slice bounds out of range [{low}:{high}]")
    return data[low:high]


def repeat(count: int, text: str) -> str:
    if count < 0:
        raise FuncError("strings: negative Repeat count")
    return text * count


def _contains(sub: str, text: str) -> bool:
    return sub in text


def _has_prefix(prefix: str, text: str) -> bool:
    return text.startswith(prefix)


def _has_suffix(suffix: str, text: str) -> bool:
    return text.endswith(suffix)


def _trim_suffix(suffix: str, text: str) -> str:
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


def _trim_prefix(prefix: str, text: str) -> str:
    return text[len(prefix) :] if text.startswith(prefix) else text


def _trim_all(cutset: str, text: str) -> str:
    return go_trim(text, cutset)


def _replace(old: str, new: str, text: str) -> str:
    if old == "":
        # strings.Replace with an empty old inserts new around every rune.
        return new + new.join(text) + new if text else new
    return text.replace(old, new)


def _wrap(width: int, text: str) -> str:
    return wrap_custom(text, width, "", False)


def _wrap_with(width: int, sep: str, text: str) -> str:
    return wrap_custom(text, width, sep, True)


FUNCS: dict[str, Func] = {
    "hello": Func(lambda: "Hello!", ()),
    "abbrev": Func(abbrev, (INT, STRING)),
    "abbrevboth": Func(abbrevboth, (INT, INT, STRING)),
    "trunc": Func(trunc, (INT, STRING)),
    "trim": Func(go_trim_space, (STRING,)),
    "upper": Func(go_upper, (STRING,)),
    "lower": Func(go_lower, (STRING,)),
    "title": Func(go_title, (STRING,)),
    "untitle": Func(untitle, (STRING,)),
    "substr": Func(substr, (INT, INT, STRING)),
    "repeat": Func(repeat, (INT, STRING)),
    "trimall": Func(_trim_all, (STRING, STRING)),
    "trimAll": Func(_trim_all, (STRING, STRING)),
    "trimSuffix": Func(_trim_suffix, (STRING, STRING)),
    "trimPrefix": Func(_trim_prefix, (STRING, STRING)),
    "nospace": Func(nospace, (STRING,)),
    "initials": Func(initials, (STRING,)),
    "swapcase": Func(swapcase, (STRING,)),
    "snakecase": Func(snakecase, (STRING,)),
    "camelcase": Func(camelcase, (STRING,)),
    "kebabcase": Func(kebabcase, (STRING,)),
    "wrap": Func(_wrap, (INT, STRING)),
    "wrapWith": Func(_wrap_with, (INT, STRING, STRING)),
    "contains": Func(_contains, (STRING, STRING)),
    "hasPrefix": Func(_has_prefix, (STRING, STRING)),
    "hasSuffix": Func(_has_suffix, (STRING, STRING)),
    "quote": Func(quote, (), ANY),
    "squote": Func(squote, (), ANY),
    "cat": Func(cat, (), ANY),
    "indent": Func(indent, (INT, STRING)),
    "nindent": Func(nindent, (INT, STRING)),
    "replace": Func(_replace, (STRING, STRING, STRING)),
    "plural": Func(plural, (STRING, STRING, INT)),
    "toString": Func(strval, (ANY,)),
    "split": Func(split, (STRING, STRING)),
    "splitList": Func(split_list, (STRING, STRING)),
    "splitn": Func(splitn, (STRING, INT, STRING)),
    "toStrings": Func(strslice, (ANY,)),
    "join": Func(join, (STRING, ANY)),
    "sortAlpha": Func(sort_alpha, (ANY,)),
}
