"""What a record merge does with meetings, actions, assessments and plans
(see cse_cases/merge.py)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from assessments.models import Action, Assessment, Distribution, MeetingSubject, Plan
from cse_cases.merge import Merge

CASE_MOVES_WHOLE = "points at a case, and cases move whole with their history"


def move_actions(m: Merge) -> int:
    return Action.objects.filter(young_person=m.duplicate).update(young_person=m.keep)


def move_meeting_subjects(m: Merge) -> int:
    # One subject per young person per meeting (a constraint). When a meeting
    # discussed both records, the kept record's minutes are the meeting's
    # record of the child; the duplicate's subject stays as minuted, on the
    # meeting's page and the merged record, rather than being rewritten or
    # deleted.
    both = MeetingSubject.objects.filter(meeting=OuterRef("meeting"), young_person=m.keep)
    return (
        MeetingSubject.objects.filter(young_person=m.duplicate)
        .exclude(Exists(both))
        .update(young_person=m.keep)
    )


def move_distributions(m: Merge) -> int:
    # Who was sent a meeting's record about which children. A distribution
    # that already names the kept record keeps its row for the duplicate too:
    # it is what was sent, and one row per child per distribution.
    through = Distribution.young_people.through
    already = through.objects.filter(distribution=OuterRef("distribution"), youngperson=m.keep)
    return (
        through.objects.filter(youngperson=m.duplicate)
        .exclude(Exists(already))
        .update(youngperson=m.keep)
    )


def register() -> None:
    from cse_cases import merge

    merge.register(Action, "young_person", "actions", move_actions)
    merge.register(MeetingSubject, "young_person", "meeting subjects", move_meeting_subjects)
    merge.register(
        Distribution.young_people.through,
        "youngperson",
        "meeting records sent",
        move_distributions,
    )
    # Distribution.young_people itself is the many-to-many above, seen from
    # the other side: its rows are the through table's.
    merge.stays(Distribution, "young_people", "its rows are moved as the through table's")
    # One open assessment and one plan per case: both stay with their case,
    # which moves whole, so neither constraint can be broken by a merge.
    merge.stays(Assessment, "case", CASE_MOVES_WHOLE)
    merge.stays(Plan, "case", CASE_MOVES_WHOLE)
