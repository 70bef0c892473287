"""Every write to a referral: intake, and one function per transition.

Each transition checks the referral's current status and the person's
permission (cse_cases/access.py), runs in one transaction, keeps the status
history, and writes its audit row. Mistakes a person can put right raise
RecordError with a sentence to show them, against the field at fault.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from cse_cases import access, audit, background
from cse_cases import services as core
from cse_cases.models import (
    Area,
    AuditAction,
    Case,
    CaseStatus,
    RiskLevel,
    Team,
    User,
    YoungPerson,
)
from cse_cases.services import EditConflict, RecordError
from cse_cases.working_days import add_working_days, urgent_due
from referrals.models import (
    AWAITING_DECISION,
    Consent,
    Decision,
    MeetingRequest,
    MeetingRequestStatus,
    Referral,
    ReferralAttachment,
    ReferralStatus,
    ReferralTransfer,
    ReferralTransition,
    Urgency,
)

# A referral within this many days of an earlier one about the same young
# person is a re-referral, shown to the screener.
RE_REFERRAL_DAYS = 365
# Children's services: a referral is about someone under 18.
REFERRAL_MAX_AGE = 18
# A referral starts its clock when received; one older than this is history.
OLDEST_RECEIPT_DAYS = 30
DESCRIPTION_LIMIT = 5000

# What an attachment may be, checked from the file's first bytes (not its
# name): extension -> the MIME types its content may show.
ALLOWED_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "heic": {"image/heic"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "doc": {"application/msword", "application/x-ole-storage"},
    "odt": {"application/vnd.oasis.opendocument.text"},
    "rtf": {"application/rtf"},
}
ALLOWED_DESCRIPTION = "a PDF, a photo (JPG, PNG or HEIC) or a document (Word, ODT or RTF)"


class IllegalTransition(RecordError):
    """The referral is not in a status this step can start from."""


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str


def _now() -> datetime:
    return timezone.now()


def decision_due(received_at: datetime, area: Area, urgency: str) -> datetime:
    """When the decision is due, by the bank holidays of the area's nation.

    Routine: one working day after receipt. Urgent ("needs a decision today"):
    by the close of the working day the clock starts on, or
    REFERRAL_URGENT_WORKING_HOURS office hours later, whichever is later
    (cse_cases.working_days.urgent_due). Stored on the referral, so the queue
    and the drift engine's overdue rule read the same time.
    """
    if urgency == Urgency.URGENT:
        return urgent_due(received_at, area.nation)
    return add_working_days(received_at, 1, area.nation)


def _record_transition(referral: Referral, *, by: User, to: str, reason: str = "") -> None:
    ReferralTransition.objects.create(
        referral=referral, from_status=referral.status, to_status=to, by=by, reason=reason
    )
    referral.status = to


def _require_status(referral: Referral, allowed: tuple[str, ...], doing: str) -> None:
    if referral.status not in allowed:
        raise IllegalTransition(
            f"This referral is {referral.get_status_display().lower()}, so it cannot be {doing}."
        )


def _audit(referral: Referral, *, by: User, action: str, changed: dict | None = None, **kw) -> None:
    audit.record(
        user=by,
        action=action,
        obj=referral,
        young_person_id=referral.young_person_id,
        fields_changed=changed,
        **kw,
    )


def _works_in_area(user: User, area_id: int) -> bool:
    """Assigning gives sight of the referral: only to people of its district."""
    return access.works_in_district(user, area_id)


def _locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock: transitions happen one at a time,
    each seeing the status the one before it left."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _previous_referral(young_person_id: int | None, received_at: datetime, exclude: int | None):
    if young_person_id is None:
        return None
    earlier = Referral.objects.filter(
        young_person_id=young_person_id,
        received_at__lt=received_at,
        received_at__gte=received_at - timedelta(days=RE_REFERRAL_DAYS),
    )
    if exclude:
        earlier = earlier.exclude(pk=exclude)
    return earlier.order_by("-received_at").first()


def _check_age(young_person_dob, *, field: str = "date_of_birth") -> None:
    if young_person_dob is None:
        return
    today = timezone.localdate()
    if young_person_dob > today:
        raise RecordError("Date of birth must be today or in the past", field=field)
    age = (
        today.year
        - young_person_dob.year
        - ((today.month, today.day) < (young_person_dob.month, young_person_dob.day))
    )
    if age >= REFERRAL_MAX_AGE:
        raise RecordError(
            f"This young person is {age}. CSE referrals are for children under "
            f"{REFERRAL_MAX_AGE}: for an adult at risk, contact adult safeguarding",
            field=field,
        )


def _as_given(person: dict, data: dict) -> str:
    """The details the referrer gave, kept as text for the screener to match."""
    born = person["date_of_birth"]
    parts = [
        f"Named by the referrer as {person['legal_first_name']} {person['legal_last_name']}"
        + (f" (known as {person['known_as']})" if person.get("known_as") else "")
        + f", born {born:%-d %B %Y}"
        + (" (estimated)" if person.get("date_of_birth_estimated") else "")
        + ".",
        " ".join(
            str(person.get(name, "")).strip()
            for name in ("address", "postcode", "school")
            if str(person.get(name, "")).strip()
        ),
        data.get("subject_description", "").strip(),
    ]
    return "\n\n".join(part for part in parts if part)[:DESCRIPTION_LIMIT]


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """Refuse a file that is too big, or whose content is not an allowed type."""
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    limit = settings.REFERRAL_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise RecordError(
            f"{name} is {upload.size / 1_048_576:.1f} MB: each file must be "
            f"{limit // 1_048_576} MB or smaller",
            field="attachments",
        )
    if upload.size == 0:
        raise RecordError(f"{name} is empty", field="attachments")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else ""
    if extension == "rtf" and head.startswith(b"{\\rtf"):
        content_type = "application/rtf"
    if extension == "doc" and head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        content_type = "application/msword"
    if extension not in ALLOWED_TYPES or content_type not in ALLOWED_TYPES[extension]:
        raise RecordError(
            f"{name} is not {ALLOWED_DESCRIPTION}, or its content does not match its name",
            field="attachments",
        )
    return CheckedFile(upload=upload, name=name, content_type=content_type)


def _lock_idempotency_key(by: User, key) -> None:
    """Two submissions of the same form wait for each other, so the second
    finds the first's referral instead of making another."""
    digest = hashlib.blake2b(f"{by.pk}:{key}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def _check_sharing(data: dict) -> None:
    consent = data.get("consent")
    if consent == Consent.NOT_SOUGHT and not data.get("consent_not_sought_reason", "").strip():
        raise RecordError(
            "Say why consent was not sought (for example, asking would put the young person "
            "at greater risk)",
            field="consent_not_sought_reason",
        )
    if consent in (Consent.NOT_SOUGHT, Consent.REFUSED) and not data.get("sharing_basis"):
        raise RecordError(
            "Choose the lawful basis for sharing this information without consent",
            field="sharing_basis",
        )
    if consent == Consent.GIVEN:
        data["sharing_basis"] = ""
        data["consent_not_sought_reason"] = ""


REFERRAL_FIELDS = (
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_agency_name",
    "referrer_email",
    "referrer_phone",
    "subject_description",
    "concerns",
    "indicators",
    "young_persons_words",
    "parents_aware",
    "parents_aware_detail",
    "consent",
    "consent_not_sought_reason",
    "sharing_basis",
    "urgency",
    "referrer_risk",
)


@transaction.atomic
def referral_create(
    *,
    by: User,
    data: dict,
    young_person: YoungPerson | None = None,
    new_young_person: dict | None = None,
    hidden_match_ids: list[int] | None = None,
    identity_unknown: bool = False,
    area: Area | None = None,
    attachments: list[UploadedFile] | None = None,
    idempotency_key=None,
    received_at: datetime | None = None,
) -> tuple[Referral, bool]:
    """Record a referral and start its decision clock. Returns (referral, created):
    the same idempotency key from the same person gives back the first referral.

    The young person is one of: an existing record the referrer may see
    (`young_person`), a new record (`new_young_person`, the record's fields),
    or not yet identified (`identity_unknown`, with a description and `area`).
    A new young person whom the duplicate check matched to records the
    referrer may not see (`hidden_match_ids`) gets no second record: the
    referral carries the name and details given, and the screener confirms.
    """
    if not access.may_see_identifiable_records(by):
        raise PermissionDenied
    if idempotency_key:
        _lock_idempotency_key(by, idempotency_key)
        earlier = Referral.objects.filter(referred_by=by, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier, False
    now = _now()
    received_at = received_at or now
    if received_at > now + timedelta(minutes=1):
        raise RecordError(
            "The time the referral was received must not be in the future", field="received_at"
        )
    if received_at < now - timedelta(days=OLDEST_RECEIPT_DAYS):
        raise RecordError(
            f"A referral received more than {OLDEST_RECEIPT_DAYS} days ago cannot start its "
            "clock now: record what happened as a case note instead",
            field="received_at",
        )
    data = {name: value for name, value in data.items() if name in REFERRAL_FIELDS}
    if not str(data.get("concerns", "")).strip():
        raise RecordError("Describe your concerns about the young person", field="concerns")
    if not data.get("referrer_name", "").strip():
        raise RecordError("Enter the name of the person making the referral", field="referrer_name")
    if not data.get("referrer_agency_name", "").strip() and data.get("referrer_agency"):
        data["referrer_agency_name"] = data["referrer_agency"].name
    if not data.get("referrer_agency_name", "").strip():
        raise RecordError(
            "Enter the referrer's agency or organisation", field="referrer_agency_name"
        )
    _check_sharing(data)
    checked = [check_attachment(upload) for upload in attachments or []]

    given_name = ""
    if young_person is not None:
        if not access.young_people_visible_to(by).filter(pk=young_person.pk).exists():
            raise RecordError("Choose a young person from the search results", field="young_person")
        _check_age(young_person.date_of_birth)
        area = young_person.area
        given_name = young_person.display_name
    elif new_young_person is not None:
        _check_age(new_young_person.get("date_of_birth"))
        given_name = f"{new_young_person['legal_first_name']} {new_young_person['legal_last_name']}"
        if hidden_match_ids:
            identity_unknown, area = True, new_young_person["area"]
            data["subject_description"] = _as_given(new_young_person, data)
        else:
            young_person = core.young_person_create(by=by, data=new_young_person)
            area = young_person.area
    if young_person is None and identity_unknown:
        if not data.get("subject_description", "").strip():
            raise RecordError(
                "Describe the young person (for example their first name or nickname, age, "
                "appearance, and where they were seen)",
                field="subject_description",
            )
        if area is None:
            raise RecordError(
                "Choose the area where the young person lives or was seen", field="area"
            )
    elif young_person is None:
        raise RecordError(
            "Tell us who the young person is, or that their identity is not yet known",
            field="young_person",
        )

    referral = Referral(
        **data,
        area=area,
        referred_by=by,
        young_person=young_person,
        identity_unknown=young_person is None,
        given_name=given_name.strip()[:200],
        possible_match_ids=list(hidden_match_ids or []) if young_person is None else [],
        received_at=received_at,
        clock_started_at=received_at,
        decision_due_at=decision_due(received_at, area, data.get("urgency", Urgency.ROUTINE)),
        idempotency_key=idempotency_key or None,
    )
    referral.previous_referral = _previous_referral(
        young_person and young_person.pk, received_at, None
    )
    home_areas = list(by.areas.all())
    if home_areas and area not in home_areas:
        # Made in one district about a child living in another: it goes to
        # the child's district, and the referrer's district sees it moved.
        referral.received_in_area = home_areas[0]
    referral.save()
    ReferralTransition.objects.create(
        referral=referral, from_status="", to_status=ReferralStatus.RECEIVED, by=by
    )
    if referral.received_in_area_id:
        ReferralTransfer.objects.create(
            referral=referral,
            from_area=referral.received_in_area,
            to_area=area,
            by=by,
            reason=f"The young person lives in {area.name}: sent to its screening queue.",
        )
    with _files_removed_on_error() as saved:
        _save_files(referral, checked, by=by, saved=saved)
        _audit(referral, by=by, action=AuditAction.CREATE)
    return referral, True


@contextmanager
def _files_removed_on_error():
    """Files are written before the transaction commits; if this function
    fails after writing some, they are removed so no orphan stays on disk."""
    saved: list[ReferralAttachment] = []
    try:
        yield saved
    except BaseException:
        for attachment in saved:
            attachment.file.storage.delete(attachment.file.name)
        raise


def _save_files(
    referral: Referral, files: list[CheckedFile], *, by: User, saved: list[ReferralAttachment]
) -> None:
    if len(files) + referral.attachments.count() > settings.REFERRAL_ATTACHMENTS_PER_REFERRAL:
        raise RecordError(
            f"A referral can have up to {settings.REFERRAL_ATTACHMENTS_PER_REFERRAL} files",
            field="attachments",
        )
    for checked in files:
        attachment = ReferralAttachment(
            referral=referral,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.upload.size,
            uploaded_by=by,
        )
        # Stored under a generated name; the original name is only shown.
        attachment.file.save("attachment", checked.upload, save=False)
        saved.append(attachment)
        attachment.save()


# --- Screening ----------------------------------------------------------------------


@transaction.atomic
def referral_assign(
    *, by: User, referral: Referral, team: Team | None = None, worker: User | None = None
) -> Referral:
    referral = _locked(referral)
    if not access.may_decide_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, AWAITING_DECISION, "assigned")
    if team is None and worker is None:
        raise RecordError("Choose a team, a worker, or both", field="worker")
    if worker is not None and not _works_in_area(worker, referral.area_id):
        raise RecordError(
            f"Choose a practitioner, supervisor or CSE lead who works in {referral.area.name}",
            field="worker",
        )
    if team is not None and not team.agency.areas.filter(pk=referral.area_id).exists():
        raise RecordError(f"Choose a team whose agency serves {referral.area.name}", field="team")
    before = (str(referral.assigned_team or ""), str(referral.assigned_to or ""))
    referral.assigned_team = team
    referral.assigned_to = worker
    referral.version = F("version") + 1
    referral.save(update_fields=["assigned_team", "assigned_to", "version"])
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={
            "assigned": [
                " / ".join(filter(None, before)),
                " / ".join(filter(None, (str(team or ""), str(worker or "")))),
            ]
        },
    )
    return referral


