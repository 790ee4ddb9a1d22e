"""The commune-level data set of `bench_dashboards --communes N`: N communes in the benchmark's
province, each with its values and standings for up to 20 indicators, monthly from July 2025 to
the last computed month, and its reports owed, written straight into the computed commune tables
(the pages read nothing else). Bench communes carry codes 9xxxx, which the official list does
not use, and are removed afterwards with their rows."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kpis.models import Indicator, ReportForm
from kpis.periods import Period, Periodicity
from provinces.models import MERGER_DATE, Commune, Province
from tracker.progress.models import CommuneIndicatorValue, CommuneReportingRate, CommuneStanding, IndicatorValue, Level

CODE_PREFIX = "9"
INDICATORS = 20
STATUSES = ("target_achieved", "substantial_progress", "moderate_progress", "limited_progress", "deterioration")


def months(until: Period) -> list[Period]:
    out = []
    current = Period.containing(MERGER_DATE, Periodicity.MONTHLY)
    while current <= until:
        out.append(current)
        current = current.next()
    return out


@transaction.atomic
def generate(province: Province, count: int, *, seed: int = 2025) -> dict[str, int]:
    """Create the bench communes and their rows; returns how many rows of each kind."""
    remove(province)
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    last = IndicatorValue.objects.filter(level=Level.NATIONAL, periodicity="monthly").order_by("-period").first()
    until = (
        Period.parse(last.period) if last is not None else Period.containing(timezone.localdate(), Periodicity.MONTHLY)
    )
    periods = months(until)
    indicators = list(Indicator.objects.filter(periodicity="monthly").order_by("code")[:INDICATORS])
    form = ReportForm.objects.order_by("code").first()
    communes = Commune.objects.bulk_create(
        Commune(code=f"{CODE_PREFIX}{n:04d}", name=f"Xã Thử Nghiệm {n + 1}", kind="xa", province=province)
        for n in range(count)
    )
    now = timezone.now()
    values, standings, rates = [], [], []
    for unit in communes:
        for indicator in indicators:
            level = Decimal(rng.randint(20, 80))
            for index, period in enumerate(periods):
                amount = level + index + Decimal(rng.randint(-5, 5))
                common = {"indicator": indicator, "commune": unit, "province": province, "period": str(period)}
                values.append(
                    CommuneIndicatorValue(
                        **common,
                        periodicity="monthly",
                        period_start=period.start,
                        period_end=period.end,
                        value=amount,
                        computed_at=now,
                    )
                )
                standings.append(
                    CommuneStanding(
                        **common,
                        periodicity="monthly",
                        period_end=period.end,
                        status=rng.choice(STATUSES),
                        value=amount,
                        value_period=str(period),
                        period_value=amount,
                        computed_at=now,
                    )
                )
        if form is not None:
            for period in periods:
                rates.append(_rate(form, province, unit, period, now, received=int(rng.random() < 0.95)))
    if form is not None:
        for period in periods:
            rates.append(_rate(form, province, None, period, now, received=count, expected=count))
    CommuneIndicatorValue.objects.bulk_create(values, batch_size=5000)
    CommuneStanding.objects.bulk_create(standings, batch_size=5000)
    CommuneReportingRate.objects.bulk_create(rates, batch_size=5000)
    return {"communes": len(communes), "values": len(values), "standings": len(standings), "rates": len(rates)}


def _rate(
    form: ReportForm,
    province: Province,
    unit: Commune | None,
    period: Period,
    now: datetime.datetime,
    *,
    received: int,
    expected: int = 1,
) -> CommuneReportingRate:
    return CommuneReportingRate(
        form=form,
        province=province,
        commune=unit,
        period=str(period),
        periodicity="monthly",
        period_start=period.start,
        period_end=period.end,
        expected=expected,
        received=received,
        on_time=received,
        approved=received,
        computed_at=now,
    )


@transaction.atomic
def remove(province: Province) -> None:
    """Remove the bench communes of the province and every row of theirs."""
    ids = list(Commune.objects.filter(province=province, code__startswith=CODE_PREFIX).values_list("pk", flat=True))
    if not ids:
        return
    CommuneIndicatorValue.objects.filter(commune_id__in=ids).delete()
    CommuneStanding.objects.filter(commune_id__in=ids).delete()
    CommuneReportingRate.objects.filter(commune_id__in=ids).delete()
    CommuneReportingRate.objects.filter(province=province, commune__isnull=True).delete()
    Commune.objects.filter(pk__in=ids).delete()
