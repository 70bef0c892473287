from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision, the drift engine (flags) and the work dashboards."""

    name = "supervision"

    def ready(self) -> None:
        from cse_cases.api import routes
        from supervision.api import FlagViewSet
        from supervision.merge import register as register_merge_handlers

        register_merge_handlers()
        routes.register("flags", FlagViewSet, basename="flag-api")
