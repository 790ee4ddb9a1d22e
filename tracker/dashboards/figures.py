"""Plotly figures built in Python, as plain figure dicts.

Each builder takes rows from selectors.py and returns `{"data": [...], "layout": {...}}` that
plotly.js draws as is. Dicts rather than plotly.graph_objects because building and validating
graph objects costs 30-50 ms per figure, a large share of a page's budget; the tests validate
every builder's output against Plotly's schema instead (go.Figure(figure)).

Words in figures come through gettext, numbers through the layout's `separators` (decimal comma
and thousands dot on Vietnamese pages) and formatting.number for text drawn on tiles and bars.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kpis.periods import InvalidPeriod, Period
from provinces.models import MERGER_DATE
from tracker.dashboards import palette, tiles
from tracker.dashboards.formatting import number, period_label, plotly_separators, signed
from tracker.dashboards.rows import KpiCard, ObjectiveStanding, Point, ReportingRow, UnitFigure
from tracker.progress.vocabulary import NOT_DUE, timeliness_label

Figure = dict[str, Any]
# Legends of stacked bars sit between the title and the plot, clear of the axis title below.
TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"}
FONT = "DejaVu Sans, Segoe UI, Arial, sans-serif"


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def base_layout(title: str, *, height: int = 420, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 15}, "x": 0, "xanchor": "left"},
        "separators": plotly_separators(),
        "font": {"family": FONT, "size": 12, "color": "#1d2733"},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "colorway": [
            palette.BLUE,
            palette.ORANGE,
            palette.BLUISH_GREEN,
            palette.VERMILLION,
            palette.SKY_BLUE,
            palette.REDDISH_PURPLE,
            palette.YELLOW,
            palette.BLACK,
        ],
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def _value_text(value: Decimal | None, unit_label: str) -> str:
    if value is None:
        return _("không có số liệu")
    return f"{number(value)} {unit_label}".strip()


# National overview ----------------------------------------------------------------------------


def tile_map(
    figures: Sequence[UnitFigure],
    *,
    title: str,
    colour_by: str,
    unit_label: str = "",
    lower_is_better: bool = False,
) -> Figure:
    """The 34 units on a grid shaped like the country, coloured by value or by progress status."""
    z: list[list[float | None]] = [[None] * tiles.COLUMNS for _row in range(tiles.ROWS)]
    text: list[list[str]] = [[""] * tiles.COLUMNS for _row in range(tiles.ROWS)]
    hover: list[list[str]] = [[""] * tiles.COLUMNS for _row in range(tiles.ROWS)]
    for figure in figures:
        place = tiles.tile_of(figure.unit.code)
        if place is None:
            continue
        row, column = place
        style = palette.status_style(figure.status)
        name = tiles.short_name(figure.unit.name)
        if colour_by == "status":
            z[row][column] = style.rank
            text[row][column] = f"{name}<br>{style.symbol}"
        else:
            z[row][column] = _float(figure.value)
            text[row][column] = f"{name}<br>{number(figure.value, 1)}" if figure.value is not None else name
        hover[row][column] = (
            f"<b>{figure.unit.name}</b><br>{_value_text(figure.value, unit_label)}<br>{style.symbol} {style.label}"
        )
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": z,
        "text": text,
        "customdata": hover,
        "texttemplate": "%{text}",
        "textfont": {"size": 10},
        "hovertemplate": "%{customdata}<extra></extra>",
        "hoverongaps": False,
        "xgap": 3,
        "ygap": 3,
    }
    if colour_by == "status":
        trace.update(_status_colouring())
    else:
        trace.update(
            {
                "colorscale": palette.VALUE_SCALE,
                "reversescale": lower_is_better,
                "colorbar": {"title": {"text": unit_label}, "thickness": 12},
            }
        )
    axis = {"visible": False, "fixedrange": True}
    return {
        "data": [trace],
        "layout": base_layout(
            title,
            height=660,
            margin={"l": 10, "r": 10, "t": 50, "b": 10},
            xaxis=axis,
            yaxis={**axis, "autorange": "reversed"},
        ),
    }


def _status_colouring() -> dict[str, Any]:
    return {
        "zmin": -0.5,
        "zmax": len(palette.STATUSES) - 0.5,
        "colorscale": palette.stepped_status_scale(),
        "colorbar": {
            "tickvals": [style.rank for style in palette.STATUSES],
            "ticktext": [f"{style.symbol} {style.label}" for style in palette.STATUSES],
            "thickness": 12,
        },
    }


def status_heatmap(
    units: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    statuses: dict[tuple[str, str], str],
    *,
    title: str,
) -> Figure:
    """Provinces (rows) × indicators (columns), each cell the progress status as colour and symbol.

    Hover text names the cell by its axis labels (province, indicator code) so that a 34 × 100
    grid stays small: only the status label is repeated per cell.
    """
    labels = {style.code: f"{style.symbol} {style.label}" for style in palette.STATUSES}
    ranks = {style.code: style.rank for style in palette.STATUSES}
    symbols = {style.code: style.symbol for style in palette.STATUSES}
    z: list[list[int | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for unit_code, _unit_name in units:
        z_row: list[int | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for column_code, _column_name in columns:
            status = statuses.get((unit_code, column_code))
            if status not in ranks:
                z_row.append(None)
                text_row.append("")
                hover_row.append("")
                continue
            z_row.append(ranks[status])
            text_row.append(symbols[status])
            hover_row.append(labels[status])
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [code for code, _name in columns],
        "y": [tiles.short_name(name) for _code, name in units],
        "text": text,
        "customdata": hover,
        "texttemplate": "%{text}",
        "textfont": {"size": 10},
        "hovertemplate": "<b>%{y}</b><br>%{x}<br>%{customdata}<extra></extra>",
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
        **_status_colouring(),
    }
    height = max(360, 22 * len(units) + 170)
    return {
        "data": [trace],
        "layout": base_layout(
            title,
            height=height,
            margin={"l": 110, "r": 20, "t": 50, "b": 120},
            xaxis={"tickangle": -45, "type": "category", "fixedrange": True},
            yaxis={"autorange": "reversed", "type": "category", "fixedrange": True},
        ),
    }


def ranking_bars(figures: Sequence[UnitFigure], *, title: str, unit_label: str = "", places: int = 2) -> Figure:
    """Provinces ranked (best at the top), with the change since the previous period as text."""
    ranked = [figure for figure in figures if figure.value is not None]
    ranked.sort(key=lambda figure: (figure.rank or 10_000, figure.unit.name))
    names = [f"{figure.rank}. {tiles.short_name(figure.unit.name)}" for figure in ranked]
    labels = [_ranking_label(figure, places) for figure in ranked]
    current = {
        "type": "bar",
        "orientation": "h",
        "name": _("Kỳ này"),
        "x": [_float(figure.value) for figure in ranked],
        "y": names,
        "text": labels,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": palette.BLUE},
        "hovertemplate": "%{y}: %{x}" + (f" {unit_label}" if unit_label else "") + "<br>%{text}<extra></extra>",
    }
    previous = {
        "type": "scatter",
        "mode": "markers",
        "name": _("Kỳ trước"),
        "x": [_float(figure.previous_value) for figure in ranked],
        "y": names,
        "marker": {"color": palette.BLACK, "symbol": "line-ns-open", "size": 14, "line": {"width": 2}},
        "hovertemplate": "%{y}: %{x} (" + _("kỳ trước") + ")<extra></extra>",
    }
    height = max(320, 22 * len(ranked) + 120)
    return {
        "data": [current, previous],
        "layout": base_layout(
            title,
            height=height,
            # The legend above the plot: below it, it sat on the axis title (“%”) once it wrapped on a phone.
            margin={"l": 150, "r": 110, "t": 80, "b": 50},
            yaxis={"autorange": "reversed", "type": "category", "fixedrange": True},
            xaxis={"title": {"text": unit_label}, "rangemode": "tozero"},
            legend=TOP_LEGEND,
            barmode="overlay",
        ),
    }


def _ranking_label(figure: UnitFigure, places: int) -> str:
    parts = [number(figure.value, places)]
    if figure.change is not None:
        parts.append(f"({signed(figure.change, places)})")
    if figure.rank_change:
        arrow = "▲" if figure.rank_change > 0 else "▼"
        parts.append(f"{arrow}{abs(figure.rank_change)}")
    return " ".join(parts)


def reporting_bars(rows: Sequence[ReportingRow], *, title: str) -> Figure:
    """Reports per province: on time, late, not yet received, not yet due; the late and missing ones first.

    The reports not yet due have their own bar: without it a province whose report is not due
    yet showed an empty row, read as “no report and no reason”."""
    ordered = sorted(rows, key=lambda row: (-row.missing, -row.late, row.unit.name))
    names = [tiles.short_name(row.unit.name) for row in ordered]
    series = (
        ("on_time", _("Đúng hạn"), [row.on_time for row in ordered]),
        ("late", _("Nộp muộn"), [row.late for row in ordered]),
        ("missing", _("Chưa nộp"), [row.missing for row in ordered]),
        ("not_due", timeliness_label(NOT_DUE), [row.not_due for row in ordered]),
    )
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "x": values,
            "y": names,
            "marker": {"color": palette.REPORTING_COLOURS[key], "pattern": {"shape": pattern}},
            "hovertemplate": "%{y}: %{x} " + label.lower() + "<extra></extra>",
        }
        for (key, label, values), pattern in zip(series, ("", "/", "x", "."), strict=True)
    ]
    height = max(320, 22 * len(ordered) + 120)
    return {
        "data": data,
        "layout": base_layout(
            title,
            height=height,
            barmode="stack",
            margin={"l": 120, "r": 20, "t": 80, "b": 50},
            yaxis={"autorange": "reversed", "type": "category", "fixedrange": True},
            xaxis={"title": {"text": _("Số báo cáo")}, "dtick": 1, "rangemode": "tozero"},
            legend=TOP_LEGEND,
        ),
    }


# Province and indicator pages -----------------------------------------------------------------


def _series_trace(points: Sequence[Point], *, name: str, colour: str, dash: str = "solid") -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [point.day.isoformat() for point in points],
        "y": [_float(point.value) for point in points],
        "customdata": [period_label(point.period) for point in points],
        "line": {"color": colour, "dash": dash, "width": 2},
        "marker": {"size": 5},
        "hovertemplate": "%{customdata}: %{y}<extra>" + name + "</extra>",
        "connectgaps": False,
    }


def _point_label(point: Point) -> str:
    return f"{period_label(point.period)} · {point.provisional}" if point.provisional else period_label(point.period)


def _series_traces(points: Sequence[Point], *, name: str, colour: str, dash: str = "solid") -> list[dict[str, Any]]:
    """The series, with its provisional points (too few units reported, tracker.progress.completeness)
    drawn apart: hollow markers on a dashed line from the last complete point, named and labelled
    "Tạm tính: 6/34 tỉnh" in the hover, so a drop at the open period is not read as a fall."""
    if not any(point.provisional for point in points):
        return [_series_trace(points, name=name, colour=colour, dash=dash)]
    complete = [point for point in points if not point.provisional]
    traces = [_series_trace(complete, name=name, colour=colour, dash=dash)] if complete else []
    provisional = [point for point in points if point.provisional]
    before = [point for point in complete if point.day < provisional[0].day]
    joined = ([before[-1]] if before else []) + provisional
    label = _("%(series)s (tạm tính)") % {"series": name}
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": label,
            "x": [point.day.isoformat() for point in joined],
            "y": [_float(point.value) for point in joined],
            "customdata": [_point_label(point) for point in joined],
            "line": {"color": colour, "dash": "dash", "width": 1},
            "marker": {
                "size": [5 if not point.provisional else 8 for point in joined],
                "symbol": ["circle" if not point.provisional else "circle-open" for point in joined],
            },
            "hovertemplate": "%{customdata}: %{y}<extra>" + label + "</extra>",
            "connectgaps": False,
        }
    )
    return traces


def trend_lines(
    *,
    title: str,
    unit_label: str,
    series: Sequence[Point],
    series_name: str,
    national: Sequence[Point] = (),
    cards: Sequence[KpiCard] = (),
    combines_former: bool = False,
    preview: Sequence[Point] = (),
) -> Figure:
    """A province's series against the national one, the target trajectory and the projection.

    `preview` draws the province's figures including unapproved ones as a separate dashed series.
    """
    data: list[dict[str, Any]] = _series_traces(series, name=series_name, colour=palette.PROVINCE_COLOUR)
    if preview:
        data.append(_series_trace(preview, name=_("Tạm tính (chưa phê duyệt)"), colour=palette.SKY_BLUE, dash="dash"))
    if national:
        data += _series_traces(national, name=_("Cả nước"), colour=palette.NATIONAL_COLOUR, dash="dot")
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    last = _last_point(series)
    projection: list[tuple[datetime.date, Decimal]] = []
    for card in cards:
        if card.target_value is None or card.deadline is None:
            continue
        start = _baseline_point(card, series)
        if start is not None:
            name = _("Lộ trình mục tiêu %(year)s") % {"year": card.deadline.year}
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "x": [start[0].isoformat(), card.deadline.isoformat()],
                    "y": [_float(start[1]), _float(card.target_value)],
                    "line": {"color": palette.TARGET_COLOUR, "dash": "dash", "width": 2},
                    "marker": {"symbol": ["circle-open", "star"], "size": [7, 12]},
                    "hovertemplate": "%{x|%d/%m/%Y}: %{y}<extra>" + name + "</extra>",
                }
            )
        if card.projected_value is not None and last is not None and card.deadline > last.day:
            projection.append((card.deadline, card.projected_value))
    if projection and last is not None and last.value is not None:
        projection.sort()
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Dự báo đến hạn"),
                "x": [last.day.isoformat()] + [day.isoformat() for day, _value in projection],
                "y": [_float(last.value)] + [_float(value) for _day, value in projection],
                "line": {"color": palette.PROJECTION_COLOUR, "dash": "dashdot", "width": 2},
                "marker": {"symbol": ["circle"] + ["diamond-open"] * len(projection), "size": 9},
                "hovertemplate": "%{x|%d/%m/%Y}: %{y}<extra>" + _("Dự báo đến hạn") + "</extra>",
            }
        )
    if combines_former and series and series[0].day < MERGER_DATE:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": MERGER_DATE.isoformat(),
                "x1": MERGER_DATE.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": palette.GREY, "width": 1, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": MERGER_DATE.isoformat(),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": _("Sáp nhập 01/07/2025"),
                "showarrow": False,
                "font": {"size": 11, "color": "#5b6776"},
            }
        )
    return {
        "data": data,
        "layout": base_layout(
            title,
            height=400,
            xaxis={"type": "date", "tickformat": "%m/%Y", "hoverformat": "%d/%m/%Y"},
            yaxis={"title": {"text": unit_label}, "rangemode": "tozero"},
            legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
            shapes=shapes,
            annotations=annotations,
            hovermode="closest",
        ),
    }


def _last_point(series: Sequence[Point]) -> Point | None:
    for point in reversed(series):
        if point.value is not None:
            return point
    return None


def _baseline_point(card: KpiCard, series: Sequence[Point]) -> tuple[datetime.date, Decimal] | None:
    """Where the target trajectory starts: the target's baseline, else the first observed value."""
    if card.baseline_value is not None and card.baseline_period:
        try:
            return Period.parse(card.baseline_period).end, card.baseline_value
        except InvalidPeriod:
            pass
    first = next((point for point in series if point.value is not None), None)
    if first is None or first.value is None:
        return None
    if card.baseline_value is not None:
        return first.day, card.baseline_value
    return first.day, first.value


