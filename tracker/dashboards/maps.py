"""The choropleth map (when boundaries were uploaded) and the admin's boundary upload page.

Drawn by the app's own plotly.js as filled polygons on plain axes (longitude × latitude, the
latitude stretched by 1/cos of Vietnam's middle latitude): no base map, no tiles, no topojson
fetched from a CDN, nothing requested from another host. Without boundaries the page says how to
add them and links to the tile map of the national overview.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tracker.accounts import permissions
from tracker.dashboards import assemblies, palette, selectors
from tracker.dashboards.access import dashboard_view
from tracker.dashboards.boundaries import BoundaryRefused, boundary_upload, current_boundaries, max_upload_bytes
from tracker.dashboards.charts import Chart, Table
from tracker.dashboards.figures import base_layout
from tracker.dashboards.filters import Filters
from tracker.dashboards.formatting import localized, number, period_label
from tracker.dashboards.models import BoundarySet
from tracker.dashboards.plotlyjs import VERSION as PLOTLY_VERSION
from tracker.dashboards.rows import UnitFigure
from tracker.exports.wording import unit_label as unit_words

# Vietnam spans 8.5°–23.4° N: cos(16°) ≈ 0.96, one degree of latitude drawn 1.04 × a degree of longitude.
LATITUDE_STRETCH = 1.04


def _rings(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """Outer rings of a (multi)polygon as one path with gaps: each segment is filled on its own."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons:
        if xs:
            xs.append(None)
            ys.append(None)
        for x, y in polygon[0]:
            xs.append(x)
            ys.append(y)
    return xs, ys


def choropleth_figure(geojson: str, figures: Sequence[UnitFigure], *, title: str, unit_label: str) -> dict[str, Any]:
    by_code = {figure.unit.code: figure for figure in figures}
    labels = palette.status_labels()
    traces = []
    legend_shown: set[str] = set()
    for feature in json.loads(geojson)["features"]:
        code = feature["properties"]["code"]
        figure = by_code.get(code)
        if figure is None:
            continue
        style = palette.status_style(figure.status)
        xs, ys = _rings(feature["geometry"])
        value = number(figure.value) + (f" {unit_label}" if unit_label else "") if figure.value is not None else "–"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": style.colour,
                "line": {"color": "#ffffff", "width": 0.8},
                "name": f"{style.symbol} {labels[style.code]}",
                "legendgroup": style.code,
                "showlegend": style.code not in legend_shown,
                "hoveron": "fills",
                "text": f"{figure.unit.name}: {value} · {style.symbol} {labels[style.code]}",
                "hoverinfo": "text",
                "customdata": [code],
            }
        )
        legend_shown.add(style.code)
    layout = base_layout(
        title,
        height=680,
        xaxis={"visible": False, "fixedrange": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": LATITUDE_STRETCH},
        legend={"orientation": "h", "y": -0.02},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hovermode="closest",
    )
    return {"data": traces, "layout": layout}


@dashboard_view
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_request(request)
    indicators = selectors.indicators()
    chosen = next(
        (item for item in indicators if item.code == filters.indicator), indicators[0] if indicators else None
    )
    boundaries = current_boundaries()
    months = selectors.computed_months()
    chart = None
    if boundaries is not None and chosen is not None and months.last is not None:
        period = selectors.period_for(chosen.periodicity, filters.period or months.last)
        figures = assemblies.unit_figures(
            selectors.current_units(), chosen, period, standings=selectors.headline_progress(indicator_ids=[chosen.pk])
        )
        name = localized(chosen.name, chosen.name_en)
        title = _("Tình trạng thực hiện mục tiêu: %(indicator)s, %(period)s") % {
            "indicator": name,
            "period": period_label(period),
        }
        chart = Chart(
            key="ban-do-hanh-chinh",
            title=title,
            figure=choropleth_figure(boundaries.geojson, figures, title=title, unit_label=unit_words(chosen.unit)),
            table=Table(
                columns=[
                    _("Mã"),
                    _("Tỉnh, thành phố"),
                    _("Giá trị (%(unit)s)") % {"unit": unit_words(chosen.unit)},
                    _("Tình trạng"),
                ],
                rows=[[f.unit.code, f.unit.name, f.value, palette.status_label(f.status)] for f in figures],
            ),
            note=_("Ranh giới: %(source)s.") % {"source": boundaries.source},
        )
        chart.csv_url = filters.query(csv=chart.key)
        if request.GET.get("csv") == chart.key:
            from tracker.dashboards.charts import table_csv

            response = HttpResponse(table_csv(chart.table), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{chart.key}.csv"'
            return response
    return render(
        request,
        "dashboards/map.html",
        {
            "chart": chart,
            "boundaries": boundaries,
            "indicator": chosen,
            "indicator_choices": [
                (item.code, f"{item.code} – {localized(item.name, item.name_en)}") for item in indicators
            ],
            "may_upload": permissions.is_admin(request.user),
            "plotly_version": PLOTLY_VERSION,
            "computed_at": selectors.last_computed_at(),
        },
    )


class BoundaryForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp GeoJSON"))
    level = forms.ChoiceField(label=gettext_lazy("Đơn vị trong tệp"), choices=BoundarySet.Level.choices)
    source = forms.CharField(
        label=gettext_lazy("Nguồn và giấy phép của tệp"),
        max_length=300,
        help_text=gettext_lazy("Ví dụ: tên cơ quan cung cấp, năm, giấy phép cho phép sử dụng."),
    )


@login_required
def boundaries_page(request: HttpRequest) -> HttpResponse:
    if not permissions.is_admin(request.user):
        return HttpResponse(_("Chỉ quản trị hệ thống tải lên được ranh giới hành chính."), status=403)
    form = BoundaryForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > max_upload_bytes():
                form.add_error(
                    "file",
                    _("Tệp lớn hơn giới hạn %(limit)s MB.") % {"limit": round(max_upload_bytes() / 1024 / 1024, 1)},
                )
            else:
                try:
                    saved = boundary_upload(
                        user=request.user,
                        data=upload.read(),
                        name=upload.name or "",
                        level=form.cleaned_data["level"],
                        source=form.cleaned_data["source"],
                    )
                except BoundaryRefused as exc:
                    form.add_error("file", exc.message)
                else:
                    messages.success(
                        request,
                        _("Đã lưu ranh giới của %(count)s tỉnh, thành phố (%(size)s KB).")
                        % {"count": saved.features, "size": number(saved.size / 1024, 0)},
                    )
                    return redirect("dashboards:map")
        status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "dashboards/boundaries.html",
        {"form": form, "current": current_boundaries(), "limit_mb": round(max_upload_bytes() / 1024 / 1024, 1)},
        status=status,
    )
