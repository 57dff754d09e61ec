"""values.schema.json validation per chart (pkg/chart/common/util/jsonschema.go), with
the report helm prints: santhosh-tekuri/jsonschema v6's `- at '<pointer>': <message>` lines,
nested causes indented under them. The built-in validator (schema_validator) handles the
schemas charts write; the rest go to the `jsonschema` package (schema_library)."""

from __future__ import annotations

from otterhelm.chart.schema_validator import Failure, Unsupported, Validator, go_quote, json_type, load_schema
from otterhelm.errors import InvalidArgument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from otterhelm.chart.model import Chart

HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):\n"
_METASCHEMA_2020 = "https://json-schema.org/draft/2020-12/schema#"


class SchemaValidationError(InvalidArgument):
    """Values that do not satisfy one or more charts' values.schema.json."""


def pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def validate_single(values: dict[str, Any], schema_json: bytes) -> str | None:
    """ValidateAgainstSingleSchema: None when valid, else the error text (a validation
    report ends with a newline, as Helm's JSONSchemaValidationError adds one)."""
    try:
        schema = load_schema(schema_json)
    except ValueError as err:
        return f"{err}\n"
    if not isinstance(schema, (dict, bool)):
        # The one metaschema violation checked up front (a full metaschema pass costs
        # more than the validation itself): the document must be an object or a boolean.
        return (
            f'"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed '
            f"with {go_quote(_METASCHEMA_2020)}\n- at '': got {json_type(schema)}, want boolean or object"
        )
    try:
        failures = Validator(schema).validate(values)
    except Unsupported:
        from otterhelm.chart.schema_library import validate_with_library, validator_class

        return validate_with_library(validator_class(schema), schema, values)
    if not failures:
        return None
    lines: list[str] = []
    for failure in failures:
        _render(failure, lines, 0)
    return "\n".join(lines) + "\n"


def _render(failure: Failure, out: list[str], indent: int) -> None:
    if failure.kind == "reference" and len(failure.causes) == 1:
        # v6 does not show a reference with a single cause (output.go skip).
        _render(failure.causes[0], out, indent)
        return
    out.append("  " * indent + f"- at {go_quote(pointer(failure.location))}: {failure.message}")
    for cause in failure.causes:
        _render(cause, out, indent + 1)


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
