from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Caseloads, supervision sessions, the drift engine and the work dashboards."""

    name = "supervision"
