"""The national summary: all 34 units, for the ministry's reviewers (built by a Celery job)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from kpis.periods import Period
from tracker.exports import sections, selectors, standings
from tracker.exports.document import Cell, Column, Kind, ReportDocument, Section
from tracker.exports.letterhead import ministry_letterhead
from tracker.exports.periods import period_label, period_text
from tracker.exports.report_province import (
    as_of_sentence,
    cover_facts,
    highlights,
    indicator_sections,
    no_figures_text,
    numbered,
    rates_sentence,
    status_summary,
)
from tracker.exports.wording import name_of
from tracker.progress.models import Level
from tracker.reporting import clock


def _on_time_rates(rates: list[selectors.RateLine]) -> dict[int, Decimal | None]:
    """Province id -> share of its expected reports sent on time, every form together."""
    totals: dict[int, list[int]] = {}
    for rate in rates:
        if rate.province is None:
            continue
        pair = totals.setdefault(rate.province.pk, [0, 0])
        pair[0] += rate.on_time
        pair[1] += rate.expected
    return {pk: selectors.RateLine.percent(on_time, expected) for pk, (on_time, expected) in totals.items()}


def _missing_values(
    national: list[selectors.IndicatorLine],
    values: dict[tuple[int, int], Decimal | None],
    previous: dict[tuple[int, int], Decimal | None],
    province_id: int,
    period: Period,
) -> int:
    """The province's data-quality flags, counted as the province report lists them."""
    count = 0
    for line in national:
        own = selectors.IndicatorLine(
            indicator=line.indicator,
            value=values.get((line.indicator.pk, province_id)),
            previous=previous.get((line.indicator.pk, province_id)),
        )
        count += len(sections.quality_flags(own, period))
    return count


def province_standing_section(
    statuses: list[selectors.ProvinceStatusLine],
    national: list[selectors.IndicatorLine],
    values: dict[tuple[int, int], Decimal | None],
    previous: dict[tuple[int, int], Decimal | None],
    rates: list[selectors.RateLine],
    period: Period,
) -> Section:
    on_time = _on_time_rates(rates)
    ranked = sorted(
        statuses,
        key=lambda s: (
            -(s.on_track_share if s.on_track_share is not None else Decimal(-1)),
            -(on_time.get(s.province.pk) or Decimal(0)),
            s.province.code,
        ),
    )
    shown = standings.progress_statuses()
    status_columns = [Column(standings.status_label(code), Kind.INTEGER, width=8) for code in shown]
    rows: list[list[Cell]] = []
    for rank, line in enumerate(ranked, start=1):
        rows.append(
            [
                rank,
                name_of(line.province),
                line.on_track_share,
                *[line.counts.get(code, 0) for code in shown],
                sum(n for code, n in line.counts.items() if code not in shown),
                _missing_values(national, values, previous, line.province.pk, period),
                on_time.get(line.province.pk),
            ]
        )
    return Section(
        key="Theo tỉnh",
        title=_("TÌNH HÌNH CỦA CÁC TỈNH, THÀNH PHỐ VÀ XẾP HẠNG"),
        intro=_(
            "Xếp hạng theo tỷ lệ chỉ tiêu “%(achieved)s” hoặc “%(on_track)s” trong số chỉ tiêu đã đánh giá,"
            " rồi theo tỷ lệ báo cáo đúng hạn."
        )
        % {
            "achieved": standings.status_label("target_achieved"),
            "on_track": standings.status_label("substantial_progress"),
        },
        columns=[
            Column(_("Hạng"), Kind.INTEGER, width=6),
            Column(_("Tỉnh, thành phố"), width=17),
            Column(_("Đạt hoặc đúng tiến độ (%)"), Kind.DECIMAL, width=10, decimals=1),
            *status_columns,
            Column(_("Chưa đánh giá"), Kind.INTEGER, width=9),
            Column(_("Cảnh báo số liệu"), Kind.INTEGER, width=9),
            Column(_("Báo cáo đúng hạn (%)"), Kind.DECIMAL, width=9, decimals=1),
        ],
        rows=rows,
        empty_text=_("Chưa có tỉnh, thành phố nào."),
    )


