"""What every referral write shares: the status machine, the decision clock,
the row lock and the audit row, and who a referral may be about.

Each transition checks the referral's current status and the person's
permission (the access policy), runs in one transaction under a row lock,
keeps the status history, and writes its audit row. Mistakes a person can put
right raise RecordError with a sentence to show them, against the field at fault.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import Area, AuditAction, User
from cse_cases.services import RecordError
from cse_cases.working_days import add_working_days, urgent_due
from referrals.models import Referral, ReferralTransition, Urgency

# A referral within this many days of an earlier one about the same young
# person is a re-referral, shown to the screener.
RE_REFERRAL_DAYS = 365
# Children's services: a referral is about someone under 18.
REFERRAL_MAX_AGE = 18


class IllegalTransition(RecordError):
    """The referral is not in a status this step can start from."""


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


def _audit(
    referral: Referral,
    *,
    by: User,
    action: AuditAction,
    changed: dict | None = None,
    detail: str = "",
    reason: str = "",
) -> None:
    audit.record(
        user=by,
        action=action,
        obj=referral,
        young_person_id=referral.young_person_id,
        fields_changed=changed,
        detail=detail,
        reason=reason,
    )


def _works_in_area(user: User, area_id: int) -> bool:
    """Assigning gives sight of the referral: only to people of its district."""
    return access.works_in_district(user, area_id)


def _locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock: transitions happen one at a time,
    each seeing the status the one before it left."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _previous_referral(
    young_person_id: int | None, received_at: datetime, exclude: int | None
) -> Referral | None:
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


def _check_age(young_person_dob: date | None, *, field: str = "date_of_birth") -> None:
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
