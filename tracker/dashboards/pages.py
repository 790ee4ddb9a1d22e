"""What each dashboard page shows: selectors read, panels draw, and these functions put a page
together from the filters. The views only add access rules and turn a Page into a response.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.models import Indicator
from kpis.periods import Period, Periodicity
from tracker.dashboards import assemblies, commune_pages, palette, panels, selectors, snippets
from tracker.dashboards.access import preview_scope
from tracker.dashboards.charts import Chart, Table
from tracker.dashboards.filters import Filters
from tracker.dashboards.formatting import date, directive_heading, localized, number, percent_share, period_label
from tracker.dashboards.rows import KpiCard, ObjectiveStanding
from tracker.exports.wording import unit_label as unit_words
from tracker.progress import vocabulary
from tracker.progress.completeness import NationalHeadline, national_headlines


class PageNotFound(LookupError):
    """No current province, indicator or directive with that code."""


@dataclass
class Page:
    template: str
    charts: list[Chart]
    context: dict[str, Any]
    # Extra CSV downloads beside the charts' own, built only when asked for.
    tables: dict[str, Callable[[], Table]] = field(default_factory=dict)


def _default_period(months: selectors.PeriodRange) -> Period:
    if months.last is not None:
        return months.last
    # Nothing computed yet: the last completed month, so the page still says which period it shows.
    return Period.containing(timezone.localdate(), Periodicity.MONTHLY).previous()


def _pick(indicators: Sequence[Indicator], code: str) -> Indicator | None:
    for item in indicators:
        if item.code == code:
            return item
    return indicators[0] if indicators else None


def national_page(*, filters: Filters) -> Page:
    """The national overview: tile map, status grid, ranking, reporting rates."""
    units = selectors.current_units()
    indicators = selectors.indicators()
    months = selectors.computed_months()
    period = filters.period or _default_period(months)
    chosen = _pick(indicators, filters.indicator)
    directives = selectors.directive_choices()
    indices = selectors.index_choices()
    charts: list[Chart] = []

    columns = (
        selectors.directive_indicator_codes(filters.directive)
        if filters.directive
        else [(item.code, localized(item.name, item.name_en)) for item in indicators]
    )
    code_to_id = {item.code: item.pk for item in indicators}
    id_to_code = {item.pk: item.code for item in indicators}
    wanted_ids = {code_to_id[code] for code, _name in columns if code in code_to_id}
    standings = selectors.headline_statuses(indicator_ids=sorted(wanted_ids), period=period)
    unit_by_id = {unit.pk: unit for unit in units}

    national_text = ""
    national_badge = ""
    if chosen is not None:
        own_period = selectors.period_for(chosen.periodicity, period)
        national_text = _headline_text(chosen, own_period)
        chosen_standings, nation = selectors.headline_progress_with_nation(chosen.pk, period)
        if nation is not None:
            national_badge = palette.badge(nation.status)
        figures = assemblies.unit_figures(units, chosen, own_period, standings=chosen_standings)
        shown = [figure for figure in figures if figure.status == filters.status] if filters.status else figures
        charts.append(
            panels.map_chart(
                shown,
                indicator_name=localized(chosen.name, chosen.name_en),
                unit_label=unit_words(chosen.unit),
                period=str(own_period),
                colour_by=filters.colour,
                lower_is_better=chosen.direction == Indicator.Direction.LOWER,
            )
        )
    statuses = {
        (unit_by_id[province_id].code, id_to_code[indicator_id]): status
        for (indicator_id, province_id), status in standings.items()
        if province_id in unit_by_id and indicator_id in id_to_code and (not filters.status or status == filters.status)
    }
    heatmap_columns = [(code, name) for code, name in columns if code in code_to_id]
    if heatmap_columns:
        charts.append(
            panels.heatmap_chart(
                units, heatmap_columns, statuses, title=_("Tình trạng thực hiện mục tiêu: tỉnh × chỉ tiêu")
            )
        )

    index = selectors.composite_index(filters.index) if filters.index else None
    if index is not None:
        index_periods, index_figures = assemblies.index_figures(units, index, period)
        if index_periods:
            charts.append(
                panels.ranking_chart(
                    index_figures,
                    subject=localized(index.name, index.name_en),
                    unit_label=_("điểm"),
                    period=index_periods[0],
                    previous=index_periods[1] if len(index_periods) > 1 else None,
                )
            )
    elif chosen is not None:
        charts.append(
            panels.ranking_chart(
                figures,
                subject=localized(chosen.name, chosen.name_en),
                unit_label=unit_words(chosen.unit),
                period=str(own_period),
                previous=str(own_period.previous()),
            )
        )

    reporting = selectors.reporting_rows(units, period)
    charts.append(panels.reporting_chart(reporting, period=str(period)))
    late = [row for row in reporting if row.missing or row.late]

    return Page(
        "dashboards/national.html",
        charts,
        {
            "period": period,
            "period_label": period_label(period),
            "period_choices": _period_options(months),
            "indicator": chosen,
            "indicator_choices": _indicator_options(indicators),
            "directive_choices": directives,
            "index_choices": indices,
            "units": units,
            "national_text": national_text,
            "national_badge": national_badge,
            "late": sorted(late, key=lambda row: (-row.missing, -row.late, row.unit.name)),
        },
    )


def province_page(*, code: str, filters: Filters, user: Any, commune_indicator: str = "") -> Page:
    """A province: a card per indicator and the trend of one against the nation and its targets,
    and (for readers of its communes) its communes ranked on `commune_indicator`."""
    unit = selectors.current_unit(code)
    if unit is None:
        raise PageNotFound(code)
    units = selectors.current_units()
    indicators = selectors.indicators()
    months = selectors.computed_months()
    period = filters.period or _default_period(months)
    predecessors = selectors.predecessors_of(unit)
    scope = preview_scope(user)
    preview = filters.preview and scope.covers(unit.pk)

    progress = selectors.province_progress(unit.pk, period)
    shown_indicators = list(indicators)
    if filters.directive:
        in_directive = {code for code, _name in selectors.directive_indicator_codes(filters.directive)}
        shown_indicators = [item for item in indicators if item.code in in_directive]
    preview_map = selectors.preview_values(user=user, province=unit, period=period) if preview else None
    cards = assemblies.kpi_cards(unit, shown_indicators, period, progress=progress, preview=preview_map)
    if filters.status:
        cards = [card for card in cards if card.status == filters.status]

    chosen = _pick(indicators, filters.indicator or _first_with_target(cards))
    charts: list[Chart] = []
    combines_former = len(predecessors) > 1
    lineage_note = ""
    if combines_former:
        lineage_note = _(
            "Số liệu của %(province)s trước ngày 01/07/2025 là số liệu gộp của các đơn vị trước sáp nhập: %(units)s."
        ) % {"province": unit.name, "units": ", ".join(predecessors)}
    if chosen is not None:
        periodicity = chosen.periodicity
        own_series = selectors.series(chosen.pk, level="province", province_id=unit.pk, periodicity=periodicity)
        national_series = selectors.series(chosen.pk, level="national", province_id=None, periodicity=periodicity)
        target_cards = [
            selectors.card_from_progress(chosen, row) for row in selectors.target_rows(progress, chosen.pk, unit.pk)
        ]
        charts.append(
            panels.trend_chart(
                indicator_name=localized(chosen.name, chosen.name_en),
                unit_label=unit_words(chosen.unit),
                province_name=unit.name,
                series=own_series,
                national=national_series,
                cards=target_cards,
                combines_former=combines_former,
                preview=selectors.preview_points(preview_map, chosen) if preview_map is not None else (),
            )
        )

    def cards_table() -> Table:  # built only for the CSV download
        return Table(
            columns=[
                _("Mã chỉ tiêu"),
                _("Chỉ tiêu"),
                _("Kỳ"),
                _("Giá trị"),
                _("Cả nước"),
                _("Mục tiêu"),
                _("Thời hạn"),
                _("Tình trạng"),
                _("Tỷ lệ quãng đường (%)"),
                _("Dự báo đến hạn"),
            ],
            rows=[_card_row(card) for card in cards],
        )

    return Page(
        "dashboards/province.html",
        charts,
        {
            "province": unit,
            "units": units,
            "period": period,
            "period_label": period_label(period),
            "period_choices": _period_options(months),
            "indicator": chosen,
            "indicator_choices": _indicator_options(indicators),
            "directive_choices": selectors.directive_choices(),
            "cards": cards,
            "card_views": _card_views(cards, filters, preview),
            "lineage_note": lineage_note,
            "preview": preview,
            "may_preview": scope.covers(unit.pk),
            "filters_official": filters.with_(preview=False).query(),
            "filters_preview": filters.with_(preview=True).query(),
            "communes": commune_pages.province_section(
                province=unit,
                indicators=indicators,
                period=period,
                filters=filters,
                chosen_code=commune_indicator,
                user=user,
            ),
        },
        tables={"chi-tieu": cards_table},
    )


def _period_options(months: selectors.PeriodRange) -> list[tuple[str, str]]:
    return [(str(choice), period_label(choice)) for choice in months.choices()]


def _indicator_options(indicators: Sequence[Indicator]) -> list[tuple[str, str]]:
    return [(item.code, f"{item.code} – {localized(item.name, item.name_en)}") for item in indicators]


def _card_views(cards: Sequence[KpiCard], filters: Filters, preview: bool) -> list[dict[str, Any]]:
    """Cards with their texts formatted here: a template loop with a dozen tags per card costs
    most of the page's time once there are a hundred indicators."""
    placeholder = "__INDICATOR__"  # URLs reversed once, filled per card
    indicator_url = reverse("dashboards:indicator", args=[placeholder])
    trend_query = filters.with_(indicator=placeholder, preview=preview).query()
    labels = palette.status_labels()
    views = []
    for card in cards:
        style = palette.status_style(card.status)
        unit = f" {card.unit_label}" if card.unit_label else ""
        target = "–"
        if card.target_value is not None:
            target = number(card.target_value) + unit + (f" ({date(card.deadline)})" if card.deadline else "")
        views.append(
            {
                "code": card.indicator_code,
                "name": card.indicator_name,
                "url": indicator_url.replace(placeholder, quote(card.indicator_code)),
                "trend_url": trend_query.replace(placeholder, quote(card.indicator_code)),
                "status": style.code,
                "badge": palette.badge(style.code, labels[style.code]),
                "period": period_label(card.period),
                "value": _card_value(card, unit),
                "national": _national_text(card, unit),
                "target": target,
                "share": percent_share(card.share_of_way) if card.share_of_way is not None else "–",
                "projection": number(card.projected_value) + unit if card.projected_value is not None else "–",
            }
        )
    return views


