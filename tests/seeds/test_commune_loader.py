"""load_catalogue and seeds/data/communes.csv: idempotent, checked against the province file, all or nothing."""

from pathlib import Path

import pytest

from provinces.models import Commune
from seeds import loader
from seeds.errors import CatalogueInvalid, SeedError
from seeds.loader import catalogue_load
from tests.seeds.test_loader import db_state, edit, line_of

AN_GIANG_ROW = "91,Tỉnh An Giang,An Giang,tinh,89;91,9888.91,4952238,85,14,3"
CA_MAU_ROW = "96,Tỉnh Cà Mau,Ca Mau,tinh,95;96,7942.39,2606672,55,9,0"
MY_HOA_HUNG = "30313,Xã Mỹ Hòa Hưng,xa,91"


def refused(data_dir: Path) -> list[SeedError]:
    with pytest.raises(CatalogueInvalid) as error:
        catalogue_load(data_dir=data_dir)
    return error.value.errors


@pytest.fixture
def loaded(db, data_dir):
    """The scratch copy of seeds/data, loaded once; the database state it left."""
    catalogue_load(data_dir=data_dir)
    return db_state()


def test_an_identical_reload_changes_no_commune_and_marks_no_rollups(data_dir, loaded):
    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    counts = report.of(Commune)
    assert (counts.created, counts.updated, counts.unchanged, counts.deleted) == (0, 0, 3321, 0)
    assert report.rollups_marked is False
    assert db_state() == loaded


def test_a_renamed_commune_is_updated_in_place(data_dir, loaded):
    # given
    before = Commune.objects.get(code="30313")
    edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng Mới,xa,91")

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    counts = report.of(Commune)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 3320)
    after = Commune.objects.get(code="30313")
    assert (after.pk, after.name) == (before.pk, "Xã Mỹ Hòa Hưng Mới")
    assert report.rollups_marked is True


def test_a_commune_moved_to_another_province_with_both_counts_updated_is_loaded(data_dir, loaded):
    # given: Mỹ Hòa Hưng moved from An Giang (85 xã) to Cà Mau (55 xã), both rows updated
    edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng,xa,96")
    edit(data_dir / "provinces-2025.csv", AN_GIANG_ROW, AN_GIANG_ROW.replace(",85,14,3", ",84,14,3"))
    edit(data_dir / "provinces-2025.csv", CA_MAU_ROW, CA_MAU_ROW.replace(",55,9,0", ",56,9,0"))

    # when
    report = catalogue_load(data_dir=data_dir)

    # then
    assert report.of(Commune).updated == 1
    assert Commune.objects.get(code="30313").province.code == "96"
    assert Commune.objects.filter(province__code="91").count() == 101


def test_a_commune_moved_without_the_counts_is_refused_naming_both_provinces(data_dir, loaded):
    # given
    edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng,xa,96")

    # when
    errors = refused(data_dir)

    # then
    provinces = data_dir / "provinces-2025.csv"
    assert errors == [
        SeedError(
            "provinces-2025.csv",
            line_of(provinces, AN_GIANG_ROW),
            "Cột “communes_xa” của “91” ghi 85 nhưng communes.csv có 84 đơn vị loại xa.",
        ),
        SeedError(
            "provinces-2025.csv",
            line_of(provinces, CA_MAU_ROW),
            "Cột “communes_xa” của “96” ghi 55 nhưng communes.csv có 56 đơn vị loại xa.",
        ),
    ]
    assert db_state() == loaded


def test_a_province_count_left_empty_is_refused(data_dir, db):
    line = edit(data_dir / "provinces-2025.csv", AN_GIANG_ROW, AN_GIANG_ROW.replace(",85,14,3", ",85,14,"))

    assert refused(data_dir) == [
        SeedError(
            "provinces-2025.csv",
            line,
            "Cột “communes_dac_khu” của “91” ghi — nhưng communes.csv có 3 đơn vị loại dac_khu.",
        )
    ]
    assert Commune.objects.count() == 0


