"""Writes to a case: opening and closing it, the team around the child, its
risk level, and information-sharing decisions (which grant sight of the case).

Each function checks permission through the access policy, runs in one
transaction and writes its audit row.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cse_cases import access, audit
from cse_cases.models import (
    AuditAction,
    Case,
    CaseMember,
    CaseStatus,
    ClosureCategory,
    LeadProfessionalSpell,
    RiskLevelChange,
    RiskSource,
    SharingDecision,
    User,
    YoungPerson,
)
from cse_cases.services.records import RecordError, _require_record_worker

if TYPE_CHECKING:  # for the annotation only: the core imports no feature at run time
    from referrals.models import Referral


@transaction.atomic
def case_open(
    *,
    by: User,
    young_person: YoungPerson,
    lead_professional: User,
    exploitation_models: list[str] | None = None,
    opened_on: date | None = None,
    referral: Referral | None = None,
) -> Case:
    """Open the young person's case. `referral`: the referral whose decision
    calls for it, which lets that referral's screeners open it."""
    _require_record_worker(by)
    # A new record's author opens its first case; afterwards, those who work on it.
    if not access.may_open_case(by, young_person, referral=referral):
        raise PermissionDenied
    if young_person.cases.filter(status=CaseStatus.OPEN).exists():
        raise RecordError(f"{young_person.display_name} already has an open case")
    if not access.works_with_records(lead_professional):
        raise RecordError(
            "Choose a practitioner, supervisor or CSE lead as lead professional",
            field="lead_professional",
        )
    # Only administrators have no agency (user_agency_required), and they work with no record.
    if lead_professional.agency is None:
        raise PermissionDenied
    case = Case.objects.create(
        young_person=young_person,
        area=young_person.area,
        lead_agency=lead_professional.agency,
        lead_professional=lead_professional,
        exploitation_models=exploitation_models or [],
        opened_on=opened_on or timezone.localdate(),
    )
    LeadProfessionalSpell.objects.create(case=case, user=lead_professional)
    audit.record(user=by, action=AuditAction.CREATE, obj=case, young_person_id=young_person.pk)
    return case


@transaction.atomic
def case_close(
    *,
    by: User,
    case: Case,
    reason: str,
    closed_on: date | None = None,
    category: str = ClosureCategory.NOT_RECORDED,
) -> Case:
    """Close the case. `category` is why, as the reports count it; `reason`
    says it in the worker's words (never in a report)."""
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    closed_on = closed_on or timezone.localdate()
    if not reason.strip():
        raise RecordError("Give the reason for closing the case", field="closure_reason")
    if closed_on < case.opened_on:
        raise RecordError("A case cannot close before it opened", field="closed_on")
    if closed_on > timezone.localdate():
        raise RecordError("The closing date must not be in the future", field="closed_on")
    if category not in ClosureCategory.values:
        raise RecordError("Choose why the case is closing", field="category")
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason
    case.closure_category = category
    case.version = F("version") + 1
    case.save(
        update_fields=["status", "closed_on", "closure_reason", "closure_category", "version"]
    )
    case.refresh_from_db()
    LeadProfessionalSpell.objects.filter(case=case, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=case,
        young_person_id=case.young_person_id,
        fields_changed={"status": ["open", "closed"]},
        reason=reason,
    )
    return case


@transaction.atomic
def case_member_add(*, by: User, case: Case, user: User, role: str) -> CaseMember:
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    if not access.works_with_records(user):
        raise RecordError(
            "Only practitioners, supervisors and CSE leads can join the team around the child",
            field="user",
        )
    if CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        raise RecordError(f"{user} is already in the team around the child", field="user")
    member = CaseMember.objects.create(case=case, user=user, role=role, added_by=by)
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=case,
        young_person_id=case.young_person_id,
        fields_changed={"team": ["", f"added {user.get_username()} as {role}"]},
    )
    return member


@transaction.atomic
def case_member_remove(*, by: User, member: CaseMember) -> None:
    if not access.may_edit_case(by, member.case):
        raise PermissionDenied
    CaseMember.objects.filter(pk=member.pk).update(removed_at=timezone.now())
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=member.case,
        young_person_id=member.case.young_person_id,
        fields_changed={"team": [f"removed {member.user.get_username()}", ""]},
    )


@transaction.atomic
def case_risk_set(*, by: User, case: Case, level: str, rationale: str) -> RiskLevelChange:
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    if not rationale.strip():
        raise RecordError("Give the rationale for the risk level", field="rationale")
    return _risk_record(by=by, case=case, level=level, rationale=rationale)


@transaction.atomic
def case_risk_agreed(*, by: User, case: Case, level: str, rationale: str) -> RiskLevelChange:
    """The level a signed-off assessment agreed, recorded on the case.

    Called only by the assessment sign-off service, which has asked the access
    policy (may_sign_off_assessment): a supervisor signs off without being
    one of the case's editors.
    """
    return _risk_record(by=by, case=case, level=level, rationale=rationale)


@transaction.atomic
def case_risk_screened(
    *, by: User, case: Case, level: str, rationale: str, referral_reference: str
) -> RiskLevelChange:
    """A new case's first risk level: the one its referral's screening judged.

    Called only by the referral decision service, which opened the case for
    this referral after asking the access policy (may_decide_referral).
    """
    if case.risk_history.exists():
        raise RecordError("This case already has a risk level", field="risk_level")
    return _risk_record(
        by=by,
        case=case,
        level=level,
        rationale=rationale,
        source=RiskSource.SCREENING,
        source_reference=referral_reference,
    )


def _risk_record(
    *,
    by: User,
    case: Case,
    level: str,
    rationale: str,
    source: str = "",
    source_reference: str = "",
) -> RiskLevelChange:
    change = RiskLevelChange.objects.create(
        case=case,
        level=level,
        rationale=rationale,
        decided_by=by,
        source=source,
        source_reference=source_reference,
    )
    old = case.risk_level
    Case.objects.filter(pk=case.pk).update(risk_level=level, version=F("version") + 1)
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=case,
        young_person_id=case.young_person_id,
        fields_changed={"risk_level": [old, level]},
        reason=rationale,
    )
    return change


@transaction.atomic
def case_share(
    *,
    by: User,
    case: Case,
    with_user: User,
    shared: bool,
    purpose: str,
    lawful_basis: str,
) -> SharingDecision:
    """Record an information-sharing decision; sharing grants sight of the case."""
    if not access.may_edit_case(by, case):
        raise PermissionDenied
    if not purpose.strip():
        raise RecordError("Say why you are (or are not) sharing", field="purpose")
    decision = SharingDecision.objects.create(
        case=case,
        shared=shared,
        with_user=with_user,
        purpose=purpose,
        lawful_basis=lawful_basis,
        decided_by=by,
    )
    if shared:
        assign_perm(access.SHARED_CASE_PERMISSION, with_user, case)
    else:
        remove_perm(access.SHARED_CASE_PERMISSION, with_user, case)
    audit.record(
        user=by,
        action=AuditAction.SHARE,
        obj=case,
        young_person_id=case.young_person_id,
        detail=f"{'shared with' if shared else 'not shared with'} {with_user.get_username()}",
        reason=purpose,
    )
    return decision
