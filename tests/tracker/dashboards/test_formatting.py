import datetime
from decimal import Decimal

from django.utils import translation

from tracker.dashboards import formatting


def test_vietnamese_numbers_use_a_decimal_comma_and_thousands_dots():
    with translation.override("vi"):
        assert formatting.number(Decimal("1234567.891")) == "1.234.567,89"
        assert formatting.number(Decimal("63.50")) == "63,5"
        assert formatting.number(Decimal("-0.004")) == "0"
        assert formatting.number(Decimal("-1234.5")) == "-1.234,5"
        assert formatting.signed(Decimal("2.25"), 1) == "+2,3"
        assert formatting.percent_share(Decimal("0.425")) == "43%"
        assert formatting.plotly_separators() == ",."


def test_english_numbers_use_a_decimal_point_and_thousands_commas():
    with translation.override("en"):
        assert formatting.number(Decimal("1234567.891")) == "1,234,567.89"
        assert formatting.signed(Decimal("-3"), 1) == "-3"
        assert formatting.plotly_separators() == ".,"


def test_dates_and_periods_in_vietnamese():
    with translation.override("vi"):
        assert formatting.date(datetime.date(2025, 12, 31)) == "31/12/2025"
        assert formatting.period_label("2025-10") == "10/2025"
        assert formatting.period_label("2025-Q3") == "Quý 3/2025"
        assert formatting.period_label("2025") == "Năm 2025"


def test_a_directive_is_named_by_its_symbol_and_its_title_in_the_page_language():
    with translation.override("vi"):
        assert formatting.directive_heading("749/QĐ-TTg", "Phê duyệt Chương trình", "Approving the programme") == (
            "749/QĐ-TTg – Phê duyệt Chương trình"
        )
    with translation.override("en"):
        assert formatting.directive_heading("749/QĐ-TTg", "Phê duyệt Chương trình", "Approving the programme") == (
            "749/QĐ-TTg – Approving the programme"
        )
        # untranslated descriptive names stay; an English title equal to the name is said once
        assert formatting.directive_heading("", "Phê duyệt", "Approval") == "Approval"
        assert formatting.directive_heading("Approval", "Phê duyệt", "Approval") == "Approval"