def test_a_commune_of_an_unknown_province_is_refused(data_dir, loaded):
    # when
    line = edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng,xa,99")

    # then: the row is refused, and An Giang's count no longer matches the list
    assert refused(data_dir) == [
        SeedError("communes.csv", line, "Không có tỉnh, thành phố hiện hành mã “99”."),
        SeedError(
            "provinces-2025.csv",
            line_of(data_dir / "provinces-2025.csv", AN_GIANG_ROW),
            "Cột “communes_xa” của “91” ghi 85 nhưng communes.csv có 84 đơn vị loại xa.",
        ),
    ]
    assert db_state() == loaded


def test_a_duplicate_commune_code_is_refused_naming_the_first_line(data_dir, loaded):
    # given
    first = line_of(data_dir / "communes.csv", MY_HOA_HUNG)

    # when: a later row (Xã An Phú) takes Mỹ Hòa Hưng's code
    line = edit(data_dir / "communes.csv", "30337,Xã An Phú,xa,91", "30313,Xã An Phú,xa,91")

    # then
    assert line > first
    assert refused(data_dir) == [SeedError("communes.csv", line, f"Mã “30313” bị lặp (đã có ở dòng {first}).")]
    assert db_state() == loaded


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("30313,Xã Mỹ Hòa Hưng,huyen,91", "Loại “huyen” không hợp lệ; chọn một trong: xa, phuong, dac_khu."),
        (
            "30313,Xã Mỹ Hòa Hưng,phuong,91",
            "Tên “Xã Mỹ Hòa Hưng” không khớp loại “phuong”: tên phải bắt đầu bằng “Phường”.",
        ),
        ("3031,Xã Mỹ Hòa Hưng,xa,91", "Mã xã “3031” phải gồm 5 chữ số."),
        ("30313,,xa,91", "Thiếu tên đơn vị."),
        (f"30313,Xã {'A' * 100},xa,91", "Trường “name” dài 103 ký tự, tối đa 100."),
        ("30313,Xã Mỹ Hòa Hưng,xa", "Dòng có 3 cột, cần 4."),
    ],
)
def test_a_bad_commune_row_is_refused_with_its_line_and_reason(data_dir, loaded, row, reason):
    line = edit(data_dir / "communes.csv", MY_HOA_HUNG, row)

    assert refused(data_dir) == [SeedError("communes.csv", line, reason)]
    assert db_state() == loaded


def test_every_problem_of_the_commune_file_is_reported_in_one_run(data_dir, db):
    # given
    edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng,huyen,91")
    edit(data_dir / "communes.csv", "30337,Xã An Phú,xa,91", "3033,Xã An Phú,xa,91")

    # when
    errors = refused(data_dir)

    # then
    assert [e.reason for e in errors] == [
        "Loại “huyen” không hợp lệ; chọn một trong: xa, phuong, dac_khu.",
        "Mã xã “3033” phải gồm 5 chữ số.",
    ]
    assert Commune.objects.count() == 0


def test_the_commune_file_is_required(data_dir, db):
    (data_dir / "communes.csv").unlink()

    assert refused(data_dir) == [SeedError("communes.csv", 0, "Không tìm thấy tệp.")]


def test_a_failure_after_the_communes_were_written_leaves_them_as_they_were(data_dir, loaded, monkeypatch):
    # given: a renamed commune, and a later write step that fails
    edit(data_dir / "communes.csv", MY_HOA_HUNG, "30313,Xã Mỹ Hòa Hưng Mới,xa,91")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_load_directives", broken)

    # when
    with pytest.raises(RuntimeError):
        catalogue_load(data_dir=data_dir)

    # then
    assert Commune.objects.get(code="30313").name == "Xã Mỹ Hòa Hưng"
    assert db_state() == loaded
