"""The approval review: what an approver needs to trust a report in a minute, before the form.

First what changed against the previous period (largest relative changes first, outliers marked,
with the officer's comments), then the validation's warnings, the evidence files, and the effect
of approving on the province's indicators: value and status before → after, where "after" is the
preview that tracker.progress computes on the fly from the submitted figures (never stored) and
the status is measured by the same function the roll-ups use (progress_measure.measure).

Who may open it: whoever may read the submission (404 otherwise, as every submission page).
A report that is no longer waiting (returned meanwhile, or already approved) still opens, with a
message saying so and who changed it, instead of the approve button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kpis.models import DataElement, Indicator
from kpis.periods import InvalidPeriod, Period
from tracker.accounts import permissions
from tracker.dashboards import palette
from tracker.dashboards import selectors as dashboard_selectors
from tracker.dashboards.formatting import localized, number
from tracker.progress.models import IndicatorValue, Level
from tracker.progress.progress_measure import Observation, measure
from tracker.progress.services import indicator_values_preview
from tracker.reporting import quality_warning, selectors
from tracker.reporting.errors import SubmissionNotFound
from tracker.reporting.formatting import display
from tracker.reporting.forms import ReturnForm
from tracker.reporting.models import AuditEntry, DataValue, Submission
from tracker.reporting.validation import context_for, element_label, outlier_message, validate_for_submit

# A relative change at least this large is highlighted (50 %).
BIG_CHANGE = Decimal("0.5")
# Rows shown before "show all": the largest changes and the indicators whose status moves.
FIRST_ROWS = 10


@dataclass
class Change:
    code: str
    label: str
    unit: str
    value_type: str
    previous: Decimal | None
    value: Decimal | None
    comment: str
    outlier: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.value is None:
            return None
        return self.value - self.previous

    @property
    def relative(self) -> Decimal | None:
        if self.change is None or not self.previous:
            return None
        try:
            return self.change / abs(self.previous)
        except (InvalidOperation, ZeroDivisionError):
            return None

    @property
    def big(self) -> bool:
        return self.relative is not None and abs(self.relative) >= BIG_CHANGE

    @property
    def relative_text(self) -> str:
        relative = self.relative
        if relative is None:
            return "–" if self.previous is None else ""
        text = number(relative * 100, 1) + " %"
        return ("+" + text) if relative > 0 else text

    @property
    def previous_text(self) -> str:
        return display(self.previous, self.value_type) if self.previous is not None else "–"

    @property
    def value_text(self) -> str:
        return display(self.value, self.value_type) if self.value is not None else "–"


@dataclass
class Effect:
    code: str
    name: str
    unit: str
    period: str
    before_period: str
    before: Decimal | None
    after: Decimal | None
    status_before: str
    status_after: str

    @property
    def before_text(self) -> str:
        return number(self.before) if self.before is not None else "–"

    @property
    def after_text(self) -> str:
        return number(self.after) if self.after is not None else "–"

    @property
    def changed(self) -> bool:
        return self.before != self.after or self.status_before != self.status_after

    @property
    def status_changed(self) -> bool:
        return self.status_before != self.status_after

    @property
    def badge_before(self) -> SafeString:
        return palette.badge(self.status_before)

    @property
    def badge_after(self) -> SafeString:
        return palette.badge(self.status_after)


@dataclass
class Review:
    submission: Submission
    state: selectors.Status
    changes: list[Change]
    errors: list[str]
    warnings: list[str]
    effects: list[Effect]
    effects_note: str = ""
    comments: list[AuditEntry] = field(default_factory=list)
    not_waiting: str = ""
    # Data-quality flags approving would produce (issue 12, item 5): the approver must confirm.
    quality_warnings: list[str] = field(default_factory=list)

    @property
    def first_changes(self) -> list[Change]:
        """The largest changes, and every outlier wherever it sorts."""
        return [c for i, c in enumerate(self.changes) if i < FIRST_ROWS or c.outlier]

    @property
    def other_changes(self) -> list[Change]:
        return [c for i, c in enumerate(self.changes) if i >= FIRST_ROWS and not c.outlier]

    @property
    def first_effects(self) -> list[Effect]:
        return [e for i, e in enumerate(self.effects) if i < FIRST_ROWS or e.status_changed]

    @property
    def other_effects(self) -> list[Effect]:
        return [e for i, e in enumerate(self.effects) if i >= FIRST_ROWS and not e.status_changed]


def top_comments(submission: Submission) -> list[AuditEntry]:
    """Return and approval decisions and comments, newest first, for the top of every report page."""
    entries = (
        AuditEntry.objects.filter(submission=submission)
        .filter(kind__in=[AuditEntry.Kind.COMMENT, AuditEntry.Kind.STATUS])
        .select_related("user")
        .order_by("-at", "-id")
    )
    kept = []
    for entry in entries:
        if entry.kind == AuditEntry.Kind.STATUS and not (
            entry.new_value in (Submission.Status.RETURNED, Submission.Status.APPROVED) or entry.reason
        ):
            continue
        kept.append(entry)
    return kept[:10]


def _changes(submission: Submission) -> tuple[list[Change], list[str], list[str]]:
    """Changes against the previous period, largest relative first, and the validation's messages."""
    ctx = context_for(submission)
    stored = {
        code: (value, comment)
        for code, value, comment in DataValue.objects.filter(submission=submission).values_list(
            "element__code", "value", "comment"
        )
    }
    result = validate_for_submit(
        ctx,
        values={code: value for code, (value, _comment) in stored.items()},
        comments={code: comment for code, (_value, comment) in stored.items()},
    )
    changes = []
    for row in ctx.rows:
        element = row.element
        code = element.code
        value, comment = stored.get(code, (None, ""))
        if element.value_type == DataElement.ValueType.BOOLEAN and value is None:
            continue
        changes.append(
            Change(
                code=code,
                label=element_label(element),
                unit=element.unit,
                value_type=element.value_type,
                previous=ctx.previous.get(code),
                value=value,
                comment=comment,
                outlier=(outlier_message(ctx, code, value) or "") if value is not None else "",
            )
        )
    changes.sort(key=lambda c: (-(abs(c.relative) if c.relative is not None else Decimal(-1)), c.label))
    errors = [message for messages in result.errors.values() for message in messages] + result.form_errors
    warnings = [message for messages in result.warnings.values() for message in messages]
    return changes, errors, warnings


