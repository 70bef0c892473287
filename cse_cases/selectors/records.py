"""Reads of a young person's record: the record page, who has seen it and
what changed, missing episodes, emergency access. (Search and duplicates:
selectors/search.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    F,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cse_cases import access, statements
from cse_cases.models import (
    Agency,
    Alias,
    AuditAction,
    AuditEvent,
    BreakGlassGrant,
    Case,
    CaseMember,
    ContextLink,
    LeadProfessionalSpell,
    MissingEpisode,
    MissingReviewRequest,
    RiskLevelChange,
    User,
    YoungPerson,
)


def record_page(user: User, pk: int) -> YoungPerson:
    """The young person with everything their page shows, in a fixed number of
    queries: the record (with its aliases' names), the cases this reader sees
    (with how many lead professionals each has had), and each case's team, risk
    history and uses of emergency access.

    Each is one statement compiled once per reader (cse_cases/statements.py):
    the access policy's conditions make them long to build, not to run."""
    found = statements.reused(user, ("record",), lambda pk: _record(user, pk), pk)
    if not found:
        from django.http import Http404

        raise Http404("No such young person.")
    young_person: YoungPerson = found[0]
    cases: list[Case] = statements.reused(
        user, ("record cases",), lambda pk: _record_cases(user, pk), pk
    )
    # As a prefetch to_attr would put them (access.record_access reads them).
    young_person.visible_cases = cases  # type: ignore[attr-defined]
    for case in cases:
        case.young_person = young_person
        case.active_members = [  # type: ignore[attr-defined]
            _member_shown(case, row)
            for row in case.team_json  # type: ignore[attr-defined]
        ]
        case.risk_changes = [  # type: ignore[attr-defined]
            _change_shown(case, row)
            for row in case.risk_json  # type: ignore[attr-defined]
        ]
    return young_person


def _user_shown(row: dict, prefix: str = "") -> User:
    agency_id = row.get(f"{prefix}agency_id")
    return User(
        pk=row[f"{prefix}user_id"],
        username=row[f"{prefix}username"],
        first_name=row[f"{prefix}first_name"],
        last_name=row[f"{prefix}last_name"],
        agency_id=agency_id,
        agency=Agency(pk=agency_id, name=row[f"{prefix}agency_name"]) if agency_id else None,
    )


def _member_shown(case: Case, row: dict) -> CaseMember:
    """A team member as the page shows one (the cases statement's JSON)."""
    return CaseMember(
        pk=row["pk"],
        case=case,
        user=_user_shown(row),
        role=row["role"],
        added_at=_when(row["added_at"]),
    )


def _change_shown(case: Case, row: dict) -> RiskLevelChange:
    """A risk level decision as the page shows one (the cases statement's JSON)."""
    return RiskLevelChange(
        pk=row["pk"],
        case=case,
        level=row["level"],
        rationale=row["rationale"],
        source=row["source"],
        source_reference=row["source_reference"],
        decided_at=_when(row["decided_at"]),
        decided_by=_user_shown(row, "by_"),
    )


def _record(user: User, pk: int) -> QuerySet[YoungPerson]:
    alias_names = ArraySubquery(
        Alias.objects.filter(young_person=OuterRef("pk")).order_by("name").values("name")
    )
    # At most one review is open per young person (a constraint): the missing panel's.
    open_review = (
        MissingReviewRequest.objects.filter(young_person=OuterRef("pk"), status="open")
        .order_by()
        .values(json=JSONObject(pk="pk", episode_count="episode_count"))[:1]
    )
    return (
        access.young_people_visible_to(user)
        .select_related("area", "merged_into")
        .annotate(alias_names=alias_names, open_missing_review=Subquery(open_review))
        .filter(pk=pk)
        .order_by("pk")[:1]
    )


def _as_json(rows: QuerySet, **fields: str) -> ArraySubquery:
    """The rows as an array of JSON objects of these fields, in their order."""
    return ArraySubquery(rows.values(json=JSONObject(**fields)))


def _record_cases(user: User, pk: int) -> QuerySet[Case]:
    lead_spells = (
        LeadProfessionalSpell.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Each case's uses of emergency access (newest first), team and risk
    # history come with it as the few fields the page shows: three round
    # trips fewer than prefetches (members are in the team while not removed).
    grants = _as_json(
        BreakGlassGrant.objects.filter(case=OuterRef("pk")).order_by("-granted_at"),
        granted_at="granted_at",
        expires_at="expires_at",
        reason="reason",
        username="user__username",
        first_name="user__first_name",
        last_name="user__last_name",
        agency_name="user__agency__name",
    )
    team = _as_json(
        CaseMember.objects.filter(case=OuterRef("pk"), removed_at__isnull=True).order_by(
            "added_at", "pk"
        ),
        pk="pk",
        role="role",
        added_at="added_at",
        user_id="user_id",
        username="user__username",
        first_name="user__first_name",
        last_name="user__last_name",
        agency_id="user__agency_id",
        agency_name="user__agency__name",
    )
    risk = _as_json(
        RiskLevelChange.objects.filter(case=OuterRef("pk")).order_by("-decided_at", "pk"),
        pk="pk",
        level="level",
        rationale="rationale",
        source="source",
        source_reference="source_reference",
        decided_at="decided_at",
        by_user_id="decided_by_id",
        by_username="decided_by__username",
        by_first_name="decided_by__first_name",
        by_last_name="decided_by__last_name",
    )
    return (
        access.cases_visible_to(user)
        .filter(young_person_id=pk)
        .select_related("lead_professional", "lead_agency")
        .annotate(
            lead_count=Coalesce(Subquery(lead_spells), 0),
            emergency_grants_json=grants,
            team_json=team,
            risk_json=risk,
        )
        .order_by("-opened_on")
    )


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
    rows = statements.reused(
        None,
        ("record audit", viewer_limit, change_limit),
        lambda pk: _record_audit_rows(pk, viewer_limit, change_limit),
        young_person.pk,
    )
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


def _record_audit_rows(pk: int, viewer_limit: int, change_limit: int) -> QuerySet:
    events = AuditEvent.objects.filter(young_person_id=pk)
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
            # Not a parameter: the driver's JSON wrapper has no type to
            # prepare the statement with (prepared.types_of).
            fields=RawSQL("NULL::jsonb", (), output_field=JSONField()),
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
    return changed.union(seen, all=True)


def record_links(user: User, young_person: YoungPerson) -> list[ContextLink]:
    """The links of the record this reader may see (the record page's panel)."""
    return statements.reused(
        user,
        ("record links",),
        lambda pk: (
            access.links_visible_to(user)
            .filter(Q(young_person_id=pk) | Q(other_young_person_id=pk))
            .select_related("person", "location", "young_person", "other_young_person")
            .order_by("-created_at")
        ),
        young_person.pk,
    )


def active_agencies() -> list[tuple[int, str]]:
    """Every active agency as (id, name), by name: the chronology's filter."""
    return statements.reused(
        None,
        ("active agencies",),
        lambda: Agency.objects.filter(is_active=True).order_by("name").values_list("pk", "name"),
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
    episodes = statements.reused(
        user,
        ("record missing",),
        lambda pk: (
            access.missing_episodes_visible_to(user)
            .filter(young_person_id=pk)
            .select_related("return_interview")
            .order_by("-last_seen_at")[:10]
        ),
        young_person.pk,
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
