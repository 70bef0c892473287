"""Intake: a referral received, its attachments checked and stored, its clock started.

The young person is an existing record, a new one, or not yet identified; a
second submission of the same form gives back the first referral.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from cse_cases import access
from cse_cases import services as core
from cse_cases.models import Area, AuditAction, User, YoungPerson
from cse_cases.services import RecordError
from referrals.models import (
    Consent,
    Referral,
    ReferralAttachment,
    ReferralStatus,
    ReferralTransfer,
    ReferralTransition,
    Urgency,
)
from referrals.services.common import _audit, _check_age, _now, _previous_referral, decision_due

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


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str


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
    # An upload without a size (never one from a form) is refused as empty.
    size = upload.size or 0
    if size > limit:
        raise RecordError(
            f"{name} is {size / 1_048_576:.1f} MB: each file must be "
            f"{limit // 1_048_576} MB or smaller",
            field="attachments",
        )
    if size == 0:
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


def _lock_idempotency_key(by: User, key: UUID | str) -> None:
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
    idempotency_key: UUID | str | None = None,
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

    if area is None:  # every branch above found it or refused; said again for the type
        raise RecordError("Choose the area where the young person lives or was seen", field="area")
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
        young_person.pk if young_person else None, received_at, None
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
    if referral.received_in_area is not None:  # set above, or None: no query either way
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
def _files_removed_on_error() -> Iterator[list[ReferralAttachment]]:
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
            size=checked.upload.size or 0,  # check_attachment refused a file without one
            uploaded_by=by,
        )
        # Stored under a generated name; the original name is only shown.
        attachment.file.save("attachment", checked.upload, save=False)
        saved.append(attachment)
        attachment.save()
