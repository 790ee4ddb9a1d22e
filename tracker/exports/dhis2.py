"""DHIS2 `dataValueSets` exchange, with codes as identifiers (idScheme=CODE).

- dataElement: the data element's code; orgUnit: the province's GSO code (a former unit is found
  from its code and the period, as in the bulk import); dataSet: the report form's code.
- period: DHIS2's ISO forms: 202510 (month), 2025Q4 (quarter), 2025 (year).
- value: a string, as DHIS2 sends it: plain numbers (`1234.5`), booleans as `true`/`false`.

Export reads the official (approved) figures by default, or the working ones with
approvedOnly=false, of the submissions the user may read. Import saves each (orgUnit, period,
dataSet) group through tracker.reporting's services, as a draft, with the same validation as the
web form; a group with any invalid value is ignored whole and its problems listed as conflicts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from kpis.models import DataElement, ReportForm, ReportFormElement
from kpis.periods import Period, Periodicity
from provinces.models import Province
from provinces.selectors import units_reporting_on
from tracker.accounts import permissions
from tracker.inputs import InputRefused, printable
from tracker.inputs import period as parse_period
from tracker.reporting import services as reporting
from tracker.reporting.errors import ReportingError
from tracker.reporting.formatting import canonical
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.validation import validate_input, validation_context

_MONTH = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
MAX_VALUES = 200_000


class PeriodNotUnderstood(ValueError):
    pass


class PayloadInvalid(ValueError):
    """The body is not a dataValueSet the import can read; the message is for the caller."""


def to_dhis2_period(period: Period) -> str:
    if period.periodicity == Periodicity.MONTHLY:
        return f"{period.year:04d}{period.index:02d}"
    if period.periodicity == Periodicity.QUARTERLY:
        return f"{period.year:04d}Q{period.index}"
    return f"{period.year:04d}"


def from_dhis2_period(text: str) -> Period:
    text = (text or "").strip()
    if match := _MONTH.match(text):
        iso = f"{match[1]}-{match[2]}"
    elif match := _QUARTER.match(text):
        iso = f"{match[1]}-Q{match[2]}"
    elif match := _YEAR.match(text):
        iso = match[1]
    else:
        raise PeriodNotUnderstood(
            _("Kỳ “%(period)s” không đúng dạng DHIS2 (YYYYMM, YYYYQn hoặc YYYY).") % {"period": printable(text)}
        )
    try:  # the one period parser: years outside the representable range are refused there
        return parse_period(iso)
    except InputRefused as exc:
        raise PeriodNotUnderstood(exc.message) from exc


def dhis2_value(value: Decimal, value_type: str) -> str:
    if value_type == DataElement.ValueType.BOOLEAN:
        return "true" if value else "false"
    return canonical(value)


# ---------------------------------------------------------------------------------------------
# export (a read)


COMMUNE_CODE_LENGTH = 5  # GSO codes: 2 digits for a province, 5 for a commune (QĐ 19/2025/QĐ-TTg)


def org_unit_filter(org_units: list[str], *, children: bool) -> Q:
    """Which reports a list of org unit codes asks for: a province code its province's own
    reports (and with `children`, as DHIS2 reads it, its communes' too), a commune code that
    commune's reports."""
    provinces = [code for code in org_units if len(code) != COMMUNE_CODE_LENGTH]
    communes = [code for code in org_units if len(code) == COMMUNE_CODE_LENGTH]
    wanted = Q(submission__commune__isnull=True, submission__province__code__in=provinces)
    wanted |= Q(submission__commune__code__in=communes)
    if children:
        wanted |= Q(submission__commune__isnull=False, submission__province__code__in=provinces)
    return wanted


def data_value_set(
    *,
    user: Any,
    org_units: list[str],
    periods: list[Period],
    data_sets: list[str],
    approved_only: bool = True,
    children: bool = False,
) -> dict[str, Any]:
    """The values the user may read, as one DHIS2 dataValueSet (one query, and one for the
    communes' place in the hierarchy when commune reports are among them).

    A commune report's values carry the commune's code as orgUnit; `organisationUnits` then
    gives each such commune's parent and path (province code / commune code)."""
    values = DataValue.objects.filter(
        Q(submission__in=Submission.objects.filter(permissions.submission_visibility(user)))
    )
    if org_units:
        values = values.filter(org_unit_filter(org_units, children=children))
    else:
        # Province reports: commune figures reach a province through its rolled-up cells.
        values = values.filter(submission__commune__isnull=True)
    if periods:
        values = values.filter(submission__period__in=[str(p) for p in periods])
    if data_sets:
        values = values.filter(submission__form__code__in=data_sets)
    if approved_only:
        values = values.filter(submission__has_official_values=True, approved_value__isnull=False)
    else:
        values = values.filter(value__isnull=False)
    rows = values.order_by(
        "submission__period_start",
        "submission__province__code",
        F("submission__commune__code").asc(nulls_first=True),
        "submission__form__code",
        "element__code",
    ).values_list(
        "element__code",
        "element__value_type",
        "submission__period",
        Coalesce("submission__commune__code", "submission__province__code"),
        "submission__form__code",
        "value",
        "approved_value",
        "comment",
        "updated_at",
        "updated_by__username",
    )
    data_values = []
    for code, value_type, period, org_unit, _form, value, approved, comment, updated_at, stored_by in rows:
        figure = approved if approved_only else value
        if figure is None:  # excluded by the filters above; kept for the type checker
            continue
        entry: dict[str, Any] = {
            "dataElement": code,
            "period": to_dhis2_period(Period.parse(period)),
            "orgUnit": org_unit,
            "value": dhis2_value(figure, value_type),
            "lastUpdated": updated_at.isoformat(timespec="seconds") if updated_at else None,
            "followup": False,
        }
        if stored_by:
            entry["storedBy"] = stored_by
        if comment:
            entry["comment"] = comment
        data_values.append(entry)
    out: dict[str, Any] = {}
    if len(data_sets) == 1:
        out["dataSet"] = data_sets[0]
    if len(periods) == 1:
        out["period"] = to_dhis2_period(periods[0])
    if len(org_units) == 1:
        out["orgUnit"] = org_units[0]
    out["dataValues"] = data_values
    communes = sorted({entry["orgUnit"] for entry in data_values if len(entry["orgUnit"]) == COMMUNE_CODE_LENGTH})
    if communes:
        out["organisationUnits"] = commune_org_units(communes)
    return out


def commune_org_units(codes: list[str]) -> list[dict[str, Any]]:
    """The communes' place under their provinces, as DHIS2's organisationUnits name it."""
    from provinces.models import Commune

    latest: dict[str, tuple[str, str]] = {}
    rows = Commune.objects.filter(code__in=codes).order_by("code", "valid_from")
    for code, name, parent in rows.values_list("code", "name", "province__code"):
        latest[code] = (name, parent)  # a code's latest unit names it
    return [
        {"code": code, "name": name, "level": 2, "parent": {"code": parent}, "path": f"/{parent}/{code}"}
        for code, (name, parent) in latest.items()
    ]


# ---------------------------------------------------------------------------------------------
# import (a write)


@dataclass
class ImportSummary:
    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)

    def conflict(self, obj: str, message: str) -> None:
        self.conflicts.append({"object": obj, "value": message})

    @property
    def status(self) -> str:
        if not self.conflicts:
            return "SUCCESS"
        return "WARNING" if self.imported or self.updated or self.deleted else "ERROR"

    @property
    def description(self) -> str:
        """What happened, in words that agree with the status and the counts."""
        if self.status == "ERROR":
            return _("Không nhập được giá trị nào: xem danh sách xung đột.")
        if self.dry_run:
            return _("Chạy thử: không có gì được ghi.")
        if self.status == "WARNING":
            return _("Đã nhập một phần: các giá trị trong danh sách xung đột bị bỏ qua.")
        if not (self.imported or self.updated or self.deleted):
            return _("Không có gì thay đổi.")
        return _("Đã nhập xong.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "description": self.description,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": self.conflicts,
            "dryRun": self.dry_run,
            "importOptions": {"dryRun": self.dry_run, "idSchemes": {"idScheme": "CODE"}},
        }


