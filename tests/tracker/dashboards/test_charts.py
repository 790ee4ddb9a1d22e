from decimal import Decimal

from tracker.dashboards.charts import Table, figure_json, table_csv


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
