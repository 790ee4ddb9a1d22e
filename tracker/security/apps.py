from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "tracker.security"
    label = "security"
    verbose_name = "Bảo mật"

    def ready(self) -> None:
        # Connects the login audit receivers.
        from tracker.security import audit, tokens  # noqa: F401 - token revocation receivers
