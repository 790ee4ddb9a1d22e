"""The catalogue loader tells the roll-ups when, and only when, a load changes what figures are computed from."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from seeds.loader import catalogue_load
from tests.rollup_marks import approved_october, catalogue_marks, fibre_rate
from tracker.progress.models import DirtyUnit
from tracker.progress.services import rollups_recompute_all, rollups_recompute_dirty

ALL_FIGURE_MODELS = (
    "load_catalogue: Province, Commune, DataElement, Indicator, Target, ReportForm, ReportFormElement, "
    "CompositeIndex, CompositeIndexVersion, CompositeIndexComponent"
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def loaded_copy(db, data_dir):
    """The scratch copy of seeds/data loaded, and the roll-up its load asked for done."""
    catalogue_load(data_dir=data_dir)
    rollups_recompute_dirty()
    return data_dir


def test_a_first_load_over_existing_figures_marks_the_rollups_once_and_they_are_recomputed(
    an_giang, data_element_factory, indicator_factory, report_form_factory, django_capture_on_commit_callbacks
):
    # given: figures rolled up with a hand-made catalogue whose fibre rate is a ratio, not a percentage
    data_element_factory(code="HH_FIBRE", time_aggregation="last")
    data_element_factory(code="HOUSEHOLDS", time_aggregation="last")
    indicator_factory(code="FIBRE_HH_RATE", numerator="HH_FIBRE", denominator="HOUSEHOLDS", factor=Decimal(1))
    report_form_factory(code="BC_THANG", periodicity="monthly")
    approved_october(an_giang, HH_FIBRE=300, HOUSEHOLDS=400)
    rollups_recompute_all()
    assert (fibre_rate(an_giang), catalogue_marks()) == (Decimal("0.75"), [])

    # when: the real catalogue is loaded for the first time
    with django_capture_on_commit_callbacks() as callbacks:
        report = catalogue_load()
    marks = catalogue_marks()
    for callback in callbacks:
        callback()  # the commit, with tasks in-process

    # then: one mark, one recompute, and the figure follows the file's factor 100
    assert (marks, len(callbacks), report.rollups_marked) == ([ALL_FIGURE_MODELS[:100]], 1, True)
    assert (fibre_rate(an_giang), DirtyUnit.objects.count()) == (Decimal(75), 0)


def test_a_second_identical_load_marks_nothing(loaded_copy, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        report = catalogue_load(data_dir=loaded_copy)

    # then
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert (DirtyUnit.objects.count(), callbacks, report.rollups_marked) == (0, [], False)


def test_an_edited_indicator_factor_marks_the_rollups_and_the_figures_follow(
    loaded_copy, an_giang, django_capture_on_commit_callbacks
):
    # given: An Giang's October rolled up with the file's factor 100
    approved_october(an_giang, HH_FIBRE=300, HOUSEHOLDS=400)
    rollups_recompute_all()
    assert fibre_rate(an_giang) == Decimal(75)
    edit(
        loaded_copy / "indicators.yaml",
        "numerator: HH_FIBRE\n  denominator: HOUSEHOLDS\n  factor: 100\n",
        "numerator: HH_FIBRE\n  denominator: HOUSEHOLDS\n  factor: 1\n",
    )

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        report = catalogue_load(data_dir=loaded_copy)
    marks = catalogue_marks()
    for callback in callbacks:
        callback()

    # then
    assert (report.created, report.updated, report.deleted) == (0, 1, 0)
    assert (marks, len(callbacks)) == (["load_catalogue: Indicator"], 1)
    assert (fibre_rate(an_giang), DirtyUnit.objects.count()) == (Decimal("0.75"), 0)


@pytest.mark.parametrize(
    ("file", "old", "new", "reason"),
    [
        (
            "data_elements.yaml",
            "  unit: hộ\n  min_value: 0\n  time_aggregation: last\n  space_aggregation: sum\n\n- code: COMMUNES\n",
            "  unit: hộ\n  min_value: 0\n  time_aggregation: sum\n  space_aggregation: sum\n\n- code: COMMUNES\n",
            "load_catalogue: DataElement",
        ),
        (
            "indicators.yaml",
            "    - value: 80\n      deadline: 2025-12-31\n      source: qd-749-2020\n\n- code: FIBRE_ACCESS_HH_RATE\n",
            "    - value: 85\n      deadline: 2025-12-31\n      source: qd-749-2020\n\n- code: FIBRE_ACCESS_HH_RATE\n",
            "load_catalogue: Target",
        ),
        (
            "report_forms.yaml",
            "        - {element: HH_FIBRE, commune: true}\n",
            "",
            "load_catalogue: ReportFormElement",
        ),
        ("provinces-2025.csv", "Tỉnh An Giang,An Giang,", "Tỉnh An Giang mới,An Giang,", "load_catalogue: Province"),
    ],
)
def test_an_edit_to_what_figures_are_computed_from_marks_the_rollups(
    loaded_copy, django_capture_on_commit_callbacks, file, old, new, reason
):
    # given
    edit(loaded_copy / file, old, new)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        report = catalogue_load(data_dir=loaded_copy)

    # then
    assert (catalogue_marks(), len(callbacks), report.rollups_marked) == ([reason], 1, True)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (
            "directives.yaml",
            "title_en: On policies for proactive participation in the Fourth Industrial Revolution\n",
            "title_en: On policies for taking part in the Fourth Industrial Revolution\n",
        ),
        (
            "validation_rules.yaml",
            "message_en: Dossiers received online cannot exceed dossiers received.\n",
            "message_en: Online dossiers cannot exceed dossiers received.\n",
        ),
        ("province-names.csv", ",Nghị quyết 1314/NQ-UBTVQH15\n", ",NQ 1314/NQ-UBTVQH15\n"),
    ],
)
def test_an_edit_that_no_figure_is_computed_from_marks_nothing(
    loaded_copy, django_capture_on_commit_callbacks, file, old, new
):
    # given
    edit(loaded_copy / file, old, new)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        report = catalogue_load(data_dir=loaded_copy)

    # then: the row is updated, the roll-ups are left alone
    assert (report.updated, report.created, report.deleted) == (1, 0, 0)
    assert (DirtyUnit.objects.count(), callbacks, report.rollups_marked) == (0, [], False)


def test_the_command_says_when_it_marked_the_rollups(db):
    # given
    first, second = StringIO(), StringIO()

    # when
    call_command("load_catalogue", stdout=first)
    call_command("load_catalogue", stdout=second)

    # then
    notice = "Danh mục đã thay đổi: số liệu tổng hợp sẽ được tính lại toàn bộ."
    assert first.getvalue().splitlines()[-1] == notice
    assert notice not in second.getvalue()
