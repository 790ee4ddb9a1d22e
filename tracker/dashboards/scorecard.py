"""The directive scorecard: provinces × directives (or one directive's objective groups).

Each cell is the share of the column's applicable indicators that are achieved or on track
("Đã đạt", "Đúng tiến độ"), among those with a progress status as of the period (a status of
tracker.progress.vocabulary.PROGRESS_CODES; "not applicable" leaves the indicator out, "no data
this period", "not enough data" and "data to check" count as not assessed). The standings are
tracker.progress's headline standings as of the period (`headline_as_of`). A cell says its share
in words and figures ("5/8 · 63 %") as well as by colour, and links to the province × indicator
grid of that directive.

A fixed number of queries whatever the number of provinces: provinces, the directive/objective/
indicator links, and the standings (four).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from kpis.models import Directive, Indicator, Objective
from kpis.periods import Period, Periodicity
from tracker.dashboards import palette, selectors
from tracker.dashboards.formatting import directive_heading, localized, number, period_label
from tracker.dashboards.rows import Unit
from tracker.exports.wording import directive_number, group_label
from tracker.progress.models import Level, Standing
from tracker.progress.selectors import headline_as_of
from tracker.progress.vocabulary import NOT_APPLICABLE, PROGRESS_CODES

GOOD = frozenset({"target_achieved", "substantial_progress"})
# Share of indicators achieved or on track → the status colour the cell is painted with.
BANDS: tuple[tuple[float, str], ...] = (
    (0.75, "target_achieved"),
    (0.5, "substantial_progress"),
    (0.25, "moderate_progress"),
    (0.0001, "limited_progress"),
    (0.0, "deterioration"),
)


PREFIXES = ("Thành phố ", "Tỉnh ", "City ", "Province ")


def sort_key(name: str) -> str:
    """Vietnamese names in dictionary order, close enough: "Tỉnh"/"Thành phố" ignored, diacritics
    off, Đ after D."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    plain = unicodedata.normalize("NFD", name.replace("Đ", "Dz").replace("đ", "dz"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Column:
    key: str
    directive: str
    group: str
    label: str
    title: str
    indicator_ids: tuple[int, ...]


@dataclass
class Cell:
    good: int = 0
    known: int = 0
    total: int = 0
    url: str = ""

    @property
    def share(self) -> float | None:
        return self.good / self.known if self.known else None

    @property
    def status(self) -> str:
        share = self.share
        if share is None:
            return "not_available"
        return next(code for floor, code in BANDS if share >= floor)

    @property
    def colour(self) -> str:
        return palette.status_style(self.status).colour

    @property
    def percent(self) -> str:
        share = self.share
        return "–" if share is None else number(share * 100, 0) + " %"

    @property
    def text(self) -> str:
        if not self.known:
            return _("chưa đủ dữ liệu")
        return f"{self.good}/{self.known} · {self.percent}"


@dataclass
class Row:
    unit: Unit
    cells: list[Cell] = field(default_factory=list)
    overall: Cell = field(default_factory=Cell)


@dataclass
class Scorecard:
    columns: list[Column]
    rows: list[Row]
    period: Period
    directive: str = ""
    directive_title: str = ""
    sort: str = "name"
    descending: bool = False

    @property
    def period_label(self) -> str:
        return period_label(self.period)


def _links() -> list[tuple[str, str, str, str, str, str, str, int]]:
    """(directive code, number, title, title_en, group, objective order, objective code, indicator id)."""
    through = Objective.indicators.through
    return list(
        through.objects.order_by()
        .values_list(
            "objective__directive__code",
            "objective__directive__number",
            "objective__directive__title",
            "objective__directive__title_en",
            "objective__group",
            "objective__order",
            "objective__code",
            "indicator_id",
        )
        .order_by(
            "objective__directive__issued_on", "objective__directive__code", "objective__order", "indicator__code"
        )
    )


def directive_label(number_: str, title: str) -> str:
    return number_ or (title if len(title) <= 40 else title[:38] + "…")


def columns(directive: str = "") -> list[Column]:
    """One column per directive with indicators, or per objective group of one directive."""
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    names: dict[str, tuple[str, str]] = {}
    for code, number_, title, title_en, group, _order, _objective, indicator_id in _links():
        if directive and code != directive:
            continue
        names[code] = (directive_number(number_), localized(title, title_en))
        column_key = (code, group if directive else "")
        if indicator_id not in grouped[column_key]:
            grouped[column_key].append(indicator_id)
    out = []
    for (code, group), ids in grouped.items():
        number_, title = names[code]
        out.append(
            Column(
                key=f"{code}~{group}" if group else code,
                directive=code,
                group=group,
                label=group_label(group) if group else directive_label(number_, title),
                title=f"{number_} – {title}" if number_ else title,
                indicator_ids=tuple(ids),
            )
        )
    return out


def default_period() -> Period:
    """The last computed month, else the last completed one."""
    last = selectors.computed_months().last
    if last is not None:
        return last
    return Period.containing(selectors.today(), Periodicity.MONTHLY).previous()


def statuses_as_of(period: Period, indicator_ids: Sequence[int]) -> dict[tuple[int, int], str]:
    """{(indicator id, province id): status of the headline standing as of the period}."""
    if not indicator_ids:
        return {}
    return {
        (indicator_id, province_id): view.status
        for (indicator_id, province_id), view in headline_as_of(period, indicator_ids=indicator_ids).items()
        if province_id is not None
    }


# While a month's reports are still coming in, most of its cells say "no data this period": the
# scorecard then opens on the newest of the last few months whose monthly standings number at
# least half of the best of them (one query), unless a period is asked for.
MONTHS_LOOKED_AT = 4


