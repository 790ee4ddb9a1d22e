"""The An Giang approver downloads the province's compliance report for 2025-Q4."""

import pytest

from tests.text import flat
from tests.tracker.exports.conftest import api, pdf_fonts, pdf_text, sheet_rows, workbook

URL = "/api/v1/reports/province/"


@pytest.mark.django_db
def test_approver_downloads_the_quarter_as_an_administrative_pdf(computed, approver_91):
    # given the computed rows of 2025-Q4 (conftest)
    # when
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "pdf"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-91-2025-q4.pdf"'
    text = pdf_text(response.content)
    lines = text.splitlines()
    assert lines[:8] == [
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: /BC-SKHCN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "An Giang, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025",
    ]
    body = flat(text)
    for passage in [
        "Thực hiện chế độ báo cáo về chuyển đổi số, Sở Khoa học và Công nghệ báo cáo kết quả thực hiện các chỉ tiêu"
        " chuyển đổi số quý IV/2025 của tỉnh An Giang như sau:",
        "Trong kỳ có số liệu của 2/2 chỉ tiêu; tình trạng thực hiện mục tiêu: 1 chỉ tiêu “Cần đẩy"
        " nhanh”, 1 chỉ tiêu “Chậm”.",
        "Trong đó: 1 chỉ tiêu chậm tiến độ so với mục tiêu còn thời hạn; 1 mục tiêu đã đến hạn chưa đạt;"
        " 0 cảnh báo về chất lượng số liệu.",
        "Số liệu được tổng hợp lúc 05/01/2026 09:00.",
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "STT Chỉ tiêu Đơn vị tính Kỳ này Kỳ trước Mục tiêu Thời hạn Tình trạng Số liệu đến Hoàn thành (%)",
        "1 Tỷ lệ hồ sơ trực tuyến toàn trình % 76,5 70,25 80 31/12/2025 Cần đẩy nhanh quý IV/2025 82,5",
        "2 Số trạm phát sóng 5G trạm 320 280 500 31/12/2026 Chậm quý IV/2025 40",
        "II. CÁC CHỈ TIÊU THAY ĐỔI NHIỀU NHẤT SO VỚI KỲ TRƯỚC So với quý III/2025;",
        "Số trạm phát sóng 5G trạm 280 320 40 14,3 Tỷ lệ hồ sơ trực tuyến toàn trình % 70,25 76,5 6,25 8,9",
        "III. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ",
        # 500 stations by 31/12/2026 from 320 at the end of 2025: 180 in 12 months
        "Số trạm phát sóng 5G Chậm 320 500 31/12/2026 12 15",
        "IV. CÁC MỤC TIÊU ĐÃ ĐẾN HẠN CHƯA ĐẠT",
        "Tỷ lệ hồ sơ trực tuyến toàn trình 80 31/12/2025 76,5 3,5 Cần đẩy nhanh",
        "V. CHẤT LƯỢNG SỐ LIỆU Không có cảnh báo về chất lượng số liệu.",
        "VI. CHỈ SỐ TỔNG HỢP",
        "Chỉ số chuyển đổi số cấp tỉnh (DTI) năm 2025 0,5412 2 2",
        "VII. TÌNH HÌNH BÁO CÁO",
        "Số báo cáo phải nộp: 3; đã nộp: 3; đúng hạn: 2; đã phê duyệt: 3 (tỷ lệ nộp 100%, đúng hạn 66,7%).",
        "Báo cáo chuyển đổi số hằng tháng tháng 10 năm 2025 Tỉnh An Giang Đã phê duyệt 04/11/2025 16:30"
        " 06/11/2025 08:15 05/11/2025 Đúng hạn",
        "Báo cáo chuyển đổi số hằng tháng tháng 11 năm 2025 Tỉnh An Giang Đã phê duyệt 07/12/2025 10:00"
        " 08/12/2025 14:00 05/12/2025 Trễ 2 ngày",
        "Báo cáo chuyển đổi số hằng tháng tháng 12 năm 2025 Tỉnh An Giang Nháp 05/01/2026"
        " Chưa đến hạn (hạn nộp 05/01/2026)",
        "Trân trọng báo cáo./. Nơi nhận: - Bộ Khoa học và Công nghệ (để báo cáo); - Ủy ban nhân dân tỉnh An Giang"
        " (để báo cáo); - Lưu: VT. GIÁM ĐỐC",
        # the codes only in the appendix, after the signature
        "PHỤ LỤC: MÃ CHỈ TIÊU STT Mã Chỉ tiêu 1 DVC_TT Tỷ lệ hồ sơ trực tuyến toàn trình"
        " 2 TRAM_5G Số trạm phát sóng 5G",
    ]:
        assert passage in body
    assert body.index("DVC_TT") > body.index("GIÁM ĐỐC")
    # the bundled fonts are embedded, so Vietnamese renders the same everywhere
    assert pdf_fonts(response.content) == {
        ("Report-Serif", True),
        ("Report-Serif-Bold", True),
        ("Report-Serif-Italic", True),
        ("Report-Serif-Bold-Italic", True),
        ("Report-Serif-Condensed,-Semi-Condensed", True),
        ("Report-Serif-Condensed,-Bold-Semi-Condensed", True),
    }


