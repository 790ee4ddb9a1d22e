import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kpis.models import (
    CompositeIndex,
    CompositeIndexComponent,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
    Objective,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
)
from provinces.models import Province, ProvinceName
from seeds import loader
from seeds.errors import CatalogueInvalid, SeedError
from seeds.loader import catalogue_load

ALL_MODELS = [
    Province,
    ProvinceName,
    Directive,
    Objective,
    DataElement,
    Indicator,
    Target,
    ReportForm,
    ReportFormElement,
    ValidationRule,
    CompositeIndex,
    CompositeIndexVersion,
    CompositeIndexComponent,
]

EXPECTED_COUNTS = {
    "provinces.Province": 97,
    "provinces.ProvinceName": 2,
    "kpis.Directive": 18,
    "kpis.Objective": 124,
    "kpis.DataElement": 86,
    "kpis.Indicator": 60,
    "kpis.Target": 60,
    "kpis.ReportForm": 3,
    "kpis.ReportFormElement": 86,
    "kpis.ValidationRule": 43,
    "kpis.CompositeIndex": 2,
    "kpis.CompositeIndexVersion": 3,
    "kpis.CompositeIndexComponent": 19,
}


def db_state():
    """Every row of every catalogue table, to show that a refused load wrote nothing."""
    state = {model._meta.label: sorted(model._default_manager.values_list(), key=repr) for model in ALL_MODELS}
    state["indicator-elements"] = sorted(Indicator.data_elements.through.objects.values_list())
    state["objective-indicators"] = sorted(Objective.indicators.through.objects.values_list())
    return state


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in the file; the 1-based line where the change starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in {path.name}"
    return text[: text.index(needle)].count("\n") + 1


def test_first_load_creates_the_whole_catalogue(db):
    # when
    report = catalogue_load()

    # then
    assert {label: counts.created for label, counts in report.counts.items()} == EXPECTED_COUNTS
    assert (report.updated, report.deleted) == (0, 0)
    assert Province.objects.current().count() == 34
    assert Province.objects.former().count() == 63
    assert Directive.objects.count() == 18
    assert Indicator.objects.count() == 60


def test_second_run_creates_and_updates_nothing(catalogue):
    # given
    before = db_state()

    # when
    report = catalogue_load()

    # then
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert {label: counts.unchanged for label, counts in report.counts.items()} == EXPECTED_COUNTS
    assert db_state() == before


def test_the_command_prints_counts_and_is_idempotent(db):
    # given
    call_command("load_catalogue", stdout=StringIO())
    out = StringIO()

    # when
    call_command("load_catalogue", stdout=out)

    # then
    lines = out.getvalue().splitlines()
    assert "Chỉ tiêu (KPI): tạo mới 0, cập nhật 0, không đổi 60, xóa 0" in lines
    assert "Tỉnh, thành phố: tạo mới 0, cập nhật 0, không đổi 97, xóa 0" in lines
    assert lines[-1] == "Tổng: tạo mới 0, cập nhật 0, xóa 0."


def test_editing_a_copied_file_updates_rows_in_place(db, data_dir):
    # given
    catalogue_load(data_dir=data_dir)
    indicator = Indicator.objects.get(code="FIBRE_HH_RATE")
    target = indicator.targets.get()
    edit(
        data_dir / "indicators.yaml",
        "  name: Tỷ lệ hộ gia đình sử dụng Internet cáp quang\n",
        "  name: Tỷ lệ hộ gia đình dùng cáp quang băng rộng\n",
    )
    edit(
        data_dir / "indicators.yaml",
        "    - value: 80\n      deadline: 2025-12-31\n      source: qd-749-2020\n\n- code: FIBRE_ACCESS_HH_RATE",
        "    - value: 85\n      deadline: 2025-12-31\n      source: qd-749-2020\n\n- code: FIBRE_ACCESS_HH_RATE",
    )

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    assert (report.of(Indicator).updated, report.of(Target).updated) == (1, 1)
    assert (report.created, report.updated, report.deleted) == (0, 2, 0)
    indicator.refresh_from_db()
    target.refresh_from_db()
    assert indicator.name == "Tỷ lệ hộ gia đình dùng cáp quang băng rộng"
    assert target.value == Decimal(85)
    assert Indicator.objects.count() == 60


