"""The synthetic partnership that `manage.py seed_demo` builds.

Fictional places in all four UK nations (each nation has its own bank
holidays), every kind of agency, teams, and a persona for every role in every
area. Nothing here describes a real person or place.
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
    # Practitioners from other agencies in Kingsmere, for multi-agency demos.
    people += [
        Persona(
            "police.kingsmere",
            "Tom",
            "Okafor",
            Role.PRACTITIONER,
            "Kingsmere Constabulary",
            "Kingsmere",
            "Detective constable",
        ),
        Persona(
            "school.kingsmere",
            "Hannah",
            "Price",
            Role.PRACTITIONER,
            "Kingsmere Academy",
            "Kingsmere",
            "Designated safeguarding lead",
        ),
        Persona(
            "nurse.kingsmere",
            "Grace",
            "Adeyemi",
            Role.PRACTITIONER,
            "Kingsmere and Afon Health Board",
            "Kingsmere",
            "School nurse",
        ),
        Persona(
            "charity.kingsmere",
            "Leon",
            "Walsh",
            Role.PRACTITIONER,
            "Safe Harbour Young People's Charity",
            "Kingsmere",
            "Young people's worker",
        ),
    ]
    return people
