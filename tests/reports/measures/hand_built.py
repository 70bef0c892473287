"""Records made by hand for the measure tests, with every date given, so each
table's answer can be worked out on paper."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connections
from django.test.utils import CaptureQueriesContext

from assessments.risk.models import Assessment, AssessmentStatus, AssessmentTemplate
from cse_cases.models import Area, Case, CaseStatus, User, YoungPerson
from cse_cases.working_days import LONDON
from referrals.models import Referral
from reports.context import ReportContext
from reports.period import Period
from tests.factories import CaseFactory, UserFactory, YoungPersonFactory

# The report is made on Saturday 10 April 2027, for January to March 2027;
# the period before it is October to December 2026.
TODAY = date(2027, 4, 10)
NOW = datetime(2027, 4, 10, 9, 0, tzinfo=LONDON)


def context(*areas: Area, period: Period | None = None) -> ReportContext:
    return ReportContext(
        area_ids=tuple(area.pk for area in areas),
        period=period or Period.quarter(2027, 1),
        using="default",
        today=TODAY,
    )


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def case(
    area: Area,
    *,
    opened_on: date,
    closed_on: date | None = None,
    category: str = "not_recorded",
    lead: User | None = None,
    person: YoungPerson | None = None,
    **young_person: object,
) -> Case:
    """A case in the area: of that young person, else of a new one (made
    with those fields)."""
    person = person or YoungPersonFactory(area=area, **young_person)
    kwargs: dict[str, object] = {"lead_professional": lead} if lead else {}
    return CaseFactory(
        young_person=person,
        area=area,
        opened_on=opened_on,
        closed_on=closed_on,
        status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
        closure_category=category,
        **kwargs,
    )


def signed_off(of: Case, template: AssessmentTemplate, level: str, when: datetime) -> Assessment:
    author = of.lead_professional
    signer = UserFactory(agency=author.agency)
    return Assessment.objects.create(
        case=of,
        template=template,
        author=author,
        status=AssessmentStatus.SIGNED_OFF,
        judged_level=level,
        suggested_level=level,
        submitted_by=author,
        submitted_at=when - timedelta(days=1),
        signed_off_by=signer,
        signed_off_at=when,
        next_review_on=(when + timedelta(days=90)).date(),
        started_at=when - timedelta(days=7),
    )


def referral(area: Area, person: YoungPerson | None, received_at: datetime) -> Referral:
    by = UserFactory()
    return Referral.objects.create(
        area=area,
        young_person=person,
        identity_unknown=person is None,
        received_at=received_at,
        clock_started_at=received_at,
        decision_due_at=received_at + timedelta(days=1),
        referred_by=by,
        referrer_name="A referrer",
        referrer_agency_name="A school",
        concerns="Concerns as the referrer wrote them",
        parents_aware="yes",
        consent="given",
    )


def statements(ctx: ReportContext, measure) -> int:  # type: ignore[no-untyped-def]
    """How many statements the measure runs on the report database."""
    with CaptureQueriesContext(connections[ctx.using]) as queries:
        measure(ctx)
    return len(queries)


def rows(table) -> dict[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    return {row.label: row.values for row in table.rows}
