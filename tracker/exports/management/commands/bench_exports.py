"""`manage.py bench_exports`: median times and peak memory of the exports; writes nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tracker.exports.benchmark import peak_rss_mb, run


class Command(BaseCommand):
    help = "Đo thời gian (trung vị) và bộ nhớ đỉnh của các báo cáo và nhập Excel trên bộ dữ liệu cỡ toàn quốc."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Số lần chạy mỗi phép đo (mặc định 5).")

    def handle(self, *args: Any, **options: Any) -> None:
        figures = run(repeat=max(1, options["repeat"]), out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(
            f"{'phép đo':<58} {'trung vị (s)':>12} {'CPU (s)':>8} {'các lần (s)':>22} {'heap đỉnh (MB)':>15}"
        )
        for figure in figures:
            runs = ", ".join(f"{r:.2f}" for r in figure.runs)
            self.stdout.write(
                f"{figure.name:<58} {figure.median:>12.3f} {figure.cpu_median:>8.3f} {runs:>22}"
                f" {figure.peak_heap_mb:>15.1f}  {figure.note}"
            )
        self.stdout.write(f"RSS đỉnh của tiến trình: {peak_rss_mb():.0f} MB")