@transaction.atomic
def referral_screening_start(*, by: User, referral: Referral) -> Referral:
    referral = _locked(referral)
    if not access.may_screen_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, (ReferralStatus.RECEIVED,), "started again")
    _record_transition(referral, by=by, to=ReferralStatus.SCREENING)
    if referral.assigned_to_id is None:
        # Whoever starts screening holds it, until a CSE lead reassigns it.
        referral.assigned_to = by
    referral.version = F("version") + 1
    referral.save(update_fields=["status", "assigned_to", "version"])
    referral.refresh_from_db()
    _audit(
        referral, by=by, action=AuditAction.CHANGE, changed={"status": ["received", "screening"]}
    )
    return referral


@transaction.atomic
def referral_screening_update(
    *, by: User, referral: Referral, version: int, risk_level: str, screening_notes: str
) -> Referral:
    """Save the screener's notes and risk, refusing (losing nothing) if someone
    else saved since `version` was read."""
    current = _locked(referral)
    if not access.may_screen_referral(by, current):
        raise PermissionDenied
    _require_status(current, (ReferralStatus.SCREENING,), "screened: start screening first")
    if risk_level and risk_level not in RiskLevel.values:
        raise RecordError("Choose a risk level from the list", field="risk_level")
    if current.version != version:
        raise EditConflict(current)
    changed = {}
    if current.risk_level != risk_level:
        changed["risk_level"] = [current.risk_level, risk_level]
    if current.screening_notes != screening_notes:
        changed["screening_notes"] = ["(changed)", "(changed)"]
    current.risk_level = risk_level
    current.screening_notes = screening_notes
    current.version = F("version") + 1
    current.save(update_fields=["risk_level", "screening_notes", "version"])
    current.refresh_from_db()
    _audit(current, by=by, action=AuditAction.CHANGE, changed=changed)
    return current


