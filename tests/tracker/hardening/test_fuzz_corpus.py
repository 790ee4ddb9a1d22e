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
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.tracker.hardening.conftest import World, database_state, media_state, workbook

VI, EN = "vi", "en"
# What each refusal says, in Vietnamese and in English (the whole JSON body, or the page's error lines).
EXPECTED: dict[str, dict[str, Any]] = json.loads((Path(__file__).parent / "corpus_answers.json").read_text())


@dataclass(frozen=True)
class Case:
    id: str
    send: Callable[[Any, World], Any]  # (client, world) -> response
    status: int
    who: str | None = "officer"
    web: bool = False  # a Django test client signed in with a session, not the API client

    @property
    def expected(self) -> dict[str, Any]:
        """Language -> the JSON body, or the error lines of the page (corpus_answers.json)."""
        return EXPECTED[self.id]


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


CASES: list[Case] = [
    # --- JSON bodies (API)
    Case(
        "json-period-year-0000-month",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "0000-01"}),
        400,
    ),
    Case(
        "json-period-year-0000-quarter",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "0000-Q1"}),
        400,
    ),
    Case(
        "json-period-month-13",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "2025-13"}),
        400,
    ),
    Case(
        "json-period-year-9999",
        post_json(SUBMISSIONS, {"province": "91", "form": "BC_THANG", "period": "9999-01"}),
        400,
    ),
    Case(
        "json-period-open-year-0000",
        post_json("/api/v1/periods/open/", {"form": "BC_THANG", "period": "0000-01"}),
        400,
        who="admin",
    ),
    Case(
        "json-comment-control-char",
        patch_values({"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "a\u0001b"}]}),
        400,
    ),
    Case(
        "json-comment-lone-surrogate",
        patch_values(b'{"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "\\ud800"}]}'),
        400,
    ),
    Case(
        "json-key-control-char",
        patch_values({"version": 2, "values": [], "\u0007": 1}),
        400,
    ),
    Case(
        "json-nested-1000-deep",
        patch_values(deep(1000)),
        400,
    ),
    Case(
        "json-too-large",
        patch_values(b'{"version": 2, "values": [], "reason": "' + b"x" * 9000 + b'"}'),
        413,
    ),
    Case(
        "json-truncated",
        patch_values(b'{"version": 2, "values": ['),
        400,
    ),
    Case(
        "json-not-utf8",
        patch_values(b'{"version": 2, "reason": "\xff\xfe"}'),
        400,
    ),
    Case("json-nan", patch_values(b'{"version": NaN, "values": []}'), 400),
    Case(
        "json-version-not-integer",
        patch_values({"version": "abc", "values": []}),
        400,
    ),
    Case(
        "json-comment-too-long",
        patch_values({"version": 2, "values": [{"element": "BTS_5G", "value": "1", "comment": "x" * 5001}]}),
        400,
    ),
    Case(
        "json-wrong-media-type",
        (lambda client, world: client.post(SUBMISSIONS, "period=2025-12", content_type="text/plain")),
        415,
    ),
    Case(
        "dhis2-period-year-0000",
        post_json(
            "/api/v1/dataValueSets",
            {"dataValues": [{"dataElement": "BTS_5G", "orgUnit": "91", "period": "000012", "value": "1"}]},
        ),
        200,
    ),
    Case(
        "dhis2-not-a-data-value-set",
        post_json("/api/v1/dataValueSets", {"dataValues": "x"}),
        400,
    ),
    Case(
        "dhis2-data-set-as-list",
        post_json("/api/v1/dataValueSets", {"dataSet": ["BC_THANG"], "dataValues": []}),
        400,
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
    ),
    # --- query strings (API)
    Case(
        "query-indicator-values-year-0000",
        get("/api/v1/indicator-values/?period=0000-01"),
        400,
        who="reviewer",
    ),
    Case(
        "query-indicator-values-future",
        get("/api/v1/indicator-values/?period=2099-01"),
        400,
        who="reviewer",
    ),
    Case(
        "query-submissions-status-unknown",
        get(SUBMISSIONS + "?status=AAA"),
        400,
        who="reviewer",
    ),
    Case(
        "query-submissions-period-0000",
        get(SUBMISSIONS + "?period=0000-01"),
        400,
        who="reviewer",
    ),
    Case(
        "query-provinces-level-unknown",
        get("/api/v1/provinces/?level=AAA"),
        400,
        who="reviewer",
    ),
    Case(
        "query-limit-negative",
        get(SUBMISSIONS + "?limit=-2330"),
        400,
        who="reviewer",
    ),
    Case(
        "query-offset-not-a-number",
        get(SUBMISSIONS + "?offset=abc"),
        400,
        who="reviewer",
    ),
    Case(
        "query-control-char",
        get(SUBMISSIONS + "?province=%01"),
        400,
        who="reviewer",
    ),
    Case(
        "query-template-year-0000",
        get("/api/v1/templates/?province=91&form=BC_THANG&period=0000-01"),
        400,
    ),
    Case(
        "query-province-report-year-0000",
        get("/api/v1/reports/province/?province=91&period=0000-Q1&format=pdf"),
        400,
    ),
    Case(
        "query-dhis2-period-year-0000",
        get("/api/v1/dataValueSets?period=000001"),
        400,
    ),
    Case("api-not-signed-in", get(SUBMISSIONS), 401, who=None),
    Case(
        "api-bad-token",
        (lambda client, world: client.get(SUBMISSIONS, HTTP_AUTHORIZATION="Token nope")),
        401,
        who=None,
    ),
    Case("api-unknown-address", get("/api/v1/khong-co/"), 404),
    Case(
        "api-method-not-allowed",
        (lambda client, world: client.delete("/api/v1/provinces/")),
        405,
    ),
    # --- web forms and pages
    Case(
        "form-open-period-year-0000",
        web_post(lambda w: f"/bao-cao/tinh/{w.province_id}/mo-bao-cao/", {"form": "BC_THANG", "period": "0000-01"}),
        302,
        web=True,
    ),
    Case(
        "form-open-period-control-char",
        web_post(lambda w: f"/bao-cao/tinh/{w.province_id}/mo-bao-cao/", {"form": "BC_THANG", "period": "2025-\x0112"}),
        400,
        web=True,
    ),
    Case(
        "form-comment-control-char",
        web_post(lambda w: f"/bao-cao/{w.submission.pk}/y-kien/", {"text": "xin \x07 chào"}),
        400,
        web=True,
    ),
    Case(
        "page-dashboard-year-0000",
        get("/bang-dieu-khien/?period=0000-01"),
        400,
        who="reviewer",
        web=True,
    ),
    Case(
        "page-dashboard-future",
        get("/bang-dieu-khien/?period=2099-12"),
        400,
        who="reviewer",
        web=True,
    ),
    Case(
        "page-dashboard-malformed",
        get("/bang-dieu-khien/?period=abc"),
        400,
        who="reviewer",
        web=True,
    ),
    Case(
        "page-province-dashboard-year-0000",
        get("/bang-dieu-khien/tinh/91/?period=0000-Q1"),
        400,
        who="reviewer",
        web=True,
    ),
    Case("page-unknown", get("/khong-co-trang-nay/"), 404, who="officer", web=True),
    Case(
        "page-login-without-csrf",
        web_post(lambda w: "/accounts/login/", {"username": "a", "password": "b"}),
        403,
        who=None,
        web=True,
    ),
    # --- Excel
    Case(
        "xlsx-template-year-0000",
        template_upload(with_meta_period("0000-01")),
        400,
    ),
    Case(
        "xlsx-template-too-many-rows",
        template_upload(with_extra_rows(60)),
        400,
    ),
    Case(
        "xlsx-template-control-char-comment",
        template_upload(with_comment_xml("\x01")),
        400,
    ),
    Case(
        "xlsx-not-a-workbook",
        template_upload(lambda content: b"PK\x03\x04 not really a zip"),
        400,
    ),
    Case(
        "xlsx-template-too-large",
        template_upload(lambda content: content + b"\0" * 200_001),
        413,
    ),
    Case(
        "xlsx-bulk-year-0000",
        bulk(xlsx_rows([["91", "0000-01", "BC_THANG", "BTS_5G", 1]]), "lich-su.xlsx"),
        400,
        who="admin",
    ),
    Case(
        "xlsx-bulk-too-many-rows",
        bulk(xlsx_rows([["91", "2025-10", "BC_THANG", "BTS_5G", i] for i in range(30)]), "lich-su.xlsx"),
        400,
        who="admin",
    ),
    # --- CSV
    Case(
        "csv-nul-inside",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1\x002"), "lich-su.csv"),
        400,
        who="admin",
    ),
    Case(
        "csv-control-char",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1", "91,2025-10,BC_THANG,DVC_ONLINE,\x1b2"), "lich-su.csv"),
        400,
        who="admin",
    ),
    Case(
        "csv-year-0000",
        bulk(csv_rows("91,0000-01,BC_THANG,BTS_5G,1"), "lich-su.csv"),
        400,
        who="admin",
    ),
    Case(
        "csv-not-utf8",
        bulk(b"M\xe3 t\xecnh,K\xfd\r\n91,2025-10\r\n", "lich-su.csv"),
        400,
        who="admin",
    ),
    Case(
        "csv-lone-surrogate-bytes",
        bulk(csv_rows("91,2025-10,BC_THANG,BTS_5G,1") + b"\xed\xa0\x80\r\n", "lich-su.csv"),
        400,
        who="admin",
    ),
    Case(
        "csv-too-many-rows",
        bulk(csv_rows(*[f"91,2025-10,BC_THANG,BTS_5G,{i}" for i in range(30)]), "lich-su.csv"),
        400,
        who="admin",
    ),
    # --- evidence files
    Case(
        "evidence-png-named-pdf",
        evidence("anh.pdf", b"\x89PNG\r\n\x1a\n0000"),
        400,
    ),
    Case(
        "evidence-executable-renamed",
        evidence("bao-cao.pdf", b"MZ\x90\x00\x03"),
        400,
    ),
    Case("evidence-empty", evidence("bao-cao.pdf", b""), 400),
    Case(
        "evidence-wrong-extension",
        evidence("chay.exe", b"MZ\x90\x00"),
        400,
    ),
    Case(
        "evidence-too-large",
        evidence("bao-cao.pdf", PDF + b"\0" * 3000),
        413,
    ),
    Case(
        "evidence-description-control-char",
        evidence("bao-cao.pdf", PDF, description="mô \x0b tả"),
        400,
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
