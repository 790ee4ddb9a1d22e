import pytest

from tests.tracker.dashboards import dataset as hand_made
from tracker.dashboards import selectors


@pytest.fixture
def data(db, monkeypatch):
    """The hand-made computed tables; deadlines are compared with 6 November 2025."""
    monkeypatch.setattr(selectors, "today", lambda: hand_made.TODAY)
    return hand_made.build()


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def chart(response, key):
    """The chart a page drew under `key` (its figure dict and its table)."""
    return next(item for item in response.context["charts"] if item.key == key)
