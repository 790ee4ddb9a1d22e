"""Benchmark: save a full 60-element monthly form and submit it, through the services and the API;
save one cell of the entry form (services and API); render the entry form page.

    python manage.py bench_reporting [--runs 30] [--elements 60] [--keep]

Goals (issue 14): one cell saved in p95 < 100 ms server time on PostgreSQL; the form page of 57
elements in p95 < 300 ms and < 200 KB of HTML (the benchmark's form has `--elements`, 60 by default).

Builds its own catalogue (codes BENCH_*), a throw-away province (code 00) with a year of approved
history (so outlier checks read real rows), then for each run opens a new month, saves every
element as a Vietnamese-formatted string and submits. Prints median and p95 server time in ms.
Everything it created is removed at the end unless --keep.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from rest_framework.test import APIClient

from kpis.models import DataElement, ReportForm, ReportFormElement, ValidationRule
from kpis.periods import Period
from provinces.models import Province
from tracker.accounts.models import Role, User
from tracker.reporting import cells, services
from tracker.reporting.errors import ValuesInvalid
from tracker.reporting.models import AuditEntry, DataValue, Evidence, LockException, Submission
from tracker.reporting.parsing import parse_number

PREFIX = "BENCH_"
PROVINCE_NAME = "Tỉnh đo hiệu năng"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Time saving and submitting a full monthly form (services and API); prints median and p95."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--elements", type=int, default=60)
        parser.add_argument("--warmup", type=int, default=3, help="uncounted runs first (imports, caches)")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark data")

    def handle(self, *args: Any, runs: int, elements: int, keep: bool, warmup: int, **options: Any) -> None:
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        self._cleanup()
        form, province, officer = self._build(elements)
        months = self._months(2 * (runs + warmup) + 13)
        self._history(form, province, months[:12])
        free = iter(months[12:])
        try:
            # (wall ms, this process's CPU ms): on a busy machine the CPU time shows what the
            # server itself spent, the wall time adds waiting for PostgreSQL and for a core.
            results: dict[str, list[tuple[float, float]]] = {
                "services: save 60 values": [],
                "services: submit": [],
                "services: save + submit": [],
                "API: PATCH values": [],
                "API: POST submit": [],
                "API: PATCH + submit": [],
                "services: save one cell": [],
                "API: POST one cell": [],
                "page: GET entry form": [],
            }
            raw = {f"{PREFIX}{i:03d}": self._raw(i) for i in range(elements)}
            for run in range(warmup + runs):
                submission, _ = services.submission_create(
                    user=officer, province=province, form=form, period=next(free)
                )
                save = self._time(
                    partial(
                        services.submission_values_update, submission=submission, user=officer, version=1, values=raw
                    )
                )
                try:
                    submit = self._time(partial(services.submission_submit, submission=submission, user=officer))
                except ValuesInvalid as exc:
                    raise RuntimeError(f"{submission.period}: {exc.errors}") from exc
                if run < warmup:
                    continue
                results["services: save 60 values"].append(save)
                results["services: submit"].append(submit)
                results["services: save + submit"].append((save[0] + submit[0], save[1] + submit[1]))

            client = APIClient()
            client.force_authenticate(officer)
            # The in-process client talks to "testserver" over plain HTTP.
            local = override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False)
            local.enable()
            body = {"version": 1, "values": [{"element": code, "value": value} for code, value in raw.items()]}
            for run in range(warmup + runs):
                submission, _ = services.submission_create(
                    user=officer, province=province, form=form, period=next(free)
                )
                url = f"/api/v1/submissions/{submission.pk}"
                patch = self._time(partial(self._request, client.patch, f"{url}/values/", body))
                submit = self._time(partial(self._request, client.post, f"{url}/submit/", {}))
                if run < warmup:
                    continue
                results["API: PATCH values"].append(patch)
                results["API: POST submit"].append(submit)
                results["API: PATCH + submit"].append((patch[0] + submit[0], patch[1] + submit[1]))
            page_bytes = self._cells_and_page(client, officer, form, province, next(free), runs, warmup, results)
            local.disable()

            self.stdout.write(
                f"database: {connection.vendor}; {elements} elements; {runs} runs each after {warmup} warm-up runs"
            )
            self.stdout.write(f"load average before: {load_before}")
            self.stdout.write(f"{'measure':28} {'median ms':>10} {'p95 ms':>10} {'CPU median':>11} {'CPU p95':>9}")
            for name, samples in results.items():
                wall = [w for w, _c in samples]
                cpu = [c for _w, c in samples]
                self.stdout.write(
                    f"{name:28} {statistics.median(wall):10.1f} {_p95(wall):10.1f}"
                    f" {statistics.median(cpu):11.1f} {_p95(cpu):9.1f}"
                )
            self.stdout.write(f"entry form page: {page_bytes / 1024:.1f} KB of HTML for {elements} elements")
        finally:
            if not keep:
                self._cleanup()

    def _cells_and_page(
        self,
        client: APIClient,
        officer: User,
        form: ReportForm,
        province: Province,
        period: str,
        runs: int,
        warmup: int,
        results: dict[str, list[tuple[float, float]]],
    ) -> int:
        """One cell saved at a time on a filled draft, as the form does on blur; then the page itself."""
        submission, _ = services.submission_create(user=officer, province=province, form=form, period=period)
        codes = [f"{PREFIX}{i:03d}" for i in range(form.form_elements.count())]
        services.submission_values_update(
            submission=submission, user=officer, version=1, values={code: self._raw(i) for i, code in enumerate(codes)}
        )
        versions = dict.fromkeys(codes, 1)
        for run in range(warmup + runs):
            code = codes[run % len(codes)]
            value = f"{run * 3 + 7}"
            saved = self._time(
                partial(
                    cells.cell_save,
                    submission=submission.pk,
                    user=officer,
                    element=code,
                    raw=value,
                    base_version=versions[code],
                    locale="vi",
                )
            )
            versions[code] += 1
            code = codes[(run + len(codes) // 2) % len(codes)]
            url = f"/api/v1/submissions/{submission.pk}/cells/{code}/"
            body = {"value": f"{run + 1}.234", "version": versions[code], "locale": "vi"}
            posted = self._time(partial(self._request, client.post, url, body))
            versions[code] += 1
            if run >= warmup:
                results["services: save one cell"].append(saved)
                results["API: POST one cell"].append(posted)
        browser = Client()
        browser.force_login(officer)
        size = 0
        for run in range(warmup + runs):
            start, cpu = time.perf_counter(), time.process_time()
            response = browser.get(f"/bao-cao/{submission.pk}/")
            timing = ((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"entry form page: unexpected {response.status_code}")
            size = len(response.content)
            if run >= warmup:
                results["page: GET entry form"].append(timing)
        return size

    @staticmethod
    def _request(method: Callable[..., Any], url: str, body: dict[str, Any]) -> None:
        response = method(url, body, format="json")
        if response.status_code != 200:
            raise RuntimeError(f"unexpected {response.status_code}: {response.content[:300]!r}")

    @staticmethod
    def _time(call: Callable[[], Any]) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        call()
        return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000

    @staticmethod
    def _raw(index: int) -> str:
        # Vietnamese grouping and decimal comma, as officers type them.
        if index % 3 == 0:
            return f"{index + 1}.{(index * 37) % 1000:03d}.{(index * 11) % 1000:03d}"
        if index % 3 == 1:
            return f"{index},5"
        return str(index * 7)

    @staticmethod
    def _months(count: int) -> list[str]:
        period = Period.month(2026, 10)
        out = []
        for _ in range(count):
            out.append(str(period))
            period = period.previous()
        return list(reversed(out))

    @transaction.atomic
    def _build(self, count: int) -> tuple[ReportForm, Province, User]:
        # Past months would be locked; the benchmark measures the unlocked path, as in a normal month.
        form = ReportForm.objects.create(
            code=f"{PREFIX}FORM", name="Biểu đo hiệu năng", periodicity="monthly", lock_days=30000
        )
        kinds = ["integer", "decimal", "decimal"]
        elements = DataElement.objects.bulk_create(
            [
                DataElement(
                    code=f"{PREFIX}{i:03d}",
                    name=f"Chỉ tiêu đo hiệu năng {i}",
                    value_type=kinds[i % 3],
                    min_value=Decimal(0),
                    time_aggregation="sum" if i % 2 else "last",
                )
                for i in range(count)
            ]
        )
        ReportFormElement.objects.bulk_create(
            [
                ReportFormElement(form=form, element=e, order=i, section=f"Mục {i // 10 + 1}")
                for i, e in enumerate(elements)
            ]
        )
        ValidationRule.objects.bulk_create(
            [
                ValidationRule(
                    code=f"{PREFIX}RULE_{i}",
                    left=f"{PREFIX}{i:03d}",
                    operator="<=",
                    right=f"{PREFIX}{i:03d} + {PREFIX}{i + 1:03d} + 1",
                    message=f"Quy tắc đo hiệu năng {i}",
                )
                for i in range(0, min(count - 1, 20), 2)
            ]
        )
        province = Province.objects.create(
            code="00", name=PROVINCE_NAME, kind="tinh", valid_from=datetime.date(2000, 1, 1)
        )
        officer = User.objects.create(username=f"{PREFIX.lower()}officer", role=Role.OFFICER, province=province)
        return form, province, officer

    @transaction.atomic
    def _history(self, form: ReportForm, province: Province, months: list[str]) -> None:
        # Close to what the runs type, so that no figure is an outlier that would block submitting.
        typical = {
            element_id: parse_number(self._raw(int(code[len(PREFIX) :])))
            for element_id, code in form.form_elements.values_list("element_id", "element__code")
        }
        for index, month in enumerate(months):
            wobble = Decimal("1.001") if index % 2 else Decimal("0.999")
            period = Period.parse(month)
            submission = Submission.objects.create(
                province=province,
                form=form,
                period=month,
                period_start=period.start,
                period_end=period.end,
                status="approved",
                has_official_values=True,
            )
            DataValue.objects.bulk_create(
                [
                    DataValue(submission=submission, element_id=e, value=v * wobble, approved_value=v * wobble)
                    for e, v in typical.items()
                ]
            )

    @transaction.atomic
    def _cleanup(self) -> None:
        submissions = Submission.objects.filter(form__code=f"{PREFIX}FORM")
        # The workflow never deletes; the benchmark removes only what it created itself.
        AuditEntry.objects.filter(submission__in=submissions).delete()
        Evidence.objects.filter(submission__in=submissions).delete()
        LockException.objects.filter(submission__in=submissions).delete()
        DataValue.objects.filter(submission__in=submissions).delete()
        submissions.delete()
        ReportForm.objects.filter(code=f"{PREFIX}FORM").delete()
        ValidationRule.objects.filter(code__startswith=PREFIX).delete()
        DataElement.objects.filter(code__startswith=PREFIX).delete()
        User.objects.filter(username=f"{PREFIX.lower()}officer").delete()
        Province.objects.filter(code="00", name=PROVINCE_NAME).delete()
