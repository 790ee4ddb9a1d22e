"""GET /api/v1/communes/ and /api/v1/communes/{code}/: the commune units, paginated, filters checked."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PHU_QUOC = {
    "code": "31078",
    "name": "Đặc khu Phú Quốc",
    "kind": "dac_khu",
    "former": False,
    "province": {"code": "91", "name": "Tỉnh An Giang", "former": False},
    "valid_from": "2025-07-01",
    "valid_to": None,
    "successor": None,
}


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    return client


def test_the_commune_list_needs_authentication(catalogue):
    assert APIClient().get("/api/v1/communes/").status_code == 401
    assert APIClient().get("/api/v1/communes/31078/").status_code == 401


def test_the_communes_of_an_giang_are_listed_by_kind(catalogue, api):
    # when
    xa = api.get("/api/v1/communes/", {"province": "91", "kind": "xa", "limit": 1000}).json()
    dac_khu = api.get("/api/v1/communes/", {"province": "91", "kind": "dac_khu"}).json()
    every = api.get("/api/v1/communes/", {"province": "91"}).json()

    # then
    assert (xa["count"], len(xa["results"])) == (85, 85)
    assert {row["kind"] for row in xa["results"]} == {"xa"}
    assert [row["code"] for row in dac_khu["results"]] == ["31078", "31105", "31108"]
    assert dac_khu["results"][0] == PHU_QUOC
    assert every["count"] == 102


def test_the_commune_list_is_paginated_by_code(catalogue, api):
    # when
    first = api.get("/api/v1/communes/").json()
    last = api.get("/api/v1/communes/", {"offset": 3320}).json()

    # then
    assert first["count"] == 3321
    assert len(first["results"]) == 100
    assert [row["code"] for row in first["results"][:2]] == ["00004", "00008"]
    assert first["next"].endswith("/api/v1/communes/?limit=100&offset=100")
    assert [row["code"] for row in last["results"]] == ["32248"]


def test_the_commune_list_keeps_the_units_valid_on_a_day(catalogue, api):
    before = api.get("/api/v1/communes/", {"on": "2025-06-30"}).json()
    after = api.get("/api/v1/communes/", {"on": "2025-07-01", "kind": "phuong"}).json()

    assert (before["count"], after["count"]) == (0, 687)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"province": "99"}, "province", "Không có tỉnh, thành phố mã “99”."),
        ({"province": "9"}, "province", "Mã tỉnh gồm 2 chữ số."),
        ({"kind": "huyen"}, "kind", "Loại “huyen” không hợp lệ; chọn một trong: xa, phuong, dac_khu."),
        ({"on": "2025-13-01"}, "on", "Ngày không hợp lệ (dùng YYYY-MM-DD)."),
    ],
)
def test_a_filter_value_that_names_nothing_is_refused_with_the_reason(catalogue, api, params, field, message):
    response = api.get("/api/v1/communes/", params)

    assert response.status_code == 400
    assert response.json() == {field: [message], "detail": "Dữ liệu gửi lên không hợp lệ.", "code": "invalid"}


def test_a_commune_is_read_by_its_code(catalogue, api):
    assert api.get("/api/v1/communes/31078/").json() == PHU_QUOC


def test_an_unknown_commune_code_is_a_404_with_the_reason(catalogue, api):
    response = api.get("/api/v1/communes/99999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không có xã, phường, đặc khu mã “99999”.", "code": "not_found"}


def test_the_commune_list_query_count_does_not_grow_with_rows(
    api, an_giang, commune_factory, django_assert_num_queries
):
    # given: token, count, rows; with a province filter also the province's units
    for number in range(3):
        commune_factory(code=f"3000{number}", province=an_giang)
    with django_assert_num_queries(3):
        assert api.get("/api/v1/communes/").json()["count"] == 3
    with django_assert_num_queries(4):
        assert api.get("/api/v1/communes/", {"province": "91", "kind": "xa"}).json()["count"] == 3

    # when: more communes, some ended with a successor
    merged = commune_factory(code="30010", province=an_giang)
    for number in range(10, 30):
        commune_factory(code=f"300{number + 1}", province=an_giang, valid_to="2026-06-30", successor=merged)

    # then
    with django_assert_num_queries(3):
        assert api.get("/api/v1/communes/").json()["count"] == 24
    with django_assert_num_queries(4):
        assert api.get("/api/v1/communes/", {"province": "91", "kind": "xa"}).json()["count"] == 24
    with django_assert_num_queries(2):
        assert api.get("/api/v1/communes/30011/").json()["successor"] == {"code": "30010", "name": "Xã 30010"}


def test_the_schema_documents_the_commune_filters_and_answers(api, an_giang):
    # when
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    # then
    listing = schema["paths"]["/api/v1/communes/"]["get"]
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert sorted(parameters) == ["kind", "limit", "offset", "on", "province"]
    assert parameters["kind"]["enum"] == ["dac_khu", "phuong", "xa"]
    assert {"200", "400"} <= set(listing["responses"])
    detail = schema["paths"]["/api/v1/communes/{code}/"]["get"]
    assert {"200", "404"} <= set(detail["responses"])
    assert schema["components"]["schemas"]["Commune"]["properties"]["successor"] == {
        "allOf": [{"$ref": "#/components/schemas/CommuneRef"}],
        "readOnly": True,
        "nullable": True,
    }
