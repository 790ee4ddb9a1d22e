"""Dashboard pages: who may see them, and the page (pages.py) as HTML or one of its tables as CSV.

Every page takes its filters from the query string (filters.py) and answers `?csv=<chart key>`
with that chart's table as CSV, so the figures on screen, their text alternative and the
download always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.dashboards import commune_pages, palette, selectors
from tracker.dashboards.access import dashboard_view
from tracker.dashboards.charts import Chart, Table, table_csv
from tracker.dashboards.filters import Filters
from tracker.dashboards.pages import (
    Page,
    PageNotFound,
    directive_page,
    indicator_page,
    national_page,
    province_page,
)
from tracker.dashboards.plotlyjs import VERSION as PLOTLY_VERSION
from tracker.dashboards.rows import Unit
from tracker.refusals import refuses_bad_input


def _own_province(request: HttpRequest, units: Sequence[Unit]) -> Unit | None:
    province_id = getattr(request.user, "province_id", None)
    return next((unit for unit in units if unit.pk == province_id), None)


def _table_of(chart: Chart) -> Callable[[], Table]:
    return lambda: chart.table


def _respond(request: HttpRequest, filters: Filters, page: Page) -> HttpResponse:
    """The page, or one of its charts (or extra tables) as CSV when asked with ?csv=<key>."""
    downloads: dict[str, Callable[[], Table]] = {chart.key: _table_of(chart) for chart in page.charts}
    downloads.update(page.tables)
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in downloads:
            raise Http404
        response = HttpResponse(table_csv(downloads[wanted]()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{wanted}.csv"'
        return response
    for chart in page.charts:
        chart.csv_url = filters.query(csv=chart.key)
    context = page.context
    if "period" in context:
        context["period_value"] = str(context["period"])
    context.update(
        {
            "filters": filters,
            "charts": page.charts,
            # Template lookups cannot contain "-": {{ figs.ban_do }} is the chart "ban-do".
            "figs": {chart.key.replace("-", "_"): chart for chart in page.charts},
            "plotly_version": PLOTLY_VERSION,
            "computed_at": selectors.last_computed_at(),
            "csv_urls": {key.replace("-", "_"): filters.query(csv=key) for key in page.tables},
            "status_choices": palette.STATUSES_BEST_FIRST,
            "own_province": _own_province(request, context.get("units", [])),
        }
    )
    return render(request, page.template, context)


@dashboard_view
@require_GET
@refuses_bad_input
def national(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_request(request)
    return _respond(request, filters, national_page(filters=filters))


@dashboard_view
@require_GET
@refuses_bad_input
def province(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    try:
        page = province_page(
            code=code,
            filters=filters,
            user=request.user,
            commune_indicator=request.GET.get(commune_pages.INDICATOR_PARAM, "")[:60],
        )
    except PageNotFound as exc:
        raise Http404 from exc
    return _respond(request, filters, page)


@dashboard_view
@require_GET
@refuses_bad_input
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    try:
        page = indicator_page(code=code, filters=filters)
    except PageNotFound as exc:
        raise Http404 from exc
    return _respond(request, filters, page)


@dashboard_view
@require_GET
@refuses_bad_input
def directive(request: HttpRequest, code: str) -> HttpResponse:
    filters = Filters.from_request(request)
    try:
        page = directive_page(code=code, filters=filters)
    except PageNotFound as exc:
        raise Http404 from exc
    return _respond(request, filters, page)
