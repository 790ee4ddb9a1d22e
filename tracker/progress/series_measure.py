"""The standings of one series as of each of its points, computed in one pass.

`progress_measure.standing` measures one point; the full recompute measures every point of every
series (some 190 000 standings nationally), and most of that work is the same for every point of
a series: its base, its target's required growth (sdg-build's |CAGR_req|, complex modulus
included), the thresholds, the denominator of the share of the way. `series_outcomes` does that
work once per series and the per-point arithmetic with the very same float operations in the
same order as `standing`, so its outcomes are equal to `standing`'s, point by point (tested on
targets, deadlines, trends, data-quality and opposite-sign series). The points at or after a
target's deadline all stand as the last point at or before it does: measured once, by `standing`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tracker.progress.models import ProgressStatus
from tracker.progress.progress_measure import (
    CLASSIFIED_DECIMALS,
    FLAG_BEYOND_LIMIT,
    FLAG_NEGATIVE_TOTAL,
    TARGET_THRESHOLDS,
    TREND_THRESHOLDS,
    ZERO_REPLACEMENT,
    Outcome,
    _projection,
    damping,
    growth,
    is_met,
    required_growth_modulus,
    standing,
)

ARITHMETIC_ERRORS = (ZeroDivisionError, OverflowError, ValueError)
_NOT_COMPUTED = object()


def series_outcomes(
    *,
    months: Sequence[int],
    values: Sequence[float],
    start: int,
    base: tuple[int, float] | None,
    target: float | None,
    deadline_month: int | None,
    higher_is_better: bool,
    limit: float | None = None,
    extensive: bool = False,
) -> list[Outcome]:
    """`[standing(months=..., index=i, ...) for i in range(start, len(months))]`, in one pass."""
    with_target = target is not None and deadline_month is not None
    direction = 1 if higher_is_better else -1
    # what depends on the base and the target only
    base_month = 0
    raw_base = base_value = 0.0
    signed = direction
    coefficient: float | None = None
    if base is not None:
        base_month, raw_base = base
        signed = (-1 if raw_base < 0 else 1) * direction
        base_value = ZERO_REPLACEMENT if raw_base == 0 else raw_base
        if not with_target:
            coefficient = damping(raw_base, limit)
    thresholds = TARGET_THRESHOLDS
    if not with_target:
        c = coefficient if coefficient is not None else 1.0
        high, medium, low = TREND_THRESHOLDS
        thresholds = (high * c, medium * c, low * c)
    high, medium, low = (round(threshold, CLASSIFIED_DECIMALS) for threshold in thresholds)
    effective_target = 0.0
    required: object = None  # |CAGR_req|: None when there is none, an exception's type when it fails
    share_from: float | None = None  # target - base, when there is a way to go
    if with_target and target is not None and deadline_month is not None:
        effective_target = ZERO_REPLACEMENT if target == 0 else target
        if base is not None:
            if deadline_month - base_month > 0:
                try:
                    required = required_growth_modulus(effective_target, base_value, deadline_month - base_month)
                except ARITHMETIC_ERRORS as error:
                    required = type(error)
            if not (target == raw_base or is_met(raw_base, target, higher_is_better)):
                share_from = target - raw_base
    final: object = _NOT_COMPUTED  # the outcome of every point at or after the deadline
    out: list[Outcome] = []
    append = out.append
    for index in range(start, len(months)):
        month = months[index]
        if with_target and deadline_month is not None and month >= deadline_month:
            if final is _NOT_COMPUTED:
                final = standing(
                    months=list(months),
                    values=list(values),
                    index=index,
                    base=base,
                    target=target,
                    deadline_month=deadline_month,
                    higher_is_better=higher_is_better,
                    limit=limit,
                    extensive=extensive,
                )
            append(final)  # type: ignore[arg-type]
            continue
        value = values[index]
        if limit is not None and limit > 0 and (value > limit or value < 0):
            append(Outcome(ProgressStatus.DATA_QUALITY, flag=FLAG_BEYOND_LIMIT))
            continue
        if extensive and value < 0:
            append(Outcome(ProgressStatus.DATA_QUALITY, flag=FLAG_NEGATIVE_TOTAL))
            continue
        active = base is not None and base_month <= month  # a base after this point is none as of it
        progress, forced = _progress(active, month, value, base_month, base_value, signed, with_target, required)
        if progress is not None and not math.isfinite(progress):
            progress = None
        achieved = with_target and is_met(value, effective_target, higher_is_better)
        status: str
        if achieved:
            status = ProgressStatus.TARGET_ACHIEVED
        elif forced is not None:
            status = forced
        elif progress is None:
            status = ProgressStatus.NOT_AVAILABLE
        else:
            rounded = round(progress, CLASSIFIED_DECIMALS)
            if rounded >= high:
                status = ProgressStatus.SUBSTANTIAL
            elif rounded >= medium:
                status = ProgressStatus.MODERATE
            elif rounded >= low:
                status = ProgressStatus.LIMITED
            else:
                status = ProgressStatus.DETERIORATION
        if not with_target or target is None or deadline_month is None:
            append(Outcome(status, progress, coefficient if active else None))
            continue
        share = (value - raw_base) / share_from if active and share_from is not None else None
        change = 0.0 if achieved else (target - value) / (deadline_month - month)
        try:
            projected = _projection(
                (base_month, raw_base) if active else None, month, value, deadline_month, higher_is_better, limit
            )
        except ARITHMETIC_ERRORS:
            projected = None
        append(Outcome(status, progress, None, share, projected, change))
    return out


def _progress(
    active: bool,
    month: int,
    value: float,
    base_month: int,
    base_value: float,
    signed: int,
    with_target: bool,
    required: object,
) -> tuple[float | None, str | None]:
    """`progress_measure._progress_value`, with the target's required growth computed beforehand."""
    if not active or month <= base_month:
        return None, None
    if (base_value > 0 and value < 0) or (base_value < 0 and value > 0):
        return None, None
    try:
        observed = growth(value, base_value, month - base_month)
    except ARITHMETIC_ERRORS:
        return None, None
    if observed is None:
        return None, None
    if not with_target:
        return signed * observed, None
    if not isinstance(required, float):  # no time to the deadline, or its computation failed
        return None, None
    if required == 0:
        return None, ProgressStatus.DETERIORATION
    try:
        return signed * observed / required, None
    except ARITHMETIC_ERRORS:
        return None, None
