"""DESIGN §5.6: the Open SDG progress measure at and around each threshold, hand-computed.

Most cases use a base of 100 at the end of 2024, the current value one year later (end of 2025)
and a deadline two years after the base (31/12/2026), so that CAGR_obs = y_t / 100 - 1 and, for a
target of 121, CAGR_req = sqrt(1.21) - 1 = 0.1 exactly.
"""

import datetime
from decimal import Decimal

import pytest

from kpis.periods import Period
from tracker.progress.progress_measure import Observation, damping, measure

BASE = Observation(Period.parse("2024"), Decimal(100))
DEADLINE = datetime.date(2026, 12, 31)


def now(value, period="2025"):
    return Observation(Period.parse(period), Decimal(value))


def with_target(current, target="121", *, base=BASE, higher=True, deadline=DEADLINE):
    return measure(base=base, current=current, target=Decimal(target), deadline=deadline, higher_is_better=higher)


def trend(current, *, base=BASE, higher=True, limit=None):
    return measure(
        base=base,
        current=current,
        target=None,
        deadline=None,
        higher_is_better=higher,
        natural_limit=Decimal(limit) if limit is not None else None,
    )


@pytest.mark.parametrize(
    ("current", "ratio", "status"),
    [
        ("121", None, "target_achieved"),
        ("125", None, "target_achieved"),
        ("109.5", Decimal("0.95"), "substantial_progress"),
        ("109.4", Decimal("0.94"), "moderate_progress"),
        ("106", Decimal("0.6"), "moderate_progress"),
        ("105.9", Decimal("0.59"), "limited_progress"),
        ("100", Decimal("0"), "limited_progress"),
        ("99.9", Decimal("-0.01"), "deterioration"),
    ],
)
def test_with_a_target_the_status_follows_the_ratio_of_observed_to_required_growth(current, ratio, status):
    result = with_target(now(current))

    assert result.status == status
    if ratio is not None:
        assert result.progress_value == ratio


def test_when_lower_is_better_falling_values_are_progress():
    # target 81: CAGR_req = sqrt(0.81) - 1 = -0.1; from 100 to 90.5 is -0.095 a year: R = 0.95
    assert with_target(now("90.5"), "81", higher=False).progress_value == Decimal("0.95")
    assert with_target(now("90.5"), "81", higher=False).status == "substantial_progress"
    assert with_target(now("101"), "81", higher=False).status == "deterioration"
    assert with_target(now("80"), "81", higher=False).status == "target_achieved"


def test_a_zero_base_is_replaced_by_one_thousandth():
    # from 0.001 to 0.0011 is +10 % a year, as required to reach 0.00121 in two years
    result = with_target(now("0.0011"), "0.00121", base=Observation(Period.parse("2024"), Decimal(0)))

    assert (result.progress_value, result.status) == (Decimal(1), "substantial_progress")


def test_a_zero_target_is_replaced_by_one_thousandth():
    # fees down from 10 to 8 đồng towards 0: R = 0.2 / (1 - sqrt(0.001 / 10)) = 0.2 / 0.99
    result = with_target(now("8"), "0", base=Observation(Period.parse("2024"), Decimal(10)), higher=False)

    assert result.progress_value.quantize(Decimal("1e-12")) == Decimal("0.202020202020")
    assert result.status == "limited_progress"
    assert with_target(now("0"), "0", higher=False).status == "target_achieved"


def test_a_target_equal_to_the_base_that_is_not_met_means_deterioration():
    assert with_target(now("99"), "100").status == "deterioration"


def test_base_and_current_value_of_different_signs_cannot_be_measured():
    result = trend(now("5"), base=Observation(Period.parse("2024"), Decimal(-10)))

    assert (result.status, result.progress_value) == ("not_available", None)


def test_a_negative_base_turns_the_growth_around():
    # from -100 to -50: CAGR = -0.5, sign = -1, higher is better: P = 0.5
    result = trend(now("-50"), base=Observation(Period.parse("2024"), Decimal(-100)))

    assert (result.progress_value, result.status) == (Decimal("0.5"), "substantial_progress")


