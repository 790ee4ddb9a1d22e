"""The commune level of the dashboards (issue 17, drill-down): the province page's section that
ranks its communes on one indicator, the commune page, and the scorecard with communes as rows.

Figures come from tracker.progress.commune_selectors (the computed commune tables); statuses,
labels and colours from the one vocabulary. Rows are formatted here rather than in template
loops: a province has up to some 170 communes and the page must stay fast (bench_pages).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpis.models import Indicator
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.accounts.commune_access import may_read_communes_of
from tracker.dashboards import figures, palette, scorecard, selectors
from tracker.dashboards.charts import Chart, Table
from tracker.dashboards.filters import Filters
from tracker.dashboards.formatting import localized, number, percent_share, period_label
from tracker.dashboards.rows import Unit
from tracker.exports.wording import unit_label
from tracker.progress import commune_selectors as communes
from tracker.progress import vocabulary
from tracker.progress.standing_selectors import competition_ranks

INDICATOR_PARAM = "chi-tieu-xa"  # the indicator the province page ranks its communes on


def kind_label(kind: str) -> str:
    return str(Commune.Kind(kind).label) if kind in Commune.Kind.values else kind


def completeness_text(with_value: int, total: int) -> str:
    """ "98/102 xã có số liệu": communes with a value for the period, of those valid in it."""
    return ngettext("%(with)d/%(total)d xã có số liệu", "%(with)d/%(total)d xã có số liệu", total) % {
        "with": with_value,
        "total": total,
    }


def approved_text(rates: communes.CommuneRates) -> str:
    """ "95/102 xã đã được duyệt": approved commune reports of those owed (summed over forms)."""
    return ngettext(
        "%(approved)d/%(expected)d báo cáo cấp xã đã được duyệt",
        "%(approved)d/%(expected)d báo cáo cấp xã đã được duyệt",
        rates.expected,
    ) % {"approved": rates.approved, "expected": rates.expected}


def _value_text(value: Decimal | None, unit: str) -> str:
    # unit_label: the catalogue's units are Vietnamese words (“lượt người”); English pages name them in English.
    return "–" if value is None else number(value) + (f" {unit_label(unit)}" if unit else "")


def _earlier_text(view: communes.CommuneStandingView | None, unit: str) -> str:
    """The latest earlier value and its period, for a unit without a value this period."""
    if view is None or view.value is None or not view.value_period or view.value_period == view.period:
        return ""
    return f"{_value_text(view.value, unit)} ({vocabulary.as_of(view.value_period)})"


def commune_url(province_code: str, commune_code: str, period: Period | None = None) -> str:
    url = reverse("dashboards:commune", args=[province_code, commune_code])
    return url + ("?" + urlencode({"period": str(period)}) if period is not None else "")


def export_links(province: Province, period: Period, commune: Commune | None = None) -> list[tuple[str, str, str]]:
    """(label, url, format) of the commune-level exports of the province (or of one commune)."""
    base = reverse("exports:commune_export", args=[province.code])
    params: dict[str, str] = {"period": str(period)}
    if commune is not None:
        params["xa"] = commune.code
    return [
        (label, f"{base}?{urlencode({**params, 'format': fmt})}", fmt)
        for label, fmt in (
            (_("Tải Excel (XLSX)"), "xlsx"),
            (_("Tải CSV"), "csv"),
            (_("Tải DHIS2 (dataValueSets JSON)"), "dhis2"),
        )
    ]


# The province page's section -------------------------------------------------------------------


def _indicator_choices(ids: Sequence[int], indicators: Sequence[Indicator]) -> list[Indicator]:
    wanted = set(ids)
    return [item for item in indicators if item.pk in wanted]


def province_section(
    *,
    province: Province,
    indicators: Sequence[Indicator],
    period: Period,
    filters: Filters,
    chosen_code: str,
    user: Any,
) -> dict[str, Any] | None:
    """The province's communes ranked on one indicator (None for a reader who may not see them)."""
    if not may_read_communes_of(user, province):
        return None
    choices = _indicator_choices(communes.commune_indicator_ids(province.pk), indicators)
    rates = communes.commune_reporting(province.pk, period).total
    section: dict[str, Any] = {
        "indicator_choices": [(item.code, f"{item.code} – {localized(item.name, item.name_en)}") for item in choices],
        "param": INDICATOR_PARAM,
        "hidden": filters.params(),
        "approved": approved_text(rates) if rates.expected else "",
        "exports": export_links(province, period),
        "scorecard_url": reverse("dashboards:scorecard_communes", args=[province.code])
        + "?"
        + urlencode({"period": str(period)}),
    }
    chosen = next((item for item in choices if item.code == chosen_code), choices[0] if choices else None)
    if chosen is None:
        section.update({"indicator": None, "rows": [], "total": len(communes.communes_in(province, period))})
        return section
    ranking = communes.commune_ranking(province, chosen, period)
    section.update(
        {
            "indicator": chosen,
            "indicator_name": localized(chosen.name, chosen.name_en),
            "period_label": period_label(ranking.period),
            "completeness": completeness_text(ranking.with_value, ranking.total),
            "behind_text": ngettext(
                "%(count)d xã chậm tiến độ (tô nền)", "%(count)d xã chậm tiến độ (tô nền)", ranking.behind
            )
            % {"count": ranking.behind},
            "rows": rank_views(ranking, province.code, chosen.unit, period),
            "total": ranking.total,
        }
    )
    return section


