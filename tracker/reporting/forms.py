"""Web forms. They only carry raw text: parsing and validation are the services' (one place)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.models import ReportForm
from tracker.exports.forms import NamedChoiceField
from tracker.reporting.formatting import for_input
from tracker.reporting.models import Submission
from tracker.reporting.selectors import ValueRow
from tracker.reporting.services import MAX_COMMENT, UNSET, ValueInput


def value_field(code: str) -> str:
    return f"value__{code}"


def comment_field(code: str) -> str:
    return f"comment__{code}"


class SubmissionValuesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, rows: list[ValueRow], version: int, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"version": version}
        for row in rows:
            stored = row.value
            # A draft cell refused by its own checks shows what was typed, as it was typed.
            initial[value_field(row.code)] = (
                stored.raw
                if stored is not None and stored.error
                else for_input(stored.value if stored else None, row.element.value_type)
            )
            initial[comment_field(row.code)] = stored.comment if stored else ""
        super().__init__(*args, **{**kwargs, "initial": initial})
        self.rows = rows
        for row in rows:
            self.fields[value_field(row.code)] = forms.CharField(
                label=row.label, required=False, max_length=60, strip=False
            )
            self.fields[comment_field(row.code)] = forms.CharField(
                label=_("Ghi chú"),
                required=False,
                max_length=MAX_COMMENT,
                widget=forms.Textarea(attrs={"rows": 1, "cols": 24}),
            )

    def changed_inputs(self) -> list[ValueInput]:
        """Only what the person changed: untouched boxes are not re-parsed nor re-audited."""
        changed = set(self.changed_data)
        inputs = []
        for row in self.rows:
            if getattr(row, "rolled_up", False) and value_field(row.code) not in self.data:
                continue  # a province's rolled-up cell has no box on the page; one sent anyway is refused
            value_changed = value_field(row.code) in changed
            comment_changed = comment_field(row.code) in changed
            if not (value_changed or comment_changed):
                continue
            inputs.append(
                ValueInput(
                    element=row.code,
                    value=self.cleaned_data[value_field(row.code)] if value_changed else UNSET,
                    comment=self.cleaned_data[comment_field(row.code)] if comment_changed else None,
                )
            )
        return inputs

    def attach(self) -> None:
        """Give each row its bound fields, for the template."""
        for row in self.rows:
            row.value_field = self[value_field(row.code)]  # type: ignore[attr-defined]
            row.comment_field = self[comment_field(row.code)]  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2}))


class LockExceptionForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở khóa"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label=_("Số ngày"), min_value=1, max_value=30, initial=7)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, PNG, JPG, DOCX, XLSX)"))
    element = forms.ChoiceField(label=_("Gắn với chỉ tiêu"), required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=300)

    def __init__(self, *args: Any, rows: list[ValueRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", _("(cả báo cáo)"))] + [(r.code, r.label) for r in rows]  # type: ignore[attr-defined]


class CreateSubmissionForm(forms.Form):
    form = NamedChoiceField(label=_("Biểu mẫu"), queryset=ReportForm.objects.order_by("code"), to_field_name="code")
    period = forms.CharField(label=_("Kỳ (YYYY-MM, YYYY-Qn, YYYY)"), max_length=7)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("(tất cả)")), *Submission.Status.choices],
    )
    period = forms.CharField(label=_("Kỳ"), required=False, max_length=7)
    province = forms.CharField(label=_("Mã tỉnh"), required=False, max_length=2)
    form = NamedChoiceField(
        label=_("Biểu mẫu"),
        required=False,
        queryset=ReportForm.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("(tất cả)"),
    )