def test_changing_a_formula_rederives_the_indicators_data_elements(db, data_dir):
    # given
    catalogue_load(data_dir=data_dir)
    edit(
        data_dir / "indicators.yaml",
        "  numerator: HH_FIBRE\n  denominator: HOUSEHOLDS\n",
        "  numerator: HH_FIBRE\n  denominator: HH_FIBRE_ACCESS\n",
    )

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    indicator = Indicator.objects.get(code="FIBRE_HH_RATE")
    assert sorted(indicator.data_elements.values_list("code", flat=True)) == ["HH_FIBRE", "HH_FIBRE_ACCESS"]
    assert report.of(Indicator).updated == 1


def test_a_row_removed_from_a_form_is_removed_from_the_form(db, data_dir):
    # given
    catalogue_load(data_dir=data_dir)
    edit(data_dir / "report_forms.yaml", "        - INSPECTIONS_TOTAL\n        - INSPECTIONS_DIGITAL\n", "")

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    assert report.of(ReportFormElement).deleted == 2
    codes = ReportForm.objects.get(code="BC_THANG").form_elements.values_list("element__code", flat=True)
    assert "INSPECTIONS_TOTAL" not in codes
    assert DataElement.objects.filter(code="INSPECTIONS_TOTAL").exists()


def test_a_national_target_removed_from_the_file_is_deleted_but_province_targets_stay(data_dir, an_giang):
    # given
    catalogue_load(data_dir=data_dir)
    indicator = Indicator.objects.get(code="EHR_RATE")
    Target.objects.create(
        indicator=indicator,
        province=Province.objects.current().get(code="91"),
        value=Decimal(95),
        deadline=datetime.date(2026, 12, 31),
        source=Directive.objects.get(code="qd-411-2022"),
    )
    edit(
        data_dir / "indicators.yaml",
        "    - value: 95\n      deadline: 2030-12-31\n      source: qd-411-2022\n\n- code: EREPORT_RATE",
        "\n- code: EREPORT_RATE",
    )

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    assert report.of(Target).deleted == 1
    assert sorted((t.province_id is None, t.value) for t in indicator.targets.all()) == [
        (False, Decimal(95)),
        (True, Decimal(90)),
    ]


def refused(data_dir: Path) -> list[SeedError]:
    with pytest.raises(CatalogueInvalid) as error:
        catalogue_load(data_dir=data_dir)
    return error.value.errors


def test_bad_yaml_is_refused_with_file_and_line_and_nothing_is_written(db, data_dir):
    # given: an indicator name changed (valid) and an unclosed bracket further down
    catalogue_load(data_dir=data_dir)
    before = db_state()
    edit(data_dir / "indicators.yaml", "  name: Tỷ lệ dân số được phủ sóng 5G\n", "  name: Đổi tên\n")
    line = edit(data_dir / "directives.yaml", "indicators: [DE_SHARE_IND]", "indicators: [DE_SHARE_IND")

    # when
    errors = refused(data_dir)

    # then
    assert len(errors) == 1
    assert errors[0].file == "directives.yaml"
    assert errors[0].line == line + 1
    assert errors[0].reason.startswith("YAML không hợp lệ: ")
    assert db_state() == before


def test_a_duplicate_yaml_key_is_refused(data_dir, db):
    # given
    line = edit(
        data_dir / "data_elements.yaml",
        "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n",
        "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  name: Trạm 4G\n",
    )

    # when
    errors = refused(data_dir)

    # then
    assert errors == [SeedError("data_elements.yaml", line + 2, "YAML không hợp lệ: Khóa “name” bị lặp.")]
    assert Province.objects.count() == 0


def test_a_csv_row_with_an_unclosed_quote_is_refused(data_dir, db):
    # given
    line = edit(data_dir / "provinces-2008-2025.csv", "89,Tỉnh An Giang,tinh,91", '89,"Tỉnh An Giang,tinh,91')

    # when
    errors = refused(data_dir)

    # then
    assert errors == [
        SeedError("provinces-2008-2025.csv", line, "CSV không hợp lệ: unexpected end of data"),
    ]
    assert Province.objects.count() == 0


def test_a_csv_row_with_missing_columns_is_refused(data_dir, db):
    line = edit(
        data_dir / "provinces-2025.csv", "20,Tỉnh Lạng Sơn,Lang Son,tinh,20,,", "20,Tỉnh Lạng Sơn,Lang Son,tinh"
    )

    assert refused(data_dir) == [SeedError("provinces-2025.csv", line, "Dòng có 4 cột, cần 7.")]


