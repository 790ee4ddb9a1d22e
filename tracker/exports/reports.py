"""The two compliance reports as documents, and their rendering to PDF, XLSX or CSV.

- province_report: one province and period, for the province's approver to sign and send;
- national_summary: all 34 units, for the ministry's reviewers (built by a Celery job).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from kpis.models import Indicator
from kpis.periods import Period
from provinces.models import Province
from tracker.exports import selectors
from tracker.exports.csvfile import write_csv
from tracker.exports.document import Bar, Cell, Chart, Column, Kind, ReportDocument, Section
from tracker.exports.letterhead import ministry_letterhead, province_letterhead
from tracker.exports.numbers import vn_number
from tracker.exports.pdf import write_pdf
from tracker.exports.periods import period_label
from tracker.exports.xlsx import write_xlsx
from tracker.progress import vocabulary
from tracker.progress.models import Level, ProgressStatus
from tracker.reporting import clock

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
WRITERS: dict[str, Callable[[ReportDocument], bytes]] = {"pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv}
# The national XLSX/CSV carry a province × indicator detail sheet that would take dozens of printed pages.
PDF_SKIPS = {"Chi tiết theo tỉnh"}
# XLSX sheet names in the reader's language, by section key. Keys stay Vietnamese whatever the
# language (PDF_SKIPS compares them); English names keep within Excel's 31 characters.
SHEET_NAMES = {
    "Chỉ tiêu": pgettext_lazy("trang tính", "Chỉ tiêu"),
    "Chỉ số tổng hợp": pgettext_lazy("trang tính", "Chỉ số tổng hợp"),
    "Tình hình báo cáo": pgettext_lazy("trang tính", "Tình hình báo cáo"),
    "Chỉ tiêu toàn quốc": pgettext_lazy("trang tính", "Chỉ tiêu toàn quốc"),
    "Xếp hạng": pgettext_lazy("trang tính", "Xếp hạng"),
    "Chỉ tiêu chậm": pgettext_lazy("trang tính", "Chỉ tiêu chậm"),
    "Tỉnh chậm": pgettext_lazy("trang tính", "Tỉnh chậm"),
    "Tỷ lệ báo cáo": pgettext_lazy("trang tính", "Tỷ lệ báo cáo"),
    "Chi tiết theo tỉnh": pgettext_lazy("trang tính", "Chi tiết theo tỉnh"),
}


def sheet_name(key: str) -> str:
    """A section's sheet name in the active language; a key without a translation names itself."""
    return str(SHEET_NAMES.get(key, key))


@dataclass(frozen=True)
class Rendered:
    filename: str
    content: bytes
    content_type: str


# The statuses a report counts, in this order; labels from tracker.progress.vocabulary.
REPORTED_STATUSES = [*(s.value for s in ProgressStatus), vocabulary.NO_DATA_THIS_PERIOD]
ALWAYS_REPORTED = {
    ProgressStatus.TARGET_ACHIEVED,
    ProgressStatus.SUBSTANTIAL,
    ProgressStatus.MODERATE,
    ProgressStatus.LIMITED,
    ProgressStatus.DETERIORATION,
    ProgressStatus.NOT_AVAILABLE,
}


def _status_summary(statuses: list[str]) -> str:
    parts = []
    for status in REPORTED_STATUSES:
        count = statuses.count(status)
        if count:
            parts.append(f"{count} chỉ tiêu “{vocabulary.status_label(status)}”")
    return ", ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


INDICATOR_COLUMNS = [
    Column("STT", Kind.INTEGER, width=9),
    Column("Mã", width=17),
    Column("Chỉ tiêu", width=28),
    Column("Đơn vị tính", width=9),
    Column("Kỳ này", Kind.DECIMAL, width=11),
    Column("Kỳ trước", Kind.DECIMAL, width=11),
    Column("Thay đổi", Kind.DECIMAL, width=10),
    Column("Mục tiêu", Kind.DECIMAL, width=10),
    Column("Thời hạn", Kind.DATE, width=18),
    Column("Tình trạng", width=13),
    Column("Hoàn thành (%)", Kind.DECIMAL, width=11, decimals=1),
]


