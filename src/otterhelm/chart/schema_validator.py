"""A JSON Schema validator for the keywords charts use, producing
santhosh-tekuri/jsonschema v6's error tree (validator.go, kind/kind.go) directly.

It covers drafts 4, 6, 7, 2019-09 and 2020-12 for the assertion keywords helm charts
write, with local `$ref`s. Anything else (remote or `$id`-based references, dynamic
references, unevaluated* keywords) raises `Unsupported`, and the caller validates with the
general `jsonschema` package instead."""

from __future__ import annotations

import math
import re

from otterhelm.template.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TYPE_ORDER = ("null", "boolean", "number", "integer", "string", "array", "object")
_UNSUPPORTED = frozenset(
    {
        "$dynamicRef",
        "$recursiveRef",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
    }
)


class Unsupported(Exception):
    """The schema needs something this validator does not implement."""


class Failure(Record):
    """One v6 ValidationError: instance location, message and nested causes. `kind` marks
    the two structural kinds whose display differs: "group" (several errors of one
    subschema) and "reference" (a `$ref`, hidden when it has a single cause)."""

    __slots__ = ("causes", "kind", "location", "message")

    def __init__(
        self, location: tuple[str, ...], message: str, causes: list[Failure] | None = None, kind: str = ""
    ) -> None:
        self.location = location
        self.message = message
        self.causes: list[Failure] = [] if causes is None else causes
        self.kind = kind


def _group_failure(location: tuple[str, ...], errors: list[Failure]) -> Failure:
    return Failure(location, "validation failed", errors, "group")


def _reference(location: tuple[str, ...], failure: Failure) -> Failure:
    """validateRef: a group's causes move under the reference."""
    causes = failure.causes if failure.kind == "group" else [failure]
    return Failure(location, "validation failed", causes, "reference")


def json_type(value: Any) -> str:
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
    if isinstance(value, dict):
        return "object"
    raise Unsupported(f"value of type {type(value).__name__}")


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )


def _json_equal(a: Any, b: Any) -> bool:
    ta, tb = json_type(a), json_type(b)
    if ta != tb:
        return False
    if ta == "array":
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if ta == "object":
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def go_quote(text: str) -> str:
    """v6's quote(): Go %q with double quotes unescaped and single quotes escaped."""
    from otterhelm.chart.metadata import go_quote as quote_go

    inner = quote_go(text)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{inner}'"


def go_float(value: float) -> str:
    """fmt's %v for a float64."""
    from otterhelm.template.fmt import format_value

    return format_value(float(value))


_SUPERSCRIPT = str.maketrans(
    "0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b"
)


