import io

from django.core.management import call_command

from provinces.models import Commune
from tests.tracker.dashboards.standing_rows import add_standings
from tracker.progress.models import CommuneIndicatorValue, CommuneReportingRate, CommuneStanding


def test_the_benchmark_times_the_drill_down_and_removes_its_communes(data):
    # given October's standings, so that the scorecard opens on October
    add_standings(data)

    # when
    out = io.StringIO()
    call_command("bench_dashboards", "--requests", "2", "--warmup", "1", "--communes", "5", stdout=out)

    # then: the data set (5 communes × 2 monthly indicators × July-October 2025), the three pages
    lines = out.getvalue().splitlines()
    assert lines[0] == "Commune data set: 5 communes, 40 values, 40 standings, 24 rates"
    names = [line.split("  ")[0] for line in lines[4:-1]]
    assert names[:3] == ["province, 5 communes", "scorecard, communes", "commune"]
    assert names[3] == "national overview"
    assert not Commune.objects.exists()
    assert not CommuneIndicatorValue.objects.exists()
    assert not CommuneStanding.objects.exists()
    assert not CommuneReportingRate.objects.exists()
