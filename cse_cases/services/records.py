"""Writes to a young person's record as a whole: create, edit, emergency
access (break-glass), and merging a duplicate record into the one kept.

Cases, their team, risk and sharing are in cases.py; case notes in notes.py.
Each function checks permission through the access policy, runs in one
transaction, writes its audit row, and sends tasks on commit. Errors a person
can fix raise RecordError (or EditConflict) with a sentence to show them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from cse_cases import access, audit, background, merge
from cse_cases.models import (
    Alias,
    AuditAction,
    BreakGlassGrant,
    Case,
    CaseStatus,
    DuplicateOutcome,
    MissingEpisode,
    PossibleDuplicate,
    User,
    YoungPerson,
)

# Fields a person edits on the young person's record (and the audit compares).
YOUNG_PERSON_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "known_as",
    "date_of_birth",
    "date_of_birth_estimated",
    "adult_record_reason",
    "gender",
    "gender_description",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disability_or_send",
    "sexual_orientation",
    "legal_status",
    "looked_after_basis",
    "placement_type",
    "placement_start",
    "placement_moves",
    "school",
    "attendance_concern",
    "excluded",
    "not_in_education_or_work",
    "address",
    "postcode",
    "area",
    "nhs_number",
    "police_reference",
    "school_upn",
)
# An adult record is for care leavers and transition work, up to 25.
OLDEST_AGE = 25
BREAK_GLASS_HOURS = 4


class RecordError(Exception):
    """Something the person can put right; the message says what."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class EditConflict(RecordError):
    """Someone else saved the record after this person opened it."""

    # Any versioned record (a case, a plan version, a referral, an action...);
    # None when the record the person started from has gone.
    def __init__(self, current: models.Model | None) -> None:
        super().__init__(
            "Someone else saved this record while you were editing it. Your changes are "
            "below and have not been lost: check them against the latest version, then save again."
        )
        self.current = current


def _check_dates(young_person: YoungPerson) -> None:
    today = timezone.localdate()
    if young_person.date_of_birth > today:
        raise RecordError("Date of birth must be today or in the past", field="date_of_birth")
    age = young_person.age_on(today)
    if age > OLDEST_AGE:
        raise RecordError(
            f"Harbour records are for children and young adults up to {OLDEST_AGE}: "
            "check the date of birth",
            field="date_of_birth",
        )
    if age >= 18 and not young_person.adult_record_reason.strip():
        raise RecordError(
            f"This person is {age}. Give the reason for a record about an adult "
            "(for example, a care leaver or transition to adult services)",
            field="adult_record_reason",
        )
    if young_person.placement_start and young_person.placement_start > today:
        raise RecordError(
            "The placement start date must not be in the future", field="placement_start"
        )


def _validate(young_person: YoungPerson, *, exclude: list[str] | None = None) -> None:
    """Model validation as a RecordError the page can show against its field."""
    try:
        young_person.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = error.message_dict
        if any("young_person_nhs_number_unique" in m for m in messages.get("__all__", [])):
            raise RecordError(
                "This NHS number is already on another young person's record. Check the "
                "number; if it is right, search for that record or ask a CSE lead.",
                field="nhs_number",
            ) from None
        field, problems = next(iter(messages.items()))
        raise RecordError(problems[0], field=None if field == "__all__" else field) from None


def _require_record_worker(user: User) -> None:
    if not access.may_see_identifiable_records(user):
        raise PermissionDenied


@transaction.atomic
def young_person_create(
    *,
    by: User,
    data: dict,
    aliases: list[str] | None = None,
    possible_duplicate_ids: list[int] | None = None,
) -> YoungPerson:
    """Create the record. `possible_duplicate_ids` are likely matches the author
    could not see: each becomes a check for a CSE lead of the area."""
    _require_record_worker(by)
    young_person = YoungPerson(created_by=by, **data)
    _check_dates(young_person)
    _validate(young_person)
    young_person.save()
    for match_id in possible_duplicate_ids or []:
        PossibleDuplicate.objects.create(young_person=young_person, match_id=match_id, raised_by=by)
    for name in {a.strip() for a in aliases or [] if a.strip()}:
        Alias.objects.create(young_person=young_person, name=name)
    audit.record(
        user=by, action=AuditAction.CREATE, obj=young_person, young_person_id=young_person.pk
    )
    return young_person


@transaction.atomic
def young_person_update(
    *,
    by: User,
    young_person: YoungPerson,
    version: int,
    data: dict,
    aliases: list[str] | None = None,
    reason: str = "",
) -> YoungPerson:
    """Save changes read at `version`; refuse (losing nothing) if it has moved on.

    `aliases`, when given, replaces the list of other names.
    """
    _require_record_worker(by)
    if not access.may_edit_young_person(by, young_person):
        raise PermissionDenied
    before = YoungPerson.objects.get(pk=young_person.pk)
    for name, value in data.items():
        setattr(young_person, name, value)
    _check_dates(young_person)
    _validate(young_person, exclude=["created_by"])
    changed = audit.changes(before, young_person, YOUNG_PERSON_FIELDS)
    # Compare-and-set on the version: the database decides who saved first.
    updated = YoungPerson.objects.filter(pk=young_person.pk, version=version).update(
        **{name: getattr(young_person, name) for name in data}, version=F("version") + 1
    )
    if not updated:
        raise EditConflict(YoungPerson.objects.get(pk=young_person.pk))
    young_person.refresh_from_db()
    if "area" in changed:
        # The open case moves with the young person, so the new district's CSE
        # leads oversee it from now on.
        young_person.cases.filter(status=CaseStatus.OPEN).update(area=young_person.area)
    if aliases is not None:
        wanted = {name.strip() for name in aliases if name.strip()}
        current = {a.name: a for a in young_person.aliases.all()}
        removed = [a.pk for name, a in current.items() if name not in wanted]
        Alias.objects.filter(pk__in=removed).delete()
        for name in wanted - set(current):
            Alias.objects.get_or_create(young_person=young_person, name=name)
        if removed or wanted - set(current):
            changed["aliases"] = [", ".join(sorted(current)), ", ".join(sorted(wanted))]
    if "sexual_orientation" in changed:
        changed["sexual_orientation"] = ["(restricted)", "(restricted)"]
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=young_person,
        young_person_id=young_person.pk,
        fields_changed=changed,
        reason=reason,
    )
    return young_person


