"""Errors the codecs raise; str() is the text the Go library would give."""

from __future__ import annotations

from otterhelm.errors import InvalidArgument


class CodecError(InvalidArgument):
    """A value could not be encoded or a document could not be decoded."""


class JsonError(CodecError):
    """encoding/json failed; str() is Go's message (`json: unsupported value: NaN`)."""


class YamlError(CodecError):
    """YAML decoding or encoding failed; str() is the message Helm prints
    (`error converting YAML to JSON: yaml: line 3: did not find expected key`)."""


class TomlError(CodecError):
    """TOML encoding or decoding failed; str() is BurntSushi/toml's message where known."""