@pytest.mark.django_db
def test_the_report_carries_its_number_when_given(computed, approver_91):
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "pdf", "number": "12"})
    assert response.status_code == 200
    assert pdf_text(response.content).splitlines()[2] == "Số: 12/BC-SKHCN"


@pytest.mark.django_db
def test_the_same_report_as_a_workbook_has_typed_cells_and_one_sheet_per_section(computed, approver_91):
    # when
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "xlsx"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = workbook(response.content)
    assert book.sheetnames == [
        "Thông tin",
        "Chỉ tiêu",
        "Thay đổi nhiều nhất",
        "Chậm tiến độ",
        "Mục tiêu không đạt",
        "Chất lượng số liệu",
        "Chỉ số tổng hợp",
        "Tình hình báo cáo",
        "Mã chỉ tiêu",
    ]
    # the cover names the period, when the figures were computed and what the report covers
    assert sheet_rows(book["Thông tin"])[:11] == [
        ["Cơ quan chủ quản", "ỦY BAN NHÂN DÂN TỈNH AN GIANG"],
        ["Cơ quan ban hành", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
        ["Số, ký hiệu", "Số:        /BC-SKHCN"],
        ["Địa danh, ngày tháng", "An Giang, ngày 05 tháng 01 năm 2026"],
        ["BÁO CÁO", "Kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025"],
        ["Kỳ báo cáo", "quý IV/2025 (2025-Q4)"],
        ["Phạm vi", "Tỉnh An Giang"],
        ["Số liệu tổng hợp lúc", "05/01/2026 09:00"],
        ["Lập báo cáo lúc", "05/01/2026 09:00"],
        ["Bộ lọc", "mọi chỉ tiêu của danh mục; số liệu đã phê duyệt"],
        ["Tình trạng", "cùng nguồn và cách đánh giá với trang tổng quan"],
    ]
    import datetime

    sheet = book["Chỉ tiêu"]
    assert sheet.freeze_panes == "A2"
    assert sheet_rows(sheet) == [
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
            1,
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "%",
            76.5,
            70.25,
            80,
            datetime.datetime(2025, 12, 31),
            "Cần đẩy nhanh",
            "quý IV/2025",
            82.5,
        ],
        [
            2,
            "Số trạm phát sóng 5G",
            "trạm",
            320,
            280,
            500,
            datetime.datetime(2026, 12, 31),
            "Chậm",
            "quý IV/2025",
            40,
        ],
    ]
    # number formats follow the unit: percentages with two decimals, stations whole
    assert [sheet.cell(row=2, column=c).number_format for c in (1, 4, 7, 10)] == [
        "#,##0",
        "#,##0.00",
        "dd/mm/yyyy",
        "#,##0.0",
    ]
    assert sheet.cell(row=3, column=4).number_format == "#,##0"
    assert sheet.cell(row=2, column=4).data_type == "n"
    assert sheet_rows(book["Mã chỉ tiêu"]) == [
        ["STT", "Mã", "Chỉ tiêu"],
        [1, "DVC_TT", "Tỷ lệ hồ sơ trực tuyến toàn trình"],
        [2, "TRAM_5G", "Số trạm phát sóng 5G"],
    ]
    assert sheet_rows(book["Tình hình báo cáo"])[1:] == [
        [
            "Báo cáo chuyển đổi số hằng tháng",
            "tháng 10 năm 2025",
            "Tỉnh An Giang",
            "Đã phê duyệt",
            datetime.datetime(2025, 11, 4, 16, 30),
            datetime.datetime(2025, 11, 6, 8, 15),
            datetime.datetime(2025, 11, 5),
            "Đúng hạn",
        ],
        [
            "Báo cáo chuyển đổi số hằng tháng",
            "tháng 11 năm 2025",
            "Tỉnh An Giang",
            "Đã phê duyệt",
            datetime.datetime(2025, 12, 7, 10, 0),
            datetime.datetime(2025, 12, 8, 14, 0),
            datetime.datetime(2025, 12, 5),
            "Trễ 2 ngày",
        ],
        [
            "Báo cáo chuyển đổi số hằng tháng",
            "tháng 12 năm 2025",
            "Tỉnh An Giang",
            "Nháp",
            None,
            None,
            datetime.datetime(2026, 1, 5),
            "Chưa đến hạn (hạn nộp 05/01/2026)",
        ],
    ]
    assert book["Tình hình báo cáo"].cell(row=2, column=5).number_format == "dd/mm/yyyy hh:mm"