def _indicator_rows(lines: list[selectors.IndicatorLine]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for number, line in enumerate(lines, start=1):
        progress = line.progress
        rows.append(
            [
                number,
                line.indicator.code,
                line.indicator.name,
                line.indicator.unit,
                line.value,
                line.previous,
                line.change,
                progress.target_value if progress and progress.target_id else None,
                progress.deadline if progress and progress.target_id else None,
                line.status_label,
                line.share_percent,
            ]
        )
    return rows


def _progress_chart(lines: list[selectors.IndicatorLine]) -> Chart:
    bars = [
        Bar(label=f"{line.indicator.code} {line.indicator.name}", value=float(line.share_percent))
        for line in lines
        if line.share_percent is not None
    ]
    return Chart(title="Mức độ hoàn thành mục tiêu (% quãng đường từ giá trị gốc đến mục tiêu)", bars=bars)


def province_report(
    *, province: Province, period: Period, day: datetime.date | None = None, number: str = ""
) -> ReportDocument:
    day = day or clock.today()
    label = period_label(period)
    head = province_letterhead(province=province, day=day, number=number)
    lines = selectors.indicator_lines(level=Level.PROVINCE, province=province, period=period)
    scores = selectors.index_scores(province=province, period=period)
    record = selectors.reporting_record(province=province, period=period)
    rates = selectors.reporting_rates(province=province, period=period)
    with_value = [line for line in lines if line.value is not None]
    statuses = [line.status for line in lines]

    intro = [
        f"Thực hiện chế độ báo cáo về chuyển đổi số, {head.issuer_name} báo cáo kết quả thực hiện các"
        f" chỉ tiêu chuyển đổi số {label} của {_lower_first(province.name)} như sau:",
        f"Trong kỳ có số liệu của {len(with_value)}/{len(lines)} chỉ tiêu; tình trạng thực hiện mục tiêu: "
        + (_status_summary(statuses) or "chưa có đánh giá")
        + ".",
    ]
    sections = [
        Section(
            key="Chỉ tiêu",
            title="I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            columns=INDICATOR_COLUMNS,
            rows=_indicator_rows(lines),
            chart=_progress_chart(lines),
            empty_text="Danh mục chưa có chỉ tiêu nào.",
        ),
        Section(
            key="Chỉ số tổng hợp",
            title="II. CHỈ SỐ TỔNG HỢP",
            columns=[
                Column("Chỉ số", width=40),
                Column("Kỳ", width=12),
                Column("Điểm", Kind.DECIMAL, width=10, decimals=4),
                Column("Xếp hạng", Kind.INTEGER, width=9),
                Column("Số đơn vị xếp hạng", Kind.INTEGER, width=11),
            ],
            rows=[[s.index.name, s.period, s.score, s.rank, s.of] for s in scores],
            empty_text="Chưa có điểm chỉ số tổng hợp cho kỳ này.",
        ),
        Section(
            key="Tình hình báo cáo",
            title="III. TÌNH HÌNH BÁO CÁO",
            intro=_rates_sentence(rates),
            columns=[
                Column("Biểu mẫu", width=26),
                Column("Kỳ", width=12),
                Column("Đơn vị báo cáo", width=18),
                Column("Trạng thái", width=13),
                Column("Ngày gửi", Kind.DATETIME, width=16),
                Column("Ngày phê duyệt", Kind.DATETIME, width=16),
                Column("Hạn nộp", Kind.DATE, width=17),
                Column("Đúng hạn", width=12),
            ],
            rows=[
                [
                    line.form.name,
                    line.period,
                    line.unit.name if line.unit.pk == province.pk else f"{line.unit.name} (cũ)",
                    line.status_label,
                    line.submitted_at,
                    line.approved_at,
                    line.due,
                    _timeliness(line),
                ]
                for line in record
            ],
            empty_text="Chưa có báo cáo nào của kỳ này.",
        ),
    ]
    return ReportDocument(
        letterhead=head,
        title="BÁO CÁO",
        subject=f"Kết quả thực hiện các chỉ tiêu chuyển đổi số {label}",
        filename=f"bao-cao-{province.code}-{slugify(str(period))}",
        intro=intro,
        sections=sections,
        closing=["Trân trọng báo cáo./."],
    )


def _timeliness(line: selectors.SubmissionLine) -> str:
    if line.submitted_at is None:
        return f"Chưa nộp, quá hạn {line.days_late} ngày" if line.days_late else "Chưa nộp"
    return f"Trễ {line.days_late} ngày" if line.days_late else "Đúng hạn"


def _rates_sentence(rates: list[selectors.RateLine]) -> str:
    expected = sum(r.expected for r in rates)
    if not expected:
        return ""
    received = sum(r.received for r in rates)
    on_time = sum(r.on_time for r in rates)
    approved = sum(r.approved for r in rates)
    return (
        f"Số báo cáo phải nộp: {expected}; đã nộp: {received}; đúng hạn: {on_time}; đã phê duyệt: {approved}"
        f" (tỷ lệ nộp {vn_number(Decimal(received) * 100 / expected, 1)}%, đúng hạn"
        f" {vn_number(Decimal(on_time) * 100 / expected, 1)}%)."
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
    provinces = [line.province for line in statuses]
    step(70)

    lagging_indicators = sorted(
        (line for line in national if line.status in selectors.LAGGING or lagging_on.get(line.indicator.pk)),
        key=lambda line: (-len(lagging_on.get(line.indicator.pk, [])), line.indicator.code),
    )
    lagging_provinces = sorted(
        (s for s in statuses if s.lagging_count), key=lambda s: (-s.lagging_count, s.province.code)
    )
    # The six progress statuses always; the others (missed, data quality, no data this period) only
    # when some province is in them, so that paper keeps room for the names.
    shown_statuses = [
        status
        for status in REPORTED_STATUSES
        if status in ALWAYS_REPORTED or any(line.counts.get(status) for line in statuses)
    ]
    status_columns = [Column(vocabulary.status_label(s), Kind.INTEGER, width=9) for s in shown_statuses]

    sections = [
        Section(
            key="Chỉ tiêu toàn quốc",
            title="I. KẾT QUẢ CÁC CHỈ TIÊU TRÊN TOÀN QUỐC",
            columns=INDICATOR_COLUMNS,
            rows=_indicator_rows(national),
            chart=_progress_chart(national),
            empty_text="Danh mục chưa có chỉ tiêu nào.",
        ),
        Section(
            key="Xếp hạng",
            title="II. XẾP HẠNG CHỈ SỐ TỔNG HỢP",
            columns=[
                Column("Chỉ số", width=30),
                Column("Kỳ", width=11),
                Column("Xếp hạng", Kind.INTEGER, width=8),
                Column("Mã", width=5),
                Column("Tỉnh, thành phố", width=24),
                Column("Điểm", Kind.DECIMAL, width=10, decimals=4),
            ],
            rows=[
                [
                    s.index.name,
                    s.period,
                    s.rank,
                    s.province.code if s.province else "",
                    s.province.name if s.province else "",
                    s.score,
                ]
                for s in scores
            ],
            empty_text="Chưa có điểm chỉ số tổng hợp cho kỳ này.",
        ),
        Section(
            key="Chỉ tiêu chậm",
            title="III. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ",
            columns=[
                Column("Mã", width=17),
                Column("Chỉ tiêu", width=34),
                Column("Tình trạng toàn quốc", width=14),
                Column("Số tỉnh chậm", Kind.INTEGER, width=9),
                Column("Các tỉnh chậm", width=40),
            ],
            rows=[
                [
                    line.indicator.code,
                    line.indicator.name,
                    line.status_label,
                    len(lagging_on.get(line.indicator.pk, [])),
                    ", ".join(p.name for p in lagging_on.get(line.indicator.pk, [])),
                ]
                for line in lagging_indicators
            ],
            empty_text="Không có chỉ tiêu nào chậm tiến độ.",
        ),
        Section(
            key="Tỉnh chậm",
            title="IV. TÌNH TRẠNG THỰC HIỆN CỦA CÁC TỈNH, THÀNH PHỐ",
            intro=(
                f"{len(lagging_provinces)}/{len(statuses)} tỉnh, thành phố có chỉ tiêu “Chậm” hoặc “Đi xuống”;"
                " bảng xếp theo số chỉ tiêu chậm giảm dần."
            ),
            columns=[
                Column("Mã", width=5),
                Column("Tỉnh, thành phố", width=22),
                *status_columns,
                Column("Chỉ tiêu chậm", width=30),
            ],
            rows=[
                [
                    s.province.code,
                    s.province.name,
                    *[s.counts.get(k, 0) for k in shown_statuses],
                    ", ".join(s.lagging),
                ]
                for s in sorted(statuses, key=lambda s: (-s.lagging_count, s.province.code))
            ],
            empty_text="Chưa có tỉnh, thành phố nào.",
        ),
        Section(
            key="Tỷ lệ báo cáo",
            title="V. TỶ LỆ BÁO CÁO",
            intro=_rates_sentence(national_rates or rates),
            columns=[
                Column("Biểu mẫu", width=24),
                Column("Mã", width=5),
                Column("Tỉnh, thành phố", width=22),
                Column("Phải nộp", Kind.INTEGER, width=8),
                Column("Đã nộp", Kind.INTEGER, width=8),
                Column("Đúng hạn", Kind.INTEGER, width=8),
                Column("Đã phê duyệt", Kind.INTEGER, width=9),
                Column("Tỷ lệ nộp (%)", Kind.DECIMAL, width=9, decimals=1),
                Column("Tỷ lệ đúng hạn (%)", Kind.DECIMAL, width=10, decimals=1),
            ],
            rows=[
                [
                    r.form.name,
                    r.province.code if r.province else "",
                    r.province.name if r.province else "",
                    r.expected,
                    r.received,
                    r.on_time,
                    r.approved,
                    selectors.RateLine.percent(r.received, r.expected),
                    selectors.RateLine.percent(r.on_time, r.expected),
                ]
                for r in rates
            ],
            empty_text="Chưa có số liệu về tỷ lệ báo cáo của kỳ này.",
        ),
        Section(
            key="Chi tiết theo tỉnh",
            title="VI. GIÁ TRỊ CHỈ TIÊU THEO TỈNH, THÀNH PHỐ",
            columns=[Column("Mã", width=5), Column("Tỉnh, thành phố", width=22)]
            + [Column(line.indicator.code, Kind.DECIMAL, width=12) for line in national],
            rows=[[p.code, p.name, *[values.get((line.indicator.pk, p.pk)) for line in national]] for p in provinces],
            empty_text="Chưa có tỉnh, thành phố nào.",
        ),
    ]
    step(80)
    with_value = [line for line in national if line.value is not None]
    intro = [
        f"{head.issuer_name} tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số {label} của"
        f" {len(provinces)} tỉnh, thành phố trực thuộc trung ương như sau:",
        f"Toàn quốc có số liệu của {len(with_value)}/{len(national)} chỉ tiêu; tình trạng thực hiện mục tiêu: "
        + (_status_summary([line.status for line in national]) or "chưa có đánh giá")
        + ".",
    ]
    return ReportDocument(
        letterhead=head,
        title="BÁO CÁO",
        subject=f"Tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số {label} của các tỉnh, thành phố",
        filename=f"bao-cao-toan-quoc-{slugify(str(period))}",
        intro=intro,
        sections=sections,
        closing=["Trân trọng báo cáo./."],
    )


def render_document(document: ReportDocument, file_format: str) -> Rendered:
    if file_format == "pdf":
        document = ReportDocument(
            letterhead=document.letterhead,
            title=document.title,
            subject=document.subject,
            filename=document.filename,
            intro=document.intro,
            sections=[s for s in document.sections if s.key not in PDF_SKIPS],
            closing=document.closing,
        )
    if file_format == "xlsx":
        sections = [dataclasses.replace(s, key=sheet_name(s.key)) for s in document.sections]
        document = dataclasses.replace(document, sections=sections)
    content = WRITERS[file_format](document)
    return Rendered(
        filename=f"{document.filename}.{file_format}", content=content, content_type=CONTENT_TYPES[file_format]
    )


def render(
    *,
    kind: str,
    file_format: str,
    period: Period,
    province: Province | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Rendered:
    if kind == "province":
        assert province is not None  # noqa: S101 - the job model requires it for this kind
        return render_document(province_report(province=province, period=period), file_format)
    document = national_summary(period=period, on_progress=on_progress)
    rendered = render_document(document, file_format)
    if on_progress is not None:
        on_progress(95)
    return rendered


def open_sdg_csv(*, indicator: Indicator) -> Rendered:
    """Open SDG data file of one indicator: Year, Units, the Province disaggregation, Value.

    Headline (national) rows leave the disaggregation empty, as Open SDG expects.
    """
    from tracker.exports.csvfile import csv_rows

    rows: list[list[Cell]] = [
        [year, indicator.unit, province.name if province else "", value]
        for year, province, value in selectors.open_sdg_series(indicator=indicator)
        if value is not None
    ]
    text = csv_rows(["Year", "Units", "Province", "Value"], rows, bom=False)
    return Rendered(
        filename=f"indicator_{slugify(indicator.code)}.csv",
        content=text.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
