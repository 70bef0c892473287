"""Case notes, and the contact clock a contact note moves forward."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import (
    CONTACT_NOTE_TYPES,
    NOTE_MAX_CHARACTERS,
    AuditAction,
    Case,
    CaseNote,
    CaseStatus,
    NoteVisibility,
    User,
)
from cse_cases.services.records import RecordError


@transaction.atomic
def case_note_add(
    *,
    by: User,
    case: Case,
    note_type: str,
    text: str,
    occurred_at: datetime | None = None,
    young_persons_words: str = "",
    visibility: str = NoteVisibility.TEAM,
    named_viewers: list[User] | None = None,
) -> CaseNote:
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.OPEN:
        raise RecordError("This case is closed: open a new case to add notes", field="case")
    if not text.strip():
        raise RecordError("Write the note", field="text")
    for name, value in (("text", text), ("young_persons_words", young_persons_words)):
        if len(value) > NOTE_MAX_CHARACTERS:
            raise RecordError(
                f"This is {len(value):,} characters; a note can hold {NOTE_MAX_CHARACTERS:,}. "
                "Split it into notes by date or topic, or attach the document instead.",
                field=name,
            )
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise RecordError(
            "A note records what has happened: the time must not be in the future",
            field="occurred_at",
        )
    if visibility == NoteVisibility.NAMED and not named_viewers:
        raise RecordError("Name at least one person who may read this note", field="named_viewers")
    if visibility == NoteVisibility.NAMED:
        named = {person.pk for person in named_viewers or []}
        allowed = set(
            access.named_viewer_choices(case).filter(pk__in=named).values_list("pk", flat=True)
        )
        for person in named_viewers or []:
            if person.pk not in allowed:
                raise RecordError(
                    # Not named: an API caller could otherwise read anyone's name by id.
                    "Someone named cannot see this case, so could not read the note: add them "
                    "to the team around the child first, or name someone who can",
                    field="named_viewers",
                )
    # Only administrators have no agency (user_agency_required), and they work with no record.
    if by.agency_id is None:
        raise PermissionDenied
    note = CaseNote.objects.create(
        young_person_id=case.young_person_id,
        case=case,
        note_type=note_type,
        visibility=visibility,
        occurred_at=occurred_at,
        text=text,
        young_persons_words=young_persons_words,
        author=by,
        author_agency_id=by.agency_id,
    )
    if visibility == NoteVisibility.NAMED:
        note.named_viewers.set(named_viewers or [])
    if note_type in CONTACT_NOTE_TYPES:
        case_contact_recorded(young_person_id=case.young_person_id, at=occurred_at)
    audit.record(user=by, action=AuditAction.CREATE, obj=note, young_person_id=case.young_person_id)
    return note


def case_contact_recorded(*, young_person_id: int, at: datetime) -> None:
    """Move the young person's open case's last contact forward to `at` (never back: a note
    written today about a visit last month does not restart the clock past a
    later visit). One UPDATE, so two notes saved at once cannot lose the later."""
    Case.objects.filter(young_person_id=young_person_id, status=CaseStatus.OPEN).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    ).update(last_contact_at=at)
