"""The drill-down's pages read a fixed number of queries, however many communes a province has
(the largest have some 170; these tests grow An Giang from 4 to 124)."""

import datetime

import pytest
from django.urls import reverse

from kpis.models import Objective
from provinces.models import Commune
from tests.factories import UserFactory
from tests.tracker.dashboards import commune_dataset
from tracker.accounts.models import Role
from tracker.progress.models import CommuneReportingRate


def add_communes(data, count: int) -> None:
    """`count` more communes in An Giang, each with September's and October's values, a standing
    against the province's target in October and a report owed."""
    for n in range(count):
        unit = Commune.objects.create(code=f"{31000 + n}", name=f"Xã Thử {n:03d}", kind="xa", province=data.an_giang)
        commune_dataset.value(data.indicator, unit, "2025-09", str(40 + n % 50))
        commune_dataset.value(data.indicator, unit, "2025-10", str(45 + n % 50))
        status = "limited_progress" if n % 3 == 0 else "substantial_progress"
        commune_dataset.standing(data.indicator, unit, data.province_target, "2025-10", status, str(45 + n % 50))
        CommuneReportingRate.objects.create(
            form=data.form,
            province=data.an_giang,
            commune=unit,
            period="2025-10",
            periodicity="monthly",
            period_start=datetime.date(2025, 10, 1),
            period_end=datetime.date(2025, 10, 31),
            expected=1,
            received=1,
            on_time=1,
            approved=1,
            computed_at=commune_dataset.COMPUTED_AT,
        )


@pytest.fixture
def data(db):
    built = commune_dataset.build()
    Objective.objects.create(
        directive=built.province_target.source, code="XA1", title="Dịch vụ công cấp xã", group="DVC", order=1
    ).indicators.add(built.indicator)
    return built


@pytest.fixture
def approver_client(client, data):
    client.force_login(UserFactory(username="approver_91", role=Role.APPROVER, province=data.an_giang))
    return client


# session, user, the navigation's unread notifications, then the page's own reads
PAGES = {
    # the province page's own reads, then its communes' section: indicators, reporting, the ranking's six
    "province": (reverse("dashboards:province", args=["91"]), {"period": "2025-10"}, 31),
    "commune": (reverse("dashboards:commune", args=["91", "30001"]), {"period": "2025-10"}, 18),
    # the communes, the directive's links (twice: columns, then the card) and the headlines' four
    "commune-scorecard": (
        reverse("dashboards:scorecard_communes", args=["91"]),
        {"period": "2025-10", "van-ban": "qd-xa"},
        15,
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_commune_pages_queries_do_not_grow_with_communes(approver_client, data, django_assert_num_queries, name):
    path, params, expected = PAGES[name]
    approver_client.get(path, params)  # warm

    with django_assert_num_queries(expected):
        assert approver_client.get(path, params).status_code == 200

    add_communes(data, 120)
    with django_assert_num_queries(expected):
        assert approver_client.get(path, params).status_code == 200


def test_the_added_communes_are_ranked_on_the_province_page(approver_client, data):
    add_communes(data, 120)

    response = approver_client.get(reverse("dashboards:province", args=["91"]), {"period": "2025-10"})

    section = response.context["communes"]
    assert (section["total"], section["completeness"]) == (124, "123/124 xã có số liệu")
    # 40 of the added communes are behind (n % 3 == 0), and 30002, 30003
    assert sum(1 for row in section["rows"] if row["behind"]) == 42
    # the best added value is 94 (n % 50 == 49): communes 31049 and 31099 share the first place
    assert [(row["code"], row["rank"]) for row in section["rows"][:3]] == [("31049", 1), ("31099", 1), ("31048", 3)]
    assert section["rows"][-1]["code"] == "30004"
