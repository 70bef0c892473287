"""Writes to caseloads: publishing a weighting scheme, agreeing a worker's
capacity, recording a case's load factors, and moving a case to another lead
professional. Each checks the access package, runs in one transaction, writes
its audit row and sends its notices on commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from assessments.text import check_text
from cse_cases import access, audit, background
from cse_cases.models import (
    AuditAction,
    Case,
    CaseMember,
    CaseStatus,
    LeadProfessionalSpell,
    User,
)
from cse_cases.services.records import EditConflict, RecordError
from supervision.models import (
    FACTOR_POINT_FIELDS,
    RISK_POINT_FIELDS,
    CaseAllocation,
    CaseLoadFactors,
    WeightingScheme,
    WorkerProfile,
)

REASON_MAX = 2000
# The scheme's settings a publisher may give (everything but who and when).
SCHEME_FIELDS = (
    *RISK_POINT_FIELDS,
    *FACTOR_POINT_FIELDS,
    "many_agencies_at",
    "recent_missing_days",
    "travel_minutes_at",
    "member_weight",
)


def _clean(name: str, value: str, limit: int = REASON_MAX) -> str:
    if "\x00" in value:
        raise RecordError("Remove the unprintable characters from this text.", field=name)
    return check_text(name, value.strip(), limit)


@transaction.atomic
def weighting_scheme_publish(
    *, by: User, rationale: str, settings_: dict[str, Decimal | int]
) -> WeightingScheme:
    """Publish a new version of the weighting scheme. Versions are never edited:
    each load says which version weighed it."""
    if not access.may_publish_weighting_scheme(by):
        raise PermissionDenied
    rationale = _clean("rationale", rationale)
    if not rationale:
        raise RecordError("Say what changed and why.", field="rationale")
    unknown = set(settings_) - set(SCHEME_FIELDS)
    if unknown:
        raise RecordError(f"Unknown settings: {', '.join(sorted(unknown))}")
    for name in RISK_POINT_FIELDS + FACTOR_POINT_FIELDS:
        if name in settings_ and Decimal(settings_[name]) < 0:
            raise RecordError("Points cannot be negative.", field=name)
    # One publisher at a time: the table lock makes the next version number safe.
    WeightingScheme.objects.select_for_update().all().exists()
    latest = WeightingScheme.objects.aggregate(v=Max("version"))["v"] or 0
    scheme = WeightingScheme(version=latest + 1, published_by=by, rationale=rationale, **settings_)
    scheme.full_clean(exclude=["published_by"])
    try:
        with transaction.atomic():
            scheme.save()
    except IntegrityError as error:
        raise RecordError(
            "Someone else published a version at the same moment. Check the latest "
            "version, then publish again."
        ) from error
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        obj=scheme,
        detail=f"weighting scheme version {scheme.version}",
    )
    return scheme


@transaction.atomic
def worker_profile_set(
    *,
    by: User,
    worker: User,
    weekly_hours: Decimal,
    capacity_points: Decimal,
    practice_started_on: date | None,
    version: int | None,
) -> WorkerProfile:
    """Agree a worker's hours and capacity. `version`: the profile's version the
    form was opened on (None for a new one); a stale one is an edit conflict."""
    access.worker_for(by, worker.pk, need_manage=True)
    if capacity_points <= 0:
        raise RecordError(
            "Give a capacity above zero: the points this worker can carry full time.",
            field="capacity_points",
        )
    if not Decimal("0.5") <= weekly_hours <= 48:
        raise RecordError("Give the hours worked a week, between 0.5 and 48.", field="weekly_hours")
    if practice_started_on and practice_started_on > timezone.localdate():
        raise RecordError(
            "The date they started practice cannot be in the future.", field="practice_started_on"
        )
    profile = WorkerProfile.objects.select_for_update().filter(user=worker).first()
    if profile is not None and version != profile.version:
        raise EditConflict(profile)
    if profile is None and version is not None:
        raise EditConflict(None)
    before = (
        {}
        if profile is None
        else {
            "weekly_hours": str(profile.weekly_hours),
            "capacity_points": str(profile.capacity_points),
            "practice_started_on": str(profile.practice_started_on or ""),
        }
    )
    if profile is None:
        profile = WorkerProfile(user=worker, version=1, updated_by=by)
    else:
        profile.version = F("version") + 1
    profile.weekly_hours = weekly_hours
    profile.capacity_points = capacity_points
    profile.practice_started_on = practice_started_on
    profile.updated_by = by
    profile.updated_at = timezone.now()
    profile.save()
    profile.refresh_from_db()
    audit.record(
        user=by,
        action=AuditAction.CHANGE if before else AuditAction.CREATE,
        obj=profile,
        fields_changed={
            name: [before.get(name, ""), str(getattr(profile, name) or "")]
            for name in ("weekly_hours", "capacity_points", "practice_started_on")
            if before.get(name, "") != str(getattr(profile, name) or "")
        },
        detail=f"capacity of {worker.get_username()}",
    )
    return profile


@transaction.atomic
def case_load_factors_set(
    *,
    by: User,
    case: Case,
    criminal_proceedings: bool,
    sibling_group: bool,
    travel_minutes: int | None,
) -> CaseLoadFactors:
    """Record what makes the case heavier that the record cannot tell."""
    if not access.may_record_load_factors(by, case):
        raise PermissionDenied
    if travel_minutes is not None and not 0 <= travel_minutes <= 600:
        raise RecordError(
            "Give the travel time in minutes each way, from 0 to 600.", field="travel_minutes"
        )
    factors, created = CaseLoadFactors.objects.select_for_update().get_or_create(
        case=case, defaults={"updated_by": by}
    )
    changed = {
        name: [str(getattr(factors, name)), str(value)]
        for name, value in (
            ("criminal_proceedings", criminal_proceedings),
            ("sibling_group", sibling_group),
            ("travel_minutes", travel_minutes),
        )
        if created or getattr(factors, name) != value
    }
    factors.criminal_proceedings = criminal_proceedings
    factors.sibling_group = sibling_group
    factors.travel_minutes = travel_minutes
    factors.updated_by = by
    factors.updated_at = timezone.now()
    if not created:
        factors.version = F("version") + 1
    factors.save()
    factors.refresh_from_db()
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=case,
        young_person_id=case.young_person_id,
        fields_changed={f"load: {name}": values for name, values in changed.items()},
    )
    return factors


class NotInTeam(RecordError):
    """The new lead professional is not yet in the team around the child."""


@transaction.atomic
def case_reallocate(
    *, by: User, case: Case, to_user: User, reason: str, add_to_team: bool = False
) -> CaseAllocation:
    """Make `to_user` the case's lead professional, with the reason.

    Someone not yet in the team around the child is added to it only when the
    person allocating says so (add_to_team): the move gives them the record.
    The old lead stays in the team around the child as a colleague, so the
    young person keeps a familiar face while the new worker takes over."""
    case = access.case_to_allocate(by, case.pk)
    if not access.allocation_candidates(by, case).filter(pk=to_user.pk).exists():
        raise RecordError("Choose someone whose caseload you manage.", field="to_user")
    reason = _clean("reason", reason)
    if not reason:
        raise RecordError("Give the reason for the move.", field="reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise RecordError("This case has closed; it cannot be moved.")
    previous = case.lead_professional
    in_team = CaseMember.objects.filter(case=case, user=to_user, removed_at__isnull=True)
    if not in_team.exists():
        if not add_to_team:
            raise NotInTeam(
                f"{to_user} is not in the team around the child, so cannot yet see "
                f"{case.young_person.display_name}'s record. Tick “Add them to the team "
                "around the child” to give them the record with the case.",
                field="add_to_team",
            )
        CaseMember.objects.create(case=case, user=to_user, role="Lead professional", added_by=by)
    if not CaseMember.objects.filter(case=case, user=previous, removed_at__isnull=True).exists():
        CaseMember.objects.create(
            case=case, user=previous, role="Previous lead professional", added_by=by
        )
    now = timezone.now()
    LeadProfessionalSpell.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    LeadProfessionalSpell.objects.create(case=case, user=to_user, started_at=now)
    case.lead_professional = to_user
    if to_user.agency_id is not None:
        case.lead_agency_id = to_user.agency_id
    case.version = F("version") + 1
    case.save(update_fields=["lead_professional", "lead_agency", "version"])
    allocation = CaseAllocation.objects.create(
        case=case,
        from_user=previous,
        to_user=to_user,
        reason=reason,
        allocated_by=by,
        allocated_at=now,
    )
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=case,
        young_person_id=case.young_person_id,
        fields_changed={"lead_professional": [previous.get_username(), to_user.get_username()]},
        reason=reason,
    )
    background.send_on_commit("supervision.tasks.send_allocation_notice", allocation.pk)
    return allocation


def allocation_notice_send(*, allocation_id: int) -> int:
    """Tell the old and new lead professionals and the team around the child
    that the case moved: no child's name in the email, a link to the record."""
    allocation = (
        CaseAllocation.objects.select_related("case", "from_user", "to_user")
        .filter(pk=allocation_id)
        .first()
    )
    if allocation is None:
        return 0
    team = User.objects.filter(
        case_memberships__case=allocation.case_id,
        case_memberships__removed_at__isnull=True,
        is_active=True,
    )
    people = {allocation.to_user, *team}
    if allocation.from_user is not None:
        people.add(allocation.from_user)
    link = f"{settings.SITE_URL}{reverse('young-person', args=[allocation.case.young_person_id])}"
    sent = 0
    for person in people:
        if not person.email:
            continue
        if person == allocation.to_user:
            opening = "A case has been allocated to you as lead professional."
        elif person == allocation.from_user:
            opening = f"A case you led has moved to {allocation.to_user}."
        else:
            opening = f"A case you work on has a new lead professional: {allocation.to_user}."
        send_mail(
            subject="Harbour: a change of lead professional",
            message=f"{opening}\nRead it in Harbour: {link}\n",
            from_email=None,
            recipient_list=[person.email],
        )
        sent += 1
    return sent
