"""Demo users and demo history for the quick start (never in production).

The history: every unit reports every month from January 2023 to the last completed month (the
63 former units until June 2025, the 34 current units from July 2025), every quarter and year
that has ended. Figures come from seeds.demo_series (derived from each unit's reference facts)
and every report passes the product's own submit validation (seeds.demo_validation runs the
same checks the web form runs); figures the validation flags as outliers carry a comment, as an
officer would write. Timestamps follow seeds.demo_workflow. The whole history is written in one
transaction: a failure half-way leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from kpis.models import ReportForm, ReportFormElement
from kpis.periods import Period, Periodicity, months_between
from provinces.models import MERGER_DATE, Commune, Province
from seeds.demo_commune_history import COVERAGE_NOTE, CommuneHistory
from seeds.demo_facts import UnitFacts, unit_facts
from seeds.demo_series import Series
from seeds.demo_validation import DemoInvalid, Validator
from seeds.demo_workflow import Timeline, insert_rows, open_month_not_started, timeline
from tracker.accounts.models import Role, User
from tracker.reporting.models import AuditEntry, DataValue, Evidence, LockException, Submission

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, created only with TRACKER_DEMO=1
DEMO_USERS = [
    ("officer_91", Role.OFFICER, "91"),
    ("approver_91", Role.APPROVER, "91"),
    ("officer_01", Role.OFFICER, "01"),
    ("approver_01", Role.APPROVER, "01"),
    ("reviewer", Role.REVIEWER, None),
    ("admin", Role.ADMIN, None),
]
# Commune officers (username, commune code of QĐ 19/2025/QĐ-TTg): a phường of each demo province.
DEMO_COMMUNE_USERS = [
    ("commune_91", "30307"),  # Phường Long Xuyên, An Giang
    ("commune_01", "00070"),  # Phường Hoàn Kiếm, Hà Nội
]
HISTORY_START = Period.month(2023, 1)
NOT_STARTED_IN_OPEN_MONTH = {"91"}  # An Giang: the demo officer's month to fill in
DRAFT_IN_OPEN_MONTH = {"01"}  # Hà Nội: a draft half filled in
BENCHMARK_PREFIX = "BENCH"

__all__ = ["DemoHistoryExists", "DemoInvalid", "DemoResult", "demo_history_create", "demo_users_create"]


class DemoHistoryExists(Exception):
    """Reports already exist: the demo never adds a second history on top of one."""


@dataclass
class DemoResult:
    submissions: int = 0
    values: int = 0
    outlier_comments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    commune_submissions: int = 0
    commune_by_status: dict[str, int] = field(default_factory=dict)


def _require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is created only with TRACKER_DEMO=1 (the quick start).")


def demo_users_create() -> list[User]:
    _require_demo_mode()
    users = []
    for username, role, code in DEMO_USERS:
        province = Province.objects.current().get(code=code) if code else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "province": province,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    for username, code in DEMO_COMMUNE_USERS:
        commune = Commune.objects.current().select_related("province").get(code=code)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": Role.COMMUNE_OFFICER, "commune": commune, "province": commune.province},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users


def demo_forms() -> list[ReportForm]:
    return list(ReportForm.objects.exclude(code__startswith=BENCHMARK_PREFIX).order_by("code"))


def demo_series() -> tuple[Series, list[Province], list[Province]]:
    """The generator over the units in the database (also used by the benchmarks and the tests)."""
    current = list(Province.objects.current().order_by("code"))
    former = list(Province.objects.former().order_by("code"))
    return Series(unit_facts(current, former)), current, former


def history_periods(form: ReportForm, first: Period, last_completed: Period) -> list[Period]:
    months = months_between(first, last_completed)
    if form.periodicity == Periodicity.MONTHLY:
        return months
    seen: dict[str, Period] = {}
    for month in months:
        period = month.quarter_of() if form.periodicity == Periodicity.QUARTERLY else month.year_of()
        if period.end <= last_completed.end:
            seen.setdefault(str(period), period)
    return list(seen.values())


def demo_history_create(
    *, today: datetime.date | None = None, first: Period = HISTORY_START, replace: bool = False
) -> DemoResult:
    """Create the demo history in one transaction; refuses when reports exist unless `replace`."""
    _require_demo_mode()
    today = today or timezone.localdate()
    forms = demo_forms()
    with transaction.atomic():
        existing = Submission.objects.filter(form__in=forms)
        if existing.exists():
            if not replace:
                raise DemoHistoryExists(
                    "Đã có báo cáo trong cơ sở dữ liệu; dữ liệu minh họa không được thêm chồng lên. "
                    "Dùng --replace để xóa lịch sử cũ và tạo lại."
                )
            _delete_history(existing)
        return _History(today, first, forms).create()


def _delete_history(submissions) -> None:
    """Plain DELETEs: the ORM's cascade collection over ~60.000 commune reports takes minutes."""
    for model in (AuditEntry, Evidence, LockException, DataValue):
        model.objects.filter(submission__in=submissions)._raw_delete(connection.alias)
    submissions._raw_delete(connection.alias)


