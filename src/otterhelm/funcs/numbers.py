"""Sprig's conversion and arithmetic functions (numeric.go and the arithmetic entries of
functions.go).

Integer math converts every operand with cast.ToInt64 and returns int64, wrapping on
overflow like Go; the `...f` family goes through shopspring/decimal (exact decimal
arithmetic on the shortest decimal form of each float64, division rounded to 16 places).
"""

from __future__ import annotations

import functools
import math

from otterhelm.funcs.cast import atoi, parse_octal, to_float64, to_int, to_int64, wrap_int64
from otterhelm.funcs.gokinds import IntList
from otterhelm.template.fmt import format_value
from otterhelm.template.gotypes import ANY, FLOAT64, INT, STRING, Func, FuncError, Int64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Context, Decimal
    from typing import Any

_DIVIDE_BY_ZERO = "runtime error: integer divide by zero"
# shopspring/decimal DivisionPrecision
_DIVISION_PLACES = 16


# decimal is imported by the first `...f` call: most renders call none.
@functools.cache
def _exact_context() -> Context:
    from decimal import Context

    return Context(prec=1000, Emax=100000, Emin=-100000)


def _int64(value: int) -> Int64:
    return Int64(wrap_int64(value))


def add(*values: Any) -> Int64:
    return _int64(sum(to_int64(value) for value in values))


def add1(value: Any) -> Int64:
    return _int64(to_int64(value) + 1)


def sub(a: Any, b: Any) -> Int64:
    return _int64(to_int64(a) - to_int64(b))


def _go_div(a: int, b: int) -> int:
    if b == 0:
        raise FuncError(_DIVIDE_BY_ZERO)
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def div(a: Any, b: Any) -> Int64:
    return _int64(_go_div(to_int64(a), to_int64(b)))


def mod(a: Any, b: Any) -> Int64:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise FuncError(_DIVIDE_BY_ZERO)
    return _int64(x - y * _go_div(x, y))


def mul(a: Any, *values: Any) -> Int64:
    product = to_int64(a)
    for value in values:
        product = wrap_int64(product * to_int64(value))
    return Int64(product)


def biggest(a: Any, *values: Any) -> Int64:
    return Int64(max([to_int64(a), *(to_int64(value) for value in values)]))


def smallest(a: Any, *values: Any) -> Int64:
    return Int64(min([to_int64(a), *(to_int64(value) for value in values)]))


def go_max(a: float, b: float) -> float:
    """math.Max: NaN wins, +0 beats -0."""
    if (math.isinf(a) and a > 0) or (math.isinf(b) and b > 0):
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1.0, a) > 0 else b
    return a if a > b else b


def go_min(a: float, b: float) -> float:
    """math.Min: NaN wins, -0 beats +0."""
    if (math.isinf(a) and a < 0) or (math.isinf(b) and b < 0):
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1.0, a) < 0 else b
    return a if a < b else b


def maxf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for value in values:
        result = go_max(result, to_float64(value))
    return result


def minf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for value in values:
        result = go_min(result, to_float64(value))
    return result


def _to_decimal(value: Any) -> Decimal:
    from decimal import Decimal

    number = to_float64(value)
    if math.isnan(number) or math.isinf(number):
        # decimal.NewFromFloat panics on these.
        raise FuncError(f"Cannot create a Decimal from {format_value(number)}")
    return Decimal(repr(number)) if number != 0 else Decimal(0)


def _decimal_op(first: Any, rest: tuple[Any, ...] | list[Any], op: str) -> float:
    from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext

    with localcontext(_exact_context()):
        result = _to_decimal(first)
        for value in rest:
            operand = _to_decimal(value)
            if op == "+":
                result = result + operand
            elif op == "-":
                result = result - operand
            elif op == "*":
                result = result * operand
            else:
                if operand == 0:
                    raise FuncError("decimal division by 0")
                try:
                    result = (result / operand).quantize(
                        Decimal(1).scaleb(-_DIVISION_PLACES), rounding=ROUND_HALF_UP
                    )
                except (InvalidOperation, DivisionByZero) as error:
                    raise FuncError("decimal division by 0") from error
        # shopspring/decimal has no negative zero.
        return float(result) if result != 0 else 0.0


