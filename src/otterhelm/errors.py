"""otterhelm's own exception types.

Every failure otterhelm reports on purpose is one of these. The service maps them to
Connect codes in exactly one place (otterhelm.service.errors); everything else becomes
`internal` with a correlation id. Subsystems subclass the kind that fits and add fields.
"""

from __future__ import annotations


class OtterhelmError(Exception):
    """Base of every error otterhelm raises on purpose."""


class InvalidArgument(OtterhelmError):
    """The request, chart or values are wrong; the caller must change them."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(OtterhelmError):
    """A named thing (release, scope, chart, tag) does not exist."""


class AlreadyExists(OtterhelmError):
    """A thing the caller asked to create exists already."""


class FailedPrecondition(OtterhelmError):
    """The system is not in the state the operation needs."""


class Aborted(OtterhelmError):
    """A concurrent operation won a race; retrying may succeed."""


class PermissionDenied(OtterhelmError):
    """The caller is known but not allowed to do this."""


class Unauthenticated(OtterhelmError):
    """The caller did not prove who it is."""


class Unavailable(OtterhelmError):
    """A dependency (API server, registry) cannot be reached right now."""


class DeadlineExceeded(OtterhelmError):
    """The operation ran out of time."""


class ResourceExhausted(OtterhelmError):
    """A limit was hit (size, rate, depth)."""


class Unimplemented(OtterhelmError):
    """The operation exists in the contract but is not provided."""
