import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tracker.accounts.models import User


def test_the_benchmark_reports_every_page_and_cleans_up_its_user(data):
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
    ]
    assert lines[-1].startswith("Goals: p95 < 300 ms: ")
    queries = {line.split("  ")[0]: int(line.split()[-4]) for line in lines[3:-1]}
    assert queries == {
        "national overview": 20,
        "national, ranking by indicator": 20,
        "national, ranking by index": 23,
        "national, one directive": 21,
        "province": 18,
        "indicator": 16,
        "directive": 14,
    }
    assert not User.objects.filter(username="bench-dashboards-reviewer").exists()


def test_the_benchmark_refuses_empty_tables_without_generate(db):
    with pytest.raises(CommandError, match="The computed tables are empty"):
        call_command("bench_dashboards", "--requests", "1", stdout=io.StringIO())
