"""The demo area's places and persons of concern (through the services, as
the area's police officer), disruption against them, and the links between
them and the young people: the network map's edges, in bulk with their audit
rows. A link naming a restricted person of concern is restricted, as
link_create makes it."""

from __future__ import annotations

from datetime import timedelta

from cse_cases import services
from cse_cases.models import ContextLink, LinkKind, User, YoungPerson
from cse_cases.wiring.demo import words
from cse_cases.wiring.demo.story import Caseload

GRADED = {
    "source": "Police intelligence report, graded by the police exploitation team",
    "source_grading": "2",
    "information_grading": "B",
}


def places_and_persons(caseload: Caseload) -> None:
    rng, area, today = caseload.rng, caseload.area, caseload.today
    police = caseload.staff.parts["police"]
    for name, kind, address in words.PLACES:
        caseload.places.append(
            services.location_create(
                by=police,
                name=name.format(area=area.name),
                kind=kind,
                area=area,
                address=address.format(area=area.name),
            )
        )
    for details in rng.sample(words.PERSONS_OF_CONCERN, 3):
        caseload.persons.append(
            services.person_of_concern_create(
                by=police,
                name=details["name"],
                nicknames=details["nicknames"],
                description=details["description"],
                phone_numbers=[f"07700 900{rng.randint(0, 999):03d}"],
                vehicles=details["vehicles"],
                area=area,
            )
        )
    # Each child's story happens somewhere (the group chat is not a place to visit).
    visited = [p for p in caseload.places if p.kind != "online"]
    for child in caseload.children + caseload.closed:
        child.place = rng.choice(visited).name
    services.disruption_add(
        by=police,
        kind="cawn",
        person=caseload.persons[0],
        started_on=today - timedelta(days=rng.randint(10, 30)),
        outcome="Served. He was told to have no contact with the young people named, and what "
        "happens if he does.",
    )
    hotel = next(p for p in caseload.places if p.kind == "hotel")
    checked = today - timedelta(days=rng.randint(5, 20))
    services.disruption_add(
        by=police,
        kind="hotel_check",
        location=hotel,
        started_on=checked,
        ended_on=checked,
        outcome="Guest register checked; staff shown how to spot and report concerns about "
        "young people brought in by adults.",
    )


def _link(
    links: list[tuple[ContextLink, User]],
    by: User,
    kind: str,
    *,
    restricted: bool = True,
    **fields,
) -> None:
    person = fields.get("person")
    links.append(
        (
            ContextLink(
                kind=kind,
                restricted=restricted or bool(person and person.restricted),
                created_by=by,
                **fields,
            ),
            by,
        )
    )


def links(caseload: Caseload) -> None:
    rng, staff, today = caseload.rng, caseload.staff, caseload.today
    lead, police = staff.cse_lead, staff.parts["police"]
    places = {p.name: p for p in caseload.places}
    visited = [p for p in caseload.places if p.kind != "online"]
    made: list[tuple[ContextLink, User]] = []
    for person in caseload.persons:
        for place in rng.sample(visited, 2):
            _link(
                made,
                police,
                LinkKind.PERSON_TO_LOCATION,
                person=person,
                location=place,
                first_seen=today - timedelta(days=rng.randint(60, 200)),
                last_seen=today - timedelta(days=rng.randint(1, 30)),
                **GRADED,
            )
    themes = {"older_adult", "county_lines", "substances", "peer"}
    for child in [c for c in caseload.children if themes & set(c.themes)][:10]:
        opened = (today - child.case.opened_on).days
        _link(
            made,
            lead,
            LinkKind.YOUNG_PERSON_TO_PERSON,
            young_person=child.young_person,
            person=rng.choice(caseload.persons),
            first_seen=today - timedelta(days=rng.randint(min(opened, 30), max(opened, 31))),
            last_seen=today - timedelta(days=rng.randint(0, 20)),
            **GRADED,
        )
        _link(
            made,
            child.lead,
            LinkKind.YOUNG_PERSON_TO_LOCATION,
            # Only police and CSE leads restrict a link; others' are for the team.
            restricted=False,
            young_person=child.young_person,
            location=places[child.place],
            source="Seen there by the team around the child",
            source_grading="1",
            information_grading="A",
            last_seen=today - timedelta(days=rng.randint(0, 20)),
        )
    # Young people who are exploited together.
    peers = [c for c in caseload.children if "peer" in c.themes]
    for one, other in zip(peers[::2], peers[1::2], strict=False):
        _link(
            made,
            lead,
            LinkKind.YOUNG_PERSON_TO_YOUNG_PERSON,
            restricted=False,
            young_person=one.young_person,
            other_young_person=other.young_person,
            source="Seen together by school staff and in the police missing reports",
            source_grading="1",
            information_grading="B",
        )
    online = next(p for p in caseload.places if p.kind == "online")
    for child in [c for c in caseload.children if "online" in c.themes][:4]:
        _link(
            made,
            lead,
            LinkKind.YOUNG_PERSON_TO_LOCATION,
            young_person=child.young_person,
            location=online,
            source="Messages seen on the young person's phone, with their agreement",
            source_grading="1",
            information_grading="A",
        )
    ContextLink.objects.bulk_create([link for link, _ in made])
    for link, by in made:
        ends: list[YoungPerson] = [e for e in (link.young_person, link.other_young_person) if e]
        for end in ends:
            caseload.audit.created(by, link, end.pk)
        if not ends:
            caseload.audit.created(by, link)
