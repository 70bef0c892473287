"""One timeline per young person, merging every kind of event.

Each kind of event is a *source*: a function that returns the entries the
user may see, newest first, in one query. Apps add their own sources
(referrals, missing episodes, assessments, meetings...) with ``register`` in
their AppConfig.ready, and the timeline, its filters and the API pick them up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from heapq import merge
from itertools import islice

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from cse_cases import access
from cse_cases.models import CaseStatus, RiskLevelChange, User, YoungPerson

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    kind_label: str
    title: str
    agency: str = ""
    author: str = ""
    body: str = ""
    young_persons_words: str = ""
    visibility: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Filter:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    agency_id: int | None = None
    limit: int = DEFAULT_LIMIT

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


Source = Callable[[User, YoungPerson, Filter], Iterable[Entry]]
_sources: dict[str, tuple[str, Source]] = {}


def register(kind: str, label: str, source: Source) -> None:
    _sources[kind] = (label, source)


def kinds() -> list[tuple[str, str]]:
    return [(kind, label) for kind, (label, _) in _sources.items()]


def timeline(user: User, young_person: YoungPerson, flt: Filter | None = None) -> list[Entry]:
    flt = flt or Filter()
    streams = [
        source(user, young_person, flt) for kind, (_, source) in _sources.items() if flt.wants(kind)
    ]
    newest_first = merge(*streams, key=lambda entry: entry.at, reverse=True)
    return list(islice(newest_first, flt.limit))


# --- The core's own sources -------------------------------------------------------


def _notes(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    notes = (
        access.notes_visible_to(user)
        .filter(young_person=young_person)
        .select_related("author", "author_agency")
        .order_by("-occurred_at")
    )
    if flt.agency_id:
        notes = notes.filter(author_agency_id=flt.agency_id)
    for note in notes[: flt.limit]:
        yield Entry(
            at=note.occurred_at,
            kind="note",
            kind_label="Case note",
            title=note.get_note_type_display(),
            agency=note.author_agency.name,
            author=str(note.author),
            body=note.text,
            young_persons_words=note.young_persons_words,
            visibility=note.get_visibility_display(),
        )


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _case_events(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    cases = (
        access.cases_visible_to(user)
        .filter(young_person=young_person)
        .select_related("lead_agency", "lead_professional")
    )
    if flt.agency_id:
        cases = cases.filter(lead_agency_id=flt.agency_id)
    events: list[Entry] = []
    for case in cases:
        events.append(
            Entry(
                at=_start_of(case.opened_on),
                kind="case",
                kind_label="Case",
                title="Case opened",
                agency=case.lead_agency.name,
                author=str(case.lead_professional),
            )
        )
        if case.status == CaseStatus.CLOSED:
            events.append(
                Entry(
                    at=_start_of(case.closed_on),
                    kind="case",
                    kind_label="Case",
                    title="Case closed",
                    agency=case.lead_agency.name,
                    body=case.closure_reason,
                )
            )
    return sorted(events, key=lambda e: e.at, reverse=True)


def _risk_decisions(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    changes = (
        RiskLevelChange.objects.filter(
            case__in=access.cases_visible_to(user).filter(young_person=young_person)
        )
        .select_related("decided_by__agency")
        .order_by("-decided_at")
    )
    if flt.agency_id:
        changes = changes.filter(decided_by__agency_id=flt.agency_id)
    for change in changes[: flt.limit]:
        yield Entry(
            at=change.decided_at,
            kind="risk",
            kind_label="Risk decision",
            title=f"Risk level: {change.get_level_display()}",
            agency=change.decided_by.agency.name if change.decided_by.agency else "",
            author=str(change.decided_by),
            body=change.rationale,
        )


def _missing(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    episodes = (
        access.missing_episodes_visible_to(user)
        .filter(young_person=young_person)
        .select_related("recorded_by__agency")
        .order_by("-last_seen_at")
    )
    if flt.agency_id:
        episodes = episodes.filter(recorded_by__agency_id=flt.agency_id)
    for episode in episodes[: flt.limit]:
        if episode.returned_at:
            back = f"returned after {timesince(episode.last_seen_at, episode.returned_at)}"
        else:
            back = "still missing"
        agency = episode.recorded_by.agency
        yield Entry(
            at=episode.last_seen_at,
            kind="missing",
            kind_label="Missing episode",
            title=f"{episode.get_missing_or_absent_display()} from "
            f"{episode.get_missing_from_display().lower()}: {back}",
            agency=agency.name if agency else "",
            author=str(episode.recorded_by),
            body=episode.where_found,
            extra={"url": reverse("missing-episode", args=[episode.pk])},
        )


def _return_interviews(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    interviews = (
        access.return_interviews_visible_to(user)
        .filter(episode__young_person=young_person)
        .select_related("interviewer__agency")
        .order_by("-offered_at")
    )
    if flt.agency_id:
        interviews = interviews.filter(interviewer__agency_id=flt.agency_id)
    for interview in interviews[: flt.limit]:
        agency = interview.interviewer.agency
        yield Entry(
            at=interview.held_at or interview.offered_at,
            kind="return_interview",
            kind_label="Return home interview",
            title=f"Return home interview: {interview.get_outcome_display().lower()}",
            agency=agency.name if agency else "",
            author=str(interview.interviewer),
            body=interview.disclosures or interview.where_and_with_whom,
            young_persons_words=interview.young_persons_words,
            extra={"url": reverse("missing-episode", args=[interview.episode_id])},
        )


register("note", "Case notes", _notes)
register("case", "Case opened or closed", _case_events)
register("risk", "Risk decisions", _risk_decisions)
register("missing", "Missing episodes", _missing)
register("return_interview", "Return home interviews", _return_interviews)

__all__ = ["Entry", "Filter", "kinds", "register", "timeline"]