@transaction.atomic
def break_glass_open(*, user: User, case: Case, reason: str) -> BreakGlassGrant:
    """Emergency access, for a few hours, audited and reported to the lead professional."""
    if not access.may_break_glass(user):
        raise PermissionDenied
    if len(reason.strip()) < 10:
        raise RecordError(
            "Explain why you need this record now, in a sentence the lead professional will read",
            field="reason",
        )
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=user,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(
        user=user,
        action=AuditAction.BREAK_GLASS,
        obj=case,
        young_person_id=case.young_person_id,
        reason=reason.strip(),
    )
    background.send_on_commit("cse_cases.tasks.send_break_glass_notice", grant.pk)
    return grant


def break_glass_notice_send(*, grant_id: int) -> bool:
    grant = (
        BreakGlassGrant.objects.select_related("case__lead_professional", "user__agency")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None or not grant.case.lead_professional.email:
        return False
    body = render_to_string("emails/break_glass.txt", {"grant": grant})
    send_mail(
        subject="Emergency access to a case you lead",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[grant.case.lead_professional.email],
    )
    return True


@transaction.atomic
def young_people_merge(
    *, by: User, keep: YoungPerson, duplicate: YoungPerson, reason: str
) -> merge.Merge:
    """A CSE lead folds a duplicate record into the one kept. The result's
    `left` says, in words, what could not move (for the CSE lead to act on)."""
    if not access.may_merge_records(by):
        raise PermissionDenied
    if keep.pk == duplicate.pk:
        raise RecordError("Choose two different records to merge")
    if duplicate.merged_into_id:
        raise RecordError("That record has already been merged")
    if not reason.strip():
        raise RecordError("Give the reason for merging", field="reason")
    context = merge.Merge(by=by, keep=keep, duplicate=duplicate, reason=reason)
    # Every app's relations to the record (or its cases), in the registry's
    # order: the checks that can refuse the merge first, flags last.
    moved: list[tuple[merge.Relation, int]] = []
    for relation in merge.handlers():
        count = relation.handler(context) if relation.handler else 0
        if count:
            moved.append((relation, count))
    # The duplicate's own names live on as aliases of the record kept.
    existing = {a.lower() for a in keep.aliases.values_list("name", flat=True)}
    for name in {duplicate.legal_first_name + " " + duplicate.legal_last_name, duplicate.known_as}:
        if name.strip() and name.strip().lower() not in existing:
            Alias.objects.create(young_person=keep, name=name.strip())
            existing.add(name.strip().lower())
    nhs_number = duplicate.nhs_number
    YoungPerson.objects.filter(pk=duplicate.pk).update(
        merged_into=keep, nhs_number="", version=F("version") + 1
    )
    if nhs_number and not keep.nhs_number:
        YoungPerson.objects.filter(pk=keep.pk).update(nhs_number=nhs_number)
    # The same police episode recorded on both records stays on the merged one.
    episodes_left = MissingEpisode.objects.filter(young_person=duplicate).count()
    for young_person in (keep, duplicate):
        audit.record(
            user=by,
            action=AuditAction.MERGE,
            obj=young_person,
            young_person_id=young_person.pk,
            detail=f"record {duplicate.pk} merged into {keep.pk}"
            + "".join(f"; {left}" for left in context.left)
            + (
                f"; {episodes_left} missing episode(s) already on record {keep.pk} "
                f"stay on record {duplicate.pk}"
                if episodes_left
                else ""
            ),
            reason=reason,
        )
    # One row per kind of thing moved, with how many: what an auditor needs to
    # see that nothing was left behind (or where it went).
    for relation, count in moved:
        audit.record(
            user=by,
            action=AuditAction.MERGE,
            object_type=relation.model._meta.model_name,
            young_person_id=keep.pk,
            fields_changed={relation.field: [str(duplicate.pk), str(keep.pk)], "count": count},
            detail=f"{count} {relation.label} moved from record {duplicate.pk} to {keep.pk}",
            reason=reason,
        )
    return context


@transaction.atomic
def possible_duplicate_resolve(
    *, by: User, item: PossibleDuplicate, same_person: bool, reason: str
) -> list[str]:
    """A CSE lead decides: the same young person (merge) or two different ones.
    Returns what a merge could not move, in words (see young_people_merge)."""
    if not access.may_merge_records(by):
        raise PermissionDenied
    if item.resolved_at:
        raise RecordError("This possible duplicate has already been checked")
    left: list[str] = []
    if same_person:
        left = young_people_merge(
            by=by, keep=item.match, duplicate=item.young_person, reason=reason
        ).left
    PossibleDuplicate.objects.filter(pk=item.pk).update(
        resolved_by=by,
        resolved_at=timezone.now(),
        outcome=DuplicateOutcome.MERGED if same_person else DuplicateOutcome.DIFFERENT,
    )
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=item.young_person,
        young_person_id=item.young_person_id,
        detail=f"possible duplicate of {item.match_id}: "
        + ("merged" if same_person else "different young people"),
        reason=reason,
    )
    return left
