"""The entry form page as served: what it carries for its script, the installable app's files,
and prefill's answer through the API."""

import json
import re
from decimal import Decimal

from tests.tracker.reporting.conftest import api, approved_submission, fill, open_submission
from tracker.reporting import cells
from tracker.reporting.models import DataValue


def config_of(page: str) -> dict:
    found = re.search(r'<script id="entry-config" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_the_form_carries_the_catalogue_rules_for_the_browser_as_data(client, catalogue, an_giang, officer_91):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)
    client.force_login(officer_91)

    # when
    response = client.get(f"/bao-cao/{submission.pk}/")

    # then
    page = response.content.decode()
    config = config_of(page)
    assert (config["locale"], config["marks"], config["status"]) == (
        "vi",
        {"thousands": ".", "decimal": ","},
        "draft",
    )
    assert config["elements"]["SIGNED_RATE"] == {
        "label": "Tỷ lệ hồ sơ được ký số",
        "type": "percent",
        "min": "0",
        "max": "100",
        "min_text": "0",
        "max_text": "100",
        "previous": None,
        "required": True,
    }
    assert {
        "codes": ["POP_5G", "POP"],
        "op": "<=",
        "negated": ">",
        "left": ["ref", "POP_5G"],
        "right": ["ref", "POP"],
        "message": "Dân số được phủ sóng 5G không được lớn hơn dân số",
    } in config["rules"]
    assert config["messages"]["negative"] == "%(name)s: không được là số âm."
    assert config["urls"]["cell"] == f"/api/v1/submissions/{submission.pk}/cells/__code__/"
    assert page.count('inputmode="decimal"') == 7  # every element but the yes/no one
    assert '<select id="v-FEE_ZERO" name="value__FEE_ZERO"' in page
    assert "đã nhập 0/8 · 0 lỗi · 0 cảnh báo" in page
    assert '<link rel="manifest" href="/bao-cao/manifest.webmanifest">' in page


def test_an_invalid_draft_cell_is_shown_as_typed_marked_and_counted(client, catalogue, an_giang, officer_91):
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    cells.cell_save(submission=submission, user=officer_91, element="BTS_5G", raw="ba trăm", base_version=1)
    client.force_login(officer_91)

    page = client.get(f"/bao-cao/{submission.pk}/").content.decode()

    assert re.search(r'<input id="v-BTS_5G" name="value__BTS_5G"[^>]* value="ba trăm"[^>]* aria-invalid="true">', page)
    assert '<div class="error">Số trạm phát sóng 5G: “ba trăm” không phải là số.</div>' in page
    assert "đã nhập 8/8 · 1 lỗi · 0 cảnh báo" in page


def test_the_service_worker_and_the_manifest_are_served_by_the_app(client, db):
    worker = client.get("/bao-cao/sw.js")
    manifest = client.get("/bao-cao/manifest.webmanifest")

    assert (worker.status_code, worker["Content-Type"]) == (200, "application/javascript; charset=utf-8")
    assert '"/static/reporting/entry.js"' in worker.content.decode()
    assert manifest.status_code == 200
    body = json.loads(manifest.content)
    assert (body["start_url"], body["scope"], body["display"]) == ("/bao-cao/", "/bao-cao/", "standalone")
    assert [icon["sizes"] for icon in body["icons"]] == ["192x192", "512x512", "any"]


def test_prefill_through_the_api_says_what_it_filled_and_why_not_the_rest(
    catalogue, an_giang, officer_91, approver_91, fixed_clock
):
    fixed_clock.reporting("2026-09")
    september = approved_submission(officer_91, approver_91, an_giang, catalogue.form, "2026-09")
    DataValue.objects.filter(submission=september, element__code="POP_5G").update(approved_value=Decimal(2000000))
    fixed_clock.reset()
    october = open_submission(officer_91, an_giang, catalogue.form)

    response = api(officer_91).post(f"/api/v1/submissions/{october.pk}/prefill/", {}, format="json")

    reason = (
        "Không điền sẵn: Dân số được phủ sóng 5G không được lớn hơn dân số"
        " (Dân số được phủ sóng 5G 2.000.000 > Dân số 1.952.000 ở kỳ 2026-09)."
    )
    assert response.status_code == 200
    assert response.json()["prefill"] == {
        "filled": ["BTS_5G", "FEE_ZERO"],
        "kept": [],
        "skipped": {"POP_5G": reason, "POP": reason},
        "messages": ["Đã điền sẵn 2 ô từ số liệu đã phê duyệt kỳ trước.", reason],
    }


def test_a_much_edited_draft_shows_its_latest_changes_and_links_to_the_whole_history(
    client, catalogue, an_giang, officer_91
):
    # given: 1 opening + 8 values + 60 cell saves = 69 history entries
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    for version in range(1, 61):
        cells.cell_save(
            submission=submission, user=officer_91, element="BTS_5G", raw=str(300 + version), base_version=version
        )
    client.force_login(officer_91)

    # when
    latest = client.get(f"/bao-cao/{submission.pk}/").content.decode()
    everything = client.get(f"/bao-cao/{submission.pk}/?history=all").content.decode()

    # then
    assert "Đang hiện 50 thay đổi gần nhất trong 69." in latest
    assert latest.count('<td data-label="Lúc">') == 50
    assert everything.count('<td data-label="Lúc">') == 69
    assert "Đang hiện" not in everything