def _card_value(card: KpiCard, unit: str) -> str:
    """The period's value; without one, the latest earlier value and its period ("số liệu kỳ ...")."""
    if card.value is not None and card.decided_value is not None and card.decided_period:
        return f"{number(card.value)}{unit} · " + _("tại hạn: %(value)s (%(as_of)s)") % {
            "value": number(card.decided_value) + unit,
            "as_of": vocabulary.as_of(card.decided_period),
        }
    if card.value is not None:
        return number(card.value) + unit
    if card.earlier_value is not None and card.earlier_period:
        return f"{number(card.earlier_value)}{unit} ({vocabulary.as_of(card.earlier_period)})"
    return "–"


def _national_text(card: KpiCard, unit: str) -> str:
    if card.national is not None:
        return card.national.text(lambda value: number(value) + unit)
    return number(card.national_value) + unit if card.national_value is not None else "–"


def _headline_text(indicator: Indicator, period: Period, national: NationalHeadline | None = None) -> str:
    """The nation's headline for the indicator: the latest complete value, and the period's own
    marked provisional while too few units reported (tracker.progress.completeness)."""
    national = national or national_headlines({indicator.pk: period})[indicator.pk]
    if national.value is None and national.complete_value is None:
        return ""
    unit = f" {unit_words(indicator.unit)}" if indicator.unit else ""
    return national.text(lambda value: number(value) + unit)


