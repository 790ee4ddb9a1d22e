"""The full recompute split into chunk tasks: the same tables as the in-process run, each chunk
committed once, a failed or lost run redone, one full run at a time."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone

from provinces.models import Province
from tests.factories import FormerProvinceFactory
from tracker.progress import full_run
from tracker.progress.models import ComputationChunk, ComputationRun, DirtyUnit, IndexScore
from tracker.progress.services import rollups_recompute_all

from .tables import computed_tables, empty_computed_tables
from .test_index_scores import make_index

# Years recomputed: from the first report (2024) to this year; chunks: 2 province groups and the
# nation per year, and the finish.
YEARS = timezone.localdate().year - 2024 + 1
CHUNKS = 3 * YEARS


@pytest.fixture
def figures(an_giang, ha_noi, two_provinces, monthly_reports, indicator_factory, data_element_factory, target_factory):
    """Two years across the merger: An Giang's two predecessors, Hà Nội, Hải Phòng, Cao Bằng, and a
    former unit without a current successor; a ratio with a target and a monthly composite index."""
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    share = indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100)
    )
    target_factory(indicator=share, value=Decimal(80), deadline=datetime.date(2030, 12, 31))
    make_index("IDX", "monthly", [("2024-01", "", "100", {"A": 60, "B": 40})])
    FormerProvinceFactory(code="99", name="Tỉnh không có đơn vị kế thừa", successor=None)
    for n, unit in enumerate(Province.objects.former().order_by("code")):
        for month in range(1, 13):
            monthly_reports.approved(
                unit, f"2024-{month:02d}", DVC_ONLINE=10 + month + n, DVC_RECEIVED=40 + n, IDX_A=50 + n, IDX_B=month
            )
    for n, unit in enumerate(Province.objects.current().order_by("code")):
        for month in range(7, 13):
            monthly_reports.approved(
                unit, f"2025-{month:02d}", DVC_ONLINE=30 + n, DVC_RECEIVED=80, IDX_A=60 - n, IDX_B=month + n
            )
    return share


@pytest.fixture
def two_groups(monkeypatch):
    monkeypatch.setenv("PROGRESS_PROVINCE_GROUPS", "2")


def test_provinces_are_grouped_with_their_predecessors(an_giang, ha_noi, two_provinces):
    # given: An Giang with two predecessors, three provinces with one each, a former unit alone
    orphan = cast(Province, FormerProvinceFactory(code="99", successor=None))
    lineage = full_run.Catalogue.load().lineage
    hai_phong, cao_bang = two_provinces

    # when
    groups = full_run.plan_groups(lineage, 2)

    # then: the heaviest lineage first, each next one to the lighter group: An Giang (3 units) and
    # Cao Bằng (2) against Hà Nội (2), Hải Phòng (2) and the former unit alone (1)
    assert sorted(sorted(group) for group in groups) == sorted(
        [sorted([an_giang.pk, cao_bang.pk]), sorted([ha_noi.pk, hai_phong.pk, orphan.pk])]
    )
    keys = full_run.chunk_keys([an_giang.pk, orphan.pk], lineage)
    assert sorted((k.level, k.province_id) for k in keys) == sorted(
        [("province", an_giang.pk), ("former", orphan.pk)]
        + [("former", p.pk) for p in Province.objects.former().filter(successor=an_giang)]
    )


@pytest.mark.django_db
def test_a_split_run_writes_exactly_the_tables_of_the_in_process_run(figures, two_groups):
    # given: the tables of the in-process run
    rollups_recompute_all()
    single = computed_tables(with_identity=False)
    assert IndexScore.objects.count() > 0
    empty_computed_tables()

    # when: the same in chunks (in the caller's transaction)
    full_run.rollups_recompute_all_split(reason="test")

    # then: every row of every table is the same
    assert computed_tables(with_identity=False) == single
    run = ComputationRun.objects.filter(status="done", chunks__isnull=False).distinct().get()
    assert (run.chunks_total, run.chunks_done) == (CHUNKS + 1, CHUNKS + 1)
    assert not DirtyUnit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_chunks_run_as_tasks_commit_one_by_one_and_the_last_one_finishes_the_run(figures, two_groups):
    # given
    rollups_recompute_all()
    single = computed_tables(with_identity=False)
    empty_computed_tables()

    # when: in-process tasks, each chunk in its own transaction, the finish enqueued on commit
    full_run.rollups_recompute_all_split(reason="test")

    # then
    assert computed_tables(with_identity=False) == single
    run = ComputationRun.objects.filter(chunks__isnull=False).distinct().get()
    assert (run.status, run.chunks_done, run.chunks_total) == ("done", CHUNKS + 1, CHUNKS + 1)
    assert ComputationChunk.objects.filter(run=run, done_at__isnull=True).count() == 0
    assert not DirtyUnit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_chunk_delivered_again_after_its_commit_changes_nothing(figures, two_groups):
    # given: a finished split run
    full_run.rollups_recompute_all_split(reason="test")
    before = computed_tables()
    run = ComputationRun.objects.filter(chunks__isnull=False).distinct().get()

    # when: a worker lost after committing a chunk, before acknowledging it: the task comes again
    redone = [full_run.rollups_recompute_chunk(chunk.pk) for chunk in run.chunks.all()]
    finished_again = full_run.rollups_finish_full_run(run.pk)

    # then
    assert redone == [0] * CHUNKS
    assert finished_again == 0
    assert computed_tables() == before
    run.refresh_from_db()
    assert (run.status, run.chunks_done) == ("done", CHUNKS + 1)


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_chunk_failed_is_redone_to_the_same_tables(figures, two_groups, monkeypatch):
    # given: the clean tables, then empty ones
    rollups_recompute_all()
    clean = computed_tables(with_identity=False)
    empty_computed_tables()

    # when: the nation's chunk of 2025 fails (a lost database connection, say)
    def fail_national_2025(work):
        if work.year == 2025 and not work.province_ids:
            raise RuntimeError("connection lost")
        return 0

    monkeypatch.setattr(full_run, "CHUNK_STEPS", [*full_run.CHUNK_STEPS, fail_national_2025])
    with pytest.raises(RuntimeError):
        full_run.rollups_recompute_all_split(reason="test")
    monkeypatch.undo()

    # then: the run failed, its fill-state row stays, and the next run redoes it all
    failed = ComputationRun.objects.get(status="failed")
    assert failed.status == "failed"
    assert "connection lost" in failed.error
    assert DirtyUnit.objects.filter(province__isnull=True).count() == 1
    assert computed_tables(with_identity=False) != clean
    full_run.rollups_recompute_all_split(reason="sweep")
    assert computed_tables(with_identity=False) == clean
    assert not DirtyUnit.objects.exists()
    assert list(ComputationRun.objects.filter(kind="full").order_by("id").values_list("status", flat=True)) == [
        "done",
        "failed",
        "done",
    ]


@pytest.mark.django_db(transaction=True)
def test_one_full_run_at_a_time_and_a_lost_split_run_is_replaced(figures, two_groups, monkeypatch):
    # given: a split run started, its chunks queued to workers that are not there
    monkeypatch.setattr(full_run, "enqueue_chunks", lambda chunks: None)
    full_run.rollups_recompute_all_split(reason="test")
    lost = ComputationRun.objects.get(kind="full")

    # when: another full run is asked for, in-process or split
    in_process = rollups_recompute_all()
    split = full_run.start_split_run(reason="test")

    # then: neither starts
    assert (in_process, split) == (0, None)
    assert ComputationRun.objects.filter(kind="full").count() == 1

    # when: the run made no progress for longer than the stale delay
    ComputationRun.objects.filter(pk=lost.pk).update(progress_at=timezone.now() - datetime.timedelta(hours=1))
    monkeypatch.undo()
    full_run.rollups_recompute_all_split(reason="sweep")

    # then: a new run replaced it, and its chunks left in the queue do nothing
    lost.refresh_from_db()
    assert lost.status == "abandoned"
    assert [full_run.rollups_recompute_chunk(chunk.pk) for chunk in lost.chunks.all()] == [0] * CHUNKS
    assert ComputationRun.objects.exclude(pk=lost.pk).get().status == "done"
    assert not DirtyUnit.objects.exists()