def distribution(
    figures: Sequence[UnitFigure],
    *,
    title: str,
    unit_label: str,
    national_value: Decimal | None = None,
) -> Figure:
    """How provinces spread on one indicator: a box with every province as a point."""
    present = [figure for figure in figures if figure.value is not None]
    trace = {
        "type": "box",
        "name": "",
        "x": [_float(figure.value) for figure in present],
        "text": [tiles.short_name(figure.unit.name) for figure in present],
        "boxpoints": "all",
        "jitter": 0.4,
        "pointpos": 0,
        "orientation": "h",
        "marker": {"color": palette.BLUE, "size": 7},
        "line": {"color": palette.BLACK},
        "fillcolor": "rgba(86,180,233,0.25)",
        "hovertemplate": "%{text}: %{x}<extra></extra>",
    }
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    if national_value is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _float(national_value),
                "x1": _float(national_value),
                "y0": 0,
                "y1": 1,
                "line": {"color": palette.VERMILLION, "dash": "dash", "width": 2},
            }
        )
        annotations.append(
            {
                "x": _float(national_value),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": _("Cả nước: %(value)s") % {"value": number(national_value)},
                "showarrow": False,
                "font": {"color": palette.VERMILLION},
            }
        )
    return {
        "data": [trace],
        "layout": base_layout(
            title,
            height=300,
            xaxis={"title": {"text": unit_label}},
            yaxis={"visible": False},
            shapes=shapes,
            annotations=annotations,
            showlegend=False,
        ),
    }


