"""The one parser of outside values (tracker.inputs) and the JSON bounds (tracker.api_parsers)."""

from decimal import Decimal

import pytest
from rest_framework.exceptions import ParseError

from kpis.periods import Period
from tracker import inputs
from tracker.api_parsers import PayloadTooLarge, nesting_depth, parse_json_bytes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0000-01", "Kỳ báo cáo “0000-01” không hợp lệ: năm phải từ 2000 đến 2100."),
        ("1999-Q4", "Kỳ báo cáo “1999-Q4” không hợp lệ: năm phải từ 2000 đến 2100."),
        ("2101", "Kỳ báo cáo “2101” không hợp lệ: năm phải từ 2000 đến 2100."),
        ("2025-00", "Kỳ báo cáo “2025-00” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)."),
        ("2025-\x0112", "Trường “period” chứa ký tự điều khiển không hợp lệ."),
        ("2025-\ud80012", "Trường “period” chứa ký tự Unicode không hợp lệ (nửa cặp thay thế)."),
    ],
)
def test_a_period_outside_the_representable_years_or_malformed_is_refused(text, message):
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.period(text)

    assert (refused.value.message, refused.value.field) == (message, "period")


def test_the_year_range_is_configurable(settings):
    settings.PERIOD_MIN_YEAR, settings.PERIOD_MAX_YEAR = 1990, 2050

    assert inputs.period("1995-03") == Period.month(1995, 3)
    with pytest.raises(inputs.InputRefused):
        inputs.period("2051")


def test_a_period_not_yet_started_is_refused_only_where_figures_are_asked_for(monkeypatch):
    monkeypatch.setattr(inputs, "today", lambda: Period.month(2026, 12).start)

    assert inputs.period("2027-01") == Period.month(2027, 1)
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.period("2027-01", allow_future=False)
    assert refused.value.message == "Kỳ 2027-01 chưa bắt đầu."


@pytest.mark.parametrize("text", ["dòng 1\ndòng 2", "cột\tcột", "Windows\r\n", "Tiếng Việt có dấu ✓"])
def test_text_keeps_tabs_line_breaks_and_any_printable_character(text):
    assert inputs.text(text, field="comment", strip=False) == text


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\ud800", "\udfff"])
def test_text_refuses_control_characters_and_lone_surrogates(bad):
    with pytest.raises(inputs.InputRefused) as refused:
        inputs.text(f"a{bad}b", field="comment")

    assert (refused.value.field, refused.value.code) == ("comment", "invalid_characters")


def test_stored_text_is_made_writable_for_files():
    assert inputs.storable("a\x01b\ud800c\nd") == "a?b?c\nd"


def test_codes_numbers_choices_counts_and_booleans():
    assert inputs.code("BC_THANG", field="form") == "BC_THANG"
    assert inputs.number("1.5", field="value") == Decimal("1.5")
    assert inputs.choice("draft", ("draft", "submitted"), field="status") == "draft"
    assert inputs.count("20", field="limit", minimum=1, maximum=1000) == 20
    assert (inputs.boolean("TRUE", field="unread"), inputs.boolean("0", field="unread")) == (True, False)
    refusals = {
        "code": lambda: inputs.code("BC THANG;", field="form"),
        "number": lambda: inputs.number("NaN", field="value"),
        "huge number": lambda: inputs.number("1e40", field="value"),
        "boolean number": lambda: inputs.number(True, field="value"),
        "choice": lambda: inputs.choice("AAA", ("draft",), field="status"),
        "count": lambda: inputs.count("-2330", field="limit", minimum=1, maximum=1000),
        "boolean": lambda: inputs.boolean("maybe", field="unread"),
    }
    for name, refuse in refusals.items():
        with pytest.raises(inputs.InputRefused):
            refuse()
            pytest.fail(name)


def test_json_nesting_is_counted_without_parsing_and_strings_are_skipped():
    assert nesting_depth(b'{"a": [1, {"b": "[[[[[["}]}') == 3
    assert nesting_depth(b"[" * 5000 + b"]" * 5000) == 5000


def test_json_is_bounded_before_parsing(settings):
    settings.API_JSON_MAX_BYTES = 100
    with pytest.raises(PayloadTooLarge):
        parse_json_bytes(b'{"a": "' + b"x" * 200 + b'"}')
    with pytest.raises(ParseError):
        parse_json_bytes(b"[" * 40 + b"]" * 40)
    assert parse_json_bytes(b'{"a": [1, 2]}') == {"a": [1, 2]}