@dataclass(frozen=True)
class _Entry:
    element: str
    org_unit: str
    period: Period
    form: ReportForm
    value: object
    comment: str | None


def _text(entry: dict[str, Any], key: str, default: Any = None) -> Any:
    value = entry.get(key, default)
    if value is None:
        return None
    # A code sent as a list or an object is read as its text, which then matches nothing.
    return value.strip() if isinstance(value, str) else str(value)


def _forms_of_elements() -> dict[str, list[ReportForm]]:
    forms: dict[str, list[ReportForm]] = defaultdict(list)
    for link in ReportFormElement.objects.select_related("form", "element"):
        forms[link.element.code].append(link.form)
    return forms


def _entries(payload: Any, summary: ImportSummary) -> list[_Entry]:
    """Check the shape of each value; a malformed one becomes a conflict and is ignored."""
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        raise PayloadInvalid(_("Dữ liệu phải là một dataValueSet JSON có danh sách “dataValues”."))
    values = payload["dataValues"]
    if len(values) > MAX_VALUES:
        raise PayloadInvalid(_("Quá %(max)d giá trị trong một lần nhập.") % {"max": MAX_VALUES})
    forms = {f.code: f for f in ReportForm.objects.all()}
    forms_of = _forms_of_elements()
    default_set = _text(payload, "dataSet")
    default_period = _text(payload, "period")
    default_unit = _text(payload, "orgUnit")
    if default_set and default_set not in forms:
        raise PayloadInvalid(_("Không có biểu mẫu (dataSet) mã “%(code)s”.") % {"code": printable(str(default_set))})
    entries = []
    for index, raw in enumerate(values):
        if not isinstance(raw, dict):
            summary.ignored += 1
            summary.conflict(f"dataValues[{index}]", _("Mỗi giá trị phải là một đối tượng JSON."))
            continue
        element = str(_text(raw, "dataElement") or "")
        org_unit = str(_text(raw, "orgUnit") or default_unit or "")
        period_text = str(_text(raw, "period") or default_period or "")
        if not element or not org_unit or not period_text:
            summary.ignored += 1
            summary.conflict(element or f"dataValues[{index}]", _("Thiếu dataElement, orgUnit hoặc period."))
            continue
        try:
            period = from_dhis2_period(period_text)
        except PeriodNotUnderstood as exc:
            summary.ignored += 1
            summary.conflict(element, str(exc))
            continue
        if default_set:
            form = forms[default_set]
        else:
            candidates = [f for f in forms_of.get(element, []) if f.periodicity == period.periodicity]
            if len(candidates) != 1:
                summary.ignored += 1
                summary.conflict(
                    element,
                    _("Không xác định được biểu mẫu của “%(code)s” cho kỳ %(period)s: hãy ghi dataSet.")
                    % {"code": element, "period": period_text},
                )
                continue
            form = candidates[0]
        value = raw.get("value")
        if isinstance(value, str) and value.strip() == "":
            value = None
        comment = raw.get("comment")
        entries.append(
            _Entry(
                element=element,
                org_unit=org_unit,
                period=period,
                form=form,
                value=value,
                comment=str(comment) if comment is not None else None,
            )
        )
    return entries