def _first_with_target(cards: Sequence[KpiCard]) -> str:
    for card in cards:
        if card.target_value is not None and card.value is not None:
            return card.indicator_code
    return cards[0].indicator_code if cards else ""


def _card_row(card: KpiCard) -> list:
    return [
        card.indicator_code,
        card.indicator_name,
        period_label(card.period),
        card.value,
        card.national_value,
        card.target_value,
        card.deadline.strftime("%d/%m/%Y") if card.deadline else "",
        palette.status_label(card.status),
        None if card.share_of_way is None else card.share_of_way * 100,
        card.projected_value,
    ]


def indicator_page(*, code: str, filters: Filters) -> Page:
    """An indicator: its definition, the national series and how the provinces spread."""
    item = selectors.indicator_detail(code)
    if item is None:
        raise PageNotFound(code)
    units = selectors.current_units()
    months = selectors.computed_months()
    period = filters.period or _default_period(months)
    own_period = selectors.period_for(item.periodicity, period)
    standings = selectors.headline_progress(indicator_ids=[item.pk], period=period)
    figures = assemblies.unit_figures(units, item, own_period, standings=standings)
    national = national_headlines({item.pk: own_period})[item.pk]
    # the provinces are compared with the nation only when its value for the period is complete
    national_value = national.value if not national.provisional else None
    if filters.status:
        figures = [figure for figure in figures if figure.status == filters.status]
    charts = [
        panels.national_series_chart(
            selectors.series(item.pk, level="national", province_id=None, periodicity=item.periodicity),
            indicator_name=localized(item.name, item.name_en),
            unit_label=unit_words(item.unit),
        ),
        panels.distribution_chart(
            figures,
            indicator_name=localized(item.name, item.name_en),
            unit_label=unit_words(item.unit),
            period=str(own_period),
            national_value=national_value,
        ),
    ]
    objectives = list(item.objectives.all())  # type: ignore[attr-defined]
    directives = list({objective.directive_id: objective.directive for objective in objectives}.values())
    return Page(
        "dashboards/indicator.html",
        charts,
        {
            "indicator": item,
            "units": units,
            "indicator_name": localized(item.name, item.name_en),
            "targets": list(item.targets.all()),
            "objectives": objectives,
            "directives": directives,
            "period": own_period,
            "period_label": period_label(own_period),
            "period_choices": _period_options(months),
            "national_value": national_value,
            "national_text": _headline_text(item, own_period, national),
            "figures": sorted(figures, key=lambda figure: (figure.rank or 10_000, figure.unit.name)),
        },
    )


