"""`manage.py check_figures`: each kind of contradiction is found, named and fails the command."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tracker.progress.models import Level, ReportingRate, Standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def share(indicator_factory):
    return indicator_factory(code="ONLINE_SHARE", natural_limit=Decimal(100))


def standing(indicator, **overrides):
    values = {
        "indicator": indicator,
        "level": Level.NATIONAL,
        "province": None,
        "period": "2026-10",
        "periodicity": "monthly",
        "period_end": datetime.date(2026, 10, 31),
        "status": "substantial_progress",
        "value": Decimal(50),
        "value_period": "2026-10",
        "computed_at": timezone.now(),
    }
    values.update(overrides)
    return Standing.objects.create(**values)


def check(*args):
    out = StringIO()
    try:
        call_command("check_figures", *args, stdout=out)
    except CommandError as error:
        return out.getvalue().splitlines(), str(error)
    return out.getvalue().splitlines(), ""


def test_consistent_figures_pass(share):
    standing(share)
    standing(share, period="2026-09", period_end=datetime.date(2026, 9, 30), status="not_available", value=None)

    assert check() == (["Không có mâu thuẫn nào."], "")


def test_a_status_without_a_value_is_a_contradiction(share):
    standing(share, value=None)

    assert check() == (
        ["status_without_value: Standing ONLINE_SHARE toàn quốc 2026-10: substantial_progress"],
        "1 chỗ mâu thuẫn trong số liệu đã tính.",
    )


def test_achieved_beside_a_negative_share_of_the_way_is_a_contradiction(share):
    standing(share, status="target_achieved", share_of_way=Decimal("-0.16"))

    assert check()[0] == ["achieved_negative_share: Standing ONLINE_SHARE toàn quốc 2026-10: share -0.1600000000"]


def test_a_status_on_a_rate_beyond_its_limit_is_a_contradiction(share):
    standing(share, value=Decimal("104.2"))

    assert check()[0] == [
        "beyond_limit: Standing ONLINE_SHARE toàn quốc 2026-10: substantial_progress on 104.2000000000 "
        "(limit 100.000000)"
    ]


def test_a_target_still_in_progress_after_its_deadline_is_a_contradiction(share):
    standing(share, status="moderate_progress", deadline=datetime.date(2025, 12, 31))

    assert check()[0] == [
        "not_final_after_deadline: Standing ONLINE_SHARE toàn quốc 2026-10: moderate_progress, hạn 2025-12-31"
    ]


def test_a_report_counted_missing_before_its_due_day_is_a_contradiction(report_form_factory, monkeypatch):
    # given: November 2026 is due on 5 December; on 3 December it is counted as owed and not received
    form = report_form_factory(code="BC_THANG", periodicity="monthly")
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 12, 3))
    ReportingRate.objects.create(
        form=form,
        level=Level.NATIONAL,
        province=None,
        period="2026-11",
        periodicity="monthly",
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        expected=1,
        received=0,
        on_time=0,
        approved=0,
        not_due=0,
        computed_at=timezone.now(),
    )

    assert check()[0] == [
        "late_before_due: ReportingRate BC_THANG toàn quốc 2026-11: expected 1, received 0, on time 0, not due 0"
    ]
    ReportingRate.objects.update(not_due=1)
    assert check() == (["Không có mâu thuẫn nào."], "")


def test_a_period_limits_the_sweep_to_it(share):
    standing(share, value=None)

    assert check("--period", "2026-09") == (["Không có mâu thuẫn nào."], "")
    assert check("--period", "2026-10")[1] == "1 chỗ mâu thuẫn trong số liệu đã tính."
