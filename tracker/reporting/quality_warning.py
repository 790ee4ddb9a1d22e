"""The approver's warning before approving a report that would produce a data-quality flag: one
sentence per flag naming the indicator, the unit, the period, the value and the limit, in the
reader's language. The flags themselves come from tracker.progress.quality."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracker.dashboards.formatting import localized, number
from tracker.progress import vocabulary
from tracker.progress.progress_measure import FLAG_NEGATIVE_TOTAL
from tracker.progress.quality import WouldBeFlag, flags_if_approved
from tracker.reporting.models import Submission


def warning_text(flag: WouldBeFlag) -> str:
    unit = f" {flag.unit_label}" if flag.unit_label else ""
    context = {
        "code": flag.indicator_code,
        "name": localized(flag.indicator_name, flag.indicator_name_en),
        "unit": flag.province_name or _("Toàn quốc"),
        "period": vocabulary.period_label(flag.period),
        "value": number(flag.value) + unit,
    }
    if flag.flag == FLAG_NEGATIVE_TOTAL or flag.limit is None:
        return (
            _(
                "%(code)s – %(name)s, %(unit)s, kỳ %(period)s: sau phê duyệt giá trị sẽ là %(value)s, "
                "nhưng một tổng số không thể âm (giới hạn: từ 0 trở lên)."
            )
            % context
        )
    return _(
        "%(code)s – %(name)s, %(unit)s, kỳ %(period)s: sau phê duyệt giá trị sẽ là %(value)s, "
        "ngoài giới hạn tự nhiên từ 0 đến %(limit)s."
    ) % {**context, "limit": number(flag.limit) + unit}


def approval_warnings(submission: Submission) -> list[str]:
    """The warnings approving the report would raise (empty when none); computed on the fly."""
    return [warning_text(flag) for flag in flags_if_approved(submission)]


def acknowledgement_note(warnings: list[str]) -> str:
    """What the audit trail records when the approver approves despite the warnings."""
    return _("Phê duyệt dù có cảnh báo số liệu cần kiểm tra (đã xác nhận): %(warnings)s") % {
        "warnings": " ".join(warnings)
    }
