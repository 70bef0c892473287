"""Contexts: persons of concern, locations, links between them and young
people, and disruption."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from assessments.models import Meeting
from cse_cases.access.records import young_people_visible_to
from cse_cases.access.roles import agency_kind, is_signed_in, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import (
    AgencyKind,
    Area,
    ContextLink,
    Disruption,
    Location,
    PersonOfConcern,
    PersonOfConcernShare,
    Role,
    User,
    YoungPerson,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# --- Contexts: persons of concern, locations, links, disruption --------------------
# A person of concern belongs to the districts where they were recorded
# (PersonOfConcern.area; for older records without one, the districts of
# whoever recorded them) and where they are linked: to a young person (the
# young person's district, and the district of a young person who is also this
# person of concern), to a place (the place's district), or to a meeting that
# considered them (the meeting's district). Police and CSE leads see restricted
# persons of their own districts and of those shared with their districts by a
# recorded decision (PersonOfConcernShare). Everyone else sees an unrestricted
# person only through a link they may see. Anyone else gets 404.


def may_see_intelligence(user: User | AnonymousUser) -> bool:
    """Police officers and CSE leads see restricted intelligence."""
    if not may_see_identifiable_records(user):
        return False
    return user.role == Role.CSE_LEAD or agency_kind(user) == AgencyKind.POLICE


def _held_in(area_ids: QuerySet[Any] | list[int]) -> Q:
    """Persons of concern belonging to these districts, or shared with them:
    one condition of Exists subqueries, evaluated inside PostgreSQL."""
    person = OuterRef("pk")
    links = ContextLink.objects.filter(person=person)
    recorder_areas = User.areas.through.objects.filter(
        user_id=OuterRef("created_by_id"), area_id__in=area_ids
    )
    return (
        Q(area_id__in=area_ids)
        | (Q(area__isnull=True) & Exists(recorder_areas))
        | Q(young_person__area_id__in=area_ids)
        | Exists(links.filter(young_person__area_id__in=area_ids))
        | Exists(links.filter(location__area_id__in=area_ids))
        | Exists(
            Meeting.persons.through.objects.filter(
                personofconcern_id=person, meeting__area_id__in=area_ids
            )
        )
        | Exists(PersonOfConcernShare.objects.filter(person=person, area_id__in=area_ids))
    )


class _AmongIds(Func):
    """`column = ANY(ARRAY(SELECT id ...))`: the set is worked out once (an
    InitPlan) and an index on the column looks its ids up. An IN subquery
    inside an OR is instead tested against every row of the table, and a
    join to a set the planner cannot size often reads the whole table."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def among(column: str, ids: QuerySet[Any]) -> Q:
    """Rows whose `column` is one of `ids` (a queryset of one column)."""
    return Q(_AmongIds(F(column), ArraySubquery(ids)))


def _held_in_ids(area_ids: QuerySet[Any] | list[int]) -> QuerySet[Any]:
    """The ids of the persons _held_in keeps, as one set: a UNION of each way a
    person belongs to the districts, every branch read through an index from
    the districts' own rows. _held_in tests a person at a time (its Exists
    subqueries run for every person of concern in Harbour); a reader of a
    whole district (the network map) wants the district's persons at once, at
    a cost that follows the district, not the database. The two must agree:
    tests/cse_cases/test_network.py holds them to it."""
    district_people = YoungPerson.objects.filter(area_id__in=area_ids).order_by().values("pk")
    district_places = Location.objects.filter(area_id__in=area_ids).order_by().values("pk")
    recorders = User.areas.through.objects.filter(area_id__in=area_ids).values("user_id")
    persons = PersonOfConcern.objects.order_by()
    links = ContextLink.objects.order_by().filter(person__isnull=False)
    ids = [
        persons.filter(area_id__in=area_ids).values("pk"),
        persons.filter(area__isnull=True, created_by_id__in=recorders).values("pk"),
        persons.filter(among("young_person_id", district_people)).values("pk"),
        links.filter(among("young_person_id", district_people)).values("person_id"),
        links.filter(among("location_id", district_places)).values("person_id"),
        PersonOfConcernShare.objects.order_by().filter(area_id__in=area_ids).values("person_id"),
        Meeting.persons.through.objects.order_by()
        .filter(meeting__area_id__in=area_ids)
        .values("personofconcern_id"),
    ]
    return ids[0].union(*ids[1:])


