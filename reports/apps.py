from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Commissioner reports, the problem profile and record export."""

    name = "reports"
