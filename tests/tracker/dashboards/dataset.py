"""A small hand-made set of computed tables, written straight into tracker.progress's models.

Two current provinces (An Giang 91, formed from former An Giang 89 and Kiên Giang 91, and Hà Nội
01), one directive ("5 có") with a measured and an unmeasured objective, two indicators, their
values for September and October 2025 (and An Giang's December 2024), target standings, a DTI
for 2023 and 2024 and October's reporting rates. The expected figures in the tests are read off
these rows by hand.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from kpis.models import CompositeIndex, CompositeIndexVersion, Directive, Indicator, Objective, ReportForm, Target
from kpis.periods import Period
from provinces.models import MERGER_DATE, Province
from tracker.progress.models import IndexScore, IndicatorValue, ReportingRate, RollupState, Standing, TargetProgress

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
COMPUTED_AT = datetime.datetime(2025, 11, 6, 8, 30, tzinfo=VN)
TODAY = datetime.date(2025, 11, 6)


@dataclass
class Dataset:
    an_giang: Province
    ha_noi: Province
    directive: Directive
    online: Indicator  # DVC_TT: share of dossiers handled fully online, %
    stations: Indicator  # TRAM_5G: 5G base stations, lower is not better
    target_2025: Target
    target_2030: Target
    dti: CompositeIndex
    form: ReportForm
    extra: list[Province] = field(default_factory=list)


def current(code: str, name: str, kind: str = "tinh") -> Province:
    province, _created = Province.objects.get_or_create(
        code=code, valid_from=MERGER_DATE, defaults={"name": name, "kind": kind}
    )
    return province


def former(code: str, name: str, successor: Province, kind: str = "tinh") -> Province:
    province, _created = Province.objects.get_or_create(
        code=code,
        valid_from=datetime.date(2008, 8, 1),
        defaults={"name": name, "kind": kind, "valid_to": datetime.date(2025, 6, 30), "successor": successor},
    )
    return province


def value(indicator: Indicator, province: Province | None, period: str, amount: str) -> IndicatorValue:
    parsed = Period.parse(period)
    return IndicatorValue.objects.create(
        indicator=indicator,
        level="province" if province is not None else "national",
        province=province,
        period=period,
        periodicity=parsed.periodicity.value,
        period_start=parsed.start,
        period_end=parsed.end,
        numerator=Decimal(amount),
        denominator=Decimal(100),
        value=Decimal(amount),
        # not counted: hand-made rows are complete figures (tracker.progress.completeness)
        units_count=0,
        computed_at=COMPUTED_AT,
    )


def standing(
    indicator: Indicator,
    province: Province,
    target: Target | None,
    status: str,
    **figures: str | datetime.date,
) -> TargetProgress:
    amounts = {
        name: Decimal(str(amount)) if name not in ("deadline", "current_period", "baseline_period") else amount
        for name, amount in figures.items()
    }
    progress = TargetProgress.objects.create(
        indicator=indicator,
        target=target,
        level="province",
        province=province,
        method="target" if target is not None else "trend",
        status=status,
        computed_at=COMPUTED_AT,
        **amounts,
    )
    # The same standing as of its period (2025-10 unless told), as the pages read it for a period.
    period = Period.parse(str(amounts.get("current_period") or "2025-10"))
    Standing.objects.create(
        indicator=indicator,
        target=target,
        level="province",
        province=province,
        period=str(period),
        periodicity=period.periodicity.value,
        period_end=period.end,
        status=status,
        value=amounts.get("current_value"),
        value_period=str(period),
        period_value=amounts.get("current_value"),
        baseline_value=amounts.get("baseline_value"),
        baseline_period=str(figures.get("baseline_period", "")),
        target_value=amounts.get("target_value"),
        deadline=figures.get("deadline"),
        share_of_way=amounts.get("share_of_way"),
        projected_value=amounts.get("projected_value"),
        computed_at=COMPUTED_AT,
    )
    return progress


def rate(form: ReportForm, province: Province, received: int, on_time: int, approved: int) -> ReportingRate:
    """October 2025's reporting rate of one province, which owed one report."""
    return ReportingRate.objects.create(
        form=form,
        level="province",
        province=province,
        period="2025-10",
        periodicity="monthly",
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2025, 10, 31),
        expected=1,
        received=received,
        on_time=on_time,
        approved=approved,
        computed_at=COMPUTED_AT,
    )


def score(
    index: CompositeIndex, version: CompositeIndexVersion, province: Province, year: int, amount: str, rank: int
) -> IndexScore:
    return IndexScore.objects.create(
        index=index,
        version=version,
        level="province",
        province=province,
        period=str(year),
        period_start=datetime.date(year, 1, 1),
        score=Decimal(amount),
        rank=rank,
        computed_at=COMPUTED_AT,
    )