@pytest.mark.parametrize(
    ("current", "status"),
    [
        ("1015", "substantial_progress"),
        ("1014", "moderate_progress"),
        ("1005", "moderate_progress"),
        ("1004", "limited_progress"),
        ("1000", "limited_progress"),
        ("999", "deterioration"),
    ],
)
def test_without_a_target_growth_is_compared_with_one_and_a_half_and_half_a_percent(current, status):
    assert trend(now(current), base=Observation(Period.parse("2024"), Decimal(1000))).status == status


def test_growth_is_annualised_over_fractional_years():
    # six months from 100 to 110: (1.1)^(12/6) - 1 = 0.21 a year
    result = trend(now("110", "2024-07"), base=Observation(Period.parse("2024-01"), Decimal(100)))

    assert result.progress_value == Decimal("0.21")


def test_near_a_natural_limit_the_thresholds_are_damped():
    # base 90 of a limit of 100: C = 1 - 0.9^4.44 = 0.37362164501..., thresholds 0.0056043 and 0.0018681
    base = Observation(Period.parse("2024"), Decimal(90))

    damped = trend(now("90.54"), base=base, limit="100")
    plain = trend(now("90.54"), base=base)

    assert damped.coefficient.quantize(Decimal("1e-12")) == Decimal("0.373621645013")
    assert (damped.progress_value, damped.status) == (Decimal("0.006"), "substantial_progress")
    assert (plain.progress_value, plain.status) == (Decimal("0.006"), "moderate_progress")
    assert trend(now("90.3"), base=base, limit="100").status == "moderate_progress"
    assert trend(now("90.3"), base=base).status == "limited_progress"


@pytest.mark.parametrize(
    ("base", "limit", "coefficient"),
    [
        ("250", "100", Decimal(1)),
        ("200", "100", Decimal(1)),
        ("150", "100", Decimal("0.953929086960")),
        ("100", "100", Decimal(0)),
        ("0", "0", Decimal(1)),
    ],
)
def test_the_damping_coefficient_on_both_sides_of_the_limit(base, limit, coefficient):
    assert Decimal(damping(float(base), float(limit))).quantize(Decimal("1e-12")) == coefficient


def test_at_the_limit_any_growth_counts_as_substantial():
    result = trend(now("100"), base=Observation(Period.parse("2024"), Decimal(100)), limit="100")

    assert (result.coefficient, result.status) == (Decimal(0), "substantial_progress")


def test_missing_data_gives_not_available():
    assert with_target(None).status == "not_available"
    assert with_target(now("110"), base=None).status == "not_available"
    assert with_target(now("110", "2024"), base=BASE).status == "not_available"
    assert trend(None).status == "not_available"


def test_a_single_figure_that_meets_the_target_is_achieved():
    assert with_target(now("130", "2024"), base=None).status == "target_achieved"


def test_share_of_way_projection_and_required_monthly_change():
    result = with_target(now("109.5"))

    # (109.5 - 100) / (121 - 100); 109.5 · 1.095 after one more year; (121 - 109.5) / 12 months
    assert result.share_of_way.quantize(Decimal("1e-12")) == Decimal("0.452380952381")
    assert result.projected_value == Decimal("119.9025")
    assert result.required_monthly_change.quantize(Decimal("1e-12")) == Decimal("0.958333333333")


def test_projection_falls_back_to_a_straight_line_from_a_zero_base_and_stops_at_the_limit():
    from_zero = with_target(now("10"), "50", base=Observation(Period.parse("2024"), Decimal(0)))
    capped = measure(
        base=Observation(Period.parse("2024"), Decimal(80)),
        current=now("96"),
        target=Decimal(99),
        deadline=DEADLINE,
        higher_is_better=True,
        natural_limit=Decimal(100),
    )

    assert from_zero.projected_value == Decimal(20)
    assert capped.projected_value == Decimal(100)


def test_after_the_deadline_the_standing_is_final_and_made_from_the_value_at_the_deadline():
    # 2026 (the deadline's year) reached 110 of 121: missed; 2027 reached 125, too late
    history = [now("105", "2025"), now("110", "2026")]
    result = measure(
        base=BASE,
        current=now("125", "2027"),
        target=Decimal(121),
        deadline=DEADLINE,
        higher_is_better=True,
        history=history,
    )

    assert (result.status, result.final, str(result.used.period), result.used.value) == (
        "missed",
        True,
        "2026",
        Decimal(110),
    )
    assert (result.projected_value, result.required_monthly_change) == (Decimal(110), None)
    assert result.share_of_way == Decimal("0.476190476190")  # (110 - 100) / (121 - 100)


