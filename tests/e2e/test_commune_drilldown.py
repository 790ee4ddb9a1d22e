"""The drill-down in a real browser: nation → province (its communes ranked, those behind marked)
→ commune (its chart drawn with the app's own plotly.js) → back up through the breadcrumbs."""

import pytest

from tests.tracker.dashboards import commune_dataset
from tests.tracker.dashboards import dataset as hand_made
from tracker.dashboards import selectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(transactional_db, monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: hand_made.TODAY)
    hand_made.build()
    return commune_dataset.build()


def test_drilling_down_from_the_nation_to_a_commune(page, live_server, login, approver_91, data):
    # given An Giang's approver on the national overview
    login("approver_91")
    page.goto(f"{live_server.url}/bang-dieu-khien/")

    # when they open their province from the overview's list
    with page.expect_navigation():
        page.click('a[href="/bang-dieu-khien/tinh/91/"] >> nth=0')

    # then its communes are ranked, the two behind marked in words
    table = page.locator('table[data-table="communes"]')
    assert table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.commune)") == [
        "30001",
        "30002",
        "30003",
        "30004",
    ]
    assert table.locator("tr[data-behind] .behind-mark").all_inner_texts() == ["⚠ Chậm tiến độ", "⚠ Chậm tiến độ"]
    assert page.locator("[data-completeness]").inner_text() == "3/4 xã có số liệu"

    # when they open a commune
    with page.expect_navigation():
        table.locator('a:text("Xã Tân Hiệp")').click()

    # then the commune page shows its place, its status and its chart
    assert page.locator("h1").inner_text() == "Xã Tân Hiệp"
    assert page.locator(".breadcrumbs li").all_inner_texts() == ["Toàn quốc", "Tỉnh An Giang", "Xã Tân Hiệp"]
    assert page.locator('tr[data-indicator="XA_TRUC_TUYEN"]').get_attribute("data-status") == "moderate_progress"
    page.wait_for_selector('[data-chart="xu-huong-xa"][data-drawn="1"] svg.main-svg', timeout=20_000)
    names = page.evaluate("() => document.querySelector('[data-chart=\"xu-huong-xa\"]').data.map(t => t.name)")
    assert names == ["Xã Tân Hiệp", "Tỉnh An Giang"]

    # and the breadcrumbs lead back up to the province and the nation
    with page.expect_navigation():
        page.click('.breadcrumbs a:text("Tỉnh An Giang")')
    assert "/bang-dieu-khien/tinh/91/" in page.url
    with page.expect_navigation():
        page.click('.breadcrumbs a:text("Toàn quốc")')
    assert page.locator("h1").inner_text() == "Tổng quan toàn quốc"
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []
