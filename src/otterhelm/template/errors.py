"""Template errors. str() of each is Go's exact text/template message.

Execution errors keep the structure Go's message flattens, so a caller can rebuild
Helm v4's multi-line trace: the location (`NAME:LINE:COL`), the template being executed,
the text of the node, the detail after the node, and the wrapped cause (for
`error calling include: ...` the cause is the inner TemplateExecError).
"""

from __future__ import annotations

from otterhelm.errors import InvalidArgument, ResourceExhausted
from otterhelm.template.fmt import go_quote
from otterhelm.template.records import FrozenRecord


class TemplateError(InvalidArgument):
    """Base of every template parse or execution error."""


class TemplateParseError(TemplateError):
    """`template: NAME:LINE: message`."""


class TemplateCall(FrozenRecord):
    """One `{{template "x"}}` level an execution error passed through (outermost first)."""

    __slots__ = ("location", "node_text", "template_name")

    def __init__(self, location: str, template_name: str, node_text: str) -> None:
        self.location = location
        self.template_name = template_name
        self.node_text = node_text


class TemplateExecError(TemplateError):
    """`template: LOCATION: executing "NAME" at <NODE>: DETAIL`, or `template: NAME: DETAIL`
    when no node is known. `cause` is the wrapped error for `error calling F: ...`."""

    def __init__(
        self,
        detail: str,
        *,
        template_name: str,
        location: str | None = None,
        node_text: str | None = None,
        cause: BaseException | None = None,
        template_calls: tuple[TemplateCall, ...] = (),
        name_in_message: bool = True,
    ) -> None:
        self.detail = detail
        self.name_in_message = name_in_message
        self.template_name = template_name
        self.location = location
        self.node_text = node_text
        self.cause = cause
        self.template_calls = template_calls
        super().__init__(self._render())

    def _render(self) -> str:
        if self.location is None or self.node_text is None:
            if not self.name_in_message:
                return f"template: {self.detail}"
            return f"template: {self.template_name}: {self.detail}"
        return (
            f"template: {self.location}: executing {go_quote(self.template_name)} "
            f"at <{self.node_text}>: {self.detail}"
        )

    def through_template_call(self, call: TemplateCall) -> TemplateExecError:
        """The same error, recording one more enclosing `{{template}}` call."""
        return type(self)(
            self.detail,
            template_name=self.template_name,
            location=self.location,
            node_text=self.node_text,
            cause=self.cause,
            template_calls=(call, *self.template_calls),
            name_in_message=self.name_in_message,
        )


class TemplateLimitError(TemplateExecError, ResourceExhausted):
    """An execution limit (template depth, step or time budget) was exceeded."""
