"""Who sees which figures on the dashboards.

- Approved (official) figures: every signed-in user; everyone, read-only, when the public
  portal is turned on (settings.PUBLIC_PORTAL, off by default).
- Preview figures, which include submitted but not yet approved values: only the ministry
  (reviewers, admins) for every province, and a province's own officers and approvers for their
  province. A preview is asked for with ?preview=1 and silently refused to anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from tracker.accounts import permissions


def may_view(user: Any) -> bool:
    return bool(user.is_authenticated or getattr(settings, "PUBLIC_PORTAL", False))


@dataclass(frozen=True)
class PreviewScope:
    """Whose unapproved figures a user may see: everyone's (`all_units`) or one province's."""

    all_units: bool = False
    province_id: int | None = None

    @property
    def allowed(self) -> bool:
        return self.all_units or self.province_id is not None

    def covers(self, province_id: int | None) -> bool:
        return self.all_units or (province_id is not None and province_id == self.province_id)


NO_PREVIEW = PreviewScope()


def preview_scope(user: Any) -> PreviewScope:
    if not user.is_authenticated:
        return NO_PREVIEW
    if permissions.is_ministry(user):
        return PreviewScope(all_units=True)
    if user.is_provincial and user.province_id is not None:
        return PreviewScope(province_id=user.province_id)
    return NO_PREVIEW


def dashboard_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required, unless the public read-only portal is on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_view(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
