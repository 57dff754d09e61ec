"""values.schema.json checked with the general `jsonschema` package, for the schemas the
built-in validator does not cover (remote or `$id` references, dynamic references,
unevaluated* keywords). Python jsonschema's flat error list is regrouped into
santhosh-tekuri/jsonschema v6's nested report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from otterhelm.chart.schema_validator import (
    TYPE_ORDER,
    display,
    draft_of,
    go_quote,
    json_type,
    xtext_float,
    xtext_int,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


@dataclass(slots=True)
class _Node:
    location: tuple[str, ...]
    message: str
    rank: int
    causes: list[_Node] = field(default_factory=list)

    def render(self, out: list[str], indent: int) -> None:
        out.append("  " * indent + f"- at {go_quote(pointer(self.location))}: {self.message}")
        for cause in self.causes:
            cause.render(out, indent + 1)


def pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _number(value: Any) -> str:
    return xtext_float(float(value))


def _keyword_message(err: Any) -> str:
    keyword = str(err.validator)
    expected: Any = err.validator_value
    instance: Any = err.instance
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        ordered = [name for name in TYPE_ORDER if name in wanted]
        return f"got {json_type(instance)}, want {' or '.join(ordered)}"
    if keyword == "required":
        missing = [p for p in expected if isinstance(instance, dict) and p not in instance]
        if len(missing) == 1:
            return f"missing property {go_quote(missing[0])}"
        return "missing properties " + ", ".join(go_quote(m) for m in missing)
    if keyword == "additionalProperties":
        schema = err.schema if isinstance(err.schema, dict) else {}
        known = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extras = [k for k in instance if k not in known and not _matches_any(k, patterns)]
        return "additional properties " + ", ".join(go_quote(k) for k in extras) + " not allowed"
    if keyword == "enum":
        if all(not isinstance(v, (list, dict)) for v in expected):
            if len(expected) == 1:
                return f"value must be {display(expected[0])}"
            return "value must be one of " + ", ".join(display(v) for v in expected)
        return "'enum' failed"
    if keyword == "const":
        if isinstance(expected, (list, dict)):
            return "'const' failed"
        return f"value must be {display(expected)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        return f"{keyword}: got {_number(instance)}, want {_number(expected)}"
    if keyword in ("minLength", "maxLength"):
        return f"{keyword}: got {xtext_int(len(instance))}, want {xtext_int(int(expected))}"
    if keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return f"{keyword}: got {xtext_int(len(instance))}, want {xtext_int(int(expected))}"
    if keyword == "pattern":
        return f"{go_quote(instance)} does not match pattern {go_quote(expected)}"
    if keyword == "uniqueItems":
        first, second = _duplicates(instance)
        return f"items at {xtext_int(first)} and {xtext_int(second)} are equal"
    if keyword == "not":
        return "'not' failed"
    if keyword == "anyOf":
        return "'anyOf' failed"
    if keyword == "oneOf":
        return "'oneOf' failed, none matched" if err.context else "'oneOf' failed, subschemas 0, 1 matched"
    if keyword == "contains":
        return "no items match contains schema"
    if keyword == "propertyNames":
        return f"invalid propertyName {go_quote(str(instance))}"
    if keyword in ("dependentRequired", "dependencies"):
        return str(err.message)
    if keyword == "false":
        return "false schema"
    if keyword == "format":
        return f"{display(instance)} is not valid {expected}"
    return str(err.message)


def _duplicates(items: list[Any]) -> tuple[int, int]:
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            if a == items[j] and type(a) is type(items[j]):
                return i, j
    return 0, 1


def _matches_any(key: str, patterns: dict[str, Any]) -> bool:
    return any(re.search(p, key) for p in patterns)


def _keyword_rank(err: Any) -> int:
    return _KEYWORD_ORDER.get(str(err.validator), len(_KEYWORD_ORDER))


@dataclass(slots=True)
class _Builder:
    """Lays Python jsonschema errors out as v6's error tree. `validator` is the root
    validator, used to re-check `contains` items for their individual causes."""

    validator: Any

    def build(self, errors: list[Any], base: tuple[str, ...]) -> list[_Node]:
        """One node per failing keyword at `base`; several errors below one child location
        become a `validation failed` group, as v6 reports a failing subschema."""
        local: list[Any] = []
        deeper: dict[str, list[Any]] = {}
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

    def alternatives(self, err: Any, base: tuple[str, ...]) -> list[_Node]:
        by_branch: dict[int, list[Any]] = {}
        for sub in err.context or []:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            by_branch.setdefault(int(branch), []).append(sub)
        return [self.group(self.build(by_branch[b], base), base) for b in sorted(by_branch) if by_branch[b]]

    def contains_causes(self, err: Any, base: tuple[str, ...]) -> list[_Node]:
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


_VALIDATOR_CLASSES = {
    2020: "Draft202012Validator",
    2019: "Draft201909Validator",
    7: "Draft7Validator",
    6: "Draft6Validator",
    4: "Draft4Validator",
}


def validator_class(schema: Any) -> Any:
    """The jsonschema validator class for the draft v6 would pick."""
    import jsonschema

    return getattr(jsonschema, _VALIDATOR_CLASSES[draft_of(schema)])


def validate_with_library(cls: Any, schema: Any, values: dict[str, Any]) -> str | None:
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
