"""The one validation of reported figures, shared by the web form, the API and importers.

Two moments:
- saving (a draft): each input must parse as the element's type and lie in its range, and the
  cross-element rules that involve a changed element must hold. Outliers are only warnings.
- submitting: all stored values again, every rule, completeness (required elements filled), and
  every outlier needs a comment.

An importer calls `validate_raw(province=..., form=..., period=..., raw={code: "1.234,5"})` with
the strings it read and gets per-element messages back, without writing anything.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpis.expressions import Expression, parse
from kpis.models import DataElement, ReportForm, ReportFormElement, ValidationRule
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.reporting.formatting import display
from tracker.reporting.levels import commune_reporting_applies
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.parsing import ParseError, parse_value

HISTORY_PERIODS = 12


def outlier_sigmas() -> Decimal:
    return Decimal(str(getattr(settings, "REPORTING_OUTLIER_SIGMAS", 3)))


def outlier_jump_factor() -> Decimal:
    return Decimal(str(getattr(settings, "REPORTING_OUTLIER_JUMP_FACTOR", 3)))


def outlier_min_history() -> int:
    return int(getattr(settings, "REPORTING_OUTLIER_MIN_HISTORY", 3))


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def element_label(element: DataElement) -> str:
    return (element.name_en if _english() and element.name_en else element.name) or element.code


_NEGATED = {"<=": ">", "<": "≥", ">=": "<", ">": "≤", "==": "≠"}
_HOLDS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}


@dataclass(frozen=True)
class Rule:
    rule: ValidationRule
    left: Expression
    right: Expression

    @property
    def codes(self) -> list[str]:
        return self.left.codes + [c for c in self.right.codes if c not in self.left.codes]

    def message(self) -> str:
        return self.rule.message_en if _english() and self.rule.message_en else self.rule.message


@dataclass(frozen=True)
class _Spread:
    mean: float
    sd: float


@dataclass
class ValidationContext:
    """Everything validation reads, loaded once per call (three queries)."""

    province: Province
    form: ReportForm
    period: Period
    rows: list[ReportFormElement]
    rules: list[Rule]
    history: dict[str, list[Decimal]] = field(default_factory=dict)  # oldest first
    previous: dict[str, Decimal] = field(default_factory=dict)  # the period just before
    spreads: dict[str, _Spread | None] = field(default_factory=dict)
    # A commune's report: its rows are the form's commune-level elements only.
    commune: Commune | None = None
    # Rows of the form this report does not enter (a province report's commune-level cells, the
    # roll-up of its communes; a commune report's province-only elements): a write is refused.
    other_level: dict[str, ReportFormElement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {row.element.code: row for row in self.rows}

    def other_level_message(self, code: str) -> str:
        name = element_label(self.other_level[code].element)
        if self.commune is None:
            return _(
                "%(name)s do cấp xã báo cáo: số của tỉnh là tổng hợp số liệu đã được duyệt của các xã,"
                " không nhập trực tiếp."
            ) % {"name": name}
        return _("%(name)s do tỉnh báo cáo, không thuộc báo cáo cấp xã.") % {"name": name}


@dataclass
class ValidationResult:
    parsed: dict[str, Decimal | None] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.form_errors

    def add(self, code: str, message: str) -> None:
        self.errors.setdefault(code, []).append(message)

    def warn(self, code: str, message: str) -> None:
        self.warnings.setdefault(code, []).append(message)


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> Expression:
    # Rules change rarely and parsing is pure: cache by text.
    return parse(text)


def validation_context(
    *, province: Province, form: ReportForm, period: Period, commune: Commune | None = None
) -> ValidationContext:
    rows = list(ReportFormElement.objects.filter(form=form).select_related("element").order_by("order", "id"))
    other_level: list[ReportFormElement] = []
    if commune is not None:
        rows, other_level = [r for r in rows if r.commune_level], [r for r in rows if not r.commune_level]
    elif commune_reporting_applies(form, period):
        rows, other_level = [r for r in rows if not r.commune_level], [r for r in rows if r.commune_level]
    codes = {row.element.code for row in rows}
    rules = []
    for rule in ValidationRule.objects.all():
        compiled = Rule(rule, _parsed(rule.left), _parsed(rule.right))
        if set(compiled.codes) <= codes:
            rules.append(compiled)
    ctx = ValidationContext(
        province=province,
        form=form,
        period=period,
        rows=rows,
        rules=rules,
        commune=commune,
        other_level={row.element.code: row for row in other_level},
    )
    _load_history(ctx)
    return ctx


def context_for(submission: Submission) -> ValidationContext:
    """The validation context of a stored report, province or commune."""
    return validation_context(
        province=submission.province,
        form=submission.form,
        period=Period.parse(submission.period),
        commune=submission.commune if submission.commune_id else None,
    )


def _load_history(ctx: ValidationContext) -> None:
    """The unit's own approved figures for the same kind of period, the last HISTORY_PERIODS of them
    (a commune's from its reports, a province's from its province reports only)."""
    earliest = ctx.period
    for _step in range(HISTORY_PERIODS):
        earliest = earliest.previous()
    previous_period = str(ctx.period.previous())
    numeric = [row.element_id for row in ctx.rows if row.element.value_type != DataElement.ValueType.BOOLEAN]
    rows = (
        DataValue.objects.filter(
            **(
                {"submission__commune": ctx.commune}
                if ctx.commune is not None
                else {"submission__province": ctx.province, "submission__commune__isnull": True}
            ),
            submission__form__periodicity=ctx.form.periodicity,
            submission__has_official_values=True,
            submission__period_start__gte=earliest.start,
            submission__period_start__lt=ctx.period.start,
            element_id__in=numeric,
            approved_value__isnull=False,
        )
        .order_by("submission__period_start", "id")
        .values_list("element__code", "submission__period", "approved_value")
    )
    seen: set[tuple[str, str]] = set()
    for code, period, value in rows:
        if value is None or (code, period) in seen:  # the same element on two forms of one period counts once
            continue
        seen.add((code, period))
        ctx.history.setdefault(code, []).append(value)
        if period == previous_period:
            ctx.previous[code] = value


def effective_range(element: DataElement) -> tuple[Decimal | None, Decimal | None]:
    """The element's bounds, or the defaults of its type: counts and money are not negative and
    percentages stay within 0–100 unless the element says otherwise. One rule for the server's
    check and the bounds the entry form sends to the browser."""
    kind = element.value_type
    minimum = element.min_value
    maximum = element.max_value
    if minimum is None and kind in (
        DataElement.ValueType.INTEGER,
        DataElement.ValueType.MONEY,
        DataElement.ValueType.PERCENT,
    ):
        minimum = Decimal(0)
    if maximum is None and kind == DataElement.ValueType.PERCENT:
        maximum = Decimal(100)
    return minimum, maximum


def check_range(value: Decimal, element: DataElement) -> list[str]:
    """The value is of its element's type and within its effective_range."""
    name = element_label(element)
    kind = element.value_type
    minimum, maximum = effective_range(element)
    problems = []
    if kind == DataElement.ValueType.INTEGER and value != value.to_integral_value():
        problems.append(_("%(name)s: phải là số nguyên, không có phần thập phân.") % {"name": name})
    if minimum is not None and value < minimum:
        if minimum == 0:
            problems.append(_("%(name)s: không được là số âm.") % {"name": name})
        else:
            problems.append(_("%(name)s: không được nhỏ hơn %(min)s.") % {"name": name, "min": display(minimum, kind)})
    if maximum is not None and value > maximum:
        if kind == DataElement.ValueType.PERCENT and maximum == 100:
            problems.append(_("%(name)s: tỷ lệ phần trăm không được lớn hơn 100.") % {"name": name})
        else:
            problems.append(_("%(name)s: không được lớn hơn %(max)s.") % {"name": name, "max": display(maximum, kind)})
    return problems


