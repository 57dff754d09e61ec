"""Helm's YAML: toYaml, toYamlPretty, fromYaml and values files, byte for byte.

- `to_yaml(v)` is sigs.k8s.io/yaml.Marshal: json.Marshal, then go-yaml v2 reads that JSON
  back (so integral floats become ints) and its emitter writes block YAML: keys in go-yaml's
  order, ambiguous strings quoted, long strings folded at 80 columns, sequences not indented
  under their key. Helm's template function trims the final newline; `to_yaml` returns the
  Marshal bytes with that newline trimmed too, since every caller (toYaml, mustToYaml,
  `.Files.AsConfig`) wants Helm's form. `marshal` keeps the newline.
- `to_yaml_pretty(v)` is Helm's toYamlPretty: go-yaml v3's encoder, indent 2, sequences
  indented, no folding, no JSON round trip (float64 prints as %g), final newline trimmed.
- `load(text)` is sigs.k8s.io/yaml.Unmarshal into interface{}; `load_values(text)` is Helm
  v4's loader.LoadValues (every document merged into one map).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

from otterhelm.codec.depth import deep_recursion
from otterhelm.codec.errors import CodecError, JsonError, YamlError
from otterhelm.codec.gofloat import format_json
from otterhelm.codec.json import OpenContainers, go_kind_name, to_json, to_jsonable
from otterhelm.codec.yaml_emit import EmitterStyle, emit
from otterhelm.codec.yaml_lines import NotInSubset, read_block_document
from otterhelm.codec.yaml_resolve import Tag, needs_quotes_v2, needs_quotes_v3, resolve
from otterhelm.template.gotypes import MISSING

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "YamlError",
    "load",
    "load_list",
    "load_map",
    "load_values",
    "marshal",
    "merge_maps",
    "to_yaml",
    "to_yaml_pretty",
]

_V2_STYLE = EmitterStyle(best_width=80, indentless_sequences=True, needs_quotes=needs_quotes_v2)
_V3_STYLE = EmitterStyle(
    best_width=(1 << 31) - 1,
    indentless_sequences=False,
    needs_quotes=needs_quotes_v3,
    tab_blocks_literal=False,
    v3_key_order=True,
)
_YAML_UNREADABLE = "[\x7f-\x84\x86-\x9f\ufffe\uffff]"
_MAP_TYPE = "map[string]interface {}"


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    """The patterns of this module, compiled when first used (it loads on every run)."""
    return re.compile(source)


_LIST_TYPE = "[]interface {}"


def _json_number(text: str) -> Any:
    # go-yaml v2 reading the JSON text: the number's own spelling decides int or float.
    tag, value = resolve(text)
    return value if tag in (Tag.INT, Tag.FLOAT) else float(text)


class _NeedsTextRoundTrip(Exception):
    """A string the JSON text would change on its way through go-yaml (NEL, lone surrogates)."""


_STRING_NEEDS_TEXT = "[\x85\ud800-\udfff]"
_EXACT_INTEGERS = float(1 << 53)


def _read_back(value: Any, path: OpenContainers) -> Any:
    """What go-yaml reads back from json.Marshal(value), computed without the text: integral
    floats below 2**64 become ints, []byte becomes base64 text, host objects their JSON form.
    Raises JsonError as json.Marshal would and _NeedsTextRoundTrip for the rare strings whose
    text the YAML reader alters."""
    if value is None or value is MISSING or value is True or value is False:
        return None if value is MISSING else value
    if isinstance(value, str):
        return _readable_text(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return to_json(value)  # raises Go's unsupported-value error
        if value.is_integer():
            if abs(value) < _EXACT_INTEGERS:
                return int(value)
            # Beyond 2**53 Go writes the shortest digits padded with zeros, and go-yaml reads
            # that text: an int, a uint64 or a float depending on its size.
            return _json_number(format_json(value))
        return value
    if isinstance(value, (dict, list, tuple)):
        path.enter(value)
        try:
            if isinstance(value, dict):
                return {_read_back_key(key): _read_back(item, path) for key, item in value.items()}
            return [_read_back(item, path) for item in value]
        finally:
            path.leave()
    return _read_back(to_jsonable(value), path)


def _read_back_key(key: Any) -> str:
    return _readable_text(str(key))


def _readable_text(text: str) -> str:
    """`text` as go-yaml reads it back; raises for the strings it alters or rejects."""
    if text.isascii():
        # Neither NEL nor surrogates are ASCII; DEL is the one unreadable ASCII character
        # (isascii is a flag check, `in` a memchr: far cheaper than the searches below).
        if "\x7f" in text:
            raise YamlError("yaml: control characters are not allowed")
        return text
    if _pattern(_STRING_NEEDS_TEXT).search(text):
        raise _NeedsTextRoundTrip
    if _pattern(_YAML_UNREADABLE).search(text):
        raise YamlError("yaml: control characters are not allowed")
    return text


def _deep_enough(produce: Callable[[], str]) -> str:
    """Run an encoder, again with room for go-yaml's full depth if the first try runs out."""
    try:
        return produce()
    except RecursionError:
        with deep_recursion():
            return produce()


