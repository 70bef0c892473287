from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Commissioner reports, the problem profile and record export."""

    name = "reports"

    def ready(self) -> None:
        from cse_cases import home_widgets
        from cse_cases.api import routes
        from cse_cases.models import Role
        from reports import home
        from reports.api import ReportRunViewSet
        from reports.network.api import NetworkViewSet
        from reports.profile.api import ProblemProfileViewSet

        routes.register("reports", ReportRunViewSet, basename="report-api")
        routes.register("problem-profile", ProblemProfileViewSet, basename="problem-profile-api")
        routes.register("network", NetworkViewSet, basename="network-api")
        home_widgets.register(
            home_widgets.Widget(
                "reports", "reports/_home.html", home.widget, {Role.COMMISSIONER}, order=5
            )
        )
