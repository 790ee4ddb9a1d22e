from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from kpis.models import CompositeIndex, Indicator
from tests.factories import IndicatorFactory
from tests.tracker.dashboards.conftest import chart
from tracker.dashboards import tiles

URL = reverse("dashboards:national")
AG_ROW, AG_COL = tiles.TILES["91"]
HN_ROW, HN_COL = tiles.TILES["01"]


def coloured_tiles(figure):
    z = figure["data"][0]["z"]
    return {(row, column): cell for row, line in enumerate(z) for column, cell in enumerate(line) if cell is not None}


def test_the_overview_shows_the_latest_month_and_draws_four_valid_plotly_figures(reviewer_client, data):
    # when
    response = reviewer_client.get(URL)

    # then
    assert response.status_code == 200
    assert response.context["period"].__str__() == "2025-10"
    assert [item.key for item in response.context["charts"]] == ["ban-do", "ban-do-nhiet", "xep-hang", "nop-bao-cao"]
    for item in response.context["charts"]:
        go.Figure(item.figure)  # raises on anything plotly.js would not understand
        assert item.figure["layout"]["separators"] == ",."
        assert f'id="figure-{item.key}"' in response.text
        assert f'data-chart="{item.key}"' in response.text


def test_the_map_colours_each_province_tile_by_its_status_towards_the_nearest_target(reviewer_client, data):
    # when
    response = reviewer_client.get(URL, {"indicator": "DVC_TT"})

    # then: An Giang on track (rank 4) for 2025, Hà Nội going backwards (rank 1)
    figure = chart(response, "ban-do").figure
    assert coloured_tiles(figure) == {(AG_ROW, AG_COL): 4, (HN_ROW, HN_COL): 1}
    assert figure["data"][0]["text"][AG_ROW][AG_COL] == "An Giang<br>↗"
    assert figure["data"][0]["customdata"][HN_ROW][HN_COL] == "<b>Thành phố Hà Nội</b><br>70 %<br>↓ Đi xuống"
    assert chart(response, "ban-do").table.rows == [
        ["01", "Thành phố Hà Nội", Decimal("70"), "Đi xuống"],
        ["91", "Tỉnh An Giang", Decimal("65"), "Đúng tiến độ"],
    ]


def test_the_map_can_be_coloured_by_value_instead(reviewer_client, data):
    response = reviewer_client.get(URL, {"indicator": "DVC_TT", "colour": "value", "period": "2025-09"})

    figure = chart(response, "ban-do").figure
    assert coloured_tiles(figure) == {(AG_ROW, AG_COL): 60.0, (HN_ROW, HN_COL): 75.0}
    assert figure["data"][0]["text"][HN_ROW][HN_COL] == "Hà Nội<br>75"
    assert figure["data"][0]["colorscale"] == "Cividis"


def test_the_heatmap_shows_every_province_against_every_indicator_by_status(reviewer_client, data):
    response = reviewer_client.get(URL)

    heatmap = chart(response, "ban-do-nhiet")
    trace = heatmap.figure["data"][0]
    assert trace["y"] == ["Hà Nội", "An Giang"]
    assert trace["x"] == ["DVC_TT", "TRAM_5G"]
    assert trace["z"] == [[1, None], [4, 2]]
    assert trace["text"] == [["↓", ""], ["↗", "↘"]]
    assert heatmap.table.rows == [["Thành phố Hà Nội", "Đi xuống", ""], ["Tỉnh An Giang", "Đúng tiến độ", "Chậm"]]


def test_a_status_filter_keeps_only_the_provinces_and_cells_in_that_status(reviewer_client, data):
    response = reviewer_client.get(URL, {"indicator": "DVC_TT", "status": "deterioration"})

    assert coloured_tiles(chart(response, "ban-do").figure) == {(HN_ROW, HN_COL): 1}
    assert chart(response, "ban-do-nhiet").figure["data"][0]["z"] == [[1, None], [None, None]]


def test_a_directive_filter_limits_the_heatmap_to_the_directive_s_indicators(reviewer_client, data):
    # given an indicator no objective of the directive measures
    IndicatorFactory(code="AAA_KHAC", name="Chỉ tiêu khác")

    # when
    everything = reviewer_client.get(URL)
    directive_only = reviewer_client.get(URL, {"directive": "kl-5-co"})

    # then
    assert chart(everything, "ban-do-nhiet").figure["data"][0]["x"] == ["AAA_KHAC", "DVC_TT", "TRAM_5G"]
    assert chart(directive_only, "ban-do-nhiet").figure["data"][0]["x"] == ["DVC_TT", "TRAM_5G"]


def test_the_ranking_orders_provinces_and_shows_the_change_since_the_previous_month(reviewer_client, data):
    response = reviewer_client.get(URL, {"indicator": "DVC_TT", "period": "2025-10"})

    ranking = chart(response, "xep-hang")
    bars, previous = ranking.figure["data"]
    assert bars["y"] == ["1. Hà Nội", "2. An Giang"]
    assert bars["x"] == [70.0, 65.0]
    assert bars["text"] == ["70 (-5)", "65 (+5)"]
    assert previous["x"] == [75.0, 60.0]
    assert ranking.table.rows == [
        [1, "Thành phố Hà Nội", Decimal("70"), Decimal("75"), Decimal("-5"), 1, 0],
        [2, "Tỉnh An Giang", Decimal("65"), Decimal("60"), Decimal("5"), 2, 0],
    ]
    assert ranking.title == "Xếp hạng: Tỷ lệ hồ sơ trực tuyến toàn trình, 10/2025"


def test_the_ranking_of_a_composite_index_uses_its_latest_period_and_rank_moves(reviewer_client, data):
    response = reviewer_client.get(URL, {"index": "DTI", "period": "2025-10"})

    ranking = chart(response, "xep-hang")
    bars = ranking.figure["data"][0]
    assert ranking.title == "Xếp hạng: Chỉ số DTI cấp tỉnh, Năm 2024"
    assert bars["y"] == ["1. An Giang", "2. Hà Nội"]
    assert bars["x"] == [0.61, 0.58]
    assert bars["text"] == ["0,61 (+0,06) ▲1", "0,58 (-0,02) ▼1"]


def test_reporting_rates_show_who_is_late(reviewer_client, data):
    response = reviewer_client.get(URL, {"period": "2025-10"})

    reporting = chart(response, "nop-bao-cao")
    assert reporting.table.columns[5:7] == ["Chưa nộp", "Chưa đến hạn"]
    assert reporting.table.rows == [
        ["Thành phố Hà Nội", 1, 1, 0, 1, 0, 0, 0],
        ["Tỉnh An Giang", 1, 1, 1, 0, 0, 0, 1],
    ]
    on_time, late, missing, not_due = reporting.figure["data"]
    assert (on_time["x"], late["x"], missing["x"], not_due["x"]) == ([0, 1], [1, 0], [0, 0], [0, 0])
    assert not_due["name"] == "Chưa đến hạn"
    assert [row.unit.code for row in response.context["late"]] == ["01"]
    assert 'data-late="01"' in response.text
    assert 'data-late="91"' not in response.text


def test_english_pages_use_english_number_marks(reviewer_client, data):
    response = reviewer_client.get(URL, {"lang": "en", "index": "DTI"})

    ranking = chart(response, "xep-hang")
    assert ranking.figure["layout"]["separators"] == ".,"
    assert ranking.figure["data"][0]["text"] == ["0.61 (+0.06) ▲1", "0.58 (-0.02) ▼1"]


def test_each_chart_downloads_as_csv_with_the_filters_of_the_page(reviewer_client, data):
    # when
    page = reviewer_client.get(URL, {"indicator": "DVC_TT", "period": "2025-10"})
    download = reviewer_client.get(URL, {"indicator": "DVC_TT", "period": "2025-10", "csv": "xep-hang"})

    # then
    assert chart(page, "xep-hang").csv_url == "?period=2025-10&indicator=DVC_TT&csv=xep-hang"
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="xep-hang.csv"'
    assert download.content.decode("utf-8") == (
        "\ufeffHạng,Tỉnh, thành phố,Giá trị,Kỳ trước,Thay đổi,Hạng kỳ trước,Số bậc thay đổi\r\n".replace(
            "Tỉnh, thành phố", '"Tỉnh, thành phố"'
        )
        + "1,Thành phố Hà Nội,70,75,-5,1,0\r\n"
        + "2,Tỉnh An Giang,65,60,5,2,0\r\n"
    )


