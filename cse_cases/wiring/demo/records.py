"""Synthetic young people at scale, for the demo and the benchmarks.

Set-based: rows are built in memory and written with bulk_create in batches,
so 100,000 young people with cases, teams and chronologies take minutes, not
hours. Every name is made up from short lists; nothing describes a real child.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone

from cse_cases.identifiers import UPN_CHECK_LETTERS
from cse_cases.models import (
    CONTACT_NOTE_TYPES,
    Alias,
    Area,
    Case,
    CaseMember,
    CaseNote,
    Ethnicity,
    ExploitationModel,
    Gender,
    LeadProfessionalSpell,
    NoteType,
    RiskLevel,
    User,
    YoungPerson,
)

FIRST_NAMES = [
    "Aaliyah",
    "Aisha",
    "Amber",
    "Ava",
    "Bethany",
    "Caitlin",
    "Chloe",
    "Courtney",
    "Demi",
    "Ellie",
    "Emily",
    "Erin",
    "Evie",
    "Freya",
    "Grace",
    "Hannah",
    "Holly",
    "Isla",
    "Jade",
    "Jasmine",
    "Kayla",
    "Keira",
    "Lacey",
    "Leah",
    "Lily",
    "Megan",
    "Mia",
    "Millie",
    "Molly",
    "Nadia",
    "Paige",
    "Poppy",
    "Rhiannon",
    "Ruby",
    "Sadia",
    "Shannon",
    "Sophie",
    "Summer",
    "Tia",
    "Zara",
    "Aaron",
    "Callum",
    "Connor",
    "Dylan",
    "Ethan",
    "Harvey",
    "Jayden",
    "Kai",
    "Kyle",
    "Liam",
    "Mason",
    "Nathan",
    "Owen",
    "Reece",
    "Ryan",
    "Tyler",
]
LAST_NAMES = [
    "Ahmed",
    "Ali",
    "Bailey",
    "Begum",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Davies",
    "Doyle",
    "Edwards",
    "Evans",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jones",
    "Kaur",
    "Khan",
    "Lewis",
    "Lloyd",
    "Morgan",
    "Murphy",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
NICKNAMES = [
    "JJ",
    "Kiki",
    "Lil",
    "Bee",
    "Moz",
    "Tee",
    "Dee",
    "Jay",
    "Rocky",
    "Shorty",
    "Princess",
    "Babe",
]
NOTE_TEXTS = [
    "Visited at home. Talked about school and friendships; agreed to meet again next week.",
    "Phone call with carer about late returns over the weekend.",
    "Multi-agency call with police and school nurse to share concerns about an older male.",
    "Management decision: continue under CSE procedures, review in four weeks.",
    "Met at school. Discussed online safety and who has been contacting them.",
]
WORDS = [
    "I just want people to stop going on at me.",
    "He buys me stuff, he says I owe him.",
    "School is alright when my friends are there.",
    "",
]
BATCH = 5_000


def nhs_numbers(start: int) -> Iterator[str]:
    """Valid, unique NHS numbers from a counter (the 999 range is for testing)."""
    n = start
    while True:
        body = f"999{n:06d}"
        n += 1
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            yield body + str(check)


def upn(rng: random.Random) -> str:
    body = f"{rng.randrange(10**12):012d}"
    total = sum(int(c) * w for w, c in zip(range(2, 14), body, strict=True))
    return UPN_CHECK_LETTERS[total % 23] + body


def _batched(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(count: int, *, seed: int = 2026) -> int:
    """Add `count` synthetic young people across the demo areas; returns how many."""
    rng = random.Random(seed + YoungPerson.objects.count())  # noqa: S311 - synthetic data
    areas = list(Area.objects.all())
    workers = {
        area.pk: list(
            User.objects.filter(areas=area, role__in=["practitioner", "supervisor", "cse_lead"])
        )
        for area in areas
    }
    areas = [area for area in areas if workers[area.pk]]
    if not areas:
        raise RuntimeError("Run seed_demo first: there are no practitioners to hold the cases.")
    today = timezone.localdate()
    # Carry on after the highest synthetic number already used.
    highest = YoungPerson.objects.filter(nhs_number__startswith="999").aggregate(
        highest=Max("nhs_number")
    )["highest"]
    numbers = nhs_numbers(int(highest[3:9]) + 1 if highest else 0)
    made = 0
    for chunk in _batched(list(range(count))):
        with transaction.atomic():
            people = []
            for _ in chunk:
                area = rng.choice(areas)
                people.append(
                    YoungPerson(
                        legal_first_name=rng.choice(FIRST_NAMES),
                        legal_last_name=rng.choice(LAST_NAMES),
                        known_as=rng.choice(NICKNAMES) if rng.random() < 0.2 else "",
                        date_of_birth=today - timedelta(days=rng.randint(10 * 365, 17 * 365 + 300)),
                        gender=rng.choice([Gender.FEMALE] * 3 + [Gender.MALE, Gender.NON_BINARY]),
                        ethnicity=rng.choice(Ethnicity.values),
                        area=area,
                        nhs_number=next(numbers) if rng.random() < 0.7 else "",
                        school_upn=upn(rng) if rng.random() < 0.5 else "",
                        school=f"{area.name} Academy",
                        created_by=rng.choice(workers[area.pk]),
                    )
                )
            YoungPerson.objects.bulk_create(people, batch_size=BATCH)
            Alias.objects.bulk_create(
                [
                    Alias(young_person=p, name=rng.choice(NICKNAMES) + " " + p.legal_last_name[0])
                    for p in people
                    if rng.random() < 0.2
                ],
                ignore_conflicts=True,
            )
            _cases_for([p for p in people if rng.random() < 0.8], rng, workers, today)
            made += len(people)
    return made


def _cases_for(people: list[YoungPerson], rng: random.Random, workers: dict, today: date) -> None:
    cases = []
    for person in people:
        lead = rng.choice(workers[person.area_id])
        cases.append(
            Case(
                young_person=person,
                area_id=person.area_id,
                lead_agency_id=lead.agency_id,
                lead_professional=lead,
                risk_level=rng.choice(RiskLevel.values),
                exploitation_models=rng.sample(ExploitationModel.values, k=rng.randint(1, 2)),
                opened_on=today - timedelta(days=rng.randint(1, 400)),
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    LeadProfessionalSpell.objects.bulk_create(
        [LeadProfessionalSpell(case=c, user=c.lead_professional) for c in cases], batch_size=BATCH
    )
    members, notes = [], []
    for case in cases:
        colleagues = [w for w in workers[case.area_id] if w.pk != case.lead_professional_id]
        for colleague in rng.sample(colleagues, k=min(len(colleagues), rng.randint(0, 2))):
            members.append(
                CaseMember(
                    case=case,
                    user=colleague,
                    role="Team around the child",
                    added_by_id=case.lead_professional_id,
                )
            )
        for _ in range(rng.randint(1, 4)):
            notes.append(
                CaseNote(
                    young_person_id=case.young_person_id,
                    case=case,
                    note_type=rng.choice(NoteType.values),
                    occurred_at=timezone.now() - timedelta(days=rng.randint(0, 300)),
                    text=rng.choice(NOTE_TEXTS),
                    young_persons_words=rng.choice(WORDS),
                    author_id=case.lead_professional_id,
                    author_agency_id=case.lead_agency_id,
                )
            )
    CaseMember.objects.bulk_create(members, batch_size=BATCH)
    CaseNote.objects.bulk_create(notes, batch_size=BATCH)
    # bulk_create skips the note service, which keeps each case's last contact.
    last_contact = (
        CaseNote.objects.filter(case=OuterRef("pk"), note_type__in=CONTACT_NOTE_TYPES)
        .order_by()
        .values("case")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    Case.objects.filter(Exists(last_contact)).update(last_contact_at=Subquery(last_contact))
