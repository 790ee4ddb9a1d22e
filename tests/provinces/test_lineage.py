import csv
import datetime

from provinces.models import MERGER_DATE, Province
from provinces.selectors import units_reporting_on


def reference_rows(reference_dir, name):
    with (reference_dir / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def predecessors_of(code):
    current = Province.objects.current().get(code=code)
    return sorted(current.predecessors.values_list("code", flat=True))


def test_the_catalogue_has_34_current_and_63_former_units(catalogue):
    assert Province.objects.current().count() == 34
    assert Province.objects.former().count() == 63
    assert set(Province.objects.current().values_list("valid_from", "valid_to")) == {(MERGER_DATE, None)}
    assert set(Province.objects.former().values_list("valid_from", "valid_to")) == {
        (datetime.date(2008, 8, 1), datetime.date(2025, 6, 30))
    }


def test_every_former_unit_has_a_current_successor(catalogue):
    assert not Province.objects.former().filter(successor__isnull=True).exists()
    assert not Province.objects.former().filter(successor__valid_to__isnull=False).exists()
    assert not Province.objects.current().filter(successor__isnull=False).exists()


def test_an_giang_91_is_former_an_giang_89_and_kien_giang_91(catalogue):
    assert predecessors_of("91") == ["89", "91"]
    assert Province.objects.former().get(code="91").name == "Tỉnh Kiên Giang"
    assert Province.objects.current().get(code="91").name == "Tỉnh An Giang"


def test_ho_chi_minh_city_79_is_binh_duong_ba_ria_vung_tau_and_the_old_city(catalogue):
    assert predecessors_of("79") == ["74", "77", "79"]


def test_unmerged_units_succeed_themselves(catalogue):
    assert predecessors_of("01") == ["01"]
    assert predecessors_of("46") == ["46"]


def test_every_current_units_predecessors_match_the_reference_former_codes(catalogue, reference_dir):
    # given
    expected = {
        row["code"]: sorted(row["former_codes"].split(";"))
        for row in reference_rows(reference_dir, "provinces-2025.csv")
    }

    # when
    actual = {
        p.code: sorted(x.code for x in p.predecessors.all())
        for p in Province.objects.current().prefetch_related("predecessors")
    }

    # then
    assert len(expected) == 34
    assert actual == expected


def test_every_former_unit_maps_to_the_reference_successor(catalogue, reference_dir):
    expected = {
        row["code"]: (row["name"], row["successor_code"])
        for row in reference_rows(reference_dir, "provinces-2008-2025.csv")
    }

    actual = {
        p.code: (p.name, p.successor.code if p.successor else None)
        for p in Province.objects.former().select_related("successor")
    }

    assert len(expected) == 63
    assert actual == expected


def test_current_units_carry_the_reference_names_kinds_and_published_figures(catalogue, reference_dir):
    rows = reference_rows(reference_dir, "provinces-2025.csv")

    for row in rows:
        unit = Province.objects.current().get(code=row["code"])
        assert (unit.name, unit.name_en, unit.kind) == (row["name"], row["name_en"], row["kind"])
        # The seed file may carry figures the reference lacks (README, "Demo data"), never other ones.
        if row["population"]:
            assert str(unit.population) == row["population"]
        if row["area_km2"]:
            assert f"{unit.area_km2:.2f}" == row["area_km2"]


def test_hue_was_thua_thien_hue_until_2024_and_thanh_pho_hue_from_2025(catalogue):
    former = Province.objects.former().get(code="46")
    current = Province.objects.current().get(code="46")

    assert former.name == "Tỉnh Thừa Thiên Huế"
    assert former.name_on(datetime.date(2024, 12, 31)) == "Tỉnh Thừa Thiên Huế"
    assert former.name_on(datetime.date(2025, 1, 1)) == "Thành phố Huế"
    assert list(former.names.values_list("kind", flat=True)) == ["tinh", "thanh_pho"]
    assert (current.name, current.kind) == ("Thành phố Huế", "thanh_pho")
    assert current.name_on(datetime.date(2025, 7, 1)) == "Thành phố Huế"


def test_the_units_reporting_switch_from_63_to_34_on_the_merger_date(catalogue):
    assert units_reporting_on(datetime.date(2025, 6, 30)).count() == 63
    assert units_reporting_on(datetime.date(2025, 7, 1)).count() == 34