def _import_group(
    *, user: Any, province: Province, form: ReportForm, period: Period, entries: list[_Entry], summary: ImportSummary
) -> None:
    submission = Submission.objects.filter(
        province=province, commune__isnull=True, form=form, period=str(period)
    ).first()
    stored = (
        {
            code: (value, comment)
            for code, value, comment in submission.values.values_list("element__code", "value", "comment")
        }
        if submission
        else {}
    )
    seen: set[str] = set()
    unique: list[_Entry] = []
    for entry in entries:
        if entry.element in seen:
            summary.ignored += 1
            summary.conflict(entry.element, _("Giá trị trùng lặp cho cùng orgUnit, period và dataElement."))
            continue
        seen.add(entry.element)
        unique.append(entry)
    allowed = (
        permissions.may_edit_values(user, submission)
        if submission is not None
        else permissions.may_create(user, province)
    )
    if not allowed:
        summary.ignored += len(unique)
        summary.conflict(
            province.code, _("Bạn không được nhập số liệu cho %(province)s.") % {"province": province.name}
        )
        return
    ctx = validation_context(province=province, form=form, period=period)
    current = {code: value for code, (value, _c) in stored.items()}
    result = validate_input(ctx, raw={e.element: e.value for e in unique}, current=current)
    if not result.ok:
        summary.ignored += len(unique)
        for code, messages in result.errors.items():
            for message in messages:
                summary.conflict(code, message)
        for message in result.form_errors:
            summary.conflict(f"{province.code}/{to_dhis2_period(period)}", message)
        return
    counts = {"imported": 0, "updated": 0, "deleted": 0, "ignored": 0}
    for entry in unique:
        old, old_comment = stored.get(entry.element, (None, ""))
        new = result.parsed[entry.element]
        comment_changed = entry.comment is not None and entry.comment.strip() != old_comment
        if old is None and new is not None:
            counts["imported"] += 1
        elif old is not None and new is None:
            counts["deleted"] += 1
        elif old != new or comment_changed:
            counts["updated"] += 1
        else:
            counts["ignored"] += 1
    if not summary.dry_run and (counts["imported"] or counts["updated"] or counts["deleted"]):
        try:
            with transaction.atomic():
                target, _created = reporting.submission_create(user=user, province=province, form=form, period=period)
                reporting.submission_values_update(
                    submission=target,
                    user=user,
                    version=target.version,
                    values=[reporting.ValueInput(element=e.element, value=e.value, comment=e.comment) for e in unique],
                    reason=_("Nhập từ DHIS2 (dataValueSets)."),
                )
        except ReportingError as exc:
            summary.ignored += len(unique)
            summary.conflict(f"{province.code}/{to_dhis2_period(period)}", exc.message)
            return
    for key, count in counts.items():
        setattr(summary, key, getattr(summary, key) + count)


def data_value_set_import(*, user: Any, payload: Any, dry_run: bool = False) -> ImportSummary:
    """Import a DHIS2 dataValueSet; each (orgUnit, period, dataSet) group is saved or ignored whole.

    Raises PayloadInvalid when the payload is not a dataValueSet at all.
    """
    summary = ImportSummary(dry_run=dry_run)
    entries = _entries(payload, summary)
    groups: dict[tuple[str, Period, int], list[_Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.org_unit, entry.period, entry.form.pk)].append(entry)
    for (org_unit, period, _form_id), members in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        province = units_reporting_on(period.start).filter(code=org_unit).first()
        if province is None:
            summary.ignored += len(members)
            summary.conflict(
                org_unit,
                _("Không có tỉnh, thành phố mã “%(code)s” báo cáo kỳ %(period)s.")
                % {"code": org_unit, "period": to_dhis2_period(period)},
            )
            continue
        form = members[0].form
        if period.periodicity != form.periodicity:
            summary.ignored += len(members)
            summary.conflict(
                form.code,
                _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s.")
                % {"period": to_dhis2_period(period), "form": form.code},
            )
            continue
        _import_group(user=user, province=province, form=form, period=period, entries=members, summary=summary)
    return summary
