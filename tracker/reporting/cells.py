"""Saving the entry form one cell at a time, the way officers work in a spreadsheet.

Each cell is saved when the officer leaves it (and queued offline, sent later). Unlike the
all-or-nothing `services.submission_values_update` used by the API's PATCH:

- a value that fails its own checks (type, range, format) is still kept in the draft as typed
  (`DataValue.raw`) with its message (`DataValue.error`); it blocks only the submission;
- cross-element rules are warnings while saving, shown beside every cell they involve, and
  enforced at submit (`validation.validate_for_submit`);
- every cell has its own version: a change to another cell since the page was read merges
  silently, a change to the same cell is a `CellConflict` carrying both figures side by side.

Permission, status and lock checks are the services' own; a refused save writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kpis.models import DataElement
from tracker.accounts import permissions
from tracker.reporting import clock, services
from tracker.reporting.errors import InvalidInput, ReportingError, TransitionNotAllowed
from tracker.reporting.formatting import canonical, display, for_input
from tracker.reporting.levels import edit_refusal
from tracker.reporting.models import AuditEntry, DataValue, Submission
from tracker.reporting.parsing import MAX_RAW_LENGTH, ParseError, parse_value
from tracker.reporting.validation import (
    _HOLDS,
    _NEGATED,
    ValidationContext,
    check_range,
    context_for,
    element_label,
    outlier_message,
)

Status = Submission.Status


@dataclass(frozen=True)
class Cell:
    """A cell as stored: what the form shows for it and the version to send back."""

    element: str
    value: str | None  # canonical figure, None when empty or invalid
    text: str  # what the input box shows: the figure formatted in the page's language, or the raw text
    error: str
    comment: str
    version: int
    updated_by: str = ""
    updated_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "value": self.value,
            "text": self.text,
            "error": self.error,
            "comment": self.comment,
            "version": self.version,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at,
        }


class CellConflict(ReportingError):
    """The cell was changed by someone else since the officer read it: both figures are returned."""

    code = "cell_conflict"
    http_status = 409

    def __init__(self, message: str, *, server: Cell, yours: dict[str, Any]) -> None:
        super().__init__(message)
        self.server = server
        self.yours = yours


class StatusChanged(ReportingError):
    """A value typed (perhaps offline) for a draft whose status has changed since: not applied."""

    code = "status_changed"
    http_status = 409


@dataclass
class CellSaved:
    cell: Cell
    submission_version: int
    status: str
    # Outliers of this cell, and the cross-element rules that fail now, beside every cell involved.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    outliers: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def cell_of(dv: DataValue, element: DataElement) -> Cell:
    user = dv.updated_by
    return Cell(
        element=element.code,
        value=None if dv.value is None else canonical(dv.value),
        text=dv.raw if dv.error else for_input(dv.value, element.value_type),
        error=dv.error,
        comment=dv.comment,
        version=dv.version,
        updated_by=(user.get_full_name() or user.username) if user is not None else "",
        updated_at=dv.updated_at.isoformat(timespec="seconds") if dv.updated_at else "",
    )


def check_cell(ctx: ValidationContext, code: str, raw: object, *, locale: str | None) -> tuple[Decimal | None, str]:
    """The cell's own checks: (figure, "") when it is fine, (None, message) when it is not."""
    element = ctx.by_code[code].element
    try:
        value = parse_value(raw, element, locale=locale)
    except ParseError as exc:
        return None, f"{element_label(element)}: {exc}"
    if value is not None:
        problems = check_range(value, element)
        if problems:
            return None, " ".join(problems)
    return value, ""


def rule_warnings(ctx: ValidationContext, values: dict[str, Decimal | None]) -> dict[str, list[str]]:
    """Every failing cross-element rule, attached to each cell it involves (not only the first)."""
    warnings: dict[str, list[str]] = {}
    for rule in ctx.rules:
        left = rule.left.evaluate(values)
        right = rule.right.evaluate(values)
        if left is None or right is None or _HOLDS[rule.rule.operator](left, right):
            continue
        message = _("%(message)s (%(left)s %(op)s %(right)s).") % {
            "message": rule.message().rstrip("."),
            "left": display(left),
            "op": _NEGATED[rule.rule.operator],
            "right": display(right),
        }
        for code in rule.codes:
            warnings.setdefault(code, []).append(message)
    return warnings


def _values(ctx: ValidationContext, rows: list[DataValue]) -> dict[str, Decimal | None]:
    code_of = {row.element_id: row.element.code for row in ctx.rows}
    return {code_of[dv.element_id]: dv.value for dv in rows if dv.element_id in code_of}


def form_outliers(ctx: ValidationContext, rows: list[DataValue]) -> dict[str, list[str]]:
    """Figures implausible against the province's own approved history (they need a comment)."""
    return {
        code: [message]
        for code, value in _values(ctx, rows).items()
        if value is not None and (message := outlier_message(ctx, code, value))
    }


