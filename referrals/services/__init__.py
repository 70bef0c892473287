"""Every write to a referral: intake, and one function per transition.

common.py     the status machine's steps, the decision clock, the audit row
intake.py     a referral received (referral_create), its attachments checked
screening.py  assign, screen, identify the young person, move to another district
decision.py   decide (opening or joining the case), close, reopen, the referrer's feedback

Callers use this package's names (`services.referral_decide(...)`); the
modules behind it are how it is kept readable.
"""

from referrals.services.common import (
    REFERRAL_MAX_AGE,
    IllegalTransition,
    decision_due,
)
from referrals.services.decision import (
    referral_close,
    referral_decide,
    referral_feedback_send,
    referral_reopen,
)
from referrals.services.intake import (
    ALLOWED_DESCRIPTION,
    ALLOWED_TYPES,
    REFERRAL_FIELDS,
    CheckedFile,
    check_attachment,
    referral_create,
)
from referrals.services.screening import (
    referral_assign,
    referral_identify,
    referral_screening_start,
    referral_screening_update,
    referral_transfer,
)

__all__ = [
    "ALLOWED_DESCRIPTION",
    "ALLOWED_TYPES",
    "REFERRAL_FIELDS",
    "REFERRAL_MAX_AGE",
    "CheckedFile",
    "IllegalTransition",
    "check_attachment",
    "decision_due",
    "referral_assign",
    "referral_close",
    "referral_create",
    "referral_decide",
    "referral_feedback_send",
    "referral_identify",
    "referral_reopen",
    "referral_screening_start",
    "referral_screening_update",
    "referral_transfer",
]
