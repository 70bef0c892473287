"""A hand-built Kingsmere for the profile's tests, every date given, so each
figure's answer can be worked out on paper. The profile is January to March
2027, drawn on 15 April 2027 (so persons, places and disruption are counted
at 31 March); the year before is January to March 2026. Afon Valley's
records are there to be left out.

Young people (Kingsmere cases):
- Mia, 14, girl, White British, looked after, excluded, autistic, bisexual;
  case open since December 2026, the "boyfriend" model. Missing 20 December,
  10 January (at the return interview: went to "the station hotel ... then
  Chicken Palace") and 20 March ("found at the Station Hotel car park"):
  three in exactly 90 days, so missing repeatedly in March.
- Noah, 11, boy, ethnicity not known; case 10 February to 5 March, no model.
- Ava, 16, girl, Black African, on a child protection plan, straight; case
  opened 31 March, online model. Missing on 31 March, nowhere named.
- Lily: case January to 20 December 2026 (the year before, not the period);
  missing 1, 10 and 20 February 2026 (repeat in February 2026 only: no
  episode of hers starts in March, as the commissioner report counts it).
- Zed: an Afon Valley case, left out.

Places (Kingsmere): Station Hotel (Mia, Noah, Ava; no disruption: a gap),
Chicken Palace (Mia, Noah; a licensing check under way), Quiet Park (Lily; a
check that ended in 2026), SnapTalk (online; Ava). Afon Lodge (Afon Valley).

Persons of concern: Ricky (Kingsmere; Mia and Noah, linked by Jo, no
disruption: a gap), Dean (Kingsmere; Ava, linked by a police officer, and
Zed in Afon Valley; a warning notice under way), Carl (recorded in Afon
Valley, linked to Mia; an order that ended in 2026), Evan (Afon Valley
only).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cse_cases.models import (
    AgencyKind,
    ContextLink,
    Disruption,
    Location,
    PersonOfConcern,
    ReturnInterview,
)
from reports.period import Period
from reports.profile.context import ProfileContext
from tests.factories import AgencyFactory, CaseFactory, UserFactory, YoungPersonFactory
from tests.reports.measures.helpers import episode, referral

LONDON = ZoneInfo("Europe/London")
Q1_2027 = Period.quarter(2027, 1)
PROFILE_DAY = date(2027, 4, 15)
PROFILE_MOMENT = datetime(2027, 4, 15, 10, 0, tzinfo=LONDON)
RECORDED = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def context(*areas, period: Period = Q1_2027, today: date = PROFILE_DAY) -> ProfileContext:
    return ProfileContext(
        area_ids=tuple(area.pk for area in areas), period=period, using="default", today=today
    )


def child(area, by, *, opened_on, closed_on=None, models=(), **fields):
    young_person = YoungPersonFactory(area=area, created_by=by, **fields)
    CaseFactory(
        young_person=young_person,
        lead_professional=by,
        opened_on=opened_on,
        closed_on=closed_on,
        status="closed" if closed_on else "open",
        exploitation_models=list(models),
    )
    return young_person


def place(area, by, name, kind):
    return Location.objects.create(
        name=name, kind=kind, area=area, created_by=by, created_at=RECORDED
    )


def concern(name, by, area):
    return PersonOfConcern.objects.create(
        name=name, area=area, created_by=by, created_by_agency=by.agency, created_at=RECORDED
    )


def link(by, **ends):
    kind = {
        frozenset({"young_person", "location"}): "yp_location",
        frozenset({"young_person", "person"}): "yp_person",
        frozenset({"person", "location"}): "person_location",
    }[frozenset(ends)]
    return ContextLink.objects.create(
        kind=kind,
        source="Seen together",
        source_grading="1",
        information_grading="B",
        created_by=by,
        created_at=RECORDED,
        **ends,
    )


def disruption(by, kind, started_on, ended_on=None, **target):
    return Disruption.objects.create(
        kind=kind, started_on=started_on, ended_on=ended_on, recorded_by=by, **target
    )


def spell(young_person, by, start, **fields):
    return episode(young_person, by, start, start + timedelta(hours=5), **fields)


def build(kingsmere, afon_valley, amira, jo, tom) -> dict:
    police = AgencyFactory(name="Kingsmere Police", kind=AgencyKind.POLICE, areas=[kingsmere])
    officer = UserFactory(agency=police, areas=[kingsmere])
    mia = child(
        kingsmere,
        amira,
        opened_on=date(2026, 12, 1),
        models=["grooming_relationship"],
        date_of_birth=date(2012, 6, 1),
        gender="female",
        ethnicity="white_british",
        legal_status="looked_after",
        looked_after_basis="s20",
        excluded=True,
        disability_or_send="Autism",
        sexual_orientation="bisexual",
    )
    noah = child(
        kingsmere,
        amira,
        opened_on=date(2027, 2, 10),
        closed_on=date(2027, 3, 5),
        date_of_birth=date(2016, 1, 10),
        gender="male",
        ethnicity="not_known",
    )
    ava = child(
        kingsmere,
        amira,
        opened_on=date(2027, 3, 31),
        models=["online"],
        date_of_birth=date(2011, 3, 1),
        gender="female",
        ethnicity="black_african",
        legal_status="child_protection",
        sexual_orientation="straight",
    )
    lily = child(
        kingsmere,
        amira,
        opened_on=date(2026, 1, 5),
        closed_on=date(2026, 12, 20),
        models=["organised"],
        date_of_birth=date(2010, 5, 1),
        gender="female",
        ethnicity="asian_pakistani",
    )
    zed = child(afon_valley, tom, opened_on=date(2027, 1, 5), gender="male")

    # Referrals: January 2027 two (one not yet identified), March one at
    # 23:30 on the 31st (BST: in March), one at 00:30 on 1 April (not in
    # the period); February 2026 one; Afon Valley one in January.
    referral(kingsmere, amira, at(2027, 1, 5), young_person=mia)
    referral(kingsmere, amira, at(2027, 1, 20))
    referral(kingsmere, amira, at(2027, 3, 31, 23, 30), young_person=ava)
    referral(kingsmere, amira, at(2027, 4, 1, 0, 30))
    referral(kingsmere, amira, at(2026, 2, 3), young_person=lily)
    referral(afon_valley, tom, at(2027, 1, 5), young_person=zed)

    spell(mia, amira, at(2026, 12, 20), where_found="Station Hotel")
    told = spell(mia, amira, at(2027, 1, 10))
    ReturnInterview.objects.create(
        episode=told,
        offered_at=at(2027, 1, 11),
        offered_by=amira,
        interviewer=amira,
        interviewer_relationship="independent",
        outcome="held",
        held_at=at(2027, 1, 11),
        where_and_with_whom="Went to the station hotel with older males, then Chicken Palace",
        recorded_by=amira,
    )
    spell(
        mia,
        amira,
        at(2026, 12, 20) + timedelta(days=90),
        where_found="Found at the Station Hotel car park",
    )
    spell(ava, amira, at(2027, 3, 31, 12))
    for day in (1, 10, 20):
        spell(lily, amira, at(2026, 2, day))
    spell(zed, tom, at(2027, 1, 7), where_found="Afon Lodge")

    hotel = place(kingsmere, jo, "Station Hotel", "hotel")
    takeaway = place(kingsmere, jo, "Chicken Palace", "takeaway")
    park = place(kingsmere, jo, "Quiet Park", "park")
    app = place(kingsmere, jo, "SnapTalk", "online")
    lodge = place(afon_valley, tom, "Afon Lodge", "hotel")
    for young_person in (mia, noah, ava):
        link(jo, young_person=young_person, location=hotel)
    for young_person in (mia, noah):
        link(jo, young_person=young_person, location=takeaway)
    link(jo, young_person=lily, location=park)
    link(jo, young_person=ava, location=app)
    link(tom, young_person=zed, location=lodge)
    disruption(jo, "licensing", date(2027, 1, 15), location=takeaway)
    disruption(jo, "licensing", date(2026, 5, 1), date(2026, 6, 1), location=park)

    ricky = concern("Ricky", jo, kingsmere)
    dean = concern("Dean", officer, kingsmere)
    carl = concern("Carl", tom, afon_valley)
    evan = concern("Evan", tom, afon_valley)
    link(jo, young_person=mia, person=ricky)
    link(jo, young_person=noah, person=ricky)
    link(officer, young_person=ava, person=dean)
    link(tom, young_person=zed, person=dean)
    link(tom, young_person=mia, person=carl)
    link(tom, young_person=zed, person=evan)
    disruption(officer, "cawn", date(2027, 2, 1), person=dean)
    disruption(tom, "sro", date(2026, 1, 1), date(2026, 12, 31), person=carl)
    return {"mia": mia, "noah": noah, "ava": ava, "hotel": hotel, "officer": officer}
