import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.ops.loadtest import MAX_SECONDS, NotLoopback, Plan, load_test_run, load_test_setup


class Command(BaseCommand):
    help = (
        "Month-end load test on loopback: all provinces save and submit while reviewers load dashboards. "
        "`--setup` writes the test users and form (idempotent); then the run prints latencies, throughput "
        "and the check that every acknowledged save is in the database. Exits non-zero on any server "
        "error or lost write."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--seconds", type=int, default=120, help=f"1..{MAX_SECONDS}")
        parser.add_argument("--reviewers", type=int, default=5)
        parser.add_argument("--setup-only", action="store_true")
        parser.add_argument("--json", type=Path, help="also write the report here")

    def handle(self, *args: Any, **options: Any) -> None:
        plan: Plan = load_test_setup(reviewers=options["reviewers"])
        self.stdout.write(
            f"plan: {len(plan.officers)} provinces, {len(plan.reviewer_sessions)} reviewers, period {plan.period}"
        )
        if options["setup_only"]:
            return
        try:
            report = load_test_run(base_url=options["base_url"], plan=plan, seconds=options["seconds"])
        except (NotLoopback, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"duration {report.seconds} s, {report.requests} requests, {report.throughput} req/s")
        self.stdout.write(f"server errors (5xx): {report.server_errors}; connection errors: {report.connection_errors}")
        self.stdout.write(f"{'kind':<8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
        for kind, row in report.by_kind.items():
            self.stdout.write(
                f"{kind:<8} {row['count']:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8}  "
                f"{row.get('statuses', '')}"
            )
        self.stdout.write(
            f"lost: saves {len(report.lost_saves)}, submits {len(report.lost_submits)}, "
            f"approvals {len(report.lost_approvals)}"
        )
        if options["json"]:
            options["json"].write_text(json.dumps(asdict(report), indent=2, default=str))
        if report.server_errors or report.lost_saves or report.lost_submits or report.lost_approvals:
            raise CommandError("the load test found server errors or lost writes")
