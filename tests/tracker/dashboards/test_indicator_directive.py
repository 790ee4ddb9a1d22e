from decimal import Decimal

import plotly.graph_objects as go
from django.urls import reverse

from tests.tracker.dashboards.conftest import chart


def test_the_indicator_page_shows_the_national_series_and_the_spread_of_provinces(reviewer_client, data):
    # when
    response = reviewer_client.get(reverse("dashboards:indicator", args=["DVC_TT"]), {"period": "2025-10"})

    # then
    national = chart(response, "ca-nuoc")
    spread = chart(response, "phan-bo")
    for item in (national, spread):
        go.Figure(item.figure)
    assert national.figure["data"][0]["y"] == [50.0, 66.0, 68.0]
    assert spread.figure["data"][0]["x"] == [70.0, 65.0]
    assert spread.figure["data"][0]["text"] == ["Hà Nội", "An Giang"]
    assert spread.figure["layout"]["shapes"][0]["x0"] == 68.0
    assert spread.table.rows == [
        [1, "Thành phố Hà Nội", Decimal("70"), Decimal("80"), "Đi xuống", Decimal("-100")],
        [2, "Tỉnh An Giang", Decimal("65"), Decimal("80"), "Đúng tiến độ", Decimal("62.5")],
    ]


def test_the_indicator_page_states_definition_formula_targets_and_source_directive(reviewer_client, data):
    response = reviewer_client.get(reverse("dashboards:indicator", args=["DVC_TT"]))

    text = response.text
    assert "Hồ sơ nộp trực tuyến toàn trình." in text
    assert "<dd data-formula><code>(EL_0)</code></dd>" in text
    assert f'href="{reverse("dashboards:directive", args=["kl-5-co"])}">TB 56/TB-VPCP – Kết luận về “5 có”</a>' in text
    assert [target.value for target in response.context["targets"]] == [Decimal(80), Decimal(100)]
    assert '<tr data-province="01">' in text


def test_the_indicator_table_filters_by_status(reviewer_client, data):
    response = reviewer_client.get(reverse("dashboards:indicator", args=["DVC_TT"]), {"status": "substantial_progress"})

    assert [figure.unit.code for figure in response.context["figures"]] == ["91"]


def test_the_directive_page_counts_provinces_per_status_on_each_objective(reviewer_client, data):
    # when
    response = reviewer_client.get(reverse("dashboards:directive", args=["kl-5-co"]))

    # then
    figure = chart(response, "muc-tieu").figure
    go.Figure(figure)
    by_status = {trace["name"]: trace["x"] for trace in figure["data"]}
    assert figure["data"][0]["y"] == ["5 có: Có hạ tầng số hiện đại"]
    assert by_status == {
        "✓ Đã đạt": [0],
        "↗ Đúng tiến độ": [1],
        "→ Cần đẩy nhanh": [0],
        "↘ Chậm": [1],
        "↓ Đi xuống": [1],
        "– Chưa đủ dữ liệu": [1],
        "✗ Không đạt (quá hạn)": [0],
        "! Số liệu cần kiểm tra": [0],
        "… Chưa có số liệu kỳ này": [0],
        "∅ Không áp dụng": [0],
    }
    assert chart(response, "muc-tieu").table.rows == [
        ["5 có: Có hạ tầng số hiện đại", "DVC_TT", 0, 1, 0, 0, 1, 0, 0, 0, 0, 0],
        ["5 có: Có hạ tầng số hiện đại", "TRAM_5G", 0, 0, 0, 1, 0, 0, 0, 0, 1, 0],
    ]
    assert "Mục tiêu chưa gắn chỉ tiêu đo lường. Chưa có số liệu tỉnh báo cáo." in response.text


def test_the_directive_page_lists_the_provinces_in_a_chosen_status(reviewer_client, data):
    response = reviewer_client.get(reverse("dashboards:directive", args=["kl-5-co"]), {"status": "deterioration"})

    members = response.text.split('data-members="deterioration">')[1].split("</p>")[0]
    assert "Thành phố Hà Nội" in members
    assert "An Giang" not in members
    assert 'data-members="substantial_progress"' not in response.text


def test_unknown_indicator_and_directive_are_not_found(reviewer_client, data):
    assert reviewer_client.get(reverse("dashboards:indicator", args=["KHONG"])).status_code == 404
    assert reviewer_client.get(reverse("dashboards:directive", args=["khong"])).status_code == 404