def _spread(ctx: ValidationContext, code: str) -> _Spread | None:
    """Mean and sample standard deviation of the element's history, computed once per context."""
    if code not in ctx.spreads:
        history = [float(v) for v in ctx.history.get(code, [])]
        if len(history) >= max(2, outlier_min_history()):
            mean = math.fsum(history) / len(history)
            sd = math.sqrt(math.fsum((v - mean) ** 2 for v in history) / (len(history) - 1))
            ctx.spreads[code] = _Spread(mean, sd)
        else:
            ctx.spreads[code] = None
    return ctx.spreads[code]


def outlier_message(ctx: ValidationContext, code: str, value: Decimal) -> str | None:
    """Why a value looks implausible against the province's own approved history, or None."""
    element = ctx.by_code[code].element
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return None
    name = element_label(element)
    kind = element.value_type
    spread = _spread(ctx, code)
    sigmas = outlier_sigmas()
    # Floats are precise enough to decide "more than three standard deviations away".
    if spread is not None and spread.sd > 0 and abs(float(value) - spread.mean) > float(sigmas) * spread.sd:
        return _(
            "%(name)s: giá trị %(value)s lệch quá %(sigmas)s độ lệch chuẩn so với số liệu đã phê duyệt của tỉnh"
            " (trung bình %(mean)s, độ lệch chuẩn %(sd)s). Cần ghi chú giải thích trước khi gửi."
        ) % {
            "name": name,
            "value": display(value, kind),
            "sigmas": display(sigmas),
            "mean": display(_rounded(spread.mean), kind),
            "sd": display(_rounded(spread.sd), kind),
        }
    previous = ctx.previous.get(code)
    factor = outlier_jump_factor()
    if (
        previous is not None
        and previous > 0
        and value >= 0
        and (value > previous * factor or value < previous / factor)
    ):
        return _(
            "%(name)s: giá trị %(value)s thay đổi quá %(factor)s lần so với kỳ trước (%(previous)s)."
            " Cần ghi chú giải thích trước khi gửi."
        ) % {
            "name": name,
            "value": display(value, kind),
            "factor": display(factor),
            "previous": display(previous, kind),
        }
    return None


