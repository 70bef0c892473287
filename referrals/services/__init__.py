"""Every write to a referral: intake, and one function per transition."""

from referrals.services.intake import *  # noqa: F403