def test_lineage_that_disagrees_between_the_two_province_files_is_refused(data_dir, db):
    # given: Kiên Giang (91) claimed by Cà Mau (96) in one file but not in the other
    edit(data_dir / "provinces-2008-2025.csv", "91,Tỉnh Kiên Giang,tinh,91", "91,Tỉnh Kiên Giang,tinh,96")

    # when
    errors = refused(data_dir)

    # then
    assert errors == [
        SeedError(
            "provinces-2025.csv",
            line_of(data_dir / "provinces-2025.csv", "91,Tỉnh An Giang"),
            "former_codes của “91” là 89;91 nhưng provinces-2008-2025.csv ghi các đơn vị kế thừa là 89.",
        ),
        SeedError(
            "provinces-2025.csv",
            line_of(data_dir / "provinces-2025.csv", "96,Tỉnh Cà Mau"),
            "former_codes của “96” là 95;96 nhưng provinces-2008-2025.csv ghi các đơn vị kế thừa là 91;95;96.",
        ),
    ]


def test_an_unknown_indicator_code_in_an_objective_is_refused(data_dir, db):
    line = edit(data_dir / "directives.yaml", "indicators: [DE_SHARE_IND]", "indicators: [DE_SHARE_INDUSTRY]")

    assert refused(data_dir) == [SeedError("directives.yaml", line, "Không có chỉ tiêu mã “DE_SHARE_INDUSTRY”.")]


def test_an_unknown_source_directive_of_a_target_is_refused(data_dir, db):
    old = "      deadline: 2025-06-30\n      source: tb-56-2025\n"
    line = edit(data_dir / "indicators.yaml", old, "      deadline: 2025-06-30\n      source: tb-57-2025\n")

    assert refused(data_dir) == [SeedError("indicators.yaml", line + 1, "Không có văn bản mã “tb-57-2025”.")]


def test_a_duplicate_code_is_refused_naming_the_first_occurrence(data_dir, db):
    # given: BTS_5G, just above BTS_4G, renamed to BTS_4G
    second = line_of(data_dir / "data_elements.yaml", "- code: BTS_4G\n")
    first = edit(data_dir / "data_elements.yaml", "- code: BTS_5G\n", "- code: BTS_4G\n")

    # when
    errors = refused(data_dir)

    # then
    assert errors[0] == SeedError(
        "data_elements.yaml", second, f"Mã chỉ tiêu dữ liệu “BTS_4G” bị lặp (đã có ở dòng {first})."
    )


def test_a_formula_that_does_not_parse_is_refused_with_the_parsers_message(data_dir, db):
    line = edit(
        data_dir / "indicators.yaml",
        "  numerator: HH_FIBRE\n  denominator: HOUSEHOLDS\n",
        "  numerator: HH_FIBRE\n  denominator: (HOUSEHOLDS\n",
    )

    assert refused(data_dir) == [
        SeedError("indicators.yaml", line + 1, "Công thức “denominator” sai: Thiếu dấu “)” tại vị trí 12."),
    ]


def test_a_formula_naming_an_unknown_element_is_refused(data_dir, db):
    line = edit(
        data_dir / "validation_rules.yaml",
        '  left: HH_FIBRE_ACCESS\n  operator: "<="\n  right: HOUSEHOLDS\n',
        '  left: HH_FIBRE_ACCESS\n  operator: "<="\n  right: HOUSE_HOLDS\n',
    )

    errors = refused(data_dir)

    assert errors == [
        SeedError(
            "validation_rules.yaml",
            line + 2,
            "Công thức “right” sai: Mã chỉ tiêu dữ liệu “HOUSE_HOLDS” không tồn tại (vị trí 1).",
        )
    ]


def test_a_hostile_formula_is_refused_not_run(data_dir, db):
    line = edit(data_dir / "indicators.yaml", "  numerator: HH_FIBRE\n", "  numerator: __import__('os')\n")

    assert refused(data_dir) == [
        SeedError("indicators.yaml", line, "Công thức “numerator” sai: Ký tự không được phép “_” tại vị trí 1."),
    ]


