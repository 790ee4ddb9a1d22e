"""The demo figures of each commune: the province's demo figures shared out among its communes.

The commune list (communes.csv, QĐ 19/2025/QĐ-TTg) has no population per commune, so each
commune gets a demo size: a phường weighs 2,5 xã (as in seeds.demo_facts), an đặc khu 0,3 (most
are islands of a few thousand people), varied by a fixed per-commune factor. A commune also has a
fixed "level" (−1..1): some communes are ahead of their province in online dossiers and fibre,
some lag behind, the same every month, so a commune's series drifts as its province's does.

A sum element is shared out so that the communes' figures add up exactly to the province's: the
roll-up of a province whose communes are all approved is the province's demo figure, unchanged.
Every cross-element rule "A ≤ B" between two commune-level elements also holds in each commune:
A is shared out with each commune's B as its ceiling (HS_ONLINE_RECEIVED within HS_RECEIVED, …).
A mean element gives every commune the province's value (its mean is then that value).
"""

from __future__ import annotations

import datetime
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kpis.models import DataElement, ReportFormElement, ValidationRule
from kpis.periods import Period
from provinces.models import Commune
from seeds.demo_facts import rng_for
from seeds.demo_validation import DemoInvalid

KIND_WEIGHT = {Commune.Kind.XA: 1.0, Commune.Kind.PHUONG: 2.5, Commune.Kind.DAC_KHU: 0.3}
# Wards handle more dossiers per inhabitant (businesses, land registration in towns).
WARD_FLOW_FACTOR = 1.25
LEVEL_SPREAD = 0.15  # how far a commune's shares stray from its province's, at level ±1
FLOW_NOISE = 0.05  # month-to-month variation of a commune's part of a flow
CODE = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class CommuneUnit:
    id: int
    code: str
    kind: str
    province_id: int
    weight: float
    level: float
    valid_from: datetime.date
    valid_to: datetime.date | None


def commune_units(communes: Iterable[Commune]) -> dict[int, list[CommuneUnit]]:
    """Each province's communes (by code) with their fixed demo size and level."""
    out: dict[int, list[CommuneUnit]] = {}
    for commune in sorted(communes, key=lambda c: c.code):
        rng = rng_for("commune", commune.code, commune.valid_from)
        weight = KIND_WEIGHT[Commune.Kind(commune.kind)] * math.exp(rng.gauss(0, 0.35))
        level = max(-1.0, min(1.0, rng.uniform(-1, 1) + (0.3 if commune.kind == Commune.Kind.PHUONG else 0.0)))
        out.setdefault(commune.province_id, []).append(
            CommuneUnit(
                commune.pk,
                commune.code,
                commune.kind,
                commune.province_id,
                weight,
                level,
                commune.valid_from,
                commune.valid_to,
            )
        )
    return out


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """`total` shared out in integers proportionally to `weights`, none above its cap; the parts add up to `total`."""
    n = len(weights)
    limits = list(caps) if caps is not None else [total] * n
    if total <= 0:
        return [0] * n
    if sum(limits) < total:
        raise DemoInvalid(f"cannot share {total} among communes whose ceilings add up to {sum(limits)}")
    shares = [0.0] * n
    free = [i for i in range(n) if limits[i] > 0 and weights[i] > 0]
    remaining = float(total)
    while free:
        scale = remaining / sum(weights[i] for i in free)
        over = [i for i in free if weights[i] * scale > limits[i]]
        if not over:
            for i in free:
                shares[i] = weights[i] * scale
            break
        for i in over:
            shares[i] = float(limits[i])
            remaining -= limits[i]
        free = [i for i in free if i not in set(over)]
    out = [min(limits[i], math.floor(shares[i])) for i in range(n)]
    left = total - sum(out)
    order = sorted(range(n), key=lambda i: shares[i] - out[i], reverse=True)
    while left > 0:
        for i in order:
            if left and out[i] < limits[i]:
                out[i] += 1
                left -= 1
    return out


class CommuneSplitter:
    """Shares a province's figures of the commune-level elements among its communes."""

    def __init__(self, rows: list[ReportFormElement]) -> None:
        self.elements = {row.element.code: row.element for row in rows if row.commune_level}
        self.ceilings: dict[str, list[str]] = {code: [] for code in self.elements}
        for rule in ValidationRule.objects.all():
            left, right = rule.left.strip(), rule.right.strip()
            if rule.operator in (ValidationRule.Operator.GE, ValidationRule.Operator.GT):
                left, right = right, left
            elif rule.operator not in (ValidationRule.Operator.LE, ValidationRule.Operator.LT):
                continue
            if CODE.fullmatch(left) and left in self.elements and right in self.elements:
                self.ceilings[left].append(right)
        self.order = self._ordered()

    @property
    def codes(self) -> list[str]:
        return list(self.elements)

    def _ordered(self) -> list[str]:
        """Elements after their ceilings (the rules form no cycle: a cycle would be refused by the rules themselves)."""
        done: list[str] = []
        pending = list(self.elements)
        while pending:
            ready = [c for c in pending if all(p in done for p in self.ceilings[c])]
            if not ready:
                raise DemoInvalid(f"cyclic ≤ rules among {pending}")
            done += ready
            pending = [c for c in pending if c not in ready]
        return done

    def split(
        self, province_id: int, period: Period, totals: dict[str, Decimal], units: list[CommuneUnit]
    ) -> list[dict[str, Decimal]]:
        """One dict of figures per commune of the province valid in the period (in the order of `units`)."""
        rng = random.Random(rng_for("commune-values", province_id, period).random())
        parts: dict[str, list[Decimal]] = {}
        for code in self.order:
            if code not in totals:
                continue
            element = self.elements[code]
            flow = element.time_aggregation == DataElement.TimeAggregation.SUM
            noise = [1 + rng.uniform(-FLOW_NOISE, FLOW_NOISE) if flow else 1.0 for _unit in units]
            parts[code] = self._one(
                element, totals[code], units, noise, [parts[p] for p in self.ceilings[code] if p in parts]
            )
        return [{code: values[i] for code, values in parts.items()} for i in range(len(units))]

    def _one(
        self,
        element: DataElement,
        total: Decimal,
        units: list[CommuneUnit],
        noise: list[float],
        ceilings: list[list[Decimal]],
    ) -> list[Decimal]:
        if element.space_aggregation == DataElement.SpaceAggregation.MEAN:
            return [total] * len(units)
        if ceilings:
            caps = [int(min(c[i] for c in ceilings)) for i in range(len(units))]
            weights = [caps[i] * (1 + LEVEL_SPREAD * u.level) * noise[i] for i, u in enumerate(units)]
        else:
            caps = None
            flow = element.time_aggregation == DataElement.TimeAggregation.SUM
            weights = [
                u.weight * (WARD_FLOW_FACTOR if flow and u.kind == Commune.Kind.PHUONG else 1.0) * noise[i]
                for i, u in enumerate(units)
            ]
        if element.value_type == DataElement.ValueType.INTEGER:
            return [Decimal(x) for x in allocate(int(total), weights, caps)]
        # Decimal sums (money): cents shared out as integers, so the parts still add up exactly.
        cents = allocate(int(total * 100), weights, [c * 100 for c in caps] if caps else None)
        return [Decimal(x) / 100 for x in cents]


def roll_up(element: DataElement, values: list[Decimal]) -> Decimal | None:
    """The province's figure from its approved communes' figures (tracker.reporting.commune_rollup's rule)."""
    if not values:
        return None
    if element.space_aggregation == DataElement.SpaceAggregation.MEAN:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.000001"))
    return sum(values, Decimal(0))
