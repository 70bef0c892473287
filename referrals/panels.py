"""What referrals show on the core's pages: the home page's referrals widget
(registered from ReferralsConfig.ready() with cse_cases/home_widgets.py)."""

from __future__ import annotations

from typing import Any

from cse_cases import access
from cse_cases.models import User
from referrals import selectors


def home_widget(user: User) -> dict[str, Any]:
    """The screening queue's counts for those who screen, and the links
    beside them (making a referral, the language report, the missing import)."""
    context: dict[str, Any] = {
        "may_import_missing": access.may_import_missing(user),
        "may_read_language_report": access.may_read_language_report(user),
    }
    if access.may_screen_referrals(user):
        context["referral_counts"] = selectors.counts_for_home(user)
    return context
