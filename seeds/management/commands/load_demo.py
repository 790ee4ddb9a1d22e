from django.core.management.base import BaseCommand

from seeds.demo import demo_history_create, demo_users_create


class Command(BaseCommand):
    help = "Tạo người dùng và dữ liệu minh họa (chỉ khi TRACKER_DEMO=1)."

    def handle(self, *args: object, **options: object) -> None:
        users = demo_users_create()
        self.stdout.write(f"demo users: {', '.join(u.username for u in users)} (password: demo)")
        created = demo_history_create()
        self.stdout.write(f"demo submissions created: {created}")
