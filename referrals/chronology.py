"""Referrals on the young person's chronology."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from cse_cases import access
from cse_cases.chronology import Entry, Filter
from cse_cases.models import User, YoungPerson


def referral_entries(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    referrals = (
        access.referrals_visible_to(user)
        .filter(young_person=young_person)
        .select_related("referrer_agency")
        .order_by("-received_at")
    )
    if flt.agency_id:
        referrals = referrals.filter(referrer_agency_id=flt.agency_id)
    for referral in referrals[: flt.limit]:
        outcome = referral.get_decision_display() if referral.decision else "awaiting a decision"
        yield Entry(
            at=referral.received_at,
            kind="referral",
            kind_label="Referral",
            title=f"Referral {referral.reference}: {outcome}",
            agency=referral.referrer_agency_name,
            author=referral.referrer_name,
            body=referral.concerns,
            young_persons_words=referral.young_persons_words,
            extra={"url": reverse("referral", args=[referral.pk])},
        )
