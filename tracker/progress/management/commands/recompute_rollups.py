"""Recompute the roll-ups: pending changes (the sweep), everything (--all), or one unit's range."""

from __future__ import annotations

import json
import resource
import time
from typing import Any

import psutil
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.periods import InvalidPeriod, Period
from provinces.models import Province
from tracker.progress import full_run, services


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp: các thay đổi đang chờ, toàn bộ (--all) hoặc một tỉnh trong một khoảng kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="tính lại toàn bộ")
        parser.add_argument(
            "--split",
            action="store_true",
            help="với --all: chia thành các phần (năm × nhóm tỉnh) cho các Celery worker cùng làm (cần REDIS_URL)",
        )
        parser.add_argument("--province", help="mã tỉnh hiện hành (2 chữ số)")
        parser.add_argument("--former", action="store_true", help="mã tỉnh là đơn vị trước sáp nhập")
        parser.add_argument("--from", dest="first", help="từ kỳ, ví dụ 2025-01")
        parser.add_argument("--to", dest="last", help="đến kỳ, ví dụ 2025-12")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho benchmark)")

    def handle(self, *args: Any, **options: Any) -> None:
        busy_before, started = busy_core_seconds(), time.perf_counter()
        if options["all"] and options["split"]:
            what, count = "split", full_run.rollups_recompute_all_split(reason="manage.py recompute_rollups --split")
        elif options["all"]:
            what, count = "all", services.rollups_recompute_all(reason="manage.py recompute_rollups")
        elif options["province"]:
            what, count = "unit", self._unit(options)
        else:
            what, count = "dirty", services.rollups_recompute_dirty()
        elapsed, busy = time.perf_counter() - started, max(0.0, busy_core_seconds() - busy_before)
        if options["json"]:
            result = {
                "what": what,
                "count": count,
                "seconds": elapsed,
                "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                # the whole machine, database included: what a CPU-bound recompute can be measured against
                "cpu_busy": busy,
                "cores": psutil.cpu_count() or 1,
            }
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"{what}: {count} ({elapsed:.2f} s)")

    def _unit(self, options: dict[str, Any]) -> int:
        units = Province.objects.former() if options["former"] else Province.objects.current()
        province = units.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['province']}.")
        try:
            first = Period.parse(options["first"] or "")
            last = Period.parse(options["last"] or options["first"] or "")
        except InvalidPeriod as error:
            raise CommandError(str(error)) from error
        return services.rollups_recompute_unit(province_id=province.pk, period_start=first.start, period_end=last.end)


def busy_core_seconds() -> float:
    """Seconds the machine's CPUs have been busy (all processes), summed over its cores."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))
