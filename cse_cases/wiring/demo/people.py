"""The demo area's young people, their cases and teams around the child, and
the case notes: the caseload's volume, written in bulk with their audit rows
(cse_cases/wiring/demo/bulk.py). `young_person_data`, `join_team` and `note` are
for features that add a few more children through the services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from cse_cases import services
from cse_cases.models import (
    CONTACT_NOTE_TYPES,
    AuditAction,
    Case,
    CaseMember,
    CaseNote,
    Ethnicity,
    Gender,
    LeadProfessionalSpell,
    LegalStatus,
    LookedAfterBasis,
    NoteType,
    NoteVisibility,
    PlacementType,
    RiskLevelChange,
    YoungPerson,
)
from cse_cases.wiring import demo
from cse_cases.wiring.demo import records as demo_records
from cse_cases.wiring.demo import words
from cse_cases.wiring.demo.story import Caseload, Child

# An area's open cases (before this month's referrals), by how worried the
# team is about each: the levels of a real caseload.
LEVELS = ["low"] * 8 + ["medium"] * 13 + ["high"] * 9
# Who leads them: mostly the exploitation team's social workers, some the
# agency that knows the child best.
LEADS = (
    ["practitioner"] * 9
    + ["practitioner2"] * 8
    + ["practitioner3"] * 7
    + ["police", "police", "youthjustice", "youthjustice", "school", "charity"]
)
# Two young people, their work done, whose cases closed in the last months.
CLOSED = [("low", "practitioner2"), ("low", "practitioner3")]
# Two young people near 18: one will have a transition plan, one is still
# waiting for it (the drift engine's turning-18 rule).
TURNING_18 = (3, 17)
# What each part of the team is called on the case.
ROLES = {
    "police": "Police safeguarding officer",
    "school": "Designated safeguarding lead",
    "nurse": "School nurse",
    "charity": "Return home interviews and one-to-one support",
    "youthjustice": "Youth justice worker",
}
INITIAL_RISK = (
    "Level agreed at allocation, from the referral and the first visits, before the full "
    "assessment."
)
ETHNICITIES = [Ethnicity.WHITE_BRITISH] * 10 + [
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN,
    Ethnicity.BLACK_AFRICAN,
    Ethnicity.ASIAN_PAKISTANI,
    Ethnicity.ASIAN_BANGLADESHI,
    Ethnicity.WHITE_OTHER,
    Ethnicity.WHITE_IRISH,
    Ethnicity.WHITE_GYPSY_TRAVELLER,
    Ethnicity.MIXED_OTHER,
    Ethnicity.NOT_KNOWN,
]
PLACEMENTS = {
    "home": PlacementType.HOME,
    "foster": PlacementType.FOSTER,
    "residential": PlacementType.RESIDENTIAL,
    "supported": PlacementType.SUPPORTED,
}


# --- Names and records ---------------------------------------------------------------


def _first_names(caseload: Caseload, gender: str) -> None:
    local = list(words.FIRST_NAMES.get(caseload.area.nation, {}).get(gender, []))
    anywhere = list(words.FIRST_NAMES["anywhere"].get(gender, []))
    caseload.rng.shuffle(local)
    caseload.rng.shuffle(anywhere)
    caseload.first_names[gender] = local + anywhere


def _names(caseload: Caseload) -> None:
    """First names for this nation (then some heard everywhere) and surnames,
    never twice in an area; NHS numbers from the test range, by area."""
    for gender in ("F", "M", "N"):
        _first_names(caseload, gender)
    caseload.surnames = list(words.SURNAMES)
    caseload.rng.shuffle(caseload.surnames)
    area_index = [name for name, _, _ in demo.AREAS].index(caseload.area.name)
    caseload.nhs_numbers = demo_records.nhs_numbers(area_index * 1000)


def age(rng: random.Random, *, turning_18: bool = False) -> relativedelta:
    if turning_18:
        return relativedelta(years=17, months=rng.randint(7, 10), days=rng.randint(0, 25))
    years = rng.choice([12, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17])
    # Under 17 and a half, so only the two above are near 18.
    days = rng.randint(0, 150 if years == 17 else 360)
    return relativedelta(years=years, days=days)


def young_person_data(caseload: Caseload, *, age: relativedelta, gender: str) -> tuple[dict, str]:
    """A new fictional young person's record (the fields young_person_create
    takes), and who they live with, as the workers write it."""
    rng, today, area = caseload.rng, caseload.today, caseload.area
    if not caseload.first_names[gender]:
        # More children than names: first names come round again; surnames never do.
        _first_names(caseload, gender)
    first = caseload.first_names[gender].pop(0)
    last = caseload.surnames.pop(0)
    placement = rng.choice(["home"] * 12 + ["foster"] * 5 + ["residential"] * 2 + ["supported"])
    if placement == "supported" and age.years < 16:
        placement = "foster"
    looked_after = placement != "home"
    status = rng.choice([LegalStatus.NONE, LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION])
    data = {
        "legal_first_name": first,
        "legal_last_name": last,
        "known_as": words.SHORT_NAMES.get(first, "") if rng.random() < 0.7 else "",
        "date_of_birth": today - age,
        "gender": {"F": Gender.FEMALE, "M": Gender.MALE, "N": Gender.NON_BINARY}[gender],
        "ethnicity": rng.choice(ETHNICITIES),
        "first_language": "Welsh" if area.nation == "WLS" and rng.random() < 0.3 else "English",
        "legal_status": LegalStatus.LOOKED_AFTER if looked_after else status,
        "looked_after_basis": rng.choice([LookedAfterBasis.VOLUNTARY, LookedAfterBasis.CARE_ORDER])
        if looked_after
        else "",
        "placement_type": PLACEMENTS[placement],
        "placement_start": today - timedelta(days=rng.randint(40, 600)) if looked_after else None,
        "placement_moves": rng.randint(1, 4) if looked_after else 0,
        "school": demo.SCHOOL[area.name],
        "attendance_concern": rng.random() < 0.4,
        "disability_or_send": rng.choice(
            ["", "", "", "", "Dyslexia, with extra time in class", "ADHD, with support at school"]
        ),
        "address": f"{rng.randint(2, 88)} {rng.choice(words.STREETS)}, {area.name}",
        "area": area,
        "nhs_number": next(caseload.nhs_numbers) if rng.random() < 0.85 else "",
        "school_upn": demo_records.upn(rng) if rng.random() < 0.6 else "",
    }
    return data, rng.choice(words.CARERS[placement])


def _themes(rng: random.Random, level: str, lead: str) -> tuple[str, ...]:
    others = ["older_adult", "online", "county_lines", "peer", "substances", "school"]
    chosen: list[str] = []
    if lead == "police":
        chosen.append("online")
    if lead == "youthjustice":
        chosen.append("county_lines")
    if level == "high" or (level == "medium" and rng.random() < 0.5) or lead == "charity":
        chosen.append("missing")
    wanted = {"low": 1, "medium": 2, "high": 3}[level]
    rng.shuffle(others)
    for theme in others:
        if len(chosen) >= wanted:
            break
        if theme not in chosen:
            chosen.append(theme)
    return tuple(chosen)


def team_parts(rng: random.Random, themes: tuple[str, ...], lead_prefix: str) -> list[str]:
    """Who joins the team around the child, from what is known about them."""
    parts = ["school"] if rng.random() < 0.8 else []
    if "missing" in themes:
        parts += ["charity", "police"]
    if "online" in themes or "older_adult" in themes:
        parts.append("police")
    if "county_lines" in themes:
        parts += ["youthjustice", "police"]
    if rng.random() < 0.5:
        parts.append("nurse")
    if not parts or rng.random() < 0.3:
        parts.append("charity")
    return [p for p in dict.fromkeys(parts) if p != lead_prefix][:4]


# --- Young people, cases and teams (bulk) ----------------------------------------------


def young_people(caseload: Caseload) -> None:
    """The area's open and closed cases, each with its first risk level and
    its team around the child."""
    rng, staff, today, audit = caseload.rng, caseload.staff, caseload.today, caseload.audit
    _names(caseload)
    levels, leads = list(LEVELS), list(LEADS)
    rng.shuffle(levels)
    rng.shuffle(leads)
    stories = [(level, lead, False) for level, lead in zip(levels, leads, strict=True)]
    stories += [(level, lead, True) for level, lead in CLOSED]
    children, opened_at, parts = [], {}, {}
    for n, (level, lead_prefix, closed) in enumerate(stories):
        themes = _themes(rng, level, lead_prefix)
        gender = rng.choices("FMN", weights=(62, 32, 6))[0]
        if "county_lines" in themes and rng.random() < 0.6:
            gender = "M"
        data, carer = young_person_data(
            caseload, age=age(rng, turning_18=n in TURNING_18), gender=gender
        )
        lead = staff.by_prefix(lead_prefix)
        span = (
            (300, 420) if closed else {"low": (90, 400), "medium": (40, 300)}.get(level, (25, 200))
        )
        opened_on = today - timedelta(days=rng.randint(*span))
        when = caseload.at((today - opened_on).days, 10, weekday=True)
        # The level agreed when the case opened, before the assessment: medium
        # for those at high risk now (the assessment or a meeting raised it),
        # and for some whose risk has come down since.
        first = "medium" if level == "high" or (level == "low" and rng.random() < 0.5) else level
        young_person = YoungPerson(created_by=lead, created_at=when, **data)
        case = Case(
            young_person=young_person,
            area=caseload.area,
            lead_agency=lead.agency,
            lead_professional=lead,
            risk_level=first,
            exploitation_models=sorted({words.THEMES[t]["model"] for t in themes}),
            opened_on=opened_on,
            created_at=when,
        )
        child = Child(young_person, case, level, themes, lead, {}, carer, closed=closed)
        children.append(child)
        opened_at[n] = when
        parts[n] = team_parts(rng, themes, lead_prefix)
    YoungPerson.objects.bulk_create([c.young_person for c in children])
    for child in children:
        child.case.young_person = child.young_person
    Case.objects.bulk_create([c.case for c in children])
    LeadProfessionalSpell.objects.bulk_create(
        LeadProfessionalSpell(case=c.case, user=c.lead, started_at=opened_at[n])
        for n, c in enumerate(children)
    )
    RiskLevelChange.objects.bulk_create(
        RiskLevelChange(
            case=c.case,
            level=c.case.risk_level,
            rationale=INITIAL_RISK,
            decided_by=c.lead,
            decided_at=opened_at[n],
        )
        for n, c in enumerate(children)
    )
    members = []
    for n, child in enumerate(children):
        yp = child.young_person.pk
        audit.created(child.lead, child.young_person, yp)
        audit.created(child.lead, child.case, yp)
        audit.add(
            user=child.lead,
            action=AuditAction.CHANGE,
            obj=child.case,
            young_person_id=yp,
            fields_changed={"risk_level": ["not_assessed", child.case.risk_level]},
            reason=INITIAL_RISK,
        )
        for part in parts[n]:
            member = staff.parts[part]
            child.members[part] = member
            added = opened_at[n] + timedelta(days=rng.randint(0, 10))
            members.append(
                CaseMember(
                    case=child.case,
                    user=member,
                    role=ROLES[part],
                    added_by=child.lead,
                    added_at=added,
                )
            )
            audit.add(
                user=child.lead,
                action=AuditAction.CHANGE,
                obj=child.case,
                young_person_id=yp,
                fields_changed={"team": ["", f"added {member.get_username()} as {ROLES[part]}"]},
            )
        (caseload.closed if child.closed else caseload.children).append(child)
    CaseMember.objects.bulk_create(members)
    caseload.quiet = _without_recent_contact(caseload)


def _without_recent_contact(caseload: Caseload) -> list[Child]:
    """Three open cases with no contact for over four weeks, one of them the
    practitioner persona's (so their "my work" shows the flag). Not children
    who go missing: a return interview held is contact too."""
    old = [
        c
        for c in caseload.children
        if (caseload.today - c.case.opened_on).days > 60 and "missing" not in c.themes
    ]
    persona = [c for c in old if c.lead == caseload.staff.practitioner]
    others = [c for c in old if c.lead != caseload.staff.practitioner]
    return persona[:1] + others[:2]


def close(caseload: Caseload) -> None:
    for child in caseload.closed:
        category, reason = caseload.rng.choice(words.CLOSING)
        services.case_close(
            by=child.lead,
            case=child.case,
            reason=child.fill(reason),
            category=category,
            closed_on=caseload.today - timedelta(days=caseload.rng.randint(30, 90)),
        )


# --- Notes (bulk) ------------------------------------------------------------------


def _between(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(min(low, high), max(low, high))


def _plan_notes(caseload: Caseload, child: Child) -> list[tuple[int, str, str]]:
    """(days ago, note type, who writes it) for the case's life so far: contact
    with the young person and their family, the agencies' updates, the CSE
    lead's decisions. Most cases had contact in the last three weeks."""
    rng = caseload.rng
    opened = (caseload.today - child.case.opened_on).days
    if child.closed:
        # Closed cases' notes end before they closed (at least 30 days ago).
        last_contact = rng.randint(95, max(96, opened - 1))
    elif child in caseload.quiet:
        last_contact = rng.randint(31, min(45, opened - 1))
    else:
        last_contact = rng.randint(1, min(20, max(1, opened - 1)))
    count = 4 + min(5, opened // 40) + (2 if child.level == "high" else 0)
    days = sorted(
        {rng.randint(last_contact + 1, max(last_contact + 2, opened)) for _ in range(count - 1)},
        reverse=True,
    )
    notes: list[tuple[int, str, str]] = [(days[0], NoteType.CONTACT_YOUNG_PERSON, "lead")]
    for day in days[1:]:
        kind = rng.choice(
            [
                NoteType.CONTACT_YOUNG_PERSON,
                NoteType.CONTACT_FAMILY,
                NoteType.MULTI_AGENCY,
                NoteType.MULTI_AGENCY,
            ]
        )
        part = "lead"
        if kind == NoteType.MULTI_AGENCY and child.members:
            part = rng.choice(list(child.members))
        notes.append((day, kind, part))
    if child.members and not any(kind == NoteType.MULTI_AGENCY for _, kind, _ in notes):
        # Every agency in the team has its say somewhere in the record.
        notes.append(
            (_between(rng, last_contact, opened), NoteType.MULTI_AGENCY, next(iter(child.members)))
        )
    if opened > 60 and child.level != "low":
        notes.append((_between(rng, last_contact, opened - 1), NoteType.MANAGEMENT_DECISION, "cse"))
    if opened > 120:
        notes.append(
            (
                _between(rng, last_contact, (opened + last_contact) // 2),
                NoteType.CASE_REVIEW,
                "lead",
            )
        )
    notes.append((last_contact, NoteType.CONTACT_YOUNG_PERSON, "lead"))
    # Agencies keep talking about a child nobody has seen for a while.
    if child in caseload.quiet and child.members:
        notes.append((rng.randint(3, 12), NoteType.MULTI_AGENCY, rng.choice(list(child.members))))
    return sorted(notes, reverse=True)


def _text(caseload: Caseload, child: Child, days_ago: int, kind: str, part: str) -> tuple[str, str]:
    rng = caseload.rng
    texts = {
        NoteType.CONTACT_YOUNG_PERSON: words.CONTACT_YOUNG_PERSON,
        NoteType.CONTACT_FAMILY: words.CONTACT_FAMILY,
        NoteType.MANAGEMENT_DECISION: words.MANAGEMENT_DECISION,
        NoteType.CASE_REVIEW: words.CASE_REVIEW,
    }.get(kind) or words.MULTI_AGENCY[part]
    text = child.fill(rng.choice(texts))
    if kind == NoteType.CONTACT_YOUNG_PERSON and days_ago > 30 and rng.random() < 0.5:
        text += " " + child.fill(words.THEMES[child.themes[0]]["seen"])
    spoken = ""
    if kind == NoteType.CONTACT_YOUNG_PERSON and rng.random() < 0.45:
        spoken = rng.choice(words.YOUNG_PERSONS_WORDS)
    return text, spoken


def notes(caseload: Caseload) -> None:
    """Every case's notes in one INSERT; each case's last contact kept as the
    note service keeps it (the drift engine's no-contact rule reads it)."""
    rng, staff = caseload.rng, caseload.staff
    written: list[tuple[CaseNote, Child]] = []
    for child in caseload.children + caseload.closed:
        for days_ago, kind, part in _plan_notes(caseload, child):
            by = staff.cse_lead if part == "cse" else child.writer(part)
            text, spoken = _text(caseload, child, days_ago, kind, part)
            visible = NoteVisibility.AGENCY if part == "police" and rng.random() < 0.3 else "team"
            occurred = caseload.office(days_ago)
            note = CaseNote(
                young_person=child.young_person,
                case=child.case,
                note_type=kind,
                visibility=visible,
                occurred_at=occurred,
                text=text,
                young_persons_words=spoken,
                author=by,
                author_agency_id=by.agency_id,
                recorded_at=occurred + timedelta(hours=rng.randint(0, 3)),
            )
            written.append((note, child))
            if kind in CONTACT_NOTE_TYPES:
                caseload.contacted(child.case, occurred)
    CaseNote.objects.bulk_create([note for note, _ in written])
    for note, child in written:
        caseload.audit.created(note.author, note, child.young_person.pk)
    cases = []
    for child in caseload.children + caseload.closed:
        if child.case.pk in caseload.contact:
            child.case.last_contact_at = caseload.contact[child.case.pk]
            cases.append(child.case)
    Case.objects.bulk_update(cases, ["last_contact_at"])


# --- Through the services, for features adding a few children ---------------------------


def backdate_opening(case: Case, opened_at: datetime) -> None:
    """A case opened by a service today, dated when it really opened."""
    Case.objects.filter(pk=case.pk).update(created_at=opened_at)
    YoungPerson.objects.filter(pk=case.young_person_id).update(created_at=opened_at)
    LeadProfessionalSpell.objects.filter(case=case).update(started_at=opened_at)


def join_team(caseload: Caseload, child: Child, parts: list[str], added_at: datetime) -> None:
    """The lead professional adds each part of the team around the child."""
    for part in parts:
        member = caseload.staff.parts[part]
        added = services.case_member_add(
            by=child.lead, case=child.case, user=member, role=ROLES[part]
        )
        CaseMember.objects.filter(pk=added.pk).update(added_at=added_at)
        child.members[part] = member


def note(caseload: Caseload, child: Child, days_ago: int, kind: str, part: str) -> None:
    """One note through the note service: `part` writes it ("lead", a member's
    part, or "cse" for the CSE lead)."""
    by = caseload.staff.cse_lead if part == "cse" else child.writer(part)
    text, spoken = _text(caseload, child, days_ago, kind, part)
    services.case_note_add(
        by=by,
        case=child.case,
        note_type=kind,
        text=text,
        occurred_at=caseload.office(days_ago),
        young_persons_words=spoken,
    )
