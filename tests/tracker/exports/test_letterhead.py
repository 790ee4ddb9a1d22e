"""Place and date as Nghị định 30/2020/NĐ-CP writes them."""

import datetime

import pytest

from kpis.periods import Period
from tracker.exports.letterhead import place_name, province_letterhead, vietnamese_date
from tracker.exports.periods import period_label


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (datetime.date(2025, 12, 15), "ngày 15 tháng 12 năm 2025"),
    ],
)
def test_days_below_ten_and_january_february_take_a_leading_zero(day, text):
    assert vietnamese_date(day) == text


@pytest.mark.parametrize(
    ("period", "label"),
    [("2025-10", "tháng 10 năm 2025"), ("2025-Q4", "quý IV/2025"), ("2025", "năm 2025")],
)
def test_periods_are_named_as_an_administrative_text_names_them(period, label):
    assert period_label(Period.parse(period)) == label


@pytest.mark.django_db
def test_a_city_is_headed_by_its_peoples_committee(ha_noi):
    head = province_letterhead(province=ha_noi, day=datetime.date(2026, 1, 5))
    assert (head.parent_body, head.issuing_body, head.place_date, head.number_line) == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "Số:        /BC-SKHCN",
    )
    assert head.recipients[1] == "Ủy ban nhân dân thành phố Hà Nội (để báo cáo);"
    assert place_name(ha_noi) == "Hà Nội"
