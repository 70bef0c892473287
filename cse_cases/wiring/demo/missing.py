"""The demo area's missing episodes and return home interviews, in bulk with
their audit rows; then the repeat-missing check (a service) for each child,
and the reviews the team has already done.

Most interviews were held by the child's independent return-interview worker
within 72 hours; some were declined; for a few children the latest episode
ends differently: the interview is overdue (one the practitioner persona's),
not yet due, or the child is missing now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cse_cases import services
from cse_cases.models import (
    HowReturned,
    InterviewerRelationship,
    InterviewOutcome,
    LegalStatus,
    MissingEpisode,
    MissingReviewRequest,
    ReturnInterview,
)
from cse_cases.wiring.demo import words
from cse_cases.wiring.demo.story import Caseload, Child

ENDINGS = ("overdue", "overdue", "not_due", "missing_now")


@dataclass
class _Episode:
    last_seen: datetime
    returned: datetime | None
    interview: str  # "held", "declined", "overdue", "not_due" or "" (still missing)


def _when(caseload: Caseload, child: Child, ending: str) -> list[_Episode]:
    """1 to 4 episodes in the last months (3 or more in 90 days asks the team to
    review the case), each back within a day or two, oldest first."""
    rng = caseload.rng
    opened = (caseload.today - child.case.opened_on).days
    latest = {"overdue": rng.randint(5, 8), "not_due": 1, "missing_now": 0}.get(
        ending, rng.randint(6, 40)
    )
    count = rng.randint(3, 4) if child.level == "high" else rng.randint(1, 3)
    days = [latest]
    for _ in range(count - 1):
        days.append(days[-1] + rng.randint(8, 30))
    days = [d for d in days if d < opened] or [latest]
    episodes = []
    for day in sorted(days, reverse=True):
        last_seen = caseload.at(day, rng.randint(18, 22), rng.choice((0, 15, 30, 45)))
        # Back within a day: an interview "overdue" is past 72 hours however late.
        returned = last_seen + timedelta(hours=rng.randint(8, 22))
        how = rng.choice(["held"] * 6 + ["declined"])
        episodes.append(_Episode(last_seen, min(returned, caseload.now), how))
    last = episodes[-1]
    if ending == "missing_now":
        last.last_seen = caseload.now - timedelta(hours=rng.randint(7, 12))
        last.returned, last.interview = None, ""
    elif ending == "not_due":
        last.returned = caseload.now - timedelta(hours=rng.randint(18, 26))
        last.last_seen = last.returned - timedelta(hours=rng.randint(8, 20))
        last.interview = ending
    elif ending:
        last.interview = ending
    return episodes


def _episode(caseload: Caseload, child: Child, n: int, episode: _Episode) -> MissingEpisode:
    rng, back = caseload.rng, episode.returned is not None
    where, with_whom = rng.choice(words.FOUND)
    concern = rng.random() < 0.6
    return MissingEpisode(
        young_person=child.young_person,
        last_seen_at=episode.last_seen,
        reported_at=episode.last_seen + timedelta(minutes=rng.randint(45, 150)),
        returned_at=episode.returned,
        where_found=where.format(area=caseload.area.name) if back else "",
        found_with=with_whom if back else "",
        how_returned=rng.choice(
            [HowReturned.FOUND_BY_POLICE, HowReturned.CAME_BACK, HowReturned.BROUGHT_BY_FAMILY]
        )
        if back
        else "",
        police_reference=f"MP/{caseload.today:%y}/{caseload.area.code[-3:]}{n:03d}",
        risk_grading="high" if child.level == "high" else rng.choice(["medium", "low"]),
        missing_or_absent="missing",
        missing_from="placement"
        if child.young_person.legal_status == LegalStatus.LOOKED_AFTER
        else "home",
        exploitation_concern=concern,
        exploitation_concern_detail=child.fill(words.THEMES[child.themes[-1]]["seen"])
        if concern
        else "",
        safe_and_well_check=back,
        recorded_by=child.members.get("police", child.lead),
        recorded_at=episode.last_seen + timedelta(hours=3),
    )


def _interview(caseload: Caseload, child: Child, recorded: MissingEpisode, episode: _Episode):
    """Held (or declined) within 72 hours, by the independent worker."""
    rng = caseload.rng
    by = caseload.staff.parts["charity"]
    # The charity's worker is independent of the young person's care, unless
    # they lead the case.
    independent = child.lead != by
    offered = episode.returned + timedelta(hours=rng.randint(3, 20))
    held = episode.interview == "held"
    when = min(offered + timedelta(hours=rng.randint(2, 40)), caseload.now - timedelta(hours=1))
    return ReturnInterview(
        episode=recorded,
        offered_at=min(offered, when),
        offered_by=by,
        interviewer=by,
        interviewer_relationship=InterviewerRelationship.INDEPENDENT
        if independent
        else InterviewerRelationship.OTHER_PROFESSIONAL,
        outcome=InterviewOutcome.HELD if held else InterviewOutcome.DECLINED,
        held_at=when if held else None,
        held_where=rng.choice(words.INTERVIEW_WHERE) if held else "",
        attempts="" if held else child.fill(words.ATTEMPTS[0]),
        push_factors=child.fill(rng.choice(words.PUSH_FACTORS)) if held else "",
        pull_factors=child.fill(rng.choice(words.PULL_FACTORS)) if held else "",
        where_and_with_whom=child.fill(words.THEMES[child.themes[-1]]["seen"]) if held else "",
        shared_with_police=held,
        shared_with_social_care=held,
        young_persons_words=rng.choice(words.YOUNG_PERSONS_WORDS) if held else "",
        follow_up_actions="Shared with the lead professional and police the same day."
        if held
        else "",
        recorded_by=by,
        recorded_at=when,
    )


def episodes(caseload: Caseload) -> None:
    staff, audit = caseload.staff, caseload.audit
    going_missing = [c for c in caseload.children if "missing" in c.themes]
    persona = [c for c in going_missing if c.lead == staff.practitioner][:1]
    chosen = persona + [c for c in going_missing if c not in persona]
    endings = dict(zip([c.case.pk for c in chosen], ENDINGS, strict=False))
    written: list[tuple[MissingEpisode, _Episode, Child]] = []
    n = 0
    for child in going_missing:
        for episode in _when(caseload, child, endings.get(child.case.pk, "")):
            written.append((_episode(caseload, child, n, episode), episode, child))
            n += 1
    MissingEpisode.objects.bulk_create([row for row, _, _ in written])
    interviews = []
    for recorded, episode, child in written:
        audit.created(recorded.recorded_by, recorded, child.young_person.pk)
        if episode.interview in ("held", "declined"):
            interview = _interview(caseload, child, recorded, episode)
            interviews.append((interview, child))
            if interview.held_at is not None:
                # A return interview held is contact with the young person.
                caseload.contacted(child.case, interview.held_at)
    ReturnInterview.objects.bulk_create([row for row, _ in interviews])
    for interview, child in interviews:
        audit.created(interview.recorded_by, interview, child.young_person.pk)
    latest = {}
    for recorded, _, child in written:
        latest[child.case.pk] = max(
            latest.get(child.case.pk, recorded.recorded_at), recorded.recorded_at
        )
    for n, child in enumerate(going_missing):
        request = services.repeat_check(
            young_person=child.young_person, by=child.members.get("police", child.lead)
        )
        if request is None:
            continue
        # Asked for when the latest episode was recorded.
        raised = latest[child.case.pk]
        MissingReviewRequest.objects.filter(pk=request.pk).update(raised_at=raised)
        # The team has already reviewed some of the repeat episodes.
        if n % 2 == 0:
            services.missing_review_done(by=child.lead, request=request)
            MissingReviewRequest.objects.filter(pk=request.pk).update(
                reviewed_at=min(raised + timedelta(days=2), caseload.now)
            )
