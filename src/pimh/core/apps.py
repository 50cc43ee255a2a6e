from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pimh.core"
    label = "core"
    verbose_name = "Organisations, teams, users and audit"

    def ready(self) -> None:
        from pimh.core import services  # noqa: F401  (connects the sign-in audit signals)
