"""Benchmark of the roll-up engine at national scale (see tracker/progress/benchmark.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.periods import InvalidPeriod, Period
from tracker.progress import benchmark


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

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = Period.parse(options["first"]) if options["first"] else None
        except InvalidPeriod as error:
            raise CommandError(str(error)) from error
        benchmark.run(samples=options["samples"], seed=options["seed"], worker=options["worker"], first=first)
