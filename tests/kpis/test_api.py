import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kpis.models import DataElement, Directive, Indicator, Objective, ReportForm, ReportFormElement, Target

LISTS = ["/api/v1/directives/", "/api/v1/indicators/", "/api/v1/data-elements/", "/api/v1/report-forms/"]


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    return client


def more_catalogue():
    """Rows of every listed kind, to show that query counts do not depend on the number of rows."""
    element = DataElement.objects.create(code="EXTRA_A", name="Thêm A", value_type="integer")
    DataElement.objects.create(code="EXTRA_B", name="Thêm B", value_type="integer")
    for n in range(3):
        directive = Directive.objects.create(code=f"extra-{n}", kind="quyet_dinh", title=f"Văn bản thêm {n}")
        indicator = Indicator.objects.create(code=f"EXTRA_{n}", name="Thêm", numerator="EXTRA_A", denominator="EXTRA_B")
        indicator.data_elements.set([element])
        Target.objects.create(indicator=indicator, source=directive, value=1, deadline=datetime.date(2030, 12, 31))
        objective = Objective.objects.create(directive=directive, code=f"extra-objective-{n}", title="Mục tiêu thêm")
        objective.indicators.set([indicator])
        form = ReportForm.objects.create(code=f"EXTRA_FORM_{n}", name="Biểu thêm")
        ReportFormElement.objects.create(form=form, element=element, order=1, section="Thêm")


@pytest.mark.parametrize("url", LISTS)
def test_catalogue_lists_need_authentication(catalogue, url):
    assert APIClient().get(url).status_code == 401


@pytest.mark.parametrize(
    ("url", "queries", "rows", "more_rows"),
    [
        # token; directives; objectives; their indicators
        ("/api/v1/directives/", 4, 18, 21),
        # token; indicators; data elements; targets with province and source; objectives
        ("/api/v1/indicators/", 5, 60, 63),
        # token; elements
        ("/api/v1/data-elements/", 2, 86, 88),
        # token; forms; their rows; the rows' elements
        ("/api/v1/report-forms/", 4, 3, 6),
    ],
)
def test_catalogue_list_query_counts_do_not_grow_with_rows(
    catalogue, api, django_assert_num_queries, url, queries, rows, more_rows
):
    # given
    with django_assert_num_queries(queries):
        assert len(api.get(url).json()) == rows

    # when
    more_catalogue()

    # then
    with django_assert_num_queries(queries):
        assert len(api.get(url).json()) == more_rows


def test_directives_list_objectives_and_their_indicators(catalogue, api):
    directives = {d["code"]: d for d in api.get("/api/v1/directives/").json()}

    objectives = {o["code"]: o for o in directives["tb-56-2025"]["objectives"]}
    assert directives["tb-56-2025"]["number"] == "56/TB-VPCP"
    assert objectives["tb56-phi-le-phi-0-dong"]["indicators"] == ["FEE_ZERO_ONLINE_APPLIED"]
    assert objectives["tb56-phi-le-phi-0-dong"]["group"] == "Kết luận"


def test_indicators_list_formulas_elements_and_targets(catalogue, api):
    indicators = {i["code"]: i for i in api.get("/api/v1/indicators/").json()}

    fibre = indicators["FIBRE_HH_RATE"]
    assert (fibre["numerator"], fibre["denominator"], fibre["factor"]) == ("HH_FIBRE", "HOUSEHOLDS", "100.0000")
    assert sorted(fibre["data_elements"]) == ["HH_FIBRE", "HOUSEHOLDS"]
    assert fibre["targets"] == [
        {
            "province": None,
            "value": "80.000000",
            "baseline_value": None,
            "baseline_period": "",
            "deadline": "2025-12-31",
            "source": "qd-749-2020",
            "note": "",
        }
    ]


def test_report_forms_list_their_rows_in_order_with_sections(catalogue, api):
    forms = {f["code"]: f for f in api.get("/api/v1/report-forms/").json()}

    rows = forms["BC_THANG"]["elements"]
    assert [r["order"] for r in rows] == list(range(1, 58))
    assert rows[0] == {"element": "POPULATION", "order": 1, "required": True, "section": "Số liệu nền"}
