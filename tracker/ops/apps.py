from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: worker heartbeat, database outage answers, backup and restore, the load test."""

    name = "tracker.ops"
    label = "ops"
    verbose_name = _("Vận hành")
