"""Every write to supervision sessions: record one, change it, the worker's
reflection. Each checks the access policy, runs in one transaction and writes
its audit rows (one per child whose case was discussed, one for the session).

Actions agreed in supervision are Actions (assessments) with an owner and a
due date, on the child's record. The meetings' `action_add` is not reused:
it lets only those who may edit the child's record (or run the meeting) set
an action, and a supervisor oversees a worker's cases without editing them;
the action is created here, with the same text checks, audit row and notice
to its owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.models import TEXT_MAX, Action
from assessments.text import check_text
from cse_cases import access, audit, background
from cse_cases.models import AuditAction, Case, User
from cse_cases.services import EditConflict, RecordError
from supervision.models import Flag
from supervision.sessions.models import (
    MAX_MINUTES,
    PRIVATE_FIELDS,
    SessionFormat,
    SupervisionSession,
)
from supervision.sessions.selectors import supervision_due

# The furthest ahead an action's due date may be.
ACTION_FURTHEST_AHEAD = timedelta(days=366)
# Fields the supervisor writes (the worker's reflection is the worker's).
SUPERVISOR_TEXT = ("development", "support", "mediation", "wellbeing_words")
RULE_KIND = "supervision"


@dataclass(frozen=True)
class ActionAgreed:
    description: str
    owner: User
    due_on: date


@dataclass(frozen=True)
class Discussion:
    case: Case
    decision: str
    actions: list[ActionAgreed] = field(default_factory=list)


@dataclass(frozen=True)
class SessionParts:
    """What a supervisor records: when, how long, how, and the three private
    parts with the wellbeing check (the management part is `Discussion`s)."""

    held_on: date
    duration_minutes: int
    format: str = SessionFormat.ONE_TO_ONE
    development: str = ""
    support: str = ""
    mediation: str = ""
    wellbeing_rating: int | None = None
    wellbeing_words: str = ""


def _check_parts(parts: SessionParts) -> None:
    today = timezone.localdate()
    if parts.held_on > today + timedelta(days=1):
        raise RecordError(
            f"The session date, {parts.held_on:%-d %B %Y}, is more than a day ahead: record a "
            "session once it has been held.",
            field="held_on",
        )
    if parts.held_on < today - timedelta(days=366 * 2):
        raise RecordError(
            "The session date is more than two years ago: check the year.", field="held_on"
        )
    if not 1 <= parts.duration_minutes <= MAX_MINUTES:
        raise RecordError(
            f"Give the session's length in minutes, from 1 to {MAX_MINUTES} (8 hours).",
            field="duration_minutes",
        )
    if parts.format not in SessionFormat.values:
        raise RecordError("Choose one-to-one or group.", field="format")
    if parts.wellbeing_rating is not None and not 1 <= parts.wellbeing_rating <= 5:
        raise RecordError(
            "The wellbeing rating is from 1 (struggling) to 5 (thriving).",
            field="wellbeing_rating",
        )
    for name in SUPERVISOR_TEXT:
        check_text(name, getattr(parts, name), TEXT_MAX)


def _check_discussions(by: User, worker: User, discussions: list[Discussion]) -> None:
    allowed = set(access.discussable_cases(by, worker).values_list("pk", flat=True))
    seen: set[int] = set()
    today = timezone.localdate()
    for index, discussion in enumerate(discussions):
        prefix = f"cases-{index}-"
        name = discussion.case.young_person.display_name
        if discussion.case.pk not in allowed:
            raise RecordError(
                f"{worker} is not working on {name}'s case (as lead professional or in the "
                "team around the child), or it is closed: choose one of their open cases.",
                field=f"{prefix}case",
            )
        if discussion.case.pk in seen:
            raise RecordError(
                f"{name}'s case is discussed twice: put both decisions in one.",
                field=f"{prefix}case",
            )
        seen.add(discussion.case.pk)
        if not discussion.decision.strip():
            raise RecordError(
                f"Write the decision made about {name}'s case.", field=f"{prefix}decision"
            )
        check_text(f"{prefix}decision", discussion.decision, TEXT_MAX)
        owners = access.session_action_owner_choices(discussion.case, worker)
        for agreed in discussion.actions:
            if not agreed.description.strip():
                raise RecordError("Say what is to be done.", field=f"{prefix}action_description")
            check_text(f"{prefix}action_description", agreed.description, 5000)
            if not owners.filter(pk=agreed.owner.pk).exists():
                raise RecordError(
                    f"Choose the worker or someone in the team around {name} to own the action.",
                    field=f"{prefix}action_owner",
                )
            if agreed.due_on < today:
                raise RecordError(
                    "The action's due date is in the past: give the day it is due.",
                    field=f"{prefix}action_due_on",
                )
            if agreed.due_on > today + ACTION_FURTHEST_AHEAD:
                raise RecordError(
                    "The action's due date is more than a year away: check it.",
                    field=f"{prefix}action_due_on",
                )


def _add_discussions(
    by: User, session: SupervisionSession, discussions: list[Discussion]
) -> list[int]:
    from supervision.sessions.models import CaseDiscussion

    children = []
    for discussion in discussions:
        case = discussion.case
        row = CaseDiscussion.objects.create(
            session=session, case=case, decision=discussion.decision.strip(), recorded_by=by
        )
        for agreed in discussion.actions:
            owner = agreed.owner
            if owner.agency_id is None:
                raise PermissionDenied
            action = Action.objects.create(
                young_person_id=case.young_person_id,
                meeting=None,
                description=agreed.description.strip(),
                owner=owner,
                owner_agency_id=owner.agency_id,
                due_on=agreed.due_on,
                created_by=by,
            )
            row.actions.add(action)
            audit.record(
                user=by,
                action=AuditAction.CREATE,
                obj=action,
                young_person_id=case.young_person_id,
                detail=f"agreed in supervision; owner {owner.get_username()}",
            )
            background.send_on_commit("assessments.tasks.send_action_notice", action.pk)
        audit.record(
            user=by,
            action=AuditAction.CREATE,
            obj=row,
            young_person_id=case.young_person_id,
            detail="case discussed in supervision",
        )
        children.append(case.young_person_id)
    return children


def _resolve_flag_if_on_time(worker: User) -> None:
    """The worker's open supervision flag goes once they are on time again (a
    session recorded late, for a date long past, may leave them overdue)."""
    today = timezone.localdate()
    due = supervision_due([worker.pk], today).get(worker.pk)
    if due is not None and due.on_time:
        Flag.objects.filter(
            kind=RULE_KIND, subject_type="user", subject_id=worker.pk, resolved_at__isnull=True
        ).update(resolved_at=timezone.now(), resolution="A supervision session was recorded")


@transaction.atomic
def session_record(
    *, by: User, worker: User, parts: SessionParts, discussions: list[Discussion] | None = None
) -> SupervisionSession:
    """A supervisor records a session held with a worker they supervise."""
    if not access.may_supervise(by, worker):
        raise PermissionDenied
    discussions = discussions or []
    _check_parts(parts)
    _check_discussions(by, worker, discussions)
    session = SupervisionSession.objects.create(
        supervisor=by,
        worker=worker,
        team_id=worker.team_id,
        **{k: getattr(parts, k) for k in _PART_FIELDS},
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        obj=session,
        detail=f"supervision of {worker.get_username()}",
    )
    _add_discussions(by, session, discussions)
    _resolve_flag_if_on_time(worker)
    return session


_PART_FIELDS = (
    "held_on",
    "duration_minutes",
    "format",
    "development",
    "support",
    "mediation",
    "wellbeing_rating",
    "wellbeing_words",
)


class SessionConflict(EditConflict):
    """Saved by someone else since this person opened it: nothing was saved,
    and `theirs` holds the saved text of each part that differs from what this
    person typed, so the page can show both."""

    def __init__(self, current: SupervisionSession, theirs: dict[str, object]) -> None:
        super().__init__(current)
        self.theirs = theirs
        self.args = (
            "This session was saved by someone else while you were editing it. Nothing you "
            "typed has been lost: your text is in the form, and the saved text is shown under "
            "each part that differs. Combine them, then save again.",
        )


@transaction.atomic
def session_update(
    *,
    by: User,
    session: SupervisionSession,
    version: int,
    parts: SessionParts,
    discussions: list[Discussion] | None = None,
) -> SupervisionSession:
    """Change a session's parts and add case discussions. A stale version is
    refused with both texts (SessionConflict): nothing is overwritten."""
    session = (
        SupervisionSession.objects.select_for_update(of=("self",))
        .select_related("worker__team", "supervisor")
        .get(pk=session.pk)
    )
    if not access.session_access(by, session).may_edit:
        raise PermissionDenied
    discussions = discussions or []
    _check_parts(parts)
    if version != session.version:
        theirs = {
            name: getattr(session, name)
            for name in _PART_FIELDS
            if getattr(session, name) != getattr(parts, name)
        }
        raise SessionConflict(session, theirs)
    _check_discussions(by, session.worker, discussions)
    before = {name: getattr(session, name) for name in _PART_FIELDS}
    for name in _PART_FIELDS:
        setattr(session, name, getattr(parts, name))
    session.updated_at = timezone.now()
    session.version = F("version") + 1
    session.save()
    session.refresh_from_db(fields=["version"])
    changed = sorted(name for name in _PART_FIELDS if before[name] != getattr(parts, name))
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=session,
        # Which parts changed, never their private text.
        fields_changed={name: ["", "edited"] for name in changed},
    )
    _add_discussions(by, session, discussions)
    _resolve_flag_if_on_time(session.worker)
    return session


@transaction.atomic
def reflection_save(*, by: User, session: SupervisionSession, text: str) -> SupervisionSession:
    """The worker's own reflection: only the worker writes it. It is the one
    part with a single writer, so it does not move the session's version (a
    supervisor editing the other parts meanwhile is not told of a conflict)."""
    session = SupervisionSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if not access.session_access(by, session).may_reflect:
        raise PermissionDenied
    check_text("worker_reflection", text, TEXT_MAX)
    session.worker_reflection = text
    session.save(update_fields=["worker_reflection"])
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=session,
        fields_changed={"worker_reflection": ["", "edited"]},
    )
    return session


def session_read(
    *, by: User, session: SupervisionSession, young_person_ids: list[int], detail: str = ""
) -> None:
    """The audit rows for opening a session: one for the session, and one per
    child whose case discussion the reader was shown (one INSERT each)."""
    audit.record(user=by, action=AuditAction.VIEW, obj=session, detail=detail)
    if young_person_ids:
        audit.record_many(
            user=by,
            action=AuditAction.VIEW,
            object_type="casediscussion",
            young_person_ids=young_person_ids,
            detail=f"supervision session {session.pk}",
        )


__all__ = [
    "PRIVATE_FIELDS",
    "ActionAgreed",
    "Discussion",
    "SessionConflict",
    "SessionParts",
    "reflection_save",
    "session_read",
    "session_record",
    "session_update",
]
