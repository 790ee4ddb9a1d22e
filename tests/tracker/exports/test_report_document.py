"""The province report reads like one, in PDF and in Word: the chart on page 1 under the summary,
tables whose cells keep every word and number whole, periods in words, page numbers “Trang 2/3”,
statuses as the dashboards show them, and an English version without Vietnamese labels."""

import datetime
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from kpis.models import CompositeIndex, Indicator, ReportForm
from kpis.periods import Period
from tests.tracker.exports.conftest import NOW, _value, api
from tracker.dashboards import palette
from tracker.exports import reports, sections
from tracker.exports.pdf import display_cell
from tracker.progress import selectors as progress_selectors
from tracker.progress.models import Level, ProgressStatus, Standing, TargetProgress

URL = "/api/v1/reports/province/"
Q4 = Period.parse("2025-Q4")
LONG_NAME = "Tổng giá trị giao dịch thương mại điện tử của doanh nghiệp nhỏ và vừa trên địa bàn tỉnh"


@pytest.fixture
def big_figures(computed, an_giang):
    """A third indicator with a long name and a figure of many digits, the kind that used to be cut."""
    trade = Indicator.objects.create(
        code="TMDT_GIA_TRI_GIAO_DICH_DN",
        name=LONG_NAME,
        name_en="E-commerce transactions of small and medium enterprises",
        numerator="DVC_RECEIVED",
        unit="tỷ đồng",
    )
    q4 = ("2025-Q4", "quarterly", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    q3 = ("2025-Q3", "quarterly", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    _value(trade, Level.PROVINCE, an_giang, *q4, Decimal("12345678.91"))
    _value(trade, Level.PROVINCE, an_giang, *q3, Decimal("2345678.5"))
    TargetProgress.objects.create(
        indicator=trade,
        level=Level.PROVINCE,
        province=an_giang,
        method=TargetProgress.Method.TREND,
        status=ProgressStatus.SUBSTANTIAL,
        current_period="2025-12",
        computed_at=NOW,
    )
    Standing.objects.create(
        indicator=trade,
        level=Level.PROVINCE,
        province=an_giang,
        period="2025-Q4",
        periodicity="quarterly",
        period_end=datetime.date(2025, 12, 31),
        status=ProgressStatus.SUBSTANTIAL,
        value_period="2025-Q4",
        computed_at=NOW,
    )
    return trade


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _tokens(text: str) -> set[str]:
    return set(text.split())


def _docx_text(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


VIETNAMESE_LETTER = re.compile(r"[đĐ]")


def _vietnamese_words(text: str, proper_names: list[str]) -> list[str]:
    """Words carrying Vietnamese diacritics (tone marks, ă â ê ô ơ ư đ) outside the proper names."""
    for name in proper_names:
        text = text.replace(name, "")
    found = []
    for word in text.split():
        marks = [c for c in unicodedata.normalize("NFD", word) if 0x300 <= ord(c) <= 0x323]
        if marks or VIETNAMESE_LETTER.search(word):
            found.append(word)
    return found


@pytest.mark.django_db
def test_page_one_holds_the_summary_then_the_chart_and_page_two_is_numbered(big_figures, approver_91):
    # when
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "pdf"})

    # then: the chart (its title, every bar's label and value, its axis) is drawn on page 1, below the summary
    assert response.status_code == 200
    pages = _pages(response.content)
    first = " ".join(pages[0].split())
    chart_at = first.index("Mức độ hoàn thành mục tiêu (% quãng đường từ giá trị gốc đến mục tiêu)")
    assert first.index("Trong kỳ có số liệu của 3/3 chỉ tiêu") < chart_at
    for passage in ["Số trạm phát sóng 5G 40", "Tỷ lệ hồ sơ trực tuyến toàn trình 82,5", "0 25 50 75 100"]:
        assert passage in first[chart_at:] or passage in first
    # the bars are filled in the dashboards' status colours (Chậm orange, Cần đẩy nhanh yellow)
    stream = PdfReader(io.BytesIO(response.content)).pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert "0.901961 0.623529 0 rg" in stream or "0.9019608 0.62352943 0 rg" in stream
    # page numbers from page 2 on, as “Trang 2/3”
    assert "Trang" not in pages[0]
    assert [f"Trang {n}/{len(pages)}" in page for n, page in enumerate(pages, start=1)] == [False] + [True] * (
        len(pages) - 1
    )


@pytest.mark.django_db
def test_no_table_cell_of_the_pdf_splits_a_word_or_a_number(big_figures, an_giang):
    # given
    document = reports.province_report(province=an_giang, period=Q4)

    # when
    text = "\n".join(_pages(reports.render_document(document, "pdf").content))

    # then: every word and number of every printed cell comes out of the PDF whole
    printed = _tokens(text)
    cut = []
    for section in document.sections:
        for row in section.rows:
            for value, column in zip(row, section.columns, strict=True):
                cut += [token for token in display_cell(value, column).text.split() if token not in printed]
    assert cut == []
    # and the long figure is written in full, grouped, in its unit's decimals
    assert "12.345.678,91" in printed


@pytest.mark.django_db
def test_the_report_shows_each_status_as_the_dashboard_does(big_figures, an_giang):
    # given: the standing the dashboards show for each of An Giang's indicators as of the quarter
    shown = progress_selectors.headline_as_of(Q4, province_ids=[an_giang.pk])
    expected = {
        Indicator.objects.get(pk=indicator_id).name: palette.status_label(view.status)
        for (indicator_id, _province), view in shown.items()
    }

    # when
    document = reports.province_report(province=an_giang, period=Q4)
    table = document.sections[0]
    status_column = [c.title for c in table.columns].index("Tình trạng")

    # then
    assert {row[1]: row[status_column] for row in table.rows} == expected
    assert expected == {
        "Tỷ lệ hồ sơ trực tuyến toàn trình": "Cần đẩy nhanh",
        "Số trạm phát sóng 5G": "Chậm",
        LONG_NAME: "Đúng tiến độ",
    }


@pytest.mark.django_db
def test_the_word_document_carries_the_same_report_as_real_headings_and_tables(big_figures, approver_91):
    # when
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "docx", "number": "12"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-91-2025-q4.docx"'
    paragraphs, tables = _docx_text(response.content)
    # the letterhead (NĐ 30): issuing body and number left, national motto and place-date right
    assert tables[0] == [
        [
            "ỦY BAN NHÂN DÂN TỈNH AN GIANG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n———\nSố: 12/BC-SKHCN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n—————————\n"
            "An Giang, ngày 05 tháng 01 năm 2026",
        ]
    ]
    assert paragraphs[:2] == ["BÁO CÁO", "Kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025"]
    headings = [
        p.text
        for p in Document(io.BytesIO(response.content)).paragraphs
        if p.style is not None and p.style.name == "Heading 2"
    ]
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "II. CÁC CHỈ TIÊU THAY ĐỔI NHIỀU NHẤT SO VỚI KỲ TRƯỚC",
        "III. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ",
        "IV. CÁC MỤC TIÊU ĐÃ ĐẾN HẠN CHƯA ĐẠT",
        "V. CHẤT LƯỢNG SỐ LIỆU",
        "VI. CHỈ SỐ TỔNG HỢP",
        "VII. TÌNH HÌNH BÁO CÁO",
        "PHỤ LỤC: MÃ CHỈ TIÊU",
    ]
    assert tables[1] == [
        [
            "STT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Kỳ này",
            "Kỳ trước",
            "Mục tiêu",
            "Thời hạn",
            "Tình trạng",
            "Số liệu đến",
            "Hoàn thành (%)",
        ],
        [
            "1",
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "%",
            "76,5",
            "70,25",
            "80",
            "31/12/2025",
            "Cần đẩy nhanh",
            "quý IV/2025",
            "82,5",
        ],
        ["2", LONG_NAME, "tỷ đồng", "12.345.678,91", "2.345.678,5", "", "", "Đúng tiến độ", "quý IV/2025", ""],
        ["3", "Số trạm phát sóng 5G", "trạm", "320", "280", "500", "31/12/2026", "Chậm", "quý IV/2025", "40"],
    ]
    # the large jump of the third indicator is flagged for checking before signing
    assert tables[5] == [
        ["Chỉ tiêu", "Kỳ này", "Cảnh báo"],
        [LONG_NAME, "12.345.678,91", "Thay đổi +426,3% so với kỳ trước: cần kiểm tra."],
    ]
    # the chart is a picture under the summary; the signature block is a table
    document = Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 1
    assert ["Nơi nhận:" in t[0][0] and "GIÁM ĐỐC" in t[0][1] for t in tables].count(True) == 1
    # page numbers “Trang n/N” are Word fields in the header, from page 2 on
    section = document.sections[0]
    assert section.different_first_page_header_footer is True
    header_xml = section.header._element.xml
    assert "Trang" in header_xml and " PAGE " in header_xml and " NUMPAGES " in header_xml
    # a standard font, named on every run
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}


