"""The report's sections that say something beyond the table: what moved most since the previous
period, what is behind schedule (with the monthly change still needed), which targets were
missed, which figures need checking, and the legend and appendix. Shared by both reports."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kpis.models import Indicator
from kpis.periods import Period, Periodicity
from tracker.exports import standings
from tracker.exports.document import Amount, Bar, Cell, Chart, Column, Kind, Section
from tracker.exports.numbers import local_number
from tracker.exports.periods import period_label
from tracker.exports.selectors import IndicatorLine
from tracker.exports.wording import name_of, unit_label

CHART_BARS = 12  # as many as fit under the summary on page 1
MOVERS = 5
JUMP = Decimal("0.5")  # a change of more than half the previous value asks for a check
COUNT_UNITS = {
    "người",
    "lượt người",
    "trạm",
    "cuộc",
    "cơ quan",
    "cơ sở dữ liệu",
    "doanh nghiệp",
    "dịch vụ",
    "giao dịch",
    "hệ thống",
    "học sinh",
    "hồ sơ",
    "hộ",
    "thủ tục",
    "đơn vị",
}
_COARSENESS = {Periodicity.MONTHLY: 0, Periodicity.QUARTERLY: 1, Periodicity.YEARLY: 2}


def decimals_of(indicator: Indicator) -> int:
    """How a figure of this unit is written: counts whole, Mbps with one decimal, the rest with two."""
    if indicator.unit in COUNT_UNITS:
        return 0
    if indicator.unit == "Mbps":
        return 1
    return 2


def amount(value: Decimal | None, indicator: Indicator) -> Amount | None:
    return None if value is None else Amount(value, decimals_of(indicator))


def relative_change(line: IndicatorLine) -> Decimal | None:
    if line.value is None or line.previous is None or line.previous == 0:
        return None
    return (line.value - line.previous) / abs(line.previous)


def months_until(period: Period, deadline: object) -> int:
    """Whole months from the period's end to the deadline (at least one when it is still ahead)."""
    import datetime

    assert isinstance(deadline, datetime.date)  # noqa: S101 - the callers filter on it
    days = (deadline - period.end).days
    return max(1, math.ceil(days / 30.4375))


# ---------------------------------------------------------------------------------------------
# the main table, its chart and its legend


def indicator_columns() -> list[Column]:
    # Widths in millimetres of the 165 mm text width (the PDF and Word scale them to it): at 7.5 pt
    # condensed, a date, “quý IV/2025” or a number of 11 characters fits whole (a “/” would
    # otherwise be a break opportunity).
    return [
        Column(pgettext("cột báo cáo", "STT"), Kind.INTEGER, width=7),
        Column(_("Chỉ tiêu"), width=35),
        Column(_("Đơn vị tính"), width=13),
        Column(_("Kỳ này"), Kind.DECIMAL, width=15),
        Column(_("Kỳ trước"), Kind.DECIMAL, width=15),
        Column(_("Mục tiêu"), Kind.DECIMAL, width=14),
        Column(_("Thời hạn"), Kind.DATE, width=16),
        Column(_("Tình trạng"), width=19),
        Column(_("Số liệu đến"), width=17),
        # 14: the English heading's “Progress” ran past the column's right edge at 12.
        Column(_("Hoàn thành (%)"), Kind.DECIMAL, width=14, decimals=1),
    ]


def as_of_cell(line: IndicatorLine) -> str:
    """The “Số liệu đến” cell: the period the figures reach; for a period without its own value,
    the latest earlier value beside its period (“năm 2024: 13,51”), as the dashboards show it;
    then the provisional mark of the period's own value, if any."""
    view = line.progress
    reach = standings.as_of(view)
    if line.status == "no_data_this_period" and view is not None and view.value is not None:
        reach = f"{reach}: {local_number(view.value, decimals_of(line.indicator))}"
    return "; ".join(text for text in (reach, line.provisional) if text)


