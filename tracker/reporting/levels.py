"""Which of a form's elements a report holds, by level (issue 17, two-level government).

From the form's `commune_reporting_from` period on, its commune-level elements are reported by
each commune: a commune report holds only those, and the province report's cells for them are
the read-only roll-up of its communes' approved figures (tracker.reporting.commune_rollup).
Before that period, or on a form without commune reporting, the province enters every element.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period


def commune_reporting_start(form: ReportForm) -> Period | None:
    if not form.commune_reporting_from:
        return None
    try:
        return Period.parse(form.commune_reporting_from)
    except InvalidPeriod:  # the model validates it; a hand-edited row must not break every page
        return None


def commune_reporting_applies(form: ReportForm, period: Period | str) -> bool:
    """True when the form's commune-level elements come from the communes in this period."""
    start = commune_reporting_start(form)
    if start is None:
        return False
    period = Period.parse(period) if isinstance(period, str) else period
    return period.start >= start.start


def commune_element_ids(form: ReportForm, period: Period | str) -> set[int]:
    """Ids of the elements the communes report in this period (empty when the province reports all)."""
    if not commune_reporting_applies(form, period):
        return set()
    return set(form.form_elements.filter(commune_level=True).values_list("element_id", flat=True))


def commune_element_codes(form: ReportForm, period: Period | str) -> set[str]:
    """Codes of the elements the communes report in this period (a province report's rolled-up cells)."""
    if not commune_reporting_applies(form, period):
        return set()
    return set(form.form_elements.filter(commune_level=True).values_list("element__code", flat=True))


def same_unit(submission: Any, prefix: str = "submission__") -> dict[str, object]:
    """Filter keywords for rows of the same reporting unit as `submission`: its commune, or its
    province's own reports (never the province's communes' reports mixed into the province's)."""
    commune_id = getattr(submission, "commune_id", None)
    if commune_id is not None:
        return {f"{prefix}commune_id": commune_id}
    return {f"{prefix}province_id": submission.province_id, f"{prefix}commune__isnull": True}


def edit_refusal(submission: Any) -> str:
    """Why someone may not enter this report's figures."""
    if submission.commune_id is not None:
        return _("Chỉ cán bộ cấp xã của xã này được nhập và gửi báo cáo cấp xã.")
    return _("Chỉ cán bộ nhập liệu của tỉnh được sửa số liệu báo cáo.")
