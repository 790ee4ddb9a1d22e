"""The province list answers what its OpenAPI schema documents."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


@pytest.mark.django_db
def test_a_current_province_has_no_successor_and_the_schema_allows_it(api, province_factory):
    # given
    province_factory(code="91", name="Tỉnh An Giang")

    # when
    rows = api.get("/api/v1/provinces/", {"level": "current"}).json()
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    # then
    assert [(row["code"], row["successor"]) for row in rows] == [("91", None)]
    assert schema["components"]["schemas"]["Province"]["properties"]["successor"] == {
        "allOf": [{"$ref": "#/components/schemas/ProvinceRef"}],
        "readOnly": True,
        "nullable": True,
    }