def rank_views(ranking: communes.CommuneRanking, province_code: str, unit: str, period: Period) -> list[dict[str, Any]]:
    placeholder = "__XA__"
    pattern = commune_url(province_code, placeholder, period)
    labels = palette.status_labels()
    behind_mark = _("Chậm tiến độ")
    views = []
    for row in ranking.rows:
        status = row.status
        views.append(
            {
                "code": row.code,
                "name": row.name,
                "kind": kind_label(row.kind),
                "url": pattern.replace(placeholder, quote(row.code)),
                "rank": row.rank if row.rank is not None else "",
                "value": _value_text(row.value, unit) if row.has_value else _earlier_text(row.standing, unit) or "–",
                "previous": _value_text(row.previous_value, unit),
                "change": ""
                if row.change is None
                else ("▲" if row.change > 0 else "▼" if row.change < 0 else "=")
                + (str(abs(row.change)) if row.change else ""),
                "target": _value_text(row.standing.target_value, unit)
                if row.standing and row.standing.target_value is not None
                else "–",
                "share": percent_share(row.standing.share_of_way)
                if row.standing and row.standing.share_of_way
                else "–",
                "badge": palette.badge(status, labels.get(status)),
                "status": status,
                "behind": row.behind,
                "behind_mark": behind_mark if row.behind else "",
                "has_value": row.has_value,
            }
        )
    return views


# The commune page ------------------------------------------------------------------------------


@dataclass
class CommunePage:
    template: str
    charts: list[Chart]
    context: dict[str, Any]


def _ranks_among(
    values: dict[tuple[int, int, str], Decimal | None], shown: Sequence[Indicator], own: dict[int, Period]
) -> dict[int, tuple[dict[int, int], int]]:
    """{indicator id: ({commune id: rank in the province}, communes with a value)} at the
    indicator's own period; ties share a rank, as in the province's ranking."""
    by_indicator: dict[int, dict[int, Decimal | None]] = {item.pk: {} for item in shown}
    for (indicator_id, commune_id, text), value in values.items():
        if indicator_id in by_indicator and text == str(own[indicator_id]) and value is not None:
            by_indicator[indicator_id][commune_id] = value
    lower = {item.pk: item.direction == Indicator.Direction.LOWER for item in shown}
    return {pk: (competition_ranks(same, lower_is_better=lower[pk]), len(same)) for pk, same in by_indicator.items()}


