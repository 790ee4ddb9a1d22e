"""The in-app notification centre: the user's notifications, read marks, and their channel choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from tracker.notifications import selectors, services
from tracker.notifications.models import Channel

PAGE_SIZE = 50


@login_required
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("chua-doc") == "1"
    page = Paginator(selectors.notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "notifications/centre.html",
        {
            "page": page,
            "groups": selectors.grouped_by_report(list(page.object_list)),
            "unread_only": unread_only,
            "channel": selectors.channel_of(request.user),
            "channels": Channel.choices,
        },
    )


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:centre")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        raise Http404
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count})
    return _back(request)


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    try:
        services.preference_set(user=request.user, channel=request.POST.get("channel", ""))
    except services.InvalidChannel as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu cách nhận thông báo."))
    return _back(request)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps a signed-in user's choice for their e-mails."""
    response = i18n.set_language(request)
    if request.method == "POST":
        services.language_remember(user=request.user, language=request.POST.get("language", ""))
    return response
