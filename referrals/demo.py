"""A few fictional referrals per demo area, so the screening queue has work in
it on a first `make run` (one overdue, one urgent, one about a named child)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cse_cases.models import Area, User
from referrals import services
from referrals.models import Referral

EXAMPLES = [
    {
        "subject_description": "A girl of about 14 called 'Kay', seen twice at the bus station "
        "late at night with two adult men.",
        "concerns": "Seen getting into a car with adults after dark; school says she is tired "
        "and withdrawn.",
        "indicators": ["transported", "locations"],
        "urgency": "urgent",
        "referrer_risk": "high",
        "hours_ago": 3,
    },
    {
        "subject_description": "A boy of 15, first name Tyler, at the youth club on Tuesdays.",
        "concerns": "Has a new phone and expensive trainers; says an older friend gave them.",
        "indicators": ["gifts_money", "older_person"],
        "young_persons_words": "He looks after me, he's sound.",
        "urgency": "routine",
        "referrer_risk": "medium",
        "hours_ago": 50,  # past its clock: shows as overdue
    },
    {
        "subject_description": "A girl of 13 reported missing twice this month from her "
        "foster placement.",
        "concerns": "Returns with alcohol on her breath and has not said where she was.",
        "indicators": ["missing", "substances"],
        "urgency": "routine",
        "referrer_risk": "",
        "hours_ago": 20,
    },
]


def seed_referrals() -> int:
    """Add the examples to each area's queue once; returns how many were added."""
    if Referral.objects.exists():
        return 0
    made = 0
    for area in Area.objects.all():
        referrer = User.objects.filter(areas=area, role="practitioner", is_active=True).first()
        if referrer is None:
            continue
        # Seeding runs outside a request; the demo practitioner acts as signed in.
        referrer.is_verified = lambda: True
        for example in EXAMPLES:
            example = dict(example)
            received = timezone.now() - timedelta(hours=example.pop("hours_ago"))
            services.referral_create(
                by=referrer,
                data={
                    "referrer_name": referrer.get_full_name(),
                    "referrer_role": referrer.job_title,
                    "referrer_agency_name": referrer.agency.name,
                    "referrer_email": referrer.email,
                    "parents_aware": "not_known",
                    "consent": "not_sought",
                    "consent_not_sought_reason": "Identity not yet known",
                    "sharing_basis": "safeguarding",
                    **example,
                },
                identity_unknown=True,
                area=area,
                received_at=received,
            )
            made += 1
    return made
