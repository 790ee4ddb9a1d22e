"""The commune-level units of the catalogue (QĐ 19/2025/QĐ-TTg) and the selectors that read them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from provinces.models import MERGER_DATE, Commune, Province
from provinces.selectors import commune_counts_of, commune_for, communes_of

AFTER_A_LATER_MERGER = datetime.date(2026, 7, 1)


def test_the_catalogue_has_3321_communes_2621_xa_687_phuong_13_dac_khu(catalogue):
    counts = {kind: Commune.objects.filter(kind=kind).count() for kind in Commune.Kind.values}

    assert counts == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert Commune.objects.count() == 3321
    assert set(Commune.objects.values_list("valid_from", "valid_to", "successor")) == {(MERGER_DATE, None, None)}
    assert not Commune.objects.filter(province__valid_to__isnull=False).exists()


def test_every_current_province_has_the_communes_its_row_declares(catalogue):
    for province in Province.objects.current():
        assert commune_counts_of(province, on=MERGER_DATE) == {
            "xa": province.communes_xa,
            "phuong": province.communes_phuong,
            "dac_khu": province.communes_dac_khu,
        }, province.code


def test_an_giang_has_102_communes_among_them_phu_quoc_tho_chau_and_kien_hai(catalogue):
    # given
    an_giang = Province.objects.current().get(code="91")

    # when
    communes = communes_of(an_giang, on=MERGER_DATE)

    # then
    assert communes.count() == 102
    assert commune_counts_of(an_giang, on=MERGER_DATE) == {"xa": 85, "phuong": 14, "dac_khu": 3}
    assert list(communes.filter(kind="dac_khu").values_list("code", "name")) == [
        ("31078", "Đặc khu Phú Quốc"),
        ("31105", "Đặc khu Thổ Châu"),
        ("31108", "Đặc khu Kiên Hải"),
    ]


def test_no_commune_reports_before_the_two_level_government(catalogue):
    an_giang = Province.objects.current().get(code="91")
    kien_giang = Province.objects.former().get(code="91")

    assert communes_of(an_giang, on=MERGER_DATE - datetime.timedelta(days=1)).count() == 0
    assert commune_counts_of(kien_giang, on=MERGER_DATE) == {"xa": 0, "phuong": 0, "dac_khu": 0}


@pytest.fixture
def later_merger(an_giang, commune_factory):
    """Two xã of An Giang merged into a new one on 2026-07-01 (a change the model must be able to hold)."""
    merged = commune_factory(code="30001", name="Xã Mới", province=an_giang, valid_from=AFTER_A_LATER_MERGER)
    first = commune_factory(code="30002", name="Xã Một", province=an_giang, valid_to=datetime.date(2026, 6, 30))
    second = commune_factory(code="30003", name="Xã Hai", province=an_giang, valid_to=datetime.date(2026, 6, 30))
    Commune.objects.filter(pk__in=[first.pk, second.pk]).update(successor=merged)
    commune_factory(code="30004", name="Phường Giữ Nguyên", kind="phuong", province=an_giang)
    return merged


def test_the_communes_of_a_province_follow_a_later_merger(an_giang, later_merger):
    before = communes_of(an_giang, on=datetime.date(2026, 6, 30))
    after = communes_of(an_giang, on=AFTER_A_LATER_MERGER)

    assert list(before.values_list("code", flat=True)) == ["30002", "30003", "30004"]
    assert list(after.values_list("code", flat=True)) == ["30001", "30004"]
    assert commune_counts_of(an_giang, on=AFTER_A_LATER_MERGER) == {"xa": 1, "phuong": 1, "dac_khu": 0}
    assert sorted(later_merger.predecessors.values_list("code", flat=True)) == ["30002", "30003"]


def test_a_code_reused_after_a_change_finds_the_current_unit(an_giang, commune_factory):
    # given: 30005 was a xã until 2026-06-30 and is a phường (a new unit) since
    commune_factory(code="30005", name="Xã Cũ", province=an_giang, valid_to=datetime.date(2026, 6, 30))
    commune_factory(code="30005", name="Phường Mới", kind="phuong", province=an_giang, valid_from=AFTER_A_LATER_MERGER)

    # when
    found = commune_for("30005")

    # then
    assert found is not None
    assert (found.name, found.valid_from) == ("Phường Mới", AFTER_A_LATER_MERGER)
    assert commune_for("39999") is None


def test_a_code_whose_units_all_ended_finds_the_one_that_ended_last(an_giang, commune_factory):
    # given
    commune_factory(code="30009", name="Xã Đầu", province=an_giang, valid_to=datetime.date(2025, 12, 31))
    commune_factory(
        code="30009",
        name="Xã Sau",
        province=an_giang,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 6, 30),
    )

    # when
    found = commune_for("30009")

    # then
    assert found is not None
    assert (found.name, found.valid_to) == ("Xã Sau", datetime.date(2026, 6, 30))


def test_a_commune_cannot_outlive_its_province_nor_succeed_itself(an_giang, commune_factory):
    # given: a commune placed in former Kiên Giang, which ended before communes began
    kien_giang = Province.objects.former().get(code="91")
    commune = commune_factory(code="30006", province=kien_giang)
    commune.successor = commune

    # when
    with pytest.raises(ValidationError) as error:
        commune.full_clean()

    # then
    assert error.value.message_dict == {
        "province": [
            "Tỉnh “91 Tỉnh Kiên Giang (cũ)” không có hiệu lực trong suốt thời gian hiệu lực của đơn vị cấp xã."
        ],
        "successor": ["Một đơn vị không thể kế thừa chính nó."],
    }


def test_only_a_commune_that_ended_has_a_successor(an_giang, commune_factory):
    merged = commune_factory(code="30007", province=an_giang)
    commune = commune_factory(code="30008", province=an_giang, successor=merged)

    with pytest.raises(ValidationError) as error:
        commune.full_clean()

    assert error.value.message_dict == {"successor": ["Chỉ đơn vị đã hết hiệu lực mới có đơn vị kế thừa."]}
