"""Limit/offset pages with bounds, so that no query string can ask the database for the impossible."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

from tracker import inputs

# Beyond a page of a thousand rows an integrator should filter; an offset past any real table is
# answered with an empty page instead of an integer the database cannot hold (a 500 before).
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """A malformed, zero or negative `limit` and a malformed or negative `offset` are refused (400),
    as the schema says, instead of silently answering the default page; a limit above MAX_LIMIT is
    cut to it, as DRF does."""

    max_limit = MAX_LIMIT

    def get_limit(self, request: Any) -> int | None:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        if raw.isdigit() and len(raw) > 12:  # beyond any integer the database holds
            return MAX_LIMIT
        return min(inputs.count(raw, field=self.limit_query_param, minimum=1), MAX_LIMIT)

    def get_offset(self, request: Any) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        if raw.isdigit() and len(raw) > 12:  # past any real table: an empty page, as before
            return MAX_OFFSET
        return min(inputs.count(raw, field=self.offset_query_param), MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            schema = parameter.setdefault("schema", {})
            if parameter["name"] == self.limit_query_param:
                schema.update({"minimum": 1})
            elif parameter["name"] == self.offset_query_param:
                schema.update({"minimum": 0})
        return parameters
