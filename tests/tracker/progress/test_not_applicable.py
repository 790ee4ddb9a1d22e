"""Issue 12, item 2, "Done when": a national target on a total applies to the nation only.

The count of 5G stations (each province's stations add up to the nation's) has a national target
of 1 000 stations by 31/12/2026. As of 10/2026 (today 03/11/2026) the nation has 930 stations
(700 in 01/2026) and is measured: "Đúng tiến độ". Hải Phòng has 520 stations (400 in 01/2026) and
is not measured against the nation's 1 000: "Không áp dụng" ("Not applicable") with its 520 on the
province, indicator, national and directive pages, in its PDF and XLSX report and in the API;
no target value, deadline, share of the way nor progress status beside it.
"""

import datetime
import io
import re
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
from tracker.exports.report_province import province_report
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 3)
OCTOBER = "2026-10"


@pytest.fixture
def stations(today_is, data_element_factory, indicator_factory, target_factory):
    today_is(TODAY)
    data_element_factory(code="TRAM", time_aggregation="last", space_aggregation="sum")
    indicator = indicator_factory(
        code="TRAM_5G", name="Số trạm phát sóng 5G", numerator="TRAM", unit="trạm", periodicity="monthly"
    )
    target_factory(indicator=indicator, value=Decimal(1000), deadline=datetime.date(2026, 12, 31))
    directive = cast(
        Directive, DirectiveFactory(code="qd-749", number="749/QĐ-TTg", title="Chương trình Chuyển đổi số quốc gia")
    )
    objective = Objective.objects.create(directive=directive, code="ha-tang", title="Hạ tầng số")
    objective.indicators.set([indicator])
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    cao_bang = ProvinceFactory(code="04", name="Tỉnh Cao Bằng")
    hue = ProvinceFactory(code="46", name="Thành phố Huế")
    monthly = Reports(ReportFormFactory(code="BC_THANG", name="Báo cáo tháng", periodicity="monthly", due_day=5))
    for province, counts in [(hai_phong, (400, 520)), (cao_bang, (100, 150)), (hue, (200, 260))]:
        for period, count in zip(("2026-01", OCTOBER), counts, strict=True):
            monthly.approved(province, period, TRAM=count)
    rollups_recompute_all()
    return hai_phong, cao_bang, hue


def page(reviewer, url: str, language: str = "vi"):
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    return response


def text_of(html: str) -> str:
    return flat(re.sub(r"<[^>]+>", " ", html))


def test_the_province_page_shows_the_value_and_not_applicable(stations, reviewer, english):
    # when
    vietnamese = page(reviewer, f"/bang-dieu-khien/tinh/31/?period={OCTOBER}")
    in_english = page(reviewer, f"/bang-dieu-khien/tinh/31/?period={OCTOBER}", "en")

    # then: Hải Phòng's 520 stations, not measured against the nation's 1 000 (not "Đúng tiến độ")
    card = vietnamese.context["card_views"][0]
    assert {key: card[key] for key in ("code", "status", "value", "national", "target", "share", "projection")} == {
        "code": "TRAM_5G",
        "status": "not_applicable",
        "value": "520 trạm",
        "national": "930 trạm",
        "target": "–",
        "share": "–",
        "projection": "–",
    }
    assert (
        '<span class="badge" style="background: #E5E5E5; color: #000000" data-status="not_applicable">' in card["badge"]
    )
    assert card["badge"].endswith("∅ Không áp dụng</span>")
    assert "Số trạm phát sóng 5G ∅ Không áp dụng Giá trị 10/2026 520 trạm Cả nước 930 trạm Mục tiêu –" in (
        text_of(vietnamese.content.decode())
    )
    assert in_english.context["card_views"][0]["badge"].endswith("∅ Not applicable</span>")
    assert "Số trạm phát sóng 5G ∅ Not applicable Value 2026-10 520 stations Nationwide 930 stations Target –" in (
        text_of(in_english.content.decode())
    )


