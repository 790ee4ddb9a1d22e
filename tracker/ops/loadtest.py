"""Month-end load test: every province's officer saves figures (then submits, and its approver
approves) while reviewers load dashboards, against a running server on loopback, for a bounded
time. Afterwards every acknowledged save is checked against the database.

Setup (`load_test_setup`) writes its own form, users, sessions and tokens into the database the
server uses; the run (`load_test_run`) only speaks HTTP, then reads the database to verify.
"""

from __future__ import annotations

import datetime
import http.client
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlparse

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from rest_framework.authtoken.models import Token

from kpis.models import DataElement, Indicator, ReportForm, ReportFormElement
from kpis.periods import Period, Periodicity
from provinces.models import Province
from tracker.accounts.models import Role, User
from tracker.reporting import clock
from tracker.reporting.models import DataValue, Submission

FORM = "LT_MONTHLY"
ELEMENTS = ["LT_RECEIVED", "LT_ONLINE", "LT_ON_TIME", "LT_STAFF", "LT_BUDGET"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SECONDS = 600


class NotLoopback(ValueError):
    pass


@dataclass
class Plan:
    period: str
    officers: dict[str, dict[str, object]]  # province code -> {token, approver_token, submission}
    reviewer_sessions: list[str]
    reviewer_pages: list[str]


@transaction.atomic
def load_test_setup(*, reviewers: int = 5) -> Plan:
    """Idempotent: a simple monthly form, an officer and an approver per current province with an
    open submission for the last ended month, and signed-in reviewer sessions."""
    elements = []
    for code in ELEMENTS:
        element, _created = DataElement.objects.get_or_create(
            code=code, defaults={"name": f"Kiểm thử tải {code}", "value_type": "integer", "min_value": Decimal(0)}
        )
        elements.append(element)
    Indicator.objects.get_or_create(
        code="LT_ONLINE_RATE",
        defaults={
            "name": "Kiểm thử tải: tỷ lệ trực tuyến",
            "numerator": "LT_ONLINE",
            "denominator": "LT_RECEIVED",
            "factor": Decimal(100),
        },
    )
    form, _created = ReportForm.objects.get_or_create(
        code=FORM, defaults={"name": "Biểu kiểm thử tải", "due_day": 5, "lock_days": 3650}
    )
    for order, element in enumerate(elements):
        ReportFormElement.objects.get_or_create(form=form, element=element, defaults={"order": order})
    period = Period.containing(clock.today(), Periodicity.MONTHLY).previous()
    # A rerun starts from drafts again: the test's own form, in the test's own database.
    Submission.objects.filter(form=form, period=str(period), commune__isnull=True).update(
        status=Submission.Status.DRAFT, submitted_at=None, approved_at=None, first_submitted_at=None
    )
    officers: dict[str, dict[str, object]] = {}
    for province in Province.objects.filter(valid_to__isnull=True).order_by("code"):
        officer = _user(f"lt_officer_{province.code}", Role.OFFICER, province)
        approver = _user(f"lt_approver_{province.code}", Role.APPROVER, province)
        submission, _created = Submission.objects.get_or_create(
            province=province,
            commune=None,
            form=form,
            period=str(period),
            defaults={"period_start": period.start, "period_end": period.end, "created_by": officer},
        )
        for element in elements:
            DataValue.objects.get_or_create(submission=submission, element=element)
        officers[province.code] = {
            "token": Token.objects.get_or_create(user=officer)[0].key,
            "approver_token": Token.objects.get_or_create(user=approver)[0].key,
            "submission": submission.pk,
        }
    sessions = [_session(_user(f"lt_reviewer_{n}", Role.REVIEWER, None)) for n in range(reviewers)]
    codes = sorted(officers)
    pages = ["/bang-dieu-khien/", "/bao-cao/hop-thu/", *(f"/bang-dieu-khien/tinh/{c}/" for c in codes[:5])]
    return Plan(period=str(period), officers=officers, reviewer_sessions=sessions, reviewer_pages=pages)


def _user(username: str, role: str, province: Province | None) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"role": role, "province": province})
    return user


def _session(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600)
    store.create()
    return str(store.session_key)


# -- the run -------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    acknowledged: dict[int, dict[str, int]] = field(default_factory=dict)  # submission -> last saved values
    submitted: set[int] = field(default_factory=set)
    approved: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1


class Client:
    def __init__(self, base_url: str, stats: Stats, *, token: str = "", session: str = "") -> None:
        parsed = urlparse(base_url)
        if parsed.hostname not in LOOPBACK:
            raise NotLoopback(f"the load test only targets loopback, not {parsed.hostname}")
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.stats = stats
        self.headers = {"Authorization": f"Token {token}"} if token else {"Cookie": f"sessionid={session}"}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, kind: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            status, raw = 0, b""
        self.stats.record(kind, status, time.perf_counter() - started)
        if status and raw[:1] == b"{":
            return status, json.loads(raw)
        return status, None


