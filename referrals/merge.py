"""What a record merge does with referrals (see cse_cases/merge.py)."""

from __future__ import annotations

from cse_cases.merge import Merge
from referrals.models import MeetingRequest, Referral


def move_referrals(m: Merge) -> int:
    # A referral keeps its district (where it was received and screened):
    # only whose record it is changes.
    return Referral.objects.filter(young_person=m.duplicate).update(young_person=m.keep)


def move_meeting_requests(m: Merge) -> int:
    return MeetingRequest.objects.filter(young_person=m.duplicate).update(young_person=m.keep)


def register() -> None:
    from cse_cases import merge

    merge.register(Referral, "young_person", "referrals", move_referrals)
    merge.register(MeetingRequest, "young_person", "meeting requests", move_meeting_requests)
    merge.stays(Referral, "case", "points at a case, and cases move whole with their history")
