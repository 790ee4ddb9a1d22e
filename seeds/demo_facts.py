"""What the demo generator knows of each unit: reference facts, and the few demo estimates it needs.

Reference facts come from the seed files (provinces-2025.csv: population and commune counts;
never invented). Where a seed figure is missing, the generator needs a size all the same; it
estimates one and says so here, never writing it back to a seed file:

- population of a current unit without a figure in the seed file (none of the 34 today; kept for
  synthetic benchmark units): the national population (GSO, 2024: 101,3 triệu) minus the known
  units' sum, shared among the others by commune-level units, a phường weighing 2,5 xã;
- population of a former unit: its successor's, shared among the successor's predecessors, a
  centrally-run city weighing twice a province;
- households: population / average household size (3,5 persons, 2019 census), varied by ±6 %
  per unit;
- communes of a former unit: its population / 9.700 (about 10.000 commune-level units before
  the 2025 reorganisation).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from provinces.models import Province

NATIONAL_POPULATION_2024 = 101_300_000
PERSONS_PER_HOUSEHOLD = 3.5
PERSONS_PER_FORMER_COMMUNE = 9_700


def rng_for(*parts: object) -> random.Random:
    """Deterministic per key, so reruns and different machines show the same demo figures."""
    seed = int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)
    return random.Random(seed)


@dataclass(frozen=True)
class UnitFacts:
    province_id: int
    code: str
    key: str  # code + validity, unique across current and former units
    former: bool
    profile_code: str  # the current unit whose profile (pace, levels) the unit shares
    population: int
    households: int
    communes: int
    urban: float  # share of wards among commune-level units, 0..1
    wealth: float  # GRDP per inhabitant relative to the national mean


def _commune_count(p: Province) -> int | None:
    parts = [p.communes_xa, p.communes_phuong, p.communes_dac_khu]
    return None if any(x is None for x in parts) else sum(x or 0 for x in parts)


def _urban(p: Province) -> float:
    total = _commune_count(p) or 0
    return (p.communes_phuong or 0) / total if total else 0.3


def unit_facts(current: list[Province], former: list[Province]) -> dict[int, UnitFacts]:
    populations = _current_populations(current)
    facts: dict[int, UnitFacts] = {}
    by_id = {p.id: p for p in current}
    for p in current:
        facts[p.id] = _facts(p, populations[p.id], _commune_count(p) or 0, _urban(p), p.code)
    predecessors: dict[int, list[Province]] = {}
    for p in former:
        predecessors.setdefault(p.successor_id or 0, []).append(p)
    for successor_id, units in predecessors.items():
        successor = by_id.get(successor_id)
        if successor is None:
            continue
        weights = {p.id: 2.0 if p.kind == Province.Kind.THANH_PHO else 1.0 for p in units}
        total = sum(weights.values())
        for p in units:
            population = round(populations[successor_id] * weights[p.id] / total)
            communes = max(1, round(population / PERSONS_PER_FORMER_COMMUNE))
            facts[p.id] = _facts(p, population, communes, _urban(successor), successor.code)
    return facts


def _facts(p: Province, population: int, communes: int, urban: float, profile_code: str) -> UnitFacts:
    rng = rng_for("facts", p.code, p.valid_from)
    households = round(population / (PERSONS_PER_HOUSEHOLD * rng.uniform(0.94, 1.06)))
    wealth = 0.55 + 1.6 * urban + rng.uniform(-0.1, 0.1)
    return UnitFacts(
        province_id=p.id,
        code=p.code,
        key=f"{p.code}|{p.valid_from}",
        former=p.valid_to is not None,
        profile_code=profile_code,
        population=population,
        households=households,
        communes=communes,
        urban=urban,
        wealth=wealth,
    )


def _current_populations(current: list[Province]) -> dict[int, int]:
    known = {p.id: int(p.population) for p in current if p.population}
    missing = [p for p in current if not p.population]
    remainder = max(NATIONAL_POPULATION_2024 - sum(known.values()), 300_000 * len(missing))
    weights = {
        p.id: (p.communes_xa or 40) + 2.5 * (p.communes_phuong or 5) + (p.communes_dac_khu or 0) for p in missing
    }
    total = sum(weights.values()) or 1.0
    estimated = {pid: round(remainder * w / total) for pid, w in weights.items()}
    return {**known, **estimated}