class _History:
    def __init__(self, today: datetime.date, first: Period, forms: list[ReportForm]) -> None:
        self.today = today
        self.now = timezone.make_aware(
            datetime.datetime.combine(today, datetime.time(7, 30)), timezone.get_default_timezone()
        )
        self.first = first
        self.forms = forms
        self.last_completed = Period.containing(today, Periodicity.MONTHLY).previous()
        self.series, self.current, self.former = demo_series()
        self.result = DemoResult()
        self.reviewer = User.objects.filter(role=Role.REVIEWER).order_by("id").first()
        self.approvers = {
            u.province_id: u for u in User.objects.filter(role=Role.APPROVER, province__isnull=False).order_by("id")
        }
        self.audit_rows: list[tuple] = []
        self.value_rows: list[tuple] = []
        self.communes = CommuneHistory(self.now, self.approvers)

    def create(self) -> DemoResult:
        for form in self.forms:
            rows = list(ReportFormElement.objects.filter(form=form).select_related("element").order_by("order", "id"))
            validator = Validator(form, rows)
            for period in history_periods(form, self.first, self.last_completed):
                self._period(form, rows, validator, period)
        # Province cells first, then the communes' (ids in that order, as a province enters its
        # report before reading its communes' in the product).
        value_rows = self.value_rows + self.communes.value_rows
        audit_rows = self.audit_rows + self.communes.audit_rows
        insert_rows(
            DataValue,
            ["submission_id", "element_id", "value", "approved_value", "comment", "updated_at"],
            value_rows,
        )
        insert_rows(
            AuditEntry,
            ["submission_id", "kind", "element_id", "old_value", "new_value", "reason", "user_id", "at", "version"],
            audit_rows,
        )
        self.result.values = len(value_rows)
        self.result.commune_submissions = self.communes.submissions
        for status, count in self.communes.by_status.items():
            self.result.commune_by_status[status] = count
        return self.result

    def _units(self, period: Period) -> list[Province]:
        return self.current if period.start >= MERGER_DATE else self.former

    def _period(self, form: ReportForm, rows: list[ReportFormElement], validator: Validator, period: Period) -> None:
        due = period.end + datetime.timedelta(days=form.due_day)
        is_open = form.periodicity == Periodicity.MONTHLY and period == self.last_completed
        codes = [row.element.code for row in rows]
        element_ids = {row.element.code: row.element_id for row in rows}
        communal = self.communes.reports(form, rows, period) if period.start >= MERGER_DATE else None
        planned: list[tuple[Submission, dict[str, Decimal], dict[str, str], Timeline]] = []
        for province in self._units(period):
            facts: UnitFacts = self.series.facts[province.id]
            full = timeline(facts.key, form.code, str(period), period.end, due)
            line = full.until(self.now)
            values = self.series.values(facts, period, codes)
            status = line.status
            skipped = False
            if is_open and province.code in NOT_STARTED_IN_OPEN_MONTH:
                skipped = True
            elif is_open and province.code in DRAFT_IN_OPEN_MONTH:
                line, status = Timeline(), "draft"
            elif status == "draft" and open_month_not_started(facts.key, str(period)):
                skipped = True
            rolled: dict[str, Decimal] = {}
            coverage_note = False
            if communal is not None:
                # The demo officers' provinces consolidate tomorrow: today their approver has work.
                demo_unit = is_open and province.code in NOT_STARTED_IN_OPEN_MONTH | DRAFT_IN_OPEN_MONTH
                anchor = self.now + datetime.timedelta(days=1) if demo_unit else full.events[0][1]
                rolled, coverage_note = communal.province(province, values, anchor)
                values = {code: v for code, v in values.items() if code not in communal.codes} | rolled
            if skipped:
                if not rolled:
                    continue
                # Not started by the province, yet its communes' approved figures are its cells already:
                # their roll-up opens the province's draft, as refresh_province_cells does.
                values, status, line, coverage_note = dict(rolled), "draft", Timeline(), False
            if status == "draft":
                comments = validator.comments(province, period, values)
            else:
                comments = validator.check(province, period, values)  # raises DemoInvalid on a broken rule
            if is_open and province.code in DRAFT_IN_OPEN_MONTH:
                typed = [code for code in values if code not in rolled]
                values = {code: values[code] for code in typed[: len(typed) // 2]} | rolled
                comments = {k: v for k, v in comments.items() if k in values}
            if status == "approved":
                validator.remember(province, period, values)
            submission = Submission(
                province=province,
                form=form,
                period=str(period),
                period_start=period.start,
                period_end=period.end,
                status=status,
                version=1 + 2 * sum(1 for event, _at in line.events if event == "returned"),
                has_official_values=status == "approved",
                submitted_at=line.last("submitted"),
                first_submitted_at=line.first("submitted"),
                approved_at=line.last("approved"),
            )
            if coverage_note and status != "draft":
                submission.coverage_note = COVERAGE_NOTE
                submission.coverage_note_by = self.approvers.get(province.id)
                submission.coverage_note_at = line.first("submitted")
            planned.append((submission, values, comments, line))
        Submission.objects.bulk_create([p[0] for p in planned], batch_size=500)
        for submission, values, comments, line in planned:
            self._record(submission, values, comments, line, element_ids, rolled=communal.codes if communal else ())
        if communal is not None:
            communal.create()
            self.communes.reset_sequence()

    def _record(
        self,
        submission: Submission,
        values: dict[str, Decimal],
        comments: dict[str, str],
        line: Timeline,
        element_ids: dict[str, int],
        rolled: Iterable[str] = (),
    ) -> None:
        approved = submission.status == "approved"
        stamp = line.last("submitted") or self.now
        for code, value in values.items():
            comment = comments.get(code, "")
            # A commune-level cell holds the roll-up as value and approved value, whatever the
            # province report's status (tracker.reporting.commune_rollup.refresh_province_cells).
            official = value if approved or code in rolled else None
            self.value_rows.append((submission.pk, element_ids[code], value, official, comment, stamp))
        self.result.outlier_comments += len(comments)
        self.result.submissions += 1
        self.result.by_status[submission.status] = self.result.by_status.get(submission.status, 0) + 1
        approver = self.approvers.get(submission.province_id)
        previous = "draft"
        for event, at in line.events:
            user = self.reviewer if event == "returned" else approver if event == "approved" else None
            reason = line.return_reason if event == "returned" else ""
            self.audit_rows.append(
                (submission.pk, AuditEntry.Kind.STATUS, None, previous, event, reason, user.pk if user else None, at, 0)
            )
            if event == "returned" and "HS_ONLINE_RECEIVED" in values:
                # The correction the return asked for, the next day.
                corrected = values["HS_ONLINE_RECEIVED"]
                self.audit_rows.append(
                    (
                        submission.pk,
                        AuditEntry.Kind.VALUE,
                        element_ids["HS_ONLINE_RECEIVED"],
                        str(int(corrected * Decimal("1.04"))),
                        str(corrected),
                        "Điều chỉnh theo ý kiến trả lại, đã đối chiếu Cổng Dịch vụ công quốc gia.",
                        None,
                        at + datetime.timedelta(days=1),
                        0,
                    )
                )
            previous = event
