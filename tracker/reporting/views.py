"""Web pages of the reporting workflow (server-rendered, Vietnamese first).

Thin: each view calls one selector or service. Refusals: a submission the user may not read is a
404 (never revealed), an action the role may not do is a 403, an action that does not fit the
status (or invalid input) re-renders the page with the message and status 400, a stale version
409 with the current values in the form. Successful actions redirect (302) back to the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from provinces.models import Province
from tracker.accounts import permissions
from tracker.accounts.models import Role
from tracker.reporting import cells, commune_views, entry, prefill, selectors, services
from tracker.reporting import evidence as evidence_services
from tracker.reporting.api import evidence_file_response
from tracker.reporting.errors import (
    FlagsNotAcknowledged,
    NotPermitted,
    ReportingError,
    SubmissionNotFound,
    ValuesInvalid,
    VersionConflict,
)
from tracker.reporting.forms import (
    CommentForm,
    CorrectionForm,
    CreateSubmissionForm,
    EvidenceForm,
    InboxFilterForm,
    LockExceptionForm,
    ReturnForm,
    SubmissionValuesForm,
    value_field,
)
from tracker.reporting.models import Submission
from tracker.reporting.validation import context_for

INBOX_PAGE_SIZE = 50


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if permissions.is_ministry(user):
        return redirect("reporting:inbox")
    if user.role == Role.COMMUNE_OFFICER:
        return redirect("reporting:commune_home")
    if user.province_id:
        return redirect("reporting:province", province_id=user.province_id)
    raise Http404


@login_required
@require_GET
def province_overview(request: HttpRequest, province_id: int) -> HttpResponse:
    province = get_object_or_404(Province.objects.select_related("successor"), pk=province_id)
    try:
        statuses, due = selectors.province_overview(user=request.user, province=province)
    except SubmissionNotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "reporting/overview.html",
        {
            "province": province,
            "statuses": statuses,
            "due": due,
            "may_create": permissions.may_create(request.user, province),
            "create_form": CreateSubmissionForm(),
        },
    )


@login_required
@require_POST
def submission_open(request: HttpRequest, province_id: int) -> HttpResponse:
    province = get_object_or_404(Province, pk=province_id)
    if not permissions.may_read_province(request.user, province):
        raise Http404
    form = CreateSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn biểu mẫu và ghi kỳ báo cáo."))
        return redirect("reporting:province", province_id=province.pk)
    try:
        submission, _created = services.submission_create(
            user=request.user, province=province, form=form.cleaned_data["form"], period=form.cleaned_data["period"]
        )
    except NotPermitted as exc:
        return HttpResponse(exc.message, status=403)
    except ReportingError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:province", province_id=province.pk)
    return redirect("reporting:submission", pk=submission.pk)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.may_use_inbox(request.user):
        return HttpResponse(
            _("Chỉ lãnh đạo phê duyệt, chuyên viên Bộ và quản trị xem được hộp thư báo cáo."), status=403
        )
    # Opening the inbox without filters shows what waits for review.
    params = request.GET if request.GET else QueryDict(f"status={Submission.Status.SUBMITTED}")
    filters = InboxFilterForm(params)
    cleaned: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.inbox(
        user=request.user,
        status=cleaned.get("status") or None,
        period=cleaned.get("period") or None,
        province=cleaned.get("province") or None,
        form=cleaned["form"].code if cleaned.get("form") else None,
    )
    page = Paginator(queryset, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [selectors.submission_status(s) for s in page.object_list]
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/inbox.html",
        {
            "filters": filters,
            "page": page,
            "statuses": statuses,
            "query": query.urlencode(),
        },
    )


def _submission_or_404(request: HttpRequest, pk: int) -> Submission:
    try:
        return selectors.submission_get(user=request.user, pk=pk)
    except SubmissionNotFound as exc:
        raise Http404 from exc


def _page(
    request: HttpRequest,
    submission: Submission,
    *,
    values_form: SubmissionValuesForm | None = None,
    sheet: list[selectors.Section] | None = None,
    status: int = 200,
    attempted: dict[str, str] | None = None,
    warnings: dict[str, list[str]] | None = None,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    user: Any = request.user
    sheet = sheet if sheet is not None else selectors.submission_sheet(submission)
    rows = [row for section in sheet for row in section.rows]
    if values_form is None:
        values_form = SubmissionValuesForm(rows=rows, version=submission.version)
    values_form.rows = rows
    values_form.attach()
    editable = submission.status in services.EDITABLE
    can_edit = editable and permissions.may_edit_values(user, submission)
    ctx = context_for(submission)
    stored = [row.value for row in rows if row.value is not None]
    outliers = cells.form_outliers(ctx, stored)
    live_warnings = cells.form_warnings(ctx, stored, outliers)
    for row in rows:
        stored_error = row.value.error if row.value is not None and row.value.error else ""
        row.errors = [str(e) for e in values_form.errors.get(value_field(row.code), [])] or (
            [stored_error] if stored_error else []
        )
        row.warnings = (warnings or {}).get(row.code, []) or live_warnings.get(row.code, [])
        row.attempted = (attempted or {}).get(row.code)  # type: ignore[attr-defined]
        row.view = entry.row_view(row)  # type: ignore[attr-defined]
    state = selectors.submission_status(submission)
    counts = cells.form_counts(ctx, stored, live_warnings)
    context = {
        "counts": counts,
        "entry_config": entry.entry_config(
            submission=submission, ctx=ctx, rows=rows, can_edit=can_edit, outliers=outliers
        ),
        "submission": submission,
        "state": state,
        "sections": sheet,
        "values_form": values_form,
        **_history(request, submission),
        "evidence": selectors.submission_evidence(submission),
        "can_edit": can_edit,
        "can_submit": editable and permissions.may_submit(user, submission),
        "can_approve": submission.status == Submission.Status.SUBMITTED and permissions.may_approve(user, submission),
        "can_return": submission.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
        and permissions.may_return(user, submission),
        "can_correct": submission.status == Submission.Status.APPROVED
        and permissions.may_open_correction(user, submission),
        "can_grant": state.locked and permissions.may_grant_lock_exception(user, submission),
        "can_comment": permissions.may_comment(user, submission),
        "return_form": ReturnForm(),
        "correction_form": CorrectionForm(),
        "comment_form": CommentForm(),
        "lock_form": LockExceptionForm(),
        "evidence_form": EvidenceForm(rows=rows),
        **commune_views.submission_page_context(user, submission),
        **(forms or {}),
    }
    return render(request, "reporting/submission.html", context, status=status)


HISTORY_ON_PAGE = 50


def _history(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    """The latest changes only, unless asked for all: a much-edited draft keeps the page small."""
    entries = selectors.submission_history(submission)
    if request.GET.get("history") == "all":
        return {"history": entries, "history_total": None}
    latest = list(entries.order_by("-at", "-id")[: HISTORY_ON_PAGE + 1])
    if len(latest) <= HISTORY_ON_PAGE:
        return {"history": latest[::-1], "history_total": None}
    return {"history": latest[:HISTORY_ON_PAGE][::-1], "history_total": entries.count()}


@login_required
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    if request.method == "GET":
        return _page(request, submission)
    if request.method != "POST":
        return HttpResponse(status=405)
    sheet = selectors.submission_sheet(submission)
    rows = [row for section in sheet for row in section.rows]
    form = SubmissionValuesForm(request.POST, rows=rows, version=submission.version)
    if not form.is_valid():
        return _page(request, submission, values_form=form, sheet=sheet, status=400)
    action = request.POST.get("action", "save")
    inputs = form.changed_inputs()
    version = form.cleaned_data["version"]
    try:
        warnings: dict[str, list[str]] = {}
        if inputs:
            result = services.submission_values_update(
                submission=submission, user=request.user, version=version, values=inputs, locale=entry.page_locale()
            )
            version = result.submission.version
            warnings = result.warnings
        elif version != submission.version or action == "save":
            # Nothing typed: still report a stale page rather than pretend it was saved.
            services.submission_values_update(submission=submission, user=request.user, version=version, values=[])
        if action == "submit":
            services.submission_submit(submission=submission, user=request.user, version=version)
            messages.success(request, _("Đã gửi báo cáo cho lãnh đạo phê duyệt."))
            return redirect("reporting:submission", pk=pk)
    except VersionConflict as conflict:
        fresh = selectors.submission_get(user=request.user, pk=pk)
        attempted = {i.element: str(i.value) for i in inputs if i.value is not services.UNSET}
        messages.error(request, conflict.message)
        return _page(request, fresh, status=409, attempted=attempted)
    except ValuesInvalid as exc:
        for code, problems in exc.errors.items():
            field = value_field(code)
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        for problem in exc.form_errors:
            form.add_error(None, problem)
        messages.error(request, exc.message)
        fresh = selectors.submission_get(user=request.user, pk=pk)
        return _page(request, fresh, values_form=form, sheet=sheet, status=400)
    except NotPermitted as exc:
        return _refused(request, submission, exc, 403)
    except ReportingError as exc:
        return _refused(request, submission, exc, exc.http_status)
    for problems in warnings.values():
        for problem in problems:
            messages.warning(request, problem)
    if inputs:
        messages.success(request, _("Đã lưu số liệu."))
    else:
        messages.info(request, _("Không có thay đổi nào để lưu."))
    return redirect("reporting:submission", pk=pk)


def _refused(request: HttpRequest, submission: Submission, exc: ReportingError, status: int) -> HttpResponse:
    messages.error(request, exc.message)
    fresh = selectors.submission_get(user=request.user, pk=submission.pk)
    return _page(request, fresh, status=status)


def _action(
    request: HttpRequest, pk: int, form_class: type | None, call: Any, done: str, form_key: str = ""
) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Thiếu hoặc sai thông tin: %(errors)s") % {"errors": _errors_text(form)})
            return _page(request, submission, status=400, forms={form_key: form} if form_key else None)
        data = form.cleaned_data
    try:
        call(submission, data)
    except ReportingError as exc:
        return _refused(request, submission, exc, exc.http_status)
    messages.success(request, done)
    return redirect("reporting:submission", pk=pk)


def _errors_text(form: Any) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    acknowledged = request.POST.get("acknowledge_flags") in ("1", "on", "true")
    try:
        services.submission_approve(submission=submission, user=request.user, acknowledge_flags=acknowledged)
    except FlagsNotAcknowledged as exc:
        # Nothing was written: back to the review, where the warnings and the confirmation are.
        messages.error(request, exc.message)
        return redirect(reverse("reporting:review", args=[pk]) + "#canh-bao-so-lieu")
    except ReportingError as exc:
        return _refused(request, submission, exc, exc.http_status)
    messages.success(request, _("Đã phê duyệt báo cáo."))
    return redirect("reporting:submission", pk=pk)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        ReturnForm,
        lambda s, d: services.submission_return(submission=s, user=request.user, comment=d["comment"]),
        _("Đã trả lại báo cáo."),
        "return_form",
    )


@login_required
@require_POST
def submission_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        CorrectionForm,
        lambda s, d: services.submission_correction_open(submission=s, user=request.user, reason=d["reason"]),
        _(
            "Đã mở điều chỉnh; số liệu đã phê duyệt vẫn là số liệu chính thức"
            " cho đến khi bản điều chỉnh được phê duyệt."
        ),
        "correction_form",
    )


@login_required
@require_POST
def submission_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill what can be filled and say, per cell, why the rest could not be."""
    submission = _submission_or_404(request, pk)
    version = request.POST.get("version", "")
    try:
        report = prefill.submission_prefill(
            submission=submission, user=request.user, version=int(version) if version.isdigit() else None
        )
    except ReportingError as exc:
        return _refused(request, submission, exc, exc.http_status)
    level = messages.success if report.filled else messages.warning
    for line in report.messages():
        level(request, line)
        level = messages.warning
    return redirect("reporting:submission", pk=pk)


