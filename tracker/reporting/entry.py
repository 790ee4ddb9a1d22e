"""What the entry form page needs beyond the sheet: each row's presentation and the rules the
browser applies while the officer types (also offline).

The browser never carries hand-written copies of the catalogue's checks: it receives, as JSON in
the page, the page language's separators, each element's type and range, the cross-element rules
as expression trees, and the translated message templates of the server's own checks, and it
interprets them generically (static/reporting/entry.js). The server re-checks every saved cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpis.expressions import BinOp, Neg, Node, Num, Ref
from kpis.models import DataElement
from tracker.exports.periods import date_text
from tracker.exports.wording import unit_label
from tracker.reporting.formatting import canonical, display
from tracker.reporting.models import Submission
from tracker.reporting.parsing import MAX_ABS, MAX_DECIMALS, MAX_RAW_LENGTH, locale_marks
from tracker.reporting.selectors import ValueRow
from tracker.reporting.validation import ValidationContext, effective_range, element_label, outlier_jump_factor

INTEGER_DIGITS = len(str(MAX_ABS)) - 1


def page_locale() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _tree(node: Node) -> list[Any]:
    if isinstance(node, Num):
        return ["num", canonical(node.value)]
    if isinstance(node, Ref):
        return ["ref", node.code]
    if isinstance(node, Neg):
        return ["neg", _tree(node.operand)]
    if isinstance(node, BinOp):
        return [node.op, _tree(node.left), _tree(node.right)]
    raise TypeError(node)


def _bound(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _element_rules(element: DataElement) -> dict[str, Any]:
    kind = element.value_type
    minimum, maximum = effective_range(element)
    return {
        "label": element_label(element),
        "type": kind,
        "min": _bound(minimum),
        "max": _bound(maximum),
        "min_text": "" if minimum is None else display(minimum, kind),
        "max_text": "" if maximum is None else display(maximum, kind),
    }


def messages() -> dict[str, str]:
    """The server's message templates, translated, for the browser to fill in (%(name)s style)."""
    return {
        "not_number": _("“%(raw)s” không phải là số."),
        "not_boolean": _("“%(raw)s” không phải là giá trị Có/Không (có, không, yes, no, 1, 0)."),
        "too_long": _("Giá trị dài quá %(max)d ký tự."),
        "bad_grouping": _("“%(raw)s” viết sai dấu phân cách hàng nghìn."),
        "too_big": _("“%(raw)s” quá lớn (tối đa 18 chữ số phần nguyên)."),
        "too_many_decimals": _("“%(raw)s” có quá %(max)d chữ số thập phân."),
        "integer": _("%(name)s: phải là số nguyên, không có phần thập phân."),
        "negative": _("%(name)s: không được là số âm."),
        "min": _("%(name)s: không được nhỏ hơn %(min)s."),
        "percent_max": _("%(name)s: tỷ lệ phần trăm không được lớn hơn 100."),
        "max": _("%(name)s: không được lớn hơn %(max)s."),
        "rule": _("%(message)s (%(left)s %(op)s %(right)s)."),
        "higher": _("cao gấp %(factor)s lần kỳ trước"),
        "lower": _("chỉ bằng %(factor)s lần kỳ trước"),
        "counts": _("đã nhập %(filled)s/%(total)s · %(errors)s lỗi · %(warnings)s cảnh báo"),
        "saving": _("Đang lưu…"),
        "saved": _("Đã lưu trên máy chủ"),
        "queued": _("Chỉ có trên máy này: sẽ gửi khi có mạng"),
        "refused": _("Không lưu được: %(reason)s"),
        "offline": _("Mất kết nối mạng: %(count)s giá trị chỉ có trên máy này, sẽ tự gửi khi có mạng lại."),
        "submit_offline": _("Cần kết nối mạng để gửi báo cáo."),
        "submit_pending": _("Còn giá trị chưa lưu lên máy chủ: hãy chờ lưu xong rồi gửi."),
        "conflict_server": _("Trên máy chủ (%(who)s)"),
        "conflict_yours": _("Của bạn"),
        "keep_mine": _("Giữ giá trị của tôi"),
        "take_server": _("Dùng giá trị trên máy chủ"),
        "all_saved": _("Mọi giá trị đã được lưu trên máy chủ."),
        "conflicts": _("%(count)s ô bị người khác sửa cùng lúc: hãy chọn giữ giá trị nào."),
        "server_error": _("Máy chủ không trả lời đúng (mã %(status)s); giá trị được giữ trên máy này."),
        "reload_needed": _("Báo cáo đã thay đổi; tải lại trang để xem trạng thái mới."),
        "yes": _("Có"),
        "no": _("Không"),
    }


