from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Intake, screening, the decision clock and routing into a case."""

    name = "referrals"
