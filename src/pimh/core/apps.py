from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pimh.core"
    label = "core"
    verbose_name = "Organisations, teams, users and audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from pimh.core import services  # noqa: F401  (connects the sign-in audit signals)
        from pimh.core.planner import set_planner_costs

        connection_created.connect(set_planner_costs, dispatch_uid="pimh-planner-costs")
