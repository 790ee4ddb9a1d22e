"""Backup and restore of the database (and the evidence files under MEDIA_ROOT).

A backup is a folder:
  database.dump     PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`)
  database.sqlite3  SQLite: a consistent copy made with SQLite's online backup API
  media.tar.gz      the uploaded evidence files, if any
  manifest.json     engine, time, and the row count of every table, checked after a restore

Both work on a live system: pg_dump reads one snapshot, SQLite's backup API copies pages under
a read lock, so a backup never needs the application stopped. A restore replaces the data and
should run with the web and workers stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # runs pg_dump and pg_restore with fixed arguments, never through a shell
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    counts: dict[str, int]
    media_files: int

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return cls(**data)


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"unsupported database: {vendor}")
    return vendor


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table of every installed model (proxy and unmanaged ones left out)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._default_manager.using(alias).count()
    return dict(sorted(counts.items()))


def _pg_env(alias: str) -> dict[str, str]:
    config = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    env["PGDATABASE"] = str(config["NAME"])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup_create(*, destination: Path, include_media: bool = True, alias: str = "default") -> Manifest:
    engine = _engine(alias)
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    counts = table_counts(alias)
    if engine == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={destination / DUMP}"],
            _pg_env(alias),
        )
    else:
        connection = connections[alias]
        connection.ensure_connection()
        with sqlite3.connect(destination / SQLITE_COPY) as copy:
            connection.connection.backup(copy)
        copy.close()
    media = _media_files() if include_media else []
    if media:
        root = Path(settings.MEDIA_ROOT)
        with tarfile.open(destination / MEDIA, "w:gz") as archive:
            for path in media:
                archive.add(path, arcname=str(path.relative_to(root)))
    manifest = Manifest(engine=engine, created_at=timezone.now().isoformat(), counts=counts, media_files=len(media))
    (destination / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _restore_media(source: Path) -> None:
    archive_path = source / MEDIA
    if not archive_path.exists():
        return
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(root, filter="data")


def backup_restore(*, source: Path, alias: str = "default") -> Manifest:
    """Replace the database (and add back the media files) from a backup folder, then check
    that every table has the row count recorded in the manifest."""
    manifest = Manifest.read(source)
    engine = _engine(alias)
    if manifest.engine != engine:
        raise BackupError(f"the backup is of {manifest.engine}, the database is {engine}")
    connection = connections[alias]
    if engine == "postgresql":
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source / DUMP),
            ],
            _pg_env(alias),
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / SQLITE_COPY) as copy:
            copy.backup(connection.connection)
        copy.close()
    _restore_media(source)
    restored = table_counts(alias)
    differing = {t: (n, restored.get(t)) for t, n in manifest.counts.items() if restored.get(t) != n}
    if differing:
        raise BackupError(f"restored row counts differ from the backup: {differing}")
    return manifest
