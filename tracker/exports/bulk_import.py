"""Bulk historical import for admins: many provinces (former ones too), forms and periods in one
CSV or XLSX file, in long format, one figure per line:

    Mã tỉnh, Kỳ, Biểu mẫu, Mã chỉ tiêu, Giá trị, Ghi chú

The unit is found from its code and the period: code 91 in 2024 is the former Kiên Giang, in
2025-10 the new An Giang (provinces.selectors.units_reporting_on). A dry run reads and validates
everything and reports what would change without writing; a real run writes everything through
tracker.reporting's services in one transaction, or nothing when any line is wrong.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.worksheet.cell_range import CellRange

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period
from provinces.models import Commune, Province
from provinces.selectors import units_reporting_on
from tracker.accounts import permissions
from tracker.exports.bounded_reading import check_row_count, import_max_rows, merged_ranges
from tracker.exports.cells import CellError, CellRefused, FileInvalid, max_errors, plain_value, text_value
from tracker.exports.numbers import plain_number
from tracker.exports.services import ExportRefused
from tracker.exports.template_reader import open_workbook
from tracker.exports.uploads import FileKind, Upload, UploadRejected, check_spreadsheet
from tracker.reporting import services as reporting
from tracker.reporting.errors import ReportingError
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.validation import validate_for_submit, validate_input, validation_context

MAX_ROWS = 500_000
FIELDS = {
    "province": ("mã tỉnh", "province", "orgunit"),
    "period": ("kỳ", "kỳ báo cáo", "period"),
    "form": ("biểu mẫu", "mã biểu mẫu", "form", "dataset"),
    "element": ("mã chỉ tiêu", "mã chỉ tiêu dữ liệu", "element", "dataelement"),
    "value": ("giá trị", "value"),
    "comment": ("ghi chú", "comment"),
}
REQUIRED = ("province", "period", "form", "element", "value")
HEADER = ["Mã tỉnh", "Kỳ", "Biểu mẫu", "Mã chỉ tiêu", "Giá trị", "Ghi chú"]


@dataclass(frozen=True)
class Line:
    row: int
    province: str
    period: str
    form: str
    element: str
    value: object
    comment: str | None


@dataclass
class Change:
    element: str
    old: str
    new: str


@dataclass
class GroupReport:
    province: str
    province_name: str
    form: str
    period: str
    action: str
    status: str
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    cleared: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.cleared)


@dataclass
class BulkResult:
    dry_run: bool
    approve: bool
    groups: list[GroupReport] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        return {
            "submissions": len(self.groups),
            "new_submissions": sum(1 for g in self.groups if g.action == "create"),
            "added": sum(len(g.added) for g in self.groups),
            "changed": sum(len(g.changed) for g in self.groups),
            "cleared": sum(len(g.cleared) for g in self.groups),
            "unchanged": sum(g.unchanged for g in self.groups),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "approve": self.approve,
            "ok": not self.errors,
            "totals": self.totals(),
            "errors": [e.as_dict() for e in self.errors],
            "submissions": [
                {
                    "province": g.province,
                    "province_name": g.province_name,
                    "form": g.form,
                    "period": g.period,
                    "action": g.action,
                    "status": g.status,
                    "added": [c.__dict__ for c in g.added],
                    "changed": [c.__dict__ for c in g.changed],
                    "cleared": [c.__dict__ for c in g.cleared],
                    "unchanged": g.unchanged,
                }
                for g in self.groups
            ],
        }


# ---------------------------------------------------------------------------------------------
# reading


def _columns(header: list[str], sheet: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for name, aliases in FIELDS.items():
            if key in aliases and name not in found:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        expected = ", ".join(f"“{HEADER[list(FIELDS).index(name)]}”" for name in missing)
        raise FileInvalid(
            [CellError(_("thiếu cột %(columns)s ở dòng tiêu đề.") % {"columns": expected}, sheet=sheet, row=1)]
        )
    return found


def _province_code(text: str) -> str:
    text = text.strip()
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


def _read_csv(upload: Upload) -> list[Line]:
    text = upload.data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = iter(reader)
    header = next(rows, None)
    if header is None:
        raise FileInvalid([CellError(_("Tệp không có dòng tiêu đề."))])
    sheet = upload.name
    cols = _columns(header, sheet)
    lines = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > min(MAX_ROWS, import_max_rows()):
            raise FileInvalid([CellError(_("Tệp có quá %(max)d dòng.") % {"max": min(MAX_ROWS, import_max_rows())})])

        def get(name: str, row: list[str] = row) -> str:
            index = cols.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        lines.append(
            Line(
                row=number,
                province=_province_code(get("province")),
                period=get("period"),
                form=get("form"),
                element=get("element"),
                value=get("value") or None,
                comment=get("comment") if "comment" in cols else None,
            )
        )
    return lines


def _period_text(cell: Any) -> str:
    # Excel turns a typed "2024-03" into the date 01/03/2024: read it back as the month.
    value = cell.value
    if isinstance(value, datetime.datetime | datetime.date) and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return text_value(cell)


def _read_xlsx(upload: Upload) -> list[Line]:
    # Rows counted from the archive first, then streamed in read-only mode: memory stays flat.
    check_row_count(upload.data, limit=min(MAX_ROWS, import_max_rows()), name=upload.name)
    workbook = open_workbook(upload, read_only=True)
    sheet = workbook.worksheets[0]
    name = sheet.title
    merged = merged_ranges(upload.data, getattr(sheet, "_worksheet_path", ""))
    if merged:
        first = CellRange(merged[0])
        raise FileInvalid(
            [
                CellError(
                    _("có ô gộp %(range)s: tệp nhập không được gộp ô.") % {"range": first.coord},
                    sheet=name,
                    row=first.min_row,
                )
            ]
        )
    rows = sheet.iter_rows()
    header_cells = next(rows, None)
    if header_cells is None:
        raise FileInvalid([CellError(_("Tệp không có dòng tiêu đề."), sheet=name)])
    cols = _columns(["" if c.value is None else str(c.value) for c in header_cells], name)
    lines: list[Line] = []
    errors: list[CellError] = []
    for number, cells in enumerate(rows, start=2):  # read-only rows: empty cells carry no row number
        if len(errors) > max_errors():
            break  # enough to show; the file is refused anyway
        if all(c.value is None or str(c.value).strip() == "" for c in cells):
            continue
        if number > MAX_ROWS:
            raise FileInvalid([CellError(_("Tệp có quá %(max)d dòng.") % {"max": MAX_ROWS})])
        values: dict[str, Any] = {}
        for key, index in cols.items():
            if index >= len(cells):
                values[key] = None
                continue
            cell = cells[index]
            try:
                if key == "value":
                    values[key] = plain_value(cell)
                elif key == "period":
                    values[key] = _period_text(cell)
                else:
                    values[key] = text_value(cell)
            except CellRefused as exc:
                errors.append(CellError(str(exc), sheet=name, row=number, column=cell.column_letter))
        if errors:
            continue
        lines.append(
            Line(
                row=number,
                province=_province_code(values["province"] or ""),
                period=values["period"] or "",
                form=values["form"] or "",
                element=values["element"] or "",
                value=values["value"],
                comment=values.get("comment") if "comment" in cols else None,
            )
        )
    if errors:
        raise FileInvalid(errors)
    return lines


def read_lines(upload: Upload) -> list[Line]:
    return _read_csv(upload) if upload.kind == FileKind.CSV else _read_xlsx(upload)


# ---------------------------------------------------------------------------------------------
# planning (the dry run) and writing


@dataclass
class _Group:
    province: Province
    form: ReportForm
    period: Period
    lines: list[Line]
    submission: Submission | None = None
    stored: dict[str, tuple[Decimal | None, str]] = field(default_factory=dict)
    parsed: dict[str, Decimal | None] = field(default_factory=dict)
    report: GroupReport | None = None


def _show(value: Decimal | None) -> str:
    return "" if value is None else plain_number(value)


def _group_lines(lines: list[Line], sheet: str) -> tuple[list[_Group], list[CellError]]:
    errors: list[CellError] = []
    forms = {f.code: f for f in ReportForm.objects.all()}
    units: dict[tuple[str, datetime.date], Province | None] = {}
    groups: dict[tuple[int, int, str], _Group] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for line in lines:
        try:
            period = Period.parse(line.period)
        except InvalidPeriod as exc:
            errors.append(CellError(str(exc), sheet=sheet, row=line.row))
            continue
        form = forms.get(line.form)
        if form is None:
            errors.append(
                CellError(_("không có biểu mẫu mã “%(code)s”.") % {"code": line.form}, sheet=sheet, row=line.row)
            )
            continue
        if period.periodicity != form.periodicity:
            errors.append(
                CellError(
                    _("kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s.")
                    % {"period": period, "form": form.code},
                    sheet=sheet,
                    row=line.row,
                )
            )
            continue
        key = (line.province, period.start)
        if key not in units:
            units[key] = units_reporting_on(period.start).filter(code=line.province).first()
        province = units[key]
        if province is None and Commune.objects.filter(code=line.province).exists():
            # One file, one level: a commune's figures go into its own commune report.
            errors.append(
                CellError(
                    _(
                        "“%(code)s” là mã xã, phường, đặc khu: tệp nhập hàng loạt chỉ nhận số liệu của tỉnh,"
                        " không trộn số liệu cấp xã."
                    )
                    % {"code": line.province},
                    sheet=sheet,
                    row=line.row,
                )
            )
            continue
        if province is None:
            errors.append(
                CellError(
                    _("không có tỉnh, thành phố mã “%(code)s” báo cáo kỳ %(period)s.")
                    % {"code": line.province, "period": period},
                    sheet=sheet,
                    row=line.row,
                )
            )
            continue
        duplicate_key = (line.province, str(period), form.code, line.element)
        if duplicate_key in seen:
            errors.append(
                CellError(
                    _("trùng với dòng %(row)d (cùng tỉnh, kỳ, biểu mẫu và mã chỉ tiêu).")
                    % {"row": seen[duplicate_key]},
                    sheet=sheet,
                    row=line.row,
                )
            )
            continue
        seen[duplicate_key] = line.row
        group = groups.setdefault(
            (province.pk, form.pk, str(period)), _Group(province=province, form=form, period=period, lines=[])
        )
        group.lines.append(line)
    return sorted(groups.values(), key=lambda g: (g.period, g.province.code, g.form.code)), errors


def _plan(group: _Group, *, approve: bool, sheet: str) -> list[CellError]:
    """Validate one submission's lines against what is stored; fill group.report with the changes."""
    errors: list[CellError] = []
    group.submission = Submission.objects.filter(
        province=group.province, commune__isnull=True, form=group.form, period=str(group.period)
    ).first()
    if group.submission is not None:
        group.stored = {
            code: (value, comment)
            for code, value, comment in DataValue.objects.filter(submission=group.submission).values_list(
                "element__code", "value", "comment"
            )
        }
    ctx = validation_context(province=group.province, form=group.form, period=group.period)
    raw = {line.element: line.value for line in group.lines}
    rows = {line.element: line.row for line in group.lines}
    current = {code: value for code, (value, _comment) in group.stored.items()}
    result = validate_input(ctx, raw=raw, current=current)
    parsed = result.parsed
    if result.ok and approve:
        merged = {**current, **result.parsed}
        comments = {code: comment for code, (_v, comment) in group.stored.items()}
        comments.update({line.element: line.comment for line in group.lines if line.comment is not None})
        result = validate_for_submit(ctx, values=merged, comments=comments)
    label = f"{group.province.code} {group.form.code} {group.period}"
    for code, messages in result.errors.items():
        for message in messages:
            errors.append(CellError(f"{label}: {message}", sheet=sheet, row=rows.get(code)))
    errors.extend(CellError(f"{label}: {message}", sheet=sheet) for message in result.form_errors)
    if errors:
        return errors
    group.parsed = parsed
    status = group.submission.status if group.submission else Submission.Status.DRAFT
    report = GroupReport(
        province=group.province.code,
        province_name=group.province.name,
        form=group.form.code,
        period=str(group.period),
        action="create" if group.submission is None else "update",
        status=status,
    )
    for line in group.lines:
        old, old_comment = group.stored.get(line.element, (None, ""))
        new = parsed[line.element]
        comment_changed = line.comment is not None and line.comment != old_comment
        if old is None and new is not None:
            report.added.append(Change(line.element, "", _show(new)))
        elif old is not None and new is None:
            report.cleared.append(Change(line.element, _show(old), ""))
        elif old != new or comment_changed:
            report.changed.append(Change(line.element, _show(old), _show(new)))
        else:
            report.unchanged += 1
    if report.action == "update" and not report.has_changes and not (approve and status != Submission.Status.APPROVED):
        report.action = "none"
    group.report = report
    return []


