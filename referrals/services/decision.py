"""The decision and what follows it: opening or joining the case, asking for a
strategy discussion, telling the referrer; closing and reopening."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string

from cse_cases import access, background
from cse_cases import services as core
from cse_cases.models import AuditAction, Case, CaseStatus, User, YoungPerson
from cse_cases.services import RecordError
from referrals.models import (
    Decision,
    MeetingRequest,
    MeetingRequestStatus,
    Referral,
    ReferralStatus,
)
from referrals.services.common import (
    _audit,
    _locked,
    _now,
    _record_transition,
    _require_status,
    _works_in_area,
    decision_due,
)


def _open_case(
    *,
    by: User,
    referral: Referral,
    young_person: YoungPerson,
    lead_professional: User | None,
    rationale: str,
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
        young_person=young_person,
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
                young_person=young_person,
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
