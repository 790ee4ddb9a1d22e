"""load_demo's bad input: a second history is refused, --replace recreates it, a failure leaves nothing."""

import datetime

import pytest

from kpis.periods import Period
from seeds.demo import DemoHistoryExists, demo_history_create, demo_users_create
from seeds.demo_series import Series
from seeds.loader import catalogue_load
from tracker.reporting.models import AuditEntry, DataValue, Submission

TODAY = datetime.date(2026, 12, 3)


def _figures() -> list[tuple]:
    return list(
        DataValue.objects.values_list("submission__province__code", "submission__period", "element__code", "value")
    )


def test_a_second_history_is_refused_and_replace_recreates_the_same_one(db, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    demo_users_create()
    first = demo_history_create(today=TODAY, first=Period.month(2026, 10))
    stored = sorted(
        DataValue.objects.values_list("submission__province__code", "submission__period", "element__code", "value")
    )

    with pytest.raises(DemoHistoryExists):
        demo_history_create(today=TODAY, first=Period.month(2026, 10))
    assert Submission.objects.count() == first.submissions + first.commune_submissions

    again = demo_history_create(today=TODAY, first=Period.month(2026, 10), replace=True)

    assert (again.submissions, again.commune_submissions) == (first.submissions, first.commune_submissions)
    assert (
        sorted(
            DataValue.objects.values_list("submission__province__code", "submission__period", "element__code", "value")
        )
        == stored
    )


def test_a_failure_half_way_leaves_no_partial_history(db, settings, monkeypatch):
    settings.DEMO_MODE = True
    catalogue_load()
    demo_users_create()
    calls = {"n": 0}
    original = Series.values

    def failing(self, unit, period, codes):
        calls["n"] += 1
        if calls["n"] == 40:
            raise RuntimeError("disk full")
        return original(self, unit, period, codes)

    monkeypatch.setattr(Series, "values", failing)

    with pytest.raises(RuntimeError):
        demo_history_create(today=TODAY, first=Period.month(2026, 9))

    assert Submission.objects.count() == 0
    assert DataValue.objects.count() == 0
    assert AuditEntry.objects.count() == 0
