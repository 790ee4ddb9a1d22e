from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database with a backup made by `backup` and check every table's row count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("restore replaces the current data: stop the web and workers, then add --yes")
        source = options["source"]
        try:
            manifest = backup_restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {manifest.engine} backup of {manifest.created_at}: "
            f"{sum(manifest.counts.values())} rows in {len(manifest.counts)} tables match the backup"
        )
