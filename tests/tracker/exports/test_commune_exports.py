"""Exports at commune level: a province's communes (or one commune) as XLSX and CSV with a cover,
and the communes' approved figures as a DHIS2 dataValueSet with commune org units; the same
access rules on the web download and the API (figures: tests/tracker/dashboards/commune_dataset.py)."""

import datetime
import json

import pytest

from kpis.models import DataElement, ReportFormElement
from tests.factories import UserFactory
from tests.tracker.dashboards import commune_dataset
from tests.tracker.exports.conftest import VN, api, sheet_rows, workbook
from tracker.accounts.models import Role
from tracker.reporting.models import DataValue, Submission

API = "/api/v1/reports/communes/"
WEB = "/xuat-nhap/cap-xa/91/"


@pytest.fixture
def data(db):
    return commune_dataset.build()


@pytest.fixture
def reviewer(data):
    return UserFactory(username="reviewer", role=Role.REVIEWER)


def approved_commune_report(data, code: str, values: dict[str, int]) -> Submission:
    unit = data.communes[code]
    submission = Submission.objects.create(
        province=unit.province,
        commune=unit,
        form=data.form,
        period="2025-10",
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2025, 10, 31),
        status="approved",
        has_official_values=True,
        approved_at=datetime.datetime(2025, 11, 6, 8, 0, tzinfo=VN),
    )
    for element_code, amount in values.items():
        element, _created = DataElement.objects.get_or_create(
            code=element_code, defaults={"name": element_code, "value_type": "integer", "space_aggregation": "sum"}
        )
        ReportFormElement.objects.get_or_create(form=data.form, element=element, defaults={"commune_level": True})
        DataValue.objects.create(submission=submission, element=element, value=amount, approved_value=amount)
    return submission