def build() -> Dataset:
    an_giang = current("91", "Tỉnh An Giang")
    former("89", "Tỉnh An Giang", an_giang)
    former("91", "Tỉnh Kiên Giang", an_giang)
    ha_noi = current("01", "Thành phố Hà Nội", "thanh_pho")
    former("01", "Thành phố Hà Nội", ha_noi, "thanh_pho")

    directive = Directive.objects.create(
        code="kl-5-co",
        kind=Directive.Kind.CONCLUSION,
        number="TB 56/TB-VPCP",
        title="Kết luận về “5 có”",
        issued_on=datetime.date(2025, 2, 23),
    )
    online = Indicator.objects.create(
        code="DVC_TT",
        name="Tỷ lệ hồ sơ trực tuyến toàn trình",
        unit="%",
        numerator="EL_0",
        definition="Hồ sơ nộp trực tuyến toàn trình.",
    )
    stations = Indicator.objects.create(code="TRAM_5G", name="Số trạm phát sóng 5G", unit="trạm", numerator="EL_0")
    infrastructure = Objective.objects.create(
        directive=directive, code="5co-ha-tang", group="5 có", order=1, title="Có hạ tầng số hiện đại"
    )
    infrastructure.indicators.set([online, stations])
    Objective.objects.create(
        directive=directive,
        code="5co-du-lieu",
        group="5 có",
        order=2,
        title="Có dữ liệu đúng, đủ, sạch, sống",
        not_measurable_reason="Chưa có số liệu tỉnh báo cáo.",
    )
    target_2025 = Target.objects.create(
        indicator=online,
        value=Decimal(80),
        baseline_value=Decimal(40),
        baseline_period="2024-12",
        deadline=datetime.date(2025, 12, 31),
        source=directive,
    )
    target_2030 = Target.objects.create(
        indicator=online, value=Decimal(100), deadline=datetime.date(2030, 12, 31), source=directive
    )

    # Indicator values (current provinces; An Giang's 2024 is its predecessors' roll-up).
    value(online, an_giang, "2024-12", "40")
    value(online, an_giang, "2025-09", "60")
    value(online, an_giang, "2025-10", "65")
    value(online, ha_noi, "2025-09", "75")
    value(online, ha_noi, "2025-10", "70")
    value(online, None, "2024-12", "50")
    value(online, None, "2025-09", "66")
    value(online, None, "2025-10", "68")
    value(stations, an_giang, "2025-10", "120")
    value(stations, ha_noi, "2025-10", "300")
    value(stations, None, "2025-10", "420")

    # Standings: An Giang on track for 2025, moderate for 2030; Hà Nội going backwards.
    an_giang_since_2024 = {
        "current_value": "65",
        "current_period": "2025-10",
        "baseline_value": "40",
        "baseline_period": "2024-12",
    }
    standing(
        online,
        an_giang,
        target_2025,
        "substantial_progress",
        **an_giang_since_2024,
        target_value="80",
        deadline=datetime.date(2025, 12, 31),
        share_of_way="0.625",
        projected_value="78.5",
    )
    standing(
        online,
        an_giang,
        target_2030,
        "moderate_progress",
        **an_giang_since_2024,
        target_value="100",
        deadline=datetime.date(2030, 12, 31),
        share_of_way="0.4166666667",
        projected_value="96",
    )
    standing(
        online,
        ha_noi,
        target_2025,
        "deterioration",
        current_value="70",
        current_period="2025-10",
        baseline_value="75",
        baseline_period="2025-09",
        target_value="80",
        deadline=datetime.date(2025, 12, 31),
        share_of_way="-1",
        projected_value="66",
    )
    standing(
        online,
        ha_noi,
        target_2030,
        "deterioration",
        current_value="70",
        target_value="100",
        deadline=datetime.date(2030, 12, 31),
    )
    standing(stations, an_giang, None, "limited_progress", current_value="120", current_period="2025-10")

    dti = CompositeIndex.objects.create(code="DTI", name="Chỉ số DTI cấp tỉnh", source=directive)
    version = CompositeIndexVersion.objects.create(index=dti, valid_from="2022", divisor=Decimal(1000))
    for province, year, amount, rank in (
        (an_giang, 2023, "0.5500", 2),
        (ha_noi, 2023, "0.6000", 1),
        (an_giang, 2024, "0.6100", 1),
        (ha_noi, 2024, "0.5800", 2),
    ):
        score(dti, version, province, year, amount, rank)

    form = ReportForm.objects.create(code="M1", name="Biểu tháng")
    rate(form, an_giang, 1, 1, 1)
    rate(form, ha_noi, 1, 0, 0)
    RollupState.objects.create(last_full_at=COMPUTED_AT)
    return Dataset(
        an_giang=an_giang,
        ha_noi=ha_noi,
        directive=directive,
        online=online,
        stations=stations,
        target_2025=target_2025,
        target_2030=target_2030,
        dti=dti,
        form=form,
    )


def add_provinces(data: Dataset, count: int) -> list[Province]:
    """More current provinces with a value, a standing and a report each: the pages must not
    issue more queries for them."""
    codes = ["04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38"]
    added = []
    for code in codes[:count]:
        province = current(code, f"Tỉnh {code}")
        former(code, f"Tỉnh {code}", province)
        value(data.online, province, "2025-09", "50")
        value(data.online, province, "2025-10", "55")
        value(data.stations, province, "2025-10", "80")
        standing(
            data.online,
            province,
            data.target_2030,
            "limited_progress",
            current_value="55",
            target_value="100",
            deadline=datetime.date(2030, 12, 31),
        )
        rate(data.form, province, 0, 0, 0)
        score(data.dti, data.dti.versions.get(), province, 2024, "0.4", 3)
        added.append(province)
    data.extra.extend(added)
    return added
