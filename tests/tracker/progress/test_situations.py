"""Issue 12, "Done when": each situation is built through the roll-up engine and its exact label and
value asserted on the province, indicator, national and directive pages, in the PDF and XLSX and
in the API.

As of 10/2026 (today 03/11/2026, October's reports due 05/11/2026), on the share of dossiers online
(national target 80 % by 30/06/2026, no later one):
- Hải Phòng: 50 % in 01/2026, 85 % at the deadline (06/2026), 90 % now: "Đã đạt", final, 85 % at
  the deadline;
- Cao Bằng: 40 %, 60 % at the deadline, 90 % now: "Không đạt (quá hạn)", 60 % at the deadline;
- Huế: 50 %, 82 % in 06/2026, no October report yet: "Chưa có số liệu kỳ này", 82 % of 06/2026,
  and its October report "Chưa đến hạn" (not late);
- ranking for 10/2026: Hải Phòng and Cao Bằng tie at 90 % (both rank 1), Huế last without a value;
- the nation: 10/2026 is 180/200 = 90 % from 2 of 3 provinces, provisional; its headline is
  06/2026, (85 + 60 + 82)/300 = 75,67 %.
And Hải Phòng's 5G coverage for 10/2026 is 1 200 of 1 000 people, 120 %: "Số liệu cần kiểm tra".
"""

import datetime
import io
from decimal import Decimal
from typing import cast

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from kpis.models import Directive, Objective
from kpis.periods import Period
from tests.catalogue_fixtures import api
from tests.factories import DirectiveFactory, ProvinceFactory, ReportFormFactory
from tests.text import flat
from tests.tracker.progress.conftest import Reports
from tracker.exports import reports
from tracker.exports.report_national import national_summary
from tracker.exports.report_province import province_report
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 3)
OCTOBER = "2026-10"


@pytest.fixture
def situations(today_is, data_element_factory, indicator_factory, target_factory):
    today_is(TODAY)
    for code in ("ONLINE", "RECEIVED"):
        data_element_factory(code=code, time_aggregation="sum", space_aggregation="sum")
    for code in ("POP", "POP_5G"):
        data_element_factory(code=code, time_aggregation="last", space_aggregation="sum")
    online = indicator_factory(
        code="ONLINE_SHARE",
        name="Tỷ lệ hồ sơ trực tuyến",
        numerator="ONLINE",
        denominator="RECEIVED",
        factor=Decimal(100),
        unit="%",
        periodicity="monthly",
        natural_limit=Decimal(100),
    )
    cover = indicator_factory(
        code="COVER_5G",
        name="Tỷ lệ dân số được phủ sóng 5G",
        numerator="POP_5G",
        denominator="POP",
        factor=Decimal(100),
        unit="%",
        periodicity="monthly",
        natural_limit=Decimal(100),
    )
    target_factory(indicator=online, value=Decimal(80), deadline=datetime.date(2026, 6, 30))
    directive = cast(
        Directive, DirectiveFactory(code="qd-749", number="749/QĐ-TTg", title="Chương trình Chuyển đổi số quốc gia")
    )
    objective = Objective.objects.create(directive=directive, code="dich-vu-cong", title="Dịch vụ công trực tuyến")
    objective.indicators.set([online, cover])

    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    cao_bang = ProvinceFactory(code="04", name="Tỉnh Cao Bằng")
    hue = ProvinceFactory(code="46", name="Thành phố Huế")
    monthly = Reports(ReportFormFactory(code="BC_THANG", name="Báo cáo tháng", periodicity="monthly", due_day=5))
    for province, shares in [(hai_phong, (50, 85)), (cao_bang, (40, 60)), (hue, (50, 82))]:
        for period, share in zip(("2026-01", "2026-06"), shares, strict=True):
            monthly.approved(province, period, ONLINE=share, RECEIVED=100)
    monthly.approved(hai_phong, OCTOBER, datetime.date(2026, 11, 2), ONLINE=90, RECEIVED=100, POP=1000, POP_5G=1200)
    monthly.approved(cao_bang, OCTOBER, datetime.date(2026, 11, 2), ONLINE=90, RECEIVED=100, POP=1000, POP_5G=500)
    rollups_recompute_all()
    return hai_phong, cao_bang, hue


def page(reviewer, url: str):
    client = Client()
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    return response


def chart(response, key):
    return next(item for item in response.context["charts"] if item.key == key)


