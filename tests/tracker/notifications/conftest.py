"""A monthly form due on the 5th: October 2026 is due 5 November and locks after 25 November
(September is locked by 31 October, so it stays out of the way). Two provinces with an officer
and an approver each, and a reviewer, all with e-mail addresses."""

import datetime

import pytest

from tests.factories import ReportFormFactory, UserFactory
from tests.tracker.exports.conftest import english  # noqa: F401 - the compiled English catalogue
from tracker.accounts.models import Role
from tracker.reporting.models import Submission

OCTOBER_DUE = datetime.date(2026, 11, 5)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def reminder_rules(settings):
    settings.NOTIFICATIONS = {
        "REMIND_DAYS_BEFORE": [5, 1],
        "ESCALATE_TO_APPROVER_AFTER_DAYS": 3,
        "ESCALATE_TO_REVIEWER_AFTER_DAYS": 7,
        "EMAIL_MAX_ATTEMPTS": 3,
    }
    settings.SITE_URL = "https://kpi.example.gov.vn"


@pytest.fixture
def monthly_form(db):
    return ReportFormFactory(code="BC_THANG", name="Báo cáo tháng", due_day=5, lock_days=20)


@pytest.fixture
def people(officer_91, approver_91, officer_01, approver_01, reviewer):
    for user in (officer_91, approver_91, officer_01, approver_01, reviewer):
        user.email = f"{user.username}@example.gov.vn"
        user.save(update_fields=["email"])
    return {u.username: u for u in (officer_91, approver_91, officer_01, approver_01, reviewer)}


@pytest.fixture
def submission_factory(monthly_form):
    def make(province, *, status=Submission.Status.DRAFT, submitted=False, version=1):
        return Submission.objects.create(
            province=province,
            form=monthly_form,
            period="2026-10",
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 10, 31),
            status=status,
            version=version,
            first_submitted_at=datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC) if submitted else None,
        )

    return make


@pytest.fixture
def inactive_officer(an_giang):
    return UserFactory(username="old_officer_91", role=Role.OFFICER, province=an_giang, is_active=False)


@pytest.fixture
def eager_tasks():
    """Run enqueued tasks in-process even when REDIS_URL points the suite at a broker."""
    from tracker.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
