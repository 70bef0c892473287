"""Screening: assigning a referral, screening it, linking it to the young
person's record, and moving it to another district's queue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from cse_cases import access
from cse_cases.models import Area, AuditAction, RiskLevel, Team, User, YoungPerson
from cse_cases.services import EditConflict, RecordError
from referrals.models import AWAITING_DECISION, Referral, ReferralStatus, ReferralTransfer
from referrals.services.common import (
    _audit,
    _check_age,
    _locked,
    _previous_referral,
    _record_transition,
    _require_status,
    _works_in_area,
    decision_due,
)


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
