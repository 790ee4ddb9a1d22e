from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite online copy) and the evidence files into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path, help="a new or empty folder")
        parser.add_argument("--no-media", action="store_true", help="leave out the files under MEDIA_ROOT")

    def handle(self, *args: Any, **options: Any) -> None:
        destination = options["destination"]
        try:
            manifest = backup_create(destination=destination, include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.counts.values())
        self.stdout.write(
            f"backup of {manifest.engine} in {destination}: {len(manifest.counts)} tables, {rows} rows, "
            f"{manifest.media_files} media files"
        )
