"""An area's demo caseload: young people with open and closed cases, the team
around each child from several agencies, case notes, missing episodes and
return interviews, persons of concern and places, emergency access for
information governance to review, a possible duplicate for the CSE lead and
a new account waiting for approval.

One seeded random generator per area makes the demo the same on every run;
every date is counted back from today, so it reads as current on whatever
day it is seeded. Steps with rules of their own (closing a case, emergency
access and its review, a duplicate check, an account change, persons of
concern and places) go through the core's services, acting as the area's
demo workers; the volume records go in bulk with the audit rows the
services would write (cse_cases/wiring/demo/bulk.py). Services stamp "now": where
a record's own dates say when something happened, they are set back.
Audit rows keep the time they were really written: the seeding.

Features add their part of each child's story (referrals, assessments,
meetings, plans) from the `Caseload` this returns; seed_demo runs them.
"""

from __future__ import annotations

import random
from datetime import datetime

from cse_cases.models.partnership import Area
from cse_cases.wiring.demo import contexts, governance, missing, people
from cse_cases.wiring.demo.story import Caseload, Child, Staff, staff_for

__all__ = ["Caseload", "Child", "Staff", "seed_area"]


def seed_area(area: Area, *, now: datetime) -> Caseload | None:
    """The area's caseload, or None when it is not a demo area with its workers."""
    staff = staff_for(area)
    if staff is None:
        return None
    rng = random.Random(f"harbour-demo/{area.code}")  # noqa: S311 - fictional data, not secrets
    caseload = Caseload(staff=staff, rng=rng, now=now)
    people.young_people(caseload)
    contexts.places_and_persons(caseload)
    missing.episodes(caseload)
    people.notes(caseload)
    contexts.links(caseload)
    caseload.audit.write()
    people.close(caseload)
    governance.emergency_access(caseload)
    governance.possible_duplicate(caseload)
    governance.new_starter(caseload)
    return caseload
