"""Writes to See Me, Hear Me plans: the first version, and each review after it.

A review never edits a version: it writes the next one, so every earlier
version stays readable, and the page shows what each review changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.models import PLAN_SECTIONS, Plan, PlanVersion
from assessments.text import check_text
from cse_cases import access, audit
from cse_cases.models import AuditAction, Case, CaseStatus, User
from cse_cases.services import EditConflict, RecordError

REQUIRED = {
    "needs_and_outcomes": "Describe the young person's needs and the outcomes wanted.",
    "young_person_support": "Describe the support for the young person.",
    "disruption_and_investigation": (
        "Describe the disruption and investigation: it is part of every plan and never waits "
        "for a disclosure."
    ),
}
LONGEST_REVIEW = timedelta(days=366)


@transaction.atomic
def plan_review(
    *,
    by: User,
    case: Case,
    sections: dict[str, str],
    consistent_worker: User,
    review_on: date,
    review_notes: str = "",
    based_on: int,
) -> PlanVersion:
    """Write the next version. `based_on` is the version the person started
    from (0 for a first plan): if someone reviewed it since, they are told."""
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.OPEN:
        raise RecordError("The case is closed: its plan can be read but not reviewed.")
    plan, _ = Plan.objects.get_or_create(case=case)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    current = plan.versions.filter(is_current=True).select_related("created_by").first()
    if (current.number if current else 0) != based_on:
        conflict = EditConflict(current)
        # No current version (a stale or hand-made form claiming one) keeps the
        # general sentence; naming the reviewer needs a version to name.
        if current is not None:
            conflict.args = (
                f"{current.created_by} reviewed this plan (version {current.number}) while you "
                "were writing. What you typed is below and has not been lost: compare it with "
                "their version, then save again.",
            )
        raise conflict
    for name, message in REQUIRED.items():
        if not (sections.get(name) or "").strip():
            raise RecordError(message, field=name)
    today = timezone.localdate()
    if review_on <= today:
        raise RecordError("The review date must be in the future.", field="review_on")
    if review_on > today + LONGEST_REVIEW:
        raise RecordError("Review the plan within a year.", field="review_on")
    # The same list the page offers: the lead professional or the team around
    # the child (someone who sees the case another way, by break-glass or as a
    # CSE lead, is not the worker the young person relies on).
    if not access.consistent_worker_choices(case).filter(pk=consistent_worker.pk).exists():
        raise RecordError(
            "The person chosen is not the lead professional or in the team around the child: "
            "add them to the team first, so the young person's consistent worker can see "
            "their record.",
            field="consistent_worker",
        )
    if current is not None:
        PlanVersion.objects.filter(pk=current.pk).update(is_current=False)
    version = PlanVersion.objects.create(
        plan=plan,
        number=(current.number if current else 0) + 1,
        consistent_worker=consistent_worker,
        review_on=review_on,
        review_notes=check_text("review_notes", review_notes.strip()),
        created_by=by,
        **{name: check_text(name, (sections.get(name) or "").strip()) for name, _ in PLAN_SECTIONS},
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE if current is None else AuditAction.CHANGE,
        obj=version,
        young_person_id=case.young_person_id,
        detail=f"plan version {version.number}",
    )
    return version


@dataclass(frozen=True)
class Piece:
    """A run of words in a diff: kept, removed or added."""

    text: str
    removed: bool = False
    added: bool = False


@dataclass
class Change:
    """One section a review changed, word by word. The data only: the
    template (assessments/plans/_diff.html) marks removed and added words up."""

    heading: str
    before: str
    after: str
    pieces: list[Piece]


def _diff(before: str, after: str) -> list[Piece]:
    """Word-level changes: what stayed, what went and what came, in order."""
    old, new = before.split(), after.split()
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if op == "equal":
            pieces.append(Piece(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(" ".join(old[i1:i2]), removed=True))
        if j2 > j1:
            pieces.append(Piece(" ".join(new[j1:j2]), added=True))
    return pieces


def plan_changes(earlier: PlanVersion | None, later: PlanVersion) -> list[Change]:
    """What a review changed, section by section."""
    if earlier is None:
        return []
    changes = []
    for name, heading in PLAN_SECTIONS:
        before, after = getattr(earlier, name), getattr(later, name)
        if before != after:
            changes.append(Change(heading, before, after, _diff(before, after)))
    if earlier.consistent_worker_id != later.consistent_worker_id:
        changes.append(
            Change(
                "Consistent worker",
                str(earlier.consistent_worker),
                str(later.consistent_worker),
                _diff(str(earlier.consistent_worker), str(later.consistent_worker)),
            )
        )
    if earlier.review_on != later.review_on:
        before, after = f"{earlier.review_on:%-d %B %Y}", f"{later.review_on:%-d %B %Y}"
        changes.append(Change("Review date", before, after, _diff(before, after)))
    return changes
