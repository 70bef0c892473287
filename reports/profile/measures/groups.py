"""Groups: young people, persons of concern and places joined by recorded links
(the connected components of the district's network), how large they are,
the largest of them, and those new in the period.

The graph is the profile's district as the other sections count it:
- nodes: the district's young people (``YoungPerson.area``, records merged
  into another left out, as the network map does), its persons of concern
  (reports/profile/measures/persons.py: recorded there, or linked to its
  young people or places) and its places and online spaces (recorded by the
  day counted at);
- edges: the links recorded by that day whose every end is such a node.
A group is a component of two or more nodes; a node with no link is in none.

A group is new in the period when every one of its links began in it: a
link begins on the day it was first seen, or the day it was recorded when
that is earlier or nothing was seen (information recorded in the period
about an association seen years ago is not new).

Two statements whatever the size (the links with their ends, and the
disruption under way); the components are found in Python by
reports.network.graph.components, as the network map finds its clusters.
No child is named: a group is numbered, and named by its places (places are
named inside the partnership, as the places section does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.db.models.functions import Least, TruncDate

from cse_cases.models import Disruption, Location, YoungPerson
from reports.network.graph import components
from reports.profile.context import TOP, ProfileContext
from reports.profile.measures.common import place_name
from reports.profile.measures.persons import disruption_under_way, links, persons
from reports.tables import Row, Section, Table

# (label, fewest nodes, most nodes or None for no upper bound)
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("2 nodes", 2, 2),
    ("3 to 5 nodes", 3, 5),
    ("6 to 10 nodes", 6, 10),
    ("Over 10 nodes", 11, None),
)
# A largest group's label names at most this many of its places.
PLACES_NAMED = 3


@dataclass
class Group:
    key: str
    young_people: int = 0
    persons: int = 0
    places: int = 0
    disrupted: int = 0
    # True while no link of the group began before the period.
    new: bool = True
    place_names: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return self.young_people + self.persons + self.places


def groups(ctx: ProfileContext) -> list[Group]:
    """The district's groups, largest first (ties: most young people, then
    by their places' names, then the smallest node key, so the order does
    not depend on the database's)."""
    young_ids = (
        YoungPerson.objects.using(ctx.using)
        .filter(area_id__in=ctx.area_ids, merged_into__isnull=True)
        .values("pk")
    )
    person_ids = persons(ctx).values("pk")
    place_ids = (
        Location.objects.using(ctx.using)
        .filter(area_id__in=ctx.area_ids, created_at__lt=ctx.as_of_end)
        .values("pk")
    )
    rows = (
        links(ctx)
        .filter(
            Q(young_person__isnull=True) | Q(young_person_id__in=young_ids),
            Q(other_young_person__isnull=True) | Q(other_young_person_id__in=young_ids),
            Q(person__isnull=True) | Q(person_id__in=person_ids),
            Q(location__isnull=True) | Q(location_id__in=place_ids),
        )
        # PostgreSQL's LEAST ignores a NULL: no first_seen gives the day recorded.
        .annotate(began=Least("first_seen", TruncDate("created_at")))
        .order_by()
        .values_list(
            "young_person_id",
            "other_young_person_id",
            "person_id",
            "location_id",
            "location__name",
            "location__kind",
            "began",
        )
    )
    edges: list[tuple[str, str]] = []
    began: list[date] = []
    names: dict[str, str] = {}
    for young_person, other, person, location, name, kind, day in rows:
        ends = [
            f"{prefix}-{end}"
            for prefix, end in (("yp", young_person), ("yp", other), ("person", person))
            if end is not None
        ]
        if location is not None:
            ends.append(f"location-{location}")
            names[f"location-{location}"] = place_name(location, name, kind)
        edges.append((ends[0], ends[1]))
        began.append(day)
    disrupted = {
        f"person-{person}" if person is not None else f"location-{location}"
        for person, location in Disruption.objects.using(ctx.using)
        .filter(disruption_under_way(ctx))
        .filter(Q(person_id__in=person_ids) | Q(location_id__in=place_ids))
        .values_list("person_id", "location_id")
    }
    member_of = components(edges)
    found: dict[str, Group] = defaultdict(lambda: Group(key=""))
    for node, component in member_of.items():
        group = found[component]
        group.key = component
        kind = node.split("-", 1)[0]
        if kind == "yp":
            group.young_people += 1
        elif kind == "person":
            group.persons += 1
        else:
            group.places += 1
            group.place_names.add(names[node])
        group.disrupted += node in disrupted
    for (one, _), day in zip(edges, began, strict=True):
        if day < ctx.period.start:
            found[member_of[one]].new = False
    # A link from a child to herself (nothing in the database forbids one)
    # makes a component of one node: not a group.
    return sorted(
        (group for group in found.values() if group.size >= 2),
        key=lambda g: (-g.size, -g.young_people, sorted(g.place_names), g.key),
    )


