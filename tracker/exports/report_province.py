"""The province's compliance report: one province and period, for its approver to sign and send."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpis.periods import Period
from provinces.models import Province
from tracker.exports import sections, selectors, standings
from tracker.exports.document import Column, Kind, ReportDocument, Section
from tracker.exports.letterhead import province_letterhead
from tracker.exports.numbers import local_number
from tracker.exports.periods import date_text, period_label, period_text
from tracker.exports.wording import english, name_of
from tracker.reporting import clock

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def numbered(items: list[Section]) -> list[Section]:
    """Roman numerals in order, the appendix (small print) last and unnumbered by this step."""
    number = 0
    for section in items:
        if not section.small:
            section.title = f"{ROMAN[number]}. {section.title}"
            number += 1
    return items


def status_summary(statuses: list[str]) -> str:
    parts = []
    for status in standings.statuses_best_first():
        count = statuses.count(status)
        if count:
            parts.append(
                ngettext("%(count)d chỉ tiêu “%(status)s”", "%(count)d chỉ tiêu “%(status)s”", count)
                % {"count": count, "status": standings.status_label(status)}
            )
    return ", ".join(parts) or _("chưa có đánh giá")


def as_of_sentence(computed: datetime.datetime | None) -> str:
    text = _(
        "Tình trạng của mỗi chỉ tiêu được đánh giá theo số liệu đã phê duyệt đến kỳ ghi ở cột “Số liệu đến”,"
        " cùng cách đánh giá với trang tổng quan."
    )
    if computed is not None:
        text += " " + _("Số liệu được tổng hợp lúc %(time)s.") % {"time": date_text(computed)}
    return text


def highlights(lines: list[selectors.IndicatorLine], period: Period, parts: list[Section]) -> str:
    by_key = {s.key: len(s.rows) for s in parts}
    return _(
        "Trong đó: %(behind)d chỉ tiêu chậm tiến độ so với mục tiêu còn thời hạn; %(missed)d mục tiêu đã đến hạn"
        " chưa đạt; %(flags)d cảnh báo về chất lượng số liệu."
    ) % {
        "behind": by_key.get("Chậm tiến độ", 0),
        "missed": by_key.get("Mục tiêu không đạt", 0),
        "flags": by_key.get("Chất lượng số liệu", 0),
    }


def indicator_sections(lines: list[selectors.IndicatorLine], period: Period, *, national: bool) -> list[Section]:
    return [
        Section(
            key="Chỉ tiêu toàn quốc" if national else "Chỉ tiêu",
            title=_("KẾT QUẢ CÁC CHỈ TIÊU TRÊN TOÀN QUỐC") if national else _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
            columns=sections.indicator_columns(),
            rows=sections.indicator_rows(lines),
            empty_text=_("Danh mục chưa có chỉ tiêu nào."),
        ),
        sections.movers(lines, _("CÁC CHỈ TIÊU THAY ĐỔI NHIỀU NHẤT SO VỚI KỲ TRƯỚC"), period),
        sections.behind_schedule(lines, _("CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ"), period),
        sections.missed_targets(lines, _("CÁC MỤC TIÊU ĐÃ ĐẾN HẠN CHƯA ĐẠT"), period),
        sections.data_quality(lines, _("CHẤT LƯỢNG SỐ LIỆU"), period),
    ]


def no_figures_text(label: str) -> str:
    return _(
        "Kỳ %(period)s chưa có số liệu đã phê duyệt nên báo cáo không có bảng kết quả chỉ tiêu;"
        " dưới đây là tình hình nộp báo cáo của kỳ."
    ) % {"period": label}


def province_report(
    *, province: Province, period: Period, day: datetime.date | None = None, number: str = ""
) -> ReportDocument:
    day = day or clock.today()
    label = period_label(period)
    head = province_letterhead(province=province, day=day, number=number)
    lines = selectors.indicator_lines(level=selectors.Level.PROVINCE, province=province, period=period)
    scores = selectors.index_scores(province=province, period=period)
    record = selectors.reporting_record(province=province, period=period)
    rates = selectors.reporting_rates(province=province, period=period)
    computed = selectors.computed_at(period=period)
    with_value = [line for line in lines if line.value is not None]
    province_name = name_of(province)

    intro = [
        capfirst(
            _(
                "Thực hiện chế độ báo cáo về chuyển đổi số, %(issuer)s báo cáo kết quả thực hiện các chỉ tiêu chuyển"
                " đổi số %(period)s của %(province)s như sau:"
            )
            % {"issuer": head.issuer_name, "period": label, "province": _lower_first(province_name)}
        ),
    ]
    parts: list[Section] = []
    chart = None
    if with_value:
        parts = indicator_sections(lines, period, national=False)
        intro.append(
            _("Trong kỳ có số liệu của %(with)d/%(all)d chỉ tiêu; tình trạng thực hiện mục tiêu: %(summary)s.")
            % {"with": len(with_value), "all": len(lines), "summary": status_summary([x.status for x in lines])}
        )
        intro.append(highlights(lines, period, parts))
        intro.append(as_of_sentence(computed))
        chart = sections.progress_chart(lines)
    else:
        intro.append(no_figures_text(label))
    parts += [
        Section(
            key="Chỉ số tổng hợp",
            title=_("CHỈ SỐ TỔNG HỢP"),
            columns=[
                Column(_("Chỉ số"), width=44),
                Column(_("Kỳ"), width=14),
                Column(_("Điểm"), Kind.DECIMAL, width=12, decimals=4),
                Column(_("Xếp hạng"), Kind.INTEGER, width=10),
                Column(_("Số đơn vị xếp hạng"), Kind.INTEGER, width=12),
            ],
            rows=[[name_of(s.index), period_text(s.period), s.score, s.rank, s.of] for s in scores],
            empty_text=_("Chưa có điểm chỉ số tổng hợp cho kỳ này."),
        ),
        Section(
            key="Tình hình báo cáo",
            title=_("TÌNH HÌNH BÁO CÁO"),
            intro=rates_sentence(rates),
            columns=[
                Column(_("Biểu mẫu"), width=30),
                Column(_("Kỳ"), width=13),
                Column(_("Đơn vị báo cáo"), width=16),
                Column(_("Trạng thái"), width=12),
                Column(_("Ngày gửi"), Kind.DATETIME, width=11),
                Column(_("Ngày phê duyệt"), Kind.DATETIME, width=11),
                Column(_("Hạn nộp"), Kind.DATE, width=11),
                Column(_("Đúng hạn"), width=11),
            ],
            rows=[
                [
                    name_of(line.form),
                    period_text(line.period),
                    name_of(line.unit)
                    if line.unit.pk == province.pk
                    else _("%(name)s (cũ)") % {"name": name_of(line.unit)},
                    line.status_label,
                    line.submitted_at,
                    line.approved_at,
                    line.due,
                    timeliness(line),
                ]
                for line in record
            ],
            empty_text=_("Chưa có báo cáo nào của kỳ này."),
        ),
    ]
    if with_value:
        parts.append(sections.appendix(lines))
    return ReportDocument(
        letterhead=head,
        title=_("BÁO CÁO"),
        subject=_("Kết quả thực hiện các chỉ tiêu chuyển đổi số %(period)s") % {"period": label},
        filename=f"bao-cao-{province.code}-{slugify(str(period))}",
        intro=intro,
        sections=numbered(parts),
        closing=[_("Trân trọng báo cáo./.")],
        chart=chart,
        legend=sections.legend({line.status for line in lines}) if with_value else [],
        facts=cover_facts(period=period, computed=computed, scope=province_name),
        page_label=_("Trang"),
    )


def cover_facts(*, period: Period, computed: datetime.datetime | None, scope: str) -> list[tuple[str, str]]:
    return [
        (_("Kỳ báo cáo"), f"{period_label(period)} ({period})"),
        (_("Phạm vi"), scope),
        (_("Số liệu tổng hợp lúc"), date_text(computed) if computed else _("chưa tổng hợp")),
        (_("Lập báo cáo lúc"), date_text(clock.now())),
        (_("Bộ lọc"), _("mọi chỉ tiêu của danh mục; số liệu đã phê duyệt")),
        (_("Tình trạng"), _("cùng nguồn và cách đánh giá với trang tổng quan")),
    ]


def _lower_first(text: str) -> str:
    """“Tỉnh An Giang” inside a sentence is “tỉnh An Giang”; English names keep their capitals."""
    return text if english() else text[:1].lower() + text[1:]


def timeliness(line: selectors.SubmissionLine) -> str:
    if line.submitted_at is None:
        if line.days_late:
            return _("Chưa nộp, quá hạn %(days)d ngày") % {"days": line.days_late}
        # not submitted and the due day not passed: neither late nor missing
        return _("Chưa đến hạn (hạn nộp %(due)s)") % {"due": date_text(line.due)}
    return _("Trễ %(days)d ngày") % {"days": line.days_late} if line.days_late else _("Đúng hạn")


def rates_sentence(rates: list[selectors.RateLine]) -> str:
    """The period's reporting in one sentence. Reports neither received nor past their due day are
    counted apart, and the on-time rate is of the others (received, or overdue), so an open
    month is not "late"."""
    expected = sum(r.expected for r in rates)
    if not expected:
        return ""
    received = sum(r.received for r in rates)
    on_time = sum(r.on_time for r in rates)
    approved = sum(r.approved for r in rates)
    not_due = sum(r.not_due for r in rates)
    judged = expected - not_due  # received, or overdue
    counts = {"expected": expected, "received": received, "on_time": on_time, "approved": approved}
    if not not_due:
        return _(
            "Số báo cáo phải nộp: %(expected)d; đã nộp: %(received)d; đúng hạn: %(on_time)d; đã phê duyệt: %(approved)d"
            " (tỷ lệ nộp %(received_rate)s%%, đúng hạn %(on_time_rate)s%%)."
        ) % {
            **counts,
            "received_rate": local_number(Decimal(received) * 100 / expected, 1),
            "on_time_rate": local_number(Decimal(on_time) * 100 / expected, 1),
        }
    if not judged:
        return _("Số báo cáo phải nộp: %(expected)d; chưa đến hạn nộp, chưa báo cáo nào được nộp.") % counts
    return _(
        "Số báo cáo phải nộp: %(expected)d, trong đó %(not_due)d chưa nộp, chưa đến hạn; đã nộp: %(received)d; "
        "đúng hạn: %(on_time)d; đã phê duyệt: %(approved)d (đúng hạn %(on_time_rate)s%% số báo cáo đã nộp hoặc "
        "đã quá hạn)."
    ) % {**counts, "not_due": not_due, "on_time_rate": local_number(Decimal(on_time) * 100 / judged, 1)}