def _link_restriction(user: User) -> Q:
    """A link's own restriction for this reader: for anyone but police and CSE
    leads, neither a restricted link nor one naming a restricted person of
    concern (the person's restriction wins over the link's)."""
    if may_see_intelligence(user):
        return Q()
    return (Q(restricted=False) | Q(created_by=user)) & (
        Q(person__isnull=True) | Q(person__restricted=False)
    )


def _links_seen(user: User) -> Q:
    """Links by their young people and their own restriction; who the person
    at one end is, is decided by persons_of_concern_visible_to."""
    young_people = young_people_visible_to(user).values("pk")
    condition = (Q(young_person__isnull=True) | Q(young_person__in=young_people)) & (
        Q(other_young_person__isnull=True) | Q(other_young_person__in=young_people)
    )
    return condition & _link_restriction(user)


def _person_of_concern_visibility(user: User) -> Q:
    # Everyone: an unrestricted person through a link they may see.
    through_link = Q(restricted=False) & Q(
        Exists(ContextLink.objects.filter(_links_seen(user), person=OuterRef("pk")))
    )
    if not may_see_intelligence(user):
        return through_link
    return _held_in(scope_for(user).areas) | through_link


def persons_of_concern_visible_to(user: User | AnonymousUser) -> QuerySet[PersonOfConcern]:
    if not may_see_identifiable_records(user):
        return PersonOfConcern.objects.none()
    return PersonOfConcern.objects.filter(_person_of_concern_visibility(user))


def person_of_concern_for(user: User | AnonymousUser, pk: int) -> PersonOfConcern:
    person = persons_of_concern_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person of concern.")
    return person


def may_share_person_of_concern(user: User | AnonymousUser, person: PersonOfConcern) -> bool:
    """Police and CSE leads who see the person may share them with another district."""
    return (
        may_see_intelligence(user)
        and persons_of_concern_visible_to(user).filter(pk=person.pk).exists()
    )


def person_of_concern_held_in(person: PersonOfConcern, area: Area) -> bool:
    """Whether this district's police and CSE leads already see the person."""
    return PersonOfConcern.objects.filter(_held_in([area.pk]), pk=person.pk).exists()


@dataclass(frozen=True)
class PersonOfConcernSearch:
    people: QuerySet[PersonOfConcern]
    # The name also matches someone in another district this person may not
    # see: police and CSE leads are told only that (never who, or where).
    match_in_other_area: bool


CROSS_AREA_MATCH = "cross-area match"


def search_persons_of_concern(user: User | AnonymousUser, query: str) -> PersonOfConcernSearch:
    """Persons of concern the user may see whose name is like `query` (pg_trgm,
    on the lower(name) index), and whether a match exists beyond their sight."""
    people = persons_of_concern_visible_to(user)
    query = query.replace("\x00", "").strip()[:100].lower()
    if not query:
        return PersonOfConcernSearch(people=people, match_in_other_area=False)
    people = people.annotate(lname=Lower("name")).filter(lname__trigram_similar=query)
    elsewhere = False
    if is_signed_in(user) and may_see_intelligence(user):
        elsewhere = (
            PersonOfConcern.objects.annotate(lname=Lower("name"))
            .filter(lname__trigram_similar=query)
            # Per matching row (a handful, from the index), not the whole visible set.
            .exclude(_person_of_concern_visibility(user))
            .exists()
        )
    return PersonOfConcernSearch(people=people, match_in_other_area=elsewhere)


def links_visible_to(user: User | AnonymousUser) -> QuerySet[ContextLink]:
    """Links whose young people the user may see; restricted ones only for
    intelligence; and a link naming a person of concern only for those who may
    see that person, so a link never reveals someone hidden from its reader."""
    if not may_see_identifiable_records(user):
        return ContextLink.objects.none()
    return ContextLink.objects.filter(
        _links_seen(user),
        Q(person__isnull=True) | Q(person__in=persons_of_concern_visible_to(user).values("pk")),
    )


def locations_visible_to(user: User | AnonymousUser) -> QuerySet[Location]:
    """Places identify no child on their own: everyone working with records sees them."""
    if not may_see_identifiable_records(user):
        return Location.objects.none()
    return Location.objects.all()


def disruptions_visible_to(user: User | AnonymousUser) -> QuerySet[Disruption]:
    """Disruption against a place is seen with the place; against a person,
    only by those who may see the person."""
    if not may_see_identifiable_records(user):
        return Disruption.objects.none()
    return Disruption.objects.filter(
        Q(person__in=persons_of_concern_visible_to(user).values("pk")) | Q(location__isnull=False)
    )