@transaction.atomic
def referral_identify(*, by: User, referral: Referral, young_person: YoungPerson) -> Referral:
    """Link the referral to the young person's record (found by the screener's
    search, within what they may see)."""
    referral = _locked(referral)
    if not access.may_screen_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, AWAITING_DECISION, "linked to a record")
    visible = access.young_people_visible_to(by).filter(merged_into__isnull=True)
    if not visible.filter(pk=young_person.pk).exists():
        raise RecordError("Choose a young person from the search results", field="young_person")
    _check_age(young_person.date_of_birth)
    before = referral.young_person_id
    referral.young_person = young_person
    referral.identity_unknown = False
    referral.previous_referral = _previous_referral(
        young_person.pk, referral.received_at, referral.pk
    )
    referral.version = F("version") + 1
    referral.save(
        update_fields=["young_person", "identity_unknown", "previous_referral", "version"]
    )
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={"young_person": [str(before or ""), str(young_person.pk)]},
    )
    return referral


@transaction.atomic
def referral_transfer(*, by: User, referral: Referral, to_area: Area, reason: str) -> Referral:
    """Move a referral to another district's queue (the young person lives there).
    The clock keeps running from when it started, by the new district's bank holidays."""
    referral = _locked(referral)
    if not access.may_decide_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, AWAITING_DECISION, "moved")
    if to_area.pk == referral.area_id:
        raise RecordError(f"This referral is already in {to_area.name}'s queue", field="area")
    if not reason.strip():
        raise RecordError("Say why the referral is moving to another area", field="reason")
    from_area = referral.area
    ReferralTransfer.objects.create(
        referral=referral, from_area=from_area, to_area=to_area, by=by, reason=reason.strip()
    )
    referral.area = to_area
    referral.decision_due_at = decision_due(referral.clock_started_at, to_area, referral.urgency)
    # The new district assigns its own people.
    referral.assigned_team = None
    referral.assigned_to = None
    referral.version = F("version") + 1
    referral.save(
        update_fields=["area", "decision_due_at", "assigned_team", "assigned_to", "version"]
    )
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={"area": [from_area.name, to_area.name]},
        reason=reason.strip(),
    )
    return referral


