"""Saving the entry form cell by cell: invalid text kept in the draft, rules as warnings beside
every cell involved, per-cell versions (different cells merge, the same cell conflicts), values
read in the page's language, and refusals that write nothing."""

from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.tracker.reporting.conftest import api, approved_submission, audit_rows, fill, open_submission, snapshot
from tracker.accounts.models import Role
from tracker.reporting import cells, prefill, services
from tracker.reporting.errors import InvalidInput, TransitionNotAllowed, ValuesInvalid
from tracker.reporting.models import DataValue

RULE = "Dân số được phủ sóng 5G không được lớn hơn dân số (2.000.000 > 1.952.000)."


@pytest.fixture
def colleague(an_giang):
    return UserFactory(username="officer_91b", role=Role.OFFICER, province=an_giang)


def cell(submission, code):
    return DataValue.objects.get(submission=submission, element__code=code)


def test_an_invalid_value_is_kept_as_typed_and_blocks_only_the_submission(catalogue, an_giang, officer_91):
    # given
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)

    # when: one cell is wrong, the next one is fine
    bad = cells.cell_save(submission=draft, user=officer_91, element="SIGNED_RATE", raw="120", base_version=1)
    good = cells.cell_save(
        submission=draft, user=officer_91, element="BTS_5G", raw="1.234", base_version=1, locale="vi"
    )

    # then: both are stored, the wrong one as typed with its message
    assert (bad.cell.text, bad.cell.value, bad.cell.error, bad.cell.version) == (
        "120",
        None,
        "Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100.",
        2,
    )
    assert (good.cell.text, good.cell.value, good.cell.error, good.submission_version) == ("1.234", "1234", "", 4)
    assert good.counts == {"total": 8, "filled": 8, "errors": 1, "warnings": 0}
    with pytest.raises(ValuesInvalid) as refused:
        services.submission_submit(submission=draft, user=officer_91)
    assert refused.value.errors == {"SIGNED_RATE": ["Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100."]}


def test_correcting_an_invalid_cell_clears_its_message(catalogue, an_giang, officer_91):
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    cells.cell_save(submission=draft, user=officer_91, element="DVC_RECEIVED", raw="mười", base_version=1)

    fixed = cells.cell_save(submission=draft, user=officer_91, element="DVC_RECEIVED", raw="15 300", base_version=2)

    stored = cell(draft, "DVC_RECEIVED")
    assert (stored.value, stored.raw, stored.error, stored.version) == (Decimal(15300), "", "", 3)
    assert fixed.cell.text == "15.300"
    assert [row[:4] for row in audit_rows(draft)[-2:]] == [
        ("value", "DVC_RECEIVED", "15240", "mười"),
        ("value", "DVC_RECEIVED", "mười", "15300"),
    ]


@pytest.mark.parametrize(
    ("locale", "typed", "stored", "shown"),
    [
        ("vi", "1.234.567", Decimal(1234567), "1.234.567"),
        ("vi", "1.234,5", Decimal("1234.5"), "1.234,5"),
        ("vi", "1234,5", Decimal("1234.5"), "1.234,5"),
        ("vi", "1.234", Decimal(1234), "1.234"),
        ("en", "1,234", Decimal(1234), "1,234"),
        ("en", "1,234.5", Decimal("1234.5"), "1,234.5"),
        ("en", "1.5", Decimal("1.5"), "1.5"),
    ],
)
def test_numbers_are_read_the_way_the_page_language_writes_them(
    catalogue, an_giang, officer_91, locale, typed, stored, shown
):
    from django.utils import translation

    draft = open_submission(officer_91, an_giang, catalogue.form)
    with translation.override(locale):
        saved = cells.cell_save(
            submission=draft, user=officer_91, element="BUDGET", raw=typed, base_version=0, locale=locale
        )
    assert (cell(draft, "BUDGET").value, saved.cell.text, saved.cell.error) == (stored, shown, "")


def test_two_people_editing_different_cells_both_keep_their_figures(catalogue, an_giang, officer_91, colleague):
    # given: both opened the form when every cell was at version 1
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)

    # when
    cells.cell_save(submission=draft, user=officer_91, element="BTS_5G", raw="330", base_version=1)
    cells.cell_save(submission=draft, user=colleague, element="POP", raw="1.960.000", base_version=1, locale="vi")

    # then
    assert (cell(draft, "BTS_5G").value, cell(draft, "POP").value) == (Decimal(330), Decimal(1960000))


def test_the_same_cell_changed_meanwhile_is_a_conflict_with_both_figures_and_writes_nothing(
    catalogue, an_giang, officer_91, colleague
):
    # given
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    cells.cell_save(submission=draft, user=colleague, element="BTS_5G", raw="340", base_version=1)
    before = snapshot(draft)

    # when
    with pytest.raises(cells.CellConflict) as conflict:
        cells.cell_save(submission=draft, user=officer_91, element="BTS_5G", raw="350", base_version=1)

    # then
    assert conflict.value.message == (
        "Số trạm phát sóng 5G đã được officer_91b thay đổi sau khi bạn mở biểu mẫu. Hãy chọn giữ giá trị nào."
    )
    assert (conflict.value.server.text, conflict.value.server.version, conflict.value.yours["text"]) == (
        "340",
        2,
        "350",
    )
    assert snapshot(draft) == before


