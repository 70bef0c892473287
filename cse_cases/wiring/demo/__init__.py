"""The synthetic partnership that `manage.py seed_demo` builds.

Fictional places in all four UK nations (each nation has its own bank
holidays), every kind of agency, teams, a persona for every role in every
area, and the colleagues from other agencies who work on each area's cases
(cse_cases/wiring/demo/caseload.py gives them their work). Nothing here describes a
real person or place.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_cases.models import AgencyKind, Nation, Role

# One shared TOTP secret for every demo account, so a newcomer adds one entry
# to an authenticator app (or runs `make totp`). Hex, as django-otp stores it.
DEMO_TOTP_KEY_HEX = "4861726264757220646d6f207365637265742121"
DEMO_PASSWORD = "harbour-demo-only"  # noqa: S105 - published on purpose; works only with DEBUG on

AREAS = [
    # (name, ONS-style code, nation): codes use the real prefixes, fictional numbers.
    ("Kingsmere", "E06900001", Nation.ENGLAND),
    ("Afon Valley", "W06900002", Nation.WALES),
    ("Glenmuir", "S12900003", Nation.SCOTLAND),
    ("Loughside", "N09900004", Nation.NORTHERN_IRELAND),
]

# (name, kind, areas it serves). Some agencies serve several areas, as police
# forces, health boards and charities do.
AGENCIES = [
    ("Kingsmere Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE, ["Kingsmere"]),
    ("Afon Valley Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE, ["Afon Valley"]),
    ("Glenmuir Children and Families", AgencyKind.CHILDRENS_SOCIAL_CARE, ["Glenmuir"]),
    ("Loughside Health and Social Care Trust", AgencyKind.CHILDRENS_SOCIAL_CARE, ["Loughside"]),
    ("Kingsmere Constabulary", AgencyKind.POLICE, ["Kingsmere"]),
    ("Dyfed Marches Police", AgencyKind.POLICE, ["Afon Valley"]),
    ("Police Scotland North Division", AgencyKind.POLICE, ["Glenmuir"]),
    ("Loughside Police District", AgencyKind.POLICE, ["Loughside"]),
    ("Kingsmere and Afon Health Board", AgencyKind.HEALTH, ["Kingsmere", "Afon Valley"]),
    ("Glenmuir and Loughside Health", AgencyKind.HEALTH, ["Glenmuir", "Loughside"]),
    ("Kingsmere Academy", AgencyKind.EDUCATION, ["Kingsmere"]),
    ("Ysgol Afon", AgencyKind.EDUCATION, ["Afon Valley"]),
    ("Glenmuir High School", AgencyKind.EDUCATION, ["Glenmuir"]),
    ("Loughside College", AgencyKind.EDUCATION, ["Loughside"]),
    ("Four Nations Youth Justice Service", AgencyKind.YOUTH_JUSTICE, [a[0] for a in AREAS]),
    ("Safe Harbour Young People's Charity", AgencyKind.VOLUNTARY, [a[0] for a in AREAS]),
    ("Kingsmere Housing Options", AgencyKind.HOUSING, ["Kingsmere"]),
    ("Regional Missing Persons Unit", AgencyKind.OTHER, [a[0] for a in AREAS]),
]

# The agency each area's personas work for, by role.
HOME_AGENCY = {
    "Kingsmere": "Kingsmere Children's Services",
    "Afon Valley": "Afon Valley Children's Services",
    "Glenmuir": "Glenmuir Children and Families",
    "Loughside": "Loughside Health and Social Care Trust",
}


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: Role
    agency: str | None
    area: str
    job_title: str
    team: str | None = None


def _slug(area: str) -> str:
    return area.lower().replace(" ", "")


def personas() -> list[Persona]:
    people: list[Persona] = []
    names = {
        "Kingsmere": ("Amira", "Bennett"),
        "Afon Valley": ("Rhys", "Evans"),
        "Glenmuir": ("Morag", "Campbell"),
        "Loughside": ("Ciaran", "Doyle"),
    }
    for area, (first, last) in names.items():
        slug = _slug(area)
        agency = HOME_AGENCY[area]
        team = f"{area} Exploitation Team"
        people += [
            Persona(
                f"practitioner.{slug}",
                first,
                last,
                Role.PRACTITIONER,
                agency,
                area,
                "Social worker",
                team,
            ),
            Persona(
                f"supervisor.{slug}",
                "Sam",
                f"{last}-Hughes",
                Role.SUPERVISOR,
                agency,
                area,
                "Team manager",
                team,
            ),
            Persona(
                f"cselead.{slug}", "Jo", f"Marsh-{last}", Role.CSE_LEAD, agency, area, "CSE lead"
            ),
            Persona(
                f"commissioner.{slug}",
                "Priya",
                f"{last}son",
                Role.COMMISSIONER,
                agency,
                area,
                "Commissioning manager",
            ),
            Persona(
                f"ig.{slug}",
                "Dev",
                f"{last}ley",
                Role.INFORMATION_GOVERNANCE,
                agency,
                area,
                "Information governance officer",
            ),
            Persona(
                f"admin.{slug}",
                "Alex",
                f"{last}ford",
                Role.ADMINISTRATOR,
                None,
                area,
                "Harbour administrator",
            ),
        ]
    return people


# The agencies whose workers sit in each area's teams around the child.
POLICE = {
    "Kingsmere": "Kingsmere Constabulary",
    "Afon Valley": "Dyfed Marches Police",
    "Glenmuir": "Police Scotland North Division",
    "Loughside": "Loughside Police District",
}
SCHOOL = {
    "Kingsmere": "Kingsmere Academy",
    "Afon Valley": "Ysgol Afon",
    "Glenmuir": "Glenmuir High School",
    "Loughside": "Loughside College",
}
HEALTH = {
    "Kingsmere": "Kingsmere and Afon Health Board",
    "Afon Valley": "Kingsmere and Afon Health Board",
    "Glenmuir": "Glenmuir and Loughside Health",
    "Loughside": "Glenmuir and Loughside Health",
}
CHARITY = "Safe Harbour Young People's Charity"
YOUTH_JUSTICE = "Four Nations Youth Justice Service"

# Each area's colleagues: (username prefix, first name, last name, job title).
# The prefix says what they do on a case (caseload.Staff reads them by it).
COLLEAGUE_NAMES = {
    "Kingsmere": [
        ("practitioner2", "Farah", "Siddiqui", "Social worker"),
        ("practitioner3", "Daniel", "Osei", "Senior social worker"),
        ("police", "Tom", "Okafor", "Detective constable"),
        ("school", "Hannah", "Price", "Designated safeguarding lead"),
        ("nurse", "Grace", "Adeyemi", "School nurse"),
        ("charity", "Leon", "Walsh", "Young people's worker"),
        ("youthjustice", "Marcus", "Reid", "Youth justice worker"),
    ],
    "Afon Valley": [
        ("practitioner2", "Sioned", "Parry", "Social worker"),
        ("practitioner3", "Ifan", "Morgan", "Senior social worker"),
        ("police", "Carys", "Pritchard", "Detective constable"),
        ("school", "Owain", "Jenkins", "Designated safeguarding person"),
        ("nurse", "Bethan", "Rowlands", "School nurse"),
        ("charity", "Nia", "Howells", "Young people's worker"),
        ("youthjustice", "Gareth", "Llewellyn", "Youth justice worker"),
    ],
    "Glenmuir": [
        ("practitioner2", "Eilidh", "MacDonald", "Social worker"),
        ("practitioner3", "Graeme", "Stewart", "Senior social worker"),
        ("police", "Fraser", "McLeod", "Detective constable"),
        ("school", "Kirsty", "Robertson", "Child protection coordinator"),
        ("nurse", "Ailsa", "Fraser", "School nurse"),
        ("charity", "Jamie", "Kerr", "Young people's worker"),
        ("youthjustice", "Hamish", "Duncan", "Youth justice worker"),
    ],
    "Loughside": [
        ("practitioner2", "Aoife", "Brennan", "Social worker"),
        ("practitioner3", "Conor", "Maguire", "Senior social worker"),
        ("police", "Siobhan", "Quinn", "Detective constable"),
        ("school", "Declan", "McCann", "Designated teacher for child protection"),
        ("nurse", "Roisin", "Kelly", "School nurse"),
        ("charity", "Padraig", "Byrne", "Young people's worker"),
        ("youthjustice", "Niall", "Gallagher", "Youth justice worker"),
    ],
}


def _colleague_agency(area: str, prefix: str) -> str:
    if prefix.startswith("practitioner"):
        return HOME_AGENCY[area]
    return {
        "police": POLICE[area],
        "school": SCHOOL[area],
        "nurse": HEALTH[area],
        "charity": CHARITY,
        "youthjustice": YOUTH_JUSTICE,
    }[prefix]


def colleagues() -> list[Persona]:
    """The other workers on each area's cases: two more social workers in the
    area's team, and a police officer, school, health, voluntary-sector and
    youth justice worker. Demo accounts like the personas (same password and
    code), listed more briefly when seeding."""
    people = []
    for area, rows in COLLEAGUE_NAMES.items():
        for prefix, first, last, job_title in rows:
            people.append(
                Persona(
                    f"{prefix}.{_slug(area)}",
                    first,
                    last,
                    Role.PRACTITIONER,
                    _colleague_agency(area, prefix),
                    area,
                    job_title,
                    f"{area} Exploitation Team" if prefix.startswith("practitioner") else None,
                )
            )
    return people


def everyone() -> list[Persona]:
    return personas() + colleagues()


def username(prefix: str, area: str) -> str:
    """The demo account that does this job in this area (e.g. "police", "Glenmuir")."""
    return f"{prefix}.{_slug(area)}"
