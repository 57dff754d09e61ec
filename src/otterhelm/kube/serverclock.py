"""The API server's time, as its answers' Date headers tell it.

Lease times (renewTime) are compared across processes on different machines. Reading and
writing them in the API server's time rather than each machine's own clock makes a lease's
expiry independent of how far those clocks drift apart (client-go's leader election avoids
the same problem by timing expiry with local observations instead).
"""

from __future__ import annotations

import datetime
import time
from collections import deque
from collections.abc import Callable

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Recent offsets kept: the largest is the best estimate (each underestimates by the Date
# header's truncation to the second and by the answer's time in flight).
_SAMPLES = 16
# Smaller differences are within the Date header's resolution and the answer's flight.
_RESOLUTION = 2.0


def parse_http_date(value: str) -> float | None:
    """Seconds since the epoch of an IMF-fixdate ("Sun, 22 Nov 2026 09:10:00 GMT", the only
    form Go's net/http sends); None for anything else."""
    parts = value.split()
    if len(parts) != 6 or parts[5] != "GMT" or parts[2] not in _MONTHS:
        return None
    try:
        hour, minute, second = (int(p) for p in parts[4].split(":"))
        moment = datetime.datetime(
            int(parts[3]),
            _MONTHS.index(parts[2]) + 1,
            int(parts[1]),
            hour,
            minute,
            second,
            tzinfo=datetime.UTC,
        )
    except ValueError:
        return None
    return moment.timestamp()


class ServerClock:
    """`now()` is the local clock corrected by the offset the server's Date headers show;
    the local clock itself until a Date has been seen."""

    def __init__(self, local: Callable[[], float] = time.time) -> None:
        self._local = local
        self._offsets: deque[float] = deque(maxlen=_SAMPLES)

    @property
    def observed(self) -> bool:
        return bool(self._offsets)

    @property
    def offset(self) -> float:
        """Seconds the server's clock is ahead of the local one: 0 before any Date, and
        for differences the Date header's one-second resolution cannot tell apart from
        none (so that processes on one machine keep judging by the same clock exactly)."""
        if not self._offsets:
            return 0.0
        # Half a second: the middle of the second the Date header truncated to.
        estimate = max(self._offsets) + 0.5
        return estimate if abs(estimate) >= _RESOLUTION else 0.0

    def observe(self, date_header: str) -> None:
        moment = parse_http_date(date_header)
        if moment is not None:
            self._offsets.append(moment - self._local())

    def now(self) -> float:
        return self._local() + self.offset
