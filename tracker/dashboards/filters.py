"""Dashboard filters, read from and written to the URL's query string so a view can be shared.

Unknown codes are ignored (the page falls back to its default) rather than refused: a shared
link to an indicator that was later renamed should still open the page. A period, though, is
parsed by tracker.inputs: a malformed one, or one that has not started, is refused (400), since
the page would otherwise show another period's figures under the asked one's name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict

from kpis.periods import Period
from tracker import inputs
from tracker.dashboards.palette import STATUS_CODES

COLOUR_CHOICES = ("status", "value")


@dataclass(frozen=True)
class Filters:
    period: Period | None = None
    indicator: str = ""
    directive: str = ""
    status: str = ""
    colour: str = "status"
    index: str = ""
    preview: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        period = inputs.period(query["period"], allow_future=False) if query.get("period") else None
        status = query.get("status", "")
        colour = query.get("colour", "status")
        return cls(
            period=period,
            indicator=query.get("indicator", "")[:60],
            directive=query.get("directive", "")[:40],
            status=status if status in STATUS_CODES else "",
            colour=colour if colour in COLOUR_CHOICES else "status",
            index=query.get("index", "")[:40],
            preview=query.get("preview") == "1",
        )

    @classmethod
    def from_request(cls, request: HttpRequest) -> Filters:
        return cls.from_query(request.GET)

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def params(self) -> dict[str, str]:
        """The non-default filters, in a stable order, as they appear in a URL."""
        out: dict[str, str] = {}
        if self.period is not None:
            out["period"] = str(self.period)
        for name in ("indicator", "directive", "status", "index"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.colour != "status":
            out["colour"] = self.colour
        if self.preview:
            out["preview"] = "1"
        return out

    def query(self, **extra: str) -> str:
        params = {**self.params(), **extra}
        return "?" + urlencode(params) if params else ""
