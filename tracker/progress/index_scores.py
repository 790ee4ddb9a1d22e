"""Composite index scores and ranks, from the catalogue's versioned weighted definitions.

score = Σ weight · component value / divisor, rounded half up to four decimals (the precision
the ministry publishes), for every unit that has all components in the period, with the version
in force for that period (the latest whose [valid_from, valid_to] covers it). The provincial DTI
of QĐ 922 is the version (NT 100, TC 100, HT 100, NL 100, AT 100, CQS 200, KTS 150, XHS 150;
divisor 1000); nothing about it is in this code. Component values are the indicators' computed
values (so the new An Giang's 2024 DTI components are the means of the former provinces').

Ranks are per period among units of the same level (34 current provinces; 63 former ones),
highest score first; equal scores share a rank and the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from kpis.models import CompositeIndex, CompositeIndexVersion
from kpis.periods import InvalidPeriod, Period
from tracker.progress.models import IndexScore, IndicatorValue, Level
from tracker.progress.writers import sync_rows

SCORE_DECIMALS = Decimal("0.0001")
RANKED_LEVELS = (Level.PROVINCE, Level.FORMER)


def version_for(versions: Iterable[CompositeIndexVersion], period: Period) -> CompositeIndexVersion | None:
    chosen = None
    for version in versions:
        try:
            start = Period.parse(version.valid_from).start
            end = Period.parse(version.valid_to).end if version.valid_to else None
        except InvalidPeriod:
            continue
        if (
            start <= period.start
            and (end is None or period.end <= end)
            and (chosen is None or Period.parse(chosen.valid_from).start <= start)
        ):
            chosen = version
    return chosen


def competition_ranks(scores: dict[Any, Decimal]) -> dict[Any, int]:
    ordered = sorted(scores.values(), reverse=True)
    first_position = {}
    for position, score in enumerate(ordered, start=1):
        first_position.setdefault(score, position)
    return {unit: first_position[score] for unit, score in scores.items()}


def score(components: list[tuple[Decimal, Decimal]], divisor: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        total = sum((weight * value for weight, value in components), Decimal(0))
        return (total / divisor).quantize(SCORE_DECIMALS, rounding=ROUND_HALF_UP)


def compute_index_scores(*, periods: Iterable[Period] | None) -> dict[tuple, dict[str, Any]]:
    """Rows for the given periods (of each index's periodicity among them), or for every period."""
    wanted = set(periods) if periods is not None else None
    rows: dict[tuple, dict[str, Any]] = {}
    for index in CompositeIndex.objects.prefetch_related("versions__components__indicator").order_by("pk"):
        versions = list(index.versions.all())
        indicator_ids = {c.indicator_id for v in versions for c in v.components.all()}
        values = IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids, periodicity=index.periodicity, value__isnull=False
        )
        if wanted is not None:
            values = values.filter(period__in=[str(p) for p in wanted if p.periodicity == index.periodicity])
        by_period: dict[str, dict[tuple[str, int | None], dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
        for indicator_id, level, province_id, period, value in values.values_list(
            "indicator_id", "level", "province_id", "period", "value"
        ):
            by_period[period][(level, province_id)][indicator_id] = value
        for period_text, units in by_period.items():
            parsed = Period.parse(period_text)
            version = version_for(versions, parsed)
            if version is None:
                continue
            components = list(version.components.all())
            if not components:
                continue
            scored: dict[tuple[str, int | None], tuple[Decimal, list[dict[str, str]]]] = {}
            for unit, unit_values in units.items():
                if any(c.indicator_id not in unit_values for c in components):
                    continue
                scored[unit] = (
                    score([(c.weight, unit_values[c.indicator_id]) for c in components], version.divisor),
                    [
                        {
                            "indicator": c.indicator.code,
                            "weight": str(c.weight),
                            "value": str(unit_values[c.indicator_id]),
                        }
                        for c in components
                    ],
                )
            ranks: dict[tuple[str, int | None], int] = {}
            for ranked_level in RANKED_LEVELS:
                ranks |= competition_ranks({u: s for u, (s, _) in scored.items() if u[0] == ranked_level})
            for (unit_level, unit_province), (unit_score, component_values) in scored.items():
                rows[(index.pk, unit_level, unit_province, period_text)] = {
                    "index_id": index.pk,
                    "version_id": version.pk,
                    "level": unit_level,
                    "province_id": unit_province,
                    "period": period_text,
                    "period_start": parsed.start,
                    "score": unit_score,
                    "rank": ranks.get((unit_level, unit_province)),
                    "components": component_values,
                }
    return rows


def write_index_scores(*, periods: Iterable[Period] | None, now: datetime.datetime) -> int:
    periods = list(periods) if periods is not None else None
    rows = compute_index_scores(periods=periods)
    existing = IndexScore.objects.all()
    if periods is not None:
        existing = existing.filter(period__in=[str(p) for p in periods])
    return sync_rows(
        model=IndexScore,
        existing=existing,
        new_rows=rows,
        key=lambda row: (row.index_id, row.level, row.province_id, row.period),
        compared=["version_id", "period_start", "score", "rank", "components"],
        now=now,
    )
