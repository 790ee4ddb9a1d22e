"""When each demo report was submitted, returned and approved: realistic reporting behaviour.

Most units submit a few days before the due date and are approved within hours to days; about 6 % are
late; about 4 % are returned once with a comment and corrected. Events after "today" have not
happened yet, so in the open month some units have submitted, some hold drafts and a few have
not started. Lateness counts from the first submission (a resubmission after a return is not
late), and every late first submission is after the due date, so both readings agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from seeds.demo_facts import rng_for

LATE_SHARE = 0.06
RETURNED_SHARE = 0.04
NOT_STARTED_SHARE = 0.15  # of the units whose first submission is still ahead in the open month
RETURN_REASONS = [
    "Số hồ sơ tiếp nhận trực tuyến chưa khớp với Cổng Dịch vụ công quốc gia, đề nghị rà soát lại.",
    "Số trạm 5G chưa khớp số liệu của doanh nghiệp viễn thông, đề nghị kiểm tra lại.",
    "Số hộ có cáp quang chưa thống nhất với báo cáo của Sở, đề nghị đối chiếu và cập nhật.",
]


@dataclass
class Timeline:
    """What happened to one report, as (event, moment) in order: submitted, returned, approved."""

    events: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    return_reason: str = ""
    late: bool = False

    def until(self, now: datetime.datetime) -> Timeline:
        return Timeline([e for e in self.events if e[1] <= now], self.return_reason, self.late)

    def first(self, kind: str) -> datetime.datetime | None:
        return next((at for event, at in self.events if event == kind), None)

    def last(self, kind: str) -> datetime.datetime | None:
        return next((at for event, at in reversed(self.events) if event == kind), None)

    @property
    def status(self) -> str:
        return {"submitted": "submitted", "returned": "returned", "approved": "approved"}.get(
            self.events[-1][0] if self.events else "", "draft"
        )


def _moment(day: datetime.date, rng_hour: float) -> datetime.datetime:
    minutes = int(8 * 60 + rng_hour * 8.5 * 60)  # office hours, 08:00-16:30
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def timeline(key: str, form_code: str, period: str, period_end: datetime.date, due: datetime.date) -> Timeline:
    rng = rng_for("workflow", key, form_code, period)
    draw = rng.random()
    day = datetime.timedelta(days=1)
    late = draw < LATE_SHARE
    first = due + rng.randint(1, 9) * day if late else max(period_end + day, due - rng.randint(0, 6) * day)
    line = Timeline(late=late)
    submitted = _moment(first, rng.random())
    line.events.append(("submitted", submitted))
    if LATE_SHARE <= draw < LATE_SHARE + RETURNED_SHARE:
        returned = _moment(first + rng.randint(1, 2) * day, rng.random())
        line.events.append(("returned", returned))
        line.return_reason = RETURN_REASONS[rng.randrange(len(RETURN_REASONS))]
        submitted = _moment(returned.date() + rng.randint(1, 3) * day, rng.random())
        line.events.append(("submitted", submitted))
    # Leaders approve within hours to a few days (the same day for about a quarter of reports).
    approved = submitted + datetime.timedelta(hours=rng.randint(2, 80))
    line.events.append(("approved", approved))
    return line


def open_month_not_started(key: str, period: str) -> bool:
    return rng_for("not-started", key, period).random() < NOT_STARTED_SHARE


COMMUNE_LATE_SHARE = 0.04
COMMUNE_WINDOW = datetime.timedelta(days=4)


def commune_timeline(
    key: str, form_code: str, period: str, period_end: datetime.date, due: datetime.date, anchor: datetime.datetime
) -> Timeline:
    """A commune's report, around `anchor`, the moment its province first submits.

    The province consolidates its communes' approved figures, so most communes submit in the
    days before (from the last day of the month: communes close their month's book on the last
    working day) and the province's approver approves them before the province submits; about
    4 % are late, after the due date, and approved then (the province's cells follow).
    """
    rng = rng_for("commune-workflow", key, form_code, period)
    line = Timeline(late=rng.random() < COMMUNE_LATE_SHARE)
    if line.late:
        submitted = _moment(max(due, anchor.date()) + datetime.timedelta(days=rng.randint(1, 6)), rng.random())
        approved = submitted + datetime.timedelta(hours=rng.randint(2, 30))
    else:
        # On time even when their province is late: the window closes by the due date.
        end = min(anchor - datetime.timedelta(hours=2), _moment(due, 1.0))
        start = max(_moment(period_end, 0.0), end - COMMUNE_WINDOW)
        end = max(start + datetime.timedelta(hours=1), end)
        submitted = start + (end - start) * rng.random() ** 2  # most communes early in the window
        # The approver reads a commune's report within hours to a day, and before consolidating.
        lag = datetime.timedelta(hours=rng.uniform(1, 26))
        approved = submitted + min(lag, (anchor - datetime.timedelta(minutes=30) - submitted) * 0.9)
    line.events = [("submitted", submitted), ("approved", approved)]
    return line


def insert_rows(model: Any, columns: list[str], rows: list[tuple]) -> None:
    """Plain executemany: model instances for ~170.000 demo values would cost a minute of ORM overhead."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - names from model metadata
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