def test_the_indicator_page_lists_each_province_not_applicable_with_its_value(stations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/chi-tieu/TRAM_5G/?period={OCTOBER}")

    # then: ranked by their stations, none with the nation's target nor a share of the way
    rows = [
        (f.rank, f.unit.name, f.value, f.target_value, f.status, f.share_of_way) for f in response.context["figures"]
    ]
    assert rows == [
        (1, "Thành phố Hải Phòng", Decimal(520), None, "not_applicable", None),
        (2, "Thành phố Huế", Decimal(260), None, "not_applicable", None),
        (3, "Tỉnh Cao Bằng", Decimal(150), None, "not_applicable", None),
    ]
    text = text_of(response.content.decode())
    assert "1 Thành phố Hải Phòng 520 ∅ Không áp dụng" in text
    assert "Toàn quốc 1.000 trạm 31/12/2026" in text  # the target, stated for the nation


def test_the_national_page_measures_the_nation_and_not_the_provinces(stations, reviewer, english):
    # when
    vietnamese = page(reviewer, f"/bang-dieu-khien/?period={OCTOBER}&indicator=TRAM_5G")
    in_english = page(reviewer, f"/bang-dieu-khien/?period={OCTOBER}&indicator=TRAM_5G", "en")

    # then: the nation's own standing against its 1 000 stations
    headline = text_of(vietnamese.content.decode().split("data-national>")[1].split("</p>")[0])
    assert headline == "Số trạm phát sóng 5G, cả nước: 930 trạm ↗ Đúng tiến độ"
    english_headline = text_of(in_english.content.decode().split("data-national>")[1].split("</p>")[0])
    assert english_headline == "Số trạm phát sóng 5G, national: 930 stations ↗ On track"  # (no English name given)
    # and each province's cell says the target does not apply to it, with its value
    heatmap = next(item for item in vietnamese.context["charts"] if item.key == "ban-do-nhiet")
    assert heatmap.table.rows == [
        ["Tỉnh Cao Bằng", "Không áp dụng"],
        ["Thành phố Hải Phòng", "Không áp dụng"],
        ["Thành phố Huế", "Không áp dụng"],
    ]
    text = text_of(vietnamese.content.decode())
    assert "31 Thành phố Hải Phòng 520 Không áp dụng" in text


def test_the_directive_page_counts_the_provinces_not_applicable(stations, reviewer):
    # when
    response = page(reviewer, f"/bang-dieu-khien/van-ban/qd-749/?period={OCTOBER}")

    # then
    indicator = response.context["objectives"][0]["objective"].indicators[0]
    assert (indicator.code, indicator.counts) == ("TRAM_5G", {"not_applicable": 3})
    assert "Hạ tầng số TRAM_5G 0 0 0 0 0 0 0 0 0 3" in text_of(response.content.decode())


def test_the_province_pdf_and_xlsx_say_not_applicable_beside_the_value(stations):
    # given
    hai_phong, _cao_bang, _hue = stations

    # when
    document = province_report(province=hai_phong, period=Period.parse(OCTOBER), day=TODAY)
    pdf = reports.render_document(document, "pdf").content
    xlsx = reports.render_document(document, "xlsx").content

    # then: value, no target nor deadline, the label, the value's period, no share
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "1 Số trạm phát sóng 5G trạm 520 Không áp dụng tháng 10 năm 2026 II." in text
    assert "Không áp dụng: mục tiêu không áp dụng cho đơn vị." in text
    rows = [
        [cell.value for cell in row]
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for row in sheet.iter_rows()
    ]
    assert [
        1,
        "Số trạm phát sóng 5G",
        "trạm",
        520,
        None,
        None,
        None,
        "Không áp dụng",
        "tháng 10 năm 2026",
        None,
    ] in rows


def test_the_api_says_not_applicable_for_the_province_and_measures_the_nation(stations, reviewer, english):
    # when
    body = api(reviewer).get("/api/v1/standings/", {"period": OCTOBER, "indicator": "TRAM_5G", "headline": "true"})
    in_english = api(reviewer).get(
        "/api/v1/standings/", {"period": OCTOBER, "province": "31", "headline": "true", "lang": "en"}
    )

    # then
    rows = body.json()["results"]
    got = {
        (row["level"], row["province"]): (
            row["status"],
            row["status_label"],
            row["value"],
            row["target_value"],
            row["share_of_way"],
            row["target_applies_to"],
        )
        for row in rows
    }
    assert got == {
        ("national", None): (
            "substantial_progress",
            "Đúng tiến độ",
            "930.0000000000",
            "1000.0000000000",
            "0.7666666667",
            "own_unit",
        ),
        ("province", "04"): ("not_applicable", "Không áp dụng", "150.0000000000", None, None, "own_unit"),
        ("province", "31"): ("not_applicable", "Không áp dụng", "520.0000000000", None, None, "own_unit"),
        ("province", "46"): ("not_applicable", "Không áp dụng", "260.0000000000", None, None, "own_unit"),
    }
    assert [(r["status_label"], r["value"], r["value_period"]) for r in in_english.json()["results"]] == [
        ("Not applicable", "520.0000000000", "2026-10")
    ]
    # every standing: the province's trend is still there, beside the target it is not measured against
    every = api(reviewer).get("/api/v1/standings/", {"period": OCTOBER, "province": "31"}).json()["results"]
    assert [(r["target"] is None, r["status"], r["value"]) for r in every] == [
        (True, "substantial_progress", "520.0000000000"),
        (False, "not_applicable", "520.0000000000"),
    ]


def test_a_province_without_a_value_for_the_period_says_so_before_not_applicable(stations, reviewer):
    # when: November has no report yet
    body = api(reviewer).get("/api/v1/standings/", {"period": "2026-11", "province": "31", "headline": "true"})

    # then: the missing value is what the province must see, with its latest one
    assert [
        (r["target"] is None, r["status_label"], r["value"], r["as_of"], r["target_value"])
        for r in body.json()["results"]
    ] == [(False, "Chưa có số liệu kỳ này", "520.0000000000", "số liệu kỳ 10/2026", None)]
