"""Checking, dissolving, simplifying and storing an uploaded boundary file (GeoJSON).

Refused, with the reason in the user's language and nothing written (the previous boundaries stay
in use): a file larger than BOUNDARY_MAX_BYTES, not JSON, not a FeatureCollection, a feature
without a known unit code or with a code seen twice, a geometry that is empty, not a (multi)
polygon, or invalid (self-intersecting rings and the like, as shapely's `explain_validity` says).

Former units are dissolved into the current unit that succeeded them (Province.successor) with
shapely's union; the result is simplified until the stored FeatureCollection is under
BOUNDARY_STORED_MAX_BYTES, coordinates rounded to 4 decimals (about 10 m).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from shapely import union_all
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from provinces.models import Province
from tracker.dashboards.models import BoundarySet

CODE_KEYS = ("code", "ma", "ma_tinh", "MA_TINH", "ma_dvhc", "MA_DVHC")
MAX_STORED_BYTES = 900_000
PRECISION = 4


def max_upload_bytes() -> int:
    return int(getattr(settings, "BOUNDARY_MAX_BYTES", 15 * 1024 * 1024))


def max_stored_bytes() -> int:
    return int(getattr(settings, "BOUNDARY_STORED_MAX_BYTES", MAX_STORED_BYTES))


class BoundaryRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Processed:
    geojson: str
    features: int
    missing: list[str]


def _code_of(feature: Any, number: int) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if isinstance(properties, dict):
        for key in CODE_KEYS:
            value = properties.get(key)
            if value not in (None, ""):
                text = str(value).strip()
                return text.zfill(2) if text.isdigit() and len(text) < 2 else text
    raise BoundaryRefused(
        _("Đối tượng thứ %(number)s không có mã đơn vị (thuộc tính “code” hoặc “ma_tinh”).") % {"number": number}
    )


def _geometry(feature: dict[str, Any], code: str) -> BaseGeometry:
    raw = feature.get("geometry")
    if not raw:
        raise BoundaryRefused(_("Đơn vị %(code)s: ranh giới trống.") % {"code": code})
    try:
        geometry = shape(raw)
    except Exception as exc:  # shapely raises ValueError, TypeError or its own GEOS errors on broken input
        raise BoundaryRefused(
            _("Đơn vị %(code)s: hình học không đọc được (%(error)s).") % {"code": code, "error": exc}
        ) from exc
    if geometry.is_empty:
        raise BoundaryRefused(_("Đơn vị %(code)s: ranh giới trống.") % {"code": code})
    if not isinstance(geometry, Polygon | MultiPolygon):
        raise BoundaryRefused(
            _("Đơn vị %(code)s: cần vùng (Polygon hoặc MultiPolygon), tệp có %(kind)s.")
            % {"code": code, "kind": geometry.geom_type}
        )
    if not geometry.is_valid:
        raise BoundaryRefused(
            _("Đơn vị %(code)s: ranh giới không hợp lệ (%(reason)s).")
            % {"code": code, "reason": explain_validity(geometry)}
        )
    return geometry


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PRECISION)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _collection(geometries: dict[str, BaseGeometry], tolerance: float) -> str:
    features = []
    for code in sorted(geometries):
        simple = geometries[code].simplify(tolerance, preserve_topology=True) if tolerance else geometries[code]
        shape_dict = mapping(simple)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {"type": shape_dict["type"], "coordinates": _rounded(shape_dict["coordinates"])},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def process(data: bytes, *, level: str) -> Processed:
    """Check an uploaded file and return the FeatureCollection to store, or raise BoundaryRefused."""
    if len(data) > max_upload_bytes():
        raise BoundaryRefused(
            _("Tệp lớn hơn giới hạn %(limit)s MB.") % {"limit": round(max_upload_bytes() / 1024 / 1024, 1)}
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryRefused(_("Tệp không phải JSON hợp lệ (%(error)s).") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryRefused(_("Tệp GeoJSON phải là một FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryRefused(_("FeatureCollection không có đối tượng nào."))
    units = Province.objects.current() if level == BoundarySet.Level.CURRENT else Province.objects.former()
    # Current units stand for themselves; former ones for the current unit that succeeded them.
    successor_of: dict[str, str | None] = dict(
        units.values_list("code", "successor__code" if level == BoundarySet.Level.FORMER else "code")
    )
    seen: dict[str, BaseGeometry] = {}
    for number, feature in enumerate(features, start=1):
        code = _code_of(feature, number)
        if code in seen:
            raise BoundaryRefused(_("Mã đơn vị %(code)s xuất hiện nhiều lần.") % {"code": code})
        if code not in successor_of:
            raise BoundaryRefused(_("Mã đơn vị %(code)s không có trong danh mục đơn vị hành chính.") % {"code": code})
        seen[code] = _geometry(feature, code)
    bounds = [geometry.bounds for geometry in seen.values()]
    extent = max(
        max(b[2] for b in bounds) - min(b[0] for b in bounds), max(b[3] for b in bounds) - min(b[1] for b in bounds)
    )
    tolerance = extent / 4000
    grouped: dict[str, list[BaseGeometry]] = defaultdict(list)
    for code, geometry in seen.items():
        target = successor_of[code]
        if target:
            # A quarter of the final tolerance first: the union of detailed rings is the slow part.
            grouped[target].append(geometry.simplify(tolerance / 4, preserve_topology=True))
    dissolved = {code: parts[0] if len(parts) == 1 else union_all(parts) for code, parts in grouped.items()}
    current = list(Province.objects.current().order_by("code").values_list("code", flat=True))
    missing = [code for code in current if code not in dissolved]
    text = _collection(dissolved, tolerance)
    attempts = 0
    while len(text.encode()) > max_stored_bytes():
        attempts += 1
        if attempts > 8:
            raise BoundaryRefused(_("Ranh giới quá chi tiết, không rút gọn được dưới 1 MB."))
        tolerance *= 2
        text = _collection(dissolved, tolerance)
    return Processed(geojson=text, features=len(dissolved), missing=missing)


@transaction.atomic
def boundary_upload(*, user: Any, data: bytes, name: str, level: str, source: str) -> BoundarySet:
    processed = process(data, level=level)
    return BoundarySet.objects.create(
        level=level,
        original_name=name[:255],
        source=source[:300],
        features=processed.features,
        missing=", ".join(processed.missing)[:300],
        geojson=processed.geojson,
        size=len(processed.geojson.encode()),
        uploaded_by=user,
    )


def current_boundaries() -> BoundarySet | None:
    return BoundarySet.objects.order_by("-uploaded_at", "-id").first()
