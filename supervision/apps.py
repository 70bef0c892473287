from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision, the drift engine (flags) and the work dashboards."""

    name = "supervision"

    def ready(self) -> None:
        from supervision import rules  # noqa: F401 - registers the core rules
        from supervision.merge import register as register_merge_handlers

        register_merge_handlers()