def add1f(value: Any) -> float:
    return _decimal_op(value, [1], "+")


def addf(*values: Any) -> float:
    return _decimal_op(0.0, values, "+")


def subf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, "-")


def divf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, "/")


def mulf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, "*")


def _keep_sign(result: int, number: float) -> float:
    # Go's Ceil/Floor return -0 for -0 and for ceil of (-1, 0); Python's ints lose the sign.
    return math.copysign(0.0, number) if result == 0 else float(result)


def ceil(value: Any) -> float:
    number = to_float64(value)
    return number if math.isinf(number) or math.isnan(number) else _keep_sign(math.ceil(number), number)


def floor(value: Any) -> float:
    number = to_float64(value)
    return number if math.isinf(number) or math.isnan(number) else _keep_sign(math.floor(number), number)


def round_(value: Any, places: int, *round_on: float) -> float:
    threshold = round_on[0] if round_on else 0.5
    number = to_float64(value)
    power = math.pow(10, float(places))
    digit = power * number
    if math.isinf(digit) or math.isnan(digit):
        return digit / power
    fraction = math.modf(digit)[0]
    rounded = math.ceil(digit) if fraction >= threshold else math.floor(digit)
    return _keep_sign(rounded, digit) / power


def to_decimal(value: Any) -> Int64:
    return Int64(parse_octal(format_value(value) if value is not None else "<nil>"))


def until_step(start: int, stop: int, step: int) -> IntList:
    values = IntList()
    if stop < start:
        if step >= 0:
            return values
        values.extend(range(start, stop, step))
        return values
    if step <= 0:
        return values
    values.extend(range(start, stop, step))
    return values


def until(count: int) -> IntList:
    return until_step(0, count, -1 if count < 0 else 1)


def seq(*params: int) -> str:
    increment = 1
    if len(params) == 1:
        start, end = 1, params[0]
        if end < start:
            increment = -1
        values = until_step(start, end + increment, increment)
    elif len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        values = until_step(start, end + step, step)
    elif len(params) == 3:
        start, step, end = params
        if end < start:
            increment = -1
            if step > 0:
                return ""
        values = until_step(start, end + increment, step)
    else:
        return ""
    return " ".join(str(value) for value in values)


FUNCS: dict[str, Func] = {
    "atoi": Func(atoi, (STRING,)),
    "int64": Func(lambda value: Int64(to_int64(value)), (ANY,)),
    "int": Func(to_int, (ANY,)),
    "float64": Func(to_float64, (ANY,)),
    "seq": Func(seq, (), INT),
    "toDecimal": Func(to_decimal, (ANY,)),
    "add1": Func(add1, (ANY,)),
    "add": Func(add, (), ANY),
    "sub": Func(sub, (ANY, ANY)),
    "div": Func(div, (ANY, ANY)),
    "mod": Func(mod, (ANY, ANY)),
    "mul": Func(mul, (ANY,), ANY),
    "add1f": Func(add1f, (ANY,)),
    "addf": Func(addf, (), ANY),
    "subf": Func(subf, (ANY,), ANY),
    "divf": Func(divf, (ANY,), ANY),
    "mulf": Func(mulf, (ANY,), ANY),
    "biggest": Func(biggest, (ANY,), ANY),
    "max": Func(biggest, (ANY,), ANY),
    "min": Func(smallest, (ANY,), ANY),
    "maxf": Func(maxf, (ANY,), ANY),
    "minf": Func(minf, (ANY,), ANY),
    "ceil": Func(ceil, (ANY,)),
    "floor": Func(floor, (ANY,)),
    "round": Func(round_, (ANY, INT), FLOAT64),
    "until": Func(until, (INT,)),
    "untilStep": Func(until_step, (INT, INT, INT)),
}
