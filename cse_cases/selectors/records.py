"""Reads of young people's records: the record page, search, duplicates, who has seen it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db.models import (
    Count,
    F,
    FloatField,
    JSONField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Greatest, JSONObject, Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cse_cases import access
from cse_cases.identifiers import normalise_nhs_number
from cse_cases.models import (
    Agency,
    Alias,
    AuditAction,
    AuditEvent,
    BreakGlassGrant,
    Case,
    CaseMember,
    LeadProfessionalSpell,
    MissingEpisode,
    MissingReviewRequest,
    RiskLevelChange,
    User,
    YoungPerson,
)

# One screen of results, nearest first: more means the search needs narrowing
# (date of birth, area), not scrolling.
SEARCH_LIMIT = 20


def record_page(user: User, pk: int) -> YoungPerson:
    """The young person with everything their page shows, in a fixed number of
    queries: the record (with its aliases' names), the cases this reader sees
    (with how many lead professionals each has had), and each case's team, risk
    history and uses of emergency access."""
    members = CaseMember.objects.filter(removed_at__isnull=True).select_related(
        "user", "user__agency"
    )
    lead_spells = (
        LeadProfessionalSpell.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Each use of emergency access comes with its case (newest first) as the
    # few fields the page shows: one query fewer than a prefetch.
    grants = ArraySubquery(
        BreakGlassGrant.objects.filter(case=OuterRef("pk"))
        .order_by("-granted_at")
        .values(
            json=JSONObject(
                granted_at="granted_at",
                expires_at="expires_at",
                reason="reason",
                username="user__username",
                first_name="user__first_name",
                last_name="user__last_name",
                agency_name="user__agency__name",
            )
        )
    )
    cases = (
        access.cases_visible_to(user)
        .select_related("lead_professional", "lead_agency")
        .annotate(lead_count=Coalesce(Subquery(lead_spells), 0))
        .prefetch_related(
            Prefetch("members", queryset=members, to_attr="active_members"),
            Prefetch(
                "risk_history",
                queryset=RiskLevelChange.objects.select_related("decided_by"),
            ),
        )
        .annotate(emergency_grants_json=grants)
        .order_by("-opened_on")
    )
    alias_names = ArraySubquery(
        Alias.objects.filter(young_person=OuterRef("pk")).order_by("name").values("name")
    )
    # At most one review is open per young person (a constraint): the missing panel's.
    open_review = (
        MissingReviewRequest.objects.filter(young_person=OuterRef("pk"), status="open")
        .order_by()
        .values(json=JSONObject(pk="pk", episode_count="episode_count"))[:1]
    )
    queryset = (
        access.young_people_visible_to(user)
        .select_related("area", "merged_into")
        .annotate(alias_names=alias_names, open_missing_review=Subquery(open_review))
        .prefetch_related(Prefetch("cases", queryset=cases, to_attr="visible_cases"))
    )
    young_person = queryset.filter(pk=pk).first()
    if young_person is None:
        from django.http import Http404

        raise Http404("No such young person.")
    return young_person


def _ids_like(word: str) -> QuerySet:
    """Ids of young people with a name or alias like `word`.

    A UNION of two index scans (the trigram GIN indexes on the names and on
    aliases): an OR across the two tables would make PostgreSQL read every row.
    """
    by_name = (
        _with_lower_names(YoungPerson.objects.all())
        .filter(
            Q(lfirst__trigram_similar=word)
            | Q(llast__trigram_similar=word)
            | Q(lknown__trigram_similar=word)
        )
        .values("pk")
    )
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=word)
        .values("young_person_id")
    )
    return by_name.union(by_alias)


# The expression the whole-name trigram index is built on (models.YoungPerson).
FULL_NAME = Lower(Concat("legal_first_name", Value(" "), "legal_last_name"))


def _ids_like_full_name(text: str) -> QuerySet:
    """Ids whose whole name, or an alias, is like `text`: one selective index scan each."""
    by_name = (
        YoungPerson.objects.annotate(lfull=FULL_NAME)
        .filter(lfull__trigram_similar=text)
        .values("pk")
    )
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=text)
        .values("young_person_id")
    )
    return by_name.union(by_alias)


def _name_matches(text: str) -> tuple[Q, list]:
    """Like some name or alias (pg_trgm, indexed): the whole name for several words,
    any of first name, last name, known-as or alias for one."""
    words = text.lower().split()[:4]
    condition = Q()
    scores = []
    if len(words) > 1:
        condition = Q(pk__in=_ids_like_full_name(" ".join(words)))
    for word in words:
        if len(words) == 1:
            condition &= Q(pk__in=_ids_like(word))
        scores.append(
            Greatest(
                TrigramSimilarity("lfirst", word),
                TrigramSimilarity("llast", word),
                TrigramSimilarity("lknown", word),
            )
        )
    return condition, scores


def _with_lower_names(queryset: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    return queryset.annotate(
        lfirst=Lower("legal_first_name"), llast=Lower("legal_last_name"), lknown=Lower("known_as")
    )


def _identifier_match(identifier: str) -> Q:
    value = identifier.strip()
    nhs = normalise_nhs_number(value)
    condition = Q(police_reference__iexact=value) | Q(school_upn__iexact=value)
    if nhs.isdigit() and len(nhs) == 10:
        condition |= Q(nhs_number=nhs)
    return condition


def search_young_people(
    user: User,
    *,
    text: str = "",
    date_of_birth: date | None = None,
    identifier: str = "",
    area_id: int | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[YoungPerson]:
    """Search within what the user may see; best name matches first."""
    queryset = _with_lower_names(
        access.young_people_visible_to(user).filter(merged_into__isnull=True)
    ).select_related("area")
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if identifier.strip():
        queryset = queryset.filter(_identifier_match(identifier))
    if area_id:
        queryset = queryset.filter(area_id=area_id)
    words = text.lower().split()[:4]
    if len(words) > 1:
        return _search_whole_name(queryset, " ".join(words), limit)
    score = None
    if words:
        condition, scores = _name_matches(text)
        queryset = queryset.filter(condition)
        score = sum(scores[1:], scores[0])
    if score is not None:
        queryset = queryset.annotate(score=Coalesce(score, 0.0, output_field=FloatField()))
        queryset = queryset.order_by("-score", "legal_last_name", "pk")
    else:
        queryset = queryset.order_by("legal_last_name", "legal_first_name", "pk")
    return list(queryset[:limit])


def _search_whole_name(queryset: QuerySet, text: str, limit: int) -> list[YoungPerson]:
    """Nearest whole names first, straight from the GiST trigram index (KNN), so
    the cost depends on the page size, not on how many names look alike; then
    the records with an alias like the text, also nearest first from a GiST
    index on aliases. Two queries, each reading about a page of its index."""
    by_name = list(
        queryset.annotate(lfull=FULL_NAME)
        .filter(lfull__trigram_similar=text)
        .order_by(TrigramDistance("lfull", text))[:limit]
    )
    if len(by_name) == limit:
        return by_name
    seen = {person.pk for person in by_name}
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=text, young_person__in=queryset.values("pk"))
        .exclude(young_person_id__in=seen)
        .select_related("young_person__area")
        .order_by(TrigramDistance("lname", text))[: limit - len(by_name)]
    )
    return by_name + list(dict.fromkeys(alias.young_person for alias in by_alias))


def strong_matches(
    *, text: str = "", date_of_birth: date | None = None, identifier: str = ""
) -> QuerySet[YoungPerson] | None:
    """Every record, seen or not, that a search identifies closely enough to
    ask for emergency access: an identifier, or a name with a date of birth.
    None when the search is too loose (a name alone, an area). The caller
    passes it to access.break_glass_candidates and shows no record from it."""
    condition = Q()
    strong = False
    if identifier.strip():
        condition &= _identifier_match(identifier)
        strong = True
    if text.split() and date_of_birth:
        name_condition, _ = _name_matches(text)
        condition &= name_condition & Q(date_of_birth=date_of_birth)
        strong = True
    if not strong:
        return None
    return _with_lower_names(YoungPerson.objects.all()).filter(condition)


@dataclass(frozen=True)
class DuplicateCheck:
    visible: list[YoungPerson]
    # A likely match exists that this person may not see: they are told only
    # that, and a CSE lead of the area checks it.
    hidden_match: bool
    # For the service that raises the CSE lead's check; never shown to the user.
    hidden_ids: tuple[int, ...] = ()


def duplicate_candidates(
    user: User,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    identifiers: list[str] | None = None,
    aliases: list[str] | None = None,
) -> DuplicateCheck:
    """Likely existing records for the person about to be created.

    Matching runs over every record (a duplicate the user cannot see still
    matters); only the ids leave this function unfiltered, never the records.
    """
    everyone = _with_lower_names(YoungPerson.objects.filter(merged_into__isnull=True))
    condition = Q(pk__in=[])
    for identifier in identifiers or []:
        if identifier.strip():
            condition |= _identifier_match(identifier)
    names = " ".join([first_name, last_name, *(aliases or [])]).strip()
    if names and date_of_birth:
        # Same date of birth (give or take an estimate) and a similar name.
        name_condition, _ = _name_matches(f"{first_name} {last_name}")
        alias_condition = Q(pk__in=[])
        for alias in aliases or []:
            if alias.strip():
                words, _ = _name_matches(alias)
                alias_condition |= words
        same_birthday = Q(date_of_birth=date_of_birth) | Q(date_of_birth_estimated=True)
        condition |= same_birthday & (name_condition | alias_condition)
    elif names:
        name_condition, _ = _name_matches(f"{first_name} {last_name}")
        condition |= name_condition & Q(llast__trigram_similar=last_name.lower())
    matches = list(everyone.filter(condition).values_list("pk", flat=True)[:20])
    visible = list(
        access.young_people_visible_to(user).filter(pk__in=matches).select_related("area")
    )
    seen = {person.pk for person in visible}
    hidden = tuple(pk for pk in matches if pk not in seen)
    return DuplicateCheck(visible=visible, hidden_match=bool(hidden), hidden_ids=hidden)


def possible_duplicates_for(user: User) -> list:
    """Open duplicate checks in a CSE lead's districts."""
    items = list(
        access.possible_duplicates_to_check(user)
        .select_related("young_person__area", "match__area", "raised_by__agency")
        .order_by("raised_at")[:100]
    )
    # A CSE lead is shown a side's name only if they may see that record; the
    # merge is decided by a lead who may see both.
    ids = {i.young_person_id for i in items} | {i.match_id for i in items}
    visible = set(
        access.young_people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for item in items:
        item.new_visible = item.young_person_id in visible
        item.match_visible = item.match_id in visible
        item.decidable = item.new_visible and item.match_visible
    return items


@dataclass(frozen=True)
class Viewer:
    username: str
    agency_name: str
    views: int
    last_seen: datetime


@dataclass(frozen=True)
class RecordAudit:
    """The record's audit as its page shows it: who opened it and what changed."""

    viewers: list[Viewer]
    history: list[AuditEvent]


_HISTORY_ACTIONS = [
    AuditAction.CREATE,
    AuditAction.CHANGE,
    AuditAction.MERGE,
    AuditAction.SHARE,
    AuditAction.BREAK_GLASS,
]


def record_audit(
    user: User, young_person: YoungPerson, *, viewer_limit: int = 50, change_limit: int = 100
) -> RecordAudit | None:
    """Who opened the record and its changes (newest first), in one query (a
    UNION ALL of the two, each ordered and limited in SQL); None for those who
    may not ask."""
    if not access.may_review_history(user, young_person):
        return None
    events = AuditEvent.objects.filter(young_person_id=young_person.pk)
    # Both halves select the same columns in the same order; the aliases
    # differ from the model's field names, which annotations may not reuse.
    # `views` tells the halves apart (0 for a change).
    seen = (
        events.filter(action=AuditAction.VIEW)
        .values(who=F("username"), agency=F("agency_name"))
        .annotate(
            when=Max("at"),
            verb=Value(""),
            what=Value(""),
            fields=Value(None, output_field=JSONField()),
            note=Value(""),
            views=Count("id"),
        )
        .order_by("-when")[:viewer_limit]
    )
    changed = events.filter(action__in=_HISTORY_ACTIONS).values(
        who=F("username"),
        agency=F("agency_name"),
        when=F("at"),
        verb=F("action"),
        what=F("object_type"),
        fields=F("fields_changed"),
        note=F("detail"),
        views=Value(0),
    )
    changed = changed.order_by("-when")[:change_limit]
    rows = list(changed.union(seen, all=True))
    return RecordAudit(
        viewers=sorted(
            (
                Viewer(
                    username=row["who"],
                    agency_name=row["agency"],
                    views=row["views"],
                    last_seen=row["when"],
                )
                for row in rows
                if row["views"]
            ),
            key=lambda viewer: viewer.last_seen,
            reverse=True,
        ),
        history=sorted(
            (
                AuditEvent(
                    at=row["when"],
                    username=row["who"],
                    agency_name=row["agency"],
                    action=row["verb"],
                    object_type=row["what"],
                    fields_changed=row["fields"],
                    detail=row["note"],
                )
                for row in rows
                if not row["views"]
            ),
            key=lambda event: event.at,
            reverse=True,
        ),
    )


def visible_young_people(user: User, ids: list[int]) -> list[YoungPerson]:
    """Of these records, the ones this person may see (and not merged away)."""
    if not ids:
        return []
    return list(
        access.young_people_visible_to(user)
        .filter(pk__in=ids, merged_into__isnull=True)
        .select_related("area")
        .order_by("legal_last_name", "legal_first_name", "pk")
    )


def return_interview_for(episode: MissingEpisode) -> object | None:
    """The episode's return interview, if any (the caller has checked sight of it)."""
    from cse_cases.models import ReturnInterview

    return (
        ReturnInterview.objects.select_related("interviewer__agency", "offered_by")
        .filter(episode=episode)
        .first()
    )


def missing_summary(user: User, young_person: YoungPerson) -> dict:
    """The record page's missing panel: recent episodes with their interviews,
    and the open review request (read with the record by record_page; else
    a second query)."""
    episodes = list(
        access.missing_episodes_visible_to(user)
        .filter(young_person=young_person)
        .select_related("return_interview")
        .order_by("-last_seen_at")[:10]
    )
    if hasattr(young_person, "open_missing_review"):
        review = young_person.open_missing_review
    else:
        review = MissingReviewRequest.objects.filter(
            young_person=young_person, status="open"
        ).first()
    return {"episodes": episodes, "review": review}


def emergency_access(young_person: YoungPerson) -> list[BreakGlassGrant]:
    """Every use of emergency access on the cases this reader sees, newest
    first (prefetched by record_page)."""
    grants = [
        _grant_shown(row)
        for case in getattr(young_person, "visible_cases", [])
        for row in getattr(case, "emergency_grants_json", [])
    ]
    return sorted(grants, key=lambda grant: grant.granted_at, reverse=True)


def _when(value: str) -> datetime:
    """A timestamp PostgreSQL wrote into JSON (always ISO 8601, never empty)."""
    when = parse_datetime(value)
    if when is None:
        raise ValueError(f"Not a timestamp: {value!r}")
    return when


def _grant_shown(row: dict) -> BreakGlassGrant:
    """An unsaved grant holding what the page shows of one (record_page's JSON)."""
    agency = Agency(name=row["agency_name"]) if row["agency_name"] is not None else None
    return BreakGlassGrant(
        granted_at=_when(row["granted_at"]),
        expires_at=_when(row["expires_at"]),
        reason=row["reason"],
        user=User(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            agency=agency,
        ),
    )


def break_glass_on_cases_led_by(user: User, *, days: int = 30) -> list[BreakGlassGrant]:
    """Emergency access to the cases this person leads, in the last `days`:
    the lead professional sees each use on "My work"."""
    since = timezone.now() - timedelta(days=days)
    return list(
        access.break_glass_grants_visible_to(user)
        .filter(case__lead_professional=user, granted_at__gte=since)
        .select_related("user__agency", "case__young_person")
        .order_by("-granted_at")[:50]
    )


def open_case(young_person: YoungPerson) -> Case | None:
    return next((c for c in getattr(young_person, "visible_cases", []) if c.status == "open"), None)
