from decimal import Decimal

import pytest

from kpis.expressions import ExpressionError, parse


def test_it_evaluates_arithmetic_with_precedence_and_unary_minus():
    # given
    expression = parse("(A + B_2) / 2 - -C * 3")

    # when
    value = expression.evaluate({"A": Decimal(1), "B_2": Decimal(3), "C": Decimal(1)})

    # then
    assert value == Decimal(5)
    assert expression.codes == ["A", "B_2", "C"]


def test_it_returns_none_when_an_element_is_missing_or_divides_by_zero():
    expression = parse("A / B")

    assert expression.evaluate({"A": Decimal(1)}) is None
    assert expression.evaluate({"A": Decimal(1), "B": Decimal(0)}) is None


def test_it_refuses_unknown_codes_naming_them_and_their_position():
    with pytest.raises(ExpressionError) as error:
        parse("KNOWN + UNKNOWN_X", known_codes={"KNOWN"})

    assert str(error.value) == "Mã chỉ tiêu dữ liệu “UNKNOWN_X” không tồn tại (vị trí 9)."
    assert error.value.position == 9


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("__import__('os').system('id')", "Ký tự không được phép “_” tại vị trí 1.", 1),
        ("open(A)", "Không được gọi hàm “open” tại vị trí 1.", 1),
        ("A.__class__", "Ký tự không được phép “.” tại vị trí 2.", 2),
        ("A ** 2", "Không mong đợi “*” tại vị trí 4.", 4),
        ("A +", "Công thức kết thúc đột ngột tại vị trí 4.", 4),
        ("(A + B", "Thiếu dấu “)” tại vị trí 7.", 7),
        ("A B", "Thừa “B” tại vị trí 3.", 3),
        ("A; B", "Ký tự không được phép “;” tại vị trí 2.", 2),
        ("lambda: 1", "Ký tự không được phép “:” tại vị trí 7.", 7),
        ("", "Công thức trống.", 1),
    ],
)
def test_it_refuses_malformed_and_hostile_input_with_a_position(text, message, position):
    with pytest.raises(ExpressionError) as error:
        parse(text)

    assert str(error.value) == message
    assert error.value.position == position


def test_it_refuses_deep_nesting_and_very_long_input():
    with pytest.raises(ExpressionError):
        parse("(" * 40 + "A" + ")" * 40)
    with pytest.raises(ExpressionError):
        parse("A+" * 300 + "A")
