"""What the demo area's information governance officer, CSE lead and
administrator find waiting: emergency access to review, a possible duplicate
record to check, and a new account to approve. Through the services."""

from __future__ import annotations

from datetime import timedelta

from cse_cases import services
from cse_cases.models import BreakGlassGrant, NoteType, PossibleDuplicate
from cse_cases.services.records import BREAK_GLASS_HOURS
from cse_cases.wiring import demo
from cse_cases.wiring.demo import people
from cse_cases.wiring.demo.story import Caseload

BREAK_GLASS_REASONS = [
    "Reported missing overnight and not known to me: I needed the record to judge the risk "
    "and where to look.",
    "Found in a car with an adult at 2am; needed to know who to call and whether there is a plan.",
]


def emergency_access(caseload: Caseload) -> None:
    """The area's police officer opened two records they are not on, at night;
    information governance has reviewed the older use and not yet the newer."""
    rng, staff = caseload.rng, caseload.staff
    police = staff.parts["police"]
    strangers = [c for c in caseload.children if police not in c.team()]
    for child, days, reason in zip(
        rng.sample(strangers, 2), (9, 2), BREAK_GLASS_REASONS, strict=True
    ):
        grant = services.break_glass_open(user=police, case=child.case, reason=reason)
        granted = caseload.at(days, 1, 40)
        BreakGlassGrant.objects.filter(pk=grant.pk).update(
            granted_at=granted, expires_at=granted + timedelta(hours=BREAK_GLASS_HOURS)
        )
        if days > 5:
            grant.refresh_from_db()
            services.break_glass_review(
                by=staff.ig,
                grant=grant,
                outcome="appropriate",
                note="Checked with the officer and the lead professional: the record was opened "
                "during a missing-person search at night, and only what the search needed was "
                "read. Appropriate.",
            )


def possible_duplicate(caseload: Caseload) -> None:
    """A police officer, at night, made a record for a child they could not see,
    under a spelling of the name the child gave: the CSE lead has a possible
    duplicate to check."""
    police = caseload.staff.parts["police"]
    original = next(c for c in caseload.children if police not in c.team())
    young_person = original.young_person
    duplicate = services.young_person_create(
        by=police,
        data={
            "legal_first_name": young_person.legal_first_name,
            # The spelling the child gave: Fernbrook as Fernbrooke.
            "legal_last_name": young_person.legal_last_name.removesuffix("e")
            if young_person.legal_last_name.endswith("e")
            else young_person.legal_last_name + "e",
            "date_of_birth": young_person.date_of_birth,
            "gender": young_person.gender,
            "area": caseload.area,
        },
        possible_duplicate_ids=[young_person.pk],
    )
    case = services.case_open(
        by=police,
        young_person=duplicate,
        lead_professional=police,
        opened_on=caseload.today - timedelta(days=3),
    )
    people.backdate_opening(case, caseload.at(3, 23, 30))
    PossibleDuplicate.objects.filter(young_person=duplicate).update(
        raised_at=caseload.at(3, 23, 40)
    )
    services.case_note_add(
        by=police,
        case=case,
        note_type=NoteType.CONTACT_YOUNG_PERSON,
        text="Found at the bus station late at night and taken home. Gave this name and date "
        "of birth; no record came up under that spelling, so this one was made.",
        occurred_at=caseload.at(3, 23, 30),
    )


def new_starter(caseload: Caseload) -> None:
    """A social worker joining the team next week: the administrator has made
    the account, which waits for a second person to switch it on."""
    area, staff = caseload.area, caseload.staff
    first, last = {
        "Kingsmere": ("Ruth", "Abara"),
        "Afon Valley": ("Elin", "Vaughan"),
        "Glenmuir": ("Callum", "Baird"),
        "Loughside": ("Ciara", "Devlin"),
    }[area.name]
    username = demo.username("newstarter", area.name)
    services.account_create(
        by=staff.admin,
        data={
            "username": username,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "job_title": "Social worker",
            "role": "practitioner",
            "agency": staff.practitioner.agency,
            "team": staff.practitioner.team,
            "areas": [area],
        },
        reason="Joins the exploitation team next week.",
    )
