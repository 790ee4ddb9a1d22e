import pytest

from tests.factories import ProvinceFactory
from tracker.ops.loadtest import NotLoopback, Plan, load_test_run, load_test_setup
from tracker.reporting.models import Submission


def test_the_load_test_only_targets_loopback():
    plan = Plan(period="2026-10", officers={}, reviewer_sessions=[], reviewer_pages=[])

    with pytest.raises(NotLoopback):
        load_test_run(base_url="http://10.0.0.7:8000", plan=plan, seconds=1)


def test_the_load_test_is_bounded_in_time():
    plan = Plan(period="2026-10", officers={}, reviewer_sessions=[], reviewer_pages=[])

    with pytest.raises(ValueError, match="duration"):
        load_test_run(base_url="http://127.0.0.1:8000", plan=plan, seconds=3600)


@pytest.mark.django_db(transaction=True)
def test_the_setup_can_run_twice():
    ProvinceFactory(code="91")
    ProvinceFactory(code="01")

    first = load_test_setup(reviewers=1)
    second = load_test_setup(reviewers=1)

    assert sorted(first.officers) == sorted(second.officers) == ["01", "91"]
    assert Submission.objects.count() == 2


# PostgreSQL only: the live server's threads share one in-memory SQLite connection, which cannot
# hold the concurrent transactions that this test is about.
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_short_run_acknowledges_saves_and_loses_none(live_server, settings):
    # given
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for code in ("91", "01", "79"):
        ProvinceFactory(code=code)
    plan = load_test_setup(reviewers=1)
    plan.reviewer_pages = ["/bao-cao/hop-thu/"]

    # when
    report = load_test_run(base_url=live_server.url, plan=plan, seconds=4)

    # then
    assert report.server_errors == 0
    assert report.connection_errors == 0
    saves = report.by_kind["save"]["statuses"]
    assert isinstance(saves, dict)
    assert saves.get(200, 0) >= 3
    assert (report.lost_saves, report.lost_submits, report.lost_approvals) == ([], [], [])
    assert sorted(Submission.objects.values_list("status", flat=True)) == ["approved", "approved", "approved"]
