"""The network map's graph for one reader: nodes, links, clusters and filters.

Read set-based, in four queries whatever the size (young people with their
open case's risk level, persons of concern, places, links), all scoped by
cse_cases/access/network.py; the filters that need the whole graph (cluster,
focus, search) then run in Python on those rows, which the node budget keeps
small enough to send.

How the filters combine, in this order:
1. link kind and time window keep the links that match and the nodes they
   join (with neither, every node in scope is drawn, linked or not);
2. risk level keeps young people whose open case is at that level, and the
   persons and places linked to them;
3. clusters (connected components) are found on what is left, and a cluster
   keeps one of them;
4. focus keeps one node and its neighbours to two steps;
5. search keeps the nodes whose label contains the words, and their neighbours.
Links are then those whose both ends are kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from cse_cases import access
from cse_cases.models import (
    CaseStatus,
    LinkKind,
    LocationKind,
    RiskLevel,
    User,
    YoungPerson,
)
from cse_cases.nojit import without_jit
from reports.network.graph import components, neighbourhood

YOUNG_PERSON = "young_person"
PERSON = "person"
LOCATION = "location"
ONLINE = "online"
NODE_TYPES = {
    YOUNG_PERSON: "Young person",
    PERSON: "Person of concern",
    LOCATION: "Place",
    ONLINE: "Online space",
}
# A node's key says its table and id: yp-12, person-4, location-7 (an
# online space is a location of kind online); forms.NODE_KEY checks one.
FOCUS_STEPS = 2


@dataclass(frozen=True)
class Filters:
    days: int | None = None
    kind: str = ""
    risk: str = ""
    cluster: str = ""
    focus: str = ""
    search: str = ""

    @property
    def narrows_links(self) -> bool:
        return bool(self.days or self.kind)


@dataclass(slots=True)
class Node:
    key: str
    type: str
    pk: int
    label: str
    risk: str = ""
    cluster: str = ""
    # The record's page (set by _nodes, which reverses each table's once).
    url: str = ""

    @property
    def type_label(self) -> str:
        return NODE_TYPES[self.type]

    @property
    def risk_label(self) -> str:
        return RiskLevel(self.risk).label if self.risk else ""


@dataclass(slots=True)
class Edge:
    key: str
    source: str
    target: str
    kind: str
    first_seen: date | None
    last_seen: date | None

    @property
    def kind_label(self) -> str:
        return LinkKind(self.kind).label


@dataclass
class Network:
    """What the map shows; when `too_large`, no nodes or links, only counts."""

    nodes: list[Node]
    edges: list[Edge]
    too_large: bool
    budget: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def young_person_ids(self) -> list[int]:
        return [node.pk for node in self.nodes if node.type == YOUNG_PERSON]

    def as_data(self) -> dict:
        """Nodes and links as the API answers and the page's script reads them."""
        return {
            "too_large": self.too_large,
            "budget": self.budget,
            "counts": self.counts,
            "nodes": [
                {
                    "id": node.key,
                    "type": node.type,
                    "label": node.label,
                    "risk": node.risk,
                    "cluster": node.cluster,
                    "url": node.url,
                }
                for node in self.nodes
            ],
            "edges": [
                {
                    "id": edge.key,
                    "source": edge.source,
                    "target": edge.target,
                    "kind": edge.kind,
                    "first_seen": edge.first_seen.isoformat() if edge.first_seen else None,
                    "last_seen": edge.last_seen.isoformat() if edge.last_seen else None,
                }
                for edge in self.edges
            ],
        }


class UnknownNode(LookupError):
    """A focus node or cluster that is not on the reader's map (404)."""


def _young_person_label(first: str, last: str, known_as: str) -> str:
    """The record's own display_name, without building a model instance for
    each of thousands of rows."""
    names = SimpleNamespace(legal_first_name=first, legal_last_name=last, known_as=known_as)
    label: str = YoungPerson.display_name.fget(names)  # type: ignore[attr-defined]
    return label


