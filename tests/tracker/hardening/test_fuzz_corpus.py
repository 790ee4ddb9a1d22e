# ruff: noqa: E501 - the expected answers are quoted whole, as the user reads them
"""A corpus of malformed inputs, each sent in Vietnamese and in English, across JSON, query strings,
web forms, Excel, CSV and evidence files. Every one must be refused with the expected status and
the expected words in the request's language, and leave the database and the media folder exactly
as they were. (Each class of input that once answered 500 is here: year 0000 periods, control
characters and lone surrogates in text, NUL in a CSV, deeply nested JSON, oversized workbooks.)
"""

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.tracker.hardening.conftest import World, database_state, media_state, workbook

VI, EN = "vi", "en"


@dataclass(frozen=True)
class Case:
    id: str
    send: Callable[[Any, World], Any]  # (client, world) -> response
    status: int
    expected: dict[str, Any]  # language -> the JSON body, or the refusal's sentence on a page
    who: str | None = "officer"
    web: bool = False  # a Django test client signed in with a session, not the API client


def api_client(world: World, who: str | None, language: str) -> APIClient:
    client = APIClient()
    client.cookies["django_language"] = language
    if who is not None:
        client.force_authenticate(world.users[who])
    return client


def web_client(world: World, who: str | None, language: str) -> Client:
    client = Client(enforce_csrf_checks=who is None)
    client.cookies["django_language"] = language
    if who is not None:
        client.force_login(world.users[who])
    return client


def said(response: Any) -> Any:
    """What the refusal says: the JSON body, the messages of a redirect, or the page's error line."""
    if response.status_code == 302:
        return [str(m) for m in get_messages(response.wsgi_request)]
    if response["Content-Type"].startswith("application/json"):
        return response.json()
    text = response.content.decode()
    errors = re.findall(r'<(?:p|li)[^>]*class="error"[^>]*>(.*?)</(?:p|li)>', text, re.S)
    return [re.sub(r"\s+", " ", e).strip() for e in errors]


# ---------------------------------------------------------------------------------------------
# builders