def national_series(points: Sequence[Point], *, title: str, unit_label: str) -> Figure:
    return {
        "data": _series_traces(points, name=_("Cả nước"), colour=palette.NATIONAL_COLOUR),
        "layout": base_layout(
            title,
            height=360,
            xaxis={"type": "date", "tickformat": "%m/%Y", "hoverformat": "%d/%m/%Y"},
            yaxis={"title": {"text": unit_label}, "rangemode": "tozero"},
            showlegend=any(point.provisional for point in points),
        ),
    }


# Directive page -------------------------------------------------------------------------------


def objective_status_bars(objectives: Sequence[ObjectiveStanding], *, title: str) -> Figure:
    """For each objective, how many (province, indicator) standings are in each status."""
    labels = [_short(objective.label) for objective in objectives]
    data = []
    for style in palette.STATUSES_BEST_FIRST:
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"{style.symbol} {style.label}",
                "x": [objective.counts.get(style.code, 0) for objective in objectives],
                "y": labels,
                "marker": {"color": style.colour, "line": {"color": "#ffffff", "width": 1}},
                "hovertemplate": "%{y}<br>" + f"{style.symbol} {style.label}" + ": %{x}<extra></extra>",
            }
        )
    height = max(300, 34 * len(objectives) + 140)
    return {
        "data": data,
        "layout": base_layout(
            title,
            height=height,
            barmode="stack",
            margin={"l": 260, "r": 20, "t": 80, "b": 50},
            yaxis={"autorange": "reversed", "type": "category", "fixedrange": True, "automargin": True},
            xaxis={"title": {"text": _("Số lượt tỉnh × chỉ tiêu")}, "rangemode": "tozero"},
            legend=TOP_LEGEND,
        ),
    }


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