def scorecard_period() -> Period:
    months = [default_period()]
    for _step in range(MONTHS_LOOKED_AT - 1):
        months.append(months[-1].previous())
    counts: dict[str, int] = dict(
        Standing.objects.filter(level=Level.PROVINCE, period__in=[str(month) for month in months])
        .values_list("period")
        .annotate(count=Count("pk"))
        .order_by()
    )
    best = max(counts.values(), default=0)
    return next((month for month in months if best and counts.get(str(month), 0) * 2 >= best), months[0])


def _cell(statuses: dict[tuple[int, int], str], unit: Unit, ids: Sequence[int]) -> Cell:
    cell = Cell()
    for indicator_id in ids:
        status = statuses.get((indicator_id, unit.pk), "not_available")
        if status == NOT_APPLICABLE:
            continue
        cell.total += 1
        if status not in PROGRESS_CODES:
            continue
        cell.known += 1
        if status in GOOD:
            cell.good += 1
    return cell


def grid_url(directive: str, province: str = "", group: str = "", period: Period | None = None) -> str:
    params = {"van-ban": directive}
    if period is not None:
        params["period"] = str(period)
    if group:
        params["nhom"] = group
    if province:
        params["tinh"] = province
    anchor = f"#tinh-{province}" if province else ""
    return reverse("dashboards:scorecard_grid") + "?" + urlencode(params) + anchor


def build(
    *,
    directive: str = "",
    sort: str = "name",
    descending: bool = False,
    units: list[Unit] | None = None,
    period: Period | None = None,
    statuses: dict[tuple[int, int], str] | None = None,
) -> Scorecard:
    """The scorecard, sorted by province name or by a column's share (`sort` = column key).
    `units` and their `statuses` ({(indicator id, unit id): status}) are given for other units
    than the provinces (a province's communes, tracker.dashboards.commune_pages)."""
    units = units if units is not None else selectors.current_units()
    cols = columns(directive)
    all_ids = sorted({i for column in cols for i in column.indicator_ids})
    period = period or scorecard_period()
    if statuses is None:
        statuses = statuses_as_of(period, all_ids)
    rows = []
    for unit in units:
        row = Row(unit=unit)
        for column in cols:
            cell = _cell(statuses, unit, column.indicator_ids)
            cell.url = grid_url(column.directive, unit.code, column.group, period)
            row.cells.append(cell)
        row.overall = _cell(statuses, unit, all_ids)
        rows.append(row)
    keys = {column.key: index for index, column in enumerate(cols)}
    if sort in keys or sort == "overall":
        index = keys.get(sort)

        def share_of(row: Row) -> float:
            cell = row.overall if index is None else row.cells[index]
            return cell.share if cell.share is not None else -1.0

        rows.sort(key=lambda row: sort_key(row.unit.name))
        rows.sort(key=share_of, reverse=descending)
    else:
        sort = "name"
        rows.sort(key=lambda row: sort_key(row.unit.name), reverse=descending)
    title = ""
    if directive:
        found = Directive.objects.filter(code=directive).values_list("number", "title", "title_en").first()
        if found:
            title = directive_heading(*found)
    return Scorecard(
        columns=cols,
        rows=rows,
        period=period,
        directive=directive,
        directive_title=title,
        sort=sort,
        descending=descending,
    )


# The drill-down: provinces × the indicators of one directive, grouped by objective group. -----


@dataclass(frozen=True)
class GridGroup:
    label: str
    indicators: list[tuple[str, str]]  # (code, name)


@dataclass
class GridRow:
    unit: Unit
    cells: list[tuple[str, str]]  # (status code, badge text) per indicator


@dataclass
class Grid:
    directive: str
    title: str
    period: Period
    groups: list[GridGroup]
    rows: list[GridRow]
    highlight: str = ""

    @property
    def period_label(self) -> str:
        return period_label(self.period)


def grid(*, directive: str, group: str = "", highlight: str = "", period: Period | None = None) -> Grid | None:
    """Every current province × the directive's indicators (one group's, when given)."""
    found = Directive.objects.filter(code=directive).values_list("number", "title", "title_en").first()
    if found is None:
        return None
    number_, title, title_en = found
    by_group: dict[str, list[int]] = defaultdict(list)
    for code, _n, _t, _te, objective_group, _order, _objective, indicator_id in _links():
        if code != directive or (group and objective_group != group):
            continue
        label = group_label(objective_group) if objective_group else _("Chỉ tiêu")
        if indicator_id not in by_group[label]:
            by_group[label].append(indicator_id)
    ids = sorted({i for ids in by_group.values() for i in ids})
    names = {
        pk: (code, localized(name, name_en))
        for pk, code, name, name_en in Indicator.objects.filter(pk__in=ids).values_list("pk", "code", "name", "name_en")
    }
    groups = [
        GridGroup(label=label, indicators=[names[i] for i in members if i in names])
        for label, members in by_group.items()
    ]
    order = [i for members in by_group.values() for i in members if i in names]
    period = period or default_period()
    statuses = statuses_as_of(period, ids)
    styles = {style.code: f"{style.symbol} {style.label}" for style in palette.STATUSES}
    units = sorted(selectors.current_units(), key=lambda unit: sort_key(unit.name))
    rows = []
    for unit in units:
        cells = []
        for indicator_id in order:
            status = statuses.get((indicator_id, unit.pk), "not_available")
            cells.append((status, styles.get(status, styles["not_available"])))
        rows.append(GridRow(unit=unit, cells=cells))
    heading = directive_heading(number_, title, title_en)
    if group:
        heading = f"{heading} · {group}"
    return Grid(directive=directive, title=heading, period=period, groups=groups, rows=rows, highlight=highlight)
