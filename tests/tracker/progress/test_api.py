"""The read API's contract: paths, fields, filters, official figures only, pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from kpis.models import CompositeIndex, CompositeIndexComponent, CompositeIndexVersion, Directive
from provinces.models import Province
from tests.factories import DirectiveFactory, ProvinceFactory
from tracker.progress.models import DirtyUnit
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(data_element_factory, indicator_factory, target_factory):
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    share = indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100)
    )
    target_factory(
        indicator=share,
        value=Decimal(80),
        deadline=datetime.date(2030, 12, 31),
        source=DirectiveFactory(code="qd-749", number="749/QĐ-TTg"),
    )
    data_element_factory(code="DTI_CQS", value_type="decimal", time_aggregation="last", space_aggregation="mean")
    cqs = indicator_factory(code="DTI_CQS", numerator="DTI_CQS", periodicity="yearly")
    source = Directive.objects.create(code="qd-922", kind="quyet_dinh", number="922/QĐ-BTTTT", title="DTI")
    dti = CompositeIndex.objects.create(code="DTI", name="DTI", source=source)
    version = CompositeIndexVersion.objects.create(index=dti, valid_from="2022", divisor=Decimal(1))
    CompositeIndexComponent.objects.create(version=version, indicator=cqs, weight=Decimal(1))
    return share


@pytest.fixture
def rolled_up(an_giang, monthly_reports, yearly_reports, catalogue):
    former = {p.code: p for p in Province.objects.former()}
    monthly_reports.approved(former["89"], "2024-10", DVC_ONLINE=30, DVC_RECEIVED=100)
    monthly_reports.approved(former["91"], "2024-10", DVC_ONLINE=10, DVC_RECEIVED=40)
    monthly_reports.approved(an_giang, "2025-10", DVC_ONLINE=60, DVC_RECEIVED=100)
    monthly_reports.submitted(an_giang, "2025-11", DVC_ONLINE=99, DVC_RECEIVED=100)
    yearly_reports.approved(former["89"], "2024", DTI_CQS="0.5")
    yearly_reports.approved(former["91"], "2024", DTI_CQS="0.7")
    rollups_recompute_all()
    return an_giang


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def test_indicator_values_follow_the_contract(rolled_up, api):
    response = api.get(
        "/api/v1/indicator-values/",
        {"indicator": "DVC_ONLINE_SHARE", "level": "national", "period": "2024-10"},
    )

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert {k: row[k] for k in ("indicator", "level", "province", "period", "value", "numerator", "denominator")} == {
        "indicator": "DVC_ONLINE_SHARE",
        "level": "national",
        "province": None,
        "period": "2024-10",
        "value": "28.5714285714",
        "numerator": "40.0000000000",
        "denominator": "140.0000000000",
    }
    assert row["computed_at"]


def test_a_province_code_means_the_current_unit_unless_former_is_asked(rolled_up, api):
    current = api.get("/api/v1/indicator-values/", {"province": "91", "period": "2024-10"}).json()["results"]
    former = api.get("/api/v1/indicator-values/", {"province": "91", "level": "former", "period": "2024-10"}).json()[
        "results"
    ]

    assert [(r["level"], r["province_name"], r["value"]) for r in current] == [
        ("province", "Tỉnh An Giang", "28.5714285714")
    ]
    assert [(r["level"], r["province_name"], r["value"]) for r in former] == [
        ("former", "Tỉnh Kiên Giang", "25.0000000000")
    ]


def test_indicator_values_filter_by_period_range_and_periodicity(rolled_up, api):
    response = api.get(
        "/api/v1/indicator-values/",
        {
            "indicator": "DVC_ONLINE_SHARE",
            "province": "91",
            "period_from": "2024-07",
            "period_to": "2025-12",
            "periodicity": "quarterly",
        },
    )

    assert [(r["period"], r["value"]) for r in response.json()["results"]] == [
        ("2024-Q4", "28.5714285714"),
        ("2025-Q4", "60.0000000000"),
    ]


def test_figures_awaiting_approval_are_never_served(rolled_up, api):
    response = api.get("/api/v1/indicator-values/", {"province": "91", "period": "2025-11"})

    assert response.json()["count"] == 0


def test_a_malformed_period_is_refused_in_vietnamese(rolled_up, api):
    response = api.get("/api/v1/indicator-values/", {"period": "2025/11"})

    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["period"][0]


def test_the_api_needs_a_signed_in_user(rolled_up):
    assert APIClient().get("/api/v1/indicator-values/").status_code in (401, 403)


def test_progress_rows_carry_status_values_and_deadline(rolled_up, api):
    response = api.get("/api/v1/progress/", {"indicator": "DVC_ONLINE_SHARE", "province": "91"})

    rows = response.json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert {
        k: row[k]
        for k in (
            "indicator",
            "province",
            "status",
            "status_label",
            "current_value",
            "baseline_value",
            "target_value",
            "deadline",
            "target_source",
        )
    } == {
        "indicator": "DVC_ONLINE_SHARE",
        "province": "91",
        "status": "substantial_progress",
        "status_label": "Đúng tiến độ",
        "current_value": "60.0000000000",
        "baseline_value": "28.5714285714",
        "target_value": "80.0000000000",
        "deadline": "2030-12-31",
        "target_source": "749/QĐ-TTg",
    }
    assert {"share_of_way", "projected_value", "required_monthly_change"} <= set(row)


def test_index_scores_carry_rank_and_components(rolled_up, api):
    response = api.get("/api/v1/index-scores/", {"index": "DTI", "period": "2024", "level": "province"})

    assert [(r["province"], r["score"], r["rank"], r["components"]) for r in response.json()["results"]] == [
        ("91", "0.6000", 1, [{"indicator": "DTI_CQS", "weight": "1.0000", "value": "0.6000000000"}])
    ]


def test_reporting_rates_are_served(rolled_up, api):
    response = api.get("/api/v1/reporting-rates/", {"form": "BC_THANG", "level": "national", "period": "2024-10"})

    assert [(r["expected"], r["received"], r["on_time"], r["approved"]) for r in response.json()["results"]] == [
        (2, 2, 2, 2)
    ]


def test_the_status_says_when_figures_were_computed_and_what_is_pending(rolled_up, api):
    DirtyUnit.objects.create(
        province=rolled_up, period_start=datetime.date(2025, 11, 1), period_end=datetime.date(2025, 11, 30)
    )

    body = api.get("/api/v1/rollups/status/").json()

    assert body["last_full_at"] is not None
    assert body["last_incremental_at"] is None
    assert (body["pending_dirty"], body["full_recompute_pending"], body["full_running_since"]) == (1, False, None)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/indicator-values/", "/api/v1/progress/", "/api/v1/index-scores/", "/api/v1/reporting-rates/"],
)
def test_list_endpoints_use_two_queries_however_many_rows(
    rolled_up, api, django_assert_num_queries, monthly_reports, yearly_reports, path
):
    # given: a page of the rows so far (indicator values also read the provinces in force once, for
    # their coverage: tracker.progress.completeness)
    queries = 3 if path == "/api/v1/indicator-values/" else 2
    with django_assert_num_queries(queries):
        few = api.get(path, {"limit": 500}).json()["count"]

    # when: three more provinces report
    for code in ("22", "24", "25"):
        province = ProvinceFactory(code=code)
        monthly_reports.approved(province, "2025-10", DVC_ONLINE=1, DVC_RECEIVED=2)
        yearly_reports.approved(province, "2025", DTI_CQS="0.5")
    rollups_recompute_all()

    # then: a page (count + rows) is still two queries (three)
    with django_assert_num_queries(queries):
        response = api.get(path, {"limit": 500})
    assert response.json()["count"] > few


def test_the_status_endpoint_uses_a_fixed_number_of_queries(rolled_up, api, django_assert_num_queries):
    with django_assert_num_queries(3):
        api.get("/api/v1/rollups/status/")


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ("limit=99999999999999999999999", 6),  # beyond any integer the database holds: cut to 1000
        ("limit=1&offset=99999999999999999999999", 0),  # past the end: an empty page
        ("limit=2&offset=1", 2),
    ],
)
def test_huge_limits_and_offsets_answer_a_page_not_a_server_error(rolled_up, api, query, expected_count):
    # when
    response = api.get(f"/api/v1/indicator-values/?indicator=DVC_ONLINE_SHARE&level=former&{query}")

    # then
    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert len(response.json()["results"]) == expected_count


def test_standings_answer_as_of_the_period_asked(rolled_up, api):
    # 2025-10 has An Giang's approved figure; 2025-11's is still awaiting approval
    october = api.get("/api/v1/standings/", {"period": "2025-10", "indicator": "DVC_ONLINE_SHARE", "province": "91"})
    november = api.get("/api/v1/standings/", {"period": "2025-11", "indicator": "DVC_ONLINE_SHARE", "province": "91"})

    fields = ("indicator", "province", "period", "status", "status_label", "value", "value_period", "as_of", "target")
    [row] = october.json()["results"]
    assert {k: row[k] for k in fields} == {
        "indicator": "DVC_ONLINE_SHARE",
        "province": "91",
        "period": "2025-10",
        "status": "substantial_progress",
        "status_label": "Đúng tiến độ",
        "value": "60.0000000000",
        "value_period": "2025-10",
        "as_of": "",
        "target": row["target"],
    }
    [row] = november.json()["results"]
    assert {k: row[k] for k in fields if k != "target"} == {
        "indicator": "DVC_ONLINE_SHARE",
        "province": "91",
        "period": "2025-11",
        "status": "no_data_this_period",
        "status_label": "Chưa có số liệu kỳ này",
        "value": "60.0000000000",
        "value_period": "2025-10",
        "as_of": "số liệu kỳ 10/2025",
    }
    assert (row["share_of_way"], row["target_applies_to"], row["target_value"]) == (None, "every_unit", "80.0000000000")


def test_standings_need_a_period(rolled_up, api):
    response = api.get("/api/v1/standings/", {"indicator": "DVC_ONLINE_SHARE"})

    assert response.status_code == 400
    assert "Cần cho biết kỳ (period)" in str(response.json())
