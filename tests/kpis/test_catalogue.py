"""Invariants of the real catalogue in seeds/data, checked after loading it."""

import datetime
from decimal import Decimal

from kpis.expressions import parse
from kpis.models import (
    CompositeIndex,
    DataElement,
    Directive,
    Indicator,
    Objective,
    ReportForm,
    Target,
    ValidationRule,
)

# Indicators whose source documents set a scoring method or a movement, not a level to reach.
WITHOUT_TARGETS = {
    "BDHVS_TRAINED",
    "HS_ON_TIME_RATE",
    *(f"DTI_{c}" for c in ("NT", "TC", "HT", "NL", "AT", "CQS", "KTS", "XHS")),
    *(f"I766_{c}" for c in ("CKMB", "TDGQ", "SHHS", "DVTT", "DVCTT", "TTTT", "HL")),
}


def test_at_least_40_indicators_have_targets_with_a_source_and_the_rest_are_the_documented_ones(catalogue):
    with_targets = set(Indicator.objects.filter(targets__isnull=False).values_list("code", flat=True))

    assert len(with_targets) == 43
    assert set(Indicator.objects.values_list("code", flat=True)) - with_targets == WITHOUT_TARGETS
    assert not Target.objects.filter(source__isnull=True).exists()
    assert all(i.unit and i.direction for i in Indicator.objects.all())


def test_every_objective_is_measured_or_says_why_not(catalogue):
    unmeasured = Objective.objects.filter(indicators__isnull=True)

    assert Objective.objects.count() == 124
    assert unmeasured.count() == 23
    assert not unmeasured.filter(not_measurable_reason="").exists()


def test_every_directive_in_the_brief_is_in_the_catalogue_with_objectives(catalogue):
    numbers = set(Directive.objects.values_list("number", flat=True))

    for number in [
        "749/QĐ-TTg",
        "411/QĐ-TTg",
        "942/QĐ-TTg",
        "06/QĐ-TTg",
        "1813/QĐ-TTg",
        "805/QĐ-TTg",
        "52-NQ/TW",
        "57-NQ/TW",
        "56/TB-VPCP",
        "922/QĐ-BTTTT",
        "405/QĐ-BKHCN",
        "766/QĐ-TTg",
    ]:
        assert number in numbers
    assert not Directive.objects.filter(objectives__isnull=True).exists()


def test_the_july_2024_and_december_2025_conclusions_carry_their_groups(catalogue):
    def groups(code):
        objectives = Objective.objects.filter(directive__code=code)
        return {g: objectives.filter(group=g).count() for g in objectives.values_list("group", flat=True)}

    # The report lists six clauses under “5 đẩy mạnh” and under “5 không”; all are kept.
    assert groups("hn-cds-2024-07") == {"5 trọng tâm": 5, "5 đẩy mạnh": 6, "5 bảo đảm": 5, "5 không": 6}
    assert {g: n for g, n in groups("dd-ktsxhs-2025-12").items() if g.startswith("5 ")} == {
        "5 tiên phong": 5,
        "5 có": 5,
        "5 không": 5,
    }
    assert groups("ngay-cds-2024")["3 đột phá chiến lược số"] == 3


def test_two_deadline_targets_become_two_rows(catalogue):
    rows = Target.objects.filter(indicator__code="DIGITAL_SIGNATURE_RATE").order_by("deadline")

    assert [(t.value, t.deadline, t.source.code) for t in rows] == [
        (Decimal(50), datetime.date(2025, 12, 31), "qd-411-2022"),
        (Decimal(70), datetime.date(2030, 12, 31), "qd-411-2022"),
    ]


def test_5g_targets_come_from_their_sources(catalogue):
    coverage = Target.objects.filter(indicator__code="COVER_5G_POP_RATE").order_by("deadline")
    stations = Target.objects.get(indicator__code="BTS_5G_COUNT")

    assert [(t.value, t.deadline, t.source.number) for t in coverage] == [
        (Decimal(90), datetime.date(2025, 12, 31), "Kế hoạch phát triển hạ tầng 5G năm 2025"),
        (Decimal(99), datetime.date(2030, 12, 31), "805/QĐ-TTg"),
    ]
    assert (stations.value, stations.deadline, stations.province) == (Decimal(68457), datetime.date(2025, 12, 31), None)
    assert DataElement.objects.get(code="BTS_5G").space_aggregation == "sum"


