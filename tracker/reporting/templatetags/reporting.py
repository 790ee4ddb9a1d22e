from decimal import Decimal, InvalidOperation

from django import template

from tracker.reporting.formatting import display
from tracker.reporting.models import Submission

register = template.Library()


@register.filter
def num(value: object, value_type: str | None = None) -> str:
    """1.234,5 on Vietnamese pages (1,234.5 on English ones); booleans as Có/Không."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return display(number, value_type)


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Submission.Status(value).label)
    except ValueError:
        return value
