"""The demo figures of one unit for one period, derived from the unit's facts.

Every element's magnitude comes from people, households, communes or a catalogue count; shares
move from a starting level towards a ceiling at the unit's own pace (some provinces ahead, most
on track, a few behind); two units deteriorate on one indicator after the 2025 merger. Flows dip
in the month of Tết. Counts are integers, every numerator is drawn as a share of its denominator
(so the catalogue's "≤" rules hold by construction) and stocks only grow. National figures cited
by the catalogue are reproduced: 16.737 5G stations and 39,52 % 5G population coverage in
10/2025 (targets of BTS_5G_COUNT and COVER_5G_POP_RATE).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from kpis.periods import Period, Periodicity
from seeds.demo_facts import UnitFacts, rng_for

# Month index 0 = January 2023.
FIRST_YEAR = 2023
TET_MONTH = {2023: 1, 2024: 2, 2025: 1, 2026: 2, 2027: 2}  # Tết Nguyên đán (1/1 âm lịch)
BASELINE_MONTH = 33  # 10/2025, the catalogue's baseline period of the 5G targets
BTS_5G_NATIONAL = ((0, 0.0), (20, 0.0), (21, 900.0), (BASELINE_MONTH, 16_737.0), (46, 41_000.0), (60, 60_000.0))
COVER_5G_NATIONAL = ((0, 0.0), (20, 0.0), (21, 0.03), (BASELINE_MONTH, 0.3952), (46, 0.70), (60, 0.85))
BTS_5G_AT_BASELINE = 16_737
COVER_5G_AT_BASELINE = Decimal("39.52")

PACES = {"ahead": (1.7, 0.5), "on_track": (1.0, 0.0), "behind": (0.5, -0.4)}
# Units deteriorating on one share after the merger (profile code -> numerator element).
DETERIORATING = {"52": "HS_RESOLVED_ON_TIME", "86": "WORK_FILES_COMMUNE_ONLINE"}


def month_index(period: Period) -> int:
    return (period.year - FIRST_YEAR) * 12 + period.first_month - 1


def _interpolate(points: tuple[tuple[int, float], ...], m: float) -> float:
    if m <= points[0][0]:
        return points[0][1]
    for (m0, v0), (m1, v1) in itertools.pairwise(points):
        if m <= m1:
            if v0 > 0 and v1 > 0:  # geometric between positive anchors: a ramp, not a kink
                return v0 * (v1 / v0) ** ((m - m0) / (m1 - m0))
            return v0 + (v1 - v0) * (m - m0) / (m1 - m0)
    return points[-1][1]


@dataclass(frozen=True)
class Profile:
    pace: str
    speed: float
    head_start: float  # years
    level: float  # -1..1, how far ahead the unit starts

    @classmethod
    def of(cls, profile_code: str) -> Profile:
        rng = rng_for("profile", profile_code)
        draw = rng.random()
        pace = "ahead" if draw < 0.18 else "behind" if draw > 0.84 else "on_track"
        if profile_code in {"79", "01", "48"}:
            pace = "ahead"
        if profile_code == "91":
            pace = "on_track"  # the demo officers' province: plausible, neither best nor worst
        speed, head = PACES[pace]
        return cls(pace, speed * rng.uniform(0.9, 1.1), head, rng.uniform(-1, 1))


def _progress(profile: Profile, m: int, rate: float) -> float:
    years = max(0.0, m / 12 + profile.head_start)
    return 1 - math.exp(-rate * profile.speed * years)


def share(profile: Profile, m: int, low: float, high: float, rate: float = 0.6) -> float:
    start = max(0.0, min(high, low * (1 + 0.15 * profile.level)))
    return start + (high - start) * _progress(profile, m, rate)


def _floor(x: float) -> Decimal:
    return Decimal(math.floor(max(0.0, x)))


def _part(whole: Decimal, fraction: float) -> Decimal:
    return (whole * Decimal(str(round(max(0.0, min(1.0, fraction)), 6)))).quantize(Decimal(1), ROUND_FLOOR)


def _money(x: float) -> Decimal:
    return Decimal(str(round(max(0.0, x), 1)))


def wave(key: str, m: int, amplitude: float) -> float:
    """Slow, unit-specific ups and downs: real monthly figures drift rather than jump at random."""
    phase = rng_for("wave", key).uniform(0, 2 * math.pi)
    return 1 + amplitude * math.sin(2 * math.pi * m / 7 + phase)


def _seasonal(period: Period, key: str, noise: float) -> float:
    """Tết Nguyên đán lowers a month's flows and the month before it raises them a little."""
    m = month_index(period)
    tet = TET_MONTH.get(period.year)
    factor = 1.0
    if period.first_month == tet:
        factor = 0.9
    elif tet and period.first_month == tet - 1:
        factor = 1.04
    elif period.first_month == 12:
        factor = 1.03
    return factor * wave(key, m, 0.04) * noise


