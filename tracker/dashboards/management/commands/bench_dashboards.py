"""Server time and figure size of every dashboard page, against the national-scale data set.

    python manage.py bench_dashboards [--requests 200] [--generate]

Each page is requested through Django's test client (the whole middleware stack, selectors,
figures and templates; no network), signed in as a reviewer, after a few warm-up requests.
Prints, per page: median and p95 server time, queries per request, the size of the page's
figure JSON and of the whole HTML. Goals: p95 under 300 ms (the approval review, which computes
its preview on the fly: 500 ms), figure data under 1 MB per page.

Besides the dashboards it times the scorecard and its grid, the map, each role's home page and
the approval review of the province's latest report, signed in as that role (temporary users of
the province, removed afterwards).

The data set is the one of tracker.progress's `bench_rollups` command (34 current and 63 former
provinces, 100 data elements, monthly from 2020 to the last completed month, the merger on
2025-07-01). That command has no "generate only" option, so --generate calls the same
generator (tracker.progress.benchmark.generate) and then one full recompute, when the computed
tables are empty. The bench catalogue's directive has no objectives; --generate gives it five
(BENCH_OBJ_*), ten indicators each, so that the directive page is measured at a realistic size.
Give it a database of its own.

    python manage.py bench_dashboards --communes 120

also times the drill-down (issue 17) with that many communes in the province (commune_bench.py:
bench communes 9xxxx with 20 indicators' values and standings from July 2025, removed afterwards):
the province page with its communes ranked, a commune page and the scorecard with communes as
rows, signed in as the province's approver. Goal: the province page's p95 under 300 ms.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from kpis.models import CompositeIndex, Directive, Indicator, Objective
from provinces.models import Commune, Province
from tracker.accounts.models import Role, User
from tracker.dashboards import commune_bench
from tracker.progress.models import IndicatorValue, Level
from tracker.reporting.models import Submission

FIGURE = re.compile(rb'<script type="application/json" id="figure-[^"]+">(.*?)</script>', re.DOTALL)
BENCH_USER = "bench-dashboards-reviewer"
P95_GOAL_MS = 300
REVIEW_P95_GOAL_MS = 500
REVIEW_PAGE = "approval review"
ROLE_USERS = {
    Role.REVIEWER: BENCH_USER,
    Role.APPROVER: "bench-dashboards-approver",
    Role.OFFICER: "bench-dashboards-officer",
    Role.ADMIN: "bench-dashboards-admin",
}
FIGURE_GOAL_BYTES = 1024 * 1024


@dataclass
class Result:
    name: str
    path: str
    median_ms: float
    p95_ms: float
    cpu_median_ms: float
    cpu_p95_ms: float
    queries: int
    figure_bytes: int
    html_bytes: int
    charts: int


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Times every dashboard page (median, p95) and measures its figure data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument(
            "--generate", action="store_true", help="generate the bench_rollups data set if the tables are empty"
        )
        parser.add_argument("--province", default="91", help="province code for the province page")
        parser.add_argument(
            "--communes", type=int, default=0, help="also time the drill-down with this many communes (e.g. 120)"
        )
        parser.add_argument("--communes-only", action="store_true", help="with --communes: time the drill-down only")

    def handle(self, *args: Any, **options: Any) -> None:
        if not IndicatorValue.objects.filter(level=Level.PROVINCE).exists():
            if not options["generate"]:
                raise CommandError("The computed tables are empty: run with --generate (or bench_rollups first).")
            self._generate()
        if options["generate"]:
            self._bench_objectives()
        pages = self._pages(options["province"])
        province = Province.objects.current().get(code=options["province"])
        if options["communes"]:
            counts = commune_bench.generate(province, options["communes"])
            self.stdout.write("Commune data set: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
            pages = self._commune_pages(province) + ([] if options["communes_only"] else pages)
        made: list[User] = []
        clients: dict[str, Client] = {}
        try:
            for role, username in ROLE_USERS.items():
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"role": role, "province": province if role in (Role.APPROVER, Role.OFFICER) else None},
                )
                if created:
                    made.append(user)
                clients[role] = Client()
                clients[role].force_login(user)
            # The test client talks to "testserver" over plain HTTP; production settings refuse both.
            with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
                results = [self._measure(clients[role], name, path, options) for name, path, role in pages]
        finally:
            for user in made:
                user.delete()
            if options["communes"]:
                commune_bench.remove(province)
        self._print(results, options["requests"])

    def _generate(self) -> None:
        from tracker.progress import benchmark, services

        self.stdout.write("Generating the national-scale data set of bench_rollups ...")
        started = time.perf_counter()
        counts = benchmark.generate(seed=2025, first=benchmark.FIRST_MONTH, last=benchmark.last_completed_month())
        self.stdout.write(", ".join(f"{value} {name}" for name, value in counts.items()))
        services.rollups_recompute_all(reason="bench_dashboards")
        self.stdout.write(f"Data set and roll-ups ready in {time.perf_counter() - started:.0f} s.")

    def _bench_objectives(self) -> None:
        directive = Directive.objects.filter(code="bench").first()
        if directive is None:
            return
        indicators = list(Indicator.objects.filter(code__startswith="BENCH_I").order_by("code"))
        for number in range(5):
            objective, _created = Objective.objects.get_or_create(
                directive=directive,
                code=f"BENCH_OBJ_{number + 1}",
                defaults={"group": "Benchmark", "order": number, "title": f"Benchmark objective {number + 1}"},
            )
            objective.indicators.set(indicators[number * 10 : (number + 1) * 10])

    def _pages(self, province_code: str) -> list[tuple[str, str, str]]:
        pages: list[tuple[str, str, str]] = [
            (name, path, Role.REVIEWER) for name, path in self._dashboard_pages(province_code)
        ]
        directive = Directive.objects.filter(objectives__indicators__isnull=False).order_by("code").first()
        scorecard = reverse("dashboards:scorecard")
        pages.append(("scorecard", scorecard, Role.REVIEWER))
        if directive is not None:
            pages.append(("scorecard, one directive", f"{scorecard}?van-ban={directive.code}", Role.REVIEWER))
            pages.append(
                ("scorecard grid", f"{reverse('dashboards:scorecard_grid')}?van-ban={directive.code}", Role.REVIEWER)
            )
        pages.append(("map", reverse("dashboards:map"), Role.REVIEWER))
        home = reverse("home")
        for role in (Role.REVIEWER, Role.APPROVER, Role.OFFICER, Role.ADMIN):
            pages.append((f"home, {role}", home, role))
        latest = (
            Submission.objects.filter(province__code=province_code, province__valid_to__isnull=True)
            .order_by("-period_start")
            .first()
        )
        if latest is not None:
            pages.append((REVIEW_PAGE, reverse("reporting:review", args=[latest.pk]), Role.APPROVER))
        return pages

    def _commune_pages(self, province: Province) -> list[tuple[str, str, str]]:
        count = Commune.objects.filter(province=province).count()
        first = Commune.objects.filter(province=province).order_by("code").first()
        pages: list[tuple[str, str, str]] = [
            (f"province, {count} communes", reverse("dashboards:province", args=[province.code]), Role.APPROVER),
            ("scorecard, communes", reverse("dashboards:scorecard_communes", args=[province.code]), Role.APPROVER),
        ]
        if first is not None:
            pages.append(("commune", reverse("dashboards:commune", args=[province.code, first.code]), Role.APPROVER))
        return pages

    def _dashboard_pages(self, province_code: str) -> list[tuple[str, str]]:
        national = reverse("dashboards:national")
        # The first indicator (in code order, as the pages default to) that has provincial figures.
        indicator = next(
            (
                item.code
                for item in Indicator.objects.order_by("code")
                if IndicatorValue.objects.filter(indicator=item, level=Level.PROVINCE).exists()
            ),
            None,
        )
        directive = Directive.objects.filter(objectives__indicators__isnull=False).order_by("code").first()
        index = CompositeIndex.objects.order_by("code").first()
        if not Province.objects.current().filter(code=province_code).exists():
            raise CommandError(f"No current province with code {province_code}.")
        pages = [("national overview", national)]
        if indicator:
            pages.append(("national, ranking by indicator", f"{national}?indicator={indicator}&colour=value"))
        if index is not None:
            pages.append(("national, ranking by index", f"{national}?index={index.code}"))
        if directive is not None:
            pages.append(("national, one directive", f"{national}?directive={directive.code}"))
        pages.append(("province", reverse("dashboards:province", args=[province_code])))
        if indicator:
            pages.append(("indicator", reverse("dashboards:indicator", args=[indicator])))
        if directive is not None:
            pages.append(("directive", reverse("dashboards:directive", args=[directive.code])))
        return pages

    def _measure(self, client: Client, name: str, path: str, options: dict[str, Any]) -> Result:
        for _warm in range(options["warmup"]):
            self._get(client, path)
        with CaptureQueriesContext(connection) as queries:
            response = self._get(client, path)
        # Read now: every later request clears the connection's query log.
        query_count = len(queries.captured_queries)
        figures = FIGURE.findall(response.content)
        timings: list[float] = []
        cpu: list[float] = []
        for _run in range(options["requests"]):
            started, cpu_started = time.perf_counter(), time.process_time()
            self._get(client, path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        return Result(
            name=name,
            path=path,
            median_ms=statistics.median(timings),
            p95_ms=percentile(timings, 0.95),
            cpu_median_ms=statistics.median(cpu),
            cpu_p95_ms=percentile(cpu, 0.95),
            queries=query_count,
            figure_bytes=sum(len(figure) for figure in figures),
            html_bytes=len(response.content),
            charts=len(figures),
        )

    def _get(self, client: Client, path: str) -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        return response

    def _print(self, results: list[Result], requests: int) -> None:
        self.stdout.write(f"Dashboard pages, {requests} requests each (database: {connection.vendor})")
        self.stdout.write(
            "Time: wall clock per request, queries included. CPU: this process's share, which other load "
            "on the machine does not inflate."
        )
        self.stdout.write(
            f"{'page':32} {'median ms':>9} {'p95 ms':>8} {'CPU med':>8} {'CPU p95':>8} {'queries':>7} "
            f"{'charts':>6} {'figure KB':>9} {'HTML KB':>8}"
        )
        for result in results:
            self.stdout.write(
                f"{result.name:32} {result.median_ms:9.1f} {result.p95_ms:8.1f} {result.cpu_median_ms:8.1f} "
                f"{result.cpu_p95_ms:8.1f} {result.queries:7d} {result.charts:6d} "
                f"{result.figure_bytes / 1024:9.1f} {result.html_bytes / 1024:8.1f}"
            )
        slow = [
            result.name
            for result in results
            if result.p95_ms >= (REVIEW_P95_GOAL_MS if result.name == REVIEW_PAGE else P95_GOAL_MS)
        ]
        heavy = [result.name for result in results if result.figure_bytes >= FIGURE_GOAL_BYTES]
        goal = f"p95 < {P95_GOAL_MS} ms ({REVIEW_PAGE} {REVIEW_P95_GOAL_MS} ms)"
        self.stdout.write(
            f"Goals: {goal}: {'met' if not slow else 'missed by ' + ', '.join(slow)}; "
            f"figure data < 1 MB per page: {'met' if not heavy else 'missed by ' + ', '.join(heavy)}."
        )
