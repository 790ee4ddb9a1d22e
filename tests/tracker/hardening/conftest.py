"""The world the fuzz corpus runs against: the exports' hand-made catalogue (An Giang, the monthly
form BC_THANG of five elements), December 2025 in draft with figures, a user of each role, and
a snapshot of everything a request could write (every table's rows, the figures, the media folder)."""

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from openpyxl import load_workbook

from tests.catalogue_fixtures import fast_passwords, figure_changes, media_root  # noqa: F401 - autouse here
from tests.factories import UserFactory
from tests.tracker.exports.conftest import NOW, build_catalogue
from tracker.accounts.models import Role
from tracker.reporting import clock
from tracker.reporting import services as reporting
from tracker.reporting.models import DataValue, Submission

# Tables a refused request may legitimately touch: none of them hold the product's data.
UNTRACKED_APPS = {"sessions", "axes", "admin"}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@dataclass
class World:
    users: dict
    submission: Submission
    province_id: int
    media: Path


@pytest.fixture
def world(db, an_giang, media_root):  # noqa: F811 - the autouse fixture, asked for its path
    catalogue = build_catalogue()
    users = {
        "officer": UserFactory(username="officer_91", role=Role.OFFICER, province=an_giang),
        "approver": UserFactory(username="approver_91", role=Role.APPROVER, province=an_giang),
        "reviewer": UserFactory(username="reviewer", role=Role.REVIEWER),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    submission, _created = reporting.submission_create(
        user=users["officer"], province=an_giang, form=catalogue.form, period="2025-12"
    )
    reporting.submission_values_update(
        submission=submission,
        user=users["officer"],
        version=submission.version,
        values=[reporting.ValueInput(element="BTS_5G", value="320", comment="Số liệu tháng 12")],
    )
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "evidence-kept.pdf").write_bytes(b"%PDF-1.4 kept")
    return World(users=users, submission=submission, province_id=an_giang.pk, media=media_root)


def database_state() -> dict:
    """Row counts of every table of the product, and the stored figures themselves."""
    state: dict = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in UNTRACKED_APPS
    }
    state["submissions"] = list(Submission.objects.order_by("pk").values_list("pk", "status", "version"))
    state["values"] = list(DataValue.objects.order_by("pk").values_list("pk", "value", "comment"))
    return state


def media_state(root: Path) -> list[tuple[str, int]]:
    return sorted((str(path.relative_to(root)), path.stat().st_size) for path in root.rglob("*") if path.is_file())


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))
