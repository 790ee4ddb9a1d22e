"""Reports with official (approved) and pending figures, built directly: the roll-up engine is
tested against the reporting models, not through the approval workflow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kpis.models import DataElement
from kpis.periods import Period
from tests.factories import FormerProvinceFactory, ProvinceFactory, ReportFormFactory
from tests.translations import english  # noqa: F401 - the fixture for this folder
from tracker.dashboards import selectors as dashboard_selectors
from tracker.reporting import clock
from tracker.reporting.models import DataValue, Submission


def _nine_am(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class Reports:
    """Creates submissions of one form; values are keyed by data-element code."""

    def __init__(self, form: Any) -> None:
        self.form = form

    def _submission(self, province, period: str, status: str, **extra) -> Submission:
        parsed = Period.parse(period)
        submission, _ = Submission.objects.update_or_create(
            province=province,
            form=self.form,
            period=period,
            defaults={"period_start": parsed.start, "period_end": parsed.end, "status": status, **extra},
        )
        return submission

    def approved(self, province, period: str, submitted_on: datetime.date | None = None, **values) -> Submission:
        """An approved report: its figures are official. Submitted on the period's last day unless told."""
        moment = _nine_am(submitted_on or Period.parse(period).end)
        submission = self._submission(
            province,
            period,
            Submission.Status.APPROVED,
            has_official_values=True,
            submitted_at=moment,
            first_submitted_at=moment,
            approved_at=moment,
        )
        for code, value in values.items():
            DataValue.objects.update_or_create(
                submission=submission,
                element=DataElement.objects.get(code=code),
                defaults={"value": Decimal(value), "approved_value": Decimal(value)},
            )
        return submission

    def submitted(self, province, period: str, submitted_on: datetime.date | None = None, **values) -> Submission:
        """A report awaiting approval: its figures are not official yet."""
        moment = _nine_am(submitted_on or Period.parse(period).end)
        submission = self._submission(
            province, period, Submission.Status.SUBMITTED, submitted_at=moment, first_submitted_at=moment
        )
        for code, value in values.items():
            DataValue.objects.update_or_create(
                submission=submission,
                element=DataElement.objects.get(code=code),
                defaults={"value": Decimal(value), "approved_value": None},
            )
        return submission


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The user factories set passwords; the production hasher would dominate these tests' time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Tasks run in-process here even when REDIS_URL is set (the integration tests use a worker)."""
    from tracker.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def monthly_reports(db):
    return Reports(ReportFormFactory(code="BC_THANG", name="Báo cáo tháng", periodicity="monthly"))


@pytest.fixture
def yearly_reports(db):
    return Reports(ReportFormFactory(code="BC_NAM", name="Báo cáo năm", periodicity="yearly"))


@pytest.fixture
def two_provinces(db):
    """Two current provinces with one predecessor each (as Hà Nội and Cao Bằng were)."""
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    FormerProvinceFactory(code="31", name="Thành phố Hải Phòng", successor=hai_phong)
    cao_bang = ProvinceFactory(code="04", name="Tỉnh Cao Bằng")
    FormerProvinceFactory(code="04", name="Tỉnh Cao Bằng", successor=cao_bang)
    return hai_phong, cao_bang


@pytest.fixture
def today_is(monkeypatch):
    """Freezes the day every reader takes for today: the standings' (timezone.localdate), the
    dashboards' and the reporting deadlines'."""

    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        monkeypatch.setattr(dashboard_selectors, "today", lambda: day)
        monkeypatch.setattr(clock, "today", lambda: day)

    return freeze