@pytest.mark.django_db
def test_a_period_without_approved_figures_says_so_instead_of_printing_empty_tables(computed, approver_91):
    # when: 2025-Q2 has no computed figures (only Q3 and Q4 have)
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q2", "format": "pdf"})

    # then
    assert response.status_code == 200
    body = " ".join(" ".join(_pages(response.content)).split())
    assert (
        "Kỳ quý II/2025 chưa có số liệu đã phê duyệt nên báo cáo không có bảng kết quả chỉ tiêu; dưới đây là"
        " tình hình nộp báo cáo của kỳ."
    ) in body
    assert "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" not in body
    assert "Mức độ hoàn thành mục tiêu" not in body
    assert "I. CHỈ SỐ TỔNG HỢP" in body and "II. TÌNH HÌNH BÁO CÁO" in body


@pytest.mark.django_db
def test_a_period_not_yet_begun_is_refused_with_the_reason(computed, approver_91):
    response = api(approver_91).get(URL, {"province": "91", "period": "2026-03", "format": "docx"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Kỳ tháng 3 năm 2026 chưa bắt đầu nên chưa có số liệu để báo cáo.",
        "code": "invalid",
    }


@pytest.mark.django_db
def test_a_province_that_does_not_exist_is_not_found(computed, reviewer):
    response = api(reviewer).get(URL, {"province": "99", "period": "2025-Q4", "format": "docx"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy tỉnh.", "code": "not_found"}


@pytest.mark.django_db
def test_the_national_summary_is_offered_as_a_word_document_job(computed, reviewer, django_capture_on_commit_callbacks):
    client = api(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/reports/national/", {"period": "2025-Q4", "format": "docx"})
    assert response.status_code == 202
    download = client.get(f"/api/v1/jobs/{response.json()['id']}/download/")
    assert download.status_code == 200
    paragraphs, tables = _docx_text(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert paragraphs[1] == "Tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025 của các tỉnh, thành phố"
    ranking = next(t for t in tables if t[0][:2] == ["Hạng", "Tỉnh, thành phố"])
    assert [row[:3] for row in ranking[1:]] == [["1", "Thành phố Hà Nội", "100"], ["2", "Tỉnh An Giang", "0"]]


@pytest.mark.django_db
def test_the_english_report_has_no_vietnamese_label_outside_proper_names(big_figures, an_giang, english):
    # given: the catalogue's English names, as the seed files carry them
    Indicator.objects.filter(code="DVC_TT").update(name_en="Applications fully online")
    Indicator.objects.filter(code="TRAM_5G").update(name_en="5G base stations")
    ReportForm.objects.update(name_en="Monthly digital-transformation report")
    CompositeIndex.objects.update(name_en="Provincial Digital Transformation Index (DTI)")
    an_giang.name_en = "An Giang"
    an_giang.save()

    # when
    from django.utils import translation

    with translation.override("en"):
        document = reports.province_report(province=an_giang, period=Q4)
        pdf = " ".join(" ".join(_pages(reports.render_document(document, "pdf").content)).split())
        paragraphs, tables = _docx_text(reports.render_document(document, "docx").content)

    # then
    assert "Results of the digital-transformation indicators, Q4/2025" in pdf
    assert "I. RESULTS OF THE INDICATORS" in pdf
    assert "3 5G base stations stations 320 280 500 31 Dec 2026 Limited progress Q4/2025 40" in pdf
    assert "Page 2/" in pdf
    # the proper names that stay Vietnamese: the indicator without an English name is the fixture's own
    assert _vietnamese_words(pdf, []) == []
    docx_text = " ".join(paragraphs + [cell for table in tables for row in table for cell in row])
    assert _vietnamese_words(docx_text, []) == []
    assert "2026-12-31" not in pdf and "2026-12-31" not in docx_text
    assert "31 Dec 2026" in [cell for table in tables for row in table for cell in row]


@pytest.mark.django_db
def test_dates_are_written_as_each_language_writes_them_in_pdf_word_and_excel(computed, an_giang, english):
    from django.utils import translation
    from openpyxl import load_workbook

    def deadlines(language: str) -> tuple[list[str], list[str], set[str]]:
        with translation.override(language):
            document = reports.province_report(province=an_giang, period=Q4)
            pdf = " ".join(" ".join(_pages(reports.render_document(document, "pdf").content)).split())
            _paragraphs, tables = _docx_text(reports.render_document(document, "docx").content)
            workbook = load_workbook(io.BytesIO(reports.render_document(document, "xlsx").content))
        docx_cells = [cell for table in tables for row in table for cell in row]
        formats = {c.number_format for sheet in workbook for row in sheet.iter_rows() for c in row if c.is_date}
        return re.findall(r"31 Dec\w* 2026|31/12/2026|2026-12-31", pdf), docx_cells, formats

    # when
    vi_pdf, vi_docx, vi_formats = deadlines("vi")
    en_pdf, en_docx, en_formats = deadlines("en")

    # then: the towers' target date, 31/12/2026, in each language's way (short in English table
    # cells); Excel keeps a real date
    assert set(vi_pdf) == {"31/12/2026"} and "31/12/2026" in vi_docx
    assert set(en_pdf) == {"31 Dec 2026"} and "31 Dec 2026" in en_docx
    assert vi_formats == {"dd/mm/yyyy", "dd/mm/yyyy hh:mm"}
    assert en_formats == {"d mmmm yyyy", "d mmmm yyyy hh:mm"}


def test_the_date_helper_writes_dates_and_moments_in_both_languages():
    from django.utils import translation

    from tracker.exports.periods import date_text

    moment = datetime.datetime(2030, 12, 31, 7, 5, tzinfo=datetime.UTC)  # 14:05 in Hà Nội
    with translation.override("vi"):
        assert [date_text(datetime.date(2030, 12, 31)), date_text(datetime.date(2026, 1, 5)), date_text(moment)] == [
            "31/12/2030",
            "05/01/2026",
            "31/12/2030 14:05",
        ]
    with translation.override("en"):
        assert [date_text(datetime.date(2030, 12, 31)), date_text(datetime.date(2026, 1, 5)), date_text(moment)] == [
            "31 December 2030",
            "5 January 2026",
            "31 December 2030 14:05",
        ]
        assert [date_text(datetime.date(2030, 12, 31), short=True), date_text(moment, short=True)] == [
            "31 Dec 2030",
            "31 Dec 2030 14:05",
        ]
    with translation.override("vi"):
        assert date_text(datetime.date(2030, 12, 31), short=True) == "31/12/2030"


def test_periods_are_written_in_words_in_both_languages(english):
    from django.utils import translation

    from tracker.exports.periods import period_label

    keys = ["2026-11", "2026-Q3", "2026"]
    with translation.override("vi"):
        assert [period_label(Period.parse(k)) for k in keys] == ["tháng 11 năm 2026", "quý III/2026", "năm 2026"]
    with translation.override("en"):
        assert [period_label(Period.parse(k)) for k in keys] == ["November 2026", "Q3/2026", "2026"]


@pytest.mark.django_db
def test_behind_schedule_gives_the_monthly_change_still_needed(computed, an_giang):
    # given An Giang's towers: 320 at the end of 2025, target 500 by 31/12/2026, status “Chậm”
    document = reports.province_report(province=an_giang, period=Q4)

    # when
    behind = next(s for s in document.sections if s.key == "Chậm tiến độ")

    # then: 180 stations in 12 months
    assert [display_cell(v, c).text for v, c in zip(behind.rows[0], behind.columns, strict=True)] == [
        "Số trạm phát sóng 5G",
        "Chậm",
        "320",
        "500",
        "31/12/2026",
        "12",
        "15",
    ]
    assert sections.months_until(Q4, datetime.date(2026, 12, 31)) == 12
