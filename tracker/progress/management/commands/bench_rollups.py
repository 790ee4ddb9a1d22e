"""Benchmark of the roll-up engine at national scale (see tracker/progress/benchmark.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kpis.periods import InvalidPeriod, Period
from tracker.progress import benchmark, benchmark_scale, full_run


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu quy mô toàn quốc (34 + 63 đơn vị, 100 chỉ tiêu dữ liệu, hằng tháng từ 2020) và đo thời gian "
        "tính toàn bộ, tính bổ sung sau một lần phê duyệt, bộ nhớ và mức sàn GROUP BY của PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--samples", type=int, default=20, help="số lần phê duyệt để đo (mặc định 20)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--worker", action="store_true", help="đo thêm với một Celery worker thật (cần REDIS_URL)")
        parser.add_argument("--from", dest="first", help="tháng đầu của bộ dữ liệu (mặc định 2020-01)")
        parser.add_argument(
            "--workers",
            help="đo lượt tính toàn bộ chia phần với 1, 2… tiến trình Celery worker, ví dụ 1,2 (cần REDIS_URL)",
        )
        parser.add_argument(
            "--communes",
            action="store_true",
            help="bộ dữ liệu cấp xã: 3.321 xã × 20 chỉ tiêu cấp xã × hằng tháng từ 2025-07, thêm bộ cấp tỉnh",
        )
        parser.add_argument("--stress", action="store_true", help="với --communes: 3.321 xã × 60 chỉ tiêu × 60 tháng")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = Period.parse(options["first"]) if options["first"] else None
        except InvalidPeriod as error:
            raise CommandError(str(error)) from error
        if options["workers"] or options["communes"]:
            self._scale(options, first)
            return
        benchmark.run(samples=options["samples"], seed=options["seed"], worker=options["worker"], first=first)

    def _scale(self, options: dict[str, Any], first: Period | None) -> None:
        try:
            counts = [int(n) for n in options["workers"].split(",")] if options["workers"] else []
        except ValueError as error:
            raise CommandError(_("--workers nhận các số tiến trình cách nhau bởi dấu phẩy, ví dụ 1,2.")) from error
        if any(n < 1 for n in counts):
            raise CommandError(_("--workers nhận các số tiến trình cách nhau bởi dấu phẩy, ví dụ 1,2."))
        if counts and not full_run.distributed():
            raise CommandError(_("--workers cần REDIS_URL: các worker nhận phần việc qua hàng đợi."))
        report = benchmark.Report()
        if options["communes"]:
            benchmark_scale.communes_report(
                report,
                stress=options["stress"],
                samples=options["samples"],
                seed=options["seed"],
                workers=full_run.distributed(),
                first=first,
            )
        else:
            counts_ = benchmark.generate(
                seed=options["seed"], first=first or benchmark.FIRST_MONTH, last=benchmark.last_completed_month()
            )
            report.add("data set", ", ".join(f"{v} {k}" for k, v in counts_.items()))
        if counts:
            benchmark_scale.workers_report(report, counts)
        self.stdout.write("\n== bench_rollups summary ==\n" + "\n".join(report.lines))
