"""The directive scorecard and its province × indicator drill-down (see scorecard.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.dashboards import palette, scorecard, selectors
from tracker.dashboards.access import dashboard_view
from tracker.dashboards.filters import Filters
from tracker.dashboards.plotlyjs import VERSION as PLOTLY_VERSION


def sort_query(directive: str, key: str, card: scorecard.Scorecard, period: str = "") -> str:
    """The link that sorts by `key`: shares largest first, names A to Z; again reverses."""
    params = {"van-ban": directive} if directive else {}
    if period:
        params["period"] = period
    params["sap-xep"] = key
    first_descending = key != "name"
    descending = (not card.descending) if card.sort == key else first_descending
    if descending:
        params["giam"] = "1"
    return "?" + urlencode(params)


@dashboard_view
@require_GET
def scorecard_page(request: HttpRequest) -> HttpResponse:
    directive = request.GET.get("van-ban", "")[:40]
    known = dict(selectors.directive_choices())
    if directive not in known:
        directive = ""
    card = scorecard.build(
        period=Filters.from_request(request).period,
        directive=directive,
        sort=request.GET.get("sap-xep", "name")[:100],
        descending=request.GET.get("giam") == "1",
    )
    chosen = request.GET.get("period", "") if Filters.from_request(request).period else ""
    headers = [(column, sort_query(directive, column.key, card, chosen)) for column in card.columns]
    return render(
        request,
        "dashboards/scorecard.html",
        {
            "card": card,
            "headers": headers,
            "name_sort": sort_query(directive, "name", card, chosen),
            "overall_sort": sort_query(directive, "overall", card, chosen),
            "directive_choices": list(known.items()),
            "bands": [(palette.status_style(code), floor) for floor, code in scorecard.BANDS],
            "computed_at": selectors.last_computed_at(),
            "plotly_version": PLOTLY_VERSION,
        },
    )


@dashboard_view
@require_GET
def scorecard_grid(request: HttpRequest) -> HttpResponse:
    found = scorecard.grid(
        directive=request.GET.get("van-ban", "")[:40],
        group=request.GET.get("nhom", "")[:100],
        highlight=request.GET.get("tinh", "")[:10],
        period=Filters.from_request(request).period,
    )
    if found is None:
        raise Http404
    return render(
        request,
        "dashboards/scorecard_grid.html",
        {
            "grid": found,
            "legend": palette.STATUSES_BEST_FIRST,
            "computed_at": selectors.last_computed_at(),
            "plotly_version": PLOTLY_VERSION,
        },
    )
