"""Small pieces of HTML built in Python where a template loop would be repeated thousands of
times on one page (1 700 province links on a directive with 50 indicators, 100 filter options).
Every value is escaped here; the results are safe strings for the templates."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tracker.dashboards import palette
from tracker.dashboards.rows import IndicatorStanding, Unit

CODE = "__CODE__"  # placeholder in URLs reversed once and filled per row


def province_links(units: Sequence[Unit], indicator_code: str = "") -> SafeString:
    """Links to province pages, comma-separated, opening on the indicator when one is given."""
    pattern = reverse("dashboards:province", args=[CODE])
    query = escape(f"?indicator={quote(indicator_code)}") if indicator_code else ""
    links = (f'<a href="{escape(pattern.replace(CODE, unit.code))}{query}">{escape(unit.name)}</a>' for unit in units)
    return mark_safe(", ".join(links))  # noqa: S308 - every piece is escaped


def options(choices: Sequence[tuple[str, str]], selected: str = "", limit: int = 0) -> SafeString:
    """<option> elements of a filter, the selected one marked, long labels shortened."""
    out = []
    for value, label in choices:
        text = label if not limit or len(label) <= limit else label[: limit - 1] + "…"
        chosen = " selected" if value == selected else ""
        out.append(f'<option value="{escape(value)}"{chosen}>{escape(str(text))}</option>')
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def standing_cell(item: IndicatorStanding, status: str, labels: dict[str, str]) -> SafeString:
    """How many provinces stand in each status on an indicator (badges, best first), and who,
    in a <details> per status; only the chosen status when the page filters by one."""
    counts = item.counts
    badges = "".join(
        f'<span class="badge" style="background: {style.colour}" data-count="{style.code}">'
        f"{style.symbol} {escape(labels[style.code])}: {counts[style.code]}</span>"
        for style in palette.STATUSES_BEST_FIRST
        if counts.get(style.code)
    )
    groups = []
    for style in palette.STATUSES_BEST_FIRST:
        members = item.groups.get(style.code)
        if not members or (status and status != style.code):
            continue
        opened = " open" if status == style.code else ""
        groups.append(
            f"<details{opened}><summary>{style.symbol} {escape(labels[style.code])} ({len(members)})</summary>"
            f'<p data-members="{style.code}">{province_links(members, item.code)}</p></details>'
        )
    return mark_safe(f'<div class="counts-inline">{badges}</div>' + "".join(groups))  # noqa: S308 - escaped above