def _after_status(
    standing: dashboard_selectors.ProgressRow | None, indicator: Indicator, period: Period, value: Decimal | None
) -> str:
    """The standing's status with the preview's value as the current one, measured as the roll-ups do."""
    if standing is None or value is None:
        return standing.status if standing else "not_available"
    try:
        current_period = Period.parse(standing.current_period) if standing.current_period else None
        base_period = Period.parse(standing.baseline_period) if standing.baseline_period else None
    except InvalidPeriod:
        return standing.status
    if current_period is not None and current_period.end > period.end:
        return standing.status  # a later figure already decides the standing
    if standing.deadline is not None and standing.deadline < period.start:
        return standing.status  # the deadline passed before this period: the standing is final
    base = (
        Observation(base_period, standing.baseline_value)
        if base_period and standing.baseline_value is not None
        else None
    )
    if base is None:
        base = Observation(period, value)
    result = measure(
        base=base,
        current=Observation(period, value),
        target=standing.target_value,
        deadline=standing.deadline,
        higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
        natural_limit=indicator.natural_limit,
    )
    return str(result.status)


def _effects(user: Any, submission: Submission) -> tuple[list[Effect], str]:
    province = submission.province
    if not province.is_current:
        return [], _("Đơn vị trước sáp nhập: số liệu được gộp vào tỉnh hiện nay khi tổng hợp, không xem trước ở đây.")
    element_ids = list(submission.form.elements.values_list("pk", flat=True))
    indicators = list(Indicator.objects.filter(data_elements__in=element_ids).distinct().order_by("code"))
    if not indicators:
        return [], ""
    period = Period.parse(submission.period)
    own = {item.pk: dashboard_selectors.period_for(item.periodicity, period) for item in indicators}
    try:
        preview = indicator_values_preview(user=user, province=province, first=period, last=period)
    except PermissionDenied:
        return [], _("Chỉ Bộ và cán bộ của tỉnh xem trước được ảnh hưởng của báo cáo.")
    after = {
        (row.indicator_id, row.period): row.value
        for row in preview
        if row.level == Level.PROVINCE and row.province_id == province.pk
    }
    before = {
        (indicator_id, text): value
        for indicator_id, text, value in IndicatorValue.objects.filter(
            level=Level.PROVINCE,
            province_id=province.pk,
            indicator_id__in=[item.pk for item in indicators],
            period__in=sorted({str(p) for p in own.values()}),
        )
        .order_by()
        .values_list("indicator_id", "period", "value")
    }
    progress = dashboard_selectors.province_progress(province.pk)
    today = dashboard_selectors.today()
    effects = []
    for item in indicators:
        text = str(own[item.pk])
        standing = dashboard_selectors.headline(progress.get(item.pk, []), today)
        value_after = after.get((item.pk, text))
        official = before.get((item.pk, text))
        before_period = text
        if official is None and standing is not None and standing.current_value is not None:
            # Nothing official for this period yet: the latest official figure is what changes.
            official, before_period = standing.current_value, standing.current_period
        effects.append(
            Effect(
                code=item.code,
                name=localized(item.name, item.name_en),
                unit=item.unit,
                period=text,
                before_period=before_period,
                before=official,
                after=value_after,
                status_before=standing.status if standing else "not_available",
                status_after=_after_status(standing, item, own[item.pk], value_after),
            )
        )
    effects.sort(key=lambda e: (not e.status_changed, not e.changed, e.code))
    return effects, ""