def test_zero_fee_target_is_yes_from_tb_56(catalogue):
    target = Target.objects.get(indicator__code="FEE_ZERO_ONLINE_APPLIED")

    assert (target.value, target.source.number) == (Decimal(1), "56/TB-VPCP")
    assert DataElement.objects.get(code="FEE_ZERO_ONLINE").value_type == "boolean"


def test_the_dti_weights_sum_to_1000_over_eight_indicators(catalogue):
    version = CompositeIndex.objects.get(code="PDTI").versions.get()
    weights = {c.indicator.code: c.weight for c in version.components.select_related("indicator")}

    assert (version.valid_from, version.valid_to, version.divisor) == ("2022", "2024", Decimal(1000))
    assert sum(weights.values()) == Decimal(1000)
    assert weights == {
        "DTI_NT": 100,
        "DTI_TC": 100,
        "DTI_HT": 100,
        "DTI_NL": 100,
        "DTI_AT": 100,
        "DTI_CQS": 200,
        "DTI_KTS": 150,
        "DTI_XHS": 150,
    }


def test_each_766_version_sums_group_points_to_100(catalogue):
    versions = CompositeIndex.objects.get(code="I766").versions.order_by("valid_from")

    summary = [
        (
            v.valid_from,
            v.valid_to,
            sum(c.weight * (c.indicator.natural_limit or 0) for c in v.components.select_related("indicator")),
            v.components.count(),
        )
        for v in versions
    ]

    assert summary == [("2022-07", "2024-12", Decimal(100), 5), ("2025-01", "", Decimal(100), 6)]


def test_index_type_elements_are_bounded_and_averaged_across_units(catalogue):
    dti = DataElement.objects.filter(code__startswith="DTI_")

    assert dti.count() == 8
    assert set(dti.values_list("min_value", "max_value", "space_aggregation")) == {(Decimal(0), Decimal(1), "mean")}
    assert not DataElement.objects.filter(value_type="integer").exclude(min_value=0).exists()
    assert not DataElement.objects.filter(value_type="percent").exclude(max_value=100).exists()


def test_flows_sum_and_stocks_take_the_last_value(catalogue):
    def time(code):
        return DataElement.objects.get(code=code).time_aggregation

    assert [time(c) for c in ("HS_RECEIVED", "HS_FULLY_ONLINE", "RETAIL_REVENUE")] == ["sum", "sum", "sum"]
    assert [time(c) for c in ("BTS_5G", "POPULATION", "HH_FIBRE")] == ["last", "last", "last"]


def test_indicator_data_elements_are_exactly_those_of_its_formulas(catalogue):
    for indicator in Indicator.objects.prefetch_related("data_elements"):
        assert sorted(e.code for e in indicator.data_elements.all()) == sorted(indicator.element_codes())


def test_percent_ratios_use_factor_100_and_natural_limit_100(catalogue):
    percents = Indicator.objects.filter(unit="%").exclude(code="BTS_5G_TO_4G_RATIO")

    assert percents.count() == 39
    assert set(percents.values_list("factor", "natural_limit")) == {(Decimal(100), Decimal(100))}
    assert not percents.filter(denominator="").exists()


def test_validation_rules_compare_elements_of_one_form(catalogue):
    forms = [set(f.form_elements.values_list("element__code", flat=True)) for f in ReportForm.objects.all()]

    for rule in ValidationRule.objects.all():
        codes = set(parse(rule.left).codes) | set(parse(rule.right).codes)
        assert any(codes <= form for form in forms), rule.code


def test_there_is_a_monthly_a_quarterly_and_a_yearly_form_covering_every_element(catalogue):
    forms = {f.code: f for f in ReportForm.objects.all()}

    assert {code: f.periodicity for code, f in forms.items()} == {
        "BC_THANG": "monthly",
        "BC_QUY": "quarterly",
        "BC_NAM": "yearly",
    }
    assert (forms["BC_THANG"].due_day, forms["BC_THANG"].lock_days) == (5, 30)
    assert forms["BC_THANG"].form_elements.count() == 57
    assert not DataElement.objects.filter(form_elements__isnull=True).exists()
    assert not forms["BC_THANG"].form_elements.filter(section="").exists()
