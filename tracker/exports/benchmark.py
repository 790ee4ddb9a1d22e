"""The export benchmark's data set and its runs (`manage.py bench_exports`).

Everything happens inside one transaction that is rolled back at the end, so the benchmark can
run against any database without leaving anything behind. The data set is national-scale: the
real catalogue (seeds/data), the 34 current units, computed rows for every indicator × unit, and
plausible figures drawn by the demo generator (seeds.demo), which respects the validation rules.
"""

from __future__ import annotations

import csv
import io
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kpis.models import CompositeIndex, DataElement, Indicator, ReportForm, Target
from kpis.periods import Period, Periodicity, months_between
from provinces.models import Province
from provinces.selectors import units_reporting_on
from tracker.accounts.models import Role, User
from tracker.exports import bulk_import, entry_template, reports, services
from tracker.exports.models import ExportJob
from tracker.progress.models import (
    IndexScore,
    IndicatorValue,
    Level,
    ProgressStatus,
    ReportingRate,
    Standing,
    TargetProgress,
)
from tracker.reporting.models import Submission


class _Rollback(Exception):
    pass


@dataclass
class Figure:
    name: str
    runs: list[float]  # wall-clock seconds
    cpu: list[float]  # this process's CPU seconds: comparable on a busy machine
    peak_heap_mb: float
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def measure(name: str, action: Callable[[], Any], *, repeat: int, note: str = "") -> Figure:
    """Median wall time over `repeat` runs, each rolled back to a savepoint; then one traced run for memory."""
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        _in_savepoint(action)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    _in_savepoint(action)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Figure(name=name, runs=runs, cpu=cpu, peak_heap_mb=peak / 1024 / 1024, note=note)


def _in_savepoint(action: Callable[[], Any]) -> None:
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except _Rollback:
        pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# the data set


def month_values(form: ReportForm, province: Province, period: Period) -> dict[str, Decimal]:
    """Plausible figures of one month within each element's range, then pulled under the rules."""
    rng = random.Random(f"{province.code}|{province.valid_from}|{period}")  # noqa: S311 - benchmark figures
    values: dict[str, Decimal] = {}
    for link in form.form_elements.select_related("element").order_by("order", "id"):
        element = link.element
        kind = element.value_type
        low = float(element.min_value) if element.min_value is not None else 0.0
        if kind == DataElement.ValueType.BOOLEAN:
            values[element.code] = Decimal(rng.random() < 0.8)
            continue
        high = float(element.max_value) if element.max_value is not None else None
        if kind == DataElement.ValueType.PERCENT:
            high = min(high, 100.0) if high is not None else 100.0
        top = high if high is not None else low + 100_000
        number = rng.uniform(low + (top - low) * 0.3, top)
        if kind in (DataElement.ValueType.PERCENT, DataElement.ValueType.DECIMAL):
            values[element.code] = Decimal(str(round(number, 2)))
        else:
            values[element.code] = Decimal(int(number))
    return _obeying_rules(values, form, province, period)


def _obeying_rules(
    values: dict[str, Decimal], form: ReportForm, province: Province, period: Period
) -> dict[str, Decimal]:
    """The demo draws each figure on its own; pull a single-element left side under its bound."""
    from kpis.expressions import Ref
    from tracker.reporting.validation import validation_context

    ctx = validation_context(province=province, form=form, period=period)
    for _pass in range(3):
        changed = False
        for rule in ctx.rules:
            left, right = rule.left.evaluate(values), rule.right.evaluate(values)
            if left is None or right is None or rule.rule.operator not in ("<=", "<") or left <= right:
                continue
            if isinstance(rule.left.tree, Ref):
                values[rule.left.tree.code] = (right * Decimal("0.95")).quantize(Decimal(1))
                changed = True
        if not changed:
            break
    return values


