from django.core.management.base import BaseCommand

from seeds.demo import demo_history_create, demo_users_create
from tracker.progress.models import IndicatorValue
from tracker.progress.services import rollups_recompute_all


class Command(BaseCommand):
    help = "Tạo người dùng và dữ liệu minh họa (chỉ khi TRACKER_DEMO=1), rồi tính số liệu tổng hợp."

    def handle(self, *args: object, **options: object) -> None:
        users = demo_users_create()
        self.stdout.write(f"demo users: {', '.join(u.username for u in users)} (password: demo)")
        created = demo_history_create()
        self.stdout.write(f"demo submissions created: {created}")
        if created or not IndicatorValue.objects.exists():
            rollups_recompute_all(reason="demo data")
            self.stdout.write(f"roll-ups computed: {IndicatorValue.objects.count()} indicator values")
