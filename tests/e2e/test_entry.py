"""The entry form in Chromium, as officers use it: per-cell saving with invalid text kept, two
people at once, offline and back, prefill's reasons, accessibility, desk (1366 px) and phone (390 px)."""

import datetime
import time
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.catalogue_fixtures import VN
from tests.factories import UserFactory
from tests.tracker.reporting.conftest import approved_submission, build_catalogue, open_submission
from tracker.accounts.models import Role
from tracker.reporting import cells, clock
from tracker.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=VN)
SAVED = "Mọi giá trị đã được lưu trên máy chủ."


@pytest.fixture
def draft(monkeypatch, officer_91):
    """October 2026 opened by the An Giang officer, every cell empty, on 3 November (before the due date)."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    catalogue = build_catalogue()
    return open_submission(officer_91, officer_91.province, catalogue.form)


@pytest.fixture
def colleague(an_giang):
    return UserFactory(username="officer_91b", role=Role.OFFICER, province=an_giang)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_form(page, live_server, submission):
    page.goto(f"{live_server.url}/bao-cao/{submission.pk}/")
    page.wait_for_selector("#entry-counts")


def type_cell(page, code, text):
    box = page.locator(f"#v-{code}")
    box.fill(text)
    box.press("Tab")


def wait_saved(page):
    # Locator waits, not wait_for_function: the policy forbids the eval that the latter needs.
    expect(page.locator("#entry-sync")).to_have_text(SAVED, timeout=10000)


def stored(submission):
    return {
        dv.element.code: (dv.value, dv.raw, dv.error)
        for dv in DataValue.objects.filter(submission=submission).select_related("element")
    }


@pytest.mark.parametrize("width", [1366, 390])
def test_every_value_typed_is_found_again_as_typed_with_the_invalid_ones_marked(
    browser, live_server, draft, officer_91, width
):
    # given
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else problems.append(request.url)
    )
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)

    # when: a mix of valid and invalid values, then the officer leaves and comes back
    type_cell(page, "DVC_RECEIVED", "15.240")
    type_cell(page, "DVC_ONLINE", "mười")
    type_cell(page, "POP", "1.952.000")
    type_cell(page, "SIGNED_RATE", "120")
    type_cell(page, "BUDGET", "2500000000")
    page.select_option("#v-FEE_ZERO", "có")
    page.locator("#v-FEE_ZERO").press("Tab")
    wait_saved(page)
    page.goto(f"{live_server.url}/")
    open_form(page, live_server, draft)

    # then
    shown = {code: page.input_value(f"#v-{code}") for code in ("DVC_RECEIVED", "DVC_ONLINE", "POP", "SIGNED_RATE")}
    assert shown == {"DVC_RECEIVED": "15.240", "DVC_ONLINE": "mười", "POP": "1.952.000", "SIGNED_RATE": "120"}
    assert page.input_value("#v-BUDGET") == "2.500.000.000"
    assert page.input_value("#v-FEE_ZERO") == "có"
    assert page.get_attribute("#v-DVC_ONLINE", "aria-invalid") == "true"
    assert page.get_attribute("#v-POP", "aria-invalid") == "false"
    assert page.inner_text("#m-DVC_ONLINE") == "Số hồ sơ xử lý trực tuyến toàn trình: “mười” không phải là số."
    assert page.inner_text("#m-SIGNED_RATE") == "Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100."
    assert page.inner_text("#entry-counts") == "đã nhập 6/8 · 2 lỗi · 0 cảnh báo"
    assert page.get_attribute("#v-POP", "inputmode") == "decimal"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    values = stored(draft)
    assert values["POP"] == (Decimal(1952000), "", "")
    assert values["DVC_ONLINE"] == (None, "mười", "Số hồ sơ xử lý trực tuyến toàn trình: “mười” không phải là số.")
    assert problems == []  # no script error, no policy violation, nothing fetched from outside the app
    context.close()


def test_enter_moves_to_the_next_cell_and_rules_warn_beside_every_cell_involved(browser, live_server, draft):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)

    page.locator("#v-DVC_RECEIVED").fill("100")
    page.locator("#v-DVC_RECEIVED").press("Enter")
    page.keyboard.type("150")
    page.keyboard.press("Enter")

    rule = "Số hồ sơ xử lý trực tuyến toàn trình không được lớn hơn số hồ sơ tiếp nhận (150 > 100)."
    assert page.evaluate("document.activeElement.id") == "v-SIGNED_RATE"  # the next cell of the section
    assert page.inner_text("#m-DVC_ONLINE") == rule
    assert page.inner_text("#m-DVC_RECEIVED") == rule
    wait_saved(page)
    assert stored(draft)["DVC_ONLINE"] == (Decimal(150), "", "")
    context.close()


def test_two_people_editing_different_cells_both_keep_their_figures(browser, live_server, draft, colleague):
    # given: both have the form open
    first = browser.new_context(locale="vi-VN").new_page()
    second = browser.new_context(locale="vi-VN").new_page()
    sign_in(first, live_server, "officer_91")
    sign_in(second, live_server, "officer_91b")
    open_form(first, live_server, draft)
    open_form(second, live_server, draft)

    # when
    type_cell(first, "BTS_5G", "330")
    wait_saved(first)
    type_cell(second, "POP", "1.952.000")
    wait_saved(second)

    # then
    values = stored(draft)
    assert (values["BTS_5G"][0], values["POP"][0]) == (Decimal(330), Decimal(1952000))
    first.context.close()
    second.context.close()


def test_the_same_cell_changed_by_two_people_is_shown_side_by_side_to_choose(browser, live_server, draft, colleague):
    # given
    first = browser.new_context(locale="vi-VN").new_page()
    second = browser.new_context(locale="vi-VN").new_page()
    sign_in(first, live_server, "officer_91")
    sign_in(second, live_server, "officer_91b")
    open_form(first, live_server, draft)
    open_form(second, live_server, draft)
    type_cell(first, "BTS_5G", "330")
    wait_saved(first)

    # when
    type_cell(second, "BTS_5G", "350")
    second.wait_for_selector("#m-BTS_5G .conflict")

    # then: both figures, the stored one unchanged until the second officer chooses
    sides = second.locator("#m-BTS_5G .conflict-value").all_inner_texts()
    assert sides == ["330", "350"]
    assert "Trên máy chủ (officer_91)" in second.inner_text("#m-BTS_5G .conflict")
    assert stored(draft)["BTS_5G"][0] == Decimal(330)
    second.click("#m-BTS_5G button[data-choice=keep_mine]")
    expect(second.locator("#s-BTS_5G")).to_have_text("Đã lưu trên máy chủ")
    assert stored(draft)["BTS_5G"][0] == Decimal(350)
    first.context.close()
    second.context.close()


def test_ten_cells_typed_offline_reach_the_server_when_the_connection_returns(browser, live_server, draft):
    # given
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)
    figures = {
        "DVC_RECEIVED": "15.240",
        "DVC_ONLINE": "12.192",
        "POP": "1.952.000",
        "POP_5G": "1.500.000",
        "BTS_5G": "320",
        "SIGNED_RATE": "87,5",
        "BUDGET": "2.500.000.000",
    }

    # the installable app: its service worker controls the page once it was loaded again
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)").endswith("/bao-cao/sw.js")
    page.reload()
    page.wait_for_selector("#entry-counts")
    assert page.evaluate("!!navigator.serviceWorker.controller")

    # when: the connection drops; ten cells are typed (seven figures, then three corrected)
    context.set_offline(True)
    for code, text in figures.items():
        type_cell(page, code, text)
    for code, text in (("BTS_5G", "321"), ("SIGNED_RATE", "88"), ("DVC_ONLINE", "12.193")):
        type_cell(page, code, text)
    page.select_option("#v-FEE_ZERO", "có")
    page.locator("#v-FEE_ZERO").press("Tab")

    # then: only on this device, and said so
    assert page.inner_text("#s-POP") == "Chỉ có trên máy này: sẽ gửi khi có mạng"
    assert "Mất kết nối mạng: 8 giá trị chỉ có trên máy này" in page.inner_text("#entry-sync")
    assert all(value is None for value, _raw, _error in stored(draft).values())

    # when: the page is reloaded while still offline (served by the service worker)
    page.reload()
    page.wait_for_selector("#entry-counts")

    # then: what was typed is still there, still marked as only on this device
    assert (page.input_value("#v-POP"), page.input_value("#v-BTS_5G")) == ("1.952.000", "321")
    assert page.inner_text("#s-POP") == "Chỉ có trên máy này: sẽ gửi khi có mạng"

    # when: back online
    context.set_offline(False)
    wait_saved(page)

    # then: every figure reached the server
    values = stored(draft)
    assert {code: values[code][0] for code in values} == {
        "DVC_RECEIVED": Decimal(15240),
        "DVC_ONLINE": Decimal(12193),
        "POP": Decimal(1952000),
        "POP_5G": Decimal(1500000),
        "BTS_5G": Decimal(321),
        "FEE_ZERO": Decimal(1),
        "SIGNED_RATE": Decimal(88),
        "BUDGET": Decimal(2500000000),
    }
    assert page.inner_text("#s-POP") == "Đã lưu trên máy chủ"
    context.close()


def test_a_value_queued_offline_for_a_report_submitted_meanwhile_is_not_applied_and_says_why(
    browser, live_server, draft, officer_91
):
    # given: a complete draft open in the browser, which then goes offline
    from tests.tracker.reporting.conftest import fill
    from tracker.reporting import services

    fill(draft, officer_91)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)
    context.set_offline(True)
    type_cell(page, "BTS_5G", "999")

    # when: the report is submitted from elsewhere, then the connection returns
    services.submission_submit(submission=Submission.objects.get(pk=draft.pk), user=officer_91)
    context.set_offline(False)
    expect(page.locator("#s-BTS_5G")).to_contain_text("Không lưu được", timeout=20000)

    # then
    assert page.inner_text("#s-BTS_5G") == (
        "Không lưu được: Không lưu giá trị này: báo cáo đã chuyển sang trạng thái “Đã gửi” sau khi bạn nhập"
        " (lúc đó là “Nháp”)."
    )
    assert stored(draft)["BTS_5G"][0] == Decimal(320)
    context.close()


def test_prefill_says_what_it_filled_and_why_not_the_rest(browser, live_server, monkeypatch, officer_91, approver_91):
    # given: September approved, its 5G coverage then corrected above the population
    catalogue = build_catalogue()
    monkeypatch.setattr(clock, "now", lambda: datetime.datetime(2026, 10, 3, 9, 0, tzinfo=VN))
    september = approved_submission(officer_91, approver_91, officer_91.province, catalogue.form, "2026-09")
    DataValue.objects.filter(submission=september, element__code="POP_5G").update(approved_value=Decimal(2000000))
    monkeypatch.setattr(clock, "now", lambda: NOW)
    october = open_submission(officer_91, officer_91.province, catalogue.form)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, october)

    # when
    page.click("text=Điền sẵn số liệu tồn từ kỳ trước")
    page.wait_for_selector(".messages")

    # then
    messages = page.locator(".messages li").all_inner_texts()
    assert messages == [
        "Đã điền sẵn 2 ô từ số liệu đã phê duyệt kỳ trước.",
        "Không điền sẵn: Dân số được phủ sóng 5G không được lớn hơn dân số"
        " (Dân số được phủ sóng 5G 2.000.000 > Dân số 1.952.000 ở kỳ 2026-09).",
    ]
    assert page.input_value("#v-BTS_5G") == "320"
    assert page.input_value("#v-POP") == ""
    context.close()


@pytest.mark.parametrize(("width", "language"), [(1366, "vi"), (390, "en")])
def test_the_form_has_no_serious_accessibility_violation(browser, live_server, draft, width, language):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    open_form(page, live_server, draft)
    type_cell(page, "DVC_ONLINE", "mười")
    expect(page.locator("#v-DVC_ONLINE")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#s-DVC_ONLINE")).to_have_text(
        "Đã lưu trên máy chủ" if language == "vi" else "Saved on the server"
    )

    results = Axe().run(page)

    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_browser_reads_typed_text_exactly_as_the_server_does(browser, live_server, draft, language):
    """The page's script receives the rules from the server; this pins that it applies them alike."""
    from django.utils import translation

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    open_form(page, live_server, draft)
    cases = [
        ("BUDGET", "1.234.567"),
        ("BUDGET", "1.234,5"),
        ("BUDGET", "1234,5"),
        ("BUDGET", "1.234"),
        ("BUDGET", "12.5"),
        ("BUDGET", "1,234.5"),
        ("BUDGET", "1.23.4"),
        ("BUDGET", "-5"),
        ("BUDGET", "abc"),
        ("BUDGET", "0,1234567"),
        ("BUDGET", "1" * 19),
        ("BUDGET", "1,234"),
        ("BUDGET", "0.234"),
        ("BUDGET", "1 234 567,89"),
        ("BTS_5G", "12,5"),
        ("SIGNED_RATE", "87,5 %"),
        ("SIGNED_RATE", "101"),
        ("FEE_ZERO", "có"),
        ("FEE_ZERO", "khong"),
        ("FEE_ZERO", "maybe"),
    ]
    from kpis.periods import Period
    from tracker.reporting.formatting import canonical
    from tracker.reporting.validation import validation_context

    with translation.override(language):
        ctx = validation_context(province=draft.province, form=draft.form, period=Period.parse(draft.period))

    def server(code, raw):
        with translation.override(language):
            value, error = cells.check_cell(ctx, code, raw, locale=language)
        return {"error": error} if error else {"value": canonical(value)}

    def in_browser(code, raw):
        result = page.evaluate("([code, raw]) => window.kpiEntry.parse(code, raw)", [code, raw])
        return {"error": result["error"]} if result.get("error") else {"value": result["value"]}

    assert [in_browser(code, raw) for code, raw in cases] == [server(code, raw) for code, raw in cases]
    context.close()