def _write(group: _Group, *, user: Any, approve: bool, reason: str) -> None:
    assert group.report is not None  # noqa: S101 - planned before writing
    if group.report.action == "none":
        return
    submission, _created = reporting.submission_create(
        user=user, province=group.province, form=group.form, period=group.period
    )
    Status = Submission.Status
    if group.report.has_changes:
        if submission.status == Status.APPROVED:
            submission = reporting.submission_correction_open(
                submission=submission, user=user, reason=reason, version=submission.version
            )
        elif submission.status == Status.SUBMITTED:
            submission = reporting.submission_return(
                submission=submission, user=user, comment=reason, version=submission.version
            )
        inputs = [
            reporting.ValueInput(element=line.element, value=line.value, comment=line.comment) for line in group.lines
        ]
        submission = reporting.submission_values_update(
            submission=submission, user=user, version=submission.version, values=inputs, reason=reason
        ).submission
    if approve and submission.status != Status.APPROVED:
        if submission.status != Status.SUBMITTED:
            submission = reporting.submission_submit(submission=submission, user=user, version=submission.version)
        # The administrator asked for the import to be approved: any data-quality warning is
        # acknowledged, and the audit trail records it (issue 12, item 5).
        reporting.submission_approve(
            submission=submission, user=user, version=submission.version, acknowledge_flags=True
        )