def _band(size: int) -> str:
    return next(
        label for label, low, high in BANDS if size >= low and (high is None or size <= high)
    )


def sizes(found: list[Group]) -> Table:
    counted = {label: [0, 0] for label, *_ in BANDS}
    for group in found:
        line = counted[_band(group.size)]
        line[0] += 1
        line[1] += group.young_people
    return Table(
        key="profile.groups.sizes",
        title="Groups by size",
        row_heading="Size of the group",
        columns=("Groups", "Young people in them"),
        rows=tuple(Row(label, (groups, young)) for label, (groups, young) in counted.items()),
        unit="groups; young people",
        chart="none",
        note="A group is young people, persons of concern and places joined to one another "
        "by recorded links, directly or through others; its size is how many of them it "
        "holds. A young person is in one group at most.",
    )


def _label(rank: int, group: Group, *, shared: bool) -> str:
    if not group.place_names:
        return f"Group {rank} (no place linked)"
    named = sorted(group.place_names)
    if shared:
        # One place only, and no "and N more": a label that lists them all,
        # or says how many more, gives the group's number of places exactly,
        # and with the size that pinned a hidden count of young people
        # (stop-28 review finding).
        return f"Group {rank} (around {named[0]})"
    more = len(named) - PLACES_NAMED
    places = ", ".join(named[:PLACES_NAMED]) + (f" and {more} more" if more > 0 else "")
    return f"Group {rank} ({places})"


NOTE = (
    "Numbered largest first and named by their places; no child or person is named. "
    "With disruption under way: how many of the group's persons and places have "
    "disruption started and not ended (0: none)."
)


def largest(found: list[Group], *, shared: bool = False) -> Table:
    top = list(enumerate(found[:TOP], start=1))
    if shared:
        # Beyond CSE leads and police the size is the row's Total, so that
        # disclosure control protects a hidden part from it as from any
        # total; disruption is left out, being a part of two of the parts.
        return Table(
            key="profile.groups.largest",
            title=f"The largest groups (top {TOP})",
            row_heading="Group, by one of its places",
            columns=("Young people", "Persons of concern", "Places and online spaces"),
            rows=tuple(
                Row(
                    _label(rank, group, shared=True),
                    (group.young_people, group.persons, group.places),
                    in_total=False,
                )
                for rank, group in top
            ),
            row_totals=True,
            column_totals=False,
            chart="none",
            unit="young people, persons and places",
            note="Numbered largest first and named by one of their places; no child or "
            "person is named. Total: the group's size.",
        )
    return Table(
        key="profile.groups.largest",
        title=f"The largest groups (top {TOP})",
        row_heading="Group, by its places",
        columns=(
            "Size",
            "Young people",
            "Persons of concern",
            "Places and online spaces",
            "With disruption under way",
        ),
        rows=tuple(
            Row(
                _label(rank, group, shared=False),
                (group.size, group.young_people, group.persons, group.places, group.disrupted),
                in_total=False,
            )
            for rank, group in top
        ),
        column_totals=False,
        chart="none",
        unit="young people, persons and places",
        note=NOTE,
    )


def new_groups(ctx: ProfileContext, found: list[Group]) -> Table:
    new = [group for group in found if group.new]
    old = [group for group in found if not group.new]
    return Table(
        key="profile.groups.new",
        title="Groups new in the period",
        row_heading="Groups",
        columns=("Groups", "Young people in them"),
        rows=(
            Row("New in the period", (len(new), sum(g.young_people for g in new))),
            Row("Known before the period", (len(old), sum(g.young_people for g in old))),
        ),
        unit="groups; young people",
        chart="none",
        note=f"New: every link of the group began on or after {ctx.period.start:%-d %B %Y} "
        "(first seen then, or recorded then with nothing seen earlier).",
    )


def section(ctx: ProfileContext) -> Section:
    found = groups(ctx)
    return Section(
        key="groups",
        title="Groups",
        summary="Young people, persons of concern and places that are connected through "
        "recorded links: how many groups there are, how large, the largest, and which "
        "are new in the period.",
        tables=(sizes(found), largest(found, shared=ctx.shared), new_groups(ctx, found)),
    )
