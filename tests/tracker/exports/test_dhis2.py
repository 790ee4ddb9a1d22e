"""A partner system running DHIS2 exchanges figures in dataValueSets JSON, with codes as identifiers."""

import datetime
from decimal import Decimal

import pytest

from tests.tracker.exports.conftest import VN, api, state
from tracker.reporting.models import AuditEntry, DataValue, Submission

URL = "/api/v1/dataValueSets"
OCTOBER = {"DVC_RECEIVED": 15240, "DVC_ONLINE": 12192, "BTS_5G": 320, "FEE_ZERO": 1, "SIGNED_RATE": Decimal("87.5")}


def approved(catalogue, province, period: str, values: dict, comments: dict | None = None) -> Submission:
    year, month = (int(p) for p in period.split("-"))
    start = datetime.date(year, month, 1)
    end = (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)
    submission = Submission.objects.create(
        province=province,
        form=catalogue.form,
        period=period,
        period_start=start,
        period_end=end,
        status="approved",
        has_official_values=True,
        approved_at=datetime.datetime(2025, 11, 6, 8, 0, tzinfo=VN),
    )
    for code, value in values.items():
        DataValue.objects.create(
            submission=submission,
            element=catalogue.elements[code],
            value=value,
            approved_value=value,
            comment=(comments or {}).get(code, ""),
        )
    return submission


@pytest.fixture
def october(catalogue, an_giang):
    return approved(catalogue, an_giang, "2025-10", OCTOBER, {"BTS_5G": "Thêm 10 trạm"})


def without_timestamps(body: dict) -> dict:
    return {**body, "dataValues": [{k: v for k, v in dv.items() if k != "lastUpdated"} for dv in body["dataValues"]]}


@pytest.mark.django_db
def test_export_gives_the_official_figures_in_dhis2_shape(october, approver_91):
    response = api(approver_91).get(URL, {"orgUnit": "91", "period": "202510", "dataSet": "BC_THANG"})
    assert response.status_code == 200
    assert without_timestamps(response.json()) == {
        "dataSet": "BC_THANG",
        "period": "202510",
        "orgUnit": "91",
        "dataValues": [
            {
                "dataElement": "BTS_5G",
                "period": "202510",
                "orgUnit": "91",
                "value": "320",
                "followup": False,
                "comment": "Thêm 10 trạm",
            },
            {"dataElement": "DVC_ONLINE", "period": "202510", "orgUnit": "91", "value": "12192", "followup": False},
            {"dataElement": "DVC_RECEIVED", "period": "202510", "orgUnit": "91", "value": "15240", "followup": False},
            {"dataElement": "FEE_ZERO", "period": "202510", "orgUnit": "91", "value": "true", "followup": False},
            {"dataElement": "SIGNED_RATE", "period": "202510", "orgUnit": "91", "value": "87.5", "followup": False},
        ],
    }


@pytest.mark.django_db
def test_export_shows_only_what_the_caller_may_read(october, officer_01):
    response = api(officer_01).get(URL, {"orgUnit": "91", "period": "202510"})
    assert response.json()["dataValues"] == []


