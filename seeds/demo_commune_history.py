"""The communes' reports of the demo history, and the province cells rolled up from them.

For every month a form is reported by communes (ReportForm.commune_reporting_from onwards) each
commune valid in the month reports the form's commune-level elements: its part of the province's
demo figures (seeds.demo_communes). Communes submit in the days before their province does and
the province's approver approves them; a few are late (seeds.demo_workflow.commune_timeline). In
the open month, events after "today" have not happened: some communes await approval, some hold
drafts, a few have not started.

The province report's commune-level cells are then the roll-up of the communes approved by
"today", by the rule of tracker.reporting.commune_rollup.refresh_province_cells (sum elements:
sum, mean elements: mean), computed here in bulk rather than by that per-report service. A
province that submitted while fewer communes than the form's threshold were approved carries its
approver's reason (Submission.coverage_note), as the product requires.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from kpis.models import DataElement, ReportForm, ReportFormElement
from kpis.periods import Period
from provinces.models import Commune, Province
from seeds.demo_communes import CommuneSplitter, CommuneUnit, commune_units, roll_up
from seeds.demo_facts import rng_for
from seeds.demo_validation import Validator
from seeds.demo_workflow import Timeline, commune_timeline, insert_rows
from tracker.accounts.models import User
from tracker.reporting.models import AuditEntry, Submission

COVERAGE_NOTE = (
    "Một số xã nộp báo cáo sau hạn; tỉnh nộp đúng hạn với số liệu các xã đã duyệt, số liệu các xã còn "
    "lại được tổng hợp khi được phê duyệt."
)
SUBMISSION_COLUMNS = [
    "id",
    "province_id",
    "commune_id",
    "form_id",
    "period",
    "period_start",
    "period_end",
    "status",
    "version",
    "has_official_values",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
    "first_submitted_at",
    "coverage_note",
]
NOT_STARTED_SHARE = 0.35  # of the communes with nothing submitted yet in the open month


@dataclass
class _Planned:
    submission: Submission
    values: dict[str, Decimal]
    comments: dict[str, str]
    line: Timeline


class CommuneHistory:
    """Collects the communes' reports of every period; rows are inserted with the provinces'."""

    def __init__(self, now: datetime.datetime, approvers: dict[int | None, User]) -> None:
        self.now = now
        self.approvers = approvers
        self.units = commune_units(Commune.objects.all())
        self.submissions = 0
        self.by_status: dict[str, int] = {}
        self.value_rows: list[tuple] = []
        self.audit_rows: list[tuple] = []
        self._next_id = 0
        self._tools: dict[int, tuple[CommuneSplitter, Validator, dict[str, DataElement]]] = {}

    def next_id(self) -> int:
        """The first free Submission id (the province reports of the period are already in)."""
        top = Submission.objects.aggregate(top=Max("id"))["top"] or 0
        self._next_id = max(self._next_id, top + 1)
        return self._next_id

    def reset_sequence(self) -> None:
        """After inserts with given ids, PostgreSQL's id sequence must move past them."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Submission]):
                cursor.execute(sql)

    def reports(self, form: ReportForm, rows: list[ReportFormElement], period: Period) -> PeriodCommunes | None:
        """The communes' reports of one period, or None if the form is not reported by communes then."""
        if not form.commune_reporting_from or period.start < Period.parse(form.commune_reporting_from).start:
            return None
        if form.pk not in self._tools:
            communal = [row for row in rows if row.commune_level]
            self._tools[form.pk] = (
                CommuneSplitter(communal),
                Validator(form, communal),
                {row.element.code: row.element for row in communal},
            )
        splitter, validator, elements = self._tools[form.pk]
        return PeriodCommunes(self, form, period, splitter, validator, elements)