def post_json(url: str, body: Any) -> Callable[[Any, World], Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda client, world: client.post(url, raw, content_type="application/json")


def patch_values(body: Any) -> Callable[[Any, World], Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda client, world: client.patch(
        f"/api/v1/submissions/{world.submission.pk}/values/", raw, content_type="application/json"
    )


def get(url: str) -> Callable[[Any, World], Any]:
    return lambda client, world: client.get(url)


def template_upload(edit: Callable[[bytes], bytes], name: str = "mau.xlsx") -> Callable[[Any, World], Any]:
    def send(client, world):
        template = client.get("/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2025-12"})
        assert template.status_code == 200
        return client.post(
            "/api/v1/templates/upload/", {"file": SimpleUploadedFile(name, edit(template.content))}, format="multipart"
        )

    return send


def bulk(content: bytes, name: str) -> Callable[[Any, World], Any]:
    return lambda client, world: client.post(
        "/api/v1/imports/bulk/", {"file": SimpleUploadedFile(name, content), "dry_run": "false"}, format="multipart"
    )


def csv_rows(*rows: str) -> bytes:
    return ("Mã tỉnh,Kỳ,Biểu mẫu,Mã chỉ tiêu,Giá trị\r\n" + "".join(r + "\r\n" for r in rows)).encode()


def xlsx_rows(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã tỉnh", "Kỳ", "Biểu mẫu", "Mã chỉ tiêu", "Giá trị"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_meta_period(period: str) -> Callable[[bytes], bytes]:
    def edit(content: bytes) -> bytes:
        book = workbook(content)
        meta = book["_meta"] if "_meta" in book.sheetnames else book.worksheets[-1]
        for row in meta.iter_rows(min_col=1, max_col=2):
            if row[0].value == "period":
                row[1].value = period
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return edit


def with_extra_rows(count: int) -> Callable[[bytes], bytes]:
    def edit(content: bytes) -> bytes:
        book = workbook(content)
        sheet = book.worksheets[0]
        for index in range(count):
            sheet.cell(row=100 + index, column=2, value=f"THUA_{index}")
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return edit


def with_comment_xml(text: str) -> Callable[[bytes], bytes]:
    """A comment written straight into the sheet's XML, as another program could (openpyxl refuses to)."""

    def edit(content: bytes) -> bytes:
        book = workbook(content)
        book.worksheets[0].cell(row=8, column=9, value="GHICHU_THAY_THE")
        out = io.BytesIO()
        book.save(out)
        source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        result = io.BytesIO()
        with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                target.writestr(item, data.replace(b"GHICHU_THAY_THE", text.encode()))
        return result.getvalue()

    return edit


def evidence(name: str, content: bytes, **fields: str) -> Callable[[Any, World], Any]:
    return lambda client, world: client.post(
        f"/api/v1/submissions/{world.submission.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def web_post(url_of: Callable[[World], str], data: dict[str, Any]) -> Callable[[Any, World], Any]:
    return lambda client, world: client.post(url_of(world), data)


def deep(levels: int) -> bytes:
    return b'{"version": 1, "values": ' + b"[" * levels + b"]" * levels + b"}"


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SUBMISSIONS = "/api/v1/submissions/"

# What each refusal says, in Vietnamese and in English.
EXPECTED: dict[str, dict[str, Any]] = {
    "json-period-year-0000-month": {
        "vi": {"detail": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "json-period-year-0000-quarter": {
        "vi": {"detail": "Kỳ báo cáo “0000-Q1” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-Q1” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "json-period-month-13": {
        "vi": {
            "detail": "Kỳ báo cáo “2025-13” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).",
            "code": "invalid",
        },
        "en": {
            "detail": "Reporting period “2025-13” is not valid: use YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year).",
            "code": "invalid",
        },
    },
    "json-period-year-9999": {
        "vi": {"detail": "Kỳ báo cáo “9999-01” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “9999-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "json-period-open-year-0000": {
        "vi": {"detail": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "json-comment-control-char": {
        "vi": {
            "detail": "Trường “values[0].comment” chứa ký tự điều khiển không hợp lệ.",
            "code": "invalid_characters",
            "field": "values[0].comment",
        },
        "en": {
            "detail": "Field “values[0].comment” contains an invalid control character.",
            "code": "invalid_characters",
            "field": "values[0].comment",
        },
    },
    "json-comment-lone-surrogate": {
        "vi": {
            "detail": "Trường “values[0].comment” chứa ký tự Unicode không hợp lệ (nửa cặp thay thế).",
            "code": "invalid_characters",
            "field": "values[0].comment",
        },
        "en": {
            "detail": "Field “values[0].comment” contains an invalid Unicode character (a lone surrogate).",
            "code": "invalid_characters",
            "field": "values[0].comment",
        },
    },
    "json-key-control-char": {
        "vi": {"detail": "Trường “?” chứa ký tự điều khiển không hợp lệ.", "code": "invalid_characters", "field": "?"},
        "en": {
            "detail": "Field “?” contains an invalid control character.",
            "code": "invalid_characters",
            "field": "?",
        },
    },
    "json-nested-1000-deep": {
        "vi": {"detail": "Dữ liệu JSON lồng nhau quá sâu (tối đa 32 cấp).", "code": "parse_error"},
        "en": {"detail": "The JSON data is nested too deeply (at most 32 levels).", "code": "parse_error"},
    },
    "json-too-large": {
        "vi": {"detail": "Dữ liệu JSON quá lớn (tối đa 7,8\xa0KB).", "code": "too_large"},
        "en": {"detail": "The JSON data is too large (at most 7.8\xa0KB).", "code": "too_large"},
    },
    "json-truncated": {
        "vi": {"detail": "Dữ liệu gửi lên không phải là JSON hợp lệ.", "code": "parse_error"},
        "en": {"detail": "The data sent is not valid JSON.", "code": "parse_error"},
    },
    "json-not-utf8": {
        "vi": {"detail": "Dữ liệu JSON không phải là văn bản UTF-8 hợp lệ.", "code": "parse_error"},
        "en": {"detail": "The JSON data is not valid UTF-8 text.", "code": "parse_error"},
    },
    "json-nan": {
        "vi": {"detail": "Dữ liệu gửi lên không phải là JSON hợp lệ.", "code": "parse_error"},
        "en": {"detail": "The data sent is not valid JSON.", "code": "parse_error"},
    },
    "json-version-not-integer": {
        "vi": {
            "version": ["Cần một số nguyên hợp lệ."],
            "values": ["Cần một danh sách số liệu không rỗng."],
            "detail": "Dữ liệu gửi lên không hợp lệ.",
            "code": "invalid",
        },
        "en": {
            "version": ["A valid integer is required."],
            "values": ["A non-empty list of data values is required."],
            "detail": "The data sent is not valid.",
            "code": "invalid",
        },
    },
    "json-comment-too-long": {
        "vi": {
            "detail": "Số liệu không hợp lệ.",
            "code": "invalid_values",
            "errors": {"BTS_5G": ["Ghi chú dài quá 5000 ký tự."]},
            "form_errors": [],
        },
        "en": {
            "detail": "Invalid data.",
            "code": "invalid_values",
            "errors": {"BTS_5G": ["The note is longer than 5000 characters."]},
            "form_errors": [],
        },
    },
    "json-wrong-media-type": {
        "vi": {"detail": "Không hỗ trợ kiểu dữ liệu “text/plain”.", "code": "unsupported_media_type"},
        "en": {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    },
    "dhis2-period-year-0000": {
        "vi": {
            "responseType": "ImportSummary",
            "status": "ERROR",
            "description": "Không nhập được giá trị nào: xem danh sách xung đột.",
            "importCount": {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0},
            "conflicts": [
                {"object": "BTS_5G", "value": "Kỳ báo cáo “0000-12” không hợp lệ: năm phải từ 2000 đến 2100."}
            ],
            "dryRun": False,
            "importOptions": {"dryRun": False, "idSchemes": {"idScheme": "CODE"}},
        },
        "en": {
            "responseType": "ImportSummary",
            "status": "ERROR",
            "description": "No value was imported: see the list of conflicts.",
            "importCount": {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0},
            "conflicts": [
                {
                    "object": "BTS_5G",
                    "value": "Reporting period “0000-12” is not valid: the year must be from 2000 to 2100.",
                }
            ],
            "dryRun": False,
            "importOptions": {"dryRun": False, "idSchemes": {"idScheme": "CODE"}},
        },
    },
    "dhis2-not-a-data-value-set": {
        "vi": {"detail": "Dữ liệu phải là một dataValueSet JSON có danh sách “dataValues”.", "code": "invalid"},
        "en": {"detail": "The data must be a JSON dataValueSet with a “dataValues” list.", "code": "invalid"},
    },
    "dhis2-data-set-as-list": {
        "vi": {"detail": "Không có biểu mẫu (dataSet) mã “['BC_THANG']”.", "code": "invalid"},
        "en": {"detail": "There is no report form (dataSet) with code “['BC_THANG']”.", "code": "invalid"},
    },
    "dhis2-comment-control-char": {
        "vi": {
            "detail": "Trường “dataValues[0].comment” chứa ký tự điều khiển không hợp lệ.",
            "code": "invalid_characters",
            "field": "dataValues[0].comment",
        },
        "en": {
            "detail": "Field “dataValues[0].comment” contains an invalid control character.",
            "code": "invalid_characters",
            "field": "dataValues[0].comment",
        },
    },
    "query-indicator-values-year-0000": {
        "vi": {
            "period": ["Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100."],
            "detail": "Dữ liệu gửi lên không hợp lệ.",
            "code": "invalid",
        },
        "en": {
            "period": ["Reporting period “0000-01” is not valid: the year must be from 2000 to 2100."],
            "detail": "The data sent is not valid.",
            "code": "invalid",
        },
    },
    "query-indicator-values-future": {
        "vi": {"period": ["Kỳ 2099-01 chưa bắt đầu."], "detail": "Dữ liệu gửi lên không hợp lệ.", "code": "invalid"},
        "en": {
            "period": ["Period 2099-01 has not started yet."],
            "detail": "The data sent is not valid.",
            "code": "invalid",
        },
    },
    "query-submissions-status-unknown": {
        "vi": {
            "detail": "Giá trị “AAA” của trường “status” không hợp lệ: chọn một trong draft, submitted, approved, returned.",
            "code": "invalid",
            "field": "status",
        },
        "en": {
            "detail": "Value “AAA” of field “status” is not valid: choose one of draft, submitted, approved, returned.",
            "code": "invalid",
            "field": "status",
        },
    },
    "query-submissions-period-0000": {
        "vi": {
            "detail": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.",
            "code": "invalid",
            "field": "period",
        },
        "en": {
            "detail": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
            "field": "period",
        },
    },
    "query-provinces-level-unknown": {
        "vi": {
            "level": ["Chọn “current” hoặc “former”."],
            "detail": "Dữ liệu gửi lên không hợp lệ.",
            "code": "invalid",
        },
        "en": {"level": ["Choose “current” or “former”."], "detail": "The data sent is not valid.", "code": "invalid"},
    },
    "query-limit-negative": {
        "vi": {"detail": "Trường “limit” phải là số nguyên từ 1 đến 1000.", "code": "invalid", "field": "limit"},
        "en": {"detail": "Field “limit” must be a whole number from 1 to 1000.", "code": "invalid", "field": "limit"},
    },
    "query-offset-not-a-number": {
        "vi": {"detail": "Trường “offset” phải là số nguyên từ 0 trở lên.", "code": "invalid", "field": "offset"},
        "en": {"detail": "Field “offset” must be a whole number of at least 0.", "code": "invalid", "field": "offset"},
    },
    "query-control-char": {
        "vi": {"detail": "Trường “province” chứa ký tự điều khiển không hợp lệ.", "code": "invalid_characters"},
        "en": {"detail": "Field “province” contains an invalid control character.", "code": "invalid_characters"},
    },
    "query-template-year-0000": {
        "vi": {"detail": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "query-province-report-year-0000": {
        "vi": {"detail": "Kỳ báo cáo “0000-Q1” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-Q1” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "query-dhis2-period-year-0000": {
        "vi": {"detail": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.", "code": "invalid"},
        "en": {
            "detail": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
            "code": "invalid",
        },
    },
    "api-not-signed-in": {
        "vi": {"detail": "Chưa đăng nhập: cần token API hoặc phiên đăng nhập.", "code": "not_authenticated"},
        "en": {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
    },
    "api-bad-token": {
        "vi": {"detail": "Token không hợp lệ hoặc đã hết hạn.", "code": "authentication_failed"},
        "en": {"detail": "Invalid token.", "code": "authentication_failed"},
    },
    "api-unknown-address": {
        "vi": {"detail": "Không tìm thấy.", "code": "not_found"},
        "en": {"detail": "Not found.", "code": "not_found"},
    },
    "api-method-not-allowed": {
        "vi": {"detail": "Phương thức “DELETE” không được chấp nhận.", "code": "method_not_allowed"},
        "en": {"detail": 'Method "DELETE" not allowed.', "code": "method_not_allowed"},
    },
    "form-open-period-year-0000": {
        "vi": ["Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100."],
        "en": ["Reporting period “0000-01” is not valid: the year must be from 2000 to 2100."],
    },
    "form-open-period-control-char": {
        "vi": ["Trường “period” chứa ký tự điều khiển không hợp lệ."],
        "en": ["Field “period” contains an invalid control character."],
    },
    "form-comment-control-char": {
        "vi": ["Trường “text” chứa ký tự điều khiển không hợp lệ."],
        "en": ["Field “text” contains an invalid control character."],
    },
    "page-dashboard-year-0000": {
        "vi": ["Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100."],
        "en": ["Reporting period “0000-01” is not valid: the year must be from 2000 to 2100."],
    },
    "page-dashboard-future": {"vi": ["Kỳ 2099-12 chưa bắt đầu."], "en": ["Period 2099-12 has not started yet."]},
    "page-dashboard-malformed": {
        "vi": ["Kỳ báo cáo “abc” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)."],
        "en": ["Reporting period “abc” is not valid: use YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)."],
    },
    "page-province-dashboard-year-0000": {
        "vi": ["Kỳ báo cáo “0000-Q1” không hợp lệ: năm phải từ 2000 đến 2100."],
        "en": ["Reporting period “0000-Q1” is not valid: the year must be from 2000 to 2100."],
    },
    "page-unknown": {
        "vi": ["Trang bạn tìm không có hoặc bạn không được xem."],
        "en": ["The page you asked for does not exist, or you may not view it."],
    },
    "page-login-without-csrf": {
        "vi": ["Phiên làm việc không còn hợp lệ (CSRF): hãy tải lại trang rồi thử lại."],
        "en": ["Your session is no longer valid (CSRF): reload the page and try again."],
    },
    "xlsx-template-year-0000": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Mẫu nhập liệu ghi tỉnh, biểu mẫu hoặc kỳ không có trong hệ thống.",
                    "text": "Mẫu nhập liệu ghi tỉnh, biểu mẫu hoặc kỳ không có trong hệ thống.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "The data-entry template names a province, report form or period that is not in the system.",
                    "text": "The data-entry template names a province, report form or period that is not in the system.",
                }
            ],
        },
    },
    "xlsx-template-too-many-rows": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “mau.xlsx” có quá nhiều dòng (hơn 50): không đọc tiếp. Hãy xóa các dòng thừa rồi tải lên lại.",
                    "text": "Tệp “mau.xlsx” có quá nhiều dòng (hơn 50): không đọc tiếp. Hãy xóa các dòng thừa rồi tải lên lại.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “mau.xlsx” has too many rows (more than 50): reading stopped. Delete the extra rows and upload it again.",
                    "text": "File “mau.xlsx” has too many rows (more than 50): reading stopped. Delete the extra rows and upload it again.",
                }
            ],
        },
    },
    "xlsx-template-control-char-comment": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Không đọc được tệp “mau.xlsx” như một bảng tính Excel (.xlsx).",
                    "text": "Không đọc được tệp “mau.xlsx” như một bảng tính Excel (.xlsx).",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “mau.xlsx” could not be read as an Excel spreadsheet (.xlsx).",
                    "text": "File “mau.xlsx” could not be read as an Excel spreadsheet (.xlsx).",
                }
            ],
        },
    },
    "xlsx-not-a-workbook": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “mau.xlsx” không phải là bảng tính Excel (.xlsx).",
                    "text": "Tệp “mau.xlsx” không phải là bảng tính Excel (.xlsx).",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “mau.xlsx” is not an Excel spreadsheet (.xlsx).",
                    "text": "File “mau.xlsx” is not an Excel spreadsheet (.xlsx).",
                }
            ],
        },
    },
    "xlsx-template-too-large": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "too_large",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “mau.xlsx” lớn quá giới hạn 0,2 MB.",
                    "text": "Tệp “mau.xlsx” lớn quá giới hạn 0,2 MB.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "too_large",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “mau.xlsx” exceeds the 0,2 MB limit.",
                    "text": "File “mau.xlsx” exceeds the 0,2 MB limit.",
                }
            ],
        },
    },
    "xlsx-bulk-year-0000": {
        "vi": {
            "dry_run": False,
            "approve": False,
            "ok": False,
            "totals": {"submissions": 0, "new_submissions": 0, "added": 0, "changed": 0, "cleared": 0, "unchanged": 0},
            "errors": [
                {
                    "sheet": "lich-su.xlsx",
                    "row": 2,
                    "column": "",
                    "message": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.",
                    "text": "Trang tính “lich-su.xlsx”, dòng 2: Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.",
                }
            ],
            "submissions": [],
        },
        "en": {
            "dry_run": False,
            "approve": False,
            "ok": False,
            "totals": {"submissions": 0, "new_submissions": 0, "added": 0, "changed": 0, "cleared": 0, "unchanged": 0},
            "errors": [
                {
                    "sheet": "lich-su.xlsx",
                    "row": 2,
                    "column": "",
                    "message": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
                    "text": "Sheet “lich-su.xlsx”, row 2: Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
                }
            ],
            "submissions": [],
        },
    },
    "xlsx-bulk-too-many-rows": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “lich-su.xlsx” có quá nhiều dòng (hơn 20): không đọc tiếp. Hãy xóa các dòng thừa rồi tải lên lại.",
                    "text": "Tệp “lich-su.xlsx” có quá nhiều dòng (hơn 20): không đọc tiếp. Hãy xóa các dòng thừa rồi tải lên lại.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “lich-su.xlsx” has too many rows (more than 20): reading stopped. Delete the extra rows and upload it again.",
                    "text": "File “lich-su.xlsx” has too many rows (more than 20): reading stopped. Delete the extra rows and upload it again.",
                }
            ],
        },
    },
    "csv-nul-inside": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “lich-su.csv” chứa ký tự điều khiển không hợp lệ (dòng 2).",
                    "text": "Tệp “lich-su.csv” chứa ký tự điều khiển không hợp lệ (dòng 2).",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “lich-su.csv” contains an invalid control character (line 2).",
                    "text": "File “lich-su.csv” contains an invalid control character (line 2).",
                }
            ],
        },
    },
    "csv-control-char": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “lich-su.csv” chứa ký tự điều khiển không hợp lệ (dòng 3).",
                    "text": "Tệp “lich-su.csv” chứa ký tự điều khiển không hợp lệ (dòng 3).",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “lich-su.csv” contains an invalid control character (line 3).",
                    "text": "File “lich-su.csv” contains an invalid control character (line 3).",
                }
            ],
        },
    },
    "csv-year-0000": {
        "vi": {
            "dry_run": False,
            "approve": False,
            "ok": False,
            "totals": {"submissions": 0, "new_submissions": 0, "added": 0, "changed": 0, "cleared": 0, "unchanged": 0},
            "errors": [
                {
                    "sheet": "lich-su.csv",
                    "row": 2,
                    "column": "",
                    "message": "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.",
                    "text": "Trang tính “lich-su.csv”, dòng 2: Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100.",
                }
            ],
            "submissions": [],
        },
        "en": {
            "dry_run": False,
            "approve": False,
            "ok": False,
            "totals": {"submissions": 0, "new_submissions": 0, "added": 0, "changed": 0, "cleared": 0, "unchanged": 0},
            "errors": [
                {
                    "sheet": "lich-su.csv",
                    "row": 2,
                    "column": "",
                    "message": "Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
                    "text": "Sheet “lich-su.csv”, row 2: Reporting period “0000-01” is not valid: the year must be from 2000 to 2100.",
                }
            ],
            "submissions": [],
        },
    },
    "csv-not-utf8": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “lich-su.csv” không phải là văn bản UTF-8: hãy lưu CSV với mã hóa UTF-8.",
                    "text": "Tệp “lich-su.csv” không phải là văn bản UTF-8: hãy lưu CSV với mã hóa UTF-8.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “lich-su.csv” is not UTF-8 text: please save the CSV with UTF-8 encoding.",
                    "text": "File “lich-su.csv” is not UTF-8 text: please save the CSV with UTF-8 encoding.",
                }
            ],
        },
    },
    "csv-lone-surrogate-bytes": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp “lich-su.csv” không phải là văn bản UTF-8: hãy lưu CSV với mã hóa UTF-8.",
                    "text": "Tệp “lich-su.csv” không phải là văn bản UTF-8: hãy lưu CSV với mã hóa UTF-8.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "File “lich-su.csv” is not UTF-8 text: please save the CSV with UTF-8 encoding.",
                    "text": "File “lich-su.csv” is not UTF-8 text: please save the CSV with UTF-8 encoding.",
                }
            ],
        },
    },
    "csv-too-many-rows": {
        "vi": {
            "detail": "Tệp không hợp lệ: không có gì được lưu.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "Tệp có quá 20 dòng.",
                    "text": "Tệp có quá 20 dòng.",
                }
            ],
        },
        "en": {
            "detail": "The file is not valid: nothing was saved.",
            "code": "invalid",
            "errors": [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "message": "The file has more than 20 rows.",
                    "text": "The file has more than 20 rows.",
                }
            ],
        },
    },
    "evidence-png-named-pdf": {
        "vi": {"detail": "Nội dung tệp “anh.pdf” không đúng định dạng PDF.", "code": "invalid"},
        "en": {"detail": "The content of file “anh.pdf” is not in PDF format.", "code": "invalid"},
    },
    "evidence-executable-renamed": {
        "vi": {"detail": "Nội dung tệp “bao-cao.pdf” không đúng định dạng PDF.", "code": "invalid"},
        "en": {"detail": "The content of file “bao-cao.pdf” is not in PDF format.", "code": "invalid"},
    },
    "evidence-empty": {
        "vi": {"file": ["Tệp gửi lên rỗng."], "detail": "Dữ liệu gửi lên không hợp lệ.", "code": "invalid"},
        "en": {"file": ["The submitted file is empty."], "detail": "The data sent is not valid.", "code": "invalid"},
    },
    "evidence-wrong-extension": {
        "vi": {"detail": "Tệp “chay.exe” không được chấp nhận: chỉ nhận PDF, PNG, JPG, DOCX, XLSX.", "code": "invalid"},
        "en": {
            "detail": "File “chay.exe” is not accepted: only PDF, PNG, JPG, DOCX and XLSX files are allowed.",
            "code": "invalid",
        },
    },
    "evidence-too-large": {
        "vi": {"detail": "Tệp “bao-cao.pdf” quá lớn (0.0 MB); tối đa 0.0 MB.", "code": "too_large"},
        "en": {"detail": "File “bao-cao.pdf” is too large (0.0 MB); the maximum is 0.0 MB.", "code": "too_large"},
    },
    "evidence-description-control-char": {
        "vi": {"detail": "Trường “description” chứa ký tự điều khiển không hợp lệ.", "code": "invalid_characters"},
        "en": {"detail": "Field “description” contains an invalid control character.", "code": "invalid_characters"},
    },
}