def _rounded(number: float) -> Decimal:
    """Two significant decimals, or more when the figure is tiny, so a spread never shows as 0."""
    places = 2
    while 0 < abs(number) < 10**-places and places < 6:
        places += 1
    return Decimal(str(round(number, places)))


def _check_rules(
    ctx: ValidationContext, values: Mapping[str, Decimal | None], result: ValidationResult, *, only: set[str] | None
) -> None:
    for rule in ctx.rules:
        if only is not None and not (set(rule.codes) & only):
            continue
        left = rule.left.evaluate(values)
        right = rule.right.evaluate(values)
        if left is None or right is None:
            continue  # an empty element is completeness' business, not the rule's
        if not _HOLDS[rule.rule.operator](left, right):
            result.add(
                rule.codes[0],
                _("%(message)s (%(left)s %(op)s %(right)s).")
                % {
                    "message": rule.message().rstrip("."),
                    "left": display(left),
                    "op": _NEGATED[rule.rule.operator],
                    "right": display(right),
                },
            )


def validate_input(
    ctx: ValidationContext,
    *,
    raw: Mapping[str, object],
    current: Mapping[str, Decimal | None],
    locale: str | None = None,
) -> ValidationResult:
    """Check the inputs of one save: `raw` maps element codes to what was typed or sent.

    `locale` is the language of the page the figures were typed on (see parsing.py); None reads
    them without a language and refuses the ambiguous ones (API, importers)."""
    result = ValidationResult()
    for code, value in raw.items():
        row = ctx.by_code.get(code)
        if row is None and code in ctx.other_level:
            result.add(code, ctx.other_level_message(code))
            continue
        if row is None:
            result.add(code, _("Mã “%(code)s” không thuộc biểu mẫu %(form)s.") % {"code": code, "form": ctx.form.code})
            continue
        try:
            parsed = parse_value(value, row.element, locale=locale)
        except ParseError as exc:
            result.add(code, f"{element_label(row.element)}: {exc}")
            continue
        if parsed is not None:
            for problem in check_range(parsed, row.element):
                result.add(code, problem)
        if code not in result.errors:
            result.parsed[code] = parsed
    if result.errors:
        return result
    merged = {**current, **result.parsed}
    _check_rules(ctx, merged, result, only=set(result.parsed))
    for code, parsed in result.parsed.items():
        if parsed is not None and (message := outlier_message(ctx, code, parsed)):
            result.warn(code, message)
    return result


def validate_for_submit(
    ctx: ValidationContext,
    *,
    values: Mapping[str, Decimal | None],
    comments: Mapping[str, str],
    invalid: Mapping[str, str] | None = None,
) -> ValidationResult:
    """Check stored values before they go to the approver.

    `invalid` maps element codes to the message of a draft cell kept as typed but refused by its
    own checks: such a cell blocks the submission with that message."""
    result = ValidationResult()
    invalid = invalid or {}
    for row in ctx.rows:
        code = row.element.code
        value = values.get(code)
        if invalid.get(code):
            result.add(code, invalid[code])
            continue
        if value is None:
            if row.required:
                result.add(code, _("%(name)s: chưa nhập (bắt buộc).") % {"name": element_label(row.element)})
            continue
        for problem in check_range(value, row.element):
            result.add(code, problem)
        message = outlier_message(ctx, code, value)
        if message:
            if (comments.get(code) or "").strip():
                result.warn(code, message)
            else:
                result.add(code, message)
    _check_rules(ctx, values, result, only=None)
    return result


def validate_raw(
    *,
    province: Province,
    form: ReportForm,
    period: Period | str,
    raw: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    for_submit: bool = False,
) -> ValidationResult:
    """The importer's entry point: validate figures read from a file without saving anything.

    With `for_submit`, the figures are also checked as a complete submission (completeness,
    every rule, outliers without a comment).
    """
    period = Period.parse(period) if isinstance(period, str) else period
    ctx = validation_context(province=province, form=form, period=period)
    result = validate_input(ctx, raw=raw, current={})
    if for_submit and result.ok:
        submit_result = validate_for_submit(ctx, values=result.parsed, comments=comments or {})
        submit_result.parsed = result.parsed
        return submit_result
    return result
