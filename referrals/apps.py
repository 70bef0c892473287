from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Intake, screening, the decision clock and routing into a case."""

    name = "referrals"

    def ready(self) -> None:
        from cse_cases import chronology
        from referrals.chronology import referral_entries

        chronology.register("referral", "Referrals", referral_entries)

        from referrals.merge import register as register_merge_handlers

        register_merge_handlers()
