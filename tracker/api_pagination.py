"""Limit/offset pages with bounds, so that no query string can ask the database for the impossible."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

# Beyond a page of a thousand rows an integrator should filter; an offset past any real table is
# answered with an empty page instead of an integer the database cannot hold (a 500 before).
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
