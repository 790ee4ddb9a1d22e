"""Typed reading of one YAML mapping, with every problem recorded against its file and line."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from kpis.periods import InvalidPeriod, Period
from seeds.errors import SeedError
from seeds.yaml_lines import LineDict

_MISSING = object()


class Problems:
    """Collects SeedErrors so that one run reports every problem, not just the first."""

    def __init__(self) -> None:
        self.errors: list[SeedError] = []

    def add(self, file: str, line: int, reason: str) -> None:
        self.errors.append(SeedError(file, line, reason))


class Section:
    """The fields of one mapping in one seed file.

    Unknown keys are refused (a misspelt `denominatr` must not be silently ignored); string
    lengths are checked against the model field of the same name so the database never
    truncates or refuses a value later.
    """

    def __init__(
        self,
        problems: Problems,
        file: str,
        mapping: LineDict,
        *,
        allowed: set[str],
        model: type[models.Model] | None = None,
    ) -> None:
        self.problems = problems
        self.file = file
        self.mapping = mapping
        self.model = model
        self.ok = True
        for key in mapping:
            if key not in allowed:
                self.fail(str(key), _("Trường “%(key)s” không được hỗ trợ.") % {"key": key})

    @property
    def line(self) -> int:
        return self.mapping.line

    def line_of(self, key: str) -> int:
        return self.mapping.line_of(key)

    def fail(self, key: str | None, reason: str) -> None:
        self.ok = False
        self.problems.add(self.file, self.mapping.line_of(key) if key else self.mapping.line, reason)

    def _raw(self, key: str, required: bool) -> Any:
        value = self.mapping.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.fail(None, _("Thiếu trường bắt buộc “%(key)s”.") % {"key": key})
            return _MISSING
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self._raw(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, (dict, list)):
            self.fail(key, _("Trường “%(key)s” phải là một chuỗi.") % {"key": key})
            return default
        text = str(value).strip()
        if required and not text:
            self.fail(key, _("Trường “%(key)s” không được để trống.") % {"key": key})
        max_length = self._max_length(key)
        if max_length is not None and len(text) > max_length:
            self.fail(
                key,
                _("Trường “%(key)s” dài %(length)d ký tự, tối đa %(max)d.")
                % {"key": key, "length": len(text), "max": max_length},
            )
        return text

    def code(self, key: str, pattern: str, *, required: bool = True) -> str:
        value = self._raw(key, required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.fail(
                key,
                _("Mã “%(value)s” ở trường “%(key)s” phải viết như một chuỗi (đặt trong dấu nháy).")
                % {"value": value, "key": key},
            )
            return ""
        if not re.fullmatch(pattern, value):
            self.fail(key, _("Mã “%(value)s” ở trường “%(key)s” không hợp lệ.") % {"value": value, "key": key})
            return ""
        max_length = self._max_length(key)
        if max_length is not None and len(value) > max_length:
            self.fail(
                key,
                _("Trường “%(key)s” dài %(length)d ký tự, tối đa %(max)d.")
                % {"key": key, "length": len(value), "max": max_length},
            )
        return value

    def decimal(self, key: str, *, required: bool = False, default: Decimal | None = None) -> Decimal | None:
        value = self._raw(key, required)
        if value is _MISSING:
            return default
        return self.to_decimal(key, value)

    def to_decimal(self, key: str, value: Any) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(key, _("Giá trị “%(value)s” ở trường “%(key)s” không phải là số.") % {"value": value, "key": key})
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(key, _("Giá trị “%(value)s” ở trường “%(key)s” không phải là số.") % {"value": value, "key": key})
            return None
        if not number.is_finite():
            self.fail(key, _("Giá trị “%(value)s” ở trường “%(key)s” không phải là số.") % {"value": value, "key": key})
            return None
        # The catalogue's decimal columns hold 24 digits, 6 after the point.
        _sign, digits, exponent = number.normalize().as_tuple()
        assert isinstance(exponent, int)  # noqa: S101 - finite numbers have an integer exponent
        decimals = max(0, -exponent)
        integer_digits = max(0, len(digits) + exponent)
        if decimals > 6 or integer_digits > 18:
            self.fail(
                key, _("Giá trị “%(value)s” ở trường “%(key)s” có quá nhiều chữ số.") % {"value": value, "key": key}
            )
            return None
        return number

    def integer(self, key: str, *, default: int, minimum: int = 0, maximum: int | None = None) -> int:
        value = self._raw(key, False)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, _("Trường “%(key)s” phải là số nguyên.") % {"key": key})
            return default
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"[{minimum}, {maximum}]" if maximum is not None else f"≥ {minimum}"
            self.fail(
                key,
                _("Trường “%(key)s” = %(value)s nằm ngoài khoảng %(bound)s.")
                % {"key": key, "value": value, "bound": bound},
            )
            return default
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self._raw(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(key, _("Trường “%(key)s” phải là true hoặc false.") % {"key": key})
            return default
        return value

    def date(self, key: str, *, required: bool = False) -> datetime.date | None:
        value = self._raw(key, required)
        if value is _MISSING:
            return None
        return self.to_date(key, value)

    def to_date(self, key: str, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                key,
                _("Ngày “%(value)s” ở trường “%(key)s” không hợp lệ (dùng YYYY-MM-DD).") % {"value": value, "key": key},
            )
            return None

    def choice(self, key: str, choices: list[str], *, default: str | None = None) -> str:
        value = self._raw(key, default is None)
        if value is _MISSING:
            return default or ""
        if value not in choices:
            self.fail(
                key,
                _("Giá trị “%(value)s” ở trường “%(key)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"value": value, "key": key, "choices": ", ".join(choices)},
            )
            return default or ""
        return str(value)

    def period(self, key: str, *, required: bool = False) -> str:
        value = self._raw(key, required)
        if value is _MISSING:
            return ""
        try:
            return str(Period.parse(str(value)))
        except InvalidPeriod as exc:
            self.fail(key, str(exc))
            return ""

    def items(self, key: str, *, required: bool = False) -> list[Any]:
        value = self._raw(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.fail(key, _("Trường “%(key)s” phải là một danh sách.") % {"key": key})
            return []
        return value

    def _max_length(self, key: str) -> int | None:
        if self.model is None:
            return None
        try:
            field = self.model._meta.get_field(key)
        except FieldDoesNotExist:  # keys that are not model fields have no length limit
            return None
        return getattr(field, "max_length", None)


def mappings(problems: Problems, file: str, items: list[Any], line: int, what: str) -> list[LineDict]:
    """The mappings of a YAML list; anything else in it is an error at the list's line."""
    out: list[LineDict] = []
    for item in items:
        if isinstance(item, LineDict):
            out.append(item)
        else:
            problems.add(file, line, _("Mỗi %(what)s phải là một bảng “khóa: giá trị”.") % {"what": what})
    return out