class Series:
    """Figures of every unit, given the facts of all units (the 5G totals are shared out)."""

    def __init__(self, facts: dict[int, UnitFacts]) -> None:
        self.facts = facts
        self.profiles = {f.profile_code: Profile.of(f.profile_code) for f in facts.values()}
        current = [f for f in facts.values() if not f.former]
        weights = {f.province_id: f.population * (0.6 + 0.8 * f.urban) for f in current}
        total = sum(weights.values()) or 1.0
        self._bts_share = {pid: w / total for pid, w in weights.items()}
        cover_weights = {f.province_id: 0.55 + 0.9 * f.urban + 0.15 * self.profiles[f.code].level for f in current}
        population = sum(f.population for f in current) or 1
        norm = sum(cover_weights[f.province_id] * f.population for f in current) / population
        self._cover_rel = {pid: w / norm for pid, w in cover_weights.items()}
        by_code = {f.code: f for f in current}
        self._successor = {f.province_id: by_code[f.profile_code].province_id for f in facts.values()}
        self._bts_cache: dict[int, list[int]] = {}
        self._exact_bts_at_baseline()

    # -- 5G: the national curve shared out, exact at the baseline month --------------------------

    def _raw_bts(self, unit: UnitFacts, m: int) -> float:
        national = _interpolate(BTS_5G_NATIONAL, m)
        successor = self._successor[unit.province_id]
        raw = national * self._bts_share[successor]
        if unit.former:
            siblings = [f for f in self.facts.values() if f.former and f.profile_code == unit.profile_code]
            raw *= unit.population / sum(f.population for f in siblings)
        return raw

    def _exact_bts_at_baseline(self) -> None:
        current = [f for f in self.facts.values() if not f.former]
        raws = {f.province_id: self._raw_bts(f, BASELINE_MONTH) for f in current}
        floors = {pid: int(r) for pid, r in raws.items()}
        left = BTS_5G_AT_BASELINE - sum(floors.values())
        for pid in sorted(raws, key=lambda p: raws[p] - floors[p], reverse=True)[:left]:
            floors[pid] += 1
        self._bts_baseline = floors

    def bts_5g(self, unit: UnitFacts, m: int) -> int:
        """Never falls: rounded down towards the baseline month from before, up from after."""
        if unit.province_id not in self._bts_cache:
            horizon = 72
            values = [round(self._raw_bts(unit, k)) for k in range(horizon)]
            if not unit.former:
                values[BASELINE_MONTH] = self._bts_baseline[unit.province_id]
                for k in range(BASELINE_MONTH - 1, -1, -1):
                    values[k] = min(values[k], values[k + 1])
                for k in range(BASELINE_MONTH + 1, horizon):
                    values[k] = max(values[k], values[k - 1])
            else:
                for k in range(1, horizon):
                    values[k] = max(values[k], values[k - 1])
            self._bts_cache[unit.province_id] = values
        return self._bts_cache[unit.province_id][min(m, 71)]

    def cover_5g(self, unit: UnitFacts, m: int) -> float:
        rel = self._cover_rel[self._successor[unit.province_id]]
        return min(0.99, _interpolate(COVER_5G_NATIONAL, m) * rel)

    # -- one unit, one period ----------------------------------------------------------------------

    def values(self, unit: UnitFacts, period: Period, codes: list[str]) -> dict[str, Decimal]:
        m = month_index(period) if period.periodicity == Periodicity.MONTHLY else month_index(period.months()[-1])
        p = self.profiles[unit.profile_code]
        out: dict[str, Decimal] = {}
        if period.periodicity == Periodicity.MONTHLY:
            self._monthly(unit, p, period, m, out)
        elif period.periodicity == Periodicity.QUARTERLY:
            self._quarterly(unit, p, period, m, out)
        else:
            self._yearly(unit, p, period, m, out)
        return {code: out[code] for code in codes if code in out}

    def _monthly(self, u: UnitFacts, p: Profile, period: Period, m: int, out: dict[str, Decimal]) -> None:
        rng = rng_for("values", u.key, period)
        pop = Decimal(u.population)
        out["POPULATION"] = pop
        out["ADULT_POPULATION"] = _part(pop, 0.715 + 0.02 * u.urban)
        out["HOUSEHOLDS"] = Decimal(u.households)
        out["COMMUNES"] = Decimal(u.communes)
        # Procedures: a stock of the province's administrative procedures.
        scale = 1.0 if not u.former else 0.97
        total = Decimal(round((1_720 + 260 * u.urban) * scale + 6 * (m // 6)))
        out["TTHC_TOTAL"] = total
        eligible = _part(total, share(p, m, 0.52, 0.62, 0.5))
        out["TTHC_ELIGIBLE_FULL"] = eligible
        online_full = _part(eligible, share(p, m, 0.62, 0.995, 0.9))
        out["DVC_ONLINE_FULL"] = online_full
        out["DVC_MULTI_DEVICE"] = _part(online_full, share(p, m, 0.55, 0.97, 0.7))
        out["DVC_EID"] = _part(online_full, share(p, m, 0.25, 0.96, 0.8))
        out["DVC_ESSENTIAL_TOTAL"] = Decimal(53)
        out["DVC_ESSENTIAL_ONLINE"] = _part(Decimal(53), share(p, m, 0.6, 1.0, 1.1) + 0.004)
        out["TTHC_SIMPLIFIED"] = _part(total, share(p, m, 0.09, 0.26, 0.45))
        out["FEE_ZERO_ONLINE"] = Decimal(
            1 if m >= 26 - 8 * p.speed + 3 * p.level or (u.code == "91" and m >= 24) else 0
        )
        # Dossiers: a flow, about one dossier a month for every 80 inhabitants, with Tết.
        season = _seasonal(period, u.key, rng.uniform(0.985, 1.015))
        received = _floor(u.population / 80 * (0.85 + 0.3 * u.urban) * (1 + 0.05 * m / 12) * season)
        out["HS_RECEIVED"] = received
        online = _part(received, share(p, m, 0.38, 0.92, 0.55))
        out["HS_ONLINE_RECEIVED"] = online
        out["HS_FULLY_ONLINE"] = _part(online, share(p, m, 0.55, 0.93, 0.6))
        out["HS_ONLINE_EID"] = _part(online, share(p, m, 0.35, 0.97, 0.8))
        resolved = _part(received, 0.97 * wave(u.key + "resolved", m, 0.01))
        out["HS_RESOLVED"] = resolved
        on_time = share(p, m, 0.93, 0.992, 0.7)
        if DETERIORATING.get(u.profile_code) == "HS_RESOLVED_ON_TIME" and m > 30:
            on_time -= 0.006 * (m - 30)
        out["HS_RESOLVED_ON_TIME"] = _part(resolved, on_time)
        out["HS_DIGITISED"] = _part(received, share(p, m, 0.35, 0.9, 0.6))
        payable = _part(received, 0.38 + 0.04 * p.level)
        out["HS_PAYABLE"] = payable
        out["HS_PAID_ONLINE"] = _part(payable, share(p, m, 0.22, 0.8, 0.5))
        # Work files of provincial and commune agencies.
        province_files = _floor(u.population / 55 * season)
        out["WORK_FILES_PROVINCE"] = province_files
        out["WORK_FILES_PROVINCE_ONLINE"] = _part(province_files, share(p, m, 0.82, 0.985, 0.8))
        commune_files = _floor(u.communes * 260 * season)
        out["WORK_FILES_COMMUNE"] = commune_files
        commune_online = share(p, m, 0.42, 0.8, 0.5)
        if DETERIORATING.get(u.profile_code) == "WORK_FILES_COMMUNE_ONLINE" and m > 30:
            commune_online -= 0.008 * (m - 30)
        out["WORK_FILES_COMMUNE_ONLINE"] = _part(commune_files, commune_online)
        inspections = _floor(8 + u.population / 60_000 * season)
        out["INSPECTIONS_TOTAL"] = inspections
        out["INSPECTIONS_DIGITAL"] = _part(inspections, share(p, m, 0.12, 0.6, 0.45))
        agencies = Decimal(round(140 + 4.2 * u.communes))
        out["AGENCIES_TOTAL"] = agencies
        out["AGENCIES_TSLCD"] = _part(agencies, share(p, m, 0.82, 1.0, 1.0))
        # Digital infrastructure.
        out["POP_COVERED_5G"] = _part(pop, self.cover_5g(u, m))
        out["BTS_5G"] = Decimal(self.bts_5g(u, m))
        out["BTS_4G"] = _floor(u.population / 820 * (1 + 0.025 * m / 12))
        communes = Decimal(u.communes)
        out["COMMUNES_5G"] = _part(communes, min(1.0, self.cover_5g(u, m) * 1.15))
        out["COMMUNES_FIBRE"] = _part(communes, share(p, m, 0.93, 1.0, 1.2))
        households = Decimal(u.households)
        access = _part(households, share(p, m, 0.86, 0.995, 0.8))
        out["HH_FIBRE_ACCESS"] = access
        out["HH_FIBRE"] = _part(access, share(p, m, 0.72, 0.9, 0.45))
        out["MOBILE_DL_SPEED"] = Decimal(
            str(
                round(
                    _interpolate(((0, 42.0), (21, 58.0), (46, 148.0)), m)
                    * (0.9 + 0.2 * u.urban)
                    * wave(u.key + "mobile", m, 0.01),
                    2,
                )
            )
        )
        out["FIXED_DL_SPEED"] = Decimal(
            str(round((96 + 3.4 * m) * (0.9 + 0.2 * u.urban) * wave(u.key + "fixed", m, 0.01), 2))
        )
        # Digital society.
        adults = out["ADULT_POPULATION"]
        out["ADULTS_USING_DVCTT"] = _part(adults, share(p, m, 0.24, 0.72, 0.45))
        out["ADULTS_WITH_DIGITAL_SIGNATURE"] = _part(adults, share(p, m, 0.08, 0.6, 0.4))
        out["POP_WITH_EHR"] = _part(pop, share(p, m, 0.35, 0.92, 0.6))
        out["DIGITAL_SKILLS_TRAINED"] = _floor(
            u.population / 900 * season * (1 + 0.4 * min(1.0, max(0.0, (m - 30) / 8)))
        )
        students = _part(pop, 0.175 + 0.01 * p.level)
        out["STUDENTS_TOTAL"] = students
        out["STUDENTS_WITH_EREPORT"] = _part(students, share(p, m, 0.3, 0.98, 0.7))
        # Data and information security: small stocks that grow a little every month.
        datasets = Decimal(round(22 + 10 * u.urban + 0.45 * m * (0.8 + 0.2 * p.speed)))
        out["DATASETS_TOTAL"] = datasets
        out["DATASETS_CLEAN"] = _part(datasets, share(p, m, 0.3, 0.85, 0.45))
        out["DATASETS_SHARED"] = _part(datasets, share(p, m, 0.4, 0.9, 0.5))
        systems = Decimal(round(55 + 25 * u.urban + 0.6 * m))
        out["IS_TOTAL"] = systems
        out["IS_LEVEL_APPROVED"] = _part(systems, share(p, m, 0.45, 0.95, 0.55))
        # Index 766: monthly group points; the 22-point group split into 12 + 10 from 01/2025.
        quality = share(p, m, 0.62, 0.9, 0.5) * wave(u.key + "766", m, 0.012) * rng.uniform(0.997, 1.003)
        out["I766_CKMB"] = _points(18, quality)
        out["I766_TDGQ"] = _points(20, quality * 1.02)
        out["I766_SHHS"] = _points(22, quality * 0.92)
        if period.year < 2025:
            out["I766_DVTT"] = _points(22, quality * 0.95)
        else:
            out["I766_DVCTT"] = _points(12, quality * 0.97)
            out["I766_TTTT"] = _points(10, quality * 0.9)
        out["I766_HL"] = _points(18, quality * 1.03)

    def _quarterly(self, u: UnitFacts, p: Profile, period: Period, m: int, out: dict[str, Decimal]) -> None:
        pop15 = _part(Decimal(u.population), 0.765 + 0.02 * u.urban)
        out["POP_15_PLUS"] = pop15
        retail = u.population * 0.0165 * u.wealth * (1 + 0.08 * m / 12)
        retail *= wave(u.key + "retail", m, 0.015)
        out["RETAIL_REVENUE"] = _money(retail)
        out["ECOM_RETAIL_REVENUE"] = _money(retail * share(p, m, 0.055, 0.14, 0.35))
        transactions = _floor(u.population * (1.2 + 2.5 * u.urban) * (1 + 0.25 * m / 12))
        out["ECOM_TX_TOTAL"] = transactions
        out["ECOM_TX_CASHLESS"] = _part(transactions, share(p, m, 0.32, 0.7, 0.45))
        out["EPAY_USERS"] = _part(pop15, share(p, m, 0.3, 0.62, 0.45))
        out["POP_15_WITH_ACCOUNT"] = _part(pop15, share(p, m, 0.76, 0.9, 0.5))
        out["EPAY_ACCOUNT_HOLDERS"] = _part(Decimal(u.population), share(p, m, 0.36, 0.66, 0.4))

    def _yearly(self, u: UnitFacts, p: Profile, period: Period, m: int, out: dict[str, Decimal]) -> None:
        rng = rng_for("values", u.key, period)
        grdp = u.population * 0.114 * u.wealth * (1.1 ** (period.year - 2024)) * rng.uniform(0.98, 1.02)
        out["GRDP"] = _money(grdp)
        agri, ind, serv = 0.2 - 0.14 * u.urban, 0.36 + 0.04 * p.level, 0.36 + 0.1 * u.urban
        sectors = {"AGRI": (agri, 0.02, 0.06), "IND": (ind, 0.05, 0.12), "SERV": (serv, 0.1, 0.19)}
        digital = 0.0
        for name, (weight, low, high) in sectors.items():
            value_added = grdp * weight
            out[f"VA_{name}"] = _money(value_added)
            digital_part = value_added * share(p, m, low, high, 0.35)
            out[f"DE_VA_{name}"] = _money(digital_part)
            digital += digital_part
        out["DE_VALUE_ADDED"] = _money(digital + grdp * share(p, m, 0.045, 0.07, 0.35))
        smes = _floor(u.population * (0.0055 + 0.006 * u.urban))
        out["SME_TOTAL"] = smes
        out["SME_USING_PLATFORMS"] = _part(smes, share(p, m, 0.3, 0.62, 0.4))
        labour = _part(Decimal(u.population), 0.52)
        out["LABOUR_FORCE"] = labour
        out["WORKERS_DIGITAL_SKILLS"] = _part(labour, share(p, m, 0.32, 0.72, 0.4))
        out["SMARTPHONE_ADULTS"] = _part(
            _part(Decimal(u.population), 0.715 + 0.02 * u.urban), share(p, m, 0.7, 0.88, 0.4)
        )
        for offset, code in enumerate(
            ["DTI_NT", "DTI_TC", "DTI_HT", "DTI_NL", "DTI_AT", "DTI_CQS", "DTI_KTS", "DTI_XHS"]
        ):
            level = share(p, m, 0.42 + 0.02 * offset, 0.78, 0.35) * rng.uniform(0.97, 1.03)
            out[code] = Decimal(str(round(min(0.99, level), 4)))


def _points(maximum: int, quality: float) -> Decimal:
    return Decimal(str(round(min(float(maximum), maximum * quality), 2)))
