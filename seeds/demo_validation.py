"""The product's submit validation, run on demo figures without a query per report.

The checks are those of tracker.reporting.validation (ranges, completeness, every cross-element
rule, outliers against the unit's own last 12 approved periods); only the history is kept in
memory instead of being read back from the database. A figure the validation calls an outlier
gets the comment an officer would write; any other problem is a generator bug and stops the
load (the transaction rolls back).
"""

from __future__ import annotations

import math
from collections import deque
from decimal import Decimal

from kpis.expressions import parse
from kpis.models import DataElement, ReportForm, ReportFormElement, ValidationRule
from kpis.periods import Period
from provinces.models import Province
from tracker.reporting.validation import (
    HISTORY_PERIODS,
    Rule,
    ValidationContext,
    outlier_jump_factor,
    outlier_min_history,
    outlier_sigmas,
    validate_for_submit,
)

FIVE_G = {"BTS_5G", "POP_COVERED_5G", "COMMUNES_5G"}
TET_FLOWS = "Tháng Tết Nguyên đán: số liệu thấp hơn các tháng khác, đã kiểm tra lại."


class DemoInvalid(Exception):
    """A generated report breaks the product's validation: the generator is wrong, nothing is kept."""


def outlier_comment(code: str, period: Period, value: Decimal, previous: Decimal | None) -> str:
    if code in FIVE_G:
        return "Doanh nghiệp viễn thông đưa thêm trạm 5G vào khai thác trong kỳ (số liệu của Sở, đã đối chiếu)."
    if previous is not None and value < previous and period.first_month in (1, 2):
        return TET_FLOWS
    return "Đã đối chiếu với hệ thống nguồn: số liệu đúng, biến động do cập nhật danh mục và số liệu thực tế."


class Validator:
    def __init__(self, form: ReportForm, rows: list[ReportFormElement]) -> None:
        self.form = form
        self.rows = rows
        codes = {row.element.code for row in rows}
        self.rules = []
        for rule in ValidationRule.objects.all():
            compiled = Rule(rule, parse(rule.left), parse(rule.right))
            if set(compiled.codes) <= codes:
                self.rules.append(compiled)
        self.numeric = {row.element.code for row in rows if row.element.value_type != DataElement.ValueType.BOOLEAN}
        self.history: dict[int, deque[tuple[str, dict[str, Decimal]]]] = {}

    def _context(self, province: Province, period: Period, key: int | None) -> ValidationContext:
        ctx = ValidationContext(province=province, form=self.form, period=period, rows=self.rows, rules=self.rules)
        previous = str(period.previous())
        for label, values in self.history.get(province.id if key is None else key, ()):
            for code, value in values.items():
                if code in self.numeric:
                    ctx.history.setdefault(code, []).append(value)
                    if label == previous:
                        ctx.previous[code] = value
        return ctx

    def check(
        self, province: Province, period: Period, values: dict[str, Decimal], *, key: int | None = None
    ) -> dict[str, str]:
        """The comments the figures need; raises DemoInvalid if they break anything else.

        One pass of the submit validation with every figure provisionally commented: the outliers
        then come back as warnings (the product's own wording of "commented outlier") and
        anything else as an error. Only the outliers keep a comment. `key` names the reporting unit
        whose history counts (a commune's id; the province's by default).
        """
        ctx = self._context(province, period, key)
        result = validate_for_submit(ctx, values=values, comments=dict.fromkeys(values, "…"))
        if not result.ok:
            raise DemoInvalid(
                f"{province.code} {key or ''} {self.form.code} {period}: {result.errors} {result.form_errors}"
            )
        return {code: outlier_comment(code, period, values[code], ctx.previous.get(code)) for code in result.warnings}

    def comments(
        self, province: Province, period: Period, values: dict[str, Decimal], *, key: int | None = None
    ) -> dict[str, str]:
        """The outlier comments of a draft, which need not be complete yet (nothing raised)."""
        ctx = self._context(province, period, key)
        result = validate_for_submit(ctx, values=values, comments=dict.fromkeys(values, "…"))
        return {code: outlier_comment(code, period, values[code], ctx.previous.get(code)) for code in result.warnings}

    def outlier_comments(self, period: Period, values: dict[str, Decimal], *, key: int) -> dict[str, str]:
        """The comments of the figures the product's outlier check flags, without the rest of the
        submit validation: for the tens of thousands of commune reports, whose ranges and "≤"
        rules hold by construction (seeds.demo_communes). The same test as
        tracker.reporting.validation.outlier_message, with the same settings; tests/seeds checks
        that approved commune reports pass the product's full submit validation."""
        previous_label = str(period.previous())
        series: dict[str, list[float]] = {}
        previous: dict[str, Decimal] = {}
        for label, kept in self.history.get(key, ()):
            for code, value in kept.items():
                series.setdefault(code, []).append(float(value))
                if label == previous_label:
                    previous[code] = value
        sigmas, factor, minimum = float(outlier_sigmas()), outlier_jump_factor(), max(2, outlier_min_history())
        out = {}
        for code, value in values.items():
            if code not in self.numeric:
                continue
            history = series.get(code, [])
            flagged = False
            if len(history) >= minimum:
                mean = math.fsum(history) / len(history)
                sd = math.sqrt(math.fsum((v - mean) ** 2 for v in history) / (len(history) - 1))
                flagged = sd > 0 and abs(float(value) - mean) > sigmas * sd
            before = previous.get(code)
            if not flagged and before is not None and before > 0 and value >= 0:
                flagged = value > before * factor or value < before / factor
            if flagged:
                out[code] = outlier_comment(code, period, value, before)
        return out

    def remember(
        self, province: Province, period: Period, values: dict[str, Decimal], *, key: int | None = None
    ) -> None:
        """An approved report joins the unit's history, as approval does in the product."""
        kept = self.history.setdefault(province.id if key is None else key, deque(maxlen=HISTORY_PERIODS))
        kept.append((str(period), values))
