"""The commune admin: lists, searches and filters the 3.321 units, refuses an impossible unit, tells the roll-ups."""

import pytest
from django.test import Client

from provinces.models import Commune, Province
from tests.rollup_marks import catalogue_marks
from tracker.progress.services import rollups_recompute_dirty


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("url", "expected", "absent"),
    [
        ("/admin/provinces/commune/?q=Ph%C3%BA+Qu%E1%BB%91c", "Đặc khu Phú Quốc", "Phường Ba Đình"),
        ("/admin/provinces/commune/?kind__exact=dac_khu", "Đặc khu Côn Đảo", "Phường Ba Đình"),
        ("/admin/provinces/commune/?level=current&q=00004", "Phường Ba Đình", "Đặc khu Phú Quốc"),
        ("/admin/provinces/commune/?level=former", "0 xã, phường, đặc khu", "Phường Ba Đình"),
    ],
)
def test_the_commune_admin_searches_and_filters(catalogue, admin_client, url, expected, absent):
    response = admin_client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert absent not in page


def test_the_commune_list_filters_by_province_and_shows_vietnamese_labels(catalogue, admin_client):
    an_giang = Province.objects.current().get(code="91")

    page = admin_client.get(f"/admin/provinces/commune/?province__id__exact={an_giang.pk}").content.decode()

    assert "102 xã, phường, đặc khu" in page
    for label in ("Mã", "Tên", "Loại", "Tỉnh, thành phố", "Hiệu lực từ", "Hiệu lực đến"):
        assert label in page


def test_the_commune_change_page_opens(catalogue, admin_client):
    phu_quoc = Commune.objects.get(code="31078")

    response = admin_client.get(f"/admin/provinces/commune/{phu_quoc.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Thay đổi đơn vị cấp xã", "Đặc khu Phú Quốc", "Đơn vị kế thừa"):
        assert text in page


def commune_form(province, **overrides):
    data = {
        "code": "39999",
        "name": "Xã Thử",
        "kind": "xa",
        "province": str(province.pk),
        "valid_from": "2025-07-01",  # as the admin renders it (DATE_INPUT_FORMATS[0])
        "valid_to": "",
        "successor": "",
    }
    data.update(overrides)
    return data


def test_the_admin_refuses_a_commune_in_a_province_that_had_ended(catalogue, admin_client):
    # given
    kien_giang = Province.objects.former().get(code="91")

    # when
    response = admin_client.post("/admin/provinces/commune/add/", commune_form(kien_giang))

    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "province": [
            "Tỉnh “91 Tỉnh Kiên Giang (cũ)” không có hiệu lực trong suốt thời gian hiệu lực của đơn vị cấp xã."
        ]
    }
    assert not Commune.objects.filter(code="39999").exists()


def test_a_commune_added_in_the_admin_marks_the_rollups(catalogue, admin_client):
    # given: nothing pending
    rollups_recompute_dirty()
    an_giang = Province.objects.current().get(code="91")

    # when
    response = admin_client.post("/admin/provinces/commune/add/", commune_form(an_giang))

    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    commune = Commune.objects.get(code="39999")
    assert catalogue_marks() == [f"admin save Commune #{commune.pk} 39999 Xã Thử"]
