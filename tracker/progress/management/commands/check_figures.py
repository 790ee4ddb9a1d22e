"""Sweep the computed tables for figures that contradict each other; exit non-zero if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.periods import InvalidPeriod, Period
from tracker.progress.consistency import contradictions


class Command(BaseCommand):
    help = (
        "Kiểm tra các bảng số liệu đã tính: in mọi chỗ mâu thuẫn (tình trạng không có số liệu, “Đã đạt” với "
        "quãng đường âm, giá trị vượt giới hạn, “muộn” khi chưa đến hạn...); thoát với mã lỗi nếu có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="chỉ kiểm tra một kỳ, ví dụ 2026-11, 2026-Q3 hoặc 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        period = None
        if options["period"]:
            try:
                period = Period.parse(options["period"])
            except InvalidPeriod as error:
                raise CommandError(str(error)) from error
        found = contradictions(period=period)
        for item in found:
            self.stdout.write(str(item))
        if found:
            raise CommandError(f"{len(found)} chỗ mâu thuẫn trong số liệu đã tính.")
        self.stdout.write("Không có mâu thuẫn nào.")
