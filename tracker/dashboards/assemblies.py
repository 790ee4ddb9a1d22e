"""What the dashboard pages show, assembled from the reads of `selectors`: a province's figures on
an indicator or an index (value, change, rank, standing), its KPI cards, and a directive's
objectives by status. Each issues the fixed number of queries of the reads it makes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from kpis.models import CompositeIndex, Directive, Indicator
from kpis.periods import Period
from provinces.models import Province
from tracker.dashboards import selectors
from tracker.dashboards.formatting import localized
from tracker.dashboards.rows import IndicatorStanding, KpiCard, ObjectiveStanding, Unit, UnitFigure
from tracker.dashboards.selectors import ProgressRow
from tracker.exports.wording import group_label, reason_label
from tracker.exports.wording import unit_label as unit_words
from tracker.progress.completeness import national_headlines
from tracker.progress.models import IndicatorValue, Level
from tracker.progress.standing_selectors import rank_rows
from tracker.progress.vocabulary import NO_DATA_THIS_PERIOD


def unit_figures(
    units: Sequence[Unit],
    indicator: Indicator,
    period: Period,
    *,
    standings: dict[tuple[int, int], ProgressRow],
) -> list[UnitFigure]:
    """Each current province's value, change and rank on one indicator, and its standing."""
    previous = period.previous()
    values = selectors.province_values(indicator.pk, [period, previous])
    lower = indicator.direction == Indicator.Direction.LOWER
    # Every unit; ties share a rank; a change of rank compares only units ranked in both periods.
    ranking = {
        row.province_id: row
        for row in rank_rows(
            [(unit.pk, unit.code, unit.name) for unit in units],
            values[str(period)],
            values[str(previous)],
            lower_is_better=lower,
        )
    }
    figures = []
    for unit in units:
        standing = standings.get((indicator.pk, unit.pk))
        ranked = ranking[unit.pk]
        figures.append(
            UnitFigure(
                unit=unit,
                value=values[str(period)].get(unit.pk),
                previous_value=values[str(previous)].get(unit.pk),
                rank=ranked.rank,
                previous_rank=ranked.previous_rank,
                places_gained=ranked.change,
                status=standing.status if standing else "not_available",
                target_value=standing.target_value if standing else None,
                share_of_way=standing.share_of_way if standing else None,
                decided_value=standing.current_value if standing and _decided_earlier(standing, str(period)) else None,
                decided_period=standing.current_period if standing and _decided_earlier(standing, str(period)) else "",
            )
        )
    return figures


def index_figures(units: Sequence[Unit], index: CompositeIndex, period: Period) -> tuple[list[str], list[UnitFigure]]:
    """Each province's score and rank on a composite index at its latest period up to `period`,
    with the previous period's for the change; the periods come first, newest first."""
    periods = selectors.index_periods(index.pk, period.end)
    if not periods:
        return [], [UnitFigure(unit=unit) for unit in units]
    scores = selectors.index_scores(index.pk, periods)
    latest = scores[periods[0]]
    before = scores[periods[1]] if len(periods) > 1 else {}
    figures = []
    for unit in units:
        score, position = latest.get(unit.pk, (None, None))
        previous_score, previous_position = before.get(unit.pk, (None, None))
        figures.append(
            UnitFigure(
                unit=unit,
                value=score,
                rank=position,
                previous_value=previous_score,
                previous_rank=previous_position,
            )
        )
    return periods, figures


def _decided_earlier(standing: ProgressRow | None, own: str) -> bool:
    """A final standing (after the deadline) decided by the value of another, earlier period."""
    return (
        standing is not None
        and standing.status != NO_DATA_THIS_PERIOD
        and bool(standing.current_period)
        and standing.current_period != own
    )


def kpi_cards(
    province: Province,
    indicators: Sequence[Indicator],
    period: Period,
    *,
    progress: dict[int, list[ProgressRow]],
    preview: dict[tuple[int, str], Decimal | None] | None = None,
) -> list[KpiCard]:
    """A card per indicator: the value at the period, the headline target and standing, the nation.

    With `preview` (from preview_values) the province's values are the preview's.
    """
    own_periods = {indicator.pk: selectors.period_for(indicator.periodicity, period) for indicator in indicators}
    wanted = set(own_periods.values())
    values: dict[tuple[int, str], Decimal | None]
    if preview is not None:
        values = preview
    else:
        values = {}
        rows = (
            IndicatorValue.objects.filter(
                level=Level.PROVINCE, province_id=province.pk, period__in=[str(p) for p in wanted]
            )
            .order_by()
            .values_list("indicator_id", "period", "value")
        )
        for indicator_id, text, value in rows:
            values[(indicator_id, text)] = value
    national = national_headlines(own_periods)
    # the headline target as of the period: the nearest deadline not passed by its end
    standings = selectors.headlines(
        {(indicator_id, province.pk): rows for indicator_id, rows in progress.items()}, reference=period.end
    )
    cards = []
    for indicator in indicators:
        own = str(own_periods[indicator.pk])
        standing = standings.get((indicator.pk, province.pk))
        cards.append(
            KpiCard(
                indicator_code=indicator.code,
                indicator_name=localized(indicator.name, indicator.name_en),
                unit_label=unit_words(indicator.unit),
                value=values.get((indicator.pk, own)),
                period=own,
                earlier_value=standing.current_value if standing and standing.status == NO_DATA_THIS_PERIOD else None,
                earlier_period=standing.current_period if standing and standing.status == NO_DATA_THIS_PERIOD else "",
                target_value=standing.target_value if standing else None,
                deadline=standing.deadline if standing else None,
                baseline_value=standing.baseline_value if standing else None,
                baseline_period=standing.baseline_period if standing else "",
                status=standing.status if standing else "not_available",
                share_of_way=standing.share_of_way if standing else None,
                projected_value=standing.projected_value if standing else None,
                decided_value=standing.current_value if standing and _decided_earlier(standing, own) else None,
                decided_period=standing.current_period if standing and _decided_earlier(standing, own) else "",
                national_value=national[indicator.pk].value,
                national=national[indicator.pk],
                preview=preview is not None,
            )
        )
    return cards


def objective_standings(
    directive: Directive, units: Sequence[Unit], period: Period | None = None
) -> list[ObjectiveStanding]:
    """For each objective of a directive, which provinces stand in which status on its indicators
    (as of `period` when given)."""
    objectives = list(directive.objectives.all())
    indicator_ids = sorted({item.pk for objective in objectives for item in objective.indicators.all()})
    statuses = selectors.headline_statuses(indicator_ids=indicator_ids, period=period)
    out = []
    for objective in objectives:
        entry = ObjectiveStanding(
            code=objective.code,
            title=localized(objective.title, objective.title_en),
            group=group_label(objective.group),
            not_measurable_reason=reason_label(objective.not_measurable_reason),
        )
        for item in objective.indicators.all():
            groups: dict[str, list[Unit]] = defaultdict(list)
            for unit in units:
                groups[statuses.get((item.pk, unit.pk), "not_available")].append(unit)
            entry.indicators.append(
                IndicatorStanding(code=item.code, name=localized(item.name, item.name_en), groups=dict(groups))
            )
        out.append(entry)
    return out
