from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The project package itself, registered for its templates, static files and commands."""

    name = "tracker"
    verbose_name = "Tracker"
