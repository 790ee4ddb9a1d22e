"""The dashboards in a real browser: every chart draws with the app's own plotly.js, filters
change the URL and the chart, nothing is fetched from another host, the console stays clean."""

import json

import pytest

from tests.tracker.dashboards import dataset as hand_made
from tracker.dashboards import selectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(transactional_db, monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: hand_made.TODAY)
    return hand_made.build()


def charts_drawn(page, expected_keys):
    """Wait until plotly.js has drawn every chart (its SVG is in the container) and return the keys."""
    for key in expected_keys:
        page.wait_for_selector(f'[data-chart="{key}"][data-drawn="1"] svg.main-svg', timeout=20_000)
    return page.eval_on_selector_all(".chart[data-chart]", "nodes => nodes.map(n => n.dataset.chart)")


def assert_clean(page):
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


def test_the_national_overview_draws_every_chart_from_the_app_itself(page, live_server, login, reviewer, data):
    # when
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/")

    # then
    keys = charts_drawn(page, ["ban-do", "xep-hang", "ban-do-nhiet", "nop-bao-cao"])
    assert keys == ["ban-do", "xep-hang", "ban-do-nhiet", "nop-bao-cao"]
    assert page.locator("h1").inner_text() == "Tổng quan toàn quốc"
    # the toolbar's PNG download, in Vietnamese
    page.hover('[data-chart="xep-hang"]')
    assert page.locator('[data-chart="xep-hang"] .modebar-btn[data-title="Tải biểu đồ dạng PNG"]').count() == 1
    # Vietnamese number marks on the ranking's labels
    assert page.locator('[data-chart="xep-hang"] text.bartext').all_text_contents() == ["70 (-5)", "65 (+5)"]
    assert any(url.endswith(".min.js") and "/bang-dieu-khien/plotly-" in url for url in page.watch.requests)
    assert_clean(page)


def test_choosing_an_indicator_changes_the_url_and_the_chart(page, live_server, login, reviewer, data):
    # given
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/?indicator=DVC_TT")
    charts_drawn(page, ["xep-hang"])
    before = page.locator('[data-chart="xep-hang"] text.bartext').all_text_contents()

    # when
    with page.expect_navigation():
        page.select_option('select[name="indicator"]', "TRAM_5G")
    charts_drawn(page, ["xep-hang"])

    # then
    assert "indicator=TRAM_5G" in page.url
    after = page.locator('[data-chart="xep-hang"] text.bartext').all_text_contents()
    assert before == ["70 (-5)", "65 (+5)"]
    assert after == ["300", "120"]
    assert_clean(page)


def test_colouring_the_map_by_value_and_filtering_by_status(page, live_server, login, reviewer, data):
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/?indicator=DVC_TT")
    charts_drawn(page, ["ban-do"])

    with page.expect_navigation():
        page.select_option('select[name="colour"]', "value")
    charts_drawn(page, ["ban-do"])
    assert "colour=value" in page.url
    tiles = page.evaluate(
        "() => document.querySelector('[data-chart=\"ban-do\"]').data[0].z.flat().filter(v => v !== null)"
    )
    assert sorted(tiles) == [65, 70]

    with page.expect_navigation():
        page.select_option('select[name="status"]', "deterioration")
    charts_drawn(page, ["ban-do"])
    assert "status=deterioration" in page.url
    tiles = page.evaluate(
        "() => document.querySelector('[data-chart=\"ban-do\"]').data[0].z.flat().filter(v => v !== null)"
    )
    assert tiles == [70]
    assert_clean(page)


def test_the_province_page_draws_the_trend_and_shows_the_merger_note(page, live_server, login, officer_91, data):
    login("officer_91")
    page.goto(f"{live_server.url}/bang-dieu-khien/tinh/91/")

    assert charts_drawn(page, ["xu-huong"]) == ["xu-huong"]
    assert "Tỉnh Kiên Giang (91)" in page.locator("[data-lineage]").inner_text()
    assert page.locator('[data-card="DVC_TT"] [data-field="projection"]').inner_text() == "78,5 %"
    names = page.evaluate("() => document.querySelector('[data-chart=\"xu-huong\"]').data.map(t => t.name)")
    assert names == ["Tỉnh An Giang", "Cả nước", "Lộ trình mục tiêu 2025", "Lộ trình mục tiêu 2030", "Dự báo đến hạn"]

    # the table alternative opens under the chart
    page.click("#panel-xu-huong details.table-alt summary")
    assert page.locator('table[data-table="xu-huong"] tbody tr').first.inner_text().split("\t") == [
        "12/2024",
        "40",
        "50",
    ]
    assert_clean(page)


def test_the_indicator_and_directive_pages_draw(page, live_server, login, reviewer, data):
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/chi-tieu/DVC_TT/")
    assert charts_drawn(page, ["ca-nuoc", "phan-bo"]) == ["ca-nuoc", "phan-bo"]

    page.goto(f"{live_server.url}/bang-dieu-khien/van-ban/kl-5-co/")
    assert charts_drawn(page, ["muc-tieu"]) == ["muc-tieu"]
    with page.expect_navigation():
        page.select_option('select[name="status"]', "deterioration")
    charts_drawn(page, ["muc-tieu"])
    assert "status=deterioration" in page.url
    assert page.locator('[data-members="deterioration"]').first.inner_text() == "Thành phố Hà Nội"
    assert_clean(page)


def test_a_chart_downloads_as_csv(page, live_server, login, reviewer, data):
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/?indicator=DVC_TT&period=2025-10")
    charts_drawn(page, ["xep-hang"])

    with page.expect_download() as download_info:
        page.click('[data-csv="xep-hang"]')
    path = download_info.value.path()

    with open(path, encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[1] == "1,Thành phố Hà Nội,70,75,-5,1,0"
    assert_clean(page)


def test_the_english_pages_draw_with_english_number_marks(page, live_server, login, reviewer, data):
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/?index=DTI&lang=en")
    charts_drawn(page, ["xep-hang"])

    layout = json.loads(page.locator("#figure-xep-hang").text_content())["layout"]
    assert layout["separators"] == ".,"
    assert page.locator('[data-chart="xep-hang"] text.bartext').all_text_contents() == [
        "0.61 (+0.06) ▲1",
        "0.58 (-0.02) ▼1",
    ]
    assert_clean(page)
