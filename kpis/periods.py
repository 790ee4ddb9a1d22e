"""Reporting periods: months `YYYY-MM`, quarters `YYYY-Qn`, years `YYYY`.

One immutable value type so that the API, the forms, the importer and the roll-up engine all
parse and order periods the same way.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _


class Periodicity(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


_PATTERNS = {
    Periodicity.MONTHLY: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    Periodicity.QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    Periodicity.YEARLY: re.compile(r"^(\d{4})$"),
}


class InvalidPeriod(ValueError):
    pass


# Years the product can represent: a period's dates must exist (year 0 does not) and stay within
# what reports, charts and the roll-ups were built for. PERIOD_MIN_YEAR / PERIOD_MAX_YEAR change them.
DEFAULT_MIN_YEAR = 2000
DEFAULT_MAX_YEAR = 2100


def year_range() -> tuple[int, int]:
    return (
        int(getattr(settings, "PERIOD_MIN_YEAR", DEFAULT_MIN_YEAR)),
        int(getattr(settings, "PERIOD_MAX_YEAR", DEFAULT_MAX_YEAR)),
    )


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period. `index` is the month (1-12), quarter (1-4) or 1 for a year."""

    year: int
    periodicity: Periodicity
    index: int

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip()
        for periodicity, pattern in _PATTERNS.items():
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if periodicity != Periodicity.YEARLY else 1
                first, last = year_range()
                if not first <= year <= last:
                    raise InvalidPeriod(
                        _("Kỳ báo cáo “%(text)s” không hợp lệ: năm phải từ %(first)d đến %(last)d.")
                        % {"text": text, "first": first, "last": last}
                    )
                return cls(year, periodicity, index)
        raise InvalidPeriod(
            _("Kỳ báo cáo “%(text)s” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")
            % {"text": _printable(text[:20])}
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, Periodicity.MONTHLY, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, Periodicity.QUARTERLY, quarter)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, Periodicity.YEARLY, 1)

    @classmethod
    def containing(cls, day: datetime.date, periodicity: Periodicity) -> Period:
        if periodicity == Periodicity.MONTHLY:
            return cls.month(day.year, day.month)
        if periodicity == Periodicity.QUARTERLY:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.of_year(day.year)

    def __str__(self) -> str:
        if self.periodicity == Periodicity.MONTHLY:
            return f"{self.year:04d}-{self.index:02d}"
        if self.periodicity == Periodicity.QUARTERLY:
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        if self.periodicity == Periodicity.MONTHLY:
            return self.index
        if self.periodicity == Periodicity.QUARTERLY:
            return 3 * (self.index - 1) + 1
        return 1

    @property
    def last_month(self) -> int:
        if self.periodicity == Periodicity.MONTHLY:
            return self.index
        if self.periodicity == Periodicity.QUARTERLY:
            return 3 * self.index
        return 12

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def months(self) -> list[Period]:
        return [Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def next(self) -> Period:
        last = {Periodicity.MONTHLY: 12, Periodicity.QUARTERLY: 4, Periodicity.YEARLY: 1}[self.periodicity]
        if self.index < last:
            return Period(self.year, self.periodicity, self.index + 1)
        return Period(self.year + 1, self.periodicity, 1)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.periodicity, self.index - 1)
        last = {Periodicity.MONTHLY: 12, Periodicity.QUARTERLY: 4, Periodicity.YEARLY: 1}[self.periodicity]
        return Period(self.year - 1, self.periodicity, last)

    def quarter_of(self) -> Period:
        return Period.quarter(self.year, (self.first_month - 1) // 3 + 1)

    def year_of(self) -> Period:
        return Period.of_year(self.year)

    @property
    def decimal_year(self) -> float:
        """The end of the period as a fractional year (2024-06 -> 2024.5), for progress CAGRs."""
        return self.year + self.last_month / 12


def _printable(text: str) -> str:
    """The refused text as it may be shown back: no control characters, no lone surrogates."""
    return "".join(ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else "?" for ch in text)


def months_between(first: Period, last: Period) -> list[Period]:
    """All months from the first month of `first` to the last month of `last`, inclusive."""
    out: list[Period] = []
    current = Period.month(first.year, first.first_month)
    stop = Period.month(last.year, last.last_month)
    while current <= stop:
        out.append(current)
        current = current.next()
    return out
