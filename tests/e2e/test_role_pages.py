"""Each role's home, the approval review, the scorecard's drill-down and the map in a real browser,
at 1366 px and at 390 px (a phone): nothing wider than the screen outside a grid, no request to
another host, no console error."""

import json

import pytest

from kpis.periods import Period, Periodicity
from tests.factories import UserFactory
from tests.tracker.dashboards import dataset as hand_made
from tests.tracker.dashboards.standing_rows import add_standings
from tests.tracker.dashboards.synthetic_boundaries import as_bytes, current_collection
from tests.tracker.reporting.conftest import OCTOBER, build_catalogue
from tracker.accounts.models import Role
from tracker.dashboards import selectors
from tracker.reporting import clock, services

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1366, 390]


@pytest.fixture
def world(transactional_db, monkeypatch):
    """The dashboards' hand-made tables, the monthly form, users of each role, and An Giang's last
    month submitted (the month before approved), entered by an admin so that no lock date bites."""
    monkeypatch.setattr(selectors, "today", lambda: hand_made.TODAY)
    data = hand_made.build()
    add_standings(data)
    catalogue = build_catalogue()
    users = {
        "officer": UserFactory(username="officer_91", role=Role.OFFICER, province=data.an_giang),
        "approver": UserFactory(username="approver_91", role=Role.APPROVER, province=data.an_giang),
        "reviewer": UserFactory(username="reviewer", role=Role.REVIEWER),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    last = Period.containing(clock.today(), Periodicity.MONTHLY).previous()
    admin = users["admin"]
    before, _created = services.submission_create(
        user=admin, province=data.an_giang, form=catalogue.form, period=str(last.previous())
    )
    services.submission_values_update(
        submission=before, user=admin, version=before.version, values={**OCTOBER, "DVC_ONLINE": "6096"}
    )
    services.submission_submit(submission=before, user=admin)
    services.submission_approve(submission=before, user=admin)
    submission, _created = services.submission_create(
        user=admin, province=data.an_giang, form=catalogue.form, period=str(last)
    )
    services.submission_values_update(submission=submission, user=admin, version=submission.version, values=OCTOBER)
    services.submission_submit(submission=submission, user=admin)
    services.submission_comment_add(submission=submission, user=users["reviewer"], text="Đề nghị gửi kèm minh chứng.")
    return {"data": data, "users": users, "submission": submission}


def at_width(page, width):
    page.set_viewport_size({"width": width, "height": 900})


def no_page_overflow(page):
    """Only grids and charts may scroll sideways: the page itself fits the screen."""
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def assert_clean(page):
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


HOMES = {
    "officer": ("Báo cáo của Tỉnh An Giang", "a.button.action"),
    "approver": ("Phê duyệt báo cáo của Tỉnh An Giang", "li[data-submission] a.button.action"),
    "reviewer": ("Toàn quốc", "li[data-submission] a.button.action"),
    "admin": ("Danh mục và tình trạng hệ thống", "a.button.action"),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_starts_on_its_own_to_do(page, live_server, login, world, role, width):
    # given
    at_width(page, width)
    login(world["users"][role].username)

    # when
    page.goto(f"{live_server.url}/")

    # then
    heading, action = HOMES[role]
    assert page.locator("h1").inner_text() == heading
    assert page.locator(action).first.is_visible()
    assert no_page_overflow(page)
    assert_clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_approval_review_shows_changes_preview_and_comments_before_the_decision(
    page, live_server, login, world, width
):
    # given the approver follows the link of their home
    at_width(page, width)
    login("approver_91")
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.click(f'li[data-submission="{world["submission"].pk}"] a.button.action')

    # then comments, changes and the preview come before the decision
    order = page.evaluate(
        "['#y-kien', '#thay-doi', '#anh-huong', '#quyet-dinh']"
        ".map(s => document.querySelector(s).getBoundingClientRect().top + window.scrollY)"
    )
    assert order == sorted(order)
    assert page.locator("#y-kien blockquote").inner_text() == "Đề nghị gửi kèm minh chứng."
    first_change = page.locator("#thay-doi tbody tr").first
    assert first_change.get_attribute("data-element") == "DVC_ONLINE"
    assert "+100 %" in first_change.inner_text()
    effect = page.locator('#anh-huong tr[data-indicator="DVC_TOAN_TRINH"]')
    assert "→ 80" in effect.inner_text()
    assert no_page_overflow(page)
    assert_clean(page)

    # when approving
    with page.expect_navigation():
        page.click("[data-approve]")

    # then
    world["submission"].refresh_from_db()
    assert world["submission"].status == "approved"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_scorecard_cell_opens_the_province_by_indicator_grid(page, live_server, login, world, width):
    # given
    at_width(page, width)
    login("reviewer")
    page.goto(f"{live_server.url}/bang-dieu-khien/bang-diem/?period=2025-10")

    # when Hà Nội's cell is clicked
    cell = page.locator('tr[data-province="01"] td.score a').first
    assert cell.inner_text() == "0/1 · 0 %"
    with page.expect_navigation():
        cell.click()

    # then the grid of that directive, Hà Nội marked, indicator names as headings
    assert page.locator("h1").inner_text() == "Tỉnh, thành phố × chỉ tiêu"
    assert page.locator("tr.highlight").get_attribute("data-province") == "01"
    assert page.locator("tr.names th").all_inner_texts() == [
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "Số trạm phát sóng 5G",
    ]
    assert no_page_overflow(page)
    assert_clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_draws_an_uploaded_synthetic_boundary_file(page, live_server, login, world, width):
    # given an admin uploads boundaries of the two provinces
    at_width(page, width)
    login("admin")
    page.goto(f"{live_server.url}/bang-dieu-khien/ban-do/ranh-gioi/")
    page.set_input_files(
        "input[name=file]",
        {
            "name": "ranh-gioi.geojson",
            "mimeType": "application/geo+json",
            "buffer": as_bytes(current_collection(["91", "01"])),
        },
    )
    page.select_option("select[name=level]", "current")
    page.fill("input[name=source]", "Hình vuông thử nghiệm")
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")

    # then the map page draws one filled shape per province, from the app alone
    page.wait_for_selector('[data-chart="ban-do-hanh-chinh"][data-drawn="1"] svg.main-svg', timeout=20_000)
    figure = json.loads(page.locator("#figure-ban-do-hanh-chinh").text_content())
    assert [trace["customdata"] for trace in figure["data"]] == [["01"], ["91"]]
    assert page.locator('[data-chart="ban-do-hanh-chinh"] .cartesianlayer path.js-fill').count() == 2
    assert no_page_overflow(page)
    assert_clean(page)
