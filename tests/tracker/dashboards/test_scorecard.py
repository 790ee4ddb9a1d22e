"""The directive scorecard and its province × indicator drill-down, on the hand-made dataset and
its standings as of October 2025: An Giang is on track on DVC_TT and slow on TRAM_5G; Hà Nội goes
backwards on DVC_TT and has no figure on TRAM_5G."""

import pytest
from django.urls import reverse

from tests.tracker.dashboards.standing_rows import add_standings


@pytest.fixture(autouse=True)
def standings(data):
    add_standings(data)


def rows_of(response):
    card = response.context["card"]
    return [(row.unit.name, [cell.text for cell in row.cells], row.overall.text) for row in card.rows]


def test_each_cell_is_the_share_achieved_or_on_track_among_indicators_with_a_standing(reviewer_client, data):
    # when
    response = reviewer_client.get(reverse("dashboards:scorecard"))

    # then provinces by name (An Giang before Hà Nội: "Tỉnh"/"Thành phố" ignored), one column per directive
    assert response.status_code == 200
    assert [column.label for column in response.context["card"].columns] == ["TB 56/TB-VPCP"]
    assert rows_of(response) == [
        ("Tỉnh An Giang", ["1/2 · 50 %"], "1/2 · 50 %"),
        ("Thành phố Hà Nội", ["0/1 · 0 %"], "0/1 · 0 %"),
    ]
    html = response.content.decode()
    assert 'data-status="substantial_progress"' in html  # 50 % is painted as "on track"
    assert 'data-status="deterioration"' in html  # 0 % as "going backwards"


def test_one_directive_splits_into_its_objective_groups(reviewer_client, data):
    response = reviewer_client.get(reverse("dashboards:scorecard"), {"van-ban": "kl-5-co"})

    assert [(column.key, column.label) for column in response.context["card"].columns] == [("kl-5-co~5 có", "5 có")]
    assert response.context["card"].directive_title == "TB 56/TB-VPCP – Kết luận về “5 có”"


def test_sorting_by_a_column_puts_the_lowest_share_first_and_again_reverses(reviewer_client, data):
    ascending = reviewer_client.get(reverse("dashboards:scorecard"), {"sap-xep": "kl-5-co"})
    descending = reviewer_client.get(reverse("dashboards:scorecard"), {"sap-xep": "kl-5-co", "giam": "1"})

    assert [row[0] for row in rows_of(ascending)] == ["Thành phố Hà Nội", "Tỉnh An Giang"]
    assert [row[0] for row in rows_of(descending)] == ["Tỉnh An Giang", "Thành phố Hà Nội"]
    # the heading of the sorted column links to the other direction
    assert {column.key: url for column, url in descending.context["headers"]} == {"kl-5-co": "?sap-xep=kl-5-co"}


def test_an_unknown_sort_or_directive_falls_back_to_names_and_every_directive(reviewer_client, data):
    response = reviewer_client.get(reverse("dashboards:scorecard"), {"sap-xep": "nope", "van-ban": "nope"})

    assert response.status_code == 200
    assert response.context["card"].sort == "name"
    assert [row[0] for row in rows_of(response)] == ["Tỉnh An Giang", "Thành phố Hà Nội"]


def test_a_cell_opens_the_province_by_indicator_grid_of_its_directive(reviewer_client, data):
    # given the cell of Hà Nội
    card = reviewer_client.get(reverse("dashboards:scorecard")).context["card"]
    url = card.rows[1].cells[0].url
    assert url == "/bang-dieu-khien/bang-diem/chi-tiet/?van-ban=kl-5-co&period=2025-10&tinh=01#tinh-01"

    # when
    response = reviewer_client.get(url.split("#")[0])

    # then indicators by name, grouped by objective group, the clicked province marked
    grid = response.context["grid"]
    assert [(group.label, group.indicators) for group in grid.groups] == [
        ("5 có", [("DVC_TT", "Tỷ lệ hồ sơ trực tuyến toàn trình"), ("TRAM_5G", "Số trạm phát sóng 5G")])
    ]
    assert [(row.unit.code, [status for status, _text in row.cells]) for row in grid.rows] == [
        ("91", ["substantial_progress", "limited_progress"]),
        ("01", ["deterioration", "not_available"]),
    ]
    html = response.content.decode()
    assert '<tr id="tinh-01" data-province="01" class="highlight">' in html
    assert "↗ Đúng tiến độ" in html


def test_the_grid_of_an_unknown_directive_is_not_found(reviewer_client, data):
    assert reviewer_client.get(reverse("dashboards:scorecard_grid"), {"van-ban": "khong-co"}).status_code == 404


def test_a_missed_deadline_counts_as_assessed_and_not_achieved(reviewer_client, data):
    # given Hà Nội missed TRAM_5G (a final status of issue 12's vocabulary)
    add_standings_for_stations(data, "missed")

    # when
    card = reviewer_client.get(reverse("dashboards:scorecard")).context["card"]

    # then
    hanoi = next(row for row in card.rows if row.unit.code == "01")
    assert (hanoi.cells[0].good, hanoi.cells[0].known, hanoi.cells[0].text) == (0, 2, "0/2 · 0 %")


def add_standings_for_stations(data, status):
    from tests.tracker.dashboards.dataset import standing

    # the standing as of the series' latest point, and the same as of October (the dataset writes both)
    standing(data.stations, data.ha_noi, None, status)
