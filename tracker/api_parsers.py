"""The API's JSON parser: size and nesting are bounded before the body is parsed, and the parsed
strings are checked for what no column can store (tracker.inputs), so that a malformed body is a
400 (or 413) naming the problem in the user's language, never a 500 from the standard library
(Python's json recurses: a few thousand nested brackets raised RecursionError) or the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

from tracker import inputs

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_DEPTH = 32
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPEN, _CLOSE = b"[{", b"]}"


class MalformedJSON(exceptions.ParseError):
    """A parse error worded by the product (tracker.api_errors replaces DRF's own, which quote internals)."""

    checked = True


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def max_bytes() -> int:
    return int(getattr(settings, "API_JSON_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def nesting_depth(data: bytes) -> int:
    """The deepest bracket nesting of a JSON text, counted without parsing it (strings skipped)."""
    brackets = _STRINGS.sub(b"", data).translate(None, delete=bytes(set(range(256)) - set(_OPEN + _CLOSE)))
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in _OPEN else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json_bytes(data: bytes) -> Any:
    """Bounded, strict JSON parsing with messages for people; raises DRF exceptions."""
    limit = max_bytes()
    if len(data) > limit:
        raise PayloadTooLarge(_("Dữ liệu JSON quá lớn (tối đa %(size)s).") % {"size": filesizeformat(limit)})
    if nesting_depth(data) > max_depth():
        raise MalformedJSON(_("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)d cấp).") % {"depth": max_depth()})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSON(_("Dữ liệu JSON không phải là văn bản UTF-8 hợp lệ.")) from exc
    try:
        parsed = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise MalformedJSON(_("Dữ liệu gửi lên không phải là JSON hợp lệ.")) from exc
    bad = inputs.first_bad_string(parsed)
    if bad is not None:
        where, problem = bad
        raise inputs.InputRefused(inputs.field_message(where, problem), field=where, code="invalid_characters")
    return parsed


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        if stream is None:
            return None
        return parse_json_bytes(stream.read(max_bytes() + 1))
