"""Every write to actions: agree one (for a young person, at a meeting or not),
update its status with evidence, and tell its owner.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from assessments.meetings.services.meetings import FURTHEST_AHEAD
from assessments.models import (
    Action,
    ActionStatus,
    Meeting,
)
from assessments.text import check_text
from cse_cases import access, audit, background
from cse_cases import services as core
from cse_cases.models import (
    AuditAction,
    Case,
    CaseStatus,
    User,
    YoungPerson,
)
from cse_cases.services import EditConflict, NeedsConfirmation, RecordError


def _may_act_for(by: User, young_person: YoungPerson, meeting: Meeting | None) -> bool:
    if meeting is not None:
        return access.may_manage_meeting(by, meeting)
    return access.may_edit_young_person(by, young_person)


class OwnerNotInTeam(RecordError):
    """The owner cannot see the young person, and `by` could add them to the
    team around the child with `add_owner_to_team`: the page and the API each
    say how in their own words."""


def _case_to_join(*, by: User, owner: User, young_person: YoungPerson) -> Case:
    """The open case whose team around the child an owner would join, if
    `by` may add them to it; otherwise a refusal that says who can."""
    name = young_person.display_name
    case = (
        young_person.cases.filter(status=CaseStatus.OPEN).select_related("lead_professional")
    ).first()
    if case is None:
        raise RecordError(
            f"{owner} cannot see {name}'s record, and {name} has no open case whose team "
            "they could join: choose someone who can already see the record.",
            field="owner",
        )
    if not access.may_edit_case(by, case):
        raise RecordError(
            f"{owner} is not in the team around {name}, and only those working on the case "
            f"can add them: ask {case.lead_professional}, the lead professional, to add "
            f"{owner}, or choose someone who can already see the record.",
            field="owner",
        )
    return case


@transaction.atomic
def action_add(
    *,
    by: User,
    young_person: YoungPerson,
    description: str,
    owner: User,
    due_on: date,
    meeting: Meeting | None = None,
    confirm_past: bool = False,
    add_owner_to_team: bool = False,
) -> Action:
    """Agree an action. Its owner must be able to take it (one of
    access.action_owner_choices); one who cannot see the young person yet
    joins the team around the child in the same step when `add_owner_to_team`
    is set, since the chair has just agreed the work with them, and is
    otherwise refused with the way to add them."""
    if not access.young_people_visible_to(by).filter(pk=young_person.pk).exists():
        raise PermissionDenied
    if not _may_act_for(by, young_person, meeting):
        raise PermissionDenied
    if meeting is not None and not meeting.subjects.filter(young_person=young_person).exists():
        raise RecordError(
            "That young person is not on this meeting's agenda.", field="young_person"
        )
    if not description.strip():
        raise RecordError("Say what is to be done.", field="description")
    name = young_person.display_name
    if not access.may_own_action(owner, young_person, meeting=meeting):
        raise RecordError(
            # Not named: an API caller could otherwise read anyone's name by id.
            f"The person chosen cannot own an action for {name}: they neither see {name}'s "
            f"record nor work in {young_person.area.name}. Choose someone who does.",
            field="owner",
        )
    join_case = None
    if not access.could_see_young_person(owner, young_person):
        join_case = _case_to_join(by=by, owner=owner, young_person=young_person)
        if not add_owner_to_team:
            raise OwnerNotInTeam(
                f"{owner} is not in the team around {name}, so could not see their record or "
                f"this action. Add {owner} to the team around the child with this action, or "
                "choose someone who can already see the record.",
                field="owner",
            )
    today = timezone.localdate()
    if due_on < today and not confirm_past:
        raise NeedsConfirmation(
            f"The due date, {due_on:%-d %B %Y}, is in the past. Check it, or confirm to record "
            "an action that is already overdue.",
            field="due_on",
        )
    if due_on > today + FURTHEST_AHEAD:
        raise RecordError("The due date is more than a year away: check it.", field="due_on")
    if join_case is not None:
        core.case_member_add(
            by=by, case=join_case, user=owner, role=(owner.job_title or owner.display_role)[:100]
        )
    # Only administrators have no agency (user_agency_required), and they work with no record.
    if owner.agency_id is None:
        raise PermissionDenied
    action = Action.objects.create(
        young_person=young_person,
        meeting=meeting,
        description=check_text("description", description.strip(), 5000),
        owner=owner,
        owner_agency_id=owner.agency_id,
        due_on=due_on,
        created_by=by,
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        obj=action,
        young_person_id=young_person.pk,
        detail=f"owner {owner.get_username()}"
        + (", added to the team around the child" if join_case is not None else ""),
    )
    transaction.on_commit(lambda: _notify_owner(action.pk))
    return action


def _notify_owner(action_id: int) -> None:
    background.send("assessments.tasks.send_action_notice", action_id)


def action_notice_send(*, action_id: int) -> bool:
    """Tell the owner they have an action: no child's name in the email."""
    from django.conf import settings
    from django.core.mail import send_mail

    action = Action.objects.select_related("owner").filter(pk=action_id).first()
    if action is None or not action.owner.email:
        return False
    send_mail(
        subject="Harbour: an action for you",
        message=(
            f"An action was given to you, due {action.due_on:%-d %B %Y}.\n"
            f"Read it in Harbour: {settings.SITE_URL}{reverse('my-actions')}\n"
        ),
        from_email=None,
        recipient_list=[action.owner.email],
    )
    return True


@transaction.atomic
def action_update(
    *, by: User, action: Action, version: int, status: str, evidence: str = ""
) -> Action:
    if not access.may_update_action(by, action):
        raise PermissionDenied
    action = Action.objects.select_for_update().get(pk=action.pk)
    if version != action.version:
        conflict = EditConflict(action)
        raise conflict
    if status not in ActionStatus.values:
        raise RecordError("Choose open, done or cancelled.", field="status")
    evidence = check_text("evidence", evidence.strip(), 5000)
    if status == ActionStatus.DONE and not evidence:
        raise RecordError("Describe the evidence that it is done.", field="evidence")
    old = action.status
    action.status = status
    action.evidence = evidence
    action.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action.version = F("version") + 1
    action.save()
    action.refresh_from_db()
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=action,
        young_person_id=action.young_person_id,
        fields_changed={"status": [old, status]},
    )
    return action
