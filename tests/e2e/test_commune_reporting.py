"""Commune reporting in Chromium (issue 17): a commune officer enters and submits October; the
province's approver approves the submitted communes at once; the province's form shows the
rolled-up figure, read-only, with its coverage. Desk (1366 px) and phone (390 px).

With SCREENSHOTS_DIR set, each page is also saved there in Vietnamese and English."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from tests.catalogue_fixtures import VN
from tests.factories import CommuneFactory, CommuneOfficerFactory
from tests.tracker.reporting.conftest import build_catalogue, submitted_commune
from tracker.reporting import clock
from tracker.reporting.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=VN)
SAVED = "Mọi giá trị đã được lưu trên máy chủ."


@pytest.fixture
def world(monkeypatch, an_giang, approver_91, officer_91):
    """Four An Giang communes; two have sent October (10 and 20 dossiers), one has not started."""
    from kpis.models import DataElement, ReportFormElement

    monkeypatch.setattr(clock, "now", lambda: NOW)
    catalogue = build_catalogue()
    form = catalogue.form
    form.commune_reporting_from = "2025-07"
    form.save()
    ReportFormElement.objects.filter(form=form, element__code__in=["DVC_RECEIVED", "DVC_ONLINE", "SIGNED_RATE"]).update(
        commune_level=True
    )
    DataElement.objects.filter(code="SIGNED_RATE").update(space_aggregation="mean")
    names = ["Phường Long Xuyên", "Xã Mỹ Hòa Hưng", "Xã Phú Quốc", "Đặc khu Kiên Hải"]
    communes = [
        CommuneFactory(code=f"3000{i + 1}", name=name, province=an_giang, kind="xa") for i, name in enumerate(names)
    ]
    officers = [CommuneOfficerFactory(username=f"commune_{c.code}", commune=c) for c in communes]
    for officer, commune, received in zip(officers[1:3], communes[1:3], ["10", "20"], strict=True):
        submitted_commune(officer, commune, form, {"DVC_RECEIVED": received, "DVC_ONLINE": "1", "SIGNED_RATE": "70"})
    return form, communes


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(page, live_server, name, width):
    """Save the current page in Vietnamese and English when SCREENSHOTS_DIR is set."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    url = page.url
    page.screenshot(path=f"{folder}/{name}-{width}-vi.png", full_page=True)
    page.goto(url + ("&" if "?" in url else "?") + "lang=en")
    page.screenshot(path=f"{folder}/{name}-{width}-en.png", full_page=True)
    page.goto(url + ("&" if "?" in url else "?") + "lang=vi")


@pytest.mark.parametrize("width", [1366, 390])
def test_commune_enters_approver_batch_approves_province_sees_the_roll_up(browser, live_server, world, width):
    _form, communes = world
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    # given: the commune officer of Phường Long Xuyên on their home
    sign_in(page, live_server, "commune_30001")
    expect(page.locator("h1")).to_have_text("Báo cáo của Phường Long Xuyên, Tỉnh An Giang")
    shoot(page, live_server, "commune-home", width)

    # when: they open October, type the three commune figures and submit
    page.locator("#commune-due button").first.click()
    page.wait_for_selector("#entry-counts")
    for code, text in [("DVC_RECEIVED", "30"), ("DVC_ONLINE", "3"), ("SIGNED_RATE", "80")]:
        box = page.locator(f"#v-{code}")
        box.fill(text)
        box.press("Tab")
    expect(page.locator("#entry-sync")).to_have_text(SAVED, timeout=10000)
    shoot(page, live_server, "commune-form", width)
    page.locator("#submit-report").click()
    page.wait_for_load_state("networkidle")

    # then
    expect(page.locator("#entry-status")).to_have_text("Đã gửi")
    assert Submission.objects.get(commune=communes[0]).status == "submitted"

    # when: the approver opens the communes' page from their home and approves the three at once
    context.clear_cookies()
    sign_in(page, live_server, "approver_91")
    page.locator("#commune-reports-link").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#commune-coverage")).to_contain_text("0/4 xã đã được duyệt")
    shoot(page, live_server, "approver-communes", width)
    for box in page.locator("input[name=ids]").all():
        box.check()
    page.locator("#batch-approve").click()
    page.wait_for_load_state("networkidle")

    # then: three approved, the fourth never opened
    expect(page.locator("#commune-coverage")).to_contain_text("3/4 xã đã được duyệt")
    statuses = sorted(Submission.objects.filter(commune__isnull=False).values_list("commune__code", "status"))
    assert statuses == [("30001", "approved"), ("30002", "approved"), ("30003", "approved")]

    # when: the province report, opened from the coverage line
    page.locator("#commune-coverage a").click()
    page.wait_for_load_state("networkidle")

    # then: 10 + 20 + 30 dossiers, read-only, with the coverage beside it
    expect(page.locator("#r-DVC_RECEIVED")).to_have_text("60")
    expect(page.locator("#row-DVC_RECEIVED")).to_contain_text("Tổng hợp từ các xã · 3/4 xã đã được duyệt")
    expect(page.locator("#coverage")).to_contain_text("3/4 xã đã được duyệt")
    assert page.locator("#v-DVC_RECEIVED").count() == 0
    shoot(page, live_server, "province-form", width)
    assert problems == []
    context.close()