# --- Decision, closing and reopening -------------------------------------------------


def _open_case(
    *, by: User, referral: Referral, lead_professional: User | None, rationale: str
) -> Case:
    """A CSE assessment for a young person with no open case: the case opens
    with the lead professional the decider chose (never silently the decider),
    and the screened risk is its first risk level."""
    if lead_professional is None:
        raise RecordError(
            "Choose the lead professional for the young person's new case",
            field="lead_professional",
        )
    if not _works_in_area(lead_professional, referral.area_id):
        raise RecordError(
            f"{lead_professional} cannot lead this case: choose a practitioner, supervisor "
            f"or CSE lead who works in {referral.area.name}",
            field="lead_professional",
        )
    case = core.case_open(
        by=by,
        young_person=referral.young_person,
        lead_professional=lead_professional,
        referral=referral,
    )
    if referral.risk_level:
        core.case_risk_screened(
            by=by,
            case=case,
            level=referral.risk_level,
            rationale=f"Screened risk, decided with the referral: {rationale.strip()}",
            referral_reference=referral.reference,
        )
    return case


@transaction.atomic
def referral_decide(
    *,
    by: User,
    referral: Referral,
    decision: str,
    rationale: str,
    feedback: str,
    advice: str = "",
    referred_on_to: str = "",
    lead_professional: User | None = None,
) -> Referral:
    """Decide, with the rationale; act on the decision; tell the referrer.

    A CSE assessment opens the young person's case (or joins the open one):
    a new case needs `lead_professional`, one of
    referrals.selectors.lead_professional_choices,
    and starts at the screened risk. A strategy discussion asks the CSE lead
    for a meeting.
    """
    referral = _locked(referral)
    if not access.may_decide_referral(by, referral):
        raise PermissionDenied
    _require_status(
        referral, (ReferralStatus.SCREENING,), "decided: start screening before deciding"
    )
    if decision not in Decision.values:
        raise RecordError("Choose a decision", field="decision")
    if not rationale.strip():
        raise RecordError("Explain the reasons for this decision", field="rationale")
    if decision == Decision.NO_FURTHER_ACTION and not advice.strip():
        raise RecordError("Record the advice given to the referrer and the family", field="advice")
    if decision == Decision.REFER_ELSEWHERE and not referred_on_to.strip():
        raise RecordError(
            "Say which service the young person is referred to", field="referred_on_to"
        )
    if not feedback.strip():
        raise RecordError("Write the feedback the referrer will receive", field="feedback")
    young_person = referral.young_person
    if decision == Decision.CSE_ASSESSMENT:
        if young_person is None:
            raise RecordError(
                "A CSE assessment needs the young person's record: identify them first",
                field="decision",
            )
        case = young_person.cases.filter(status=CaseStatus.OPEN).first()
        if case is None:
            case = _open_case(
                by=by,
                referral=referral,
                lead_professional=lead_professional,
                rationale=rationale,
            )
        referral.case = case
    if decision == Decision.STRATEGY_DISCUSSION:
        if young_person is not None:
            referral.case = young_person.cases.filter(status=CaseStatus.OPEN).first()
        # A reopened referral decided again asks again (one request per referral).
        MeetingRequest.objects.update_or_create(
            referral=referral,
            defaults={
                "area": referral.area,
                "young_person": young_person,
                "requested_by": by,
                "requested_at": _now(),
                "status": MeetingRequestStatus.REQUESTED,
            },
        )
    _record_transition(referral, by=by, to=ReferralStatus.DECIDED)
    referral.decision = decision
    referral.decision_rationale = rationale.strip()
    referral.advice_given = advice.strip() if decision == Decision.NO_FURTHER_ACTION else ""
    referral.referred_on_to = referred_on_to.strip() if decision == Decision.REFER_ELSEWHERE else ""
    referral.feedback = feedback.strip()
    referral.feedback_sent_at = None
    referral.decided_by = by
    referral.decided_at = _now()
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={"status": ["screening", "decided"], "decision": ["", decision]},
    )
    if referral.referrer_email:
        background.send_on_commit("referrals.tasks.send_referral_feedback", referral.pk)
    return referral


