"""values.schema.json validation per chart (pkg/chart/common/util/jsonschema.go).

The `jsonschema` package decides validity (default draft 2020-12, or the draft the schema
declares); the report is laid out the way santhosh-tekuri/jsonschema v6 prints it, which
is what helm shows: one `- at '<pointer>': <message>` line per failure, with nested causes
indented under `validation failed`, `anyOf failed`, `oneOf failed, none matched` lines."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from otterhelm.chart.schema_validator import _TYPE_ORDER, Failure, Unsupported, Validator
from otterhelm.errors import InvalidArgument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as JsonSchemaError  # type: ignore[import-untyped]

    from otterhelm.chart.model import Chart

HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):\n"

# The order in which v6's validator checks keywords on one instance location.
_KEYWORD_ORDER = {
    name: rank
    for rank, name in enumerate(
        [
            "false",
            "type",
            "const",
            "enum",
            "format",
            "minProperties",
            "maxProperties",
            "required",
            "dependencies",
            "properties",
            "additionalProperties",
            "propertyNames",
            "dependentSchemas",
            "dependentRequired",
            "minItems",
            "maxItems",
            "uniqueItems",
            "items",
            "additionalItems",
            "contains",
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "not",
            "allOf",
            "anyOf",
            "oneOf",
            "if",
            "then",
            "else",
            "unevaluatedProperties",
            "unevaluatedItems",
        ]
    )
}


class SchemaValidationError(InvalidArgument):
    """Values that do not satisfy one or more charts' values.schema.json."""


@dataclass(slots=True)
class _Node:
    location: tuple[str, ...]
    message: str
    rank: int
    causes: list[_Node] = field(default_factory=list)

    def render(self, out: list[str], indent: int) -> None:
        out.append("  " * indent + f"- at {quote(pointer(self.location))}: {self.message}")
        for cause in self.causes:
            cause.render(out, indent + 1)


def pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def quote(text: str) -> str:
    """v6's quote(): Go %q with double quotes unescaped and single quotes escaped."""
    from otterhelm.chart.metadata import go_quote

    inner = go_quote(text)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{inner}'"