def commune_page(*, commune: Commune, filters: Filters, chart_code: str) -> CommunePage:
    """A commune: each commune-level indicator's value and status as of the period, its rank in
    the province, a small chart of one indicator's series and the commune's reporting status."""
    province = commune.province
    indicators = selectors.indicators()
    months = selectors.computed_months()
    period = filters.period or (months.last if months.last is not None else _fallback_period())
    shown = _indicator_choices(communes.commune_indicator_ids(province.pk), indicators)
    own = {item.pk: selectors.period_for(item.periodicity, period) for item in shown}
    values = communes.commune_values(province.pk, sorted(set(own.values())), indicator_ids=list(own))
    headlines = communes.commune_headlines(
        period, province_id=province.pk, indicator_ids=list(own), commune_ids=[commune.pk]
    )
    labels = palette.status_labels()
    ranked = _ranks_among(values, shown, own)
    rows = []
    for item in shown:
        view = headlines.get((item.pk, commune.pk))
        value = values.get((item.pk, commune.pk, str(own[item.pk])))
        ranks, counted = ranked[item.pk]
        status = (
            view.status
            if view is not None
            else ("not_available" if value is not None else vocabulary.NO_DATA_THIS_PERIOD)
        )
        rows.append(
            {
                "code": item.code,
                "name": localized(item.name, item.name_en),
                "period": period_label(own[item.pk]),
                "value": _value_text(value, item.unit) if value is not None else "–",
                "earlier": "" if value is not None else _earlier_text(view, item.unit),
                "target": _value_text(view.target_value, item.unit) if view and view.target_value is not None else "–",
                "share": percent_share(view.share_of_way) if view and view.share_of_way is not None else "–",
                "rank": f"{ranks[commune.pk]}/{counted}" if commune.pk in ranks else "–",
                "badge": palette.badge(status, labels.get(status)),
                "status": status,
                "behind": communes.is_behind(status),
                "chart_url": "?" + urlencode({**filters.params(), "chi-tieu": item.code}),
            }
        )
    chart_indicator = next((item for item in shown if item.code == chart_code), shown[0] if shown else None)
    charts = [] if chart_indicator is None else [commune_chart(commune, province, chart_indicator)]
    rates = communes.commune_reporting(province.pk, period, commune_id=commune.pk)
    own_rate = rates.by_commune.get(commune.pk, communes.CommuneRates())
    return CommunePage(
        "dashboards/commune.html",
        charts,
        {
            "commune": commune,
            "province": province,
            "kind": kind_label(commune.kind),
            "period": period,
            "period_label": period_label(period),
            "period_choices": [(str(choice), period_label(choice)) for choice in months.choices()],
            "rows": rows,
            "chart_indicator": chart_indicator,
            "reporting": own_rate,
            "reporting_lines": reporting_lines(own_rate),
            "province_approved": approved_text(rates.total) if rates.total.expected else "",
            "exports": export_links(province, period, commune),
            "province_url": reverse("dashboards:province", args=[province.code])
            + "?"
            + urlencode({"period": str(period)}),
        },
    )


def _fallback_period() -> Period:
    return scorecard.default_period()


def reporting_lines(rates: communes.CommuneRates) -> list[tuple[str, str, str]]:
    """(label, count, timeliness code for the colour) of the commune's reports of the period."""
    if not rates.expected:
        return []
    return [
        (_("Báo cáo phải nộp"), str(rates.expected), ""),
        (str(vocabulary.TIMELINESS_LABELS[vocabulary.ON_TIME]), str(rates.on_time), vocabulary.ON_TIME),
        (str(vocabulary.TIMELINESS_LABELS[vocabulary.LATE]), str(rates.late), vocabulary.LATE),
        (str(vocabulary.TIMELINESS_LABELS[vocabulary.MISSING]), str(rates.missing), vocabulary.MISSING),
        (str(vocabulary.TIMELINESS_LABELS[vocabulary.NOT_DUE]), str(rates.not_due), vocabulary.NOT_DUE),
        (_("Đã được duyệt"), str(rates.approved), ""),
    ]


