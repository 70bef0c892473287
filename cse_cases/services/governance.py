"""Information governance's writes: the review of each use of emergency access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cse_cases import access, audit
from cse_cases.models import (
    AuditAction,
    BreakGlassGrant,
    BreakGlassOutcome,
    BreakGlassReview,
    User,
)
from cse_cases.services.records import RecordError

REVIEW_NOTE_MAX = 5_000


@transaction.atomic
def break_glass_review(
    *, by: User, grant: BreakGlassGrant, outcome: str, note: str
) -> BreakGlassReview:
    """Record IG's decision on one use of emergency access, once."""
    if not access.break_glass_grants_to_review(by).filter(pk=grant.pk).exists():
        raise PermissionDenied
    if outcome not in BreakGlassOutcome.values:
        raise RecordError("Choose whether the access was appropriate", field="outcome")
    note = note.strip()
    if not note:
        raise RecordError("Write a note: what you checked, and what happens next", field="note")
    if len(note) > REVIEW_NOTE_MAX:
        raise RecordError(f"The note must be {REVIEW_NOTE_MAX:,} characters or fewer", field="note")
    # Locks the grant, so two officers reviewing at once cannot both win.
    BreakGlassGrant.objects.select_for_update().filter(pk=grant.pk).first()
    if BreakGlassReview.objects.filter(grant=grant).exists():
        raise RecordError("Someone has already reviewed this use of emergency access")
    try:
        with transaction.atomic():
            review = BreakGlassReview.objects.create(
                grant=grant, outcome=outcome, note=note, reviewed_by=by
            )
    except IntegrityError:
        raise RecordError("Someone has already reviewed this use of emergency access") from None
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=review,
        young_person_id=grant.case.young_person_id,
        fields_changed={"outcome": ["", review.get_outcome_display()]},
        detail=f"Reviewed emergency access by {grant.user.get_username()}",
        reason=note,
    )
    return review