def test_submitting_from_the_bar_is_refused_while_a_cell_is_invalid_and_works_once_corrected(
    browser, live_server, draft, officer_91
):
    from tests.tracker.reporting.conftest import OCTOBER, fill

    # given: a complete draft with one cell typed wrong
    fill(draft, officer_91, OCTOBER)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)
    type_cell(page, "BTS_5G", "ba trăm")
    wait_saved(page)

    # when
    page.click("#submit-report")

    # then: refused with the cell's own message, nothing sent
    expect(page.locator("#entry-sync")).to_have_text("Chưa gửi được: còn số liệu thiếu hoặc không hợp lệ.")
    assert page.inner_text("#m-BTS_5G") == "Số trạm phát sóng 5G: “ba trăm” không phải là số."
    assert Submission.objects.get(pk=draft.pk).status == "draft"

    # when: corrected, then submitted
    type_cell(page, "BTS_5G", "320")
    wait_saved(page)
    page.click("#submit-report")
    expect(page.locator("#entry-status")).to_have_text("Đã gửi")

    # then
    assert Submission.objects.get(pk=draft.pk).status == "submitted"
    context.close()


def test_submitting_while_a_cell_is_still_saving_waits_for_it_and_submits(
    browser, live_server, draft, officer_91, monkeypatch
):
    from tests.tracker.reporting.conftest import OCTOBER, fill
    from tracker.reporting import api_cells

    # given: a complete draft, and a server that takes 0.8 s to save a cell
    fill(draft, officer_91, OCTOBER)
    save = api_cells.cells.cell_save

    def slow_save(*args, **kwargs):
        time.sleep(0.8)
        return save(*args, **kwargs)

    monkeypatch.setattr(api_cells.cells, "cell_save", slow_save)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    open_form(page, live_server, draft)

    # when: a figure changed and "Lưu và gửi phê duyệt" clicked before its save has answered
    type_cell(page, "BTS_5G", "321")
    expect(page.locator("#s-BTS_5G")).to_have_class("cell-state state-saving")
    page.click("#submit-report")

    # then: the save lands first, then the report is sent
    expect(page.locator("#entry-status")).to_have_text("Đã gửi", timeout=10000)
    submission = Submission.objects.get(pk=draft.pk)
    assert (submission.status, stored(submission)["BTS_5G"][0]) == ("submitted", Decimal(321))
    context.close()


def test_a_figure_typed_before_the_forms_script_has_loaded_still_reaches_the_server(browser, live_server, draft):
    # given: a slow connection, on which the form's script arrives after the officer has started typing
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "officer_91")
    held = []
    page.route("**/reporting/entry.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/", wait_until="commit")
    page.wait_for_selector("#v-DVC_RECEIVED")
    for _ in range(100):  # the page asks for its script once the form is parsed
        if held:
            break
        page.wait_for_timeout(50)

    # when: a figure typed into the bare form, then the script arrives
    page.locator("#v-BTS_5G").fill("330")
    page.locator("#v-DVC_RECEIVED").focus()
    held[0].continue_()
    wait_saved(page)
    page.unroute("**/reporting/entry.js")

    # then: the figure is on the server, and shown again after a reload
    assert stored(draft)["BTS_5G"][0] == Decimal(330)
    open_form(page, live_server, draft)
    assert page.input_value("#v-BTS_5G") == "330"
    context.close()
