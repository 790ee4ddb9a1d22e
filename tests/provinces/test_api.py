import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import FormerProvinceFactory, ProvinceFactory


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    return client


def test_the_province_list_needs_authentication(catalogue):
    response = APIClient().get("/api/v1/provinces/")

    assert response.status_code == 401


def test_the_province_list_shows_current_units_with_their_predecessors(catalogue, api):
    # when
    response = api.get("/api/v1/provinces/", {"level": "current"})

    # then
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert len(rows) == 34
    assert [p["code"] for p in rows["91"]["predecessors"]] == ["89", "91"]
    assert [p["name"] for p in rows["91"]["predecessors"]] == ["Tỉnh An Giang", "Tỉnh Kiên Giang"]
    assert rows["91"]["former"] is False


def test_the_province_list_shows_former_units_with_their_successor(catalogue, api):
    response = api.get("/api/v1/provinces/", {"level": "former"})

    rows = {row["code"]: row for row in response.json()}
    assert len(rows) == 63
    assert rows["89"]["successor"] == {"code": "91", "name": "Tỉnh An Giang", "former": False}
    assert rows["89"]["valid_to"] == "2025-06-30"


def test_the_province_list_query_count_does_not_grow_with_rows(catalogue, api, django_assert_num_queries):
    # given: token lookup, units, predecessors
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/provinces/").json()) == 97
    successor = ProvinceFactory(code="99", name="Tỉnh Thử")
    for code in ("97", "98"):
        FormerProvinceFactory(code=code, successor=successor, valid_from=datetime.date(2008, 8, 1))

    # then
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/provinces/").json()) == 100