def computed_rows(period: Period) -> None:
    """Computed tables for `period` and the period before, as the roll-up engine would leave them."""
    rng = random.Random(7)  # noqa: S311 - benchmark figures, not secrets
    now = timezone.now()
    units: list[Province | None] = [*Province.objects.current().order_by("code"), None]
    indicators = list(Indicator.objects.all())
    rows = []
    for p in (period, period.previous()):
        for indicator in indicators:
            for unit in units:
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        level=Level.NATIONAL if unit is None else Level.PROVINCE,
                        province=unit,
                        period=str(p),
                        periodicity=p.periodicity,
                        period_start=p.start,
                        period_end=p.end,
                        value=Decimal(str(round(rng.uniform(1, 100), 2))),
                        units_count=1,
                        computed_at=now,
                    )
                )
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    statuses = [s.value for s in ProgressStatus]
    progress = []
    for target in Target.objects.filter(province__isnull=True):
        for unit in units:
            progress.append(
                TargetProgress(
                    indicator_id=target.indicator_id,
                    target=target,
                    level=Level.NATIONAL if unit is None else Level.PROVINCE,
                    province=unit,
                    method=TargetProgress.Method.TARGET,
                    status=rng.choice(statuses),
                    current_period=str(period),
                    target_value=target.value,
                    deadline=target.deadline,
                    share_of_way=Decimal(str(round(rng.uniform(0, 1.2), 3))),
                    computed_at=now,
                )
            )
    TargetProgress.objects.bulk_create(progress, batch_size=2000)
    # The same standings as of the quarter: the reports read statuses through headline_as_of.
    Standing.objects.bulk_create(
        [
            Standing(
                indicator_id=row.indicator_id,
                target=row.target,
                level=row.level,
                province=row.province,
                period=str(period),
                periodicity=period.periodicity,
                period_end=period.end,
                status=row.status,
                value_period=str(period),
                target_value=row.target_value,
                deadline=row.deadline,
                share_of_way=row.share_of_way,
                computed_at=now,
            )
            for row in progress
        ],
        batch_size=2000,
    )
    year = period.year_of()
    scores = []
    for index in CompositeIndex.objects.prefetch_related("versions"):
        version = index.versions.first()
        if version is None:
            continue
        ranked = sorted((u for u in units if u is not None), key=lambda _u: rng.random())
        for rank, unit in enumerate(ranked, start=1):
            scores.append(
                IndexScore(
                    index=index,
                    version=version,
                    level=Level.PROVINCE,
                    province=unit,
                    period=str(year),
                    period_start=year.start,
                    score=Decimal(str(round(1 - rank / 50, 4))),
                    rank=rank,
                    computed_at=now,
                )
            )
    IndexScore.objects.bulk_create(scores)
    rates = []
    for form in ReportForm.objects.all():
        for unit in units:
            expected = 3 if unit is not None else 3 * (len(units) - 1)
            rates.append(
                ReportingRate(
                    form=form,
                    level=Level.NATIONAL if unit is None else Level.PROVINCE,
                    province=unit,
                    period=str(period),
                    periodicity=period.periodicity,
                    period_start=period.start,
                    period_end=period.end,
                    expected=expected,
                    received=expected,
                    on_time=expected - (1 if unit is not None and rng.random() < 0.2 else 0),
                    approved=expected,
                    computed_at=now,
                )
            )
    ReportingRate.objects.bulk_create(rates)


