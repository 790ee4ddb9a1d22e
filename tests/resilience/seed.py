"""Data for the resilience scenarios, written into the stack's own database (run in a subprocess
by Stack.python, never against the test database)."""

import datetime
from typing import Any

from rest_framework.authtoken.models import Token

from kpis.periods import Period, Periodicity
from tests.factories import (
    DataElementFactory,
    IndicatorFactory,
    ProvinceFactory,
    ReportFormElementFactory,
    ReportFormFactory,
    UserFactory,
)
from tracker.accounts.models import Role
from tracker.reporting import clock
from tracker.reporting import services as reporting


def submitted_report() -> dict[str, object]:
    """An Giang's last month, submitted and waiting for its approver; tokens of both users."""
    province: Any = ProvinceFactory(code="91", name="Tỉnh An Giang")
    officer: Any = UserFactory(username="officer_91", role=Role.OFFICER, province=province)
    approver: Any = UserFactory(username="approver_91", role=Role.APPROVER, province=province)
    element = DataElementFactory(code="DVC_ONLINE")
    IndicatorFactory(code="DVC_COUNT", numerator="DVC_ONLINE")
    form: Any = ReportFormFactory(code="BC_THANG", due_day=5, lock_days=3650)
    ReportFormElementFactory(form=form, element=element)
    period = Period.containing(clock.today(), Periodicity.MONTHLY).previous()
    submission, _created = reporting.submission_create(user=officer, province=province, form=form, period=period)
    saved = reporting.submission_values_update(
        submission=submission, user=officer, version=submission.version, values={"DVC_ONLINE": "1250"}
    )
    submission = reporting.submission_submit(submission=submission.pk, user=officer, version=saved.submission.version)
    return {
        "submission": submission.pk,
        "version": submission.version,
        "officer": Token.objects.create(user=officer).key,
        "approver": Token.objects.create(user=approver).key,
    }


def provinces_owing_october(count: int) -> list[str]:
    """`count` provinces whose officers (with e-mail) owe October 2026 of a form due 5 November."""
    ReportFormFactory(code="BC_THANG", due_day=5, lock_days=20)
    names: list[str] = []
    for n in range(count):
        province: Any = ProvinceFactory(code=f"{n + 10:02d}", valid_from=datetime.date(2025, 7, 1))
        officer: Any = UserFactory(
            username=f"officer_{province.code}",
            role=Role.OFFICER,
            province=province,
            email=f"officer_{province.code}@example.gov.vn",
        )
        names.append(officer.username)
    return names
