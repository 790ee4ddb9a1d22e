"""Synthetic boundary files for the map tests: squares, no real geography (the product ships no
boundary file). Current units sit where the tile map puts them; former units are halves of their
successor's square, so dissolving them gives the square back."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from tracker.dashboards.tiles import TILES

SIDE = 0.8


def _square(x0: float, y0: float, width: float, height: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height], [x0, y0]]]


def _origin(code: str) -> tuple[float, float]:
    row, column = TILES.get(code, (0, 0))
    return 102.0 + column * SIDE, 23.0 - row * SIDE


def feature(code: str, coordinates: Any, kind: str = "Polygon", key: str = "code") -> dict[str, Any]:
    return {"type": "Feature", "properties": {key: code}, "geometry": {"type": kind, "coordinates": coordinates}}


def current_collection(codes: list[str]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [feature(code, _square(*_origin(code), SIDE, SIDE)) for code in codes],
    }


def former_collection(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """(former code, successor code) pairs; the formers of one successor split its square in strips."""
    by_successor: dict[str, list[str]] = defaultdict(list)
    for former, successor in pairs:
        by_successor[successor].append(former)
    features = []
    for successor, formers in by_successor.items():
        x0, y0 = _origin(successor)
        width = SIDE / len(formers)
        for index, former in enumerate(sorted(formers)):
            features.append(feature(former, _square(x0 + index * width, y0, width, SIDE)))
    return {"type": "FeatureCollection", "features": features}


def as_bytes(document: Any) -> bytes:
    return json.dumps(document).encode()
