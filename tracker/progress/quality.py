"""Data-quality flags a report would produce if it were approved (issue 12, item 5).

A value that cannot be true (a rate beyond its natural limit or below 0, a negative total) is shown
as "Số liệu cần kiểm tra" instead of a status (progress_measure.impossible). The approver is warned
before approving a report that would produce one: this module computes, on the fly and never
stored, the indicator values of the owners the report feeds (its province, the province it merged
into, the nation) as if that one report were approved, with the other provinces' official figures,
and returns those the engine would flag, by the same function the standings use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from kpis.models import DataElement, Indicator
from provinces.models import Province
from tracker.progress.indicator_values import IndicatorValueBuild
from tracker.progress.models import Level
from tracker.progress.progress_measure import impossible
from tracker.progress.scope import Change, Scope, scopes_for_changes
from tracker.progress.services import Catalogue, _decimal
from tracker.progress.sql import Dialect
from tracker.reporting.models import Submission


@dataclass(frozen=True)
class WouldBeFlag:
    """One indicator value of one owner that approving the report would make impossible."""

    indicator_code: str
    indicator_name: str
    indicator_name_en: str
    unit_label: str  # the indicator's unit of measure ("%", "trạm")
    level: str
    province_name: str  # "" for the nation
    period: str
    value: Decimal
    limit: Decimal | None
    flag: str  # progress_measure.FLAG_BEYOND_LIMIT or FLAG_NEGATIVE_TOTAL


def flags_if_approved(submission: Submission) -> list[WouldBeFlag]:
    """The flags approving `submission` would produce, by indicator code, nation last.

    Only the indicators the report's form feeds, at their own periodicity. The caller has checked
    that the user may approve it (no user here: the approver sees every owner's effect)."""
    element_ids = list(submission.form.elements.values_list("pk", flat=True))
    indicators = {
        item.pk: item for item in Indicator.objects.filter(data_elements__in=element_ids).distinct().order_by("code")
    }
    if not indicators:
        return []
    aggregations = dict(DataElement.objects.values_list("code", "space_aggregation"))
    catalogue = Catalogue.load()
    compiled = [item for item in catalogue.indicators if item.id in indicators]
    scopes = scopes_for_changes(
        [Change(submission.province_id, submission.period_start, submission.period_end)], catalogue.lineage
    )
    # Only the periods at the indicators' own periodicities are judged: a monthly indicator's year
    # (the costliest aggregate) is not computed for nothing.
    wanted = {item.periodicity for item in indicators.values()}
    scopes = [Scope(tuple(p for p in scope.periods if p.periodicity in wanted), scope.keys) for scope in scopes]
    rows = []
    with transaction.atomic(), connection.cursor() as cursor:
        for scope in scopes:
            build = IndicatorValueBuild(
                dialect=Dialect(connection),
                indicators=compiled,
                lineage=catalogue.lineage,
                scope=scope,
                preview=True,
                preview_submission=submission.pk,
            )
            build.build(cursor)
            rows += build.fetch(cursor)
            build.drop(cursor)
    names = dict(Province.objects.filter(pk__in={row["unit"] for row in rows if row["unit"]}).values_list("pk", "name"))
    found = []
    for row in rows:
        indicator = indicators[row["indicator_id"]]
        value = _decimal(row["value"])
        if value is None or row["periodicity"] != indicator.periodicity:
            continue
        limit = indicator.natural_limit
        flag = impossible(
            float(value),
            limit=float(limit) if limit is not None else None,
            extensive=indicator.is_extensive(aggregations),
        )
        if flag:
            found.append(
                WouldBeFlag(
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    indicator_name_en=indicator.name_en,
                    unit_label=indicator.unit,
                    level=row["level"],
                    province_name="" if row["level"] == Level.NATIONAL else names.get(row["unit"], ""),
                    period=row["period"],
                    value=value,
                    limit=limit,
                    flag=flag,
                )
            )
    return sorted(found, key=lambda f: (f.indicator_code, f.province_name == "", f.province_name, f.period))