def test_a_target_met_at_the_deadline_stays_achieved_afterwards():
    history = [now("121", "2026")]
    result = measure(
        base=BASE,
        current=now("90", "2027"),
        target=Decimal(121),
        deadline=DEADLINE,
        higher_is_better=True,
        history=history,
    )

    assert (result.status, result.final, result.used.value) == ("target_achieved", True, Decimal(121))


def test_at_the_deadline_itself_a_target_not_met_is_missed_not_to_be_accelerated():
    # 2026 ends in the deadline's month: 120.9 < 121 cannot be made up any more
    result = with_target(now("120.9", "2026"))

    assert (result.status, result.final) == ("missed", True)


def test_without_any_value_at_or_before_the_deadline_the_final_standing_is_not_available():
    result = with_target(now("125", "2027"))

    assert (result.status, result.final) == ("not_available", True)


def test_a_base_and_target_of_opposite_signs_divide_by_the_modulus_of_the_complex_growth():
    # sdg-build: cagr_r = (21 / -100) ** (1/2) - 1 = (0 - 1) + 0.458257...j, abs = sqrt(1 + 0.21) = 1.1;
    # cagr_o = -90 / -100 - 1 = -0.1; R = sign(-1) · d(+1) · (-0.1) / 1.1 = 0.090909...
    result = with_target(now("-90"), "21", base=Observation(Period.parse("2024"), Decimal(-100)))

    assert result.progress_value == Decimal("0.090909090909")
    assert result.status == "limited_progress"


def test_the_modulus_over_three_years_uses_the_cosine_and_sine_of_a_third_of_pi():
    # base 1 (2024), target -8 by 2027, lower is better: (-8) ** (1/3) = 1 + 1.7320508075688772j in
    # Python, minus 1 gives modulus sqrt((2·cos(π/3) - 1)² + (2·sin(π/3))²) = sqrt(3);
    # cagr_o = 0.9 - 1 = -0.1; R = 1 · (-1) · (-0.1) / sqrt(3) = 0.0577350269189...
    result = with_target(
        now("0.9"),
        "-8",
        base=Observation(Period.parse("2024"), Decimal(1)),
        higher=False,
        deadline=datetime.date(2027, 12, 31),
    )

    assert result.progress_value == Decimal("0.057735026919")
    assert result.status == "limited_progress"


def test_a_zero_target_below_a_negative_base_is_one_thousandth_and_goes_through_the_modulus():
    # base -10, target 0 -> 0.001: ratio -0.0001, m = 0.01, modulus = sqrt(1 + 0.0001) (cos(π/2) = 0);
    # cagr_o = -5 / -10 - 1 = -0.5; R = (-1) · 1 · (-0.5) / sqrt(1.0001) = 0.49997500187484...
    result = with_target(now("-5"), "0", base=Observation(Period.parse("2024"), Decimal(-10)))

    assert result.progress_value == Decimal("0.499975001875")
    assert result.status == "limited_progress"


def test_a_value_beyond_its_natural_limit_is_a_data_quality_flag_not_a_status():
    result = measure(
        base=BASE,
        current=now("104.2"),
        target=Decimal(121),
        deadline=DEADLINE,
        higher_is_better=True,
        natural_limit=Decimal(100),
    )

    assert (result.status, result.flag, result.share_of_way) == ("data_quality", "beyond_limit", None)


def test_a_negative_total_is_a_data_quality_flag():
    result = trend(now("-3"), base=Observation(Period.parse("2024"), Decimal(5)))
    flagged = measure(
        base=Observation(Period.parse("2024"), Decimal(5)),
        current=now("-3"),
        target=None,
        deadline=None,
        higher_is_better=True,
        extensive=True,
    )

    assert (result.status, flagged.status, flagged.flag) == ("not_available", "data_quality", "negative_total")


def test_a_base_that_already_met_the_target_has_no_share_of_the_way():
    # mobile speed: base 150 Mbps, target 100, now 126: achieved, and no "−48 %" of a way never needed
    result = with_target(now("126"), "100", base=Observation(Period.parse("2024"), Decimal(150)))

    assert (result.status, result.share_of_way) == ("target_achieved", None)