def marshal(value: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(value) with its final newline. Raises CodecError where Go
    returns an error (NaN, infinities, unsupported host objects)."""
    try:
        return _deep_enough(lambda: emit(_read_back(value, OpenContainers()), _V2_STYLE))
    except JsonError as error:
        raise YamlError(f"error marshaling into JSON: {error}") from None
    except _NeedsTextRoundTrip:
        return marshal_through_json_text(value)


def marshal_through_json_text(value: Any) -> str:
    """Marshal by Go's own route: the JSON text, read back by go-yaml's rules, then emitted.
    `marshal` computes the same read-back directly and comes here only for strings the text
    route alters."""
    try:
        json_text = to_json(value)
    except JsonError as error:
        raise YamlError(f"error marshaling into JSON: {error}") from None
    if _pattern(_YAML_UNREADABLE).search(json_text):
        # encoding/json writes these raw, and go-yaml's reader then refuses the JSON text.
        raise YamlError("yaml: control characters are not allowed")
    if "\x85" in json_text:
        # encoding/json leaves NEL raw and go-yaml then folds it as a line break inside the
        # double-quoted JSON string; reading the JSON with the YAML parser does the same.
        from otterhelm.codec.yaml_load import decode_json_as_yaml

        round_tripped = decode_json_as_yaml(json_text)
    else:
        import json  # only for the rare strings whose JSON text must be read back

        round_tripped = json.loads(json_text, parse_int=_json_number, parse_float=_json_number)
    return _deep_enough(lambda: emit(round_tripped, _V2_STYLE))


def to_yaml(value: Any) -> str:
    """Helm's toYaml output (Marshal with the final newline trimmed)."""
    text = marshal(value)
    return text[:-1] if text.endswith("\n") else text


def to_yaml_pretty(value: Any) -> str:
    """Helm's toYamlPretty output (go-yaml v3, indent 2, final newline trimmed)."""
    text = _deep_enough(lambda: emit(to_jsonable(value), _V3_STYLE))
    return text[:-1] if text.endswith("\n") else text


def load(text: str | bytes) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &interface{}): maps, lists, strings, bools, None and
    float64 numbers. Raises YamlError with Go's message."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        # Plain block-style documents are read without the parser.
        return read_block_document(text)
    except NotInSubset:
        pass
    # The parser (PyYAML and its libyaml binding) loads on first use only.
    from otterhelm.codec.yaml_load import decode

    return decode(text)


def _unmarshal_into(value: Any, target_type: str, empty: Any) -> Any:
    if value is None:
        return empty
    kind_ok = isinstance(value, dict) if target_type == _MAP_TYPE else isinstance(value, list)
    if not kind_ok:
        raise YamlError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{go_kind_name(value)} into Go value of type {target_type}"
        )
    return value


def load_map(text: str | bytes) -> dict[str, Any]:
    """sigs.k8s.io/yaml.Unmarshal into map[string]interface{} (fromYaml, values documents)."""
    result: dict[str, Any] = _unmarshal_into(load(text), _MAP_TYPE, {})
    return result


def load_list(text: str | bytes) -> list[Any]:
    """sigs.k8s.io/yaml.Unmarshal into []interface{} (fromYamlArray)."""
    result: list[Any] = _unmarshal_into(load(text), _LIST_TYPE, [])
    return result


def merge_maps(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Helm's loader.MergeMaps: nested maps merge, anything else in `overlay` replaces."""
    out = dict(base)
    for key, value in overlay.items():
        existing = out.get(key)
        if isinstance(value, dict) and isinstance(existing, dict):
            out[key] = merge_maps(existing, value)
        else:
            out[key] = value
    return out


def split_documents(text: str) -> list[str]:
    """k8s.io/apimachinery's YAMLReader: documents separated by lines starting `---`.

    A separator line may carry only spaces or a comment after the dashes. A separator met
    before any content stays part of the document that follows it, as in Go."""
    if "---" not in text:
        return [text] if text else []  # no line can start a separator
    documents: list[str] = []
    buffer: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            rest = line[3:].strip(" \t\r\n\v\f")
            if rest and not rest.startswith("#"):
                raise YamlError(f"error reading yaml document: invalid Yaml document separator: {rest}")
            if buffer:
                documents.append("".join(buffer))
                buffer = []
                continue
        buffer.append(line)
    if buffer:
        documents.append("".join(buffer))
    return documents


def load_values(text: str | bytes) -> dict[str, Any]:
    """Helm v4's loader.LoadValues: each document read into a map and merged in order."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if text and not text.endswith("\n"):
        text += "\n"
    values: dict[str, Any] = {}
    for document in split_documents(text):
        try:
            current = load_map(document)
        except CodecError as error:
            raise YamlError(f"cannot unmarshal yaml document: {error}") from None
        values = merge_maps(values, current)
    return values