@transaction.atomic
def referral_close(*, by: User, referral: Referral, reason: str = "") -> Referral:
    referral = _locked(referral)
    if not access.may_decide_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, (ReferralStatus.DECIDED,), "closed: decide it first")
    _record_transition(referral, by=by, to=ReferralStatus.CLOSED, reason=reason.strip())
    referral.version = F("version") + 1
    referral.save(update_fields=["status", "version"])
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={"status": ["decided", "closed"]},
        reason=reason.strip(),
    )
    return referral


@transaction.atomic
def referral_reopen(*, by: User, referral: Referral, reason: str) -> Referral:
    """Back to screening for a new decision, on a new clock. The earlier
    decision stays in the status history."""
    referral = _locked(referral)
    if not access.may_decide_referral(by, referral):
        raise PermissionDenied
    _require_status(referral, (ReferralStatus.DECIDED, ReferralStatus.CLOSED), "reopened")
    if not reason.strip():
        raise RecordError("Give the reason for reopening this referral", field="reason")
    earlier = f"Earlier decision: {referral.get_decision_display()}. {referral.decision_rationale}"
    old_status = referral.status
    _record_transition(
        referral, by=by, to=ReferralStatus.SCREENING, reason=f"{reason.strip()}\n\n{earlier}"
    )
    now = _now()
    referral.clock_started_at = now
    referral.decision_due_at = decision_due(now, referral.area, referral.urgency)
    # Undo what the earlier decision set in motion; the new decision redoes it.
    MeetingRequest.objects.filter(referral=referral, status=MeetingRequestStatus.REQUESTED).update(
        status=MeetingRequestStatus.CANCELLED
    )
    referral.case = None
    referral.feedback = ""
    referral.feedback_sent_at = None
    referral.decision = ""
    referral.decision_rationale = ""
    referral.advice_given = ""
    referral.referred_on_to = ""
    referral.decided_by = None
    referral.decided_at = None
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _audit(
        referral,
        by=by,
        action=AuditAction.CHANGE,
        changed={"status": [old_status, "screening"]},
        reason=reason.strip(),
    )
    return referral


def referral_feedback_send(*, referral_id: int) -> bool:
    """Email the referrer the outcome (a task, after the decision commits).
    Safe to run twice: a sent feedback is not sent again."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update()
            .filter(pk=referral_id, feedback_sent_at__isnull=True)
            .exclude(feedback="")
            .first()
        )
        if referral is None or not referral.referrer_email:
            return False
        body = render_to_string("referrals/email_feedback.txt", {"referral": referral})
        send_mail(
            subject=f"Referral {referral.reference}: {referral.get_decision_display()}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[referral.referrer_email],
        )
        Referral.objects.filter(pk=referral.pk).update(feedback_sent_at=_now())
    return True