def go_float(value: float) -> str:
    """fmt's %v for a float64."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits = repr(float(value))
    mantissa, _, exp_text = digits.partition("e")
    exponent = int(exp_text) if exp_text else None
    decimal = f"{value:.17g}" if exponent is None else digits
    if exponent is None:
        # repr gives the shortest round-trip digits; recompute the decimal exponent.
        exponent = math.floor(math.log10(abs(value))) if value else 0
        decimal = digits
    if exponent < -4 or exponent >= 21:
        sign = "-" if value < 0 else ""
        sig = mantissa.lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"
        body = sig[0] + ("." + sig[1:] if len(sig) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if "e" in decimal:
        decimal = f"{value:f}".rstrip("0").rstrip(".")
    return decimal.removesuffix(".0")


def _display(value: Any) -> str:
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (list, dict)):
        return "value"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _number(value: Any) -> str:
    return go_float(float(value))


def _keyword_message(err: JsonSchemaError) -> str:
    keyword = str(err.validator)
    expected: Any = err.validator_value
    instance: Any = err.instance
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        ordered = [name for name in _TYPE_ORDER if name in wanted]
        return f"got {_json_type(instance)}, want {' or '.join(ordered)}"
    if keyword == "required":
        missing = [p for p in expected if isinstance(instance, dict) and p not in instance]
        if len(missing) == 1:
            return f"missing property {quote(missing[0])}"
        return "missing properties " + ", ".join(quote(m) for m in missing)
    if keyword == "additionalProperties":
        schema = err.schema if isinstance(err.schema, dict) else {}
        known = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extras = [k for k in instance if k not in known and not _matches_any(k, patterns)]
        return "additional properties " + ", ".join(quote(k) for k in extras) + " not allowed"
    if keyword == "enum":
        if all(not isinstance(v, (list, dict)) for v in expected):
            if len(expected) == 1:
                return f"value must be {_display(expected[0])}"
            return "value must be one of " + ", ".join(_display(v) for v in expected)
        return "enum failed"
    if keyword == "const":
        if isinstance(expected, (list, dict)):
            return "const failed"
        return f"value must be {_display(expected)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        return f"{keyword}: got {_number(instance)}, want {_number(expected)}"
    if keyword in ("minLength", "maxLength"):
        return f"{keyword}: got {len(instance)}, want {expected}"
    if keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return f"{keyword}: got {len(instance)}, want {expected}"
    if keyword == "pattern":
        return f"{quote(instance)} does not match pattern {quote(expected)}"
    if keyword == "uniqueItems":
        first, second = _duplicates(instance)
        return f"items at {first} and {second} are equal"
    if keyword == "not":
        return "not failed"
    if keyword == "anyOf":
        return "anyOf failed"
    if keyword == "oneOf":
        return "oneOf failed, none matched" if err.context else "oneOf failed, subschemas 0, 1 matched"
    if keyword == "contains":
        return "no items match contains schema"
    if keyword == "propertyNames":
        return f"invalid propertyName {quote(str(instance))}"
    if keyword in ("dependentRequired", "dependencies"):
        return str(err.message)
    if keyword == "false":
        return "false schema"
    if keyword == "format":
        return f"{_display(instance)} is not valid {expected}"
    return str(err.message)


def _duplicates(items: list[Any]) -> tuple[int, int]:
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            if a == items[j] and type(a) is type(items[j]):
                return i, j
    return 0, 1


def _matches_any(key: str, patterns: dict[str, Any]) -> bool:
    import re

    return any(re.search(p, key) for p in patterns)


def _keyword_rank(err: JsonSchemaError) -> int:
    return _KEYWORD_ORDER.get(str(err.validator), len(_KEYWORD_ORDER))


@dataclass(slots=True)
class _Builder:
    """Lays Python jsonschema errors out as v6's error tree. `validator` is the root
    validator, used to re-check `contains` items for their individual causes."""

    validator: Any

    def build(self, errors: list[JsonSchemaError], base: tuple[str, ...]) -> list[_Node]:
        """One node per failing keyword at `base`; several errors below one child location
        become a `validation failed` group, as v6 reports a failing subschema."""
        local: list[JsonSchemaError] = []
        deeper: dict[str, list[JsonSchemaError]] = {}
        for err in errors:
            path = tuple(str(p) for p in err.absolute_path)
            if path[: len(base)] != base:
                continue
            if len(path) == len(base):
                local.append(err)
            else:
                deeper.setdefault(path[len(base)], []).append(err)
        type_errors = [e for e in local if e.validator == "type"]
        if type_errors:
            # v6 stops at a type mismatch.
            return [_Node(base, _keyword_message(type_errors[0]), _keyword_rank(type_errors[0]))]
        nodes: list[_Node] = []
        seen_keywords: set[str] = set()
        for err in local:
            keyword = str(err.validator)
            if keyword in ("required", "additionalProperties") and keyword in seen_keywords:
                continue
            seen_keywords.add(keyword)
            node = _Node(base, _keyword_message(err), _keyword_rank(err))
            if keyword in ("anyOf", "oneOf") and err.context:
                node.causes = self.alternatives(err, base)
            elif keyword == "contains":
                node.causes = self.contains_causes(err, base)
            nodes.append(node)
        property_rank = _KEYWORD_ORDER["properties"]
        for token in sorted(deeper, key=_token_order):
            child = self.build(deeper[token], (*base, token))
            if len(child) == 1:
                nodes.append(_Node(child[0].location, child[0].message, property_rank, child[0].causes))
            elif child:
                nodes.append(_Node((*base, token), "validation failed", property_rank, child))
        nodes.sort(key=lambda n: n.rank)
        return nodes

    def alternatives(self, err: JsonSchemaError, base: tuple[str, ...]) -> list[_Node]:
        by_branch: dict[int, list[JsonSchemaError]] = {}
        for sub in err.context or []:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            by_branch.setdefault(int(branch), []).append(sub)
        return [self.group(self.build(by_branch[b], base), base) for b in sorted(by_branch) if by_branch[b]]

    def contains_causes(self, err: JsonSchemaError, base: tuple[str, ...]) -> list[_Node]:
        causes: list[_Node] = []
        if not isinstance(err.instance, list):
            return causes
        item_validator = self.validator.evolve(schema=err.validator_value)
        for index, item in enumerate(err.instance):
            location = (*base, str(index))
            item_errors = list(item_validator.iter_errors(item))
            for e in item_errors:
                e.path.extendleft(reversed(location))
            nodes = self.build(item_errors, location)
            if nodes:
                causes.append(self.group(nodes, location))
        return causes

    @staticmethod
    def group(nodes: list[_Node], location: tuple[str, ...]) -> _Node:
        if len(nodes) == 1:
            return nodes[0]
        return _Node(location, "validation failed", 0, nodes)


def _token_order(token: str) -> tuple[int, int | str]:
    return (0, int(token)) if token.isdigit() else (1, token)


_METASCHEMA_URLS = {
    "Draft202012Validator": "https://json-schema.org/draft/2020-12/schema#",
    "Draft201909Validator": "https://json-schema.org/draft/2019-09/schema#",
    "Draft7Validator": "http://json-schema.org/draft-07/schema#",
    "Draft6Validator": "http://json-schema.org/draft-06/schema#",
    "Draft4Validator": "http://json-schema.org/draft-04/schema#",
}


def _registry() -> Any:
    """References helm resolves offline: `urn:` ones it cannot resolve become the
    permissive `true` schema. Anything else that is not in the document fails."""
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012

    def retrieve(uri: str) -> Any:
        if uri.startswith("urn:"):
            return DRAFT202012.create_resource(True)
        raise NoSuchResource(uri)

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


_DRAFTS = {
    "json-schema.org/schema": "Draft202012Validator",
    "json-schema.org/draft/2020-12/schema": "Draft202012Validator",
    "json-schema.org/draft/2019-09/schema": "Draft201909Validator",
    "json-schema.org/draft-07/schema": "Draft7Validator",
    "json-schema.org/draft-06/schema": "Draft6Validator",
    "json-schema.org/draft-04/schema": "Draft4Validator",
}


def _validator_class(schema: Any) -> Any:
    """The draft v6 picks from `$schema` (draftFromURL: http or https, an empty fragment,
    `json-schema.org/schema` meaning the latest), 2020-12 otherwise."""
    import jsonschema  # type: ignore[import-untyped]

    name = "Draft202012Validator"
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        url, _, fragment = declared.partition("#")
        if not fragment:
            for scheme in ("http://", "https://"):
                url = url.removeprefix(scheme)
            name = _DRAFTS.get(url, name)
    return getattr(jsonschema, name)


def validate_single(values: dict[str, Any], schema_json: bytes) -> str | None:
    """ValidateAgainstSingleSchema: None when valid, else the error text (a validation
    report ends with a newline, as Helm's JSONSchemaValidationError adds one)."""
    try:
        schema = json.loads(schema_json)
    except ValueError as err:
        return f"{err}\n"
    if not isinstance(schema, (dict, bool)):
        # The one metaschema violation checked up front (a full metaschema pass costs
        # more than the validation itself): the document must be an object or a boolean.
        metaschema = _METASCHEMA_URLS["Draft202012Validator"]
        return (
            f'"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed '
            f"with {quote(metaschema)}\n- at '': got {_json_type(schema)}, want boolean or object"
        )
    try:
        failures = Validator(schema).validate(values)
    except Unsupported:
        return _validate_with_library(_validator_class(schema), schema, values)
    if not failures:
        return None
    lines: list[str] = []
    for failure in failures:
        _render(failure, lines, 0)
    return "\n".join(lines) + "\n"


def _render(failure: Failure, out: list[str], indent: int) -> None:
    out.append("  " * indent + f"- at {quote(pointer(failure.location))}: {failure.message}")
    for cause in failure.causes:
        _render(cause, out, indent + 1)


def _validate_with_library(cls: Any, schema: Any, values: dict[str, Any]) -> str | None:
    """The general `jsonschema` package, for schemas beyond `Validator`'s reach."""
    from jsonschema import exceptions

    try:
        validator = cls(schema, registry=_registry())
        errors = list(validator.iter_errors(values))
        if not errors:
            return None
        lines: list[str] = []
        for node in _Builder(validator).build(errors, ()):
            node.render(lines, 0)
    except exceptions.SchemaError as err:
        return f"jsonschema: invalid schema: {err.message}"
    except Exception as err:  # a $ref that cannot be resolved, a bad regex
        return f"unable to validate schema: {err}"
    return "\n".join(lines) + "\n"


def validate_chart_values(chart: Chart, values: dict[str, Any]) -> str:
    """ValidateAgainstSchema: the per-chart report text, empty when everything validates."""
    parts: list[str] = []
    if chart.schema is not None:
        report = validate_single(values, chart.schema)
        if report is not None:
            parts.append(f"{chart.name}:\n{report}")
    for sub in chart.subcharts:
        raw = values.get(sub.name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            from otterhelm.values.coalesce import _go_type

            parts.append(
                f"{sub.name}:\ninvalid type for values: expected object (map), got {_go_type(raw)}\n"
            )
            continue
        parts.append(validate_chart_values(sub, raw))
    return "".join(parts)


def validate_values(chart: Chart, values: dict[str, Any]) -> None:
    """Raise SchemaValidationError with helm's message when the coalesced values do not
    satisfy the charts' schemas."""
    report = validate_chart_values(chart, values)
    if report:
        raise SchemaValidationError(HEADER + report)
