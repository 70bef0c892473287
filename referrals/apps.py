from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Intake, screening, the decision clock and routing into a case."""

    name = "referrals"

    def ready(self) -> None:
        from cse_cases import chronology, home_widgets
        from cse_cases.access import RECORD_ROLES
        from cse_cases.api import routes
        from referrals import panels, rules
        from referrals.api import ReferralViewSet
        from referrals.chronology import referral_entries
        from referrals.merge import register as register_merge_handlers

        chronology.register("referral", "Referrals", referral_entries)
        register_merge_handlers()
        rules.register()
        routes.register("referrals", ReferralViewSet, basename="referral-api")
        # First on the home page, above assessment work.
        home_widgets.register(
            home_widgets.Widget(
                "referrals", "referrals/_home.html", panels.home_widget, RECORD_ROLES, order=10
            )
        )
