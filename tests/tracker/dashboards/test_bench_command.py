import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.tracker.dashboards.standing_rows import add_standings
from tracker.accounts.models import User


def test_the_benchmark_reports_every_page_and_cleans_up_its_user(data):
    # given October's standings, so that the scorecard opens on October without looking further back
    add_standings(data)

    # when
    out = io.StringIO()
    call_command("bench_dashboards", "--requests", "3", "--warmup", "1", stdout=out)

    # then
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Dashboard pages, 3 requests each (database: {connection.vendor})"
    assert [line.split("  ")[0] for line in lines[3:-1]] == [
        "national overview",
        "national, ranking by indicator",
        "national, ranking by index",
        "national, one directive",
        "province",
        "indicator",
        "directive",
        "scorecard",
        "scorecard, one directive",
        "scorecard grid",
        "map",
        "home, reviewer",
        "home, approver",
        "home, officer",
        "home, admin",
    ]
    assert lines[-1].startswith("Goals: p95 < 300 ms (approval review 500 ms): ")
    queries = {line.split("  ")[0]: int(line.split()[-4]) for line in lines[3:-1]}
    # session, user and the navigation's unread count, then the page's own reads (the provinces in
    # force once per national series or headline: tracker.progress.completeness)
    assert queries == {
        "national overview": 23,
        "national, ranking by indicator": 23,
        "national, ranking by index": 26,
        "national, one directive": 24,
        "province": 25,  # with its (empty) communes' section: indicators, reporting, communes
        "indicator": 19,
        "directive": 15,
        "scorecard": 14,
        "scorecard, one directive": 15,
        "scorecard grid": 14,
        "map": 7,
        "home, reviewer": 14,
        "home, approver": 15,  # with the commune reports awaiting approval
        "home, officer": 6,
        "home, admin": 14,
    }
    assert not User.objects.filter(username__startswith="bench-dashboards-").exists()


def test_the_benchmark_refuses_empty_tables_without_generate(db):
    with pytest.raises(CommandError, match="The computed tables are empty"):
        call_command("bench_dashboards", "--requests", "1", stdout=io.StringIO())
