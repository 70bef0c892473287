"""The network map: who may see it, and which nodes and links it holds.

Who: everyone who works with children's records (practitioners, supervisors,
CSE leads; police officers are practitioners of a police agency). Each sees
the map of their own districts with only what they may already see elsewhere
in Harbour, so the map shows nobody anything new about a child; it draws what
they could read record by record. Commissioners, administrators and
information governance get 404: they see no identifiable record at all.

What (for the reader's districts):
- young people the reader may see who live there (records merged into
  another are left out: the survivor stands for them);
- persons of concern the reader may see who belong to those districts
  (recorded there, linked there, considered by a meeting there, or shared
  with them: contexts._held_in);
- places and online spaces in those districts;
- links the reader may see (links_visible_to, built on _links_seen) whose
  every end is one of those nodes. A link to anything else is left out, so
  the map never holds an id it does not draw.

Restricted persons of concern the reader may not see are LEFT OUT, not
shown as an anonymous "1 restricted person" node. An anonymous node would
tell a practitioner that police hold intelligence about someone linked to a
child, which the rest of the policy deliberately does not (_links_seen hides
every link naming a restricted person from anyone but police and CSE leads;
the child's record shows no placeholder either). Police and CSE leads see
those persons in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cse_cases.access.contexts import (
    _held_in_ids,
    _link_restriction,
    among,
    locations_visible_to,
    may_see_intelligence,
)
from cse_cases.access.contexts import persons_of_concern_visible_to as _persons_visible_to
from cse_cases.access.records import cases_visible_to, young_people_visible_to
from cse_cases.access.roles import may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import Case, ContextLink, Location, PersonOfConcern, User, YoungPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class NetworkScope:
    """The map's four sets for one reader, as querysets not yet run."""

    young_people: QuerySet[YoungPerson]
    persons: QuerySet[PersonOfConcern]
    locations: QuerySet[Location]
    links: QuerySet[ContextLink]
    # The cases the reader sees: a child's risk level on the map comes from
    # one of these, never from a case the reader cannot open (a former lead
    # still sees the child, not the new team's case).
    cases: QuerySet[Case]

    def within(
        self,
        *,
        young_people: QuerySet[Any],
        persons: QuerySet[Any],
        locations: QuerySet[Any],
    ) -> NetworkScope:
        """The same map narrowed to a set of nodes (a meeting's: its agenda and
        the places and persons it considers), each given as a queryset of ids.

        Only ever narrows: every set is the reader's set intersected with the
        one given, so a restricted person the reader may not see stays out of
        a meeting's map exactly as off /network/, and a link is kept only when
        its every end is still on the narrowed map.
        """
        kept_people = self.persons.filter(pk__in=persons)
        links = self.links.filter(
            Q(young_person__isnull=True) | Q(young_person__in=young_people),
            Q(other_young_person__isnull=True) | Q(other_young_person__in=young_people),
            Q(person__isnull=True) | Q(person__in=kept_people.values("pk")),
            Q(location__isnull=True) | Q(location__in=locations),
        )
        return NetworkScope(
            young_people=self.young_people.filter(pk__in=young_people),
            persons=kept_people,
            locations=self.locations.filter(pk__in=locations),
            links=links,
            cases=self.cases,
        )


def may_see_network(user: User | AnonymousUser) -> bool:
    return may_see_identifiable_records(user)


def _among(column: str, nodes: QuerySet[Any]) -> Q:
    return among(column, nodes.order_by().values("pk"))


def network_scope_for(user: User | AnonymousUser) -> NetworkScope:
    """The reader's map, or 404 for anyone who may not see one.

    Set-based, so the map costs what its district holds, not what Harbour
    holds: each node set starts from the districts' rows (an index), and the
    links are read from the node sets' ids rather than by testing every link
    in Harbour against the visibility rules of each of its ends."""
    if not may_see_identifiable_records(user):
        raise Http404
    areas = scope_for(user).areas
    young_people = young_people_visible_to(user).filter(area__in=areas, merged_into__isnull=True)
    held_in = PersonOfConcern.objects.filter(among("id", _held_in_ids(areas)))
    if may_see_intelligence(user):
        # Police and CSE leads see every person held in their own districts
        # (contexts._person_of_concern_visibility, whose districts are these
        # same ones), so the persons they may see there are exactly those.
        persons = held_in
    else:
        persons = held_in.filter(pk__in=_persons_visible_to(user).values("pk"))
    locations = locations_visible_to(user).filter(area__in=areas)
    # links_visible_to, for links whose every end is on the map: a link the
    # reader may see is one whose young people they may see, whose person of
    # concern they may see, and whose own restriction lets them; here each
    # end is tested against its node set (already within the reader's sight),
    # so an edge never points at a node the map leaves out (a child
    # elsewhere, a merged record, a person hidden from the reader, a place in
    # another district). Every link names a young person or, joining a
    # person to a place, a location (context_link_ends_match_kind): those
    # two small sets find the rows through their indexes.
    links = ContextLink.objects.filter(
        _among("young_person_id", young_people) | _among("location_id", locations),
        # Each end against its set as an IN subquery: PostgreSQL hashes the
        # set once (= ANY of an array would compare every row with every id).
        Q(young_person__isnull=True) | Q(young_person__in=young_people.values("pk")),
        Q(other_young_person__isnull=True) | Q(other_young_person__in=young_people.values("pk")),
        Q(location__isnull=True) | Q(location__in=locations.values("pk")),
        _link_restriction(user),
    )
    if not may_see_intelligence(user):
        links = links.filter(Q(person__isnull=True) | Q(person__in=persons.values("pk")))
    # For police and CSE leads the person at the end is on the map already:
    # the link joins them to a child or a place of the district, which is
    # what makes them held in it (_held_in_ids), and they see everyone held
    # in their districts. Testing it again would work the persons out twice.
    return NetworkScope(
        young_people=young_people,
        persons=persons,
        locations=locations,
        links=links,
        cases=cases_visible_to(user),
    )
