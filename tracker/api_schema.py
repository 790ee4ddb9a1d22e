"""The OpenAPI schema says what the API answers: every refusal and every file type.

A drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds to each
operation the error answers it can give, in the one error shape `Error` ({"detail", "code"}, plus
"field" or the fields of a validation error; tracker.api_errors), unless the view documented its
own; and it names the media types of the downloads instead of "application/json, binary".
"""

from __future__ import annotations

from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_TYPES = ["application/pdf", XLSX, "text/csv"]
DOWNLOADS = {
    "/api/v1/reports/province/": REPORT_TYPES,
    "/api/v1/jobs/{id}/download/": REPORT_TYPES,
    "/api/v1/templates/": [XLSX],
    "/api/v1/opensdg/{code}.csv": ["text/csv"],
    "/api/v1/evidence/{id}/": ["application/pdf", "image/png", "image/jpeg", DOCX, XLSX],
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Một lỗi: `detail` cho người đọc, `code` cho máy; lỗi dữ liệu kèm tên trường.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["detail", "code"],
    "additionalProperties": True,
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ",
    "401": "Chưa đăng nhập, hoặc token không hợp lệ/đã hết hạn",
    "403": "Vai trò không được làm việc này",
    "404": "Không có, hoặc không được xem",
    "405": "Phương thức không được hỗ trợ",
    "406": "Không trả lời được theo tiêu đề Accept",
    "413": "Dữ liệu hoặc tệp quá lớn",
    "415": "Kiểu dữ liệu gửi lên không được hỗ trợ",
    "429": "Quá nhiều yêu cầu",
}


# Periods as the parsers read them (kpis.periods; DHIS2's forms for dataValueSets).
PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$"
DHIS2_PERIOD_PATTERN = r"^[0-9]{4}((0[1-9]|1[0-2])|Q[1-4])?$"
PERIOD_PARAMETERS = {"period", "period_from", "period_to"}


def _document_periods(path: str, operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query" or parameter.get("name") not in PERIOD_PARAMETERS:
            continue
        schema = parameter.setdefault("schema", {})
        if schema.get("type") == "array":
            schema.setdefault("items", {})["pattern"] = DHIS2_PERIOD_PATTERN
        elif schema.get("type") == "string":
            schema["pattern"] = PERIOD_PATTERN


def _error(status: str) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": ERROR_REF}}}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            _document_periods(path, operation)
            statuses = ["400", "405", "406", "429"]
            if operation.get("security") != [{}] and path not in ("/api/v1/auth/token/", "/api/v1/schema/"):
                statuses += ["401", "403"]
            if "{" in path:
                statuses.append("404")
            if "requestBody" in operation:
                statuses += ["413", "415"]
            for status in statuses:
                responses.setdefault(status, _error(status))
            if path in DOWNLOADS and "200" in responses and method == "get":
                responses["200"]["content"] = {
                    media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in DOWNLOADS[path]
                }
    return result