def _objective_view(objective: ObjectiveStanding, status: str, labels: dict[str, str]) -> dict[str, Any]:
    """An objective as the directive page lists it: per indicator, its link and standings."""
    pattern = reverse("dashboards:indicator", args=[snippets.CODE])
    indicators = [
        {
            "code": item.code,
            "name": item.name,
            "url": pattern.replace(snippets.CODE, quote(item.code)),
            "standing": snippets.standing_cell(item, status, labels),
        }
        for item in objective.indicators
    ]
    return {"objective": objective, "indicators": indicators}


def directive_page(*, code: str, filters: Filters) -> Page:
    """A directive: each objective, its indicators and how many provinces stand in each status."""
    item = selectors.directive_with_objectives(code)
    if item is None:
        raise PageNotFound(code)
    units = selectors.current_units()
    period = filters.period or _default_period(selectors.computed_months())
    objectives = assemblies.objective_standings(item, units, period)
    labels = palette.status_labels()
    charts = [
        panels.directive_chart(objectives, directive_title=directive_heading(item.number, item.title, item.title_en))
    ]
    return Page(
        "dashboards/directive.html",
        charts,
        {
            "directive": item,
            "units": units,
            "objectives": [_objective_view(objective, filters.status, labels) for objective in objectives],
            "directive_choices": selectors.directive_choices(),
        },
    )
