"""Demo users and demo history for the quick start (never in production).

The history is synthetic but shaped like the real thing: every unit reports every month from
January 2023 to the last completed month (the 63 former units until June 2025, the 34 current
units from July 2025), ratios move towards their targets at a province-specific pace, a few
reports came in late or were returned once, and the last completed month stays open so the demo
officers have something to fill in.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from kpis.expressions import Ref, parse
from kpis.models import DataElement, Indicator, ReportForm
from kpis.periods import Period, Periodicity, months_between
from provinces.models import MERGER_DATE, Province
from tracker.accounts.models import Role, User
from tracker.reporting.models import AuditEntry, DataValue, Submission

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, created only with TRACKER_DEMO=1
DEMO_USERS = [
    ("officer_91", Role.OFFICER, "91"),
    ("approver_91", Role.APPROVER, "91"),
    ("officer_01", Role.OFFICER, "01"),
    ("approver_01", Role.APPROVER, "01"),
    ("reviewer", Role.REVIEWER, None),
    ("admin", Role.ADMIN, None),
]
HISTORY_START = Period.month(2023, 1)
DEFAULT_POPULATION = 1_500_000


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
    return users


def _rng(*parts: object) -> random.Random:
    # Deterministic per key, so reruns and different machines show the same demo figures.
    seed = int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)
    return random.Random(seed)


@dataclass(frozen=True)
class _Share:
    """numerator element = share(t) · denominator element, for ratio indicators with plain codes."""

    numerator: str
    denominator: str
    indicator: Indicator


def _shares() -> dict[str, _Share]:
    shares: dict[str, _Share] = {}
    for indicator in Indicator.objects.exclude(denominator="").prefetch_related("targets"):
        num, den = parse(indicator.numerator).tree, parse(indicator.denominator).tree
        if isinstance(num, Ref) and isinstance(den, Ref):
            shares.setdefault(num.code, _Share(num.code, den.code, indicator))
    return shares


def _target_share(indicator: Indicator) -> float:
    targets = [t.value for t in indicator.targets.all() if t.province_id is None]
    limit = float(indicator.natural_limit or 100)
    target = float(max(targets)) if targets else 0.8 * limit
    return max(0.05, min(1.0, target / float(indicator.factor or 1) / (limit / float(indicator.factor or 1) or 1)))


def _progress(months_since_start: int, pace: float) -> float:
    """0.35 -> ~1.0 along a saturating curve; pace differs by province."""
    return 0.35 + 0.65 * (1 - (1 - min(1.0, pace)) ** (months_since_start / 12 + 0.2))


def _value(
    element: DataElement,
    province: Province,
    period: Period,
    cache: dict[str, Decimal],
    shares: dict[str, _Share],
    rng: random.Random,
    pace: float,
) -> Decimal:
    months = (period.year - 2023) * 12 + period.first_month
    population = province.population or DEFAULT_POPULATION
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return Decimal(1 if rng.random() < min(0.98, 0.4 + months / 40) else 0)
    share = shares.get(element.code)
    if share is not None and share.denominator in cache:
        fraction = _target_share(share.indicator) * _progress(months, pace) * (0.97 + 0.03 * rng.random())
        value = cache[share.denominator] * Decimal(str(round(min(fraction, 1.0), 4)))
        return value.quantize(Decimal(1)) if element.value_type == DataElement.ValueType.INTEGER else value
    low = float(element.min_value) if element.min_value is not None else 0.0
    high = float(element.max_value) if element.max_value is not None else None
    if element.value_type == DataElement.ValueType.PERCENT or (high is not None and high <= 100):
        top = high if high is not None else 100.0
        value_f = low + (top - low) * _progress(months, pace) * (0.9 + 0.1 * rng.random())
        return Decimal(str(round(min(value_f, top), 4 if top <= 1 else 2)))
    scale = population / 1000 if element.time_aggregation == DataElement.TimeAggregation.SUM else population / 100
    value_f = scale * (0.6 + 0.4 * _progress(months, pace)) * (0.9 + 0.2 * rng.random())
    if high is not None:
        value_f = min(value_f, high)
    if element.value_type == DataElement.ValueType.MONEY:
        value_f *= 1000
    return Decimal(int(max(value_f, low)))


def _units_for(period: Period) -> list[Province]:
    day = period.start
    units = Province.objects.current() if day >= MERGER_DATE else Province.objects.former()
    return list(units.order_by("code"))


def _history_periods(form: ReportForm, last_completed: Period) -> list[Period]:
    months = months_between(HISTORY_START, last_completed)
    if form.periodicity == Periodicity.MONTHLY:
        return months
    seen: dict[str, Period] = {}
    for month in months:
        period = month.quarter_of() if form.periodicity == Periodicity.QUARTERLY else month.year_of()
        if period.end <= last_completed.end:
            seen.setdefault(str(period), period)
    return list(seen.values())


def demo_history_create(*, today: datetime.date | None = None) -> int:
    """Create the demo submissions that do not exist yet; returns how many were created."""
    _require_demo_mode()
    today = today or timezone.localdate()
    last_completed = Period.containing(today, Periodicity.MONTHLY).previous()
    reviewer = User.objects.filter(role=Role.REVIEWER).first()
    shares = _shares()
    created = 0
    for form in ReportForm.objects.prefetch_related("form_elements__element"):
        elements = [fe.element for fe in form.form_elements.all()]
        # Denominators first, so that numerators can be drawn as a share of them.
        denominators = {s.denominator for s in shares.values()}
        elements.sort(key=lambda e: (e.code not in denominators, e.code))
        existing = set(Submission.objects.filter(form=form).values_list("province_id", "period"))
        for period in _history_periods(form, last_completed):
            open_for_demo = period == last_completed
            with transaction.atomic():
                created += _create_period(form, period, elements, existing, shares, reviewer, open_for_demo)
    return created


def _insert_values(rows: list[tuple]) -> None:
    """Plain executemany: model instances for ~150,000 demo values would cost minutes of ORM overhead."""
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (submission_id, element_id, value, approved_value, comment, updated_at) "  # noqa: S608 - table name from model metadata
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def _create_period(form, period, elements, existing, shares, reviewer, open_for_demo) -> int:
    due = period.end + datetime.timedelta(days=form.due_day)
    tz = timezone.get_current_timezone()
    submissions, values_by_key = [], {}
    for province in _units_for(period):
        if (province.id, str(period)) in existing:
            continue
        if open_for_demo and province.code in {"91", "01"}:
            continue  # left for the demo officers to fill in
        rng = _rng("status", province.code, province.valid_from, period, form.code)
        late = rng.random() < 0.08
        submitted = datetime.datetime.combine(
            due + datetime.timedelta(days=rng.randint(3, 15) if late else -2), datetime.time(9), tz
        )
        approved = submitted + datetime.timedelta(days=1)
        status = Submission.Status.APPROVED
        if open_for_demo and rng.random() < 0.3:
            status = Submission.Status.SUBMITTED
        submission = Submission(
            province=province,
            form=form,
            period=str(period),
            period_start=period.start,
            period_end=period.end,
            status=status,
            has_official_values=status == Submission.Status.APPROVED,
            submitted_at=submitted,
            approved_at=approved if status == Submission.Status.APPROVED else None,
        )
        cache: dict[str, Decimal] = {}
        values_rng = _rng("values", province.code, province.valid_from, period, form.code)
        pace = 0.25 + 0.5 * _rng("pace", province.code, province.valid_from).random()
        for element in elements:
            cache[element.code] = _value(element, province, period, cache, shares, values_rng, pace)
        submissions.append(submission)
        values_by_key[province.id] = cache
    Submission.objects.bulk_create(submissions, batch_size=500)
    # bulk_create returns ids on PostgreSQL and SQLite 3.35+, which the project requires.
    data_values: list[tuple] = []
    audit: list[AuditEntry] = []
    element_ids = {e.code: e.id for e in elements}
    now = timezone.now()
    for submission in submissions:
        is_approved = submission.status == Submission.Status.APPROVED
        for code, value in values_by_key[submission.province_id].items():
            data_values.append((submission.id, element_ids[code], value, value if is_approved else None, "", now))
        audit.append(AuditEntry(submission=submission, kind=AuditEntry.Kind.STATUS, new_value="submitted"))
        if _rng("returned", submission.province_id, submission.period).random() < 0.04 and reviewer:
            audit.append(
                AuditEntry(
                    submission=submission,
                    kind=AuditEntry.Kind.STATUS,
                    old_value="submitted",
                    new_value="returned",
                    reason="Số liệu trạm 5G tăng bất thường so với tháng trước, đề nghị kiểm tra lại.",
                    user=reviewer,
                )
            )
            audit.append(AuditEntry(submission=submission, kind=AuditEntry.Kind.STATUS, new_value="submitted"))
        if is_approved:
            audit.append(AuditEntry(submission=submission, kind=AuditEntry.Kind.STATUS, new_value="approved"))
    _insert_values(data_values)
    AuditEntry.objects.bulk_create(audit, batch_size=2000)
    return len(submissions)
