"""The home page: a different working day for each role (tracker/home.py); the catalogue's
counts for visitors who are not signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from kpis.selectors import catalogue_counts
from tracker import home as homes
from tracker.accounts import permissions
from tracker.accounts.models import Role
from tracker.reporting.commune_views import commune_home_context


def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return render(request, "home.html", {"counts": catalogue_counts()})
    if permissions.is_admin(user):
        return render(request, "home/admin.html", homes.admin_home(user))
    if permissions.is_reviewer(user):
        return render(request, "home/reviewer.html", homes.reviewer_home(user))
    if user.role == Role.APPROVER and user.province_id:
        return render(request, "home/approver.html", homes.approver_home(user))
    if user.role == Role.OFFICER and user.province_id:
        return render(request, "home/officer.html", homes.officer_home(user))
    if user.role == Role.COMMUNE_OFFICER and user.commune_id:
        return render(request, "reporting/commune_home.html", commune_home_context(user))
    return render(request, "home.html", {"counts": catalogue_counts()})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the reference of the logged error (tracker.ops.middleware), no details."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"reference": getattr(request, "error_reference", "")}), status=500)
