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
  change, or a deadline not after the base -> not_available (unless the target is met).

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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from kpis.periods import Period
from tracker.progress.models import ProgressStatus

ZERO_REPLACEMENT = Decimal("0.001")
TARGET_THRESHOLDS = (Decimal("0.95"), Decimal("0.60"), Decimal("0"))
TREND_THRESHOLDS = (Decimal("0.015"), Decimal("0.005"), Decimal("0"))
DAMPING_EXPONENT = Decimal("4.44")
PRECISION = 28


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


def growth(current: Decimal, base: Decimal, months: int) -> Decimal | None:
    """Compound annual growth rate over `months`; None when the ratio is negative."""
    ratio = current / base
    if ratio < 0:
        return None
    if ratio == 0:
        return Decimal(-1)
    return ratio ** (Decimal(12) / Decimal(months)) - 1


def damping(base: Decimal, limit: Decimal | None) -> Decimal:
    if limit is None:
        return Decimal(1)
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:  # first, so that a zero limit with a zero base gives 1
        return Decimal(1)
    if base <= limit:
        return 1 - (base / limit) ** DAMPING_EXPONENT
    return 1 - ((2 * limit - base) / limit) ** DAMPING_EXPONENT


def classify(value: Decimal, thresholds: tuple[Decimal, Decimal, Decimal]) -> str:
    high, medium, low = thresholds
    if value >= high:
        return ProgressStatus.SUBSTANTIAL
    if value >= medium:
        return ProgressStatus.MODERATE
    if value >= low:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def is_met(current: Decimal, target: Decimal, higher_is_better: bool) -> bool:
    return current >= target if higher_is_better else current <= target


def measure(
    *,
    base: Observation | None,
    current: Observation | None,
    target: Decimal | None,
    deadline: datetime.date | None,
    higher_is_better: bool,
    natural_limit: Decimal | None = None,
) -> Measure:
    with localcontext() as context:
        context.prec = PRECISION
        try:
            return _measure(base, current, target, deadline, higher_is_better, natural_limit)
        except (InvalidOperation, ZeroDivisionError, OverflowError):
            return Measure(ProgressStatus.NOT_AVAILABLE)


def _measure(
    base: Observation | None,
    current: Observation | None,
    target: Decimal | None,
    deadline: datetime.date | None,
    higher_is_better: bool,
    natural_limit: Decimal | None,
) -> Measure:
    if current is None:
        return Measure(ProgressStatus.NOT_AVAILABLE)
    direction = 1 if higher_is_better else -1
    with_target = target is not None and deadline is not None
    effective_target = (ZERO_REPLACEMENT if target == 0 else target) if with_target else None
    achieved = effective_target is not None and is_met(current.value, effective_target, higher_is_better)
    coefficient = None if with_target or base is None else damping(base.value, natural_limit)

    progress, forced = _progress_value(base, current, effective_target, deadline, direction)
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
        c = coefficient if coefficient is not None else Decimal(1)
        high, medium, low = TREND_THRESHOLDS
        status = classify(progress, (high * c, medium * c, low * c))

    return Measure(
        status=status,
        progress_value=progress,
        coefficient=coefficient,
        share_of_way=_share_of_way(base, current, target) if with_target else None,
        projected_value=_projection(base, current, deadline, higher_is_better, natural_limit) if deadline else None,
        required_monthly_change=_required_change(current, target, deadline, achieved) if with_target else None,
    )


def _progress_value(
    base: Observation | None,
    current: Observation,
    target: Decimal | None,
    deadline: datetime.date | None,
    direction: int,
) -> tuple[Decimal | None, str | None]:
    """R (with a target) or P (without), or None; and a status the arithmetic itself decides."""
    if base is None or current.month <= base.month:
        return None, None
    sign = -1 if base.value < 0 else 1
    base_value = ZERO_REPLACEMENT if base.value == 0 else base.value
    if (base_value > 0 and current.value < 0) or (base_value < 0 and current.value > 0):
        return None, None
    observed = growth(current.value, base_value, current.month - base.month)
    if observed is None:
        return None, None
    if target is None or deadline is None:
        return sign * direction * observed, None
    months_to_deadline = deadline_month_number(deadline) - base.month
    if months_to_deadline <= 0:
        return None, None
    required = growth(target, base_value, months_to_deadline)
    if required is None:
        return None, None
    if required == 0:
        return None, ProgressStatus.DETERIORATION
    return sign * direction * observed / abs(required), None


def _share_of_way(base: Observation | None, current: Observation, target: Decimal | None) -> Decimal | None:
    if base is None or target is None or target == base.value:
        return None
    return (current.value - base.value) / (target - base.value)


def _projection(
    base: Observation | None,
    current: Observation,
    deadline: datetime.date,
    higher_is_better: bool,
    limit: Decimal | None,
) -> Decimal | None:
    months_left = deadline_month_number(deadline) - current.month
    if months_left <= 0:
        return current.value
    if base is None or current.month <= base.month:
        return None
    months_observed = current.month - base.month
    if base.value != 0 and current.value / base.value > 0:
        projected = current.value * (current.value / base.value) ** (Decimal(months_left) / Decimal(months_observed))
    else:
        projected = current.value + (current.value - base.value) * months_left / months_observed
    if limit is not None:
        projected = min(projected, limit) if higher_is_better else max(projected, limit)
    return projected


def _required_change(
    current: Observation, target: Decimal | None, deadline: datetime.date | None, achieved: bool
) -> Decimal | None:
    if target is None or deadline is None:
        return None
    if achieved:
        return Decimal(0)
    months_left = deadline_month_number(deadline) - current.month
    if months_left <= 0:
        return None
    return (target - current.value) / months_left