def test_the_same_figure_typed_by_both_is_not_a_conflict(catalogue, an_giang, officer_91, colleague):
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    cells.cell_save(submission=draft, user=colleague, element="BTS_5G", raw="340", base_version=1)

    saved = cells.cell_save(submission=draft, user=officer_91, element="BTS_5G", raw="340", base_version=1)

    assert (saved.cell.version, saved.cell.updated_by) == (2, "officer_91b")


def test_a_broken_rule_is_a_warning_beside_every_cell_it_involves(catalogue, an_giang, officer_91):
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)

    saved = cells.cell_save(
        submission=draft, user=officer_91, element="POP_5G", raw="2.000.000", base_version=1, locale="vi"
    )

    assert saved.warnings == {"POP_5G": [RULE], "POP": [RULE]}
    assert cell(draft, "POP_5G").value == Decimal(2000000)
    with pytest.raises(ValuesInvalid) as refused:
        services.submission_submit(submission=draft, user=officer_91)
    assert refused.value.errors == {"POP_5G": [RULE]}


def test_a_value_queued_for_a_draft_submitted_meanwhile_is_not_applied(catalogue, an_giang, officer_91):
    # given: typed offline while the report was a draft; a colleague submitted it since
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=draft, user=officer_91)
    before = snapshot(draft)

    # when
    with pytest.raises(cells.StatusChanged) as changed:
        cells.cell_save(
            submission=draft, user=officer_91, element="BTS_5G", raw="400", base_version=1, expected_status="draft"
        )
    with pytest.raises(TransitionNotAllowed) as refused:
        cells.cell_save(submission=draft, user=officer_91, element="BTS_5G", raw="400", base_version=1)

    # then
    assert changed.value.message == (
        "Không lưu giá trị này: báo cáo đã chuyển sang trạng thái “Đã gửi” sau khi bạn nhập (lúc đó là “Nháp”)."
    )
    assert refused.value.message == "Báo cáo đang ở trạng thái “Đã gửi”: không sửa được số liệu."
    assert snapshot(draft) == before


def test_oversized_text_and_unknown_elements_are_refused_and_write_nothing(catalogue, an_giang, officer_91):
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    before = snapshot(draft)

    with pytest.raises(InvalidInput) as too_long:
        cells.cell_save(submission=draft, user=officer_91, element="BTS_5G", raw="1" * 61, base_version=1)
    with pytest.raises(InvalidInput) as unknown:
        cells.cell_save(submission=draft, user=officer_91, element="NOPE", raw="1", base_version=1)

    assert too_long.value.message == "Giá trị dài quá 60 ký tự."
    assert unknown.value.message == "Mã “NOPE” không thuộc biểu mẫu BC_THANG."
    assert snapshot(draft) == before


def test_the_cell_api_saves_answers_conflicts_side_by_side_and_hides_other_provinces(
    catalogue, an_giang, officer_91, colleague, officer_01
):
    draft = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    url = f"/api/v1/submissions/{draft.pk}/cells/BTS_5G/"

    saved = api(colleague).post(url, {"value": "1.330", "version": 1, "locale": "vi"}, format="json")
    conflict = api(officer_91).post(url, {"value": "350", "version": 1, "locale": "vi"}, format="json")
    hidden = api(officer_01).post(url, {"value": "1", "version": 2}, format="json")

    assert saved.status_code == 200
    body = saved.json()
    assert (body["cell"]["text"], body["cell"]["value"], body["cell"]["version"]) == ("1.330", "1330", 2)
    assert body["submission"] == {"version": 3, "status": "draft"}
    assert conflict.status_code == 409
    assert (conflict.json()["code"], conflict.json()["server"]["text"], conflict.json()["yours"]["text"]) == (
        "cell_conflict",
        "1.330",
        "350",
    )
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")


def test_prefill_fills_what_it_can_and_says_why_not_the_rest(catalogue, an_giang, officer_91, approver_91, fixed_clock):
    # given: September approved, then its 5G coverage corrected above the population (a rule breach)
    fixed_clock.reporting("2026-09")
    september = approved_submission(officer_91, approver_91, an_giang, catalogue.form, "2026-09")
    DataValue.objects.filter(submission=september, element__code="POP_5G").update(approved_value=Decimal(2000000))
    fixed_clock.reset()
    october = open_submission(officer_91, an_giang, catalogue.form)

    # when
    report = prefill.submission_prefill(submission=october, user=officer_91, version=1)

    # then
    reason = (
        "Không điền sẵn: Dân số được phủ sóng 5G không được lớn hơn dân số"
        " (Dân số được phủ sóng 5G 2.000.000 > Dân số 1.952.000 ở kỳ 2026-09)."
    )
    assert report.filled == ["BTS_5G", "FEE_ZERO"]
    assert report.skipped == {"POP_5G": reason, "POP": reason}
    assert report.messages() == ["Đã điền sẵn 2 ô từ số liệu đã phê duyệt kỳ trước.", reason]


def test_prefill_without_an_approved_previous_period_says_so(catalogue, an_giang, officer_91):
    october = open_submission(officer_91, an_giang, catalogue.form)

    report = prefill.submission_prefill(submission=october, user=officer_91, version=1)

    assert (report.filled, report.messages()) == (
        [],
        ["Không điền sẵn: kỳ trước (2026-09) chưa có số liệu đã được phê duyệt."],
    )
