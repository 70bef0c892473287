"""One timeline per young person, merging every kind of event, in one query.

Each kind of event is a *source*: a queryset of the entries the reader may
see (scoped by the access policy), projected with ``project`` to the same
columns, and a function that turns one such row into an ``Entry``. Apps add
their own sources (referrals, assessments, meetings...) with ``register`` in
their AppConfig.ready, and the timeline, its filters and the API pick them up.

The timeline is one statement: a UNION ALL of every wanted source, ordered and
limited inside PostgreSQL, so the page reads one screen of entries however
many kinds are registered and however long the record is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import DateTimeField, F, Func, Model, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, JSONObject, NullIf, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from cse_cases import access, statements
from cse_cases.models import (
    CaseNote,
    CaseStatus,
    MissingEpisode,
    ReturnInterview,
    RiskLevelChange,
    User,
    YoungPerson,
)

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


# A row of the timeline's query: the common columns (see project: entry_at,
# entry_agency, entry_author, entry_body, entry_words, entry_data), plus the
# kind it came from (entry_kind).
Row = dict[str, Any]
Rows = Callable[[User, YoungPerson, Filter], "QuerySet | Sequence[QuerySet]"]


@dataclass(frozen=True)
class Source:
    """A kind of event. `rows` gives the reader's entries for the young person
    as a queryset projected by `project` (or several, for a kind that makes
    more than one entry per database row, like a case's opening and closing);
    `entry` says how one row reads.

    `rows` may use the young person only through its id, and must not run a
    query of its own: the timeline's statement is compiled once per reader and
    reused for every record (cse_cases/statements.py). One that runs a
    query, or puts another of the record's fields into its statement, is
    caught there and built afresh every time; one that *branches* on another
    field (an `if` on the record) would not be, so a source must not."""

    rows: Rows
    entry: Callable[[Row], Entry]


_sources: dict[str, tuple[str, Source]] = {}


def register(kind: str, label: str, source: Source) -> None:
    _sources[kind] = (label, source)


def kinds() -> list[tuple[str, str]]:
    return [(kind, label) for kind, (label, _) in _sources.items()]


# --- The common columns -----------------------------------------------------------

Expression = Combinable | Func


def project(
    queryset: QuerySet,
    *,
    at: Expression,
    agency: Expression | None = None,
    author: Expression | None = None,
    body: Expression | None = None,
    words: Expression | None = None,
    **data: Expression,
) -> QuerySet:
    """The source's rows as the timeline's columns: when, the agency and the
    author as text, the body and the young person's own words, and whatever
    else the source needs to write its entry (`data`, one JSON object), so that
    every source can stand in one UNION ALL."""

    def text(expression: Expression | None) -> Expression:
        if expression is None:
            return Value("", output_field=TextField())
        return Coalesce(expression, Value(""), output_field=TextField())

    # Prefixed, so that no column name is also a field of the source's model.
    return queryset.values(
        entry_at=at,
        entry_agency=text(agency),
        entry_author=text(author),
        entry_body=text(body),
        entry_words=text(words),
        entry_data=JSONObject(**data),
    )


def person(path: str) -> Expression:
    """Someone's name as str(User) gives it: their full name, else their username."""
    full_name = Trim(Concat(F(f"{path}__first_name"), Value(" "), F(f"{path}__last_name")))
    return Coalesce(
        NullIf(full_name, Value(""), output_field=TextField()),
        F(f"{path}__username"),
        output_field=TextField(),
    )


class StartOfDay(Func):
    """Midnight at the start of a date, in the site's time zone (as
    timezone.make_aware(datetime.combine(day, time.min)) gives it)."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        return f"(({sql})::timestamp AT TIME ZONE %s)", [*params, zone]


def entry(row: Row, **fields: Any) -> Entry:
    """An entry from a row's common columns, with the source's own fields."""
    return Entry(
        at=row["entry_at"],
        agency=row["entry_agency"],
        author=row["entry_author"],
        body=row["entry_body"],
        young_persons_words=row["entry_words"],
        **fields,
    )


def label(model: type[Model], field_name: str, value: object) -> str:
    """A choice's label, as get_FOO_display gives it."""
    choices = dict(model._meta.get_field(field_name).flatchoices)
    return str(choices.get(value, value))


def moment(value: str | None) -> datetime | None:
    """A timestamp that came back inside a row's JSON data."""
    return datetime.fromisoformat(value) if value else None


def day(value: str) -> date:
    return date.fromisoformat(value)


# --- The timeline -----------------------------------------------------------------


def timeline(user: User, young_person: YoungPerson, flt: Filter | None = None) -> list[Entry]:
    """The reader's entries for the young person, newest first, in one query.

    Entries at the same moment come in the order their sources were registered
    (and, within a source, in the order of its querysets). The statement is
    compiled once per reader and filter and reused (cse_cases/statements.py)."""
    flt = flt or Filter()
    wanted = [(index, kind, source) for index, (kind, (_, source)) in enumerate(_sources.items())]
    wanted = [(index, kind, source) for index, kind, source in wanted if flt.wants(kind)]
    if not wanted:
        return []
    writers = {kind: source.entry for _, kind, source in wanted}

    def build(subject_id: int) -> QuerySet:
        # The stand-in (statements.py) is a record with nothing but an id.
        subject = young_person if subject_id == young_person.pk else YoungPerson(pk=subject_id)
        return _combined(user, subject, flt, wanted)

    key = ("timeline", flt, tuple((kind, id(source)) for _, kind, source in wanted))
    return [
        writers[row["entry_kind"]](row)
        for row in statements.reused(user, key, build, young_person.pk)
    ]


def _combined(
    user: User, young_person: YoungPerson, flt: Filter, wanted: list[tuple[int, str, Source]]
) -> QuerySet:
    """The wanted sources' rows as one queryset: a UNION ALL, ordered and cut."""
    parts: list[QuerySet] = []
    for index, kind, source in wanted:
        rows = source.rows(user, young_person, flt)
        for branch, queryset in enumerate([rows] if isinstance(rows, QuerySet) else rows):
            parts.append(
                queryset.annotate(
                    entry_kind=Value(kind), entry_position=Value(index * 100 + branch)
                ).order_by("-entry_at")
            )
    if len(parts) == 1:
        return parts[0][: flt.limit]
    # Each part is cut to the limit on its own too, so that PostgreSQL
    # reads at most a screen from each index.
    combined = parts[0][: flt.limit].union(*(part[: flt.limit] for part in parts[1:]), all=True)
    return combined.order_by("-entry_at", "entry_position")[: flt.limit]


# --- The core's own sources -------------------------------------------------------


def _note_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    notes = access.notes_visible_to(user).filter(young_person=young_person)
    if flt.agency_id:
        notes = notes.filter(author_agency_id=flt.agency_id)
    # The note's id keeps two identical notes apart under the policy's DISTINCT.
    return project(
        notes,
        at=F("occurred_at"),
        agency=F("author_agency__name"),
        author=person("author"),
        body=F("text"),
        words=F("young_persons_words"),
        pk=F("pk"),
        note_type=F("note_type"),
        visibility=F("visibility"),
    )


def _note_entry(row: Row) -> Entry:
    data = row["entry_data"]
    return entry(
        row,
        kind="note",
        kind_label="Case note",
        title=label(CaseNote, "note_type", data["note_type"]),
        visibility=label(CaseNote, "visibility", data["visibility"]),
    )


def _case_rows(user: User, young_person: YoungPerson, flt: Filter) -> list[QuerySet]:
    cases = access.cases_visible_to(user).filter(young_person=young_person)
    if flt.agency_id:
        cases = cases.filter(lead_agency_id=flt.agency_id)
    opened = project(
        cases,
        at=StartOfDay("opened_on"),
        agency=F("lead_agency__name"),
        author=person("lead_professional"),
        event=Value("opened"),
    )
    closed = project(
        cases.filter(status=CaseStatus.CLOSED),
        at=StartOfDay("closed_on"),
        agency=F("lead_agency__name"),
        body=F("closure_reason"),
        event=Value("closed"),
    )
    return [opened, closed]


def _case_entry(row: Row) -> Entry:
    title = "Case opened" if row["entry_data"]["event"] == "opened" else "Case closed"
    return entry(row, kind="case", kind_label="Case", title=title)


def _risk_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    changes = RiskLevelChange.objects.filter(
        case__in=access.cases_visible_to(user).filter(young_person=young_person)
    )
    if flt.agency_id:
        changes = changes.filter(decided_by__agency_id=flt.agency_id)
    return project(
        changes,
        at=F("decided_at"),
        agency=F("decided_by__agency__name"),
        author=person("decided_by"),
        body=F("rationale"),
        level=F("level"),
    )


def _risk_entry(row: Row) -> Entry:
    level = label(RiskLevelChange, "level", row["entry_data"]["level"])
    return entry(row, kind="risk", kind_label="Risk decision", title=f"Risk level: {level}")


def _missing_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    episodes = access.missing_episodes_visible_to(user).filter(young_person=young_person)
    if flt.agency_id:
        episodes = episodes.filter(recorded_by__agency_id=flt.agency_id)
    return project(
        episodes,
        at=F("last_seen_at"),
        agency=F("recorded_by__agency__name"),
        author=person("recorded_by"),
        body=F("where_found"),
        pk=F("pk"),
        returned_at=F("returned_at"),
        missing_or_absent=F("missing_or_absent"),
        missing_from=F("missing_from"),
    )


def _missing_entry(row: Row) -> Entry:
    data = row["entry_data"]
    returned_at = moment(data["returned_at"])
    back = (
        f"returned after {timesince(row['entry_at'], returned_at)}"
        if returned_at
        else "still missing"
    )
    kind = label(MissingEpisode, "missing_or_absent", data["missing_or_absent"])
    where = label(MissingEpisode, "missing_from", data["missing_from"]).lower()
    return entry(
        row,
        kind="missing",
        kind_label="Missing episode",
        title=f"{kind} from {where}: {back}",
        extra={"url": reverse("missing-episode", args=[data["pk"]])},
    )


def _return_interview_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    interviews = access.return_interviews_visible_to(user).filter(
        episode__young_person=young_person
    )
    if flt.agency_id:
        interviews = interviews.filter(interviewer__agency_id=flt.agency_id)
    return project(
        interviews,
        at=Coalesce("held_at", "offered_at"),
        agency=F("interviewer__agency__name"),
        author=person("interviewer"),
        # What was disclosed, else where and with whom they had been.
        body=Coalesce(
            NullIf("disclosures", Value(""), output_field=TextField()), F("where_and_with_whom")
        ),
        words=F("young_persons_words"),
        outcome=F("outcome"),
        episode=F("episode_id"),
    )


def _return_interview_entry(row: Row) -> Entry:
    data = row["entry_data"]
    outcome = label(ReturnInterview, "outcome", data["outcome"]).lower()
    return entry(
        row,
        kind="return_interview",
        kind_label="Return home interview",
        title=f"Return home interview: {outcome}",
        extra={"url": reverse("missing-episode", args=[data["episode"]])},
    )


register("note", "Case notes", Source(_note_rows, _note_entry))
register("case", "Case opened or closed", Source(_case_rows, _case_entry))
register("risk", "Risk decisions", Source(_risk_rows, _risk_entry))
register("missing", "Missing episodes", Source(_missing_rows, _missing_entry))
register(
    "return_interview",
    "Return home interviews",
    Source(_return_interview_rows, _return_interview_entry),
)

__all__ = [
    "Entry",
    "Filter",
    "Row",
    "Source",
    "StartOfDay",
    "day",
    "entry",
    "kinds",
    "label",
    "moment",
    "person",
    "project",
    "register",
    "timeline",
]
