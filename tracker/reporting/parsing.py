"""Reading a figure typed by a person, pasted from Excel or sent by an integrator.

The rule for separators (documented in the README, tested in test_parsing.py):

- Spaces (also non-breaking) may group thousands: `1 234 567`.
- With both `.` and `,` the one that comes last is the decimal mark and the other must group
  thousands correctly: `1.234,5` (Vietnamese) and `1,234.5` (English) are both 1234.5.
- With one kind only, appearing more than once, it groups thousands: `1.234.567` = 1234567.
- With one kind only, appearing once, it is the decimal mark (`12,5` = `12.5` = 12.5) unless it
  is followed by exactly three digits and preceded by one to three digits that do not start with
  0: `1.234`, `1,234` and `123,456` are refused as ambiguous (a thousand and more, or a little
  more than one?). Write `1234` for the integer, or `1,2340` for the decimal. `0,234` and
  `1234,567` are not ambiguous.
- A leading `-` or `+`; a trailing `%` for percentages only. No exponents, no currency signs.
- Booleans: có/không, co/khong, yes/no, true/false, đúng/sai, 1/0 (any case).

On a page in a known language (`locale="vi"` or `"en"`), nothing is ambiguous: the page's own
marks decide. Vietnamese groups with `.` and writes decimals with `,` (`1.234` = 1234, `1234,5` =
1234.5), English the other way round. A lone mark of the page's grouping kind that cannot be a
thousands group (`12.5` on a Vietnamese page) is read as the decimal mark rather than refused.
The browser receives these marks with the form (see entry.py) and reads typed text the same way.

JSON numbers and booleans from the API are taken as they are.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kpis.models import DataElement

MAX_RAW_LENGTH = 60
# DataValue stores 24 digits with 6 decimals: 18 digits before the decimal mark.
MAX_ABS = Decimal(10) ** 18
MAX_DECIMALS = 6

_TRUE = {"có", "co", "yes", "y", "true", "đúng", "dung", "1", "x"}
_FALSE = {"không", "khong", "no", "n", "false", "sai", "0"}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\t": " "})
_ALLOWED = re.compile(r"^[0-9][0-9., ]*$")


class ParseError(ValueError):
    """The raw input is not a value of the element's type; the message says why (without the name)."""


def _ungroup(part: str, raw: str) -> str:
    """Digits of an integer part that may group thousands with one separator (., , or space)."""
    separators = {c for c in part if c in "., "}
    if not separators:
        return part
    if len(separators) > 1:
        raise ParseError(_("“%(raw)s” viết sai dấu phân cách hàng nghìn.") % {"raw": raw})
    groups = part.split(separators.pop())
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and groups[0].isdigit()):
        raise ParseError(_("“%(raw)s” viết sai dấu phân cách hàng nghìn.") % {"raw": raw})
    if not all(g.isdigit() for g in groups[1:]):
        raise ParseError(_("“%(raw)s” viết sai dấu phân cách hàng nghìn.") % {"raw": raw})
    return "".join(groups)


LOCALE_MARKS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def locale_marks(locale: str | None) -> tuple[str, str] | None:
    """(thousands, decimal) of a page language, or None for the strict language-free reading."""
    if not locale:
        return None
    return LOCALE_MARKS.get(locale.split("-")[0].lower())


def _is_group(int_part: str, frac: str) -> bool:
    return (
        len(frac) == 3
        and frac.isdigit()
        and int_part.isdigit()
        and 1 <= len(int_part) <= 3
        and not int_part.startswith("0")
    )


def parse_number(raw: str, *, allow_percent_sign: bool = False, locale: str | None = None) -> Decimal:
    text = raw.translate(_SPACES).strip()
    if allow_percent_sign and text.endswith("%"):
        text = text[:-1].rstrip()
    negative = False
    if text[:1] in ("-", "+"):
        negative = text[0] == "-"
        text = text[1:].lstrip()
    if not text or not _ALLOWED.match(text) or not text[-1].isdigit():
        raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw})
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        if text.count(decimal_mark) != 1:
            raise ParseError(_("“%(raw)s” viết sai dấu phân cách hàng nghìn.") % {"raw": raw})
        int_part, frac = text.split(decimal_mark)
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        if text.count(mark) > 1:
            int_part, frac = text, ""
        else:
            int_part, frac = text.split(mark)
            marks = locale_marks(locale)
            if marks is not None:
                # The page's language decides: its grouping mark before exactly three digits groups.
                if mark == marks[0] and _is_group(int_part, frac):
                    int_part, frac = int_part + frac, ""
            elif _is_group(int_part, frac):
                raise ParseError(
                    _(
                        "“%(raw)s” không rõ nghĩa: dấu “%(mark)s” có thể là dấu phân cách hàng nghìn hoặc"
                        " dấu thập phân. Viết %(integer)s nếu là số nguyên, %(decimal)s nếu là số thập phân."
                    )
                    % {"raw": raw, "mark": mark, "integer": int_part + frac, "decimal": f"{int_part},{frac}0"}
                )
    else:
        int_part, frac = text, ""
    if frac and not frac.isdigit():
        raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw})
    digits = _ungroup(int_part, raw) if int_part else "0"
    try:
        number = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation as exc:  # pragma: no cover - the checks above leave only digits
        raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw}) from exc
    return -number if negative else number


def parse_boolean(raw: str) -> Decimal:
    word = raw.strip().lower()
    if word in _TRUE:
        return Decimal(1)
    if word in _FALSE:
        return Decimal(0)
    raise ParseError(_("“%(raw)s” không phải là giá trị Có/Không (có, không, yes, no, 1, 0).") % {"raw": raw})


def parse_value(raw: object, element: DataElement, *, locale: str | None = None) -> Decimal | None:
    """The element's value for a raw input (str, JSON number or boolean); None for empty.

    Only the form of the input is checked here; ranges are checked by validation.check_range.
    """
    if raw is None:
        return None
    is_boolean = element.value_type == DataElement.ValueType.BOOLEAN
    if isinstance(raw, bool):
        if not is_boolean:
            raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw})
        return Decimal(int(raw))
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation as exc:
            raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw}) from exc
        if not number.is_finite():
            raise ParseError(_("“%(raw)s” không phải là số.") % {"raw": raw})
        if is_boolean and number not in (0, 1):
            raise ParseError(_("“%(raw)s” không phải là giá trị Có/Không (có, không, yes, no, 1, 0).") % {"raw": raw})
        return _bounded(number, str(raw))
    if not isinstance(raw, str):
        raise ParseError(_("Giá trị phải là chuỗi ký tự, số hoặc Có/Không."))
    if raw.strip() == "":
        return None
    if len(raw) > MAX_RAW_LENGTH:
        raise ParseError(_("Giá trị dài quá %(max)d ký tự.") % {"max": MAX_RAW_LENGTH})
    if is_boolean:
        return parse_boolean(raw)
    number = parse_number(raw, allow_percent_sign=element.value_type == DataElement.ValueType.PERCENT, locale=locale)
    return _bounded(number, raw)


def _bounded(number: Decimal, raw: str) -> Decimal:
    if abs(number) >= MAX_ABS:
        raise ParseError(_("“%(raw)s” quá lớn (tối đa 18 chữ số phần nguyên).") % {"raw": raw})
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS and number != number.quantize(Decimal("1e-6")):
        raise ParseError(_("“%(raw)s” có quá %(max)d chữ số thập phân.") % {"raw": raw, "max": MAX_DECIMALS})
    return number