def template_upload(form: ReportForm, province: Province, period: Period, user: Any) -> bytes:
    """The month's template as an officer fills it: every value typed in."""
    from openpyxl import load_workbook

    content = entry_template.build_template(province=province, form=form, period=period).content
    values = month_values(form, province, period)
    book = load_workbook(io.BytesIO(content))
    sheet = book[entry_template.DATA_SHEET]
    kinds = dict(DataElement.objects.values_list("code", "value_type"))
    for row in range(entry_template.FIRST_ROW, sheet.max_row + 1):
        code = sheet.cell(row=row, column=entry_template.CODE_COLUMN).value
        if code in values:
            value = values[code]
            cell = sheet.cell(row=row, column=entry_template.VALUE_COLUMN)
            cell.value = ("Có" if value else "Không") if kinds[code] == "boolean" else float(value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def year_csv(form: ReportForm, months: list[Period]) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(bulk_import.HEADER)
    lines = 0
    for month in months:
        for unit in units_reporting_on(month.start).order_by("code"):
            for code, value in month_values(form, unit, month).items():
                writer.writerow([unit.code, str(month), form.code, code, format(value, "f"), ""])
                lines += 1
    return out.getvalue().encode("utf-8"), lines


def run(*, repeat: int, out: Callable[[str], None]) -> list[Figure]:
    figures: list[Figure] = []
    try:
        with transaction.atomic():
            figures = _run(repeat=repeat, out=out)
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _run(*, repeat: int, out: Callable[[str], None]) -> list[Figure]:
    out("Nạp danh mục (seeds/data)…")
    call_command("load_catalogue", stdout=io.StringIO())
    form = ReportForm.objects.filter(periodicity=Periodicity.MONTHLY).order_by("code").first()
    if form is None:
        raise RuntimeError("Danh mục không có biểu mẫu hằng tháng.")
    today = timezone.localdate()
    last_month = Period.containing(today, Periodicity.MONTHLY).previous()
    quarter = Period.containing(today, Periodicity.QUARTERLY).previous()
    province = Province.objects.current().get(code="91")
    officer = User.objects.create(username="bench_officer_91", role=Role.OFFICER, province=province)
    admin = User.objects.create(username="bench_admin", role=Role.ADMIN, is_superuser=True)
    out(f"Bảng tổng hợp cho {quarter} ({Indicator.objects.count()} chỉ tiêu × 35 đơn vị)…")
    computed_rows(quarter)
    for month in quarter.months():
        Submission.objects.create(
            province=province,
            form=form,
            period=str(month),
            period_start=month.start,
            period_end=month.end,
            status="approved",
            first_submitted_at=timezone.now(),
            approved_at=timezone.now(),
        )
    upload = template_upload(form, province, last_month, officer)
    first = last_month
    for _step in range(11):
        first = first.previous()
    months = months_between(first, last_month)
    bulk, lines = year_csv(form, months)
    out(f"Tệp nhập hàng loạt: {lines} dòng, {len(bulk) / 1024:.0f} KB.")

    def province_file(fmt: str) -> Callable[[], None]:
        def render() -> None:
            reports.render_document(reports.province_report(province=province, period=quarter), fmt)

        return render

    def national_job(fmt: str) -> Callable[[], None]:
        """The whole background job: queued, built by the worker's code path, stored."""

        def build() -> None:
            job = ExportJob.objects.create(kind="national", file_format=fmt, period=str(quarter), owner=admin)
            services.export_job_run(job_id=job.pk)
            job.refresh_from_db()
            if job.status != ExportJob.Status.DONE:
                raise RuntimeError(job.error)
            job.file.delete(save=False)

        return build

    def national(fmt: str) -> Callable[[], None]:
        def render() -> None:
            reports.render_document(reports.national_summary(period=quarter), fmt)

        return render

    def template_import() -> None:
        services.entry_template_import(user=officer, name="mau.xlsx", data=upload)

    def year_import() -> None:
        result = bulk_import.bulk_import(user=admin, name="nam.csv", data=bulk, dry_run=False)
        if result.errors:
            raise RuntimeError("; ".join(str(e) for e in result.errors[:3]))

    element_count = form.form_elements.count()
    return [
        measure(f"PDF báo cáo tỉnh ({quarter})", province_file("pdf"), repeat=repeat, note="mục tiêu < 3 s"),
        measure(f"DOCX báo cáo tỉnh ({quarter})", province_file("docx"), repeat=repeat, note="mục tiêu < 3 s"),
        measure(
            f"Tác vụ PDF tổng hợp toàn quốc ({quarter})",
            national_job("pdf"),
            repeat=max(1, repeat // 2),
            note="mục tiêu < 30 s",
        ),
        measure(
            f"Tác vụ DOCX tổng hợp toàn quốc ({quarter})",
            national_job("docx"),
            repeat=max(1, repeat // 2),
            note="mục tiêu < 30 s",
        ),
        measure(f"XLSX tổng hợp toàn quốc ({quarter})", national("xlsx"), repeat=repeat, note="mục tiêu < 10 s"),
        measure(
            f"Nhập mẫu Excel một tháng, một tỉnh ({element_count} chỉ tiêu)",
            template_import,
            repeat=repeat,
            note="mục tiêu < 2 s",
        ),
        measure(f"Nhập hàng loạt một năm, mọi tỉnh ({lines} dòng)", year_import, repeat=1),
    ]
