"""The people of a demo area and the story of each child in it: what the
caseload modules (people, missing, contexts, governance) write, and what
the features carry on (see cse_cases/wiring/demo/caseload.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cse_cases.models import Case, Location, PersonOfConcern, User, YoungPerson
from cse_cases.models.partnership import Area
from cse_cases.wiring import demo
from cse_cases.wiring.demo.bulk import AuditRows

# The parts of a team around the child, besides its social workers.
PARTS = ("police", "school", "nurse", "charity", "youthjustice")


def acting(user: User) -> User:
    """Seeding runs outside a request: demo workers act as if signed in."""
    user.is_verified = lambda: True
    return user


@dataclass
class Staff:
    """The area's demo workers, each ready to act."""

    area: Area
    cse_lead: User
    supervisor: User
    ig: User
    admin: User
    social_workers: list[User]
    parts: dict[str, User]

    @property
    def practitioner(self) -> User:
        """The practitioner persona a newcomer signs in as first."""
        return self.social_workers[0]

    def by_prefix(self, prefix: str) -> User:
        if prefix.startswith("practitioner"):
            return self.social_workers[
                ["practitioner", "practitioner2", "practitioner3"].index(prefix)
            ]
        return self.parts[prefix]


def staff_for(area: Area) -> Staff | None:
    """None when the area is not one of the demo's, or its workers have gone."""
    if area.name not in demo.HOME_AGENCY:
        return None
    prefixes = ["cselead", "supervisor", "ig", "admin", "practitioner"]
    prefixes += [row[0] for row in demo.COLLEAGUE_NAMES[area.name]]
    names = {demo.username(prefix, area.name): prefix for prefix in prefixes}
    found = {
        names[user.username]: acting(user)
        for user in User.objects.filter(username__in=names, is_active=True).select_related(
            "agency", "team"
        )
    }
    if len(found) != len(names):
        return None
    return Staff(
        area=area,
        cse_lead=found["cselead"],
        supervisor=found["supervisor"],
        ig=found["ig"],
        admin=found["admin"],
        social_workers=[found["practitioner"], found["practitioner2"], found["practitioner3"]],
        parts={part: found[part] for part in PARTS},
    )


@dataclass
class Child:
    """One young person's story, for the features to carry on."""

    young_person: YoungPerson
    case: Case
    level: str
    themes: tuple[str, ...]
    lead: User
    members: dict[str, User]
    carer: str
    place: str = ""
    # Brought in by a referral decided this month: no assessment yet.
    new: bool = False
    closed: bool = False

    @property
    def name(self) -> str:
        return self.young_person.known_as or self.young_person.legal_first_name

    def fill(self, text: str, **extra: str) -> str:
        text = text.format(
            name=self.name,
            carer=self.carer,
            school=self.young_person.school or "school",
            area=self.case.area.name,
            place=self.place,
            **extra,
        )
        # "their mum" begins a sentence as "Their mum".
        capital = self.carer[0].upper() + self.carer[1:]
        text = text.replace(f". {self.carer}", f". {capital}")
        return capital + text[len(self.carer) :] if text.startswith(self.carer) else text

    def team(self) -> list[User]:
        return [self.lead, *self.members.values()]

    def writer(self, part: str) -> User:
        return self.lead if part == "lead" else self.members[part]


@dataclass
class Caseload:
    staff: Staff
    rng: random.Random
    now: datetime
    audit: AuditRows = field(default_factory=AuditRows)
    children: list[Child] = field(default_factory=list)
    closed: list[Child] = field(default_factory=list)
    persons: list[PersonOfConcern] = field(default_factory=list)
    places: list[Location] = field(default_factory=list)
    # Open cases with no contact for over four weeks (the no-contact rule).
    quiet: list[Child] = field(default_factory=list)
    # When each case last had contact with the young person or family.
    contact: dict[int, datetime] = field(default_factory=dict)
    # First names by gender and surnames not yet used in the area, and the
    # area's next test-range NHS numbers.
    first_names: dict[str, list[str]] = field(default_factory=dict)
    surnames: list[str] = field(default_factory=list)
    nhs_numbers: Iterator[str] = field(default_factory=lambda: iter(()))

    @property
    def area(self) -> Area:
        return self.staff.area

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def at(self, days_ago: int, hour: int, minute: int = 0, *, weekday: bool = False) -> datetime:
        """A moment `days_ago` days back, at a time of day (never after now).
        `weekday`: office work moves off the weekend, to the Friday before."""
        day = self.today - timedelta(days=days_ago)
        while weekday and day.weekday() >= 5:
            day -= timedelta(days=1)
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return min(moment, self.now - timedelta(minutes=10))

    def office(self, days_ago: int) -> datetime:
        """A working-day moment, for visits, calls and meetings."""
        return self.at(
            days_ago, self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45)), weekday=True
        )

    def contacted(self, case: Case, moment: datetime) -> None:
        if case.pk not in self.contact or self.contact[case.pk] < moment:
            self.contact[case.pk] = moment