def test_an_invalid_period_is_refused(data_dir, db):
    line = edit(
        data_dir / "indicators.yaml",
        'baseline_period: "2025-10"\n      note: "Cả nước 39',
        'baseline_period: "2025-13"\n      note: "Cả nước 39',
    )

    assert refused(data_dir) == [
        SeedError(
            "indicators.yaml",
            line,
            "Kỳ báo cáo “2025-13” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).",
        )
    ]


def test_an_index_version_period_of_the_wrong_periodicity_is_refused(data_dir, db):
    line = edit(data_dir / "composite_indices.yaml", '    - valid_from: "2022"\n', '    - valid_from: "2022-01"\n')

    assert refused(data_dir)[0] == SeedError(
        "composite_indices.yaml", line, "Kỳ “2022-01” không khớp tần suất yearly của chỉ số."
    )


@pytest.mark.parametrize(
    ("old", "new", "offset", "reason"),
    [
        (
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  name_en: 4G base stations in service\n"
            "  value_type: integer\n  unit: trạm\n  min_value: 0\n",
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  name_en: 4G base stations in service\n"
            "  value_type: integer\n  unit: trạm\n  min_value: 0\n  max_value: -1\n",
            6,
            "max_value (-1) nhỏ hơn min_value (0).",
        ),
        (
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  name_en: 4G base stations in service\n"
            "  value_type: integer\n",
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  name_en: 4G base stations in service\n"
            "  value_type: count\n",
            3,
            "Giá trị “count” ở trường “value_type” không hợp lệ; "
            "chọn một trong: integer, decimal, percent, boolean, money.",
        ),
        (
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n",
            "- code: BTS_4G\n  name: Số trạm phát sóng 4G đang hoạt động\n  nmae_en: typo\n",
            2,
            "Trường “nmae_en” không được hỗ trợ.",
        ),
    ],
)
def test_a_bad_value_in_a_data_element_is_refused(data_dir, db, old, new, offset, reason):
    line = edit(data_dir / "data_elements.yaml", old, new)

    assert refused(data_dir) == [SeedError("data_elements.yaml", line + offset, reason)]


def test_a_target_value_that_is_not_a_number_is_refused(data_dir, db):
    line = edit(
        data_dir / "indicators.yaml",
        "    - value: 68457\n",
        "    - value: sáu mươi nghìn\n",
    )

    assert refused(data_dir) == [
        SeedError("indicators.yaml", line, "Giá trị “sáu mươi nghìn” ở trường “value” không phải là số.")
    ]


def test_a_province_code_written_as_a_number_is_refused(data_dir, db):
    # given: YAML reads 91 unquoted as an integer, which would silently lose a leading zero for 01
    line = edit(
        data_dir / "indicators.yaml",
        "      source: tb-56-2025\n      note: Mục tiêu",
        "      source: tb-56-2025\n      province: 91\n      note: Mục tiêu",
    )

    assert refused(data_dir) == [
        SeedError(
            "indicators.yaml",
            line + 1,
            "Mã “91” ở trường “province” phải viết như một chuỗi (đặt trong dấu nháy).",
        )
    ]


def test_a_province_target_is_loaded_for_the_current_unit(data_dir, db):
    # given
    edit(
        data_dir / "indicators.yaml",
        "      source: tb-56-2025\n      note: Mục tiêu",
        '      source: tb-56-2025\n      province: "91"\n      note: Mục tiêu',
    )

    # when
    catalogue_load(data_dir=data_dir)

    # then
    target = Target.objects.get(indicator__code="FEE_ZERO_ONLINE_APPLIED")
    assert target.province is not None
    assert (target.province.code, target.province.name, target.province.valid_to) == ("91", "Tỉnh An Giang", None)


def test_an_objective_with_neither_indicators_nor_a_reason_is_refused(data_dir, db):
    line = edit(
        data_dir / "directives.yaml",
        "      title_en: Labour productivity growing by at least 7% a year\n      not_measurable_reason: >-\n"
        "        Chỉ tiêu kinh tế vĩ mô do cơ quan thống kê tính từ tài khoản quốc gia; không thuộc báo cáo\n"
        "        chuyển đổi số của tỉnh.\n",
        "      title_en: Labour productivity growing by at least 7% a year\n",
    )

    assert refused(data_dir) == [
        SeedError(
            "directives.yaml",
            line - 3,
            "Mục tiêu “qd749-kts-2025-nang-suat” chưa gắn chỉ tiêu nào và chưa có lý do (not_measurable_reason).",
        )
    ]


