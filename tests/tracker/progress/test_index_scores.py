"""DESIGN §5.5: composite indices are versioned weighted definitions (catalogue data), scored to four
decimals and ranked per period with shared ranks for ties."""

from decimal import Decimal

import pytest

from kpis.models import (
    CompositeIndex,
    CompositeIndexComponent,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
)
from provinces.models import MERGER_DATE, Province
from tests.factories import ProvinceFactory
from tracker.progress.models import IndexScore, Level
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db

# QĐ 922/QĐ-BTTTT: the eight main indicators of the provincial DTI and their weights (total 1000).
DTI_WEIGHTS = {"NT": 100, "TC": 100, "HT": 100, "NL": 100, "AT": 100, "CQS": 200, "KTS": 150, "XHS": 150}


def make_index(code, periodicity, versions):
    """versions: [(valid_from, valid_to, divisor, {component code: weight})]; components are yearly or
    monthly index-type indicators over one element each."""
    source = Directive.objects.create(code=f"qd-{code.lower()}", kind="quyet_dinh", title=f"Bộ chỉ số {code}")
    index = CompositeIndex.objects.create(code=code, name=code, source=source, periodicity=periodicity)
    for valid_from, valid_to, divisor, weights in versions:
        version = CompositeIndexVersion.objects.create(
            index=index, valid_from=valid_from, valid_to=valid_to, divisor=Decimal(divisor)
        )
        for order, (component, weight) in enumerate(weights.items()):
            element, _ = DataElement.objects.get_or_create(
                code=f"{code}_{component}",
                defaults={
                    "name": component,
                    "value_type": "decimal",
                    "time_aggregation": "last",
                    "space_aggregation": "mean",
                },
            )
            indicator, _ = Indicator.objects.get_or_create(
                code=f"{code}_{component}",
                defaults={"name": component, "numerator": element.code, "periodicity": periodicity},
            )
            CompositeIndexComponent.objects.create(
                version=version, indicator=indicator, weight=Decimal(weight), order=order
            )
    return index


@pytest.fixture
def dti(db):
    return make_index("DTI", "yearly", [("2022", "", "1000", DTI_WEIGHTS)])


def report_dti(reports, province, period, **components):
    reports.approved(province, period, **{f"DTI_{code}": value for code, value in components.items()})


def test_the_provincial_dti_is_the_weighted_sum_of_its_eight_components(dti, yearly_reports):
    # given
    quang_ninh = Province.objects.create(code="22", name="Tỉnh Quảng Ninh", kind="tinh", valid_from=MERGER_DATE)
    report_dti(
        yearly_reports,
        quang_ninh,
        "2025",
        NT="0.8123",
        TC="0.7456",
        HT="0.6789",
        NL="0.5234",
        AT="0.9012",
        CQS="0.6543",
        KTS="0.4321",
        XHS="0.5678",
    )

    # when
    rollups_recompute_all()

    # then: (100·3.6614 + 200·0.6543 + 150·0.4321 + 150·0.5678) / 1000 = 0.646985, published as 0.6470
    score = IndexScore.objects.get(index=dti, level=Level.PROVINCE, province=quang_ninh, period="2025")
    assert score.score == Decimal("0.6470")
    assert score.rank == 1
    assert [c["indicator"] for c in score.components] == [f"DTI_{code}" for code in DTI_WEIGHTS]
    assert score.components[5] == {"indicator": "DTI_CQS", "weight": "200.0000", "value": "0.6543000000"}


def test_the_dti_of_a_merged_province_uses_the_means_of_its_predecessors(dti, yearly_reports, an_giang):
    # given: the former An Giang and Kiên Giang's 2024 components
    an_giang_89 = Province.objects.former().get(code="89")
    kien_giang = Province.objects.former().get(code="91")
    report_dti(
        yearly_reports,
        an_giang_89,
        "2024",
        NT="0.5",
        TC="0.6",
        HT="0.7",
        NL="0.4",
        AT="0.9",
        CQS="0.5",
        KTS="0.3",
        XHS="0.4",
    )
    report_dti(
        yearly_reports,
        kien_giang,
        "2024",
        NT="0.7",
        TC="0.6",
        HT="0.5",
        NL="0.6",
        AT="0.7",
        CQS="0.7",
        KTS="0.5",
        XHS="0.6",
    )

    # when
    rollups_recompute_all()

    # then: means 0.6 0.6 0.6 0.5 0.8 0.6 0.4 0.5 -> (310 + 120 + 60 + 75) / 1000
    scores = {
        (s.level, s.province.code if s.province else None): (s.score, s.rank)
        for s in IndexScore.objects.filter(index=dti, period="2024")
        .exclude(level=Level.NATIONAL)
        .select_related("province")
    }
    assert scores == {
        (Level.PROVINCE, "91"): (Decimal("0.5650"), 1),
        (Level.FORMER, "89"): (Decimal("0.5150"), 2),
        (Level.FORMER, "91"): (Decimal("0.6150"), 1),
    }
    national = IndexScore.objects.get(index=dti, level=Level.NATIONAL, period="2024")
    assert (national.score, national.rank) == (Decimal("0.5650"), None)


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(dti, yearly_reports):
    # given
    provinces = [ProvinceFactory(code=code) for code in ("22", "24", "25", "26")]
    components = {"NT": "0.5", "TC": "0.5", "HT": "0.5", "NL": "0.5", "AT": "0.5", "CQS": "0.5", "KTS": "0.5"}
    for province, xhs in zip(provinces, ["0.9", "0.9", "0.1", "0.95"], strict=True):
        report_dti(yearly_reports, province, "2025", XHS=xhs, **components)

    # when
    rollups_recompute_all()

    # then
    ranks = dict(IndexScore.objects.filter(index=dti, level=Level.PROVINCE).values_list("province__code", "rank"))
    assert ranks == {"26": 1, "22": 2, "24": 2, "25": 4}


def test_a_unit_missing_a_component_gets_no_score(dti, yearly_reports):
    province = ProvinceFactory(code="22")
    report_dti(yearly_reports, province, "2025", NT="0.5", TC="0.5", HT="0.5", NL="0.5", AT="0.5", CQS="0.5", KTS="0.5")

    rollups_recompute_all()

    assert not IndexScore.objects.filter(index=dti).exists()


def test_index_versions_apply_to_their_own_periods(monthly_reports):
    # given: the 766 index, whose 22 points for online services were split into 12 + 10 in 2025
    index = make_index(
        "I766",
        "monthly",
        [
            ("2023-01", "2024-12", "1", {"CKMB": 18, "TDGQ": 20, "SHHS": 22, "DVTT": 22, "HL": 18}),
            ("2025-01", "", "1", {"CKMB": 18, "TDGQ": 20, "SHHS": 22, "DVCTT": 12, "TTTT": 10, "HL": 18}),
        ],
    )
    province = ProvinceFactory(code="22")
    full = {"I766_CKMB": "1", "I766_TDGQ": "0.5", "I766_SHHS": "1", "I766_HL": "0.5"}
    monthly_reports.approved(province, "2025-08", I766_DVCTT="1", I766_TTTT="0.5", **full)
    monthly_reports.approved(province, "2025-09", I766_DVTT="1", **full)

    # when
    rollups_recompute_all()

    # then: August 2025 under the 2025 version: 18 + 10 + 22 + 12 + 5 + 9; September lacks its components
    scores = IndexScore.objects.filter(index=index, level=Level.PROVINCE)
    assert [(s.period, s.score, s.version.valid_from) for s in scores] == [("2025-08", Decimal("76.0000"), "2025-01")]
    assert Indicator.objects.filter(code="I766_DVTT").exists()
