from decimal import Decimal

from django.utils import translation

from tracker.dashboards.charts import Table, figure_json, table_csv
from tracker.dashboards.figures import reporting_bars
from tracker.dashboards.rows import ReportingRow, Unit


def test_csv_keeps_numbers_and_quotes_formula_like_text():
    # given
    table = Table(
        columns=["Tỉnh", "Giá trị", "Ghi chú"],
        rows=[["Tỉnh An Giang", Decimal("63.50"), '=HYPERLINK("x")'], ["@x", -2, None], ["+1", 1.5, "-bad"]],
    )

    # when
    text = table_csv(table)

    # then
    assert text == (
        '\ufeffTỉnh,Giá trị,Ghi chú\r\nTỉnh An Giang,63.5,"\'=HYPERLINK(""x"")"\r\n\'@x,-2,\r\n\'+1,1.5,\'-bad\r\n'
    )


def test_figure_json_cannot_close_the_script_element_it_sits_in():
    text = figure_json({"layout": {"title": {"text": "</script><b>A & B</b>"}}, "data": [{"y": [Decimal("1.5")]}]})

    assert "</script>" not in text
    assert text == (
        '{"layout":{"title":{"text":"\\u003c/script\\u003e\\u003cb\\u003eA \\u0026 B\\u003c/b\\u003e"}},'
        '"data":[{"y":[1.5]}]}'
    )


def test_a_report_not_yet_due_has_its_own_bar_rather_than_an_empty_row():
    # given: Huế's report received on time, An Giang's not due yet, Hà Nội's overdue
    rows = [
        ReportingRow(unit=Unit("46", "Thành phố Huế"), expected=1, received=1, on_time=1),
        ReportingRow(unit=Unit("91", "Tỉnh An Giang"), expected=1, not_due=1),
        ReportingRow(unit=Unit("01", "Thành phố Hà Nội"), expected=1),
    ]

    # when
    with translation.override("en"):
        figure = reporting_bars(rows, title="t")

    # then: the overdue first, then by full name
    assert [(trace["name"], trace["x"]) for trace in figure["data"]] == [
        ("On time", [0, 1, 0]),
        ("Submitted late", [0, 0, 0]),
        ("Not submitted", [1, 0, 0]),
        ("Not yet due", [0, 0, 1]),
    ]
    assert figure["data"][0]["y"] == ["Hà Nội", "Huế", "An Giang"]