def entry_config(
    *,
    submission: Submission,
    ctx: ValidationContext,
    rows: list[ValueRow],
    can_edit: bool,
    outliers: dict[str, list[str]],
) -> dict[str, Any]:
    """The JSON the form page carries for its script (json_script: escaped, CSP-safe)."""
    locale = page_locale()
    thousands, decimal_mark = locale_marks(locale) or (".", ",")
    elements = {}
    for row in rows:
        rules = _element_rules(row.element)
        rules["previous"] = _bound(row.previous)
        rules["required"] = row.form_element.required
        elements[row.code] = rules
    return {
        "submission": submission.pk,
        "status": submission.status,
        "version": submission.version,
        "can_edit": can_edit,
        "locale": locale,
        "marks": {"thousands": thousands, "decimal": decimal_mark},
        "limits": {"length": MAX_RAW_LENGTH, "integer_digits": INTEGER_DIGITS, "decimals": MAX_DECIMALS},
        "jump_factor": canonical(outlier_jump_factor()),
        "booleans": {
            "true": ["có", "co", "yes", "y", "true", "đúng", "dung", "1", "x"],
            "false": ["không", "khong", "no", "n", "false", "sai", "0"],
        },
        "elements": elements,
        "outliers": outliers,
        "statuses": {status.value: str(status.label) for status in Submission.Status},
        "rules": [
            {
                "codes": rule.codes,
                "op": rule.rule.operator,
                "negated": _NEGATED_TEXT[rule.rule.operator],
                "left": _tree(rule.left.tree),
                "right": _tree(rule.right.tree),
                "message": rule.message().rstrip("."),
            }
            for rule in ctx.rules
        ],
        "messages": messages(),
        "urls": {
            "cell": reverse("api-submission-cell", args=[submission.pk, "__code__"]),
            "submit": reverse("api-submission-submit", args=[submission.pk]),
            "page": reverse("reporting:submission", args=[submission.pk]),
            "worker": reverse("reporting:service_worker"),
        },
    }


_NEGATED_TEXT = {"<=": ">", "<": "≥", ">=": "<", ">": "≤", "==": "≠"}


@dataclass
class RowView:
    """How a row is presented: the previous period and its change, the targets in words."""

    previous_text: str
    change_text: str
    outlier_text: str
    targets: list[str]


def row_view(row: ValueRow) -> RowView:
    kind = row.element.value_type
    previous_text = display(row.previous, kind) if row.previous is not None else ""
    change_text = outlier_text = ""
    value = row.value.value if row.value is not None else None
    if row.previous is not None and value is not None and kind != DataElement.ValueType.BOOLEAN:
        diff = value - row.previous
        change_text = ("+" if diff > 0 else "") + display(diff, kind)
        if row.previous > 0:
            change_text += f" ({'+' if diff > 0 else ''}{display(round(diff * 100 / row.previous, 1))}%)"
            outlier_text = jump_words(value, row.previous)
    targets = [
        _("%(indicator)s: %(value)s%(unit)s đến %(deadline)s%(own)s")
        % {
            "indicator": target.indicator.name_en
            if page_locale() == "en" and target.indicator.name_en
            else target.indicator.name,
            "value": display(target.value),
            "unit": target.indicator.unit if target.indicator.unit == "%" else f" {unit_label(target.indicator.unit)}",
            "deadline": date_text(target.deadline),
            "own": f" ({_('của tỉnh')})" if target.province_id else "",
        }
        for target in row.targets
    ]
    return RowView(previous_text=previous_text, change_text=change_text, outlier_text=outlier_text, targets=targets)


def jump_words(value: Decimal, previous: Decimal) -> str:
    """ "cao gấp 3,2 lần kỳ trước" when a figure jumps beyond the outlier factor, else ""."""
    if previous <= 0 or value < 0:
        return ""
    factor = outlier_jump_factor()
    if value > previous * factor:
        return _("cao gấp %(factor)s lần kỳ trước") % {"factor": display(round(value / previous, 1))}
    if value < previous / factor:
        ratio = value / previous
        # Two significant digits: 215 against 50.737 is "0,0042 lần", not "0 lần".
        places = 2 if ratio == 0 or ratio >= Decimal("0.1") else min(6, 1 - ratio.adjusted())
        return _("chỉ bằng %(factor)s lần kỳ trước") % {"factor": display(round(ratio, places))}
    return ""
