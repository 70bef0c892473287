"""What a record merge does with meetings, actions, assessments and plans
(see cse_cases/merge.py)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from assessments.models import OPEN, Action, Assessment, Distribution, MeetingSubject, Plan
from cse_cases.merge import Merge
from cse_cases.models import Case, CaseStatus


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


def _closing_cases(m: Merge) -> tuple[Case | None, list[Case]]:
    """The kept record's open case, and the duplicate's open cases the merge is
    about to close into it (one open case per young person: see the core's
    case handler). With no kept open case, the duplicate's case stays open and
    keeps its own assessment and plan."""
    kept_open = Case.objects.filter(young_person=m.keep, status=CaseStatus.OPEN).first()
    if kept_open is None:
        return None, []
    return kept_open, list(Case.objects.filter(young_person=m.duplicate, status=CaseStatus.OPEN))


def move_open_assessment(m: Merge) -> int:
    # An assessment still being written on the duplicate's case would be left
    # on a closed case, where nobody can finish it: it carries on on the case
    # kept. When the case kept already has one in progress (one per case), the
    # team finishes that one; the duplicate's stays readable on the closed
    # case, and the merge says so to the CSE lead.
    kept_open, closing = _closing_cases(m)
    if kept_open is None:
        return 0
    moved = 0
    for case in closing:
        for assessment in Assessment.objects.filter(case=case, status__in=OPEN):
            if Assessment.objects.filter(case=kept_open, status__in=OPEN).exists():
                m.left.append(
                    f"An assessment in progress on the duplicate's case (started "
                    f"{assessment.started_at:%d %B %Y}) stays on that closed case, because "
                    "the case kept has one in progress: read it there and carry what is "
                    "needed into the one in progress."
                )
                continue
            moved += Assessment.objects.filter(pk=assessment.pk).update(case=kept_open)
    return moved


def move_plan(m: Merge) -> int:
    # The same for the duplicate's See Me, Hear Me plan: it becomes the case
    # kept's plan unless that case has its own (one plan per case).
    kept_open, closing = _closing_cases(m)
    if kept_open is None:
        return 0
    moved = 0
    for case in closing:
        if not Plan.objects.filter(case=case).exists():
            continue
        if Plan.objects.filter(case=kept_open).exists():
            m.left.append(
                "The duplicate's See Me, Hear Me plan stays on its closed case, because the "
                "case kept has a plan: review the kept plan with anything it lacks."
            )
            continue
        moved += Plan.objects.filter(case=case).update(case=kept_open)
    return moved


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
    # Before the cases move (and the duplicate's open case closes): work in
    # progress on that case carries on on the case kept.
    merge.register(
        Assessment, "case", "assessments in progress", move_open_assessment, order=merge.CASES - 1
    )
    merge.register(Plan, "case", "plans", move_plan, order=merge.CASES - 1)