def _record_urls() -> dict[str, str]:
    """Each table's record address with {pk} for the id: reverse() once per
    table, not once for each of thousands of nodes."""
    marker = 987654321
    names = {"yp": "young-person", "person": "person-of-concern", "location": "location"}
    return {
        prefix: reverse(name, args=[marker]).replace(str(marker), "{pk}")
        for prefix, name in names.items()
    }


def _nodes(scope: access.NetworkScope) -> dict[str, Node]:
    open_risk = (
        scope.cases.filter(young_person=OuterRef("pk"), status=CaseStatus.OPEN)
        .order_by()
        .values("risk_level")[:1]
    )
    nodes: dict[str, Node] = {}
    urls = _record_urls()
    young_people = scope.young_people.annotate(open_risk=Subquery(open_risk)).values_list(
        "pk", "legal_first_name", "legal_last_name", "known_as", "open_risk"
    )
    for pk, first, last, known_as, risk in young_people:
        label = _young_person_label(first, last, known_as)
        url = urls["yp"].format(pk=pk)
        nodes[f"yp-{pk}"] = Node(f"yp-{pk}", YOUNG_PERSON, pk, label, risk=risk or "", url=url)
    for pk, name in scope.persons.values_list("pk", "name"):
        url = urls["person"].format(pk=pk)
        nodes[f"person-{pk}"] = Node(f"person-{pk}", PERSON, pk, name, url=url)
    for pk, name, kind in scope.locations.values_list("pk", "name", "kind"):
        node_type = ONLINE if kind == LocationKind.ONLINE else LOCATION
        url = urls["location"].format(pk=pk)
        nodes[f"location-{pk}"] = Node(f"location-{pk}", node_type, pk, name, url=url)
    return nodes


def _edges(
    scope: access.NetworkScope, filters: Filters, today: date, nodes: dict[str, Node]
) -> list[Edge]:
    links = scope.links
    if filters.kind:
        links = links.filter(kind=filters.kind)
    if filters.days:
        # The latest date the link is known to have held: last seen, else
        # first seen, else when it was recorded.
        links = links.annotate(
            seen=Coalesce(F("last_seen"), F("first_seen"), TruncDate("created_at"))
        ).filter(seen__gte=today - timedelta(days=filters.days))
    edges = []
    rows = links.order_by("pk").values_list(
        "pk",
        "kind",
        "young_person_id",
        "person_id",
        "other_young_person_id",
        "location_id",
        "first_seen",
        "last_seen",
    )
    for pk, kind, young_person, person, other, location, first_seen, last_seen in rows:
        # The two ends the link's kind names (context_link_ends_match_kind).
        if young_person is not None:
            source = f"yp-{young_person}"
            if person is not None:
                target = f"person-{person}"
            elif other is not None:
                target = f"yp-{other}"
            else:
                target = f"location-{location}"
        else:
            source, target = f"person-{person}", f"location-{location}"
        # The access rule already keeps every end on the map; a row recorded
        # between the node and link queries is dropped, never left dangling.
        if source in nodes and target in nodes:
            edges.append(Edge(f"link-{pk}", source, target, kind, first_seen, last_seen))
    return edges


def _linked(keys: set[str], edges: list[Edge]) -> set[str]:
    """The nodes one link away from `keys`."""
    out = set()
    for edge in edges:
        if edge.source in keys:
            out.add(edge.target)
        if edge.target in keys:
            out.add(edge.source)
    return out


def _within(edges: list[Edge], kept: set[str]) -> list[Edge]:
    """The links whose both ends are kept."""
    return [edge for edge in edges if edge.source in kept and edge.target in kept]


