"""The young person's record and their cases: the primitives every feature's
rule is written in.

Who sees a case (DESIGN.md section 4):
- its lead professional and the team around the child (members from any agency);
- CSE leads of the case's district;
- supervisors of the lead professional or of a team member;
- a person the case was shared with by a recorded information-sharing decision
  (a django-guardian object permission, granted by services.case_share);
- someone holding an unexpired break-glass grant.
Commissioners and administrators never see an identifiable record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404

from cse_cases.access.roles import (
    agency_kind,
    has_role,
    is_police,
    is_signed_in,
    may_merge_records,
)
from cse_cases.access.scope import Scope, scope_for, scope_of
from cse_cases.models import (
    AgencyKind,
    BreakGlassGrant,
    Case,
    CaseMember,
    CaseNote,
    NoteVisibility,
    PossibleDuplicate,
    Role,
    User,
    YoungPerson,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# --- Cases ---------------------------------------------------------------------------


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    scope = scope_for(user)
    if not scope.records:
        return Case.objects.none()
    return Case.objects.filter(scope.case_condition)


def case_for(user: User | AnonymousUser, pk: int) -> Case:
    """The case, or 404 whether it is missing or merely not theirs."""
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


@dataclass(frozen=True)
class CaseAccess:
    """A case the reader may see, and whether they may change it: one lookup."""

    case: Case
    can_edit: bool


def case_access_for(user: User | AnonymousUser, pk: int, *, need_edit: bool = False) -> CaseAccess:
    """The case and whether this reader may edit it, in one query; 404 when
    they may not see it (or, with need_edit, may not change it)."""
    scope = scope_for(user)
    case = (
        cases_visible_to(user)
        .annotate(
            reader_may_edit=ExpressionWrapper(
                scope.case_edit_condition, output_field=BooleanField()
            )
        )
        .filter(pk=pk)
        .first()
    )
    if case is None or (need_edit and not case.reader_may_edit):
        raise Http404("No such case.")
    return CaseAccess(case=case, can_edit=bool(case.reader_may_edit))


def _edits(scope: Scope, case: Case, active_member_ids: Iterable[int] | None = None) -> bool:
    """may_edit_case for a known scope; `active_member_ids` when the case's
    active team is already loaded (the record page prefetches it)."""
    if not scope.records or scope.user is None:
        return False
    if scope.is_cse_lead and scope.in_area(case.area_id):
        return True
    if case.lead_professional_id == scope.user.pk:
        return True
    if active_member_ids is not None:
        return scope.user.pk in set(active_member_ids)
    return CaseMember.objects.filter(case=case, user=scope.user, removed_at__isnull=True).exists()


def may_edit_case(user: User | AnonymousUser, case: Case) -> bool:
    """Those working on the case change it; others who may see it only read.

    Break-glass and sharing give sight, not authorship; a supervisor oversees.
    """
    return _edits(scope_for(user), case)


# --- Young people ----------------------------------------------------------------------


def young_people_visible_to(user: User | AnonymousUser) -> QuerySet[YoungPerson]:
    """Young people with a case the user may see, plus, for a CSE lead, everyone
    living in their districts. (Creating a record opens its case in the same
    transaction, so its author sees it as lead professional, and stops seeing
    it when they leave the case.)"""
    scope = scope_for(user)
    if not scope.records:
        return YoungPerson.objects.none()
    return YoungPerson.objects.filter(scope.young_person_condition)


def young_person_for(user: User | AnonymousUser, pk: int) -> YoungPerson:
    young_person = young_people_visible_to(user).filter(pk=pk).first()
    if young_person is None:
        raise Http404("No such young person.")
    return young_person


def _edits_record(scope: Scope, young_person: YoungPerson, cases: Iterable[Case]) -> bool:
    if not scope.records:
        return False
    if scope.is_cse_lead and scope.in_area(young_person.area_id):
        return True
    return any(_edits(scope, case) for case in cases)


def may_edit_young_person(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Work on the child's record itself: someone who may edit one of their cases,
    or a CSE lead of their district."""
    return _edits_record(scope_for(user), young_person, young_person.cases.all())


def _sees_restricted(scope: Scope, young_person: YoungPerson, led_open: bool) -> bool:
    if not scope.records:
        return False
    if scope.is_cse_lead and scope.in_area(young_person.area_id):
        return True
    return led_open


