"""A small hand-made data set for the exports: An Giang (91, with its two predecessors) and Hà Nội,
a monthly form of five elements, two indicators with targets, computed rows for 2025-Q4 and the
quarter before, and a clock pinned to 5 January 2026, 09:00 in Vietnam."""

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kpis.models import CompositeIndex, CompositeIndexVersion, Target
from kpis.periods import Period
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
from tests.factories import DirectiveFactory, IndicatorFactory
from tests.translations import english  # noqa: F401 - the fixture for this folder
from tracker.progress.models import (
    IndexScore,
    IndicatorValue,
    Level,
    ProgressStatus,
    ReportingRate,
    Standing,
    TargetProgress,
)
from tracker.reporting import clock
from tracker.reporting.models import AuditEntry, DataValue, Submission

NOW = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=VN)
FILES = __import__("pathlib").Path(__file__).parent / "files"

ELEMENTS: list[ElementSpec] = [
    ("DVC_RECEIVED", "Số hồ sơ tiếp nhận", "integer", "hồ sơ", "sum", "Dịch vụ công trực tuyến", True),
    ("DVC_ONLINE", "Số hồ sơ xử lý trực tuyến toàn trình", "integer", "hồ sơ", "sum", "Dịch vụ công trực tuyến", True),
    ("BTS_5G", "Số trạm phát sóng 5G", "integer", "trạm", "sum", "Hạ tầng số", True),
    ("FEE_ZERO", "Áp dụng lệ phí 0 đồng", "boolean", "", "sum", "5 không", True),
    ("SIGNED_RATE", "Tỷ lệ hồ sơ được ký số", "percent", "%", "sum", "Dịch vụ công trực tuyến", True),
]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def build_catalogue() -> Catalogue:
    directive: Any = DirectiveFactory(code="qd-749", number="749/QĐ-TTg", title="Chương trình Chuyển đổi số quốc gia")
    catalogue = build_monthly_catalogue("BC_THANG", ELEMENTS, "DVC_TT")
    towers: Any = IndicatorFactory(code="TRAM_5G", name="Số trạm phát sóng 5G", numerator="BTS_5G", unit="trạm")
    towers.data_elements.set([catalogue.elements["BTS_5G"]])
    catalogue.indicators["TRAM_5G"] = towers
    Target.objects.create(
        indicator=catalogue.indicators["DVC_TT"],
        value=Decimal(80),
        deadline=datetime.date(2025, 12, 31),
        source=directive,
    )
    return catalogue


@pytest.fixture
def catalogue(db):
    return build_catalogue()


def _value(indicator, level, province, period, periodicity, start, end, value):
    return IndicatorValue.objects.create(
        indicator=indicator,
        level=level,
        province=province,
        period=period,
        periodicity=periodicity,
        period_start=start,
        period_end=end,
        value=value,
        # not counted: hand-made rows are complete figures (tracker.progress.completeness)
        units_count=0,
        computed_at=NOW,
    )


