"""report_forms.yaml's commune reporting: which elements communes report, from when, with what threshold."""

from pathlib import Path

import pytest

from kpis.models import ReportForm, ReportFormElement
from seeds.errors import CatalogueInvalid, SeedError
from seeds.loader import catalogue_load
from tests.seeds.test_loader import db_state, edit

FORMS = "report_forms.yaml"
COMMUNE_ELEMENTS = {
    "HOUSEHOLDS",
    "HS_RECEIVED",
    "HS_ONLINE_RECEIVED",
    "HS_FULLY_ONLINE",
    "HS_ONLINE_EID",
    "HS_RESOLVED",
    "HS_RESOLVED_ON_TIME",
    "HS_DIGITISED",
    "HS_PAYABLE",
    "HS_PAID_ONLINE",
    "HH_FIBRE",
    "HH_FIBRE_ACCESS",
    "DIGITAL_SKILLS_TRAINED",
}


def refused(data_dir: Path) -> list[SeedError]:
    before = db_state()
    with pytest.raises(CatalogueInvalid) as error:
        catalogue_load(data_dir=data_dir)
    assert db_state() == before
    return error.value.errors


def commune_codes(form_code: str) -> set[str]:
    rows = ReportFormElement.objects.filter(form__code=form_code, commune_level=True)
    return set(rows.values_list("element__code", flat=True))


def test_the_monthly_form_is_reported_by_communes_from_the_two_level_government(catalogue):
    monthly = ReportForm.objects.get(code="BC_THANG")

    assert (monthly.commune_reporting_from, monthly.commune_coverage_threshold) == ("2026-07", 90)
    assert commune_codes("BC_THANG") == COMMUNE_ELEMENTS
    assert ReportForm.objects.get(code="BC_QUY").commune_reporting_from == ""
    assert ReportFormElement.objects.filter(commune_level=True).exclude(form__code="BC_THANG").count() == 0


def test_a_reload_changes_no_form_row_and_marks_no_rollups(catalogue):
    before = db_state()

    report = catalogue_load()

    assert (report.of(ReportForm).unchanged, report.of(ReportForm).updated) == (3, 0)
    assert (report.of(ReportFormElement).unchanged, report.of(ReportFormElement).updated) == (86, 0)
    assert report.rollups_marked is False
    assert db_state() == before


def test_an_element_flag_and_a_section_flag_mark_rows_and_an_unflagged_row_is_updated_in_place(db, data_dir):
    # given
    catalogue_load(data_dir=data_dir)
    before = ReportFormElement.objects.get(form__code="BC_THANG", element__code="HH_FIBRE").pk
    edit(data_dir / FORMS, "        - {element: HH_FIBRE, commune: true}\n", "        - HH_FIBRE\n")
    edit(
        data_dir / FORMS,
        "      elements: [DATASETS_TOTAL, DATASETS_CLEAN",
        "      commune: true\n      elements: [DATASETS_TOTAL, DATASETS_CLEAN",
    )

    # when
    report = catalogue_load(data_dir=data_dir)

    # then: 1 row unflagged, the 5 rows of the data section flagged
    assert report.of(ReportFormElement).updated == 6
    assert report.rollups_marked is True
    assert commune_codes("BC_THANG") == COMMUNE_ELEMENTS - {"HH_FIBRE"} | {
        "DATASETS_TOTAL",
        "DATASETS_CLEAN",
        "DATASETS_SHARED",
        "IS_TOTAL",
        "IS_LEVEL_APPROVED",
    }
    assert ReportFormElement.objects.get(form__code="BC_THANG", element__code="HH_FIBRE").pk == before


def test_a_row_can_opt_out_of_its_sections_commune_flag(db, data_dir):
    edit(data_dir / FORMS, "        - HS_DIGITISED\n", "        - {element: HS_DIGITISED, commune: false}\n")

    catalogue_load(data_dir=data_dir)

    assert commune_codes("BC_THANG") == COMMUNE_ELEMENTS - {"HS_DIGITISED"}


def test_a_commune_level_element_that_does_not_add_up_across_places_is_refused(db, data_dir):
    # A measured speed (space_aggregation: none) has no sum nor mean over communes.
    line = edit(
        data_dir / FORMS,
        "        - {element: MOBILE_DL_SPEED, required: false}\n",
        "        - {element: MOBILE_DL_SPEED, required: false, commune: true}\n",
    )

    assert refused(data_dir) == [
        SeedError(
            FORMS,
            line,
            "Chỉ tiêu dữ liệu “MOBILE_DL_SPEED” không cộng được theo địa bàn (space_aggregation: none) "
            "nên không báo cáo cấp xã được.",
        )
    ]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        (
            "2025-7",
            "commune_reporting_from “2025-7” không hợp lệ: ghi tháng dạng YYYY-MM, ví dụ “2025-07”.",
        ),
        (
            "2025-Q3",
            "commune_reporting_from “2025-Q3” không hợp lệ: ghi tháng dạng YYYY-MM, ví dụ “2025-07”.",
        ),
        (
            "202507",
            "commune_reporting_from “202507” không hợp lệ: ghi tháng dạng YYYY-MM, ví dụ “2025-07”.",
        ),
        (
            "2025-06",
            "commune_reporting_from “2025-06” đứng trước 2025-07: cấp xã mới có từ 01/07/2025 (chính quyền hai cấp).",
        ),
    ],
)
def test_a_malformed_or_too_early_commune_reporting_month_is_refused(db, data_dir, written, reason):
    line = edit(data_dir / FORMS, "  commune_reporting_from: 2026-07\n", f"  commune_reporting_from: {written}\n")

    assert refused(data_dir) == [SeedError(FORMS, line, reason)]


@pytest.mark.parametrize("threshold", ["101", "-1"])
def test_a_coverage_threshold_outside_0_to_100_is_refused(db, data_dir, threshold):
    line = edit(data_dir / FORMS, "  commune_coverage_threshold: 90\n", f"  commune_coverage_threshold: {threshold}\n")

    assert refused(data_dir) == [
        SeedError(FORMS, line, f"Trường “commune_coverage_threshold” = {threshold} nằm ngoài khoảng [0, 100].")
    ]


def test_commune_elements_without_a_first_month_are_refused(db, data_dir):
    edit(data_dir / FORMS, "  commune_reporting_from: 2026-07\n", "")
    form_line = 1 + (data_dir / FORMS).read_text(encoding="utf-8").splitlines().index("- code: BC_THANG")

    assert refused(data_dir) == [
        SeedError(
            FORMS, form_line, "Biểu “BC_THANG” có chỉ tiêu cấp xã (HOUSEHOLDS) nhưng thiếu commune_reporting_from."
        )
    ]


def test_a_first_month_without_commune_elements_is_refused(db, data_dir):
    line = edit(data_dir / FORMS, "  due_day: 10\n", "  due_day: 10\n  commune_reporting_from: 2025-07\n") + 1

    assert refused(data_dir) == [
        SeedError(
            FORMS,
            line,
            "Biểu “BC_QUY” có commune_reporting_from nhưng không có chỉ tiêu nào đánh dấu commune: true.",
        )
    ]


def test_a_commune_flag_that_is_not_a_boolean_is_refused(db, data_dir):
    line = edit(
        data_dir / FORMS,
        "        - {element: DIGITAL_SKILLS_TRAINED, commune: true}\n",
        "        - {element: DIGITAL_SKILLS_TRAINED, commune: yes please}\n",
    )

    assert refused(data_dir) == [SeedError(FORMS, line, "Trường “commune” phải là true hoặc false.")]
