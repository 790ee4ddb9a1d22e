"""Backup and restore round trips: on SQLite always, on PostgreSQL where it is configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from provinces.models import Province
from tests.factories import ProvinceFactory
from tracker.ops.backup import BackupError, backup_create, backup_restore


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "evidence" / "7"
    evidence.mkdir(parents=True)
    (evidence / "bien-ban.pdf").write_bytes(b"%PDF-1.4 minh chung")
    return settings.MEDIA_ROOT


def round_trip(tmp_path, media):
    # given: two provinces and an evidence file
    ProvinceFactory(code="91", name="Tỉnh An Giang")
    ProvinceFactory(code="01", name="Thành phố Hà Nội")
    folder = tmp_path / "backup"

    # when: backed up, then the data and the file are lost, then restored
    call_command("backup", str(folder))
    Province.objects.filter(code="91").delete()
    (media / "evidence" / "7" / "bien-ban.pdf").unlink()
    call_command("restore", str(folder), "--yes")

    # then
    assert sorted(Province.objects.values_list("code", "name")) == [
        ("01", "Thành phố Hà Nội"),
        ("91", "Tỉnh An Giang"),
    ]
    assert (media / "evidence" / "7" / "bien-ban.pdf").read_bytes() == b"%PDF-1.4 minh chung"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["provinces_province"] == 2
    assert manifest["media_files"] == 1
    return manifest


ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_the_data_and_files(tmp_path, media, request):
    if connection.vendor != "sqlite":
        # The suite runs on PostgreSQL (CI): this same test, in a pytest of its own on SQLite.
        env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", request.node.nodeid],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert (done.returncode, done.stdout.strip().splitlines()[-1][:8]) == (0, "1 passed"), done.stdout[-3000:]
        return

    manifest = round_trip(tmp_path, media)

    assert manifest["engine"] == "sqlite"
    assert (tmp_path / "backup" / "database.sqlite3").exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_the_data_and_files(tmp_path, media):
    manifest = round_trip(tmp_path, media)

    assert manifest["engine"] == "postgresql"
    assert (tmp_path / "backup" / "database.dump").read_bytes()[:5] == b"PGDMP"


@pytest.mark.django_db(transaction=True)
def test_a_backup_refuses_a_folder_that_is_not_empty(tmp_path, media):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "old").write_text("x")

    with pytest.raises(BackupError):
        backup_create(destination=folder)


@pytest.mark.django_db(transaction=True)
def test_restore_needs_an_explicit_yes(tmp_path, media):
    call_command("backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_another_engine_is_refused(tmp_path, media):
    folder = tmp_path / "backup"
    backup_create(destination=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["engine"] = "mysql"
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="the backup is of mysql"):
        backup_restore(source=folder)


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_does_not_match_the_manifest_is_reported(tmp_path, media):
    ProvinceFactory(code="91")
    folder = tmp_path / "backup"
    backup_create(destination=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["counts"]["provinces_province"] = 5
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="provinces_province"):
        backup_restore(source=folder)
