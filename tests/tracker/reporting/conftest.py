"""A small monthly catalogue, a pinned clock (3 November 2026, before October's due date) and
helpers to walk submissions through the workflow."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import ValidationRule
from tests.catalogue_fixtures import (  # noqa: F401 - the autouse fixtures apply to this folder
    VN,
    Catalogue,
    ElementSpec,
    api,
    build_monthly_catalogue,
    fast_passwords,
    figure_changes,
    media_root,
)
from tests.factories import TargetFactory
from tracker.reporting import clock, services
from tracker.reporting.models import Submission

NOW = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=VN)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# What the An Giang officer types for October 2026 (Vietnamese separators on purpose).
OCTOBER = {
    "DVC_RECEIVED": "15 240",
    "DVC_ONLINE": "12192",
    "POP": "1.952.000",
    "POP_5G": "1.500.000",
    "BTS_5G": "320",
    "FEE_ZERO": "có",
    "SIGNED_RATE": "87,5",
    "BUDGET": "2.500.000.000",
}


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = NOW
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment

    def reporting(self, period: str) -> None:
        """Three days after the period ended: before its due date."""
        from kpis.periods import Period

        end = Period.parse(period).end + datetime.timedelta(days=3)
        self.now = datetime.datetime(end.year, end.month, end.day, 9, 0, tzinfo=VN)

    def reset(self) -> None:
        self.now = NOW


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    return Clock(monkeypatch)


ELEMENTS: list[ElementSpec] = [
    ("DVC_RECEIVED", "Số hồ sơ tiếp nhận", "integer", "hồ sơ", "sum", "Dịch vụ công trực tuyến", True),
    ("DVC_ONLINE", "Số hồ sơ xử lý trực tuyến toàn trình", "integer", "hồ sơ", "sum", "Dịch vụ công trực tuyến", True),
    ("POP", "Dân số", "integer", "người", "last", "Hạ tầng số", True),
    ("POP_5G", "Dân số được phủ sóng 5G", "integer", "người", "last", "Hạ tầng số", True),
    ("BTS_5G", "Số trạm phát sóng 5G", "integer", "trạm", "last", "Hạ tầng số", True),
    ("FEE_ZERO", "Áp dụng lệ phí 0 đồng cho dịch vụ công trực tuyến", "boolean", "", "last", "5 không", True),
    ("SIGNED_RATE", "Tỷ lệ hồ sơ được ký số", "percent", "%", "average", "Dịch vụ công trực tuyến", True),
    ("BUDGET", "Kinh phí chuyển đổi số", "money", "đồng", "sum", "Nguồn lực", False),
]


def build_catalogue(code: str = "BC_THANG") -> Catalogue:
    catalogue = build_monthly_catalogue(
        code,
        ELEMENTS,
        "DVC_TOAN_TRINH",
        names_en={"DVC_RECEIVED": "Dossiers received"},
        message_en="Dossiers handled fully online cannot exceed dossiers received",
    )
    ValidationRule.objects.get_or_create(
        code="POP_5G_LE_POP",
        defaults={
            "left": "POP_5G",
            "operator": "<=",
            "right": "POP",
            "message": "Dân số được phủ sóng 5G không được lớn hơn dân số",
        },
    )
    TargetFactory(
        indicator=catalogue.indicators["DVC_TOAN_TRINH"], value=Decimal(80), deadline=datetime.date(2026, 12, 31)
    )
    return catalogue


@pytest.fixture
def catalogue(db):
    return build_catalogue()


def open_submission(user, province, form, period="2026-10") -> Submission:
    submission, _created = services.submission_create(user=user, province=province, form=form, period=period)
    return submission


def fill(submission: Submission, user, values=None) -> Submission:
    services.submission_values_update(
        submission=submission, user=user, version=submission.version, values=values or OCTOBER
    )
    submission.refresh_from_db()
    return submission


def approved_submission(officer, approver, province, form, period="2026-10", values=None) -> Submission:
    submission = fill(open_submission(officer, province, form, period), officer, values)
    services.submission_submit(submission=submission, user=officer)
    services.submission_approve(submission=submission, user=approver)
    submission.refresh_from_db()
    return submission


def values_of(submission: Submission) -> dict[str, tuple[str | None, str | None]]:
    from tracker.reporting.formatting import canonical

    return {
        dv.element.code: (
            canonical(dv.value) if dv.value is not None else None,
            canonical(dv.approved_value) if dv.approved_value is not None else None,
        )
        for dv in submission.values.select_related("element")
    }


def audit_rows(submission: Submission) -> list[tuple]:
    return [
        (
            e.kind,
            e.element.code if e.element else "",
            e.old_value,
            e.new_value,
            e.reason,
            e.user.username if e.user else "",
            e.version,
        )
        for e in submission.audit_entries.select_related("element", "user").order_by("at", "id")
    ]


def snapshot(submission: Submission) -> tuple:
    """Everything a refused request must leave as it was."""
    fresh = Submission.objects.get(pk=submission.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.has_official_values,
        values_of(fresh),
        fresh.audit_entries.count(),
        fresh.evidence.count(),
        fresh.lock_exceptions.count(),
    )


# ---------------------------------------------------------------------------------------------
# Communes (issue 17): four communes of An Giang and one of Hà Nội; the monthly form reported at
# commune level from 2025-07 for dossiers received and handled online (summed over communes)
# and the share of dossiers signed digitally (the communes' unweighted mean).

COMMUNE_ELEMENTS = ("DVC_RECEIVED", "DVC_ONLINE", "SIGNED_RATE")


@pytest.fixture
def commune_catalogue(catalogue):
    from kpis.models import DataElement, ReportFormElement

    catalogue.form.commune_reporting_from = "2025-07"
    catalogue.form.commune_coverage_threshold = 90
    catalogue.form.save()
    ReportFormElement.objects.filter(form=catalogue.form, element__code__in=COMMUNE_ELEMENTS).update(commune_level=True)
    DataElement.objects.filter(code="SIGNED_RATE").update(space_aggregation="mean")
    return catalogue


@pytest.fixture
def communes_91(an_giang):
    from tests.factories import CommuneFactory

    return [
        CommuneFactory(code=code, name=name, province=an_giang, kind=kind)
        for code, name, kind in [
            ("30001", "Phường Long Xuyên", "phuong"),
            ("30002", "Xã Mỹ Hòa Hưng", "xa"),
            ("30003", "Xã Phú Quốc", "xa"),
            ("30004", "Đặc khu Kiên Hải", "dac_khu"),
        ]
    ]


@pytest.fixture
def commune_01(ha_noi):
    from tests.factories import CommuneFactory

    return CommuneFactory(code="00004", name="Phường Ba Đình", province=ha_noi, kind="phuong")


@pytest.fixture
def commune_officers_91(communes_91):
    from tests.factories import CommuneOfficerFactory

    return [CommuneOfficerFactory(username=f"commune_{c.code}", commune=c) for c in communes_91]


@pytest.fixture
def commune_officer_91(commune_officers_91):
    return commune_officers_91[0]


@pytest.fixture
def commune_officer_01(commune_01):
    from tests.factories import CommuneOfficerFactory

    return CommuneOfficerFactory(username="commune_00004", commune=commune_01)


def open_commune(user, commune, form, period="2026-10") -> Submission:
    from tracker.reporting import communes

    submission, _created = communes.commune_submission_create(user=user, commune=commune, form=form, period=period)
    return submission


def submitted_commune(user, commune, form, values, period="2026-10") -> Submission:
    submission = open_commune(user, commune, form, period)
    services.submission_values_update(submission=submission, user=user, version=submission.version, values=values)
    services.submission_submit(submission=submission, user=user)
    submission.refresh_from_db()
    return submission
