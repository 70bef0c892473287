"""Missing episodes, return home interviews and repeat-episode reviews.

The database refuses the impossible (a return before the report, two
episodes at once for one young person); these functions say so first, in a
sentence against the field at fault.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Field, Max, Q
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import (
    NOT_INDEPENDENT,
    AuditAction,
    CaseStatus,
    InterviewerRelationship,
    InterviewOutcome,
    MissingEpisode,
    MissingReviewRequest,
    ReturnInterview,
    ReviewRequestStatus,
    User,
    YoungPerson,
)
from cse_cases.services.notes import case_contact_recorded
from cse_cases.services.records import EditConflict, RecordError

EPISODE_FIELDS = (
    "last_seen_at",
    "reported_at",
    "returned_at",
    "where_found",
    "found_with",
    "how_returned",
    "police_reference",
    "risk_grading",
    "missing_or_absent",
    "classification_rationale",
    "missing_from",
    "exploitation_concern",
    "exploitation_concern_detail",
    "safe_and_well_check",
)
# The interview's free-text answers, in the order its page shows them.
INTERVIEW_TEXTS = (
    "attempts",
    "push_factors",
    "pull_factors",
    "harm_or_threats",
    "where_and_with_whom",
    "disclosures",
    "follow_up_actions",
)
INTERVIEW_FIELDS = (
    "offered_at",
    "interviewer",
    "interviewer_relationship",
    "outcome",
    "held_at",
    "held_where",
    *INTERVIEW_TEXTS,
    "shared_with_police",
    "shared_with_social_care",
    "young_persons_words",
)


class NeedsConfirmation(RecordError):
    """Allowed, but the person should think again and confirm."""


def _when(value: datetime) -> str:
    return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"


def _check_times(episode: MissingEpisode) -> None:
    now = timezone.now() + timedelta(minutes=5)
    for name in ("last_seen_at", "reported_at", "returned_at"):
        value = getattr(episode, name)
        if value and value > now:
            field = MissingEpisode._meta.get_field(name)
            # The three are the model's own DateTimeFields (not relations).
            label = field.verbose_name if isinstance(field, Field) else name
            raise RecordError(f"The time {label} must not be in the future", field=name)
    if episode.reported_at < episode.last_seen_at:
        raise RecordError(
            "The report must come after the young person was last seen", field="reported_at"
        )
    if episode.returned_at and episode.returned_at < episode.reported_at:
        raise RecordError(
            f"The return must be after the young person was reported missing "
            f"({_when(episode.reported_at)})",
            field="returned_at",
        )


def _check_overlap(episode: MissingEpisode) -> None:
    end = episode.returned_at
    others = MissingEpisode.objects.filter(young_person_id=episode.young_person_id).exclude(
        pk=episode.pk
    )
    # Spans [last seen, returned): open-ended while still missing.
    overlapping = others.filter(
        Q(returned_at__isnull=True) | Q(returned_at__gt=episode.last_seen_at)
    )
    if end is not None:
        overlapping = overlapping.filter(last_seen_at__lt=end)
    clash = overlapping.order_by("last_seen_at").first()
    if clash is not None:
        until = f"until {_when(clash.returned_at)}" if clash.returned_at else "and not yet back"
        raise RecordError(
            f"This overlaps another episode for {episode.young_person.display_name}: missing "
            f"from {_when(clash.last_seen_at)} {until}. Correct the times, or update that "
            "episode instead",
            field="last_seen_at",
        )


def _save_episode(episode: MissingEpisode) -> None:
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError as error:
        # A second person saving an overlapping episode at the same moment.
        diag = getattr(error.__cause__, "diag", None)
        if getattr(diag, "constraint_name", "") == "missing_episodes_do_not_overlap":
            raise RecordError(
                "Another episode for this young person covers these times: reload and check",
                field="last_seen_at",
            ) from None
        raise


@transaction.atomic
def missing_episode_record(
    *,
    by: User,
    young_person: YoungPerson,
    data: dict,
    source: str = "recorded",
    import_key: str | None = None,
) -> MissingEpisode:
    if not access.may_record_missing(by, young_person):
        raise PermissionDenied
    episode = MissingEpisode(
        young_person=young_person,
        recorded_by=by,
        source=source,
        import_key=import_key,
        **{name: value for name, value in data.items() if name in EPISODE_FIELDS},
    )
    _check_times(episode)
    _check_overlap(episode)
    _save_episode(episode)
    audit.record(user=by, action=AuditAction.CREATE, obj=episode, young_person_id=young_person.pk)
    repeat_check(young_person=young_person, by=by)
    return episode


@transaction.atomic
def missing_episode_update(
    *, by: User, episode: MissingEpisode, version: int, data: dict
) -> MissingEpisode:
    """Record the return (or correct the episode), refusing if someone else
    saved since `version` was read."""
    if not access.may_record_missing(by, episode.young_person):
        raise PermissionDenied
    current = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if current.version != version:
        raise EditConflict(current)
    before = {name: getattr(current, name) for name in EPISODE_FIELDS}
    for name, value in data.items():
        if name in EPISODE_FIELDS:
            setattr(current, name, value)
    _check_times(current)
    _check_overlap(current)
    interview = ReturnInterview.objects.filter(episode=current).first()
    if interview is not None and (
        current.returned_at is None or current.returned_at > interview.offered_at
    ):
        raise RecordError(
            "A return interview was offered on "
            f"{_when(interview.offered_at)}: the return must be before it",
            field="returned_at",
        )
    current.version = F("version") + 1
    _save_episode(current)
    current.refresh_from_db()
    changed = {
        name: [str(before[name]), str(getattr(current, name))]
        for name in EPISODE_FIELDS
        if before[name] != getattr(current, name)
    }
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=current,
        young_person_id=current.young_person_id,
        fields_changed=changed,
    )
    repeat_check(young_person=current.young_person, by=by)
    return current


def repeat_check(
    *, young_person: YoungPerson, by: User | None = None
) -> MissingReviewRequest | None:
    """Raise a review request when the young person has gone missing the set
    number of times within the set days (one open request at a time)."""
    since = timezone.now() - timedelta(days=settings.MISSING_REPEAT_DAYS)
    in_window = young_person.missing_episodes.filter(last_seen_at__gte=since)
    count = in_window.count()
    if count < settings.MISSING_REPEAT_COUNT:
        return None
    open_request = young_person.missing_review_requests.filter(
        status=ReviewRequestStatus.OPEN
    ).first()
    if open_request is not None:
        if open_request.episode_count != count:
            open_request.episode_count = count
            open_request.save(update_fields=["episode_count"])
        return open_request
    last_review = (
        young_person.missing_review_requests.filter(status=ReviewRequestStatus.DONE)
        .order_by("-reviewed_at")
        .first()
    )
    if last_review and not in_window.filter(recorded_at__gt=last_review.reviewed_at).exists():
        # The team reviewed these episodes; a new one asks again, a correction does not.
        return None
    try:
        with transaction.atomic():
            request = MissingReviewRequest.objects.create(
                young_person=young_person, episode_count=count
            )
    except IntegrityError:  # raised at the same moment by another save
        return young_person.missing_review_requests.filter(status="open").first()
    if by is not None:
        audit.record(
            user=by,
            action=AuditAction.CREATE,
            obj=request,
            young_person_id=young_person.pk,
            detail=f"{count} missing episodes in {settings.MISSING_REPEAT_DAYS} days",
        )
    return request


@transaction.atomic
def missing_review_done(*, by: User, request: MissingReviewRequest) -> MissingReviewRequest:
    if not access.may_edit_young_person(by, request.young_person):
        raise PermissionDenied
    if request.status != ReviewRequestStatus.OPEN:
        raise RecordError("This review has already been recorded")
    request.status = ReviewRequestStatus.DONE
    request.reviewed_by = by
    request.reviewed_at = timezone.now()
    request.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit.record(
        user=by, action=AuditAction.CHANGE, obj=request, young_person_id=request.young_person_id
    )
    return request


def _allocated_social_worker(episode: MissingEpisode, interviewer: User) -> bool:
    return episode.young_person.cases.filter(
        status=CaseStatus.OPEN, lead_professional=interviewer
    ).exists()


@transaction.atomic
def return_interview_record(
    *, by: User, episode: MissingEpisode, data: dict, confirmed: bool = False
) -> ReturnInterview:
    """Record the return home interview. The interviewer must be independent
    of the young person's carers and placement; their allocated social worker
    is allowed only when the person confirms it (guidance prefers someone
    independent)."""
    if not access.may_record_missing(by, episode.young_person):
        raise PermissionDenied
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.returned_at is None:
        raise RecordError(
            "Record when the young person returned before the return interview",
            field="offered_at",
        )
    if ReturnInterview.objects.filter(episode=episode).exists():
        raise RecordError("A return interview is already recorded for this episode")
    interview = ReturnInterview(
        episode=episode,
        offered_by=by,
        recorded_by=by,
        **{name: value for name, value in data.items() if name in INTERVIEW_FIELDS},
    )
    interviewer = interview.interviewer
    if interview.interviewer_relationship in NOT_INDEPENDENT:
        raise RecordError(
            "The interviewer must be independent of the young person's carers and placement: "
            "choose someone else to hold the interview",
            field="interviewer_relationship",
        )
    if not access.works_with_records(interviewer):
        raise RecordError(
            "Choose a practitioner who works with young people's records", field="interviewer"
        )
    young_person = episode.young_person
    if not access.return_interviewer_choices(young_person).filter(pk=interviewer.pk).exists():
        raise RecordError(
            # Not named: an API caller could otherwise read anyone's name by id.
            f"The person chosen neither works in {young_person.area.name} nor sees "
            f"{young_person.display_name}'s record: choose someone who does to hold the "
            "interview",
            field="interviewer",
        )
    social_worker = (
        interview.interviewer_relationship == InterviewerRelationship.SOCIAL_WORKER
        or _allocated_social_worker(episode, interviewer)
    )
    if social_worker and not confirmed:
        raise NeedsConfirmation(
            f"{interviewer} is the young person's allocated social worker. Guidance asks for "
            "someone independent; confirm if this is the best person",
            field="confirm",
        )
    now = timezone.now() + timedelta(minutes=5)
    if interview.offered_at < episode.returned_at:
        raise RecordError(
            f"The interview is offered after the return ({_when(episode.returned_at)})",
            field="offered_at",
        )
    for name in ("offered_at", "held_at"):
        value = getattr(interview, name)
        if value and value > now:
            raise RecordError("This time must not be in the future", field=name)
    if interview.outcome == InterviewOutcome.HELD:
        if interview.held_at is None:
            raise RecordError("Enter when the interview was held", field="held_at")
        if interview.held_at < interview.offered_at:
            raise RecordError("The interview is held after it was offered", field="held_at")
    elif not interview.attempts.strip():
        raise RecordError("Describe the attempts made to hold the interview", field="attempts")
    if interview.outcome != InterviewOutcome.HELD:
        interview.held_at = None
    interview.save()
    if interview.held_at is not None:
        # A return interview held is contact with the young person.
        case_contact_recorded(young_person_id=episode.young_person_id, at=interview.held_at)
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        obj=interview,
        young_person_id=episode.young_person_id,
    )
    return interview


def missing_move_to_kept_record(*, by: User, keep: YoungPerson, duplicate: YoungPerson) -> int:
    """When two records merge, the duplicate's episodes move to the record kept.

    The same police episode recorded on both (same reference, or the same
    last-seen time) stays behind on the merged record; other overlaps are two
    different accounts of one night, which a person must correct first.
    Returns how many stayed behind.
    """
    kept_episodes = list(MissingEpisode.objects.filter(young_person=keep))
    left, moving = 0, []
    for episode in MissingEpisode.objects.filter(young_person=duplicate).order_by("last_seen_at"):
        same = next(
            (
                other
                for other in kept_episodes
                if (episode.police_reference and other.police_reference == episode.police_reference)
                or other.last_seen_at == episode.last_seen_at
            ),
            None,
        )
        if same is not None:
            left += 1
            continue
        end = episode.returned_at
        clash = next(
            (
                other
                for other in kept_episodes
                if (other.returned_at is None or other.returned_at > episode.last_seen_at)
                and (end is None or other.last_seen_at < end)
            ),
            None,
        )
        if clash is not None:
            raise RecordError(
                f"The two records have overlapping missing episodes ({_when(episode.last_seen_at)} "
                f"and {_when(clash.last_seen_at)}): correct one of them, then merge"
            )
        moving.append(episode.pk)
    MissingEpisode.objects.filter(pk__in=moving).update(young_person=keep)
    # Return interviews held in the moved episodes were contact with the young
    # person, now on the kept record's open case.
    last_held = ReturnInterview.objects.filter(episode__in=moving, held_at__isnull=False).aggregate(
        last=Max("held_at")
    )["last"]
    if last_held is not None:
        case_contact_recorded(young_person_id=keep.pk, at=last_held)
    MissingReviewRequest.objects.filter(young_person=duplicate, status="open").update(
        status=ReviewRequestStatus.DONE, reviewed_by=by, reviewed_at=timezone.now()
    )
    repeat_check(young_person=keep, by=by)
    return left
