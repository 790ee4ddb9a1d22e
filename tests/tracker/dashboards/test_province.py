import datetime
from decimal import Decimal

import plotly.graph_objects as go
from django.urls import reverse

from tests.tracker.dashboards.conftest import chart


def url(code="91"):
    return reverse("dashboards:province", args=[code])


def test_the_province_page_shows_a_card_per_indicator_from_the_computed_tables(reviewer_client, data):
    # when
    response = reviewer_client.get(url(), {"period": "2025-10"})

    # then
    online, stations = response.context["cards"]
    assert (online.indicator_code, online.value, online.national_value) == ("DVC_TT", Decimal("65"), Decimal("68"))
    assert (online.target_value, online.deadline) == (Decimal("80"), datetime.date(2025, 12, 31))
    assert (online.status, online.share_of_way, online.projected_value) == (
        "substantial_progress",
        Decimal("0.625"),
        Decimal("78.5"),
    )
    assert (stations.indicator_code, stations.value, stations.national_value) == (
        "TRAM_5G",
        Decimal("120"),
        Decimal("420"),
    )
    assert (stations.status, stations.target_value) == ("limited_progress", None)
    card = response.text.split('data-card="DVC_TT"')[1].split("</article>")[0]
    assert '<dd data-field="value">65 %</dd>' in card
    assert '<dd data-field="national">68 %</dd>' in card
    assert '<dd data-field="target">80 % (31/12/2025)</dd>' in card
    assert '<dd data-field="share">63%</dd>' in card
    assert '<dd data-field="projection">78,5 %</dd>' in card
    assert "↗ Đúng tiến độ" in card


def test_the_trend_shows_the_series_the_nation_the_target_trajectories_and_the_projection(reviewer_client, data):
    response = reviewer_client.get(url(), {"indicator": "DVC_TT"})

    trend = chart(response, "xu-huong")
    go.Figure(trend.figure)
    own, national, to_2025, to_2030, projection = trend.figure["data"]
    assert own["x"] == ["2024-12-31", "2025-09-30", "2025-10-31"]
    assert own["y"] == [40.0, 60.0, 65.0]
    assert national["y"] == [50.0, 66.0, 68.0]
    assert (to_2025["x"], to_2025["y"]) == (["2024-12-31", "2025-12-31"], [40.0, 80.0])
    assert (to_2030["x"], to_2030["y"]) == (["2024-12-31", "2030-12-31"], [40.0, 100.0])
    assert (projection["x"], projection["y"]) == (["2025-10-31", "2025-12-31", "2030-12-31"], [65.0, 78.5, 96.0])
    assert trend.table.rows[:3] == [
        ["12/2024", Decimal("40"), Decimal("50")],
        ["09/2025", Decimal("60"), Decimal("66")],
        ["10/2025", Decimal("65"), Decimal("68")],
    ]


def test_a_merged_province_says_its_earlier_series_combines_its_former_units(reviewer_client, data):
    response = reviewer_client.get(url("91"), {"indicator": "DVC_TT"})

    note = (
        "Số liệu của Tỉnh An Giang trước ngày 01/07/2025 là số liệu gộp của các đơn vị trước sáp nhập: "
        "Tỉnh An Giang (89), Tỉnh Kiên Giang (91)."
    )
    assert response.context["lineage_note"] == note
    assert f'<p class="lineage-note" data-lineage>{note}</p>' in response.text
    assert chart(response, "xu-huong").figure["layout"]["shapes"][0]["x0"] == "2025-07-01"


def test_a_province_with_a_single_predecessor_has_no_merger_note(reviewer_client, data):
    response = reviewer_client.get(url("01"), {"indicator": "DVC_TT"})

    assert response.context["lineage_note"] == ""
    assert chart(response, "xu-huong").figure["layout"]["shapes"] == []


def test_cards_filter_by_status_and_directive(reviewer_client, data):
    by_status = reviewer_client.get(url(), {"status": "limited_progress"})
    by_directive = reviewer_client.get(url(), {"directive": "kl-5-co"})

    assert [card.indicator_code for card in by_status.context["cards"]] == ["TRAM_5G"]
    assert [card.indicator_code for card in by_directive.context["cards"]] == ["DVC_TT", "TRAM_5G"]


def test_the_cards_download_as_csv(reviewer_client, data):
    response = reviewer_client.get(url(), {"period": "2025-10", "csv": "chi-tieu"})

    assert response.content.decode("utf-8").splitlines() == [
        "\ufeffMã chỉ tiêu,Chỉ tiêu,Kỳ,Giá trị,Cả nước,Mục tiêu,Thời hạn,Tình trạng,"
        "Tỷ lệ quãng đường (%),Dự báo đến hạn",
        "DVC_TT,Tỷ lệ hồ sơ trực tuyến toàn trình,10/2025,65,68,80,31/12/2025,Đúng tiến độ,62.5,78.5",
        "TRAM_5G,Số trạm phát sóng 5G,10/2025,120,420,,,Chậm,,",
    ]


def test_an_unknown_or_former_province_is_not_found(reviewer_client, data):
    assert reviewer_client.get(url("99")).status_code == 404
    assert reviewer_client.get(url("89")).status_code == 404


def test_a_period_without_a_value_shows_no_status_but_the_latest_earlier_value(reviewer_client, data):
    # when: November 2025 has no figure yet (the standings are of October)
    response = reviewer_client.get(url(), {"period": "2025-11"})

    # then: no October status passed off as November's
    online, _stations = response.context["cards"]
    assert (online.value, online.status, online.earlier_value, online.earlier_period) == (
        None,
        "no_data_this_period",
        Decimal("65"),
        "2025-10",
    )
    card = response.text.split('data-card="DVC_TT"')[1].split("</article>")[0]
    assert '<dd data-field="value">65 % (số liệu kỳ 10/2025)</dd>' in card
    assert "… Chưa có số liệu kỳ này" in card
    assert "Đúng tiến độ" not in card


def test_in_english_the_period_without_a_value_says_so(reviewer_client, data):
    response = reviewer_client.get(url(), {"period": "2025-11", "lang": "en"})

    card = response.text.split('data-card="DVC_TT"')[1].split("</article>")[0]
    assert "… No data for this period" in card
    assert "(data of 2025-10)" in card
