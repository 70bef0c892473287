"""An area's demo referrals, at every stage of screening: waiting (one urgent,
one past its clock, one about a child nobody has named yet), in screening
with a worker, and decided this month (three that brought new children into
the caseload, a strategy discussion asked for, no further action with advice).

Written through the referral services, as the area's demo workers; see
cse_cases/wiring/demo/caseload.py for how the demo is seeded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from cse_cases.models import Case, NoteType, RiskLevelChange, User
from cse_cases.wiring.demo import people as demo_people
from cse_cases.wiring.demo.caseload import Caseload, Child
from cse_cases.working_days import add_working_days
from referrals import services
from referrals.models import MeetingRequest, Referral, ReferralTransition

# Waiting for a decision: who referred, and how many working days ago (the
# second is past its clock).
WAITING = [
    {
        "subject_description": "A girl of about 14 called 'Kay', seen twice at the bus station "
        "late at night with two adult men.",
        "concerns": "Seen getting into a car with adults after dark; school says she is tired "
        "and withdrawn.",
        "indicators": ["transported", "locations"],
        "urgency": "urgent",
        "referrer_risk": "high",
        "referrer": "police",
        "working_days_ago": 0,
    },
    {
        "subject_description": "A boy of 15, first name Tyler, at the youth club on Tuesdays.",
        "concerns": "Has a new phone and expensive trainers; says an older man gave them.",
        "indicators": ["gifts_money", "older_person"],
        "young_persons_words": "He looks after me, he's sound.",
        "urgency": "routine",
        "referrer_risk": "medium",
        "referrer": "charity",
        "working_days_ago": 3,
    },
    {
        "subject_description": "A girl of 13 reported missing twice this month from her "
        "foster placement.",
        "concerns": "Returns with alcohol on her breath and has not said where she was.",
        "indicators": ["missing", "substances"],
        "urgency": "routine",
        "referrer_risk": "",
        "referrer": "school",
        "working_days_ago": 0,
    },
]
# Referrals that brought new children into the caseload: (theme, who
# referred, what they saw, indicators, the screened risk).
NEW_CHILDREN = [
    (
        "school",
        "school",
        "Staff have seen {name} getting into a car with an adult man outside the school gates. "
        "{name} has missed afternoon lessons twice this week.",
        ["transported", "education", "older_person"],
        "medium",
    ),
    (
        "online",
        "nurse",
        "{name} showed a friend messages from an adult asking for images and offering money. "
        "The friend told the school nurse.",
        ["online", "gifts_money"],
        "medium",
    ),
    (
        "missing",
        "police",
        "{name} has been reported missing three times this month and was found at an address "
        "known to police.",
        ["missing", "locations"],
        "high",
    ),
]


def _referrer(user: User) -> dict:
    return {
        "referrer_name": user.get_full_name(),
        "referrer_role": user.job_title,
        "referrer_agency": user.agency,
        "referrer_agency_name": user.agency.name,
        "referrer_email": user.email,
        "parents_aware": "yes",
        "consent": "given",
    }


def _not_sought() -> dict:
    return {
        "parents_aware": "not_known",
        "consent": "not_sought",
        "consent_not_sought_reason": "Identity not yet known",
        "sharing_basis": "safeguarding",
    }


def seed_referrals(caseload: Caseload) -> int:
    """The area's referrals; returns how many were made. Children brought in
    by a decision join `caseload.children`, marked new."""
    area, staff = caseload.area, caseload.staff
    if Referral.objects.filter(area=area).exists():
        # An older demo made its own; this one would repeat them.
        return 0
    made = 0
    for example in WAITING:
        example = dict(example)
        referrer = staff.parts[example.pop("referrer")]
        received = _received(caseload, example.pop("working_days_ago"))
        services.referral_create(
            by=referrer,
            data={**_referrer(referrer), **_not_sought(), **example},
            identity_unknown=True,
            area=area,
            received_at=received,
        )
        made += 1
    made += _in_screening(caseload)
    for n, story in enumerate(NEW_CHILDREN):
        _new_child(caseload, n, *story)
        made += 1
    made += _strategy_discussion(caseload)
    made += _no_further_action(caseload)
    return made


def _received(caseload: Caseload, working_days_ago: int) -> datetime:
    """A weekday morning `working_days_ago` working days back."""
    moment = caseload.at(0, 10, caseload.rng.choice((5, 20, 35)))
    day = moment
    while working_days_ago > 0 or day.weekday() >= 5:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            working_days_ago -= 1
    return min(day, caseload.now - timedelta(hours=1))


def _decide(
    caseload: Caseload,
    referral: Referral,
    *,
    risk: str,
    decision: str,
    rationale: str,
    lead_professional: User | None = None,
    advice: str = "",
    opens_case: bool = False,
) -> Referral:
    """Screen and decide as the CSE lead, the working day after receipt, and
    date each step then (the services stamp now)."""
    lead = caseload.staff.cse_lead
    referral = services.referral_screening_start(by=lead, referral=referral)
    referral = services.referral_screening_update(
        by=lead,
        referral=referral,
        version=referral.version,
        risk_level=risk,
        screening_notes="Checked police, school and health records; spoke with the referrer.",
    )
    referral = services.referral_decide(
        by=lead,
        referral=referral,
        decision=decision,
        rationale=rationale,
        feedback="Thank you for the referral. It has been screened, and this is what happens "
        "next: " + rationale,
        advice=advice,
        lead_professional=lead_professional,
    )
    screened = referral.received_at + timedelta(hours=2)
    decided = min(
        add_working_days(referral.received_at, 1, caseload.area.nation),
        caseload.now - timedelta(minutes=30),
    )
    ReferralTransition.objects.filter(referral=referral, to_status="screening").update(at=screened)
    ReferralTransition.objects.filter(referral=referral, to_status="decided").update(at=decided)
    Referral.objects.filter(pk=referral.pk).update(decided_at=decided, feedback_sent_at=decided)
    MeetingRequest.objects.filter(referral=referral).update(requested_at=decided)
    if opens_case:
        case = referral.case
        Case.objects.filter(pk=case.pk).update(opened_on=timezone.localdate(decided))
        demo_people.backdate_opening(case, decided)
        RiskLevelChange.objects.filter(case=case).update(decided_at=decided)
        case.refresh_from_db()
    referral.refresh_from_db()
    return referral


def _in_screening(caseload: Caseload) -> int:
    """A re-referral about a child with an open case, in screening with a worker."""
    staff = caseload.staff
    child = next(c for c in caseload.children if "school" in c.members)
    referral, _ = services.referral_create(
        by=child.members["school"],
        data={
            **_referrer(child.members["school"]),
            "concerns": child.fill(
                "{name} was collected from school by an adult man we do not know, who said he "
                "was an uncle. {carer} says there is no uncle."
            ),
            "indicators": ["older_person", "transported"],
            "urgency": "routine",
            "referrer_risk": "medium",
        },
        young_person=child.young_person,
        received_at=_received(caseload, 1),
    )
    referral = services.referral_assign(
        by=staff.cse_lead, referral=referral, worker=staff.social_workers[1]
    )
    services.referral_screening_start(by=staff.social_workers[1], referral=referral)
    return 1


def _new_child(
    caseload: Caseload,
    n: int,
    theme: str,
    referrer_part: str,
    concerns: str,
    indicators: list[str],
    risk: str,
) -> None:
    """A child new to the services: referred, screened, and a CSE assessment
    decided, which opened their case with a social worker as lead."""
    rng, staff = caseload.rng, caseload.staff
    referrer = staff.parts[referrer_part]
    data, carer = demo_people.young_person_data(
        caseload, age=demo_people.age(rng), gender="F" if n != 1 else "M"
    )
    received = _received(caseload, rng.randint(4, 15))
    name = data["known_as"] or data["legal_first_name"]
    referral, _ = services.referral_create(
        by=referrer,
        data={
            **_referrer(referrer),
            "concerns": concerns.format(name=name),
            "indicators": indicators,
            "urgency": "routine",
            "referrer_risk": risk,
        },
        new_young_person=data,
        received_at=received,
    )
    lead = staff.social_workers[n % 3]
    referral = _decide(
        caseload,
        referral,
        risk=risk,
        decision="cse_assessment",
        rationale="The indicators meet the threshold for a CSE assessment; a social worker "
        "from the exploitation team will lead.",
        lead_professional=lead,
        opens_case=True,
    )
    decided_days = (caseload.today - timezone.localdate(referral.decided_at)).days
    child = Child(
        young_person=referral.young_person,
        case=referral.case,
        level=risk,
        themes=(theme,) if theme != "missing" else ("missing", "older_adult"),
        lead=lead,
        members={},
        carer=carer,
        place=rng.choice([p.name for p in caseload.places if p.kind != "online"]),
        new=True,
    )
    parts = [referrer_part, *demo_people.team_parts(rng, child.themes, "practitioner")]
    demo_people.join_team(caseload, child, list(dict.fromkeys(parts))[:3], referral.decided_at)
    for days_ago in sorted({max(0, decided_days - 1), rng.randint(0, max(0, decided_days - 1))}):
        demo_people.note(caseload, child, days_ago, NoteType.CONTACT_YOUNG_PERSON, "lead")
    caseload.children.append(child)


def _strategy_discussion(caseload: Caseload) -> int:
    """Police refer new information about a child at high risk: the CSE lead
    asks for a strategy discussion (multi-agency meetings schedule it)."""
    child = next(
        c for c in caseload.children if c.level == "high" and "police" in c.members and not c.new
    )
    police = child.members["police"]
    referral, _ = services.referral_create(
        by=police,
        data={
            **_referrer(police),
            "concerns": child.fill(
                "New intelligence: {name} was seen at {place} with an adult under investigation, "
                "two nights running."
            ),
            "indicators": ["locations", "older_person"],
            "urgency": "urgent",
            "referrer_risk": "high",
        },
        young_person=child.young_person,
        received_at=_received(caseload, 2),
    )
    _decide(
        caseload,
        referral,
        risk="high",
        decision="strategy_discussion",
        rationale="New information about a child already at high risk: police, children's "
        "social care and health to meet within two working days.",
    )
    return 1


def _no_further_action(caseload: Caseload) -> int:
    """A concern about a group at the skate park, decided with advice."""
    charity = caseload.staff.parts["charity"]
    referral, _ = services.referral_create(
        by=charity,
        data={
            **_referrer(charity),
            **_not_sought(),
            "subject_description": "Three young people, about 15, at the Castle Park skate area "
            "after 10pm.",
            "concerns": "Out late in a group; one said an older lad sometimes buys them chips.",
            "indicators": ["gifts_money"],
            "urgency": "routine",
            "referrer_risk": "low",
        },
        identity_unknown=True,
        area=caseload.area,
        received_at=_received(caseload, 6),
    )
    _decide(
        caseload,
        referral,
        risk="low",
        decision="no_further_action",
        rationale="No indicator of exploitation at this stage; detached youth work is offered.",
        advice="Detached youth workers will visit the skate area on Friday evenings; refer again "
        "with any new concern, especially about the older young man.",
    )
    return 1
