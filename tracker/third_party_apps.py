"""Third-party apps under the project's own names in the admin, in both languages.

django-axes declares no verbose name, so the admin printed its label, “AXES”, whatever the
language; the subclass keeps everything of the app (name, label, ready()) but its title. Its models'
and DRF authtoken's English labels are translated in locale/vi/LC_MESSAGES/django.po.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Khóa đăng nhập")