def test_csv_of_the_province_communes_gives_values_ranks_and_statuses(reviewer):
    response = api(reviewer).get(API, {"province": "91", "period": "2025-10", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cap-xa-91-2025-10.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Kết quả các chỉ tiêu cấp xã tháng 10 năm 2025: Tỉnh An Giang",
        "",
        "GIÁ TRỊ VÀ TÌNH TRẠNG CÁC CHỈ TIÊU THEO XÃ",
        "Mã xã,"
        '"Xã, phường, đặc khu",Loại,Mã chỉ tiêu,Chỉ tiêu,Kỳ,Giá trị,Đơn vị tính,Hạng trong tỉnh,Tình trạng,'
        "Giá trị gần nhất trước đó,Kỳ của giá trị trước đó,Mục tiêu,Thời hạn",
        "30001,Xã Mỹ Hòa Hưng,Xã,XA_TRUC_TUYEN,Tỷ lệ hồ sơ trực tuyến tại xã,tháng 10 năm 2025,85,%,1,Đã đạt,,,80,"
        "2025-12-31",
        "30002,Phường Long Xuyên,Phường,XA_TRUC_TUYEN,Tỷ lệ hồ sơ trực tuyến tại xã,tháng 10 năm 2025,70,%,2,Chậm,,,80,"
        "2025-12-31",
        "30003,Xã Tân Hiệp,Xã,XA_TRUC_TUYEN,Tỷ lệ hồ sơ trực tuyến tại xã,tháng 10 năm 2025,70,%,2,Cần đẩy nhanh,,,80,"
        "2025-12-31",
        "30004,Đặc khu Phú Quốc,Đặc khu,XA_TRUC_TUYEN,Tỷ lệ hồ sơ trực tuyến tại xã,tháng 10 năm 2025,,%,,"
        "Chưa có số liệu kỳ này,40,tháng 9 năm 2025,80,2025-12-31",
        "",
        "TÌNH HÌNH BÁO CÁO CẤP XÃ",
        'Mã xã,"Xã, phường, đặc khu",Số báo cáo phải nộp,Đã nộp,Đúng hạn,Chưa nộp (quá hạn),Đã được duyệt',
        "30001,Xã Mỹ Hòa Hưng,1,1,1,0,1",
        "30002,Phường Long Xuyên,1,1,1,0,1",
        "30003,Xã Tân Hiệp,1,1,0,0,1",
        "30004,Đặc khu Phú Quốc,1,0,0,1,0",
    ]


def test_xlsx_of_one_commune_has_a_cover_and_its_rows_in_english(reviewer):
    response = api(reviewer).get(
        API, {"province": "91", "period": "2025-10", "format": "xlsx", "commune": "30003", "lang": "en"}
    )

    assert response.status_code == 200
    book = workbook(response.content)
    assert book.sheetnames == ["Information", "By commune", "Commune reports"]
    cover = {row[0]: row[1] for row in sheet_rows(book["Information"])}
    assert cover["Reporting period"] == "October 2025 (2025-10)"
    assert cover["Scope"] == "Xã Tân Hiệp (30003), Tỉnh An Giang"
    assert cover["Number of communes"] == "1"
    assert cover["Produced at"] == "5 January 2026 09:00"
    assert sheet_rows(book["By commune"])[1] == [
        "30003",
        "Xã Tân Hiệp",
        "Commune",
        "XA_TRUC_TUYEN",
        "Share of commune dossiers handled online",
        "October 2025",
        70,
        "%",
        2,
        "Needs acceleration",
        None,
        None,
        80,
        datetime.datetime(2025, 12, 31, 0, 0),
    ]
    assert sheet_rows(book["Commune reports"]) == [
        [
            "Commune code",
            "Commune, ward or special zone",
            "Reports due",
            "Received",
            "On time",
            "Not submitted (overdue)",
            "Approved",
        ],
        ["30003", "Xã Tân Hiệp", 1, 1, 0, 0, 1],
    ]


def test_dhis2_file_gives_commune_org_units_under_their_province(reviewer, data):
    approved_commune_report(data, "30001", {"XA_RECEIVED": 200, "XA_ONLINE": 170})
    approved_commune_report(data, "00004", {"XA_RECEIVED": 50, "XA_ONLINE": 45})

    response = api(reviewer).get(API, {"province": "91", "period": "2025-10", "format": "dhis2"})

    body = json.loads(response.content)
    assert [(v["orgUnit"], v["dataElement"], v["period"], v["value"]) for v in body["dataValues"]] == [
        ("30001", "XA_ONLINE", "202510", "170"),
        ("30001", "XA_RECEIVED", "202510", "200"),
    ]
    assert body["organisationUnits"] == [
        {"code": "30001", "name": "Xã Mỹ Hòa Hưng", "level": 2, "parent": {"code": "91"}, "path": "/91/30001"}
    ]


def test_dhis2_api_reads_a_province_without_its_communes_unless_children_asked(reviewer, data):
    approved_commune_report(data, "30002", {"XA_ONLINE": 7})
    client = api(reviewer)

    own = client.get("/api/v1/dataValueSets", {"orgUnit": "91", "period": "202510"}).json()
    with_children = client.get(
        "/api/v1/dataValueSets", {"orgUnit": "91", "period": "202510", "children": "true"}
    ).json()
    one = client.get("/api/v1/dataValueSets", {"orgUnit": "30002", "period": "202510"}).json()

    assert own["dataValues"] == []
    assert [(v["orgUnit"], v["value"]) for v in with_children["dataValues"]] == [("30002", "7")]
    assert [(v["orgUnit"], v["value"]) for v in one["dataValues"]] == [("30002", "7")]


def test_web_download_from_the_province_page(client, reviewer):
    client.force_login(reviewer)

    response = client.get(WEB, {"period": "2025-10", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="cap-xa-91-2025-10.xlsx"'


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"period": "2025-13"}, 400, None),
        ({"period": "2099-01"}, 400, "Kỳ tháng 1 năm 2099 chưa bắt đầu nên chưa có số liệu để báo cáo."),
        ({"period": "2025-10", "format": "pdf"}, 400, "Định dạng “pdf” không được hỗ trợ: chọn xlsx, csv hoặc dhis2."),
        ({"period": "2025-10", "commune": "00004"}, 404, "Không tìm thấy xã, phường, đặc khu."),
        ({"period": "2025-10", "province": "99"}, 404, "Không tìm thấy tỉnh."),
    ],
)
def test_bad_requests_are_refused_with_the_reason(reviewer, params, status, detail):
    response = api(reviewer).get(API, {"province": "91", "format": "csv", **params})

    assert response.status_code == status
    if detail is not None:
        assert response.json()["detail"] == detail
