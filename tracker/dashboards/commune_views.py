"""The commune level's pages (commune_pages.py): who may see them, and the page as HTML or one
of its charts as CSV. Signing in is required (commune_access.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from provinces.models import Commune
from provinces.selectors import commune_for
from tracker.accounts.commune_access import is_commune_officer, may_read_commune, may_read_communes_of
from tracker.dashboards import commune_pages, palette, selectors
from tracker.dashboards.filters import Filters
from tracker.dashboards.pages import Page
from tracker.dashboards.plotlyjs import VERSION as PLOTLY_VERSION
from tracker.dashboards.scorecard_views import sort_query
from tracker.dashboards.views import _respond
from tracker.refusals import refuses_bad_input


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def commune_of(province_code: str, commune_code: str) -> Commune | None:
    """The commune with that code inside the current province with that code."""
    commune = commune_for(commune_code[:5])
    if commune is None or commune.province.code != province_code or not commune.province.is_current:
        return None
    return commune


@signed_in
@require_GET
@refuses_bad_input
def commune(request: HttpRequest, code: str, commune: str) -> HttpResponse:
    unit = commune_of(code, commune)
    if unit is None or not may_read_commune(request.user, unit):
        raise Http404
    filters = Filters.from_request(request)
    built = commune_pages.commune_page(commune=unit, filters=filters, chart_code=request.GET.get("chi-tieu", "")[:60])
    return _respond(request, filters, Page(built.template, built.charts, built.context))


@signed_in
@require_GET
@refuses_bad_input
def commune_scorecard(request: HttpRequest, code: str) -> HttpResponse:
    """The directive scorecard of one province with its communes as rows."""
    province = selectors.current_unit(code)
    if is_commune_officer(request.user):
        raise PermissionDenied
    if province is None or not may_read_communes_of(request.user, province):
        raise Http404
    filters = Filters.from_request(request)
    directive = request.GET.get("van-ban", "")[:40]
    known = dict(selectors.directive_choices())
    if directive not in known:
        directive = ""
    card = commune_pages.commune_scorecard(
        province=province,
        period=filters.period,
        directive=directive,
        sort=request.GET.get("sap-xep", "name")[:100],
        descending=request.GET.get("giam") == "1",
    )
    chosen = str(filters.period) if filters.period else ""
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
            "bands": [(palette.status_style(c), floor) for floor, c in commune_pages.scorecard.BANDS],
            "computed_at": selectors.last_computed_at(),
            "plotly_version": PLOTLY_VERSION,
            "commune_province": province,
            "province_url": reverse("dashboards:province", args=[province.code]),
        },
    )
