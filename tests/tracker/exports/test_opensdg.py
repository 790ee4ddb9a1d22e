"""Open SDG-style data file of one indicator: Year, Units, the Province disaggregation, Value."""

import datetime
from decimal import Decimal

import pytest

from tests.tracker.exports.conftest import NOW, api
from tracker.progress.models import IndicatorValue, Level


def yearly(indicator, level, province, year, value):
    IndicatorValue.objects.create(
        indicator=indicator,
        level=level,
        province=province,
        period=str(year),
        periodicity="yearly",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        value=value,
        units_count=1,
        computed_at=NOW,
    )


@pytest.mark.django_db
def test_headline_rows_leave_the_disaggregation_empty(catalogue, an_giang, ha_noi, reviewer):
    online = catalogue.indicators["DVC_TT"]
    yearly(online, Level.NATIONAL, None, 2024, Decimal("61.5"))
    yearly(online, Level.NATIONAL, None, 2025, Decimal("78.25"))
    yearly(online, Level.PROVINCE, an_giang, 2024, Decimal("55"))
    yearly(online, Level.PROVINCE, an_giang, 2025, Decimal("76.5"))
    yearly(online, Level.PROVINCE, ha_noi, 2025, Decimal("91.2"))
    yearly(online, Level.PROVINCE, ha_noi, 2024, None)
    response = api(reviewer).get("/api/v1/opensdg/DVC_TT.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicator_dvc_tt.csv"'
    assert response.content.decode("utf-8").splitlines() == [
        "Year,Units,Province,Value",
        "2024,%,,61.5",
        "2024,%,Tỉnh An Giang,55",
        "2025,%,,78.25",
        "2025,%,Thành phố Hà Nội,91.2",
        "2025,%,Tỉnh An Giang,76.5",
    ]


@pytest.mark.django_db
def test_an_unknown_indicator_is_not_found(catalogue, reviewer):
    response = api(reviewer).get("/api/v1/opensdg/KHONG_CO.csv")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có chỉ tiêu mã “KHONG_CO”.", "code": "not_found"}