# The offline form: a service worker under /bao-cao/ (its scope) and the installable app's manifest,
# both served by the app itself, from templates so that they name the app's own static files.


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "reporting/sw.js", content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/manifest.webmanifest", content_type="application/manifest+json; charset=utf-8")


@login_required
@require_POST
def submission_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        CommentForm,
        lambda s, d: services.submission_comment_add(submission=s, user=request.user, text=d["text"]),
        _("Đã ghi ý kiến."),
        "comment_form",
    )


@login_required
@require_POST
def submission_lock_exception(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        LockExceptionForm,
        lambda s, d: services.lock_exception_grant(submission=s, user=request.user, reason=d["reason"], days=d["days"]),
        _("Đã mở khóa ngoại lệ."),
        "lock_form",
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    rows = selectors.submission_values(submission)
    form = EvidenceForm(request.POST, request.FILES, rows=rows)
    if not form.is_valid():
        messages.error(request, _("Thiếu hoặc sai thông tin: %(errors)s") % {"errors": _errors_text(form)})
        return _page(request, submission, status=400, forms={"evidence_form": form})
    try:
        evidence = evidence_services.evidence_upload(
            submission=submission,
            user=request.user,
            upload=form.cleaned_data["file"],
            element_code=form.cleaned_data.get("element") or "",
            description=form.cleaned_data.get("description") or "",
        )
    except ReportingError as exc:
        return _refused(request, submission, exc, exc.http_status)
    messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": evidence.original_name})
    return redirect("reporting:submission", pk=pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        evidence = evidence_services.evidence_for_download(user=request.user, evidence_id=pk)
    except SubmissionNotFound as exc:
        raise Http404 from exc
    return evidence_file_response(evidence)
