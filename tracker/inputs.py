"""One parser for every value that comes from outside: the API, the web forms, Excel and CSV
uploads, DHIS2 payloads and dashboard links all read periods, codes, numbers and text here.

Each function either returns a clean value or raises `InputRefused` with a sentence in the
user's language naming what was wrong, so that every path refuses the same input with the same
words, and refuses it before anything is written.

Text: PostgreSQL cannot store NUL, UTF-8 cannot encode a lone surrogate (U+D800–U+DFFF), and the
Excel writer cannot store the other C0 control characters, so a value holding one of them would
be saved on one engine and break a download (or the save itself) later. Tab, line feed and
carriage return are ordinary in multi-line comments and are kept.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.periods import InvalidPeriod, Period

# C0 controls except tab, line feed, carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The same controls as bytes, for uploads read before decoding (C1 controls are valid UTF-8
# continuation bytes, so only C0 and DEL are checked on bytes).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InputRefused(ValueError):
    def __init__(self, message: str, *, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def printable(text: str, limit: int = 40) -> str:
    """A refused value as it may be echoed back in a message: bounded, with no control characters."""
    shown = _SURROGATE.sub("?", _CONTROL.sub("?", text[:limit]))
    return shown + ("…" if len(text) > limit else "")


# ---------------------------------------------------------------------------------------------
# text


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if _SURROGATE.search(value):
        return _("chứa ký tự Unicode không hợp lệ (nửa cặp thay thế).")
    if _CONTROL.search(value):
        return _("chứa ký tự điều khiển không hợp lệ.")
    return None


def text(value: object, *, field: str = "", max_length: int | None = None, strip: bool = True) -> str:
    """A text value: refused when it holds control characters or lone surrogates, or is too long."""
    result = "" if value is None else str(value)
    if strip:
        result = result.strip()
    problem = text_problem(result)
    if problem:
        raise InputRefused(field_message(field, problem), field=field, code="invalid_characters")
    if max_length is not None and len(result) > max_length:
        raise InputRefused(
            field_message(field, _("dài quá %(max)d ký tự.") % {"max": max_length}),
            field=field,
        )
    return result


def storable(value: str) -> str:
    """Text already stored, made safe to write into a file (Excel, CSV): controls and lone
    surrogates become "?" instead of breaking the download for everyone."""
    return _SURROGATE.sub("?", _CONTROL.sub("?", value))


def field_message(field: str, problem: str) -> str:
    if field:
        return _("Trường “%(field)s” %(problem)s") % {"field": field, "problem": problem}
    return _("Giá trị %(problem)s") % {"problem": problem}


def first_bad_string(data: object, path: str = "") -> tuple[str, str] | None:
    """The first string (key or value) in parsed JSON that cannot be stored, as (path, problem)."""
    stack: list[tuple[str, object]] = [(path, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return where or "body", problem
        elif isinstance(item, dict):
            for key, value in item.items():
                key_text = str(key)
                child = f"{where}.{key_text}" if where else key_text
                problem = text_problem(key_text)
                if problem:
                    return printable(child), problem
                stack.append((child, value))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", value) for index, value in enumerate(item))
    return None


# ---------------------------------------------------------------------------------------------
# uploads


def control_byte_offset(data: bytes) -> int | None:
    """Where the first NUL or other control byte sits in a text upload (CSV), or None."""
    match = _CONTROL_BYTES.search(data)
    return match.start() if match else None


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# ---------------------------------------------------------------------------------------------
# periods, codes, numbers


def period(value: object, *, field: str = "period", allow_future: bool = True) -> Period:
    """A reporting period (YYYY-MM, YYYY-Qn, YYYY) within the representable years.

    `allow_future=False` also refuses a period that has not started yet: nothing can have been
    reported for it, so a dashboard or a query about it is a mistake, not an empty answer.
    """
    raw = "" if value is None else str(value)
    problem = text_problem(raw)
    if problem:
        raise InputRefused(field_message(field, problem), field=field, code="invalid_characters")
    try:
        parsed = Period.parse(raw)
    except InvalidPeriod as exc:
        raise InputRefused(str(exc), field=field) from exc
    if not allow_future and parsed.start > today():
        raise InputRefused(_("Kỳ %(period)s chưa bắt đầu.") % {"period": parsed}, field=field)
    return parsed


def today() -> datetime.date:
    return timezone.localdate()


def code(value: object, *, field: str, pattern: str = r"^[A-Za-z0-9_.\-]{1,60}$") -> str:
    """An identifier (indicator, element, form, province code): letters, digits, `_ . -` only."""
    result = text(value, field=field)
    if not re.fullmatch(pattern, result):
        raise InputRefused(
            _("Mã “%(value)s” của trường “%(field)s” không hợp lệ.") % {"value": printable(result), "field": field},
            field=field,
        )
    return result


def choice(value: object, choices: list[str] | tuple[str, ...], *, field: str) -> str:
    """One of a closed set of values (a status, a level): anything else is refused, not ignored."""
    result = text(value, field=field)
    if result not in choices:
        raise InputRefused(
            _("Giá trị “%(value)s” của trường “%(field)s” không hợp lệ: chọn một trong %(choices)s.")
            % {"value": printable(result), "field": field, "choices": ", ".join(choices)},
            field=field,
        )
    return result


TRUE, FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


def boolean(value: object, *, field: str, default: bool = False) -> bool:
    """true/false (or 1/0, yes/no); anything else is refused rather than read as false."""
    result = text(value, field=field).lower()
    if result == "":
        return default
    if result in TRUE | FALSE:
        return result in TRUE
    raise InputRefused(
        _("Trường “%(field)s” phải là true hoặc false.") % {"field": field},
        field=field,
    )


def count(value: object, *, field: str, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number of rows, items or an offset, within bounds."""
    result = text(value, field=field)
    if (
        not re.fullmatch(r"\d{1,12}", result)
        or int(result) < minimum
        or (maximum is not None and int(result) > maximum)
    ):
        bounds = (
            _("từ %(min)d đến %(max)d") % {"min": minimum, "max": maximum}
            if maximum is not None
            else _("từ %(min)d trở lên") % {"min": minimum}
        )
        raise InputRefused(
            _("Trường “%(field)s” phải là số nguyên %(bounds)s.") % {"field": field, "bounds": bounds}, field=field
        )
    return int(result)


def number(value: object, *, field: str, max_digits: int = 20, decimal_places: int = 6) -> Decimal:
    """A finite decimal number that fits the stored columns; text is read with a dot as decimal point."""
    if isinstance(value, bool):
        raise InputRefused(_("Trường “%(field)s” phải là một số.") % {"field": field}, field=field)
    try:
        result = Decimal(text(value, field=field)) if not isinstance(value, int | float) else Decimal(str(value))
    except InvalidOperation as exc:
        raise InputRefused(_("Trường “%(field)s” phải là một số.") % {"field": field}, field=field) from exc
    if not result.is_finite():
        raise InputRefused(_("Trường “%(field)s” phải là một số.") % {"field": field}, field=field)
    integer_digits = max(result.adjusted() + 1, 0)
    if integer_digits > max_digits - decimal_places:
        raise InputRefused(_("Trường “%(field)s”: số quá lớn.") % {"field": field}, field=field)
    return result