def test_the_province_pages_cards(situations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/tinh/31/?period={OCTOBER}")

    # then
    cards = {view["code"]: view for view in response.context["card_views"]}
    online, cover = cards["ONLINE_SHARE"], cards["COVER_5G"]
    assert (online["status"], online["value"], online["target"]) == (
        "target_achieved",
        "90 % · tại hạn: 85 % (số liệu kỳ 06/2026)",
        "80 % (30/06/2026)",
    )
    assert "✓ Đã đạt" in online["badge"]
    assert online["national"] == "75,67 % (số liệu kỳ 06/2026) · 10/2026: 90 % – Tạm tính: 2/3 tỉnh"
    assert (cover["status"], cover["value"]) == ("data_quality", "120 %")
    assert "! Số liệu cần kiểm tra" in cover["badge"]

    cao_bang = {
        v["code"]: v for v in page(reviewer, f"/bang-dieu-khien/tinh/04/?period={OCTOBER}").context["card_views"]
    }
    assert (cao_bang["ONLINE_SHARE"]["status"], cao_bang["ONLINE_SHARE"]["value"]) == (
        "missed",
        "90 % · tại hạn: 60 % (số liệu kỳ 06/2026)",
    )
    assert "✗ Không đạt (quá hạn)" in cao_bang["ONLINE_SHARE"]["badge"]

    hue = {v["code"]: v for v in page(reviewer, f"/bang-dieu-khien/tinh/46/?period={OCTOBER}").context["card_views"]}
    assert (hue["ONLINE_SHARE"]["status"], hue["ONLINE_SHARE"]["value"]) == (
        "no_data_this_period",
        "82 % (số liệu kỳ 06/2026)",
    )
    assert "… Chưa có số liệu kỳ này" in hue["ONLINE_SHARE"]["badge"]


def test_the_indicator_page_ranks_ties_together_and_lists_the_unit_without_value_last(situations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/chi-tieu/ONLINE_SHARE/?period={OCTOBER}")

    # then
    rows = [(f.rank, f.unit.name, f.value, f.status) for f in response.context["figures"]]
    assert rows == [
        (1, "Thành phố Hải Phòng", Decimal(90), "target_achieved"),
        (1, "Tỉnh Cao Bằng", Decimal(90), "missed"),
        (None, "Thành phố Huế", None, "no_data_this_period"),
    ]
    assert [(f.decided_value, f.decided_as_of) for f in response.context["figures"]] == [
        (Decimal(85), "số liệu kỳ 06/2026"),
        (Decimal(60), "số liệu kỳ 06/2026"),
        (None, ""),
    ]
    html = flat(response.content.decode())
    assert "tại hạn: 85 (số liệu kỳ 06/2026)" in html
    assert "tại hạn: 60 (số liệu kỳ 06/2026)" in html
    assert "Cả nước: 75,67 % (số liệu kỳ 06/2026) · 10/2026: 90 % – Tạm tính: 2/3 tỉnh" in html
    for label in ("✓ Đã đạt", "✗ Không đạt (quá hạn)", "… Chưa có số liệu kỳ này"):
        assert label in html


def test_the_national_page_colours_each_situation_and_reports_nothing_late(situations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/?period={OCTOBER}&indicator=ONLINE_SHARE")

    # then: the heatmap's cells carry the statuses' labels
    heatmap = chart(response, "ban-do-nhiet")
    text = flat(str(heatmap.table.rows))
    for label in ("Đã đạt", "Không đạt (quá hạn)", "Chưa có số liệu kỳ này", "Số liệu cần kiểm tra"):
        assert label in text
    # Huế's October report is not due before 05/11/2026: not listed late nor missing
    assert response.context["late"] == []
    assert "Tỷ lệ hồ sơ trực tuyến, cả nước: 75,67 % (số liệu kỳ 06/2026)" in flat(response.content.decode())


def test_the_directive_page_counts_each_situation(situations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/van-ban/qd-749/?period={OCTOBER}")

    # then
    objective = response.context["objectives"][0]["objective"]
    counts = {indicator.code: indicator.counts for indicator in objective.indicators}
    assert counts["ONLINE_SHARE"] == {"target_achieved": 1, "missed": 1, "no_data_this_period": 1}
    assert counts["COVER_5G"]["data_quality"] == 1


def test_the_province_pdf_and_xlsx_say_the_same(situations):
    # given
    hai_phong, cao_bang, _hue = situations

    # when
    document = province_report(province=cao_bang, period=Period.parse(OCTOBER), day=TODAY)
    pdf = reports.render_document(document, "pdf").content
    xlsx = reports.render_document(document, "xlsx").content

    # then: the missed target with the value at the deadline
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Tỷ lệ hồ sơ trực tuyến % 90 80 30/06/2026 Không đạt (quá hạn) tháng 6 năm 2026" in text
    sheet_values = [
        [cell.value for cell in row]
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for row in sheet.iter_rows()
    ]
    assert any("Không đạt (quá hạn)" in row and "tháng 6 năm 2026" in row for row in sheet_values)

    # and Hải Phòng's achieved target and impossible coverage
    document = province_report(province=hai_phong, period=Period.parse(OCTOBER), day=TODAY)
    text = flat(
        "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(reports.render_document(document, "pdf").content)).pages
        )
    )
    assert "Tỷ lệ hồ sơ trực tuyến % 90 80 30/06/2026 Đã đạt tháng 6 năm 2026" in text
    assert "Số liệu cần kiểm tra" in text
    rows = [
        [cell.value for cell in row]
        for sheet in load_workbook(io.BytesIO(reports.render_document(document, "xlsx").content)).worksheets
        for row in sheet.iter_rows()
    ]
    assert any("Đã đạt" in row for row in rows)
    assert any("Số liệu cần kiểm tra" in row for row in rows)

    # and the nation, whose October value is provisional: the latest complete value beside its
    # period, then the provisional mark of October's own value
    document = national_summary(period=Period.parse(OCTOBER), day=TODAY)
    table = document.sections[0]
    row = next(row for row in table.rows if "Tỷ lệ hồ sơ trực tuyến" in row)
    assert row[7:9] == ["Chưa có số liệu kỳ này", "tháng 6 năm 2026: 75,67; Tạm tính: 2/3 tỉnh"]
    text = flat(
        "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(reports.render_document(document, "pdf").content)).pages
        )
    )
    assert "Chưa có số liệu kỳ này tháng 6 năm 2026: 75,67; Tạm tính: 2/3 tỉnh" in text


def test_the_api_gives_each_situation_its_label_value_and_period(situations, reviewer):
    # when
    body = api(reviewer).get("/api/v1/standings/", {"period": OCTOBER, "indicator": "ONLINE_SHARE"}).json()

    # then
    rows = body["results"] if isinstance(body, dict) else body
    got = {
        (row["level"], row["province"]): (row["status_label"], row["value"], row["value_period"], row["as_of"])
        for row in rows
    }
    assert got == {
        ("national", None): ("Chưa có số liệu kỳ này", "75.6666666667", "2026-06", "số liệu kỳ 06/2026"),
        ("province", "04"): ("Không đạt (quá hạn)", "60.0000000000", "2026-06", "số liệu kỳ 06/2026"),
        ("province", "31"): ("Đã đạt", "85.0000000000", "2026-06", "số liệu kỳ 06/2026"),
        ("province", "46"): ("Chưa có số liệu kỳ này", "82.0000000000", "2026-06", "số liệu kỳ 06/2026"),
    }
    values = (
        api(reviewer)
        .get("/api/v1/indicator-values/", {"indicator": "ONLINE_SHARE", "level": "national", "period": OCTOBER})
        .json()
    )
    rows = values["results"] if isinstance(values, dict) else values
    assert [
        (r["value"], r["units_count"], r["expected_units"], r["provisional"], r["coverage_label"]) for r in rows
    ] == [("90.0000000000", 2, 3, True, "Tạm tính: 2/3 tỉnh")]
    cover = (
        api(reviewer).get("/api/v1/standings/", {"period": OCTOBER, "indicator": "COVER_5G", "province": "31"}).json()
    )
    rows = cover["results"] if isinstance(cover, dict) else cover
    assert [(r["status_label"], r["flag"], r["flag_label"], r["value"]) for r in rows] == [
        ("Số liệu cần kiểm tra", "beyond_limit", "Giá trị vượt giới hạn tự nhiên", "120.0000000000")
    ]


def test_a_unit_without_a_value_and_a_report_not_yet_due_in_the_pdf_and_the_api(situations, reviewer):
    # given
    _hai_phong, _cao_bang, hue = situations

    # when
    document = province_report(province=hue, period=Period.parse(OCTOBER), day=TODAY)
    text = flat(
        "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(reports.render_document(document, "pdf").content)).pages
        )
    )
    rates = api(reviewer).get("/api/v1/reporting-rates/", {"province": "46", "period": OCTOBER}).json()

    # then: the report says it has no approved figure for October; the API counts the report not due
    # yet (neither received nor missing)
    assert "Kỳ tháng 10 năm 2026 chưa có số liệu đã phê duyệt nên báo cáo không có bảng kết quả chỉ tiêu" in text
    rows = rates["results"] if isinstance(rates, dict) else rates
    assert [(r["expected"], r["received"], r["on_time"], r["not_due"]) for r in rows] == [(1, 0, 0, 1)]
