"""Web pages for reports and Excel exchange (server-rendered, Vietnamese first). Thin: each view
calls one selector or service; refusals re-render the page with the reasons and status 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.accounts import permissions
from tracker.exports import bulk_import, reports, selectors, services
from tracker.exports.cells import FileInvalid
from tracker.exports.forms import BulkImportForm, NationalReportForm, ProvinceReportForm, TemplateForm, UploadForm
from tracker.exports.models import ExportJob
from tracker.exports.services import ExportRefused
from tracker.exports.uploads import max_upload_bytes


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    user: Any = request.user
    initial = {"province": user.province_id} if user.province_id else {}
    context.setdefault("province_form", ProvinceReportForm(user=user, initial=initial))
    context.setdefault("template_form", TemplateForm(user=user, initial=initial))
    context.setdefault("upload_form", UploadForm())
    if permissions.is_ministry(user):
        context.setdefault("national_form", NationalReportForm())
    context["jobs"] = selectors.job_list(user=user)
    context["is_admin"] = permissions.is_admin(user)
    return render(request, "exports/index.html", context, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_GET
def province_report(request: HttpRequest) -> HttpResponse:
    form = ProvinceReportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, province_form=form, status=400)
    try:
        period = services.report_period(form.cleaned_data["period"])
    except ExportRefused as exc:
        form.add_error("period", exc.message)
        return _page(request, province_form=form, status=400)
    document = reports.province_report(province=form.cleaned_data["province"], period=period)
    rendered = reports.render_document(document, form.cleaned_data["format"])
    return _attachment(rendered.content, rendered.filename, rendered.content_type)


@login_required
@require_POST
def national_report(request: HttpRequest) -> HttpResponse:
    if not permissions.is_ministry(request.user):
        raise Http404
    form = NationalReportForm(request.POST)
    if not form.is_valid():
        return _page(request, national_form=form, status=400)
    try:
        period = services.report_period(form.cleaned_data["period"])
        job = services.export_job_create(
            user=request.user,
            kind=ExportJob.Kind.NATIONAL,
            file_format=form.cleaned_data["format"],
            period=period,
            language=get_language(),
        )
    except ExportRefused as exc:
        form.add_error(None, exc.message)
        return _page(request, national_form=form, status=400)
    return redirect("exports:job", pk=job.pk)


@login_required
@require_GET
def job_page(request: HttpRequest, pk: Any) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=pk)
    if job is None:
        raise Http404
    expired = job.status == ExportJob.Status.EXPIRED or (
        job.expires_at is not None and job.expires_at <= timezone.now()
    )
    return render(request, "exports/job.html", {"job": job, "expired": expired})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: Any) -> HttpResponseBase:
    job = selectors.job_get(user=request.user, job_id=pk)
    if job is None:
        raise Http404
    if job.status != ExportJob.Status.DONE or not job.file or (job.expires_at and job.expires_at <= timezone.now()):
        return redirect("exports:job", pk=job.pk)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, template_form=form, status=400)
    try:
        period = services.parse_period(form.cleaned_data["period"])
        template = services.entry_template_export(
            user=request.user, province=form.cleaned_data["province"], form=form.cleaned_data["form"], period=period
        )
    except ExportRefused as exc:
        form.add_error(None, exc.message)
        return _page(request, template_form=form, status=400)
    return _attachment(template.content, template.filename, reports.CONTENT_TYPES["xlsx"])


@login_required
@require_POST
def template_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.entry_template_import(
            user=request.user, name=upload.name or "", data=upload.read(max_upload_bytes() + 1)
        )
    except FileInvalid as exc:
        return _page(request, upload_form=form, upload_errors=exc.messages, status=exc.status)
    messages.success(
        request,
        _("Đã lưu số liệu từ tệp Excel vào bản nháp (%(count)d số liệu thay đổi).") % {"count": len(result.changed)},
    )
    for warning in result.warnings:
        messages.warning(request, str(warning))
    return redirect("reporting:submission", pk=result.submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_import_page(request: HttpRequest) -> HttpResponse:
    if not permissions.is_admin(request.user):
        raise Http404
    form = BulkImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = bulk_import.bulk_import(
                user=request.user,
                name=upload.name or "",
                data=upload.read(max_upload_bytes() + 1),
                dry_run=form.cleaned_data["dry_run"],
                approve=form.cleaned_data["approve"],
            )
            context["result"] = result
            context["totals"] = result.totals()
            status = 200 if not result.errors else 400
        except FileInvalid as exc:
            context["errors"] = exc.messages
            status = exc.status
    elif request.method == "POST":
        status = 400
    return render(request, "exports/bulk_import.html", context, status=status)