def bulk_import(*, user: Any, name: str, data: bytes, dry_run: bool = True, approve: bool = False) -> BulkResult:
    """Plan (and unless `dry_run`, apply) a historical import. Admins only.

    `approve` also submits and approves every touched submission, so that the figures become
    official (the submit-time rules then apply: completeness, explained outliers).
    """
    if not permissions.is_admin(user):
        raise ExportRefused(_("Chỉ quản trị hệ thống được nhập số liệu lịch sử hàng loạt."), status=403)
    try:
        upload = check_spreadsheet(name=name, data=data, allow_csv=True)
    except UploadRejected as exc:
        raise FileInvalid([CellError(exc.message)], status=exc.status) from exc
    lines = read_lines(upload)
    sheet = upload.name
    result = BulkResult(dry_run=dry_run, approve=approve)
    if not lines:
        result.errors.append(CellError(_("Tệp không có dòng số liệu nào.")))
        return result
    groups, errors = _group_lines(lines, sheet)
    by_group: dict[int, list[CellError]] = defaultdict(list)
    for index, group in enumerate(groups):
        by_group[index] = _plan(group, approve=approve, sheet=sheet)
    errors.extend(e for index in sorted(by_group) for e in by_group[index])
    result.errors = sorted(errors, key=lambda e: (e.row or 0, e.message))
    result.groups = [g.report for g in groups if g.report is not None]
    if result.errors or dry_run:
        return result
    reason = _("Nhập số liệu lịch sử hàng loạt từ tệp “%(name)s”.") % {"name": upload.name}
    current: _Group | None = None
    try:
        with transaction.atomic():
            for current in groups:
                _write(current, user=user, approve=approve, reason=reason)
    except ReportingError as exc:
        label = f"{current.province.code} {current.form.code} {current.period}: " if current else ""
        result.errors = [CellError(label + exc.message)]
    return result
