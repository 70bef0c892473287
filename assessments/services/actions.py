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

from assessments.models import (
    Action,
    ActionStatus,
    Meeting,
)
from assessments.services.assessments import check_text
from assessments.services.meetings import FURTHEST_AHEAD
from cse_cases import access, audit
from cse_cases.models import (
    AuditAction,
    User,
    YoungPerson,
)
from cse_cases.services import EditConflict, NeedsConfirmation, RecordError


def _may_act_for(by: User, young_person: YoungPerson, meeting: Meeting | None) -> bool:
    if meeting is not None:
        return access.may_manage_meeting(by, meeting)
    return access.may_edit_young_person(by, young_person)


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
) -> Action:
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
    if not access.could_see_young_person(owner, young_person):
        raise RecordError(
            f"{owner} cannot see {young_person.display_name}'s record, so cannot own this "
            "action: add them to the team around the child first, or choose someone who can.",
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
        detail=f"owner {owner.get_username()}",
    )
    transaction.on_commit(lambda: _notify_owner(action.pk))
    return action


def _notify_owner(action_id: int) -> None:
    from assessments.tasks import send_action_notice

    send_action_notice.delay(action_id)


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
