"""Web pages of commune reporting (issue 17). Thin, like tracker.reporting.views.

- the commune officer's home: their commune's reports by period (status, due date) and the
  periods to open; a commune report itself is entered on the province's entry form page;
- the province approver's page of the province's commune reports for a form and period, with
  checkboxes to approve many at once or return them with a reason;
- the approver's reason for sending the province report below the communes' coverage threshold.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period, Periodicity
from provinces.models import Province
from tracker.accounts import permissions
from tracker.accounts.models import Role
from tracker.reporting import clock, commune_selectors, communes
from tracker.reporting.commune_rollup import commune_coverage
from tracker.reporting.communes import BatchRefused
from tracker.reporting.errors import NotPermitted, ReportingError, SubmissionNotFound
from tracker.reporting.levels import commune_element_ids
from tracker.reporting.models import Submission


def submission_page_context(user: Any, submission: Any) -> dict[str, Any]:
    """What the entry form page adds for the commune level: a province report's communes'
    coverage (with the approver's note) beside its rolled-up cells."""
    if submission.commune_id is not None or not commune_element_ids(submission.form, submission.period):
        return {"coverage": None}
    coverage = commune_coverage(submission.province, submission.form, submission.period)
    return {
        "coverage": coverage,
        "communes_url": f"{reverse('reporting:communes', args=[submission.province_id])}"
        f"?form={submission.form.code}&period={submission.period}",
        "can_note_coverage": coverage.below_threshold
        and submission.status in (Submission.Status.DRAFT, Submission.Status.RETURNED)
        and permissions.may_record_coverage_note(user, submission),
    }


def commune_home_context(user: Any) -> dict[str, Any]:
    commune, statuses, due = commune_selectors.commune_home(user=user)
    return {"commune": commune, "statuses": statuses, "due": due}


@login_required
@require_GET
def commune_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role != Role.COMMUNE_OFFICER or not user.commune_id:
        raise Http404
    return render(request, "reporting/commune_home.html", commune_home_context(user))


@login_required
@require_POST
def commune_open(request: HttpRequest) -> HttpResponse:
    """Open the commune officer's report of a form and period (from the home's list of periods due)."""
    user: Any = request.user
    if user.role != Role.COMMUNE_OFFICER or not user.commune_id:
        raise Http404
    form = ReportForm.objects.filter(code=request.POST.get("form", "")).first()
    if form is None:
        messages.error(request, _("Chọn biểu mẫu và ghi kỳ báo cáo."))
        return redirect("reporting:commune_home")
    try:
        submission, _created = communes.commune_submission_create(
            user=user, commune=user.commune, form=form, period=request.POST.get("period", "")
        )
    except ReportingError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:commune_home")
    return redirect("reporting:submission", pk=submission.pk)


def _form_and_period(request: HttpRequest) -> tuple[ReportForm | None, Period | None, list[str]]:
    """The chosen form and period, defaulting to the first commune form's last ended period."""
    problems = []
    forms = list(commune_selectors.commune_forms())
    code = request.GET.get("form") or (forms[0].code if forms else "")
    form = next((f for f in forms if f.code == code), None)
    if form is None:
        if code:
            problems.append(_("Không có biểu mẫu báo cáo cấp xã mã “%(code)s”.") % {"code": code[:40]})
        return None, None, problems
    text = request.GET.get("period", "")
    if not text:
        return form, Period.containing(clock.today(), Periodicity(form.periodicity)).previous(), problems
    try:
        period = Period.parse(text)
    except InvalidPeriod as exc:
        problems.append(str(exc))
        return form, None, problems
    if period.periodicity != form.periodicity:
        problems.append(
            _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s (%(periodicity)s).")
            % {"period": period, "form": form.code, "periodicity": form.periodicity}
        )
        return form, None, problems
    return form, period, problems


@login_required
@require_GET
def province_communes(request: HttpRequest, province_id: int) -> HttpResponse:
    province = get_object_or_404(Province, pk=province_id)
    if not permissions.may_read_province(request.user, province):
        raise Http404
    form, period, problems = _form_and_period(request)
    page = None
    if form is not None and period is not None:
        try:
            page = commune_selectors.province_commune_reports(
                user=request.user, province=province, form=form, period=period
            )
        except SubmissionNotFound as exc:
            raise Http404 from exc
    user: Any = request.user
    may_approve = (user.role == Role.APPROVER and user.province_id == province.pk) or permissions.is_admin(user)
    return render(
        request,
        "reporting/province_communes.html",
        {
            "province": province,
            "page": page,
            "problems": problems,
            "forms": commune_selectors.commune_forms(),
            "chosen_form": form,
            "chosen_period": period,
            "may_approve": may_approve,
            "may_return": may_approve or permissions.is_reviewer(user),
        },
        status=400 if problems else 200,
    )


def _ids(request: HttpRequest) -> list[int]:
    return [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]


@login_required
@require_POST
def province_communes_action(request: HttpRequest, province_id: int) -> HttpResponse:
    """Approve, or return with a reason, the checked commune reports: all of them or none."""
    province = get_object_or_404(Province, pk=province_id)
    if not permissions.may_read_province(request.user, province):
        raise Http404
    form = ReportForm.objects.filter(code=request.POST.get("form", "")).first()
    back = reverse("reporting:communes", args=[province.pk])
    if form is not None:
        back = f"{back}?form={form.code}&period={request.POST.get('period', '')}"
    action = request.POST.get("action", "approve")
    try:
        if action == "return":
            done = communes.commune_batch_return(
                user=request.user, submission_ids=_ids(request), comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Đã trả lại %(count)d báo cáo cấp xã.") % {"count": len(done)})
        else:
            done = communes.commune_batch_approve(user=request.user, submission_ids=_ids(request))
            messages.success(request, _("Đã phê duyệt %(count)d báo cáo cấp xã.") % {"count": len(done)})
    except BatchRefused as exc:
        messages.error(request, exc.message)
        for refusal in exc.refusals:
            messages.error(request, f"{refusal.unit or refusal.submission_id}: {refusal.reason}")
        return redirect(back)
    except NotPermitted as exc:
        return HttpResponse(exc.message, status=403)
    except ReportingError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@login_required
@require_POST
def coverage_note(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        communes.coverage_note_record(submission=pk, user=request.user, note=request.POST.get("note", ""))
    except SubmissionNotFound as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        return HttpResponse(exc.message, status=403)
    except ReportingError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:submission", pk=pk)
    messages.success(request, _("Đã ghi lý do nộp báo cáo khi chưa đủ xã được duyệt."))
    return redirect("reporting:submission", pk=pk)
