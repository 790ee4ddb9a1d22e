"""Exports at commune level (issue 17): a province's communes, or one commune, for a period.

- XLSX and CSV: a cover (what the file covers, when its figures were computed), one row per
  commune and commune-level indicator (value, rank in the province, status as of the period, the
  latest earlier value where the period has none) and the communes' reporting. The same document
  as the province report's writers lay out, so the formats carry exactly the same content.
- DHIS2 dataValueSets JSON: the communes' approved figures, orgUnit = the commune's code, with
  its place under the province (tracker.exports.dhis2).

Reads the computed commune tables (tracker.progress.commune_selectors), never the entry tables,
except the DHIS2 file, which is the communes' reported figures themselves.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from kpis.models import Indicator
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.exports import dhis2, selectors
from tracker.exports.document import Amount, Cell, Column, Kind, ReportDocument, Section
from tracker.exports.letterhead import province_letterhead
from tracker.exports.periods import date_text, period_label, period_text
from tracker.exports.reports import Rendered, render_document
from tracker.exports.wording import name_of, unit_label
from tracker.progress import commune_selectors as communes
from tracker.progress import vocabulary
from tracker.progress.standing_selectors import competition_ranks, indicator_period
from tracker.reporting import clock

FORMATS = ("xlsx", "csv", "dhis2")
JSON_TYPE = "application/json"
KIND_LABELS = {kind.value: kind.label for kind in Commune.Kind}


def _amount(value: Decimal | None, places: int = 2) -> Cell:
    return None if value is None else Amount(value, places)


def _scope(province: Province, commune: Commune | None) -> str:
    if commune is None:
        return name_of(province)
    return f"{commune.name} ({commune.code}), {name_of(province)}"


def commune_document(*, province: Province, period: Period, commune: Commune | None = None) -> ReportDocument:
    """The values and statuses of the province's communes (or one commune) as of the period."""
    units = communes.communes_in(province, period)
    indicator_ids = communes.commune_indicator_ids(province.pk)
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).order_by("code"))
    own = {item.pk: indicator_period(item.periodicity, period) for item in indicators}
    values = communes.commune_values(province.pk, sorted(set(own.values())), indicator_ids=list(own))
    shown = [commune] if commune is not None else units
    headlines = communes.commune_headlines(
        period,
        province_id=province.pk,
        indicator_ids=list(own),
        commune_ids=[commune.pk] if commune is not None else None,
    )
    ranks = {
        item.pk: competition_ranks(
            {unit.pk: values.get((item.pk, unit.pk, str(own[item.pk]))) for unit in units},
            lower_is_better=item.direction == Indicator.Direction.LOWER,
        )
        for item in indicators
    }
    rows: list[list[Cell]] = []
    for unit in shown:
        for item in indicators:
            value = values.get((item.pk, unit.pk, str(own[item.pk])))
            view = headlines.get((item.pk, unit.pk))
            status = view.status if view is not None else vocabulary.NO_DATA_THIS_PERIOD
            earlier = view.value if view is not None and value is None else None
            rows.append(
                [
                    unit.code,
                    unit.name,
                    str(KIND_LABELS.get(unit.kind, unit.kind)),
                    item.code,
                    name_of(item),
                    period_text(str(own[item.pk])),
                    _amount(value),
                    unit_label(item.unit),
                    ranks[item.pk].get(unit.pk),
                    vocabulary.status_label(status),
                    _amount(earlier),
                    period_text(view.value_period) if earlier is not None and view and view.value_period else "",
                    _amount(view.target_value if view is not None else None),
                    view.deadline if view is not None else None,
                ]
            )
    rates = communes.commune_reporting(province.pk, period, commune_id=commune.pk if commune else None)
    reporting_rows: list[list[Cell]] = []
    for unit in shown:
        rate = rates.by_commune.get(unit.pk, communes.CommuneRates())
        reporting_rows.append(
            [unit.code, unit.name, rate.expected, rate.received, rate.on_time, rate.missing, rate.approved]
        )
    label = period_label(period)
    computed = selectors.computed_at(period=period)
    filename = f"cap-xa-{province.code}" + (f"-{commune.code}" if commune else "") + f"-{slugify(str(period))}"
    return ReportDocument(
        letterhead=province_letterhead(province=province, day=clock.today()),
        title=_("SỐ LIỆU CẤP XÃ"),
        subject=_("Kết quả các chỉ tiêu cấp xã %(period)s: %(scope)s")
        % {"period": label, "scope": _scope(province, commune)},
        filename=filename,
        sections=[
            Section(
                key=_("Theo xã"),
                title=_("GIÁ TRỊ VÀ TÌNH TRẠNG CÁC CHỈ TIÊU THEO XÃ"),
                columns=[
                    Column(_("Mã xã"), width=8),
                    Column(_("Xã, phường, đặc khu"), width=24),
                    Column(_("Loại"), width=9),
                    Column(_("Mã chỉ tiêu"), width=14),
                    Column(_("Chỉ tiêu"), width=40),
                    Column(_("Kỳ"), width=14),
                    Column(_("Giá trị"), Kind.DECIMAL, width=12),
                    Column(_("Đơn vị tính"), width=10),
                    Column(_("Hạng trong tỉnh"), Kind.INTEGER, width=9),
                    Column(_("Tình trạng"), width=18),
                    Column(_("Giá trị gần nhất trước đó"), Kind.DECIMAL, width=12),
                    Column(_("Kỳ của giá trị trước đó"), width=14),
                    Column(_("Mục tiêu"), Kind.DECIMAL, width=12),
                    Column(_("Thời hạn"), Kind.DATE, width=11),
                ],
                rows=rows,
                empty_text=_("Chưa có số liệu cấp xã."),
            ),
            Section(
                key=_("Báo cáo cấp xã"),
                title=_("TÌNH HÌNH BÁO CÁO CẤP XÃ"),
                columns=[
                    Column(_("Mã xã"), width=8),
                    Column(_("Xã, phường, đặc khu"), width=24),
                    Column(_("Số báo cáo phải nộp"), Kind.INTEGER, width=10),
                    Column(_("Đã nộp"), Kind.INTEGER, width=10),
                    Column(_("Đúng hạn"), Kind.INTEGER, width=10),
                    Column(_("Chưa nộp (quá hạn)"), Kind.INTEGER, width=10),
                    Column(_("Đã được duyệt"), Kind.INTEGER, width=10),
                ],
                rows=reporting_rows,
            ),
        ],
        facts=[
            (_("Kỳ báo cáo"), f"{label} ({period})"),
            (_("Phạm vi"), _scope(province, commune)),
            (_("Số xã, phường, đặc khu"), str(len(shown))),
            (_("Số liệu tổng hợp lúc"), date_text(computed) if computed else _("chưa tổng hợp")),
            (_("Lập lúc"), date_text(clock.now())),
            (_("Tình trạng"), _("cùng nguồn và cách đánh giá với trang tổng quan")),
        ],
    )


def commune_dhis2(*, user: Any, province: Province, period: Period, commune: Commune | None = None) -> dict[str, Any]:
    """The communes' approved figures of the period as a DHIS2 dataValueSet."""
    codes = [commune.code] if commune is not None else [unit.code for unit in communes.communes_in(province, period)]
    if not codes:
        return {"period": dhis2.to_dhis2_period(period), "dataValues": []}
    return dhis2.data_value_set(user=user, org_units=codes, periods=[period], data_sets=[])


def commune_export(
    *, user: Any, province: Province, period: Period, file_format: str, commune: Commune | None = None
) -> Rendered:
    """The file of one format (FORMATS); the caller has checked the user may read it."""
    if file_format == "dhis2":
        body = commune_dhis2(user=user, province=province, period=period, commune=commune)
        name = f"cap-xa-{province.code}" + (f"-{commune.code}" if commune else "") + f"-{slugify(str(period))}"
        return Rendered(
            filename=f"{name}-dhis2.json",
            content=json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
            content_type=JSON_TYPE,
        )
    return render_document(commune_document(province=province, period=period, commune=commune), file_format)
