from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: worker heartbeat, database outage answers, backup and restore, the load test."""

    name = "tracker.ops"
    label = "ops"
    verbose_name = "Vận hành"
