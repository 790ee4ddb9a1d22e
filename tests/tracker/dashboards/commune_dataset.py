"""A hand-made set of the commune level's computed tables, written straight into tracker.progress's
models (the engine that fills them is tested on its own).

An Giang (91) has four communes valid since 2025-07-01; Hà Nội (01) one. One commune-level
indicator, XA_TRUC_TUYEN (share of the commune centre's dossiers handled online, %, higher is
better, monthly), with An Giang's target 80 % by 31/12/2025 and the nation's 95 % by 31/12/2030:

    commune                 2025-09   2025-10   headline standing as of 2025-10
    30001 Xã Mỹ Hòa Hưng      60        85      Đã đạt (own target; the national one says Đúng tiến độ)
    30002 Phường Long Xuyên   75        70      Chậm
    30003 Xã Tân Hiệp         50        70      Cần đẩy nhanh
    30004 Đặc khu Phú Quốc    40        –       Đi xuống in 2025-09 → "Chưa có số liệu kỳ này", 40 (09/2025)
    00004 Phường Ba Đình (01) –         90      Đúng tiến độ

October's ranking in An Giang: 30001 first, 30002 and 30003 share the second place, 30004 last and
unranked; 3/4 communes have a value, 2 are behind. An Giang's own value: 56 in September, 75 in
October. Among the three ranked in both months, September
ranked 30002, 30001, 30003: the changes are +1, -1, +1. October's commune reports of An Giang:
4 owed, 3 received, 2 on time, 3 approved (30004 missing, 30003 late).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from kpis.models import Directive, Indicator, ReportForm, Target
from kpis.periods import Period
from provinces.models import Commune, Province
from tests.tracker.dashboards.dataset import COMPUTED_AT, current
from tracker.progress.models import (
    CommuneIndicatorValue,
    CommuneReportingRate,
    CommuneStanding,
    IndicatorValue,
    RollupState,
)


@dataclass
class CommuneData:
    an_giang: Province
    ha_noi: Province
    indicator: Indicator
    province_target: Target
    national_target: Target
    form: ReportForm
    communes: dict[str, Commune]


def commune(code: str, name: str, kind: str, province: Province) -> Commune:
    return Commune.objects.create(code=code, name=name, kind=kind, province=province)


def value(indicator: Indicator, unit: Commune, period: str, amount: str) -> CommuneIndicatorValue:
    parsed = Period.parse(period)
    return CommuneIndicatorValue.objects.create(
        indicator=indicator,
        commune=unit,
        province_id=unit.province_id,
        period=period,
        periodicity=parsed.periodicity.value,
        period_start=parsed.start,
        period_end=parsed.end,
        numerator=Decimal(amount),
        denominator=Decimal(100),
        value=Decimal(amount),
        computed_at=COMPUTED_AT,
    )


def standing(
    indicator: Indicator, unit: Commune, target: Target | None, period: str, status: str, amount: str, **extra: object
) -> CommuneStanding:
    parsed = Period.parse(period)
    return CommuneStanding.objects.create(
        indicator=indicator,
        target=target,
        commune=unit,
        province_id=unit.province_id,
        period=period,
        periodicity=parsed.periodicity.value,
        period_end=parsed.end,
        status=status,
        value=Decimal(amount),
        value_period=period,
        period_value=Decimal(amount),
        target_value=target.value if target is not None else None,
        deadline=target.deadline if target is not None else None,
        computed_at=COMPUTED_AT,
        **extra,
    )


def rate(form: ReportForm, province: Province, unit: Commune | None, counts: tuple[int, int, int, int]) -> None:
    expected, received, on_time, approved = counts
    CommuneReportingRate.objects.create(
        form=form,
        province=province,
        commune=unit,
        period="2025-10",
        periodicity="monthly",
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2025, 10, 31),
        expected=expected,
        received=received,
        on_time=on_time,
        approved=approved,
        computed_at=COMPUTED_AT,
    )


def build() -> CommuneData:
    an_giang = current("91", "Tỉnh An Giang")
    ha_noi = current("01", "Thành phố Hà Nội", "thanh_pho")
    directive = Directive.objects.create(
        code="qd-xa", kind="decision", number="19/2025/QĐ-TTg", title="Cấp xã", issued_on=datetime.date(2025, 6, 1)
    )
    indicator = Indicator.objects.create(
        code="XA_TRUC_TUYEN",
        name="Tỷ lệ hồ sơ trực tuyến tại xã",
        name_en="Share of commune dossiers handled online",
        numerator="XA_ONLINE",
        denominator="XA_RECEIVED",
        factor=Decimal(100),
        unit="%",
        periodicity="monthly",
    )
    province_target = Target.objects.create(
        indicator=indicator,
        province=an_giang,
        value=Decimal(80),
        deadline=datetime.date(2025, 12, 31),
        source=directive,
    )
    national_target = Target.objects.create(
        indicator=indicator, value=Decimal(95), deadline=datetime.date(2030, 12, 31), source=directive
    )
    form = ReportForm.objects.create(code="BC_XA", name="Báo cáo cấp xã", commune_reporting_from="2025-07")
    units = {
        "30001": commune("30001", "Xã Mỹ Hòa Hưng", "xa", an_giang),
        "30002": commune("30002", "Phường Long Xuyên", "phuong", an_giang),
        "30003": commune("30003", "Xã Tân Hiệp", "xa", an_giang),
        "30004": commune("30004", "Đặc khu Phú Quốc", "dac_khu", an_giang),
        "00004": commune("00004", "Phường Ba Đình", "phuong", ha_noi),
    }
    for code, september, october in (
        ("30001", "60", "85"),
        ("30002", "75", "70"),
        ("30003", "50", "70"),
        ("30004", "40", None),
        ("00004", None, "90"),
    ):
        if september is not None:
            value(indicator, units[code], "2025-09", september)
        if october is not None:
            value(indicator, units[code], "2025-10", october)
    standing(indicator, units["30001"], province_target, "2025-10", "target_achieved", "85", share_of_way=Decimal(1))
    standing(indicator, units["30001"], national_target, "2025-10", "substantial_progress", "85")
    standing(indicator, units["30002"], province_target, "2025-10", "limited_progress", "70", share_of_way="0.5")
    standing(indicator, units["30003"], province_target, "2025-10", "moderate_progress", "70")
    standing(indicator, units["30004"], province_target, "2025-09", "deterioration", "40")
    standing(indicator, units["00004"], national_target, "2025-10", "substantial_progress", "90")
    rate(form, an_giang, None, (4, 3, 2, 3))
    for code, counts in (
        ("30001", (1, 1, 1, 1)),
        ("30002", (1, 1, 1, 1)),
        ("30003", (1, 1, 0, 1)),
        ("30004", (1, 0, 0, 0)),
    ):
        rate(form, an_giang, units[code], counts)
    # The pages' period choices come from the national figures; An Giang's own series is drawn
    # beside a commune's.
    for period, unit, amount in (
        ("2025-09", None, "70"),
        ("2025-10", None, "70"),
        ("2025-09", an_giang, "56"),
        ("2025-10", an_giang, "75"),
    ):
        parsed = Period.parse(period)
        IndicatorValue.objects.create(
            indicator=indicator,
            level="national" if unit is None else "province",
            province=unit,
            period=period,
            periodicity="monthly",
            period_start=parsed.start,
            period_end=parsed.end,
            value=Decimal(amount),
            computed_at=COMPUTED_AT,
        )
    RollupState.objects.create(last_full_at=COMPUTED_AT)
    return CommuneData(
        an_giang=an_giang,
        ha_noi=ha_noi,
        indicator=indicator,
        province_target=province_target,
        national_target=national_target,
        form=form,
        communes=units,
    )