@pytest.fixture
def computed(catalogue, an_giang, ha_noi):
    """Computed rows as the roll-up engine would leave them for 2025-Q4."""
    online, towers = catalogue.indicators["DVC_TT"], catalogue.indicators["TRAM_5G"]
    q4 = ("2025-Q4", "quarterly", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    q3 = ("2025-Q3", "quarterly", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    _value(online, Level.PROVINCE, an_giang, *q4, Decimal("76.5"))
    _value(online, Level.PROVINCE, an_giang, *q3, Decimal("70.25"))
    _value(towers, Level.PROVINCE, an_giang, *q4, Decimal("320"))
    _value(towers, Level.PROVINCE, an_giang, *q3, Decimal("280"))
    _value(online, Level.PROVINCE, ha_noi, *q4, Decimal("91.2"))
    _value(towers, Level.PROVINCE, ha_noi, *q4, Decimal("2450"))
    _value(online, Level.NATIONAL, None, *q4, Decimal("84"))
    _value(online, Level.NATIONAL, None, *q3, Decimal("80.5"))
    _value(towers, Level.NATIONAL, None, *q4, Decimal("2770"))
    target = Target.objects.get(indicator=online)
    province_target = Target.objects.create(
        indicator=towers,
        province=an_giang,
        value=Decimal(500),
        deadline=datetime.date(2026, 12, 31),
        source=target.source,
    )

    def progress(indicator, level, province, status, share, target=None, target_value=None, deadline=None):
        TargetProgress.objects.create(
            indicator=indicator,
            target=target,
            level=level,
            province=province,
            method=TargetProgress.Method.TARGET if target else TargetProgress.Method.TREND,
            status=status,
            current_value=None,
            current_period="2025-12",
            target_value=target_value,
            deadline=deadline,
            share_of_way=share,
            computed_at=NOW,
        )
        # the same standing as of December, the fourth quarter and the year 2025, as reports read it
        for text in ("2025-12", "2025-Q4", "2025"):
            period = Period.parse(text)
            Standing.objects.create(
                indicator=indicator,
                target=target,
                level=level,
                province=province,
                period=text,
                periodicity=period.periodicity.value,
                period_end=period.end,
                status=status,
                value=None,
                value_period=text,
                target_value=target_value,
                deadline=deadline,
                share_of_way=share,
                computed_at=NOW,
            )

    progress(
        online,
        Level.PROVINCE,
        an_giang,
        ProgressStatus.MODERATE,
        Decimal("0.825"),
        target,
        Decimal(80),
        target.deadline,
    )
    progress(
        towers,
        Level.PROVINCE,
        an_giang,
        ProgressStatus.LIMITED,
        Decimal("0.4"),
        province_target,
        Decimal(500),
        province_target.deadline,
    )
    progress(
        online,
        Level.PROVINCE,
        ha_noi,
        ProgressStatus.TARGET_ACHIEVED,
        Decimal("1"),
        target,
        Decimal(80),
        target.deadline,
    )
    progress(towers, Level.PROVINCE, ha_noi, ProgressStatus.SUBSTANTIAL, None)
    progress(
        online, Level.NATIONAL, None, ProgressStatus.TARGET_ACHIEVED, Decimal("1"), target, Decimal(80), target.deadline
    )
    progress(towers, Level.NATIONAL, None, ProgressStatus.NOT_AVAILABLE, None)

    index = CompositeIndex.objects.create(code="DTI", name="Chỉ số chuyển đổi số cấp tỉnh (DTI)", source=target.source)
    version = CompositeIndexVersion.objects.create(index=index, valid_from="2025", divisor=Decimal(1000))
    for province, score, rank in ((ha_noi, Decimal("0.8123"), 1), (an_giang, Decimal("0.5412"), 2)):
        IndexScore.objects.create(
            index=index,
            version=version,
            level=Level.PROVINCE,
            province=province,
            period="2025",
            period_start=datetime.date(2025, 1, 1),
            score=score,
            rank=rank,
            computed_at=NOW,
        )
    for level, province, expected, received, on_time, approved in (
        (Level.PROVINCE, an_giang, 3, 3, 2, 3),
        (Level.PROVINCE, ha_noi, 3, 2, 2, 1),
        (Level.NATIONAL, None, 6, 5, 4, 4),
    ):
        ReportingRate.objects.create(
            form=catalogue.form,
            level=level,
            province=province,
            period="2025-Q4",
            periodicity="quarterly",
            period_start=datetime.date(2025, 10, 1),
            period_end=datetime.date(2025, 12, 31),
            expected=expected,
            received=received,
            on_time=on_time,
            approved=approved,
            computed_at=NOW,
        )
    # The reporting record of An Giang's quarter: October on time, November late by two days, December a draft.
    for month, submitted, approved_at, status in (
        (
            10,
            datetime.datetime(2025, 11, 4, 16, 30, tzinfo=VN),
            datetime.datetime(2025, 11, 6, 8, 15, tzinfo=VN),
            "approved",
        ),
        (
            11,
            datetime.datetime(2025, 12, 7, 10, 0, tzinfo=VN),
            datetime.datetime(2025, 12, 8, 14, 0, tzinfo=VN),
            "approved",
        ),
        (12, None, None, "draft"),
    ):
        start = datetime.date(2025, month, 1)
        end = (datetime.date(2025, month + 1, 1) if month < 12 else datetime.date(2026, 1, 1)) - datetime.timedelta(
            days=1
        )
        Submission.objects.create(
            province=an_giang,
            form=catalogue.form,
            period=f"2025-{month:02d}",
            period_start=start,
            period_end=end,
            status=status,
            submitted_at=submitted,
            first_submitted_at=submitted,
            approved_at=approved_at,
            has_official_values=approved_at is not None,
        )
    return catalogue


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content: bytes) -> set[tuple[str, bool]]:
    """(font name without subset prefix, embedded?) of every font the PDF uses."""
    reader = PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font: Any = reference.get_object()
            descendant: Any = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            fonts.add((str(font["/BaseFont"]).split("+", 1)[-1], "/FontFile2" in descriptor))
    return fonts


def workbook(content: bytes, **kwargs):
    return load_workbook(io.BytesIO(content), **kwargs)


def sheet_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def state() -> tuple:
    """Everything an import may write: a refused upload must leave all of it as it was."""
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
        list(DataValue.objects.order_by("pk").values_list("pk", "value", "approved_value", "comment")),
        AuditEntry.objects.count(),
    )


def read_file(name: str) -> bytes:
    return (FILES / name).read_bytes()
