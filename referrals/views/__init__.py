"""Referral pages: intake, the lists, the referral and its decision."""

from referrals.views.referral import *  # noqa: F403