CASES: list[Case] = [
    # --- JSON bodies (API)
    Case(
        "json-period-year-0000-month",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "0000-01"}),
        400,
        EXPECTED["json-period-year-0000-month"],
        who="officer",
        web=False,
    ),
    Case(
        "json-period-year-0000-quarter",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "0000-Q1"}),
        400,
        EXPECTED["json-period-year-0000-quarter"],
        who="officer",
        web=False,
    ),
    Case(
        "json-period-month-13",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "2025-13"}),
        400,
        EXPECTED["json-period-month-13"],
        who="officer",
        web=False,
    ),
    Case(
        "json-period-year-9999",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "9999-01"}),
        400,
        EXPECTED["json-period-year-9999"],
        who="officer",
        web=False,
    ),
    Case(
        "json-period-open-year-0000",
        post_json("/api/v1/periods/open/", {"form": "BC_THANG", "period": "0000-01"}),
        400,
        EXPECTED["json-period-open-year-0000"],
        who="admin",
        web=False,
    ),
    Case(
        "json-comment-control-char",
        patch_values({"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "a\u0001b"}]}),
        400,
        EXPECTED["json-comment-control-char"],
        who="officer",
        web=False,
    ),
    Case(
        "json-comment-lone-surrogate",
        patch_values(b'{"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "\\ud800"}]}'),
        400,
        EXPECTED["json-comment-lone-surrogate"],
        who="officer",
        web=False,
    ),
    Case(
        "json-key-control-char",
        patch_values({"version": 2, "values": [], "\u0007": 1}),
        400,
        EXPECTED["json-key-control-char"],
        who="officer",
        web=False,
    ),
    Case(
        "json-nested-1000-deep",
        patch_values(deep(1000)),
        400,
        EXPECTED["json-nested-1000-deep"],
        who="officer",
        web=False,
    ),
    Case(
        "json-too-large",
        patch_values(b'{"version": 2, "values": [], "reason": "' + b"x" * 9000 + b'"}'),
        413,
        EXPECTED["json-too-large"],
        who="officer",
        web=False,
    ),
    Case(
        "json-truncated",
        patch_values(b'{"version": 2, "values": ['),
        400,
        EXPECTED["json-truncated"],
        who="officer",
        web=False,
    ),
    Case(
        "json-not-utf8",
        patch_values(b'{"version": 2, "reason": "\xff\xfe"}'),
        400,
        EXPECTED["json-not-utf8"],
        who="officer",
        web=False,
    ),
    Case(
        "json-nan", patch_values(b'{"version": NaN, "values": []}'), 400, EXPECTED["json-nan"], who="officer", web=False
    ),
    Case(
        "json-version-not-integer",
        patch_values({"version": "abc", "values": []}),
        400,
        EXPECTED["json-version-not-integer"],
        who="officer",
        web=False,
    ),
    Case(
        "json-comment-too-long",
        patch_values({"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "x" * 5001}]}),
        400,
        EXPECTED["json-comment-too-long"],
        who="officer",
        web=False,
    ),
    Case(
        "json-wrong-media-type",
        (lambda client, world: client.post(SUBMISSIONS, "period=2025-12", content_type="text/plain")),
        415,
        EXPECTED["json-wrong-media-type"],
        who="officer",
        web=False,
    ),
    Case(
        "dhis2-period-year-0000",
        post_json(
            "/api/v1/dataValueSets",
            {"dataValues": [{"dataElement": "BTS_5G", "orgUnit": "91", "period": "000012", "value": "1"}]},
        ),
        200,
        EXPECTED["dhis2-period-year-0000"],
        who="officer",
        web=False,
    ),
    Case(
        "dhis2-not-a-data-value-set",
        post_json("/api/v1/dataValueSets", {"dataValues": "x"}),
        400,
        EXPECTED["dhis2-not-a-data-value-set"],
        who="officer",
        web=False,
    ),
    Case(
        "dhis2-data-set-as-list",
        post_json("/api/v1/dataValueSets", {"dataSet": ["BC_THANG"], "dataValues": []}),
        400,
        EXPECTED["dhis2-data-set-as-list"],
        who="officer",
        web=False,
    ),
    Case(
        "dhis2-comment-control-char",
        post_json(
            "/api/v1/dataValueSets",
            {
                "dataValues": [
                    {
                        "dataElement": "BTS_5G",
                        "orgUnit": "91",
                        "period": "202512",
                        "value": "1",
                        "comment": "\u001b[31m",
                    }
                ]
            },
        ),
        400,
        EXPECTED["dhis2-comment-control-char"],
        who="officer",
        web=False,
    ),
    # --- query strings (API)
    Case(
        "query-indicator-values-year-0000",
        get("/api/v1/indicator-values/?period=0000-01"),
        400,
        EXPECTED["query-indicator-values-year-0000"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-indicator-values-future",
        get("/api/v1/indicator-values/?period=2099-01"),
        400,
        EXPECTED["query-indicator-values-future"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-submissions-status-unknown",
        get(SUBMISSIONS + "?status=AAA"),
        400,
        EXPECTED["query-submissions-status-unknown"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-submissions-period-0000",
        get(SUBMISSIONS + "?period=0000-01"),
        400,
        EXPECTED["query-submissions-period-0000"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-provinces-level-unknown",
        get("/api/v1/provinces/?level=AAA"),
        400,
        EXPECTED["query-provinces-level-unknown"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-limit-negative",
        get(SUBMISSIONS + "?limit=-2330"),
        400,
        EXPECTED["query-limit-negative"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-offset-not-a-number",
        get(SUBMISSIONS + "?offset=abc"),
        400,
        EXPECTED["query-offset-not-a-number"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-control-char",
        get(SUBMISSIONS + "?province=%01"),
        400,
        EXPECTED["query-control-char"],
        who="reviewer",
        web=False,
    ),
    Case(
        "query-template-year-0000",
        get("/api/v1/templates/?province=91&form=BC_THANG&period=0000-01"),
        400,
        EXPECTED["query-template-year-0000"],
        who="officer",
        web=False,
    ),
    Case(
        "query-province-report-year-0000",
        get("/api/v1/reports/province/?province=91&period=0000-Q1&format=pdf"),
        400,
        EXPECTED["query-province-report-year-0000"],
        who="officer",
        web=False,
    ),
    Case(
        "query-dhis2-period-year-0000",
        get("/api/v1/dataValueSets?period=000001"),
        400,
        EXPECTED["query-dhis2-period-year-0000"],
        who="officer",
        web=False,
    ),
    Case("api-not-signed-in", get(SUBMISSIONS), 401, EXPECTED["api-not-signed-in"], who=None, web=False),
    Case(
        "api-bad-token",
        (lambda client, world: client.get(SUBMISSIONS, HTTP_AUTHORIZATION="Token nope")),
        401,
        EXPECTED["api-bad-token"],
        who=None,
        web=False,
    ),
    Case(
        "api-unknown-address", get("/api/v1/khong-co/"), 404, EXPECTED["api-unknown-address"], who="officer", web=False
    ),
    Case(
        "api-method-not-allowed",
        (lambda client, world: client.delete("/api/v1/provinces/")),
        405,
        EXPECTED["api-method-not-allowed"],
        who="officer",
        web=False,
    ),
    # --- web forms and pages
    Case(
        "form-open-period-year-0000",
        web_post(lambda w: f"/bao-cao/tinh/{w.province_id}/mo-bao-cao/", {"form": "BC_THANG", "period": "0000-01"}),
        302,
        EXPECTED["form-open-period-year-0000"],
        who="officer",
        web=True,
    ),
    Case(
        "form-open-period-control-char",
        web_post(lambda w: f"/bao-cao/tinh/{w.province_id}/mo-bao-cao/", {"form": "BC_THANG", "period": "2025-\x0112"}),
        400,
        EXPECTED["form-open-period-control-char"],
        who="officer",
        web=True,
    ),
    Case(
        "form-comment-control-char",
        web_post(lambda w: f"/bao-cao/{w.submission.pk}/y-kien/", {"text": "xin \x07 chào"}),
        400,
        EXPECTED["form-comment-control-char"],
        who="officer",
        web=True,
    ),
    Case(
        "page-dashboard-year-0000",
        get("/bang-dieu-khien/?period=0000-01"),
        400,
        EXPECTED["page-dashboard-year-0000"],
        who="reviewer",
        web=True,
    ),
    Case(
        "page-dashboard-future",
        get("/bang-dieu-khien/?period=2099-12"),
        400,
        EXPECTED["page-dashboard-future"],
        who="reviewer",
        web=True,
    ),
    Case(
        "page-dashboard-malformed",
        get("/bang-dieu-khien/?period=abc"),
        400,
        EXPECTED["page-dashboard-malformed"],
        who="reviewer",
        web=True,
    ),
    Case(
        "page-province-dashboard-year-0000",
        get("/bang-dieu-khien/tinh/91/?period=0000-Q1"),
        400,
        EXPECTED["page-province-dashboard-year-0000"],
        who="reviewer",
        web=True,
    ),
    Case("page-unknown", get("/khong-co-trang-nay/"), 404, EXPECTED["page-unknown"], who="officer", web=True),
    Case(
        "page-login-without-csrf",
        web_post(lambda w: "/accounts/login/", {"username": "a", "password": "b"}),
        403,
        EXPECTED["page-login-without-csrf"],
        who=None,
        web=True,
    ),
    # --- Excel
    Case(
        "xlsx-template-year-0000",
        template_upload(with_meta_period("0000-01")),
        400,
        EXPECTED["xlsx-template-year-0000"],
        who="officer",
        web=False,
    ),
    Case(
        "xlsx-template-too-many-rows",
        template_upload(with_extra_rows(60)),
        400,
        EXPECTED["xlsx-template-too-many-rows"],
        who="officer",
        web=False,
    ),
    Case(
        "xlsx-template-control-char-comment",
        template_upload(with_comment_xml("\x01")),
        400,
        EXPECTED["xlsx-template-control-char-comment"],
        who="officer",
        web=False,
    ),
    Case(
        "xlsx-not-a-workbook",
        template_upload(lambda content: b"PK\x03\x04 not really a zip"),
        400,
        EXPECTED["xlsx-not-a-workbook"],
        who="officer",
        web=False,
    ),
    Case(
        "xlsx-template-too-large",
        template_upload(lambda content: content + b"\0" * 200_001),
        413,
        EXPECTED["xlsx-template-too-large"],
        who="officer",
        web=False,
    ),
    Case(
        "xlsx-bulk-year-0000",
        bulk(xlsx_rows([["91", "0000-01", "BC_THANG", "BTS_5G", 1]]), "lich-su.xlsx"),
        400,
        EXPECTED["xlsx-bulk-year-0000"],
        who="admin",
        web=False,
    ),
    Case(
        "xlsx-bulk-too-many-rows",
        bulk(xlsx_rows([["91", "2025-10", "BC_THANG", "BTS_5G", i] for i in range(30)]), "lich-su.xlsx"),
        400,
        EXPECTED["xlsx-bulk-too-many-rows"],
        who="admin",
        web=False,
    ),
    # --- CSV
    Case(
        "csv-nul-inside",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1\x002"), "lich-su.csv"),
        400,
        EXPECTED["csv-nul-inside"],
        who="admin",
        web=False,
    ),
    Case(
        "csv-control-char",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1", "91,2025-10,BC_THANG,DVC_ONLINE,\x1b2"), "lich-su.csv"),
        400,
        EXPECTED["csv-control-char"],
        who="admin",
        web=False,
    ),
    Case(
        "csv-year-0000",
        bulk(csv_rows("91,0000-01,BC_THANG,BTS_5G,1"), "lich-su.csv"),
        400,
        EXPECTED["csv-year-0000"],
        who="admin",
        web=False,
    ),
    Case(
        "csv-not-utf8",
        bulk(b"M\xe3 t\xecnh,K\xfd\r\n91,2025-10\r\n", "lich-su.csv"),
        400,
        EXPECTED["csv-not-utf8"],
        who="admin",
        web=False,
    ),
    Case(
        "csv-lone-surrogate-bytes",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1") + b"\xed\xa0\x80\r\n", "lich-su.csv"),
        400,
        EXPECTED["csv-lone-surrogate-bytes"],
        who="admin",
        web=False,
    ),
    Case(
        "csv-too-many-rows",
        bulk(csv_rows(*[f"91,2025-10,BC_THANG,BTS_5G,{i}" for i in range(30)]), "lich-su.csv"),
        400,
        EXPECTED["csv-too-many-rows"],
        who="admin",
        web=False,
    ),
    # --- evidence files
    Case(
        "evidence-png-named-pdf",
        evidence("anh.pdf", b"\x89PNG\r\n\x1a\n0000"),
        400,
        EXPECTED["evidence-png-named-pdf"],
        who="officer",
        web=False,
    ),
    Case(
        "evidence-executable-renamed",
        evidence("bao-cao.pdf", b"MZ\x90\x00\x03"),
        400,
        EXPECTED["evidence-executable-renamed"],
        who="officer",
        web=False,
    ),
    Case("evidence-empty", evidence("bao-cao.pdf", b""), 400, EXPECTED["evidence-empty"], who="officer", web=False),
    Case(
        "evidence-wrong-extension",
        evidence("chay.exe", b"MZ\x90\x00"),
        400,
        EXPECTED["evidence-wrong-extension"],
        who="officer",
        web=False,
    ),
    Case(
        "evidence-too-large",
        evidence("bao-cao.pdf", PDF + b"\0" * 3000),
        413,
        EXPECTED["evidence-too-large"],
        who="officer",
        web=False,
    ),
    Case(
        "evidence-description-control-char",
        evidence("bao-cao.pdf", PDF, description="mô \x0b tả"),
        400,
        EXPECTED["evidence-description-control-char"],
        who="officer",
        web=False,
    ),
]


@pytest.fixture(autouse=True)
def small_limits(settings):
    """Limits small enough to reach with a few kilobytes; the code paths are the production ones."""
    settings.API_JSON_MAX_BYTES = 8000
    settings.EXPORTS_TEMPLATE_MAX_ROWS = 50
    settings.EXPORTS_IMPORT_MAX_ROWS = 20
    settings.EXPORTS_UPLOAD_MAX_BYTES = 200_000
    settings.EVIDENCE_MAX_BYTES = 2000


@pytest.mark.parametrize("language", [VI, EN])
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_malformed_input_is_refused_in_the_users_language_and_writes_nothing(case, language, world):
    # given the world as it is, and a client speaking `language`
    client = (web_client if case.web else api_client)(world, case.who, language)
    before, media_before = database_state(), media_state(world.media)

    # when the malformed input is sent
    response = case.send(client, world)

    # then it is refused with the expected words, in that language, and nothing was written
    assert (response.status_code, said(response)) == (case.status, case.expected[language])
    assert database_state() == before
    assert media_state(world.media) == media_before


def test_the_corpus_covers_every_kind_of_input():
    kinds = {case.id.split("-")[0] for case in CASES}
    assert len(CASES) >= 40
    assert kinds >= {"json", "query", "form", "page", "xlsx", "csv", "evidence", "dhis2", "api"}
