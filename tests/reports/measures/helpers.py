"""Hand-built records for the measures' tests: each made directly, with the
times a test states, so every table has an answer worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cse_cases.models import Agency, Area, MissingEpisode, User, YoungPerson
from referrals.models import Referral, ReferralStatus, Urgency
from referrals.services.common import decision_due
from reports.context import ReportContext
from reports.period import Period
from reports.tables import Section, Table
from tests.factories import YoungPersonFactory

LONDON = ZoneInfo("Europe/London")
# The report: January to March 2027 (the previous column: October to December
# 2026), computed in the middle of April.
Q1_2027 = Period.quarter(2027, 1)
REPORT_DAY = date(2027, 4, 15)
REPORT_MOMENT = datetime(2027, 4, 15, 10, 0, tzinfo=LONDON)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def context(*areas: Area, period: Period = Q1_2027, today: date = REPORT_DAY) -> ReportContext:
    return ReportContext(
        area_ids=tuple(area.pk for area in areas), period=period, using="default", today=today
    )


def person(area: Area, by: User, **fields) -> YoungPerson:
    fields.setdefault("date_of_birth", date(2012, 6, 1))
    return YoungPersonFactory(area=area, created_by=by, **fields)


def referral(
    area: Area,
    by: User,
    received_at: datetime,
    *,
    young_person: YoungPerson | None = None,
    agency: Agency | None = None,
    urgency: str = Urgency.ROUTINE,
    decided_at: datetime | None = None,
) -> Referral:
    """A referral as intake would store it: its clock from the same function
    intake uses (referrals.services.common.decision_due)."""
    decided = decided_at is not None
    return Referral.objects.create(
        area=area,
        received_at=received_at,
        clock_started_at=received_at,
        decision_due_at=decision_due(received_at, area, urgency),
        referred_by=by,
        referrer_name="A referrer",
        referrer_agency=agency,
        referrer_agency_name=agency.name if agency else "A service outside Harbour",
        young_person=young_person,
        identity_unknown=young_person is None,
        concerns="Concerns described by the referrer.",
        parents_aware="yes",
        consent="given",
        urgency=urgency,
        status=ReferralStatus.DECIDED if decided else ReferralStatus.RECEIVED,
        decision="early_help" if decided else "",
        decided_at=decided_at,
        decided_by=by if decided else None,
    )


def episode(
    young_person: YoungPerson,
    by: User,
    last_seen_at: datetime,
    returned_at: datetime | None = None,
    **fields,
) -> MissingEpisode:
    return MissingEpisode.objects.create(
        young_person=young_person,
        last_seen_at=last_seen_at,
        reported_at=last_seen_at,
        returned_at=returned_at,
        risk_grading="medium",
        missing_or_absent=fields.pop("missing_or_absent", "missing"),
        missing_from="home",
        recorded_by=by,
        **fields,
    )


def table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def counts(section: Section, key: str) -> dict[str, tuple[int, ...]]:
    """A table's rows as {label: values}."""
    return {row.label: row.values for row in table(section, key).rows}