def _not_waiting(submission: Submission) -> str:
    if submission.status == Submission.Status.SUBMITTED:
        return ""
    last = (
        AuditEntry.objects.filter(submission=submission, kind=AuditEntry.Kind.STATUS)
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    who = (last.user.get_full_name() or last.user.username) if last and last.user else ""
    when = last.at.strftime("%d/%m/%Y %H:%M") if last else ""
    return _("Báo cáo này không còn chờ phê duyệt: hiện ở trạng thái “%(status)s”%(by)s. Không cần phê duyệt nữa.") % {
        "status": submission.get_status_display(),
        "by": (_(" (%(who)s, %(when)s)") % {"who": who, "when": when}) if who else "",
    }


def approval_review(*, user: Any, pk: int) -> Review:
    submission = selectors.submission_get(user=user, pk=pk)
    changes, errors, warnings = _changes(submission)
    effects, note = _effects(user, submission)
    return Review(
        submission=submission,
        state=selectors.submission_status(submission),
        changes=changes,
        errors=errors,
        warnings=warnings,
        effects=effects,
        effects_note=note,
        comments=top_comments(submission),
        not_waiting=_not_waiting(submission),
        quality_warnings=(
            quality_warning.approval_warnings(submission) if submission.status == Submission.Status.SUBMITTED else []
        ),
    )


@login_required
@require_GET
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = approval_review(user=request.user, pk=pk)
    except SubmissionNotFound:
        # Another province's report, or one that does not exist: the same answer for both.
        return render(request, "reporting/review_missing.html", status=404)
    submission = review.submission
    user: Any = request.user
    waiting = submission.status == Submission.Status.SUBMITTED
    return render(
        request,
        "reporting/review.html",
        {
            "review": review,
            "submission": submission,
            "state": review.state,
            "evidence": selectors.submission_evidence(submission),
            "can_approve": waiting and permissions.may_approve(user, submission),
            "can_return": submission.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
            and permissions.may_return(user, submission),
            "return_form": ReturnForm(),
        },
    )