def commune_chart(commune: Commune, province: Province, indicator: Indicator) -> Chart:
    """The commune's series of one indicator beside its province's."""
    name = localized(indicator.name, indicator.name_en)
    title = _("%(indicator)s: %(commune)s so với %(province)s") % {
        "indicator": name,
        "commune": commune.name,
        "province": province.name,
    }
    own = communes.commune_series(commune.pk, indicator.pk, indicator.periodicity)
    theirs = {
        point.period: point.value
        for point in selectors.series(
            indicator.pk, level="province", province_id=province.pk, periodicity=indicator.periodicity
        )
    }
    periods = [text for text, _value, _day in own]
    traces = [
        _trace([day.isoformat() for _t, _v, day in own], [v for _t, v, _d in own], periods, commune.name, palette.BLUE),
    ]
    days = {text: day for text, _v, day in own}
    shared = [text for text in periods if text in theirs]
    if shared:
        traces.append(
            _trace(
                [days[text].isoformat() for text in shared],
                [theirs[text] for text in shared],
                shared,
                province.name,
                palette.ORANGE,
                dash="dash",
            )
        )
    figure = {
        "data": traces,
        # The indicator only: a plot title does not wrap on a phone, and the legend names the units.
        "layout": figures.base_layout(
            name,
            height=320,
            xaxis=period_axis(own),
            yaxis={"title": {"text": unit_label(indicator.unit)}, "rangemode": "tozero"},
            legend={"orientation": "h", "y": -0.2},
        ),
    }
    return Chart(
        key="xu-huong-xa",
        title=title,
        figure=figure,
        table=Table(
            columns=[_("Kỳ"), commune.name, province.name],
            rows=[[period_label(text), value, theirs.get(text)] for text, value, _day in own],
        ),
    )


# Up to this many points, a tick per point named by its period. Left to plotly, a few months of
# points were ticked by the week (“Jul 26, Aug 9…”), and a month tick (“11/2026”) sat on the
# October point, drawn on its period's last day.
LABELLED_POINTS = 12


def period_axis(own: Sequence[tuple[str, Any, datetime.date]]) -> dict[str, Any]:
    axis: dict[str, Any] = {"type": "date", "tickformat": "%m/%Y", "hoverformat": "%d/%m/%Y"}
    if 0 < len(own) <= LABELLED_POINTS:
        axis.update(
            tickmode="array",
            tickvals=[day.isoformat() for _text, _value, day in own],
            ticktext=[period_label(text) for text, _value, _day in own],
        )
    return axis


def _trace(
    x: list[str], y: list[Decimal | None], periods: list[str], name: str, colour: str, dash: str = "solid"
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": x,
        "y": [None if value is None else float(value) for value in y],
        "customdata": [period_label(text) for text in periods],
        "line": {"color": colour, "dash": dash, "width": 2},
        "marker": {"size": 5},
        "hovertemplate": "%{customdata}: %{y}<extra>" + name + "</extra>",
        "connectgaps": False,
    }


# The scorecard with communes as rows -----------------------------------------------------------


def commune_scorecard(
    *, province: Province, period: Period | None, directive: str, sort: str, descending: bool
) -> scorecard.Scorecard:
    """The directive scorecard of one province, a row per commune valid in the period: the cells
    count the communes' headline standings, as the provinces' scorecard counts theirs."""
    period = period or scorecard.scorecard_period()
    units = [Unit(code=c.code, name=c.name, pk=c.pk) for c in communes.communes_in(province, period)]
    columns = scorecard.columns(directive)
    ids = sorted({i for column in columns for i in column.indicator_ids})
    headlines = communes.commune_headlines(period, province_id=province.pk, indicator_ids=ids) if ids else {}
    statuses = {cell: view.status for cell, view in headlines.items()}
    card = scorecard.build(
        directive=directive, sort=sort, descending=descending, units=units, period=period, statuses=statuses
    )
    for row in card.rows:
        for cell in row.cells:
            cell.url = commune_url(province.code, row.unit.code, period)
    return card
