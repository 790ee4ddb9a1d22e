from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _remember_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # A language chosen before signing in (on the login page) is the user's choice too.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") if request is not None else ""
    if chosen:
        from tracker.notifications.services import language_remember

        language_remember(user=user, language=chosen)


class NotificationsConfig(AppConfig):
    name = "tracker.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="notifications.remember_language")
