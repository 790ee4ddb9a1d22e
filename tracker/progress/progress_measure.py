"""Progress towards a target: the Open SDG method (Statistics Canada), as sdg-build implements it in
`sdg/ProgressMeasure.py`, in exact decimals.

Time is measured in years, fractional for months: an observation stands at the end of its
period (2024-06 -> 2024 + 6/12, 2024-Q2 -> 2024.5, the year 2024 -> 2025.0) and a deadline at
the end of its month (2030-12-31 -> 2031.0). Internally times are month numbers
(year·12 + month), so differences are exact.

- CAGR_obs = (y_t / y_0)^(1/(t - t_0)) - 1, CAGR_req = (y_T / y_0)^(1/(T - t_0)) - 1.
  A base or target of zero is replaced by 0.001; base and current value must have the same sign.
- With a target: R = sign · d · CAGR_obs / |CAGR_req| (d = +1 when higher is better, -1 when
  lower is; sign = -1 when the base is negative). A current value at or beyond the target ->
  target_achieved (even with a single observation); R >= 0.95 substantial_progress;
  0.60 <= R < 0.95 moderate_progress; 0 <= R < 0.60 limited_progress; R < 0 deterioration.
  When the target equals the base (CAGR_req = 0) and is not met, the value has moved away
  from it: deterioration (sdg-build would divide by zero here).
- Without a target: P = sign · d · CAGR_obs against 0.015·C, 0.005·C and 0, where C damps the
  thresholds near a natural limit (a = 4.44, computed on the raw base as sdg-build does):
  C = 1 if |y_0| >= 2·|lim|; C = 1 - (|y_0|/|lim|)^a if |y_0| <= |lim|; else
  C = 1 - ((2·|lim| - |y_0|)/|lim|)^a.
- Fewer than two observations (no base, or base and current in the same period), a sign
  change between base and current, or a deadline not after the base -> not_available (unless the
  target is met).
- A base and a target of opposite signs (a negative base and a zero target, replaced by 0.001,
  included): the ratio target/base is negative and sdg-build's `(ratio) ** (1/n) - 1` is a complex
  number in Python, of which `abs()` takes the modulus. With m = |r|^(1/n):
  |CAGR_req| = sqrt((m·cos(π/n) - 1)² + (m·sin(π/n))²). Reproduced here, not refused.
- Where sdg-build compares floats with the thresholds, the status here is that of the progress
  value rounded to the 10 decimals the tables keep, so a stored figure never contradicts its status.

After the deadline (the period ends in or after the deadline's month) the standing is final and
made from the last value at or before the deadline: target_achieved if it met the target, else
missed ("Không đạt (quá hạn)"). A value beyond its natural limit (a percentage above 100 or below
0), or a negative total, is no standing at all: data_quality, with a flag naming the figure.

The arithmetic runs on floats, as sdg-build's does (and at the speed the per-period standings of
every unit need); results are handed back as decimals rounded to 12 places.

Besides the status:
- share of the way = (current - base) / (target - base), 1 = target reached, negative = moved away;
- projected value at the deadline: the current value grown at the observed CAGR
  (current · (current/base)^((T - t)/(t - t_0))) when base and current are non-zero and of the
  same sign, otherwise the straight line through base and current; never beyond the natural
  limit; the current value itself when the deadline has passed;
- required monthly change = (target - current) / months left to the deadline (0 once met).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kpis.periods import Period
from tracker.progress.models import ProgressStatus

ZERO_REPLACEMENT = 0.001
TARGET_THRESHOLDS = (0.95, 0.60, 0.0)
TREND_THRESHOLDS = (0.015, 0.005, 0.0)
DAMPING_EXPONENT = 4.44
CLASSIFIED_DECIMALS = 10
RETURNED_DECIMALS = 12

FLAG_BEYOND_LIMIT = "beyond_limit"
FLAG_NEGATIVE_TOTAL = "negative_total"


def month_number(period: Period) -> int:
    """The end of a period as a month number: 2024-06 -> 2024·12 + 6."""
    return period.year * 12 + period.last_month


def deadline_month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month


@dataclass(frozen=True)
class Observation:
    period: Period
    value: Decimal

    @property
    def month(self) -> int:
        return month_number(self.period)


@dataclass(frozen=True)
class Measure:
    status: str
    progress_value: Decimal | None = None
    coefficient: Decimal | None = None
    share_of_way: Decimal | None = None
    projected_value: Decimal | None = None
    required_monthly_change: Decimal | None = None
    final: bool = False
    flag: str = ""
    # The observation the status is about: the current one, or after the deadline the one at it.
    used: Observation | None = None


class Outcome(NamedTuple):
    """The float result of `standing`: what Measure holds, before rounding (a tuple: cheap to build)."""

    status: str
    progress: float | None = None
    coefficient: float | None = None
    share: float | None = None
    projected: float | None = None
    required_change: float | None = None
    final: bool = False
    flag: str = ""
    used_index: int = -1  # which point of the series the figures are about (-1: the current one)


def growth(current: float, base: float, months: int) -> float | None:
    """Compound annual growth rate over `months`; None when the ratio is negative."""
    ratio = current / base
    if ratio < 0:
        return None
    if ratio == 0:
        return -1.0
    return ratio ** (12 / months) - 1


def required_growth_modulus(target: float, base: float, months: int) -> float:
    """|CAGR_req| as sdg-build computes it: abs() of (target/base)^(1/n) - 1, a complex number when
    the ratio is negative (Python's principal root |r|^(1/n)·e^(iπ/n))."""
    ratio = target / base
    exponent = 12 / months
    if ratio >= 0:
        return abs(ratio**exponent - 1)
    root = abs(ratio) ** exponent
    return math.hypot(root * math.cos(math.pi * exponent) - 1, root * math.sin(math.pi * exponent))


def damping(base: float, limit: float | None) -> float:
    if limit is None:
        return 1.0
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:  # first, so that a zero limit with a zero base gives 1
        return 1.0
    if base <= limit:
        return 1 - (base / limit) ** DAMPING_EXPONENT
    return 1 - ((2 * limit - base) / limit) ** DAMPING_EXPONENT


def classify(value: float, thresholds: tuple[float, float, float]) -> str:
    high, medium, low = thresholds
    value = round(value, CLASSIFIED_DECIMALS)
    if value >= round(high, CLASSIFIED_DECIMALS):
        return ProgressStatus.SUBSTANTIAL
    if value >= round(medium, CLASSIFIED_DECIMALS):
        return ProgressStatus.MODERATE
    if value >= round(low, CLASSIFIED_DECIMALS):
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def is_met(current: float, target: float, higher_is_better: bool) -> bool:
    return current >= target if higher_is_better else current <= target


def impossible(value: float, *, limit: float | None, extensive: bool) -> str:
    """A data-quality flag when the value cannot be true, else ""."""
    if limit is not None and limit > 0 and (value > limit or value < 0):
        return FLAG_BEYOND_LIMIT
    if extensive and value < 0:
        return FLAG_NEGATIVE_TOTAL
    return ""


def standing(
    *,
    months: list[int],
    values: list[float],
    index: int,
    base: tuple[int, float] | None,
    target: float | None,
    deadline_month: int | None,
    higher_is_better: bool,
    limit: float | None = None,
    extensive: bool = False,
) -> Outcome:
    """The standing as of point `index` of a series (months and values in time order).

    `base` is the (month, value) measured from: a point of the series or a baseline the catalogue
    gives; a base later than the point is none as of it. After the deadline the standing is that of
    the last point at or before it, made final."""
    with_target = target is not None and deadline_month is not None
    if with_target and deadline_month is not None and months[index] >= deadline_month:
        at_deadline = index
        while at_deadline >= 0 and months[at_deadline] > deadline_month:
            at_deadline -= 1
        if at_deadline < 0:
            return Outcome(ProgressStatus.NOT_AVAILABLE, final=True)
        result = _standing_at(
            months[at_deadline], values[at_deadline], base, target, deadline_month, higher_is_better, limit, extensive
        )
        if result.status in (ProgressStatus.TARGET_ACHIEVED, ProgressStatus.DATA_QUALITY):
            status = result.status
        else:
            status = ProgressStatus.MISSED
        return Outcome(
            status,
            progress=result.progress,
            share=result.share,
            projected=values[at_deadline] if status != ProgressStatus.DATA_QUALITY else None,
            required_change=None,
            final=True,
            flag=result.flag,
            used_index=at_deadline,
        )
    return _standing_at(months[index], values[index], base, target, deadline_month, higher_is_better, limit, extensive)


def _standing_at(
    month: int,
    value: float,
    base: tuple[int, float] | None,
    target: float | None,
    deadline_month: int | None,
    higher_is_better: bool,
    limit: float | None,
    extensive: bool,
) -> Outcome:
    if base is not None and base[0] > month:
        base = None  # the base lies after this period: as of it, the series has not started yet
    flag = impossible(value, limit=limit, extensive=extensive)
    if flag:
        return Outcome(ProgressStatus.DATA_QUALITY, flag=flag)
    direction = 1 if higher_is_better else -1
    with_target = target is not None and deadline_month is not None
    effective_target = (ZERO_REPLACEMENT if target == 0 else target) if with_target else None
    achieved = effective_target is not None and is_met(value, effective_target, higher_is_better)
    coefficient = None if with_target or base is None else damping(base[1], limit)
    try:
        progress, forced = _progress_value(base, month, value, effective_target, deadline_month, direction)
    except (ZeroDivisionError, OverflowError, ValueError):
        progress, forced = None, None
    if progress is not None and not math.isfinite(progress):
        progress = None
    status: str
    if achieved:
        status = ProgressStatus.TARGET_ACHIEVED
    elif forced is not None:
        status = forced
    elif progress is None:
        status = ProgressStatus.NOT_AVAILABLE
    elif with_target:
        status = classify(progress, TARGET_THRESHOLDS)
    else:
        c = coefficient if coefficient is not None else 1.0
        high, medium, low = TREND_THRESHOLDS
        status = classify(progress, (high * c, medium * c, low * c))
    share = projected = required = None
    if with_target and target is not None and deadline_month is not None:
        share = _share_of_way(base, value, target, higher_is_better)
        required = _required_change(month, value, target, deadline_month, achieved)
        try:
            projected = _projection(base, month, value, deadline_month, higher_is_better, limit)
        except (ZeroDivisionError, OverflowError, ValueError):
            projected = None
    return Outcome(status, progress, coefficient, share, projected, required)


def _progress_value(
    base: tuple[int, float] | None,
    month: int,
    value: float,
    target: float | None,
    deadline_month: int | None,
    direction: int,
) -> tuple[float | None, str | None]:
    """R (with a target) or P (without), or None; and a status the arithmetic itself decides."""
    if base is None or month <= base[0]:
        return None, None
    base_month, raw_base = base
    sign = -1 if raw_base < 0 else 1
    base_value = ZERO_REPLACEMENT if raw_base == 0 else raw_base
    if (base_value > 0 and value < 0) or (base_value < 0 and value > 0):
        return None, None
    observed = growth(value, base_value, month - base_month)
    if observed is None:
        return None, None
    if target is None or deadline_month is None:
        return sign * direction * observed, None
    months_to_deadline = deadline_month - base_month
    if months_to_deadline <= 0:
        return None, None
    required = required_growth_modulus(target, base_value, months_to_deadline)
    if required == 0:
        return None, ProgressStatus.DETERIORATION
    return sign * direction * observed / required, None


def _share_of_way(base: tuple[int, float] | None, value: float, target: float, higher_is_better: bool) -> float | None:
    """(current - base) / (target - base); none when the base already met the target (no way to go)."""
    if base is None or target == base[1] or is_met(base[1], target, higher_is_better):
        return None
    return (value - base[1]) / (target - base[1])


def _projection(
    base: tuple[int, float] | None,
    month: int,
    value: float,
    deadline_month: int,
    higher_is_better: bool,
    limit: float | None,
) -> float | None:
    months_left = deadline_month - month
    if months_left <= 0:
        return value
    if base is None or month <= base[0]:
        return None
    months_observed = month - base[0]
    if base[1] != 0 and value / base[1] > 0:
        projected = value * (value / base[1]) ** (months_left / months_observed)
    else:
        projected = value + (value - base[1]) * months_left / months_observed
    if limit is not None:
        projected = min(projected, limit) if higher_is_better else max(projected, limit)
    return projected


def _required_change(month: int, value: float, target: float, deadline_month: int, achieved: bool) -> float | None:
    if achieved:
        return 0.0
    months_left = deadline_month - month
    if months_left <= 0:
        return None
    return (target - value) / months_left


def as_decimal(value: float | None, places: int = RETURNED_DECIMALS) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(round(value, places))).normalize() + 0