def test_a_missing_file_is_refused(data_dir, db):
    (data_dir / "validation_rules.yaml").unlink()

    assert refused(data_dir) == [SeedError("validation_rules.yaml", 0, "Không tìm thấy tệp.")]


def test_every_problem_is_reported_in_one_run(data_dir, db):
    # given
    edit(
        data_dir / "data_elements.yaml",
        "  max_value: 20\n  time_aggregation: average\n",
        "  max_value: 20\n  time_aggregation: avg\n",
    )
    edit(data_dir / "report_forms.yaml", "  due_day: 10\n", "  due_day: 0\n")

    # when
    errors = refused(data_dir)

    # then
    assert [(e.file, e.reason) for e in errors] == [
        (
            "data_elements.yaml",
            "Giá trị “avg” ở trường “time_aggregation” không hợp lệ; chọn một trong: sum, last, average.",
        ),
        ("report_forms.yaml", "Trường “due_day” = 0 nằm ngoài khoảng [1, 60]."),
    ]


def test_a_failure_while_writing_rolls_everything_back(db, data_dir, monkeypatch):
    # given: the catalogue is loaded, a file is edited, and the last write step fails
    catalogue_load(data_dir=data_dir)
    before = db_state()
    edit(data_dir / "indicators.yaml", "  name: Tỷ lệ dân số được phủ sóng 5G\n", "  name: Đổi tên\n")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_load_indices", broken)

    # when
    with pytest.raises(RuntimeError):
        catalogue_load(data_dir=data_dir)

    # then
    assert db_state() == before


def test_the_command_refuses_a_bad_file_with_file_line_and_reason(data_dir, db):
    line = edit(data_dir / "directives.yaml", "indicators: [DE_SHARE_IND]", "indicators: [NOPE]")

    with pytest.raises(CommandError) as error:
        call_command("load_catalogue", "--data-dir", str(data_dir), stdout=StringIO())

    assert str(error.value) == (
        "Không nạp được danh mục; cơ sở dữ liệu không thay đổi. Lỗi:\n"
        f"directives.yaml:{line}: Không có chỉ tiêu mã “NOPE”."
    )
    assert Province.objects.count() == 0


def test_the_check_option_validates_without_writing(db):
    out = StringIO()

    call_command("load_catalogue", "--check", stdout=out)

    assert out.getvalue().startswith("Các tệp hợp lệ: ")
    assert Province.objects.count() == 0


def test_a_national_count_target_given_to_every_province_is_refused_with_the_reason(data_dir, db):
    # given: the 68 457 5G stations (a count summed over provinces) asked to apply to each province
    line = edit(
        data_dir / "indicators.yaml",
        "    - value: 68457\n      deadline: 2025-12-31\n",
        "    - value: 68457\n      applies_to: every_unit\n      deadline: 2025-12-31\n",
    )

    assert refused(data_dir) == [
        SeedError(
            "indicators.yaml",
            line,
            "Mục tiêu của “BTS_5G_COUNT” không áp dụng được: Chỉ tiêu này là tổng cộng dồn theo địa bàn (như số "
            "trạm, số hồ sơ): mục tiêu của một cấp chỉ áp dụng cho chính cấp đó, không áp dụng cho từng đơn vị "
            "cấp dưới. Hãy giao mục tiêu riêng cho từng tỉnh hoặc dùng một chỉ tiêu tỷ lệ.",
        )
    ]


def test_an_indicator_base_period_and_a_target_kept_to_its_own_unit_are_loaded(data_dir, db):
    edit(data_dir / "indicators.yaml", "- code: BTS_5G_COUNT\n", '- code: BTS_5G_COUNT\n  base_period: "2020"\n')
    edit(
        data_dir / "indicators.yaml",
        "    - value: 68457\n      deadline: 2025-12-31\n",
        "    - value: 68457\n      applies_to: own_unit\n      deadline: 2025-12-31\n",
    )

    catalogue_load(data_dir=data_dir)

    target = Target.objects.get(indicator__code="BTS_5G_COUNT", value=68457)
    assert (target.indicator.base_period, target.applies_to) == ("2020", "own_unit")
