"""Referrals on the young person's chronology."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.urls import reverse

from cse_cases import access
from cse_cases.chronology import Entry, Filter, Row, Source, entry, label, project
from cse_cases.models import User, YoungPerson
from referrals.models import Referral


def referral_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    referrals = access.referrals_visible_to(user).filter(young_person=young_person)
    if flt.agency_id:
        referrals = referrals.filter(referrer_agency_id=flt.agency_id)
    return project(
        referrals,
        at=F("received_at"),
        agency=F("referrer_agency_name"),
        author=F("referrer_name"),
        body=F("concerns"),
        words=F("young_persons_words"),
        pk=F("pk"),
        decision=F("decision"),
    )


def referral_entry(row: Row) -> Entry:
    data = row["entry_data"]
    decision = data["decision"]
    outcome = label(Referral, "decision", decision) if decision else "awaiting a decision"
    # The model says how a referral's reference reads.
    reference = Referral(pk=data["pk"]).reference
    return entry(
        row,
        kind="referral",
        kind_label="Referral",
        title=f"Referral {reference}: {outcome}",
        extra={"url": reverse("referral", args=[data["pk"]])},
    )


referral_entries = Source(referral_rows, referral_entry)