def measure(
    *,
    base: Observation | None,
    current: Observation | None,
    target: Decimal | None,
    deadline: datetime.date | None,
    higher_is_better: bool,
    natural_limit: Decimal | None = None,
    extensive: bool = False,
    history: list[Observation] | None = None,
) -> Measure:
    """The standing of one unit as of `current`, with decimals in and out (see `standing`).

    `history`: earlier observations of the series, needed only to find the value at a deadline
    that `current` lies after."""
    if current is None:
        return Measure(ProgressStatus.NOT_AVAILABLE)
    points = sorted([*(history or []), current], key=lambda o: o.month)
    points = [p for p in points if p.month <= current.month]
    index = len(points) - 1
    outcome = standing(
        months=[p.month for p in points],
        values=[float(p.value) for p in points],
        index=index,
        base=(base.month, float(base.value)) if base is not None else None,
        target=float(target) if target is not None else None,
        deadline_month=deadline_month_number(deadline) if deadline is not None and target is not None else None,
        higher_is_better=higher_is_better,
        limit=float(natural_limit) if natural_limit is not None else None,
        extensive=extensive,
    )
    return Measure(
        status=outcome.status,
        progress_value=as_decimal(outcome.progress),
        coefficient=as_decimal(outcome.coefficient),
        share_of_way=as_decimal(outcome.share),
        projected_value=as_decimal(outcome.projected),
        required_monthly_change=as_decimal(outcome.required_change),
        final=outcome.final,
        flag=outcome.flag,
        used=points[outcome.used_index] if outcome.used_index >= 0 else current,
    )