@pytest.mark.django_db
def test_the_same_report_as_csv_is_utf8_with_a_bom(computed, approver_91):
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-Q4", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[:6] == [
        "Kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025",
        "",
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "STT,Chỉ tiêu,Đơn vị tính,Kỳ này,Kỳ trước,Mục tiêu,Thời hạn,Tình trạng,Số liệu đến,Hoàn thành (%)",
        "1,Tỷ lệ hồ sơ trực tuyến toàn trình,%,76.5,70.25,80,2025-12-31,Cần đẩy nhanh,quý IV/2025,82.5",
        "2,Số trạm phát sóng 5G,trạm,320,280,500,2026-12-31,Chậm,quý IV/2025,40",
    ]
    assert lines[-4:] == [
        "PHỤ LỤC: MÃ CHỈ TIÊU",
        "STT,Mã,Chỉ tiêu",
        "1,DVC_TT,Tỷ lệ hồ sơ trực tuyến toàn trình",
        "2,TRAM_5G,Số trạm phát sóng 5G",
    ]


@pytest.mark.django_db
def test_another_provinces_officer_is_told_the_province_does_not_exist(computed, officer_01):
    response = api(officer_01).get(URL, {"province": "91", "period": "2025-Q4", "format": "pdf"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy tỉnh.", "code": "not_found"}


@pytest.mark.django_db
def test_a_reviewer_reads_any_province(computed, reviewer):
    response = api(reviewer).get(URL, {"province": "91", "period": "2025-Q4", "format": "xlsx"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_bad_period_is_refused_with_the_reason(computed, approver_91):
    response = api(approver_91).get(URL, {"province": "91", "period": "2025-13", "format": "pdf"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Kỳ báo cáo “2025-13” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).",
        "code": "invalid",
    }


@pytest.mark.django_db
def test_anonymous_callers_get_nothing(computed):
    assert api().get(URL, {"province": "91", "period": "2025-Q4"}).status_code in (401, 403)


@pytest.mark.django_db
def test_the_report_reads_a_fixed_number_of_queries(computed, approver_91, django_assert_num_queries):
    # given a CSV (no rendering cost) of the quarter
    client = api(approver_91)
    # when / then: provinces, indicators, values, scores, submissions, rates, time computed, and the
    # standings as of the quarter (tracker.progress.headline_as_of)
    with django_assert_num_queries(13):
        response = client.get(URL, {"province": "91", "period": "2025-Q4", "format": "csv"})
    assert response.status_code == 200