def indicator_rows(lines: list[IndicatorLine]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for number, line in enumerate(lines, start=1):
        progress = line.progress if line.has_target else None
        rows.append(
            [
                number,
                name_of(line.indicator),
                unit_label(line.indicator.unit),
                amount(line.value, line.indicator),
                amount(line.previous, line.indicator),
                amount(progress.target_value, line.indicator) if progress else None,
                progress.deadline if progress else None,
                line.status_label,
                as_of_cell(line),
                line.share_percent,
            ]
        )
    return rows


def legend(statuses: set[str]) -> list[tuple[str, str]]:
    """What each status shown in the report means, in the screens' order."""
    meanings = {
        "target_achieved": _("giá trị đã đạt hoặc vượt mục tiêu."),
        "substantial_progress": _("theo đà hiện nay sẽ đạt mục tiêu đúng thời hạn."),
        "moderate_progress": _("đang tiến tới mục tiêu nhưng cần đẩy nhanh để kịp thời hạn."),
        "limited_progress": _("tiến rất chậm so với yêu cầu, khó đạt mục tiêu đúng hạn."),
        "deterioration": _("giá trị đi ngược chiều mục tiêu."),
        "missed": _("đã quá thời hạn mà chưa đạt mục tiêu."),
        "data_quality": _("số liệu có giá trị không thể xảy ra, cần kiểm tra lại."),
        "no_data_this_period": _("kỳ này chưa có số liệu; cột “Số liệu đến” ghi kỳ và giá trị của số liệu gần nhất."),
        "not_available": _("chưa đủ số liệu để đánh giá."),
        "not_applicable": _("mục tiêu không áp dụng cho đơn vị."),
    }
    return [
        (standings.status_label(code), str(meanings.get(code, "")))
        for code in standings.statuses_best_first()
        if code in statuses
    ]


def progress_chart(lines: list[IndicatorLine]) -> Chart | None:
    """The indicators furthest from their targets first: what a reader of page 1 must see."""
    with_share = [line for line in lines if line.share_percent is not None]
    if not with_share:
        return None
    chosen = sorted(with_share, key=lambda line: (line.share_percent or 0, line.indicator.code))[:CHART_BARS]
    bars = [
        Bar(
            label=name_of(line.indicator),
            value=float(line.share_percent or 0),
            colour=standings.status_colour(line.status),
        )
        for line in chosen
    ]
    if len(chosen) < len(with_share):
        title = _(
            "Mức độ hoàn thành mục tiêu của %(count)d chỉ tiêu thấp nhất (%% quãng đường từ giá trị gốc đến mục tiêu)"
        ) % {"count": len(chosen)}
    else:
        title = _("Mức độ hoàn thành mục tiêu (%% quãng đường từ giá trị gốc đến mục tiêu)") % {}
    shown = {line.status for line in chosen}
    return Chart(
        title=title,
        bars=bars,
        legend=[
            (standings.status_colour(code), standings.status_label(code))
            for code in standings.statuses_best_first()
            if code in shown
        ],
    )


def appendix(lines: list[IndicatorLine]) -> Section:
    return Section(
        key="Mã chỉ tiêu",
        title=_("PHỤ LỤC: MÃ CHỈ TIÊU"),
        columns=[
            Column(pgettext("cột báo cáo", "STT"), Kind.INTEGER, width=5),
            Column(_("Mã"), width=30),
            Column(_("Chỉ tiêu"), width=70),
        ],
        rows=[[i, line.indicator.code, name_of(line.indicator)] for i, line in enumerate(lines, start=1)],
        small=True,
    )


# ---------------------------------------------------------------------------------------------
# what moved, what lags, what was missed, what needs checking


def movers(lines: list[IndicatorLine], title: str, period: Period) -> Section:
    changed: list[tuple[IndicatorLine, Decimal]] = []
    for line in lines:
        change = relative_change(line)
        if change is not None and change != 0:
            changed.append((line, change))
    ranked = sorted(changed, key=lambda pair: (-abs(pair[1]), pair[0].indicator.code))[:MOVERS]
    return Section(
        key="Thay đổi nhiều nhất",
        title=title,
        intro=_("So với %(previous)s; xếp theo mức thay đổi tương đối, lớn nhất trước.")
        % {"previous": period_label(period.previous())},
        columns=[
            Column(_("Chỉ tiêu"), width=40),
            Column(_("Đơn vị tính"), width=10),
            Column(_("Kỳ trước"), Kind.DECIMAL, width=13),
            Column(_("Kỳ này"), Kind.DECIMAL, width=13),
            Column(_("Thay đổi"), Kind.DECIMAL, width=13),
            Column(_("Thay đổi (%)"), Kind.DECIMAL, width=11, decimals=1),
        ],
        rows=[
            [
                name_of(line.indicator),
                unit_label(line.indicator.unit),
                amount(line.previous, line.indicator),
                amount(line.value, line.indicator),
                amount(line.change, line.indicator),
                change * 100,
            ]
            for line, change in ranked
        ],
        empty_text=_("Không có chỉ tiêu nào có số liệu của cả hai kỳ để so sánh."),
    )


def behind_schedule(lines: list[IndicatorLine], title: str, period: Period) -> Section:
    rows: list[list[Cell]] = []
    for line in lines:
        progress = line.progress
        if (
            progress is None
            or not line.has_target
            or line.status not in standings.BEHIND
            or progress.deadline is None
            or progress.deadline <= period.end
        ):
            continue
        months = months_until(period, progress.deadline)
        # The standings' own figure when they computed one; else from this period's value.
        needed = progress.required_monthly_change
        if needed is None and line.value is not None and progress.target_value is not None:
            needed = (progress.target_value - line.value) / months
        rows.append(
            [
                name_of(line.indicator),
                line.status_label,
                amount(line.value, line.indicator),
                amount(progress.target_value, line.indicator),
                progress.deadline,
                months,
                amount(needed, line.indicator)
                if needed is None
                else Amount(needed, max(decimals_of(line.indicator), 2)),
            ]
        )
    return Section(
        key="Chậm tiến độ",
        title=title,
        intro=_("Mức thay đổi cần đạt mỗi tháng = (mục tiêu − giá trị kỳ này) / số tháng còn lại đến thời hạn."),
        columns=[
            Column(_("Chỉ tiêu"), width=36),
            Column(_("Tình trạng"), width=12),
            Column(_("Kỳ này"), Kind.DECIMAL, width=12),
            Column(_("Mục tiêu"), Kind.DECIMAL, width=12),
            Column(_("Thời hạn"), Kind.DATE, width=11),
            Column(_("Số tháng còn lại"), Kind.INTEGER, width=9),
            Column(_("Cần thay đổi mỗi tháng"), Kind.DECIMAL, width=12),
        ],
        rows=rows,
        empty_text=_("Không có chỉ tiêu nào chậm tiến độ so với mục tiêu còn thời hạn."),
    )


def missed_targets(lines: list[IndicatorLine], title: str, period: Period) -> Section:
    rows: list[list[Cell]] = []
    for line in lines:
        progress = line.progress
        due = progress is not None and progress.deadline is not None and progress.deadline <= period.end
        if (
            progress is None
            or not line.has_target
            or line.status == standings.ACHIEVED
            or not (due or line.status == standings.MISSED)
        ):
            continue
        gap = (
            abs(progress.target_value - line.value)
            if line.value is not None and progress.target_value is not None
            else None
        )
        rows.append(
            [
                name_of(line.indicator),
                amount(progress.target_value, line.indicator),
                progress.deadline,
                amount(line.value, line.indicator),
                amount(gap, line.indicator),
                line.status_label,
            ]
        )
    return Section(
        key="Mục tiêu không đạt",
        title=title,
        columns=[
            Column(_("Chỉ tiêu"), width=40),
            Column(_("Mục tiêu"), Kind.DECIMAL, width=12),
            Column(_("Thời hạn"), Kind.DATE, width=11),
            Column(_("Kỳ này"), Kind.DECIMAL, width=12),
            Column(_("Còn thiếu"), Kind.DECIMAL, width=12),
            Column(_("Tình trạng"), width=12),
        ],
        rows=rows,
        empty_text=_("Không có mục tiêu nào đã đến hạn mà chưa đạt."),
    )


def quality_flags(line: IndicatorLine, period: Period) -> list[str]:
    """Why a figure needs checking before the report is signed (empty: nothing to check)."""
    flags = []
    indicator = line.indicator
    expected = _COARSENESS.get(Periodicity(indicator.periodicity), 0) <= _COARSENESS[period.periodicity]
    flagged = standings.flag_text(line.progress)
    if flagged:
        flags.append(flagged)
    if line.value is None:
        if expected:
            flags.append(_("Không có số liệu đã phê duyệt trong kỳ."))
        return flags
    change = relative_change(line)
    if change is not None and abs(change) > JUMP:
        flags.append(
            _("Thay đổi %(change)s%% so với kỳ trước: cần kiểm tra.") % {"change": _signed_percent(change * 100)}
        )
    if indicator.natural_limit is not None and line.value > indicator.natural_limit and not flagged:
        flags.append(_("Vượt giới hạn tự nhiên của chỉ tiêu."))
    if line.value < 0:
        flags.append(_("Giá trị âm."))
    return flags


def _signed_percent(value: Decimal) -> str:
    text = local_number(value, 1)
    return ("+" + text) if value > 0 else text


def data_quality(lines: list[IndicatorLine], title: str, period: Period) -> Section:
    rows: list[list[Cell]] = []
    for line in lines:
        for flag in quality_flags(line, period):
            rows.append([name_of(line.indicator), amount(line.value, line.indicator), flag])
    return Section(
        key="Chất lượng số liệu",
        title=title,
        columns=[
            Column(_("Chỉ tiêu"), width=44),
            Column(_("Kỳ này"), Kind.DECIMAL, width=13),
            Column(_("Cảnh báo"), width=43),
        ],
        rows=rows,
        empty_text=_("Không có cảnh báo về chất lượng số liệu."),
    )
