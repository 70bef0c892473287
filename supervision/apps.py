from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision, the drift engine (flags) and the work dashboards."""

    name = "supervision"

    def ready(self) -> None:
        from supervision import rules  # noqa: F401 - registers the core rules
