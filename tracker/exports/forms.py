from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.models import ReportForm
from provinces.models import Province
from tracker.accounts import permissions
from tracker.exports.wording import name_of

FORMATS = [("pdf", "PDF"), ("docx", "Word (.docx)"), ("xlsx", "Excel (.xlsx)"), ("csv", "CSV")]


def _provinces_for(user: Any) -> Any:
    queryset = Province.objects.current().order_by("code")
    if permissions.is_ministry(user):
        return queryset
    return queryset.filter(pk=user.province_id)


class NamedChoiceField(forms.ModelChoiceField):
    """Choices named in the reader's language (the catalogue's English names in English)."""

    def label_from_instance(self, obj: Any) -> str:
        return name_of(obj)


class ProvinceReportForm(forms.Form):
    province = NamedChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none())
    period = forms.CharField(label=_("Kỳ"), max_length=7, help_text=_("YYYY-MM, YYYY-Qn hoặc YYYY, ví dụ 2025-Q4"))
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = _provinces_for(user)  # type: ignore[attr-defined]


class NationalReportForm(forms.Form):
    period = forms.CharField(label=_("Kỳ"), max_length=7, help_text=_("YYYY-MM, YYYY-Qn hoặc YYYY"))
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS)


class TemplateForm(forms.Form):
    province = NamedChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none())
    form = NamedChoiceField(label=_("Biểu mẫu"), queryset=ReportForm.objects.order_by("code"), to_field_name="code")
    period = forms.CharField(label=_("Kỳ"), max_length=7, help_text=_("ví dụ 2025-10"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = _provinces_for(user)  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp mẫu đã điền (.xlsx)"))


class BulkImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp số liệu (.csv hoặc .xlsx)"))
    dry_run = forms.BooleanField(label=_("Chạy thử (chỉ báo cáo những gì sẽ thay đổi)"), required=False, initial=True)
    approve = forms.BooleanField(label=_("Gửi và phê duyệt luôn (số liệu thành chính thức)"), required=False)