def form_warnings(
    ctx: ValidationContext, rows: list[DataValue], outliers: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """Rule and outlier warnings of the whole draft, by element code (outliers: if already known)."""
    warnings = rule_warnings(ctx, _values(ctx, rows))
    for code, messages in (form_outliers(ctx, rows) if outliers is None else outliers).items():
        warnings.setdefault(code, []).extend(messages)
    return warnings


def form_counts(ctx: ValidationContext, rows: list[DataValue], warnings: dict[str, list[str]]) -> dict[str, int]:
    """What the sticky header says: how many cells are filled, invalid, and with warnings."""
    in_form = {row.element_id for row in ctx.rows}
    mine = [dv for dv in rows if dv.element_id in in_form]
    return {
        "total": len(ctx.rows),
        "filled": sum(1 for dv in mine if dv.value is not None or dv.error),
        "errors": sum(1 for dv in mine if dv.error),
        "warnings": len(warnings),
    }


def _check_status(submission: Submission, expected_status: str | None) -> None:
    if expected_status and expected_status != submission.status:
        raise StatusChanged(
            _(
                "Không lưu giá trị này: báo cáo đã chuyển sang trạng thái “%(status)s” sau khi bạn nhập"
                " (lúc đó là “%(was)s”)."
            )
            % {"status": submission.get_status_display(), "was": _status_label(expected_status)}
        )
    if submission.status not in services.EDITABLE:
        raise TransitionNotAllowed(
            _("Báo cáo đang ở trạng thái “%(status)s”: không sửa được số liệu.")
            % {"status": submission.get_status_display()}
        )


def _status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@transaction.atomic
def cell_save(
    *,
    submission: Submission | int,
    user: Any,
    element: str,
    raw: object = services.UNSET,
    comment: str | None = None,
    base_version: int | None,
    locale: str | None = None,
    expected_status: str | None = None,
) -> CellSaved:
    """Save one cell of a draft (or returned) report.

    `base_version` is the cell's version the officer read (None: overwrite, as an importer does);
    `expected_status` the report's status then (offline queues send it, so that a value typed
    for a draft meanwhile submitted, returned or approved is not applied); `locale` the page's
    language, which decides how "1.234" reads.
    """
    submission = services._locked_submission(submission)
    services._require(permissions.may_edit_values(user, submission), user, submission, edit_refusal(submission))
    _check_status(submission, expected_status)
    services._check_lock(submission, user)
    if isinstance(raw, str) and len(raw) > MAX_RAW_LENGTH:
        raise InvalidInput(_("Giá trị dài quá %(max)d ký tự.") % {"max": MAX_RAW_LENGTH})
    if comment is not None and len(comment) > services.MAX_COMMENT:
        raise InvalidInput(_("Ghi chú dài quá %(max)d ký tự.") % {"max": services.MAX_COMMENT})
    ctx = context_for(submission)
    row = ctx.by_code.get(element)
    if row is None and element in ctx.other_level:
        raise InvalidInput(ctx.other_level_message(element))
    if row is None:
        raise InvalidInput(
            _("Mã “%(code)s” không thuộc biểu mẫu %(form)s.") % {"code": element, "form": submission.form.code}
        )
    rows = list(DataValue.objects.filter(submission=submission).select_related("updated_by"))
    dv = next((r for r in rows if r.element_id == row.element_id), None)
    if dv is None:  # an element added to the form after the submission was opened
        dv = DataValue.objects.create(submission=submission, element=row.element)
        rows.append(dv)

    new_value, new_error, new_raw = dv.value, dv.error, dv.raw
    if raw is not services.UNSET:
        new_value, new_error = check_cell(ctx, element, raw, locale=locale)
        new_raw = str(raw).strip() if new_error else ""
    new_comment = comment.strip() if comment is not None else dv.comment
    unchanged = (new_value, new_error, new_raw, new_comment) == (dv.value, dv.error, dv.raw, dv.comment)

    if base_version is not None and base_version != dv.version and not unchanged:
        yours_text = new_raw if new_error else for_input(new_value, row.element.value_type)
        raise CellConflict(
            _("%(name)s đã được %(who)s thay đổi sau khi bạn mở biểu mẫu. Hãy chọn giữ giá trị nào.")
            % {"name": element_label(row.element), "who": cell_of(dv, row.element).updated_by or _("người khác")},
            server=cell_of(dv, row.element),
            yours={"text": yours_text, "comment": new_comment, "error": new_error},
        )

    if not unchanged:
        AuditEntry.objects.create(
            submission=submission,
            kind=AuditEntry.Kind.VALUE,
            element=row.element,
            old_value=(dv.raw if dv.error else canonical(dv.value))[: services.AUDIT_TEXT],
            new_value=(new_raw if new_error else canonical(new_value))[: services.AUDIT_TEXT],
            reason=new_error if new_error else (new_comment if new_comment != dv.comment else ""),
            user=user,
            version=submission.version + 1,
        )
        dv.value, dv.error, dv.raw, dv.comment = new_value, new_error, new_raw, new_comment
        dv.version += 1
        dv.updated_by = user
        dv.updated_at = clock.now()
        DataValue.objects.filter(pk=dv.pk).update(
            value=dv.value,
            error=dv.error,
            raw=dv.raw,
            comment=dv.comment,
            version=dv.version,
            updated_by=user,
            updated_at=dv.updated_at,
        )
        if submission.status == Status.RETURNED:
            AuditEntry.objects.create(
                submission=submission,
                kind=AuditEntry.Kind.STATUS,
                old_value=Status.RETURNED,
                new_value=Status.DRAFT,
                user=user,
                version=submission.version + 1,
            )
            submission.status = Status.DRAFT
        services._bump(submission, "status")
    outliers = form_outliers(ctx, rows)
    warnings = form_warnings(ctx, rows, outliers)
    return CellSaved(
        cell=cell_of(dv, row.element),
        submission_version=submission.version,
        status=submission.status,
        warnings=warnings,
        outliers=outliers,
        counts=form_counts(ctx, rows, warnings),
    )
