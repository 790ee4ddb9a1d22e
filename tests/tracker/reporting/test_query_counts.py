"""List pages and endpoints run a fixed number of queries, whatever the number of provinces and periods."""

import pytest

from kpis.periods import Period
from tests.factories import ProvinceFactory
from tests.tracker.reporting.conftest import api
from tracker.reporting.models import LockException, Submission

# session, user, unread notifications (navigation), count, page of submissions (lock state annotated), forms
INBOX_QUERIES = 6
# session, user, unread notifications (navigation), province, submissions, forms due, user's province, forms to open
OVERVIEW_QUERIES = 8
API_LIST_QUERIES = 2  # count, page of submissions (the user is forced, so no auth query)


def populate(form, provinces: list, months: list[str], reviewer) -> None:
    for province in provinces:
        for month in months:
            period = Period.parse(month)
            submission = Submission.objects.create(
                province=province,
                form=form,
                period=month,
                period_start=period.start,
                period_end=period.end,
                status="submitted",
            )
            LockException.objects.create(
                submission=submission,
                reason="x",
                granted_by=reviewer,
                granted_at="2026-11-01T00:00Z",
                expires_at="2026-12-31T00:00Z",
            )


@pytest.mark.parametrize(
    ("extra_provinces", "months"), [(0, ["2026-10"]), (6, ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"])]
)
def test_reviewer_inbox_queries_do_not_grow(
    client, django_assert_num_queries, catalogue, an_giang, ha_noi, reviewer, extra_provinces, months
):
    # given
    provinces = [an_giang, ha_noi] + [ProvinceFactory(code=f"{40 + i}") for i in range(extra_provinces)]
    populate(catalogue.form, provinces, months, reviewer)
    client.force_login(reviewer)

    # when / then
    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get("/bao-cao/hop-thu/?status=submitted")
    assert response.status_code == 200
    assert len(response.context["statuses"]) == len(provinces) * len(months)


@pytest.mark.parametrize(
    "months", [["2026-10"], ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]]
)
def test_province_overview_queries_do_not_grow(
    client, django_assert_num_queries, catalogue, an_giang, officer_91, reviewer, months
):
    # given
    populate(catalogue.form, [an_giang], months, reviewer)
    client.force_login(officer_91)

    # when / then
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(f"/bao-cao/tinh/{an_giang.pk}/")
    assert len(response.context["statuses"]) == len(months)


@pytest.mark.parametrize(("extra_provinces", "months"), [(0, ["2026-10"]), (5, ["2026-08", "2026-09", "2026-10"])])
def test_api_list_queries_do_not_grow(
    django_assert_num_queries, catalogue, an_giang, ha_noi, reviewer, extra_provinces, months
):
    # given
    provinces = [an_giang, ha_noi] + [ProvinceFactory(code=f"{40 + i}") for i in range(extra_provinces)]
    populate(catalogue.form, provinces, months, reviewer)
    client = api(reviewer)

    # when / then
    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get("/api/v1/submissions/")
    assert response.json()["count"] == len(provinces) * len(months)
