"""The demo data set as a ministry analyst first sees it: plausible figures on the national overview
and on An Giang's page (the demo generated from 01/2026, "today" 03/12/2026)."""

import datetime
import re
from decimal import Decimal

import pytest

from kpis.periods import Period
from seeds.demo import demo_history_create, demo_users_create
from seeds.loader import catalogue_load
from tracker.dashboards import selectors
from tracker.progress.models import IndicatorValue
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 12, 3)
NUMBER = re.compile(r"-?[\d.]+(?:,\d+)?")


def _number(text: str) -> Decimal:
    """The first number of a Vietnamese-formatted text: 1.234,5 -> 1234.5."""
    match = NUMBER.search(text)
    assert match, text
    return Decimal(match.group(0).replace(".", "").replace(",", "."))


@pytest.fixture
def demo(transactional_db, settings, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.setattr(selectors, "today", lambda: TODAY)
    catalogue_load()
    demo_users_create()
    demo_history_create(today=TODAY, first=Period.month(2026, 1))
    rollups_recompute_all(reason="demo screens")


def _national(code: str, period: str) -> Decimal:
    value = IndicatorValue.objects.get(indicator__code=code, level="national", period=period).value
    assert value is not None
    return value


def test_the_national_overview_ranks_every_unit_with_a_plausible_5g_coverage(page, live_server, login, demo):
    # when
    login("reviewer", "demo")
    page.goto(f"{live_server.url}/bang-dieu-khien/?period=2026-10&indicator=COVER_5G_POP_RATE")
    page.wait_for_selector('[data-chart="xep-hang"][data-drawn="1"] svg.main-svg', timeout=30_000)

    # then
    labels = page.locator('[data-chart="xep-hang"] text.bartext').all_text_contents()
    shares = [_number(label) for label in labels]
    assert len(shares) >= 10
    assert all(Decimal(30) < share < Decimal(100) for share in shares)
    assert page.watch.console_errors == []


def test_an_giangs_page_shows_its_figures_beside_plausible_national_ones(page, live_server, login, demo):
    # when
    login("officer_91", "demo")
    page.goto(f"{live_server.url}/bang-dieu-khien/tinh/91/?period=2026-10")
    page.wait_for_selector('[data-card="COVER_5G_POP_RATE"]', timeout=30_000)

    # then
    coverage = page.locator('[data-card="COVER_5G_POP_RATE"]')
    own = _number(coverage.locator('[data-field="value"]').inner_text())
    national = _number(coverage.locator('[data-field="national"]').inner_text())
    assert Decimal(30) < own < Decimal(100)
    assert abs(national - _national("COVER_5G_POP_RATE", "2026-10")) < Decimal("0.01")
    stations = page.locator('[data-card="BTS_5G_COUNT"] [data-field="national"]').inner_text()
    assert _number(stations) == _national("BTS_5G_COUNT", "2026-10")
    online = _number(page.locator('[data-card="HS_ONLINE_RATE"] [data-field="value"]').inner_text())
    assert Decimal(50) < online < Decimal(100)
    assert page.watch.console_errors == []