def may_see_restricted_details(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Sexual orientation and similar: the lead professional of an open case,
    and CSE leads of the young person's district."""
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return False
    return _sees_restricted(
        scope,
        young_person,
        led_open=young_person.cases.filter(lead_professional=scope.user, status="open").exists(),
    )


@dataclass(frozen=True)
class RestrictedDetails:
    """may_see_restricted_details for many young people at once (an API page):
    the young people whose open case the reader leads, and the districts
    whose children's restricted details they see."""

    led_young_person_ids: frozenset[int]
    area_ids: frozenset[int]

    def allows(self, young_person: YoungPerson) -> bool:
        return young_person.pk in self.led_young_person_ids or young_person.area_id in self.area_ids


def restricted_details_scope(user: User | AnonymousUser) -> RestrictedDetails:
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return RestrictedDetails(led_young_person_ids=frozenset(), area_ids=frozenset())
    led = Case.objects.filter(lead_professional=scope.user, status="open").values_list(
        "young_person_id", flat=True
    )
    return RestrictedDetails(
        led_young_person_ids=frozenset(led),
        area_ids=scope.area_ids if scope.is_cse_lead else frozenset(),
    )


def may_review_history(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Who saw and changed a record: the lead professional of a case the
    reader sees, CSE leads and information governance."""
    if has_role(user, Role.CSE_LEAD, Role.INFORMATION_GOVERNANCE):
        return True
    cases = getattr(young_person, "visible_cases", None)
    if cases is None:
        cases = cases_visible_to(user).filter(young_person=young_person)
    return any(case.lead_professional_id == user.pk for case in cases)


@dataclass(frozen=True)
class RecordAccess:
    """What the reader may do on a young person's record page, decided once
    from the record as record_page loads it (visible cases with their teams)."""

    young_person: YoungPerson
    # The open case among those the reader sees, if any.
    case: Case | None
    may_edit: bool
    may_edit_record: bool
    restricted: bool
    may_review_history: bool
    may_record_missing: bool
    may_merge: bool


def record_access(user: User | AnonymousUser, young_person: YoungPerson) -> RecordAccess:
    """The answers for a record the reader already sees (loaded by
    selectors.record_page, whose prefetched cases make this query-free)."""
    scope = scope_for(user)
    loaded = getattr(young_person, "visible_cases", None)
    if loaded is None:
        # Not loaded by record_page: the same cases and teams, asked here.
        loaded = (
            cases_visible_to(user)
            .filter(young_person=young_person)
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=CaseMember.objects.filter(removed_at__isnull=True),
                    to_attr="active_members",
                )
            )
        )
    cases: list[Case] = list(loaded)
    members = {case.pk: [m.user_id for m in getattr(case, "active_members", [])] for case in cases}
    open_case = next((c for c in cases if c.status == "open"), None)
    pk = scope.user.pk if scope.user is not None else None
    # Every case the reader may edit is one they see (lead, member, district),
    # so the visible cases answer for all of them.
    edits = {case.pk: _edits(scope, case, members[case.pk]) for case in cases}
    may_edit_record = scope.records and (
        (scope.is_cse_lead and scope.in_area(young_person.area_id)) or any(edits.values())
    )
    led_open = any(c.status == "open" and c.lead_professional_id == pk for c in cases)
    return RecordAccess(
        young_person=young_person,
        case=open_case,
        may_edit=open_case is not None and edits[open_case.pk],
        may_edit_record=may_edit_record,
        restricted=_sees_restricted(scope, young_person, led_open),
        may_review_history=(
            has_role(user, Role.CSE_LEAD, Role.INFORMATION_GOVERNANCE)
            or any(c.lead_professional_id == pk for c in cases)
        ),
        # The reader sees this record: police of its district may record an episode.
        may_record_missing=may_edit_record
        or (is_police(user) and scope.in_area(young_person.area_id)),
        may_merge=may_merge_records(user),
    )


# --- Someone other than the reader -------------------------------------------------------


def young_people_seen_by(person: User, ids: list[int]) -> list[int]:
    """Which of these young people someone (not necessarily signed in) may see."""
    scope = scope_of(person)
    if not scope.records or not ids:
        return []
    return list(
        YoungPerson.objects.filter(scope.young_person_condition, pk__in=ids).values_list(
            "pk", flat=True
        )
    )


def could_see_young_person(person: User, young_person: YoungPerson) -> bool:
    """Whether someone other than the signed-in user (an action's owner, a
    meeting's attendee) may see this young person's record."""
    return young_person.pk in young_people_seen_by(person, [young_person.pk])


def could_see_case(person: User, case: Case) -> bool:
    scope = scope_of(person)
    if not scope.records:
        return False
    if scope.is_cse_lead and person.areas.filter(pk=case.area_id).exists():
        return True
    return Case.objects.filter(scope.case_condition, pk=case.pk).exists()


# --- Case notes ----------------------------------------------------------------------


def notes_visible_to(user: User | AnonymousUser) -> QuerySet[CaseNote]:
    """Notes on cases the user sees, narrowed by each note's visibility.

    Team notes go to everyone who sees the case; agency notes to the author's
    agency; named notes to the people named. The author and the CSE leads of
    the case's district always see them.
    """
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return CaseNote.objects.none()
    visible_cases = Case.objects.filter(scope.case_condition).values("pk")
    condition = (
        Q(visibility=NoteVisibility.TEAM)
        | Q(author=scope.user)
        | Q(visibility=NoteVisibility.AGENCY, author_agency_id=scope.agency_id)
        | Q(visibility=NoteVisibility.NAMED, named_viewers=scope.user)
    )
    if scope.is_cse_lead:
        condition |= Q(case__area__in=scope.areas)
    return CaseNote.objects.filter(condition, case__in=visible_cases).distinct()


# --- Emergency (break-glass) access ---------------------------------------------------
# Emergency access is for people who work with children's records in an agency
# with a statutory duty to safeguard them and an out-of-hours need to act on
# what a record says: police, children's social care, health and youth justice
# (Children Act 2004 s11). Schools, the voluntary sector and housing refer to
# those agencies instead. docs/access.md explains the choice.
MAY_BREAK_GLASS = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.CSE_LEAD})
BREAK_GLASS_AGENCY_KINDS: frozenset[str | None] = frozenset(
    {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH,
        AgencyKind.YOUTH_JUSTICE,
    }
)


def may_break_glass(user: User | AnonymousUser) -> bool:
    """Whether this person may ask for emergency access at all (the role and
    the agency's safeguarding duty). They reach a record only by finding it:
    see break_glass_candidates."""
    if not (is_signed_in(user) and has_role(user, *MAY_BREAK_GLASS)):
        return False
    return agency_kind(user) in BREAK_GLASS_AGENCY_KINDS


def break_glass_candidates(user: User | AnonymousUser, matches: QuerySet[YoungPerson]) -> list[int]:
    """Of the young people a strong search matched (name and date of birth, or
    an identifier), those this person cannot see and may open in an emergency:
    not merged away, with a case to open."""
    if not may_break_glass(user):
        return []
    visible = young_people_visible_to(user).values("pk")
    return list(
        matches.filter(merged_into__isnull=True, cases__isnull=False)
        .exclude(pk__in=visible)
        .values_list("pk", flat=True)
        .distinct()[:2]
    )


def break_glass_case(young_person_id: int) -> Case | None:
    """The case emergency access opens: the open case if there is one, else
    the most recent."""
    cases = Case.objects.filter(young_person_id=young_person_id).order_by("-opened_on", "-pk")
    return cases.filter(status="open").first() or cases.first()


def break_glass_grants_visible_to(user: User | AnonymousUser) -> QuerySet[BreakGlassGrant]:
    """Uses of emergency access on the cases this person may see (the record's
    panel, the lead professional's "My work")."""
    if not scope_for(user).records:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(case__in=cases_visible_to(user).values("pk"))


def sees_young_person(user: User | AnonymousUser, young_person_id: int | None) -> bool:
    """Whether the reader may see this young person's record (one query)."""
    if young_person_id is None:
        return False
    return young_people_visible_to(user).filter(pk=young_person_id).exists()


def possible_duplicates_to_check(user: User | AnonymousUser) -> QuerySet[PossibleDuplicate]:
    """Open duplicate checks a CSE lead works: either side lives in one of
    their districts. (Which names they are shown, and whether they may merge,
    still depends on seeing each record.)"""
    scope = scope_for(user)
    if not scope.is_cse_lead:
        return PossibleDuplicate.objects.none()
    return PossibleDuplicate.objects.filter(resolved_at__isnull=True).filter(
        Q(young_person__area__in=scope.areas) | Q(match__area__in=scope.areas)
    )


def visible_young_person_ids(user: User | AnonymousUser, ids: Iterable[int]) -> set[int]:
    """Which of these young people the signed-in reader may see, in one query
    (for a page that shows several: a meeting's agenda, a list of referrals).
    For someone who is not the reader, young_people_seen_by."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted or not scope_for(user).records:
        return set()
    return set(young_people_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))