@pytest.mark.django_db
def test_export_needs_a_period_in_dhis2_form(october, reviewer):
    response = api(reviewer).get(URL, {"orgUnit": "91", "period": "2025-10"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Kỳ “2025-10” không đúng dạng DHIS2 (YYYYMM, YYYYQn hoặc YYYY).",
        "code": "invalid",
    }


def payload(values: dict, period="202512", org_unit="91", **extra) -> dict:
    return {
        "dataSet": "BC_THANG",
        "dataValues": [
            {"dataElement": code, "period": period, "orgUnit": org_unit, "value": str(value), **extra}
            for code, value in values.items()
        ],
    }


@pytest.mark.django_db
def test_a_dry_run_counts_without_writing(catalogue, an_giang, officer_91):
    before = state()
    response = api(officer_91).post(f"{URL}?dryRun=true", payload(OCTOBER), format="json")
    assert response.status_code == 200
    assert response.json() == {
        "responseType": "ImportSummary",
        "status": "SUCCESS",
        "description": "Chạy thử: không có gì được ghi.",
        "importCount": {"imported": 5, "updated": 0, "ignored": 0, "deleted": 0},
        "conflicts": [],
        "dryRun": True,
        "importOptions": {"dryRun": True, "idSchemes": {"idScheme": "CODE"}},
    }
    assert state() == before


@pytest.mark.django_db
def test_import_saves_a_draft_then_counts_updates_and_unchanged_values(catalogue, an_giang, officer_91):
    client = api(officer_91)
    first = client.post(URL, payload(OCTOBER), format="json").json()
    assert (first["status"], first["importCount"]) == (
        "SUCCESS",
        {"imported": 5, "updated": 0, "ignored": 0, "deleted": 0},
    )
    submission = Submission.objects.get(period="2025-12")
    assert submission.status == "draft"
    assert submission.values.get(element__code="SIGNED_RATE").value == Decimal("87.5")
    # when the partner sends December again with one figure changed
    second = client.post(URL, payload({**OCTOBER, "BTS_5G": 330}), format="json").json()
    # then
    assert second["importCount"] == {"imported": 0, "updated": 1, "ignored": 4, "deleted": 0}
    assert set(AuditEntry.objects.filter(kind="value").values_list("reason", flat=True)) == {
        "Nhập từ DHIS2 (dataValueSets)."
    }


@pytest.mark.django_db
def test_invalid_values_are_conflicts_and_their_group_is_ignored(catalogue, an_giang, officer_91):
    before = state()
    body = payload({**OCTOBER, "DVC_ONLINE": 20000, "SIGNED_RATE": "abc"})
    body["dataValues"].append({"dataElement": "BTS_5G", "period": "202512", "orgUnit": "77", "value": "1"})
    body["dataValues"].append({"dataElement": "BTS_5G", "period": "2025-12", "orgUnit": "91", "value": "1"})
    response = api(officer_91).post(URL, body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "ERROR"
    assert response.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 7, "deleted": 0}
    assert response.json()["conflicts"] == [
        {"object": "BTS_5G", "value": "Kỳ “2025-12” không đúng dạng DHIS2 (YYYYMM, YYYYQn hoặc YYYY)."},
        {"object": "77", "value": "Không có tỉnh, thành phố mã “77” báo cáo kỳ 202512."},
        {"object": "SIGNED_RATE", "value": "Tỷ lệ hồ sơ được ký số: “abc” không phải là số."},
    ]
    assert state() == before


@pytest.mark.django_db
def test_an_officer_cannot_write_another_provinces_figures(catalogue, an_giang, ha_noi, officer_01):
    before = state()
    response = api(officer_01).post(URL, payload(OCTOBER), format="json").json()
    assert response["importCount"]["ignored"] == 5
    assert response["conflicts"] == [{"object": "91", "value": "Bạn không được nhập số liệu cho Tỉnh An Giang."}]
    assert state() == before


@pytest.mark.django_db
def test_a_payload_that_is_not_a_data_value_set_is_refused(catalogue, officer_91):
    response = api(officer_91).post(URL, {"values": []}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Dữ liệu phải là một dataValueSet JSON có danh sách “dataValues”.",
        "code": "invalid",
    }


@pytest.mark.django_db
def test_round_trip_export_then_import_into_a_clean_database(catalogue, an_giang, october, reviewer, admin_user):
    # given the official figures of October (new An Giang) and March 2024 (former Kiên Giang)
    from provinces.models import Province

    approved(catalogue, Province.objects.former().get(code="91"), "2024-03", {**OCTOBER, "BTS_5G": 12})
    exported = api(reviewer).get(URL, {"orgUnit": "91", "period": ["202403", "202510"], "dataSet": "BC_THANG"}).json()
    assert len(exported["dataValues"]) == 10
    # and a clean database (the catalogue and the provinces only)
    AuditEntry.objects.all().delete()
    Submission.objects.all().delete()
    # when an admin imports the exported set
    summary = api(admin_user).post(URL, exported, format="json").json()
    # then every value lands on the same unit and period
    assert (summary["status"], summary["importCount"]) == (
        "SUCCESS",
        {"imported": 10, "updated": 0, "ignored": 0, "deleted": 0},
    )
    again = (
        api(reviewer)
        .get(URL, {"orgUnit": "91", "period": ["202403", "202510"], "dataSet": "BC_THANG", "approvedOnly": "false"})
        .json()
    )
    assert [
        (v["dataElement"], v["period"], v["orgUnit"], v["value"], v.get("comment")) for v in again["dataValues"]
    ] == [(v["dataElement"], v["period"], v["orgUnit"], v["value"], v.get("comment")) for v in exported["dataValues"]]
    assert set(Submission.objects.values_list("province__name", "period", "status")) == {
        ("Tỉnh Kiên Giang", "2024-03", "draft"),
        ("Tỉnh An Giang", "2025-10", "draft"),
    }