@dataclass
class PeriodCommunes:
    history: CommuneHistory
    form: ReportForm
    period: Period
    splitter: CommuneSplitter
    validator: Validator
    elements: dict[str, DataElement]
    planned: list[_Planned] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return set(self.elements)

    def province(
        self, province: Province, values: dict[str, Decimal], anchor: datetime.datetime
    ) -> tuple[dict[str, Decimal], bool]:
        """Plan the reports of the province's communes; return its rolled-up cells and whether it
        submitted (at `anchor`) below the coverage threshold."""
        period, now = self.period, self.history.now
        units = [u for u in self.history.units.get(province.id, []) if _valid(u, period)]
        totals = {code: values[code] for code in self.elements if code in values}
        figures = self.splitter.split(province.id, period, totals, units)
        due = period.end + datetime.timedelta(days=self.form.due_day)
        approved: list[dict[str, Decimal]] = []
        before_anchor = 0
        for unit, commune_values in zip(units, figures, strict=True):
            full = commune_timeline(unit.code, self.form.code, str(period), period.end, due, anchor)
            line = full.until(now)
            status = line.status
            if status == "draft" and rng_for("commune-not-started", unit.code, period).random() < NOT_STARTED_SHARE:
                continue
            comments = self.validator.outlier_comments(period, commune_values, key=unit.id)
            if status == "approved":
                self.validator.remember(province, period, commune_values, key=unit.id)
                approved.append(commune_values)
                before_anchor += (line.last("approved") or now) <= anchor
            submission = Submission(
                province_id=province.id,
                commune_id=unit.id,
                form=self.form,
                period=str(period),
                period_start=period.start,
                period_end=period.end,
                status=status,
                version=1,
                has_official_values=status == "approved",
                submitted_at=line.last("submitted"),
                first_submitted_at=line.first("submitted"),
                approved_at=line.last("approved"),
            )
            self.planned.append(_Planned(submission, commune_values, comments, line))
        rolled = {}
        for code, element in self.elements.items():
            value = roll_up(element, [v[code] for v in approved if code in v])
            if value is not None:
                rolled[code] = value
        below = bool(units) and before_anchor * 100 < self.form.commune_coverage_threshold * len(units)
        return rolled, below

    def create(self) -> None:
        """Insert the planned reports and queue their values and audit rows.

        Plain INSERTs with ids given here (as seeds.demo._insert does for values): bulk_create's
        per-field preparation of ~60.000 reports would double the time of load_demo."""
        history = self.history
        ids = {code: element.pk for code, element in self.elements.items()}
        start = history.next_id()
        rows = []
        at = connection.ops.adapt_datetimefield_value
        for offset, p in enumerate(self.planned):
            submission, line = p.submission, p.line
            submission.pk = start + offset
            rows.append(
                (
                    submission.pk,
                    submission.province_id,
                    submission.commune_id,
                    self.form.pk,
                    submission.period,
                    submission.period_start,
                    submission.period_end,
                    submission.status,
                    1,
                    submission.has_official_values,
                    at(history.now),
                    at(history.now),
                    at(submission.submitted_at),
                    at(submission.approved_at),
                    at(submission.first_submitted_at),
                    "",
                )
            )
            approved = submission.status == "approved"
            stamp = line.last("submitted") or history.now
            for code, value in p.values.items():
                history.value_rows.append(
                    (submission.pk, ids[code], value, value if approved else None, p.comments.get(code, ""), stamp)
                )
            approver = history.approvers.get(submission.province_id)
            previous = "draft"
            for event, moment in line.events:
                user = approver if event == "approved" else None
                history.audit_rows.append(
                    (
                        submission.pk,
                        AuditEntry.Kind.STATUS,
                        None,
                        previous,
                        event,
                        "",
                        user.pk if user else None,
                        moment,
                        0,
                    )
                )
                previous = event
            history.by_status[submission.status] = history.by_status.get(submission.status, 0) + 1
        insert_rows(Submission, SUBMISSION_COLUMNS, rows)
        history.submissions += len(rows)
        self.planned = []


def _valid(unit: CommuneUnit, period: Period) -> bool:
    return unit.valid_from <= period.end and (unit.valid_to is None or unit.valid_to >= period.start)
