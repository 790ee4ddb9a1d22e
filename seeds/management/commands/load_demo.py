import time

from django.core.management.base import BaseCommand, CommandError

from seeds.demo import DemoHistoryExists, demo_history_create, demo_users_create
from tracker.progress.models import IndicatorValue
from tracker.progress.services import rollups_recompute_all


class Command(BaseCommand):
    help = "Tạo người dùng và dữ liệu minh họa (chỉ khi TRACKER_DEMO=1), rồi tính số liệu tổng hợp."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace", action="store_true", help="Xóa mọi báo cáo hiện có rồi tạo lại lịch sử minh họa."
        )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        users = demo_users_create()
        self.stdout.write(f"demo users: {', '.join(u.username for u in users)} (password: demo)")
        try:
            result = demo_history_create(replace=bool(options["replace"]))
        except DemoHistoryExists as exc:
            # Not an error for `make run`, which loads the demo on every start: nothing is written.
            self.stdout.write(str(exc))
            if not IndicatorValue.objects.exists():
                rollups_recompute_all(reason="demo data")
            return
        except Exception as exc:
            raise CommandError(f"Không tạo được dữ liệu minh họa, không có gì được ghi: {exc}") from exc
        generated = time.perf_counter() - started
        self.stdout.write(
            f"demo submissions created: {result.submissions} ({result.values} values, "
            f"{result.outlier_comments} outlier comments; {result.by_status}), "
            f"commune reports: {result.commune_submissions} ({result.commune_by_status}) in {generated:.1f} s"
        )
        rollups_recompute_all(reason="demo data")
        self.stdout.write(
            f"roll-ups computed: {IndicatorValue.objects.count()} indicator values "
            f"(total {time.perf_counter() - started:.1f} s)"
        )
