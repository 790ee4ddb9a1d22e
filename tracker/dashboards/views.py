"""Dashboard pages: thin views over selectors (reads) and panels (figures with their tables).

Every page takes its filters from the query string (filters.py) and answers `?csv=<chart key>`
with that chart's table as CSV, so the figures on screen, their text alternative and the
download always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kpis.models import Indicator
from kpis.periods import Period, Periodicity
from tracker.dashboards import palette, panels, selectors
from tracker.dashboards.access import dashboard_view, preview_scope
from tracker.dashboards.charts import Chart, Table, table_csv
from tracker.dashboards.filters import Filters
from tracker.dashboards.formatting import localized, period_label
from tracker.dashboards.plotlyjs import VERSION as PLOTLY_VERSION
from tracker.dashboards.rows import IndicatorStanding, KpiCard, ObjectiveStanding, Unit


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


def _own_province(request: HttpRequest, units: Sequence[Unit]) -> Unit | None:
    province_id = getattr(request.user, "province_id", None)
    return next((unit for unit in units if unit.pk == province_id), None)


def _respond(
    request: HttpRequest,
    template: str,
    filters: Filters,
    charts: Sequence[Chart],
    context: dict[str, Any],
    tables: dict[str, tuple[str, Table]] | None = None,
) -> HttpResponse:
    """The page, or one of its charts (or extra tables) as CSV when asked with ?csv=<key>."""
    downloads = {chart.key: (chart.title, chart.table) for chart in charts}
    downloads.update(tables or {})
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in downloads:
            raise Http404
        _title, table = downloads[wanted]
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{wanted}.csv"'
        return response
    for chart in charts:
        chart.csv_url = filters.query(csv=chart.key)
    context.update(
        {
            "filters": filters,
            "charts": charts,
            # Template lookups cannot contain "-": {{ figs.ban_do }} is the chart "ban-do".
            "figs": {chart.key.replace("-", "_"): chart for chart in charts},
            "plotly_version": PLOTLY_VERSION,
            "computed_at": selectors.last_computed_at(),
            "csv_urls": {key.replace("-", "_"): filters.query(csv=key) for key in (tables or {})},
            "status_choices": palette.STATUSES_BEST_FIRST,
        }
    )
    return render(request, template, context)


@dashboard_view
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_request(request)
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
    standings = selectors.headline_progress(indicator_ids=sorted(wanted_ids), figures=False)
    unit_by_id = {unit.pk: unit for unit in units}

    if chosen is not None:
        own_period = selectors.period_for(chosen.periodicity, period)
        chosen_standings = selectors.headline_progress(indicator_ids=[chosen.pk])
        figures = selectors.unit_figures(units, chosen, own_period, standings=chosen_standings)
        shown = [figure for figure in figures if figure.status == filters.status] if filters.status else figures
        charts.append(
            panels.map_chart(
                shown,
                indicator_name=localized(chosen.name, chosen.name_en),
                unit_label=chosen.unit,
                period=str(own_period),
                colour_by=filters.colour,
                lower_is_better=chosen.direction == Indicator.Direction.LOWER,
            )
        )
    statuses = {
        (unit_by_id[province_id].code, id_to_code[indicator_id]): row.status
        for (indicator_id, province_id), row in standings.items()
        if province_id in unit_by_id
        and indicator_id in id_to_code
        and (not filters.status or row.status == filters.status)
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
        index_periods, index_figures = selectors.index_figures(units, index, period)
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
                unit_label=chosen.unit,
                period=str(own_period),
                previous=str(own_period.previous()),
            )
        )

    reporting = selectors.reporting_rows(units, period)
    charts.append(panels.reporting_chart(reporting, period=str(period)))
    late = [row for row in reporting if row.missing or row.late]

    return _respond(
        request,
        "dashboards/national.html",
        filters,
        charts,
        {
            "period": period,
            "period_label": period_label(period),
            "period_choices": months.choices(),
            "indicator": chosen,
            "indicator_choices": [(item.code, localized(item.name, item.name_en)) for item in indicators],
            "directive_choices": directives,
            "index_choices": indices,
            "units": units,
            "late": sorted(late, key=lambda row: (-row.missing, -row.late, row.unit.name)),
            "own_province": _own_province(request, units),
        },
    )


@dashboard_view
@require_GET
def province(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    unit = selectors.current_unit(code)
    if unit is None:
        raise Http404
    units = selectors.current_units()
    indicators = selectors.indicators()
    months = selectors.computed_months()
    period = filters.period or _default_period(months)
    predecessors = selectors.predecessors_of(unit)
    scope = preview_scope(request.user)
    preview = filters.preview and scope.covers(unit.pk)

    progress = selectors.province_progress(unit.pk)
    shown_indicators = list(indicators)
    if filters.directive:
        in_directive = {code for code, _name in selectors.directive_indicator_codes(filters.directive)}
        shown_indicators = [item for item in indicators if item.code in in_directive]
    preview_map = selectors.preview_values(user=request.user, province=unit, period=period) if preview else None
    cards = selectors.kpi_cards(unit, shown_indicators, period, progress=progress, preview=preview_map)
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
                unit_label=chosen.unit,
                province_name=unit.name,
                series=own_series,
                national=national_series,
                cards=target_cards,
                combines_former=combines_former,
                note=lineage_note,
                preview=selectors.preview_points(preview_map, chosen) if preview_map is not None else (),
            )
        )

    cards_table = Table(
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
    return _respond(
        request,
        "dashboards/province.html",
        filters,
        charts,
        {
            "province": unit,
            "period": period,
            "period_label": period_label(period),
            "period_choices": months.choices(),
            "indicator": chosen,
            "indicator_choices": [(item.code, localized(item.name, item.name_en)) for item in indicators],
            "directive_choices": selectors.directive_choices(),
            "cards": cards,
            "lineage_note": lineage_note,
            "preview": preview,
            "may_preview": scope.covers(unit.pk),
            "filters_official": filters.with_(preview=False).query(),
            "filters_preview": filters.with_(preview=True).query(),
            "own_province": _own_province(request, units),
        },
        tables={"chi-tieu": (_("Chỉ tiêu của %(province)s") % {"province": unit.name}, cards_table)},
    )


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


@dashboard_view
@require_GET
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    item = selectors.indicator_detail(code)
    if item is None:
        raise Http404
    units = selectors.current_units()
    months = selectors.computed_months()
    period = filters.period or _default_period(months)
    own_period = selectors.period_for(item.periodicity, period)
    standings = selectors.headline_progress(indicator_ids=[item.pk])
    figures = selectors.unit_figures(units, item, own_period, standings=standings)
    national_value = selectors.national_value(item.pk, own_period)
    if filters.status:
        figures = [figure for figure in figures if figure.status == filters.status]
    charts = [
        panels.national_series_chart(
            selectors.series(item.pk, level="national", province_id=None, periodicity=item.periodicity),
            indicator_name=localized(item.name, item.name_en),
            unit_label=item.unit,
        ),
        panels.distribution_chart(
            figures,
            indicator_name=localized(item.name, item.name_en),
            unit_label=item.unit,
            period=str(own_period),
            national_value=national_value,
        ),
    ]
    objectives = list(item.objectives.all())  # type: ignore[attr-defined]
    directives = list({objective.directive_id: objective.directive for objective in objectives}.values())
    return _respond(
        request,
        "dashboards/indicator.html",
        filters,
        charts,
        {
            "indicator": item,
            "indicator_name": localized(item.name, item.name_en),
            "targets": list(item.targets.all()),
            "objectives": objectives,
            "directives": directives,
            "period": own_period,
            "period_label": period_label(own_period),
            "period_choices": months.choices(),
            "national_value": national_value,
            "figures": sorted(figures, key=lambda figure: (figure.rank or 10_000, figure.unit.name)),
            "own_province": _own_province(request, units),
        },
    )


def _objective_view(objective: ObjectiveStanding, status: str) -> dict[str, Any]:
    """An objective as the directive page lists it: per indicator, the statuses best first."""
    indicators = []
    for item in objective.indicators:
        groups = [
            {"style": style, "units": item.groups[style.code], "open": status == style.code}
            for style in palette.STATUSES_BEST_FIRST
            if item.groups.get(style.code) and (not status or status == style.code)
        ]
        indicators.append({"code": item.code, "name": item.name, "groups": groups, "counts": _counts(item)})
    return {"objective": objective, "indicators": indicators}


def _counts(item: IndicatorStanding) -> list[tuple[palette.StatusStyle, int]]:
    counts = item.counts
    return [(style, counts[style.code]) for style in palette.STATUSES_BEST_FIRST if counts.get(style.code)]


@dashboard_view
@require_GET
def directive(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    item = selectors.directive_with_objectives(code)
    if item is None:
        raise Http404
    units = selectors.current_units()
    objectives = selectors.objective_standings(item, units)
    charts = [panels.directive_chart(objectives, directive_title=str(item))]
    return _respond(
        request,
        "dashboards/directive.html",
        filters,
        charts,
        {
            "directive": item,
            "objectives": [_objective_view(objective, filters.status) for objective in objectives],
            "directive_choices": selectors.directive_choices(),
            "own_province": _own_province(request, units),
        },
    )
