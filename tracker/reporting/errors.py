"""What the reporting services refuse with. Each maps to one HTTP status in the API and to one
kind of message on the web pages; every refusal leaves the database as it was (apart from the
conflict record, see VersionConflict)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class ReportingError(Exception):
    """Base class; `code` is the machine-readable reason the API returns."""

    code = "error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SubmissionNotFound(ReportingError):
    """The user may not read it (or it does not exist): the two are indistinguishable on purpose."""

    code = "not_found"
    http_status = 404


class NotPermitted(ReportingError):
    """The user may read the submission but their role may not do this."""

    code = "permission_denied"
    http_status = 403


class TransitionNotAllowed(ReportingError):
    """The action does not apply to the submission's current status."""

    code = "transition_not_allowed"


class SubmissionLocked(ReportingError):
    """Past the lock date without an active lock exception."""

    code = "locked"


class InvalidInput(ReportingError):
    """A request that is wrong as a whole (missing comment or reason, bad period, bad file)."""

    code = "invalid"


class FileTooLarge(InvalidInput):
    """An uploaded file over its size limit (413, as every upload path answers it)."""

    code = "too_large"
    http_status = 413


class ValuesInvalid(ReportingError):
    """Per-element problems: `errors` maps element codes to messages; `form_errors` are the others."""

    code = "invalid_values"

    def __init__(self, message: str, *, errors: dict[str, list[str]], form_errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors
        self.form_errors = form_errors or []


@dataclass(frozen=True)
class CurrentValue:
    element: str
    value: Decimal | None
    comment: str


class VersionConflict(ReportingError):
    """The caller edited an older version; carries what is stored now so the caller can merge."""

    code = "conflict"
    http_status = 409

    def __init__(self, message: str, *, version: int, status: str, values: list[CurrentValue]) -> None:
        super().__init__(message)
        self.version = version
        self.status = status
        self.values = values

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "status": self.status,
            "values": [{"element": v.element, "value": v.value, "comment": v.comment} for v in self.values],
        }


class FlagsNotAcknowledged(ReportingError):
    """Approving would produce data-quality flags (values that cannot be true) and the approver has
    not acknowledged them: `flags` are the warnings, in the user's language (issue 12, item 5)."""

    code = "flags_not_acknowledged"
    http_status = 409

    def __init__(self, message: str, *, flags: list[str]) -> None:
        super().__init__(message)
        self.flags = flags
