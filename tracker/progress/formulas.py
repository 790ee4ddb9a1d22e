"""Indicator formulas turned into SQL over aggregated element values.

The catalogue's numerator and denominator are parsed by the whitelisting parser of
`kpis.expressions` (never `eval`). Each indicator's data elements get *slots* (c1, c2, ... in
order of first appearance); the parsed tree is then printed as SQL over those slot columns, with
number literals bound as parameters and division guarded against zero exactly like
`Expression.evaluate` (a zero divisor gives no value). Indicators whose formulas print the same
("c1 / c2") share one branch of the SQL CASE, so the statement stays small however large the
catalogue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from kpis.expressions import ExpressionError, Neg, Node, Num, Ref, parse
from kpis.models import DataElement, Indicator
from tracker.progress.sql import Dialect

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Slot:
    element_id: int
    time_rule: str  # DataElement.TimeAggregation
    space_rule: str  # DataElement.SpaceAggregation


@dataclass(frozen=True)
class CompiledIndicator:
    id: int
    code: str
    factor: Decimal
    numerator: Node
    denominator: Node | None
    slots: tuple[Slot, ...]
    slot_of: dict[str, int]  # element code -> 1-based slot

    @property
    def has_denominator(self) -> bool:
        return self.denominator is not None


def load_indicators() -> list[CompiledIndicator]:
    """Every indicator whose formulas parse and name existing data elements."""
    elements = {
        code: (pk, time_rule, space_rule)
        for code, pk, time_rule, space_rule in DataElement.objects.values_list(
            "code", "pk", "time_aggregation", "space_aggregation"
        )
    }
    compiled: list[CompiledIndicator] = []
    for indicator in Indicator.objects.order_by("pk"):
        try:
            numerator = parse(indicator.numerator)
            denominator = parse(indicator.denominator) if indicator.denominator.strip() else None
        except ExpressionError:
            logger.warning("Indicator %s has a formula that does not parse; it is not computed.", indicator.code)
            continue
        codes = list(numerator.codes)
        if denominator is not None:
            codes += [code for code in denominator.codes if code not in codes]
        missing = [code for code in codes if code not in elements]
        if missing or not codes:
            logger.warning("Indicator %s names unknown data elements %s; it is not computed.", indicator.code, missing)
            continue
        slot_of = {code: position for position, code in enumerate(codes, start=1)}
        slots = tuple(Slot(*elements[code]) for code in codes)
        compiled.append(
            CompiledIndicator(
                id=indicator.pk,
                code=indicator.code,
                factor=indicator.factor,
                numerator=numerator.tree,
                denominator=denominator.tree if denominator is not None else None,
                slots=slots,
                slot_of=slot_of,
            )
        )
    return compiled


def slot_column(position: int) -> str:
    return f"c{position}"


def expression_sql(node: Node, slot_of: dict[str, int], dialect: Dialect) -> tuple[str, list[Decimal]]:
    """SQL text over slot columns and the literals it binds, in order."""
    literals: list[Decimal] = []

    def emit(current: Node) -> str:
        if isinstance(current, Num):
            literals.append(current.value)
            return dialect.number_placeholder
        if isinstance(current, Ref):
            return slot_column(slot_of[current.code])
        if isinstance(current, Neg):
            return f"(-{emit(current.operand)})"
        left, right = emit(current.left), emit(current.right)
        if current.op == "/":
            return f"({dialect.divide(left, right)})"
        if current.op not in ("+", "-", "*"):  # the parser only builds these four
            raise ValueError(current.op)
        return f"({left} {current.op} {right})"

    return emit(node), literals