def _narrow(
    nodes: dict[str, Node], edges: list[Edge], filters: Filters
) -> tuple[set[str], list[Edge]]:
    """The keys of the nodes the filters keep (the order is the module's
    docstring's), and the links between them; sets each node's cluster on
    the way. The kept nodes only ever shrink, so the links between them are
    narrowed from the last step's rather than found again among them all."""
    kept = set(nodes)
    if filters.narrows_links:
        kept = {end for edge in edges for end in (edge.source, edge.target)}
    # Every link joins two kept nodes so far: _edges keeps only links whose
    # both ends are nodes, and a link filter keeps the ends of its links.
    within = edges
    if filters.risk:
        children = {
            k for k in kept if nodes[k].type == YOUNG_PERSON and nodes[k].risk == filters.risk
        }
        linked = _linked(children, within)
        kept = children | {k for k in linked if nodes[k].type != YOUNG_PERSON}
        within = _within(within, kept)
    clusters = components(((e.source, e.target) for e in within), sorted(kept))
    for key, cluster in clusters.items():
        nodes[key].cluster = cluster
    if filters.cluster:
        if filters.cluster not in set(clusters.values()):
            raise UnknownNode(filters.cluster)
        kept = {key for key in kept if clusters[key] == filters.cluster}
        within = _within(within, kept)
    if filters.focus:
        if filters.focus not in kept:
            raise UnknownNode(filters.focus)
        pairs = ((e.source, e.target) for e in within)
        kept = neighbourhood(filters.focus, pairs, FOCUS_STEPS)
        within = _within(within, kept)
    if filters.search:
        words = filters.search.casefold()
        found = {key for key in kept if words in nodes[key].label.casefold()}
        kept = found | _linked(found, within)
        within = _within(within, kept)
    return kept, within


def _counts(nodes: list[Node], edges: list[Edge]) -> dict[str, int]:
    types = Counter(node.type for node in nodes)
    return {
        "nodes": len(nodes),
        "young_people": types[YOUNG_PERSON],
        "persons": types[PERSON],
        "locations": types[LOCATION],
        "online_spaces": types[ONLINE],
        "links": len(edges),
        "clusters": len({node.cluster for node in nodes}),
    }


def network_for(user: User, filters: Filters, *, today: date, budget: int) -> Network:
    """The reader's map under these filters (404 from the access package for
    anyone without one; UnknownNode for a focus or cluster not on it)."""
    return _drawn(access.network_scope_for(user), filters, today=today, budget=budget)


def network_within(
    user: User,
    *,
    young_people: QuerySet[Any],
    persons: QuerySet[Any],
    locations: QuerySet[Any],
    today: date,
    budget: int,
) -> Network:
    """The reader's map narrowed to a set of nodes, each a queryset of ids (a
    meeting's agenda and the places and persons it considers): the same
    access rule and the same queries as /network/, so it shows nothing the
    reader's own map would not, and costs the same four queries."""
    scope = access.network_scope_for(user).within(
        young_people=young_people, persons=persons, locations=locations
    )
    return _drawn(scope, Filters(), today=today, budget=budget)


def _drawn(scope: access.NetworkScope, filters: Filters, *, today: date, budget: int) -> Network:
    # The links query carries the access rule's subqueries for each end,
    # which puts it over PostgreSQL's JIT cost threshold: on the benchmark's
    # 20,000 young people compiling it took 37 s of a 38 s answer. JIT is off
    # for these reads alone (SET LOCAL ends with the transaction), as for
    # the report's sections (reports/measures/__init__.py).
    with without_jit():
        nodes = _nodes(scope)
        edges = _edges(scope, filters, today, nodes)
    kept, shown_edges = _narrow(nodes, edges, filters)
    order = list(NODE_TYPES)
    shown = sorted((nodes[key] for key in kept), key=lambda n: (order.index(n.type), n.label, n.pk))
    counts = _counts(shown, shown_edges)
    if len(shown) > budget:
        return Network(nodes=[], edges=[], too_large=True, budget=budget, counts=counts)
    return Network(nodes=shown, edges=shown_edges, too_large=False, budget=budget, counts=counts)
