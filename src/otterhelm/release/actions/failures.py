"""Action errors that keep the kind of what went wrong while carrying Helm's message."""

from __future__ import annotations

from otterhelm import errors

# Most specific first: kube errors derive from one of these kinds.
_KINDS: tuple[type[errors.OtterhelmError], ...] = (
    errors.InvalidArgument,
    errors.NotFound,
    errors.AlreadyExists,
    errors.FailedPrecondition,
    errors.Aborted,
    errors.PermissionDenied,
    errors.Unauthenticated,
    errors.Unavailable,
    errors.DeadlineExceeded,
    errors.ResourceExhausted,
)


class ActionInvalid(errors.InvalidArgument):
    pass


class ActionNotFound(errors.NotFound):
    pass


class ActionExists(errors.AlreadyExists):
    pass


class ActionPrecondition(errors.FailedPrecondition):
    pass


class ActionAborted(errors.Aborted):
    pass


class ActionDenied(errors.PermissionDenied):
    pass


class ActionUnauthenticated(errors.Unauthenticated):
    pass


class ActionUnavailable(errors.Unavailable):
    pass


class ActionTimeout(errors.DeadlineExceeded):
    pass


class ActionExhausted(errors.ResourceExhausted):
    pass


_BY_KIND: dict[type[errors.OtterhelmError], type[errors.OtterhelmError]] = {
    errors.InvalidArgument: ActionInvalid,
    errors.NotFound: ActionNotFound,
    errors.AlreadyExists: ActionExists,
    errors.FailedPrecondition: ActionPrecondition,
    errors.Aborted: ActionAborted,
    errors.PermissionDenied: ActionDenied,
    errors.Unauthenticated: ActionUnauthenticated,
    errors.Unavailable: ActionUnavailable,
    errors.DeadlineExceeded: ActionTimeout,
    errors.ResourceExhausted: ActionExhausted,
}


def rewrapped(cause: BaseException, message: str) -> errors.OtterhelmError:
    """An error of the same kind as `cause` whose text is `message` (cause chained by the caller)."""
    for kind in _KINDS:
        if isinstance(cause, kind):
            return _BY_KIND[kind](message)
    return errors.OtterhelmError(message)