def _officer(base_url: str, code: str, plan: dict, stats: Stats, stop_saving: float, stop: float, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test figures, not secrets
    client = Client(base_url, stats, token=str(plan["token"]))
    submission = int(plan["submission"])  # type: ignore[call-overload]
    status, body = client.call("read", "GET", f"/api/v1/submissions/{submission}/")
    version = int(body["version"]) if status == 200 and body else 1
    while time.monotonic() < stop_saving:
        received = rng.randint(1000, 50000)
        values = {
            "LT_RECEIVED": received,
            "LT_ONLINE": rng.randint(0, received),
            "LT_ON_TIME": rng.randint(0, received),
            "LT_STAFF": rng.randint(5, 500),
            "LT_BUDGET": rng.randint(10**6, 10**10),
        }
        status, body = client.call(
            "save",
            "PATCH",
            f"/api/v1/submissions/{submission}/values/",
            {"version": version, "values": [{"element": k, "value": str(v)} for k, v in values.items()]},
        )
        if status == 200 and body:
            version = int(body["version"])
            with stats.lock:
                stats.acknowledged[submission] = values
        elif status == 409 and body:
            version = int(body.get("current_version") or body.get("version") or version)
        time.sleep(rng.uniform(0.2, 0.6))  # an officer types between saves
    status, body = client.call("submit", "POST", f"/api/v1/submissions/{submission}/submit/", {"version": version})
    if status == 200 and body:
        with stats.lock:
            stats.submitted.add(submission)
        approver = Client(base_url, stats, token=str(plan["approver_token"]))
        status, _body = approver.call(
            "approve", "POST", f"/api/v1/submissions/{submission}/approve/", {"version": int(body["version"])}
        )
        if status == 200:
            with stats.lock:
                stats.approved.add(submission)


def _reviewer(base_url: str, session: str, pages: list[str], stats: Stats, stop: float, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311
    client = Client(base_url, stats, session=session)
    while time.monotonic() < stop:
        client.call("page", "GET", rng.choice(pages))
        time.sleep(rng.uniform(0.5, 1.5))  # a reviewer reads the page


@dataclass
class Report:
    seconds: float
    requests: int
    throughput: float
    server_errors: int
    connection_errors: int
    by_kind: dict[str, dict[str, object]]
    lost_saves: list[int]
    lost_submits: list[int]
    lost_approvals: list[int]


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def load_test_run(*, base_url: str, plan: Plan, seconds: int = 120) -> Report:
    if not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(f"duration must be 1..{MAX_SECONDS} s")
    Client(base_url, Stats())  # refuses a non-loopback address before anything starts
    stats = Stats()
    started = time.monotonic()
    stop = started + seconds
    stop_saving = stop - min(15, seconds / 4)
    threads = [
        threading.Thread(target=_officer, args=(base_url, code, p, stats, stop_saving, stop, n), daemon=True)
        for n, (code, p) in enumerate(sorted(plan.officers.items()))
    ] + [
        threading.Thread(target=_reviewer, args=(base_url, s, plan.reviewer_pages, stats, stop, 1000 + n), daemon=True)
        for n, s in enumerate(plan.reviewer_sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, stop - time.monotonic()) + 60)
    elapsed = time.monotonic() - started
    all_latencies = [x for values in stats.latencies.values() for x in values]
    by_kind: dict[str, dict[str, object]] = {}
    for kind, values in sorted(stats.latencies.items()):
        by_kind[kind] = {
            "count": len(values),
            "p50_ms": round(_percentile(values, 50) * 1000, 1),
            "p95_ms": round(_percentile(values, 95) * 1000, 1),
            "p99_ms": round(_percentile(values, 99) * 1000, 1),
            "statuses": dict(sorted(stats.statuses[kind].items())),
        }
    by_kind["all"] = {
        "count": len(all_latencies),
        "p50_ms": round(_percentile(all_latencies, 50) * 1000, 1),
        "p95_ms": round(_percentile(all_latencies, 95) * 1000, 1),
        "p99_ms": round(_percentile(all_latencies, 99) * 1000, 1),
    }
    lost_saves, lost_submits, lost_approvals = _verify(stats)
    statuses = [s for kind in stats.statuses.values() for s, n in kind.items() for _ in range(n)]
    return Report(
        seconds=round(elapsed, 1),
        requests=len(all_latencies),
        throughput=round(len(all_latencies) / elapsed, 1),
        server_errors=sum(1 for s in statuses if s >= 500),
        connection_errors=sum(1 for s in statuses if s == 0),
        by_kind=by_kind,
        lost_saves=lost_saves,
        lost_submits=lost_submits,
        lost_approvals=lost_approvals,
    )


def _verify(stats: Stats) -> tuple[list[int], list[int], list[int]]:
    """Every acknowledged save, submit and approval must be in the database."""
    stored: dict[int, dict[str, int]] = defaultdict(dict)
    for submission, code, value in DataValue.objects.filter(submission__in=list(stats.acknowledged)).values_list(
        "submission_id", "element__code", "value"
    ):
        stored[submission][code] = int(value) if value is not None else -1
    lost_saves = sorted(s for s, values in stats.acknowledged.items() if stored.get(s) != values)
    status = dict(Submission.objects.filter(pk__in=stats.submitted | stats.approved).values_list("pk", "status"))
    lost_submits = sorted(s for s in stats.submitted if status.get(s) not in {"submitted", "approved"})
    lost_approvals = sorted(s for s in stats.approved if status.get(s) != "approved")
    return lost_saves, lost_submits, lost_approvals


def today() -> datetime.date:
    return clock.today()