def _group_digits(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ",".join(parts)


def xtext_int(value: int) -> str:
    """`%d` through golang.org/x/text/message in English, as v6 prints counts: 1,000."""
    return ("-" if value < 0 else "") + _group_digits(str(abs(value)))


def xtext_float(value: float) -> str:
    """`%v` of a float64 through golang.org/x/text/message in English, as v6 prints
    minimum/maximum bounds: grouped digits (70,000), or `1.5×10⁰⁶` (superscript exponent)
    when the decimal exponent is below -4 or at least 6, as helm v4.3.1 prints them."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exp_text = repr(abs(float(value))).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(exp_text) if exp_text else 0)
    point -= len(whole + fraction) - len((whole + fraction).lstrip("0"))
    digits = digits.rstrip("0") or "0"
    exponent = point - 1
    if exponent < -4 or exponent >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        power = f"{'-' if exponent < 0 else ''}{abs(exponent):02d}".translate(_SUPERSCRIPT)
        return f"{sign}{body}\u00d710{power}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if len(digits) <= point:
        return sign + _group_digits(digits + "0" * (point - len(digits)))
    return f"{sign}{_group_digits(digits[:point])}.{digits[point:]}"


def display(value: Any) -> str:
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, (list, dict)):
        return "value"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, JsonNumber):
        return value.text
    if isinstance(value, float):
        return go_float(value)
    return str(value)


class JsonNumber(float):
    """A number read from the schema document, keeping its JSON spelling: v6 decodes
    schemas with json.Number and prints enum and const values as written."""

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def load_schema(text: str | bytes) -> Any:
    import json

    return json.loads(text, parse_int=JsonNumber, parse_float=JsonNumber)


def _number(value: Any) -> str:
    return xtext_float(float(value))


_DRAFT_NUMBERS = {
    "json-schema.org/schema": 2020,
    "json-schema.org/draft/2020-12/schema": 2020,
    "json-schema.org/draft/2019-09/schema": 2019,
    "json-schema.org/draft-07/schema": 7,
    "json-schema.org/draft-06/schema": 6,
    "json-schema.org/draft-04/schema": 4,
}


def draft_of(schema: Any) -> int:
    """v6 draftFromURL on `$schema` (http or https, empty fragment); 2020-12 otherwise."""
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        url, _, fragment = declared.partition("#")
        if not fragment:
            for scheme in ("http://", "https://"):
                url = url.removeprefix(scheme)
            return _DRAFT_NUMBERS.get(url, 2020)
    return 2020


class Validator:
    """Validates values against one schema document."""

    def __init__(self, schema: Any) -> None:
        self.root = schema
        self.draft = draft_of(schema)
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._check_supported(schema, top=True)

    def _check_supported(self, schema: Any, top: bool) -> None:
        if isinstance(schema, list):
            for item in schema:
                self._check_supported(item, False)
            return
        if not isinstance(schema, dict):
            return
        for key, value in schema.items():
            if key in _UNSUPPORTED:
                raise Unsupported(key)
            if key == "$id" and not top:
                raise Unsupported("$id")
            if key == "$ref" and (not isinstance(value, str) or not value.startswith("#")):
                raise Unsupported(f"$ref {value!r}")
            if key in ("enum", "const", "default", "examples", "description", "title"):
                continue
            if isinstance(value, (dict, list)):
                self._check_supported(value, False)

    def _resolve(self, ref: str) -> Any:
        target = self.root
        from urllib.parse import unquote  # here: only $refs need it, and its import is ~2.5 ms

        pointer = unquote(ref[1:])
        if pointer in ("", "/"):
            return target
        if not pointer.startswith("/"):
            raise Unsupported(f"$ref {ref!r}")
        for token in pointer[1:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise Unsupported(f"unresolvable $ref {ref!r}")
        return target

    def _regex(self, pattern: str) -> re.Pattern[str]:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            try:
                compiled = re.compile(pattern)
            except re.error as err:
                raise Unsupported(f"pattern {pattern!r}") from err
            self._patterns[pattern] = compiled
        return compiled

    def validate(self, value: Any) -> list[Failure]:
        """The causes v6 lists under `jsonschema validation failed` (empty when valid)."""
        failure = self._validate(self.root, value, (), 0)
        if failure is None:
            return []
        # Only the outermost group is unwrapped (schema.go validate).
        if failure.kind == "group":
            return failure.causes
        return [failure]

    def is_valid(self, schema: Any, value: Any, location: tuple[str, ...], depth: int) -> bool:
        return self._validate(schema, value, location, depth) is None

    def _validate(self, schema: Any, value: Any, location: tuple[str, ...], depth: int) -> Failure | None:
        """One subschema on one value: None, the single error, or a `validation failed`
        group of several (v6 kind.Group)."""
        if depth > 200:
            raise Unsupported("reference cycle")
        if schema is True or (isinstance(schema, dict) and not schema):
            return None
        if schema is False:
            return Failure(location, "false schema")
        if not isinstance(schema, dict):
            raise Unsupported("schema is not an object")
        s = schema
        if "$ref" in s and self.draft < 2019:
            # Before 2019-09 every keyword beside `$ref` is ignored.
            ref_failure = self._validate(self._resolve(s["$ref"]), value, location, depth + 1)
            return None if ref_failure is None else _reference(location, ref_failure)
        errors: list[Failure] = []
        add = errors.append
        t = json_type(value)

        types = s.get("type")
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            if t not in wanted and not ("integer" in wanted and t == "number" and _is_integer(value)):
                ordered = [name for name in TYPE_ORDER if name in wanted]
                return Failure(location, f"got {t}, want {' or '.join(ordered)}")
        if "const" in s and not _json_equal(value, s["const"]):
            want = s["const"]
            message = "'const' failed" if isinstance(want, (list, dict)) else f"value must be {display(want)}"
            return Failure(location, message)
        if "enum" in s:
            options = s["enum"]
            if not any(_json_equal(value, o) for o in options):
                if all(not isinstance(o, (list, dict)) for o in options):
                    if len(options) == 1:
                        message = f"value must be {display(options[0])}"
                    else:
                        message = "value must be one of " + ", ".join(display(o) for o in options)
                else:
                    message = "'enum' failed"
                return Failure(location, message)
        if "$ref" in s:
            ref_failure = self._validate(self._resolve(s["$ref"]), value, location, depth + 1)
            if ref_failure is not None:
                add(_reference(location, ref_failure))

        if t == "object":
            self._object(s, value, location, depth, add)
        elif t == "array":
            self._array(s, value, location, depth, add)
        elif t == "string":
            self._string(s, value, location, add)
        elif t == "number":
            self._numeric(s, value, location, add)
        self._conditional(s, value, location, depth, add)

        if not errors:
            return None
        if len(errors) == 1:
            return errors[0]
        return _group_failure(location, errors)

    def _object(
        self, s: dict[str, Any], obj: dict[str, Any], location: tuple[str, ...], depth: int, add: Any
    ) -> None:
        if "minProperties" in s and len(obj) < s["minProperties"]:
            add(
                Failure(
                    location,
                    f"minProperties: got {xtext_int(len(obj))}, want {xtext_int(int(s['minProperties']))}",
                )
            )
        if "maxProperties" in s and len(obj) > s["maxProperties"]:
            add(
                Failure(
                    location,
                    f"maxProperties: got {xtext_int(len(obj))}, want {xtext_int(int(s['maxProperties']))}",
                )
            )
        required = s.get("required")
        if isinstance(required, list):
            missing = [name for name in required if name not in obj]
            if len(missing) == 1:
                add(Failure(location, f"missing property {go_quote(missing[0])}"))
            elif missing:
                add(Failure(location, "missing properties " + ", ".join(go_quote(m) for m in missing)))
        dependencies = s.get("dependencies")
        if isinstance(dependencies, dict):
            for name, dependency in dependencies.items():
                if name not in obj:
                    continue
                if isinstance(dependency, list):
                    missing = [m for m in dependency if m not in obj]
                    if missing:
                        add(
                            Failure(
                                location,
                                f"properties {', '.join(go_quote(m) for m in missing)} required, if {go_quote(name)} exists",
                            )
                        )
                else:
                    failure = self._validate(dependency, obj, location, depth + 1)
                    if failure is not None:
                        add(failure)
        properties = s.get("properties") or {}
        patterns = s.get("patternProperties") or {}
        additional = s.get("additionalProperties")
        not_allowed: list[str] = []
        for name in sorted(obj):
            evaluated = False
            child = (*location, name)
            if name in properties:
                evaluated = True
                failure = self._validate(properties[name], obj[name], child, depth + 1)
                if failure is not None:
                    add(failure)
            for pattern, sub in patterns.items():
                if self._regex(pattern).search(name):
                    evaluated = True
                    failure = self._validate(sub, obj[name], child, depth + 1)
                    if failure is not None:
                        add(failure)
            if not evaluated and additional is not None:
                if additional is False:
                    not_allowed.append(name)
                elif additional is not True:
                    failure = self._validate(additional, obj[name], child, depth + 1)
                    if failure is not None:
                        add(failure)
        if not_allowed:
            add(
                Failure(
                    location,
                    "additional properties " + ", ".join(go_quote(n) for n in not_allowed) + " not allowed",
                )
            )
        if self.draft == 4:
            return
        names_schema = s.get("propertyNames")
        if names_schema is not None:
            for name in sorted(obj):
                if self._validate(names_schema, name, location, depth + 1) is not None:
                    add(Failure(location, f"invalid propertyName {go_quote(name)}"))
        if self.draft == 6:
            return
        for name, sub in (s.get("dependentSchemas") or {}).items():
            if name in obj:
                failure = self._validate(sub, obj, location, depth + 1)
                if failure is not None:
                    add(failure)
        for name, needed in (s.get("dependentRequired") or {}).items():
            if name in obj:
                missing = [m for m in needed if m not in obj]
                if missing:
                    add(
                        Failure(
                            location,
                            f"properties {', '.join(go_quote(m) for m in missing)} required, if {go_quote(name)} exists",
                        )
                    )

    def _array(
        self, s: dict[str, Any], arr: list[Any], location: tuple[str, ...], depth: int, add: Any
    ) -> None:
        if "minItems" in s and len(arr) < s["minItems"]:
            add(
                Failure(
                    location, f"minItems: got {xtext_int(len(arr))}, want {xtext_int(int(s['minItems']))}"
                )
            )
        if "maxItems" in s and len(arr) > s["maxItems"]:
            add(
                Failure(
                    location, f"maxItems: got {xtext_int(len(arr))}, want {xtext_int(int(s['maxItems']))}"
                )
            )
        if s.get("uniqueItems") is True and len(arr) > 1:
            duplicate = _first_duplicate(arr)
            if duplicate is not None:
                add(
                    Failure(
                        location,
                        f"items at {xtext_int(duplicate[0])} and {xtext_int(duplicate[1])} are equal",
                    )
                )
        if self.draft < 2020:
            items = s.get("items")
            evaluated = 0
            if isinstance(items, list):
                evaluated = min(len(arr), len(items))
                for i in range(evaluated):
                    failure = self._validate(items[i], arr[i], (*location, str(i)), depth + 1)
                    if failure is not None:
                        add(failure)
            elif items is not None:
                for i, item in enumerate(arr):
                    failure = self._validate(items, item, (*location, str(i)), depth + 1)
                    if failure is not None:
                        add(failure)
                evaluated = len(arr)
            additional = s.get("additionalItems")
            if additional is not None and isinstance(items, list):
                if additional is False:
                    if evaluated != len(arr):
                        add(
                            Failure(
                                location,
                                f"last {xtext_int(len(arr) - evaluated)} additionalItem(s) not allowed",
                            )
                        )
                elif additional is not True:
                    for i, item in enumerate(arr[evaluated:]):
                        # v6 names these by their offset after the evaluated prefix.
                        failure = self._validate(additional, item, (*location, str(i)), depth + 1)
                        if failure is not None:
                            add(failure)
        else:
            prefix = s.get("prefixItems") or []
            evaluated = min(len(prefix), len(arr))
            for i in range(evaluated):
                failure = self._validate(prefix[i], arr[i], (*location, str(i)), depth + 1)
                if failure is not None:
                    add(failure)
            items = s.get("items")
            if items is not None:
                for i, item in enumerate(arr[evaluated:]):
                    failure = self._validate(items, item, (*location, str(i)), depth + 1)
                    if failure is not None:
                        add(failure)
        contains = s.get("contains")
        if contains is not None and self.draft >= 6:
            failures: list[Failure] = []
            matched: list[int] = []
            for i, item in enumerate(arr):
                failure = self._validate(contains, item, (*location, str(i)), depth + 1)
                if failure is None:
                    matched.append(i)
                else:
                    failures.append(failure)
            minimum = s.get("minContains") if self.draft >= 2019 else None
            maximum = s.get("maxContains") if self.draft >= 2019 else None
            if minimum is not None:
                if len(matched) < minimum:
                    if not matched:
                        message = f"min {xtext_int(int(minimum))} items required to match contains schema, but none matched"
                    else:
                        message = (
                            f"min {xtext_int(int(minimum))} items required to match contains schema, but matched "
                            f"{xtext_int(len(matched))} items at {' '.join(str(m) for m in matched)}"
                        )
                    add(Failure(location, message, failures))
            elif not matched:
                add(Failure(location, "no items match contains schema", failures))
            if maximum is not None and len(matched) > maximum:
                add(
                    Failure(
                        location,
                        f"max {xtext_int(int(maximum))} items required to match contains schema, but matched "
                        f"{xtext_int(len(matched))} items at {' '.join(str(m) for m in matched)}",
                    )
                )

    def _string(self, s: dict[str, Any], text: str, location: tuple[str, ...], add: Any) -> None:
        length = len(text)
        if "minLength" in s and length < s["minLength"]:
            add(
                Failure(
                    location, f"minLength: got {xtext_int(length)}, want {xtext_int(int(s['minLength']))}"
                )
            )
        if "maxLength" in s and length > s["maxLength"]:
            add(
                Failure(
                    location, f"maxLength: got {xtext_int(length)}, want {xtext_int(int(s['maxLength']))}"
                )
            )
        pattern = s.get("pattern")
        if isinstance(pattern, str) and not self._regex(pattern).search(text):
            add(Failure(location, f"{go_quote(text)} does not match pattern {go_quote(pattern)}"))
        if "contentEncoding" in s and self.draft >= 7:
            raise Unsupported("contentEncoding")

    def _numeric(self, s: dict[str, Any], number: float, location: tuple[str, ...], add: Any) -> None:
        minimum = s.get("minimum")
        maximum = s.get("maximum")
        exclusive_min = s.get("exclusiveMinimum")
        exclusive_max = s.get("exclusiveMaximum")
        if self.draft == 4:
            # Draft 4 spells exclusivity as booleans beside minimum/maximum.
            if minimum is not None and (number < minimum or (exclusive_min is True and number == minimum)):
                keyword = "exclusiveMinimum" if exclusive_min is True else "minimum"
                add(Failure(location, f"{keyword}: got {_number(number)}, want {_number(minimum)}"))
            if maximum is not None and (number > maximum or (exclusive_max is True and number == maximum)):
                keyword = "exclusiveMaximum" if exclusive_max is True else "maximum"
                add(Failure(location, f"{keyword}: got {_number(number)}, want {_number(maximum)}"))
        else:
            if minimum is not None and number < minimum:
                add(Failure(location, f"minimum: got {_number(number)}, want {_number(minimum)}"))
            if maximum is not None and number > maximum:
                add(Failure(location, f"maximum: got {_number(number)}, want {_number(maximum)}"))
            if (
                isinstance(exclusive_min, (int, float))
                and not isinstance(exclusive_min, bool)
                and number <= exclusive_min
            ):
                add(
                    Failure(
                        location, f"exclusiveMinimum: got {_number(number)}, want {_number(exclusive_min)}"
                    )
                )
            if (
                isinstance(exclusive_max, (int, float))
                and not isinstance(exclusive_max, bool)
                and number >= exclusive_max
            ):
                add(
                    Failure(
                        location, f"exclusiveMaximum: got {_number(number)}, want {_number(exclusive_max)}"
                    )
                )
        multiple = s.get("multipleOf")
        if isinstance(multiple, (int, float)) and multiple > 0:
            quotient = number / multiple
            if not (math.isfinite(quotient) and quotient == int(quotient)):
                add(Failure(location, f"multipleOf: got {_number(number)}, want {_number(multiple)}"))

    def _conditional(
        self, s: dict[str, Any], value: Any, location: tuple[str, ...], depth: int, add: Any
    ) -> None:
        if "not" in s and self._validate(s["not"], value, location, depth + 1) is None:
            add(Failure(location, "'not' failed"))
        all_of = s.get("allOf")
        if all_of:
            failures = [
                f for sub in all_of if (f := self._validate(sub, value, location, depth + 1)) is not None
            ]
            if failures:
                add(Failure(location, "'allOf' failed", failures))
        any_of = s.get("anyOf")
        if any_of:
            failures = []
            for sub in any_of:
                failure = self._validate(sub, value, location, depth + 1)
                if failure is None:
                    break
                failures.append(failure)
            else:
                add(Failure(location, "'anyOf' failed", failures))
        one_of = s.get("oneOf")
        if one_of:
            matched = -1
            failures = []
            for i, sub in enumerate(one_of):
                failure = self._validate(sub, value, location, depth + 1)
                if failure is None:
                    if matched == -1:
                        matched = i
                    else:
                        add(Failure(location, f"'oneOf' failed, subschemas {matched}, {i} matched"))
                        break
                elif matched == -1:
                    failures.append(failure)
            if matched == -1:
                add(Failure(location, "'oneOf' failed, none matched", failures))
        if "if" in s and self.draft >= 7:
            if self._validate(s["if"], value, location, depth + 1) is None:
                if "then" in s:
                    failure = self._validate(s["then"], value, location, depth + 1)
                    if failure is not None:
                        add(failure)
            elif "else" in s:
                failure = self._validate(s["else"], value, location, depth + 1)
                if failure is not None:
                    add(failure)


def _first_duplicate(items: list[Any]) -> tuple[int, int] | None:
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if _json_equal(items[i], items[j]):
                return i, j
    return None