def national_summary(
    *,
    period: Period,
    day: datetime.date | None = None,
    number: str = "",
    on_progress: Callable[[int], None] | None = None,
) -> ReportDocument:
    def step(percent: int) -> None:
        if on_progress is not None:
            on_progress(percent)

    day = day or clock.today()
    label = period_label(period)
    head = ministry_letterhead(day=day, number=number)
    national = selectors.indicator_lines(level=Level.NATIONAL, province=None, period=period)
    step(15)
    scores = selectors.index_scores(province=None, period=period)
    step(30)
    statuses, lagging_on = selectors.province_statuses(period=period)
    step(50)
    rates = selectors.reporting_rates(province=None, period=period)
    national_rates = selectors.reporting_rates(province=None, period=period, national=True)
    step(60)
    values = selectors.province_values(period=period)
    previous = selectors.province_values(period=period.previous())
    computed = selectors.computed_at(period=period)
    provinces = [line.province for line in statuses]
    step(70)
    with_value = [line for line in national if line.value is not None]

    lagging_indicators = sorted(
        (line for line in national if line.status in standings.LAGGING or lagging_on.get(line.indicator.pk)),
        key=lambda line: (-len(lagging_on.get(line.indicator.pk, [])), line.indicator.code),
    )
    parts: list[Section] = []
    intro = [
        capfirst(
            _(
                "%(issuer)s tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số %(period)s của %(count)d tỉnh,"
                " thành phố trực thuộc trung ương như sau:"
            )
            % {"issuer": head.issuer_name, "period": label, "count": len(provinces)}
        )
    ]
    if with_value:
        parts = indicator_sections(national, period, national=True)
        intro.append(
            _("Toàn quốc có số liệu của %(with)d/%(all)d chỉ tiêu; tình trạng thực hiện mục tiêu: %(summary)s.")
            % {"with": len(with_value), "all": len(national), "summary": status_summary([x.status for x in national])}
        )
        intro.append(highlights(national, period, parts))
        intro.append(as_of_sentence(computed))
    else:
        intro.append(no_figures_text(label))
    parts += [
        province_standing_section(statuses, national, values, previous, rates, period),
        Section(
            key="Chỉ tiêu chậm",
            title=_("CÁC CHỈ TIÊU CÓ TỈNH, THÀNH PHỐ CHẬM TIẾN ĐỘ"),
            intro=_(
                "Tình trạng toàn quốc tính trên số liệu cả nước; số tỉnh chậm đếm các tỉnh “%(limited)s”"
                " hoặc “%(down)s”."
            )
            % {
                "limited": standings.status_label("limited_progress"),
                "down": standings.status_label("deterioration"),
            },
            columns=[
                Column(_("Chỉ tiêu"), width=34),
                Column(_("Tình trạng toàn quốc"), width=13),
                Column(_("Số tỉnh chậm"), Kind.INTEGER, width=9),
                Column(_("Các tỉnh chậm"), width=50),
            ],
            rows=[
                [
                    name_of(line.indicator),
                    line.status_label,
                    len(lagging_on.get(line.indicator.pk, [])),
                    ", ".join(name_of(p) for p in lagging_on.get(line.indicator.pk, [])),
                ]
                for line in lagging_indicators
            ],
            empty_text=_("Không có chỉ tiêu nào chậm tiến độ."),
        ),
        Section(
            key="Xếp hạng",
            title=_("XẾP HẠNG CHỈ SỐ TỔNG HỢP"),
            columns=[
                Column(_("Chỉ số"), width=36),
                Column(_("Kỳ"), width=12),
                Column(_("Xếp hạng"), Kind.INTEGER, width=9),
                Column(_("Tỉnh, thành phố"), width=26),
                Column(_("Điểm"), Kind.DECIMAL, width=11, decimals=4),
            ],
            rows=[
                [name_of(s.index), period_text(s.period), s.rank, name_of(s.province) if s.province else "", s.score]
                for s in scores
            ],
            empty_text=_("Chưa có điểm chỉ số tổng hợp cho kỳ này."),
        ),
        Section(
            key="Tỷ lệ báo cáo",
            title=_("TỶ LỆ BÁO CÁO"),
            intro=rates_sentence(national_rates or rates),
            columns=[
                Column(_("Biểu mẫu"), width=28),
                Column(_("Tỉnh, thành phố"), width=20),
                Column(_("Phải nộp"), Kind.INTEGER, width=8),
                Column(_("Đã nộp"), Kind.INTEGER, width=8),
                Column(_("Đúng hạn"), Kind.INTEGER, width=8),
                Column(_("Đã phê duyệt"), Kind.INTEGER, width=9),
                Column(_("Tỷ lệ nộp (%)"), Kind.DECIMAL, width=9, decimals=1),
                Column(_("Tỷ lệ đúng hạn (%)"), Kind.DECIMAL, width=10, decimals=1),
            ],
            rows=[
                [
                    name_of(r.form),
                    name_of(r.province) if r.province else "",
                    r.expected,
                    r.received,
                    r.on_time,
                    r.approved,
                    selectors.RateLine.percent(r.received, r.expected),
                    selectors.RateLine.percent(r.on_time, r.expected),
                ]
                for r in rates
            ],
            empty_text=_("Chưa có số liệu về tỷ lệ báo cáo của kỳ này."),
        ),
        Section(
            key="Chi tiết theo tỉnh",
            title=_("GIÁ TRỊ CHỈ TIÊU THEO TỈNH, THÀNH PHỐ"),
            columns=[Column(_("Tỉnh, thành phố"), width=22)]
            + [Column(name_of(line.indicator), Kind.DECIMAL, width=16) for line in national],
            rows=[
                [
                    name_of(p),
                    *[sections.amount(values.get((line.indicator.pk, p.pk)), line.indicator) for line in national],
                ]
                for p in provinces
            ],
            empty_text=_("Chưa có tỉnh, thành phố nào."),
        ),
    ]
    if with_value:
        parts.append(sections.appendix(national))
    step(80)
    return ReportDocument(
        letterhead=head,
        title=_("BÁO CÁO"),
        subject=_("Tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số %(period)s của các tỉnh, thành phố")
        % {"period": label},
        filename=f"bao-cao-toan-quoc-{slugify(str(period))}",
        intro=intro,
        sections=numbered(parts),
        closing=[_("Trân trọng báo cáo./.")],
        chart=sections.progress_chart(national) if with_value else None,
        legend=sections.legend({line.status for line in national}) if with_value else [],
        facts=cover_facts(period=period, computed=computed, scope=_("34 tỉnh, thành phố và toàn quốc")),
        page_label=_("Trang"),
    )