def test_an_unknown_csv_key_is_not_found(reviewer_client, data):
    assert reviewer_client.get(URL, {"csv": "khong-co"}).status_code == 404


def test_the_overview_without_any_computed_figures_still_opens(reviewer_client, db):
    response = reviewer_client.get(URL)

    assert response.status_code == 200
    assert [item.key for item in response.context["charts"]] == ["nop-bao-cao"]


def test_an_empty_period_falls_back_to_the_latest_month(reviewer_client, data):
    response = reviewer_client.get(URL, {"period": ""})

    assert str(response.context["period"]) == "2025-10"


def test_the_grid_for_a_period_without_values_says_so_for_every_cell(reviewer_client, data):
    # when: November 2025 has no value anywhere
    response = reviewer_client.get(reverse("dashboards:national"), {"period": "2025-11"})

    # then: every standing says "no data this period" (z 8), none claims October's status
    heatmap = chart(response, "ban-do-nhiet")
    assert heatmap.figure["data"][0]["z"] == [[8, None], [8, 8]]
    assert heatmap.table.rows == [
        ["Thành phố Hà Nội", "Chưa có số liệu kỳ này", ""],
        ["Tỉnh An Giang", "Chưa có số liệu kỳ này", "Chưa có số liệu kỳ này"],
    ]


def test_the_ranking_lists_every_province_and_marks_those_without_a_value(reviewer_client, data):
    # given: Tây Ninh, which has no October figure
    from tests.tracker.dashboards.dataset import current

    current("80", "Tỉnh Tây Ninh")

    # when
    response = reviewer_client.get(reverse("dashboards:national"), {"indicator": "DVC_TT", "period": "2025-10"})

    # then: ranked by value, Tây Ninh last, unranked, marked; changes only between ranked provinces
    assert chart(response, "xep-hang").table.rows == [
        [1, "Thành phố Hà Nội", Decimal("70"), Decimal("75"), Decimal("-5"), 1, 0],
        [2, "Tỉnh An Giang", Decimal("65"), Decimal("60"), Decimal("5"), 2, 0],
        [None, "Tỉnh Tây Ninh", "Chưa có số liệu kỳ này", None, None, None, None],
    ]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-13", "Kỳ báo cáo “2025-13” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)."),
        ("abc", "Kỳ báo cáo “abc” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)."),
        ("0000-01", "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100."),
    ],
)
def test_a_malformed_period_is_refused_with_a_message(reviewer_client, data, period, message):
    # A period the page cannot show is refused (tracker.inputs), not silently replaced by another.
    response = reviewer_client.get(URL, {"period": period})

    assert response.status_code == 400
    assert f'<p class="error">{message}</p>' in response.content.decode()


def test_the_english_overview_names_the_indicator_link_and_the_index_choices_in_english(reviewer_client, data):
    # given: the English names the seed files carry
    Indicator.objects.filter(code="DVC_TT").update(name_en="Applications handled fully online")
    CompositeIndex.objects.filter(code="DTI").update(name_en="Provincial DTI")

    # when
    english = reviewer_client.get(URL, {"indicator": "DVC_TT", "lang": "en"})
    vietnamese = reviewer_client.get(URL, {"indicator": "DVC_TT"})

    # then
    assert english.context["index_choices"] == [("DTI", "Provincial DTI")]
    assert "View details of indicator “Applications handled fully online”" in english.content.decode()
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình" not in english.content.decode()
    assert vietnamese.context["index_choices"] == [("DTI", "Chỉ số DTI cấp tỉnh")]
    assert "Xem chi tiết chỉ tiêu “Tỷ lệ hồ sơ trực tuyến toàn trình”" in vietnamese.content.decode()
