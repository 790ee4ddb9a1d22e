"""Charts as pages show them: each figure with its table twin (text alternative and CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from kpis.periods import Period
from tracker.dashboards import figures, formatting, palette
from tracker.dashboards.charts import Cell, Chart, Table
from tracker.dashboards.formatting import period_label
from tracker.dashboards.rows import KpiCard, ObjectiveStanding, Point, ReportingRow, Unit, UnitFigure
from tracker.progress import vocabulary


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else share * 100


def map_chart(
    unit_figures: Sequence[UnitFigure],
    *,
    indicator_name: str,
    unit_label: str,
    period: str,
    colour_by: str,
    lower_is_better: bool,
) -> Chart:
    if colour_by == "status":
        title = _("Tình trạng thực hiện mục tiêu: %(indicator)s") % {"indicator": indicator_name}
    else:
        title = _("%(indicator)s, %(period)s") % {"indicator": indicator_name, "period": period_label(period)}
    return Chart(
        key="ban-do",
        title=title,
        figure=figures.tile_map(
            unit_figures,
            title=title,
            colour_by=colour_by,
            unit_label=unit_label,
            lower_is_better=lower_is_better,
        ),
        table=Table(
            columns=[_("Mã"), _("Tỉnh, thành phố"), _("Giá trị (%(unit)s)") % {"unit": unit_label}, _("Tình trạng")],
            rows=[
                [figure.unit.code, figure.unit.name, figure.value, palette.status_label(figure.status)]
                for figure in unit_figures
            ],
        ),
        note=_("Mỗi ô là một tỉnh, thành phố, xếp theo vị trí địa lý từ Bắc vào Nam."),
    )


def heatmap_chart(
    units: Sequence[Unit],
    columns: Sequence[tuple[str, str]],
    statuses: dict[tuple[str, str], str],
    *,
    title: str,
) -> Chart:
    labels = palette.status_labels()
    rows: list[Sequence[Cell]] = []
    for unit in units:
        rows.append(
            [unit.name]
            + [labels[statuses[(unit.code, code)]] if (unit.code, code) in statuses else "" for code, _name in columns]
        )
    return Chart(
        key="ban-do-nhiet",
        title=title,
        figure=figures.status_heatmap([(unit.code, unit.name) for unit in units], columns, statuses, title=title),
        table=Table(columns=[_("Tỉnh, thành phố")] + [code for code, _name in columns], rows=rows),
        note=_("Ký hiệu trong ô: %(symbols)s.")
        % {
            "symbols": ", ".join(
                f"{style.symbol} {_lower_first(str(style.label))}" for style in palette.STATUSES_BEST_FIRST
            )
        },
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def ranking_chart(
    unit_figures: Sequence[UnitFigure], *, subject: str, unit_label: str, period: str, previous: str | None
) -> Chart:
    title = _("Xếp hạng: %(subject)s, %(period)s") % {"subject": subject, "period": period_label(period)}
    # Every unit: the ranked ones, then those without a value for the period (marked, unranked).
    everyone = sorted(unit_figures, key=lambda figure: (figure.rank is None, figure.rank or 0, figure.unit.name))
    ranked = [figure for figure in everyone if figure.value is not None]
    no_value = vocabulary.status_label(vocabulary.NO_DATA_THIS_PERIOD)
    note = (
        _("So với kỳ trước (%(previous)s): thay đổi giá trị trong ngoặc, ▲/▼ số bậc tăng/giảm.")
        % {"previous": period_label(previous)}
        if previous
        else ""
    )
    return Chart(
        key="xep-hang",
        title=title,
        figure=figures.ranking_bars(ranked, title=title, unit_label=unit_label),
        table=Table(
            columns=[
                _("Hạng"),
                _("Tỉnh, thành phố"),
                _("Giá trị"),
                _("Kỳ trước"),
                _("Thay đổi"),
                _("Hạng kỳ trước"),
                _("Số bậc thay đổi"),
            ],
            rows=[
                [
                    figure.rank,
                    figure.unit.name,
                    figure.value if figure.value is not None else no_value,
                    figure.previous_value,
                    figure.change,
                    figure.previous_rank,
                    figure.rank_change,
                ]
                for figure in everyone
            ],
        ),
        note=note,
    )


def reporting_chart(rows: Sequence[ReportingRow], *, period: str) -> Chart:
    title = _("Tình hình nộp báo cáo, %(period)s") % {"period": period_label(period)}
    ordered = sorted(rows, key=lambda row: (-row.missing, -row.late, row.unit.name))
    return Chart(
        key="nop-bao-cao",
        title=title,
        figure=figures.reporting_bars(ordered, title=title),
        table=Table(
            columns=[
                _("Tỉnh, thành phố"),
                _("Phải nộp"),
                _("Đã nhận"),
                _("Đúng hạn"),
                _("Nộp muộn"),
                _("Chưa nộp"),
                vocabulary.timeliness_label(vocabulary.NOT_DUE),
                _("Đã phê duyệt"),
            ],
            rows=[
                [
                    row.unit.name,
                    row.expected,
                    row.received,
                    row.on_time,
                    row.late,
                    row.missing,
                    row.not_due,
                    row.approved,
                ]
                for row in ordered
            ],
        ),
    )


def trend_chart(
    *,
    indicator_name: str,
    unit_label: str,
    province_name: str,
    series: Sequence[Point],
    national: Sequence[Point],
    cards: Sequence[KpiCard],
    combines_former: bool,
    preview: Sequence[Point] = (),
) -> Chart:
    title = _("%(indicator)s: %(province)s so với cả nước và mục tiêu") % {
        "indicator": indicator_name,
        "province": province_name,
    }
    national_by_period = {point.period: point.value for point in national}
    preview_by_period = {point.period: point.value for point in preview}
    periods = list(dict.fromkeys([point.period for point in series] + [point.period for point in preview]))
    official = {point.period: point.value for point in series}
    rows: list[list[Cell]] = []
    for text in sorted(periods, key=_period_order):
        row: list[Cell] = [period_label(text), official.get(text), national_by_period.get(text)]
        if preview:
            row.append(preview_by_period.get(text))
        rows.append(row)
    for card in cards:
        if card.target_value is not None and card.deadline is not None:
            day = formatting.date(card.deadline)
            rows.append([_("Mục tiêu đến %(day)s") % {"day": day}, card.target_value, None])
            if card.projected_value is not None:
                rows.append([_("Dự báo đến %(day)s") % {"day": day}, card.projected_value, None])
    return Chart(
        key="xu-huong",
        title=title,
        figure=figures.trend_lines(
            title=title,
            unit_label=unit_label,
            series=series,
            series_name=province_name,
            national=national,
            cards=cards,
            combines_former=combines_former,
            preview=preview,
        ),
        table=Table(
            columns=[_("Kỳ"), province_name, _("Cả nước")] + ([_("Tạm tính (chưa phê duyệt)")] if preview else []),
            rows=rows,
        ),
    )


def _period_order(text: str) -> tuple[int, int]:
    period = Period.parse(text)
    return period.year, period.last_month


def national_series_chart(points: Sequence[Point], *, indicator_name: str, unit_label: str) -> Chart:
    title = _("%(indicator)s: cả nước theo thời gian") % {"indicator": indicator_name}
    return Chart(
        key="ca-nuoc",
        title=title,
        figure=figures.national_series(points, title=title, unit_label=unit_label),
        table=Table(
            columns=[_("Kỳ"), _("Giá trị (%(unit)s)") % {"unit": unit_label}, _("Ghi chú")],
            rows=[[period_label(point.period), point.value, point.provisional] for point in points],
        ),
    )


def distribution_chart(
    unit_figures: Sequence[UnitFigure],
    *,
    indicator_name: str,
    unit_label: str,
    period: str,
    national_value: Decimal | None,
) -> Chart:
    title = _("%(indicator)s: phân bố các tỉnh, %(period)s") % {
        "indicator": indicator_name,
        "period": period_label(period),
    }
    ordered = sorted(unit_figures, key=lambda figure: (figure.rank or 10_000, figure.unit.name))
    return Chart(
        key="phan-bo",
        title=title,
        figure=figures.distribution(ordered, title=title, unit_label=unit_label, national_value=national_value),
        table=Table(
            columns=[
                _("Hạng"),
                _("Tỉnh, thành phố"),
                _("Giá trị"),
                _("Mục tiêu"),
                _("Tình trạng"),
                _("Tỷ lệ quãng đường (%)"),
            ],
            rows=[
                [
                    figure.rank,
                    figure.unit.name,
                    figure.value,
                    figure.target_value,
                    palette.status_label(figure.status),
                    _percent(figure.share_of_way),
                ]
                for figure in ordered
            ],
        ),
    )


def directive_chart(objectives: Sequence[ObjectiveStanding], *, directive_title: str) -> Chart:
    title = _("Tình trạng theo mục tiêu: %(directive)s") % {"directive": directive_title}
    measured = [objective for objective in objectives if objective.indicators]
    return Chart(
        key="muc-tieu",
        title=title,
        figure=figures.objective_status_bars(measured, title=title),
        table=Table(
            columns=[_("Mục tiêu"), _("Chỉ tiêu")] + [str(style.label) for style in palette.STATUSES_BEST_FIRST],
            rows=[
                [objective.label, item.code] + [item.counts.get(style.code, 0) for style in palette.STATUSES_BEST_FIRST]
                for objective in measured
                for item in objective.indicators
            ],
        ),
        note=_("Mỗi lượt là một tỉnh, thành phố trên một chỉ tiêu của mục tiêu."),
    )
