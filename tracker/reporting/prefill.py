"""Prefilling the stock figures (5G stations, population covered, policies in force…) of a draft
with last period's approved ones: it fills what it can and says, per cell, why it did not fill
the others, instead of refusing everything for one bad pair of figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kpis.expressions import Ref
from kpis.models import DataElement
from kpis.periods import Period
from tracker.accounts import permissions
from tracker.reporting import services
from tracker.reporting.cells import check_cell
from tracker.reporting.errors import NotPermitted, SubmissionNotFound, ValuesInvalid
from tracker.reporting.formatting import display
from tracker.reporting.levels import same_unit
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.validation import _HOLDS, _NEGATED, context_for, element_label


@dataclass
class PrefillReport:
    submission: Submission
    filled: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already typed: left as they are
    skipped: dict[str, str] = field(default_factory=dict)  # element code -> why it was not filled
    notice: str = ""  # why nothing at all could be filled, when so

    def messages(self) -> list[str]:
        """What the officer reads after pressing the button, in the page's language."""
        out = [self.notice] if self.notice else []
        if self.filled:
            out.append(_("Đã điền sẵn %(count)d ô từ số liệu đã phê duyệt kỳ trước.") % {"count": len(self.filled)})
        elif not self.notice:
            out.append(_("Không điền sẵn được ô nào."))
        if self.kept:
            out.append(_("%(count)d ô đã có số liệu nên được giữ nguyên.") % {"count": len(self.kept)})
        out.extend(dict.fromkeys(self.skipped.values()))  # one line per reason, in order
        return out


def submission_prefill(*, submission: Submission | int, user: Any, version: int | None) -> PrefillReport:
    pk = submission if isinstance(submission, int) else submission.pk
    current = Submission.objects.select_related("province", "form").filter(pk=pk).first()
    if current is None or not permissions.may_read(user, current):
        raise SubmissionNotFound(_("Không tìm thấy báo cáo."))
    if not permissions.may_edit_values(user, current):
        raise NotPermitted(_("Chỉ cán bộ nhập liệu của tỉnh được sửa số liệu báo cáo."))
    period = Period.parse(current.period)
    previous = str(period.previous())
    report = PrefillReport(submission=current)
    ctx = context_for(current)
    stocks = [row.element for row in ctx.rows if row.element.time_aggregation == DataElement.TimeAggregation.LAST]
    last: dict[str, Decimal] = {
        code: value
        for code, value in DataValue.objects.filter(
            **same_unit(current),
            submission__form_id=current.form_id,
            submission__period=previous,
            approved_value__isnull=False,
        ).values_list("element__code", "approved_value")
        if value is not None
    }
    stored = {
        code: (value, error) for code, value, error in current.values.values_list("element__code", "value", "error")
    }
    if not last:
        report.notice = _("Không điền sẵn: kỳ trước (%(period)s) chưa có số liệu đã được phê duyệt.") % {
            "period": previous
        }
    candidates: dict[str, Decimal] = {}
    for element in stocks:
        value, error = stored.get(element.code, (None, ""))
        if value is not None or error:
            report.kept.append(element.code)
        elif element.code not in last:
            if last:
                report.skipped[element.code] = _("%(name)s: kỳ trước không có số liệu đã phê duyệt.") % {
                    "name": element_label(element)
                }
        else:
            _figure, problem = check_cell(ctx, element.code, last[element.code], locale=None)
            if problem:
                report.skipped[element.code] = _("Không điền sẵn: %(problem)s") % {"problem": problem}
            else:
                candidates[element.code] = last[element.code]
    _drop_rule_breakers(ctx, report, candidates, {code: value for code, (value, _e) in stored.items()}, previous)
    if not candidates:
        return report
    try:
        services.submission_values_update(
            submission=pk,
            user=user,
            version=version,
            values=[services.ValueInput(element=code, value=value) for code, value in sorted(candidates.items())],
            reason=_("Điền sẵn từ số liệu đã phê duyệt kỳ trước."),
        )
    except ValuesInvalid as exc:  # a rule with figures typed meanwhile: say which, fill nothing
        for code, problems in exc.errors.items():
            report.skipped[code] = _("Không điền sẵn: %(problem)s") % {"problem": " ".join(problems)}
        return report
    report.filled = sorted(candidates)
    report.submission = Submission.objects.get(pk=pk)
    return report


def _drop_rule_breakers(
    ctx: Any, report: PrefillReport, candidates: dict[str, Decimal], stored: dict[str, Decimal | None], previous: str
) -> None:
    """Leave out the figures of every rule that last period's figures (with those already typed) break."""
    changed = True
    while changed:
        changed = False
        merged = {**stored, **candidates}
        for rule in ctx.rules:
            involved = [code for code in rule.codes if code in candidates]
            if not involved:
                continue
            left, right = rule.left.evaluate(merged), rule.right.evaluate(merged)
            if left is None or right is None or _HOLDS[rule.rule.operator](left, right):
                continue
            message = _("Không điền sẵn: %(rule)s (%(left)s %(op)s %(right)s ở kỳ %(period)s).") % {
                "rule": rule.message().rstrip("."),
                "left": _side(ctx, rule.left, left),
                "op": _NEGATED[rule.rule.operator],
                "right": _side(ctx, rule.right, right),
                "period": previous,
            }
            for code in involved:
                report.skipped[code] = message
                candidates.pop(code)
            changed = True
            break


def _side(ctx: Any, expression: Any, value: Decimal) -> str:
    """A rule's side as people read it: "Dân số trưởng thành 13.413" when it is one element."""
    if isinstance(expression.tree, Ref) and expression.tree.code in ctx.by_code:
        return f"{element_label(ctx.by_code[expression.tree.code].element)} {display(value)}"
    return display(value)
