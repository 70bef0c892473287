"""Timeliness, on hand-built records in Kingsmere (England), Glenmore
(Scotland) and Afon Valley (Wales, not in the report). The period is January
to March 2027; the report is made on 15 April 2027, counting what was
recorded before that day began."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, AssessmentStatus, Meeting, Plan, PlanVersion
from cse_cases.models import CaseStatus, Nation, ReturnInterview
from cse_cases.working_days import add_working_days
from reports.measures import timeliness
from tests.factories import AreaFactory, CaseFactory
from tests.reports.measures.helpers import (
    REPORT_MOMENT,
    at,
    context,
    counts,
    episode,
    person,
    referral,
    table,
)

pytestmark = pytest.mark.time_machine(REPORT_MOMENT)

SECOND = timedelta(seconds=1)
HOURS_72 = timedelta(hours=72)


@pytest.fixture
def glenmore(db):
    return AreaFactory(name="Glenmore", code="S12900003", nation=Nation.SCOTLAND)


def decided(area, by, received_at, *, urgency="routine", late_by=timedelta(0), **kwargs):
    """A referral decided `late_by` after its clock ran out (0: exactly on it)."""
    made = referral(area, by, received_at, urgency=urgency, **kwargs)
    made.decided_at = made.decision_due_at + late_by
    made.status, made.decision, made.decided_by = "decided", "early_help", by
    made.save()
    return made


# --- Referral decisions -----------------------------------------------------------


def test_referral_decisions_within_the_clock_urgent_and_routine(kingsmere, afon_valley, amira, tom):
    decided(kingsmere, amira, at(2027, 2, 2, 10), urgency="urgent")  # exactly at the clock
    decided(kingsmere, amira, at(2027, 2, 3, 10), late_by=SECOND)
    # Received on the last day, decided (on time) the next morning: after the period.
    made = referral(kingsmere, amira, at(2027, 3, 31, 10))
    made.decided_at, made.status, made.decision = at(2027, 4, 1, 9), "decided", "early_help"
    made.save()
    referral(kingsmere, amira, at(2027, 3, 10))  # never decided
    # Decided on the report day itself: not yet counted as decided.
    made = referral(kingsmere, amira, at(2027, 1, 5), urgency="urgent")
    made.decided_at, made.status, made.decision = at(2027, 4, 15, 9), "decided", "early_help"
    made.save()
    decided(kingsmere, amira, at(2026, 12, 1))  # previous period
    decided(afon_valley, tom, at(2027, 2, 2), late_by=SECOND)

    section = timeliness.section(context(kingsmere))
    now = table(section, "timeliness.referral_decisions")
    assert now.columns == ("Urgent", "Routine")
    assert now.row_totals
    assert {row.label: row.values for row in now.rows} == {
        "Decided within the clock": (1, 1),
        "Decided late": (0, 1),
        "Not decided yet, past the clock": (1, 1),
        "Not decided yet, clock still running": (0, 0),
        "of which: decided after the period ended": (0, 1),
    }
    assert not now.rows[-1].in_total
    before = counts(section, "timeliness.referral_decisions_previous")
    assert before["Decided within the clock"] == (0, 1)
    assert sum(values[1] for values in before.values()) == 1


def test_a_clock_still_running_on_the_report_day(kingsmere, amira):
    referral(kingsmere, amira, at(2027, 3, 31, 15))
    rows = counts(
        timeliness.section(context(kingsmere, today=date(2027, 4, 1))),
        "timeliness.referral_decisions",
    )
    assert rows["Not decided yet, clock still running"] == (0, 1)


def test_easter_monday_is_a_bank_holiday_in_england_not_scotland(kingsmere, glenmore, amira):
    # Received on Good Friday (a bank holiday in both): the clock starts on the
    # next working day, Easter Monday in Scotland but Tuesday in England, and
    # runs out at the end of it. Both decided at noon on the Tuesday.
    for area in (kingsmere, glenmore):
        made = referral(area, amira, at(2027, 3, 26, 10))
        made.decided_at, made.status, made.decision = at(2027, 3, 30, 12), "decided", "early_help"
        made.save()
    england = counts(timeliness.section(context(kingsmere)), "timeliness.referral_decisions")
    scotland = counts(timeliness.section(context(glenmore)), "timeliness.referral_decisions")
    assert england["Decided within the clock"] == (0, 1)
    assert england["Decided late"] == (0, 0)
    assert scotland["Decided within the clock"] == (0, 0)
    assert scotland["Decided late"] == (0, 1)


# --- Return interviews ------------------------------------------------------------


def interview(missing, by, offered_at, *, held_at=None, outcome="held"):
    return ReturnInterview.objects.create(
        episode=missing,
        offered_at=offered_at,
        offered_by=by,
        interviewer=by,
        interviewer_relationship="independent",
        outcome=outcome,
        held_at=held_at,
        recorded_by=by,
    )


@pytest.fixture
def returns(kingsmere, afon_valley, amira, tom):
    mia = person(kingsmere, amira)

    def returned(day):
        return episode(mia, amira, day - timedelta(hours=6), day)

    first = returned(at(2027, 1, 10))
    interview(first, amira, first.returned_at + HOURS_72, held_at=first.returned_at + HOURS_72)
    second = returned(at(2027, 2, 10))
    interview(
        second,
        amira,
        second.returned_at + HOURS_72 + SECOND,
        held_at=second.returned_at + timedelta(days=5),
    )
    third = returned(at(2027, 3, 1))
    interview(third, amira, third.returned_at + timedelta(hours=1), outcome="declined")
    returned(at(2027, 3, 5))  # no interview
    last = returned(at(2027, 3, 31, 23))  # BST: in the period
    interview(last, amira, at(2027, 4, 15, 9), held_at=at(2027, 4, 15, 9))  # the report day
    before = returned(at(2026, 12, 1))
    interview(before, amira, before.returned_at, held_at=before.returned_at + timedelta(hours=2))
    episode(mia, amira, at(2027, 4, 10))  # still missing: no return
    dafydd = person(afon_valley, tom)
    episode(dafydd, tom, at(2027, 2, 1), at(2027, 2, 2))


def test_return_interviews_offered_within_72_hours(kingsmere, returns):
    rows = counts(timeliness.section(context(kingsmere)), "timeliness.return_interviews_offered")
    assert rows == {
        "Offered within 72 hours": (2, 1),
        "Offered later": (1, 0),
        "Not offered": (2, 0),
    }


def test_return_interviews_held_within_72_hours(kingsmere, returns):
    rows = counts(timeliness.section(context(kingsmere)), "timeliness.return_interviews_held")
    assert rows == {
        "Held within 72 hours": (1, 1),
        "Held later": (1, 0),
        "Not held": (3, 0),
    }


# --- Meeting records --------------------------------------------------------------


def meeting(area, chair, starts_at, *, status="held", distributed_late_by=None):
    due = add_working_days(starts_at, 1, area.nation)
    return Meeting.objects.create(
        kind="cse_strategy_meeting",
        area=area,
        starts_at=starts_at,
        chair=chair,
        status=status,
        record_due_at=due,
        record_distributed_at=None if distributed_late_by is None else due + distributed_late_by,
        created_by=chair,
    )


def test_meeting_records_distributed_within_one_working_day(kingsmere, afon_valley, jo, tom):
    meeting(kingsmere, jo, at(2027, 2, 4), distributed_late_by=timedelta(0))
    meeting(kingsmere, jo, at(2027, 2, 5, 14), distributed_late_by=SECOND)
    meeting(kingsmere, jo, at(2027, 3, 10))
    meeting(kingsmere, jo, at(2027, 3, 11), status="scheduled")
    meeting(kingsmere, jo, at(2027, 3, 12), status="cancelled")
    meeting(kingsmere, jo, at(2026, 11, 2), distributed_late_by=-timedelta(hours=3))
    meeting(afon_valley, tom, at(2027, 2, 4))
    rows = counts(timeliness.section(context(kingsmere)), "timeliness.meeting_records")
    assert rows == {
        "Distributed within one working day": (1, 1),
        "Distributed later": (1, 0),
        "Not distributed yet, past due": (1, 0),
        "Not distributed yet, not yet due": (0, 0),
    }


# --- Assessment and plan reviews ----------------------------------------------------


def signed_off(case, template, author, signer, *, on, review_on, started_at=None):
    return Assessment.objects.create(
        case=case,
        template=template,
        author=author,
        status=AssessmentStatus.SIGNED_OFF,
        started_at=started_at or on - timedelta(days=7),
        judged_level="medium",
        submitted_by=author,
        submitted_at=on - timedelta(days=1),
        signed_off_by=signer,
        signed_off_at=on,
        next_review_on=review_on,
    )


def started(case, template, author, started_at):
    return Assessment.objects.create(
        case=case, template=template, author=author, started_at=started_at
    )


@pytest.fixture
def cases(kingsmere, afon_valley, amira, tom):
    def case(area, lead, **fields):
        return CaseFactory(young_person=person(area, lead), lead_professional=lead, **fields)

    return {
        "on_time": case(kingsmere, amira),
        "late": case(kingsmere, amira),
        "overdue": case(kingsmere, amira),
        "closed": case(
            kingsmere,
            amira,
            status=CaseStatus.CLOSED,
            opened_on=date(2026, 6, 1),
            closed_on=date(2027, 2, 15),
        ),
        "before": case(kingsmere, amira),
        "elsewhere": case(afon_valley, tom),
    }


def test_assessments_reviewed_on_time(kingsmere, cases, template, amira, sam, tom):
    december = at(2026, 12, 1)
    signed_off(cases["on_time"], template, amira, sam, on=december, review_on=date(2027, 2, 1))
    started(cases["on_time"], template, amira, at(2027, 2, 1, 23, 59))  # on the review date
    signed_off(cases["late"], template, amira, sam, on=december, review_on=date(2027, 2, 10))
    started(cases["late"], template, amira, at(2027, 2, 11, 0, 0))
    signed_off(cases["overdue"], template, amira, sam, on=december, review_on=date(2027, 3, 1))
    signed_off(cases["closed"], template, amira, sam, on=december, review_on=date(2027, 3, 5))
    signed_off(
        cases["before"], template, amira, sam, on=at(2026, 9, 1), review_on=date(2026, 12, 10)
    )
    started(cases["before"], template, amira, at(2026, 12, 9))
    signed_off(cases["elsewhere"], template, tom, amira, on=december, review_on=date(2027, 3, 1))
    rows = counts(timeliness.section(context(kingsmere)), "timeliness.assessment_reviews")
    assert rows == {
        "Reviewed on time": (1, 1),
        "Reviewed late": (1, 0),
        "Not reviewed: the case closed first": (1, 0),
        "Not reviewed yet, overdue": (1, 0),
        "Not reviewed yet, not yet due": (0, 0),
    }


def version(plan, number, *, review_on, created_at, by, current=False):
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        needs_and_outcomes="Needs.",
        young_person_support="Support.",
        consistent_worker=by,
        disruption_and_investigation="Disruption.",
        review_on=review_on,
        is_current=current,
        created_by=by,
        created_at=created_at,
    )


def test_plans_reviewed_on_time(kingsmere, cases, amira):
    first = Plan.objects.create(case=cases["on_time"])
    version(first, 1, review_on=date(2027, 1, 20), created_at=at(2026, 12, 1), by=amira)
    version(
        first, 2, review_on=date(2027, 6, 1), created_at=at(2027, 1, 20, 16), by=amira, current=True
    )
    second = Plan.objects.create(case=cases["late"])
    version(second, 1, review_on=date(2027, 2, 20), created_at=at(2026, 12, 1), by=amira)
    version(
        second, 2, review_on=date(2027, 3, 25), created_at=at(2027, 3, 1), by=amira, current=True
    )
    rows = counts(timeliness.section(context(kingsmere)), "timeliness.plan_reviews")
    assert rows == {
        "Reviewed on time": (1, 0),
        "Reviewed late": (1, 0),
        "Not reviewed: the case closed first": (0, 0),
        "Not reviewed yet, overdue": (1, 0),
        "Not reviewed yet, not yet due": (0, 0),
    }


# --- Statements ---------------------------------------------------------------------


def _statements(area) -> int:
    with CaptureQueriesContext(connection) as queries:
        timeliness.section(context(area))
    return len(queries)


def test_statements_do_not_grow_with_the_data(kingsmere, amira, jo, returns):
    before = _statements(kingsmere)
    for day in range(1, 28):
        decided(kingsmere, amira, at(2027, 1, day), late_by=timedelta(hours=day))
        meeting(kingsmere, jo, at(2027, 2, day), distributed_late_by=timedelta(hours=day))
        someone = person(kingsmere, amira)
        back = episode(someone, amira, at(2027, 3, day), at(2027, 3, day, 12))
        later = back.returned_at + timedelta(hours=day)
        interview(back, amira, later, held_at=later)
    assert _statements(kingsmere) == before
    assert before <= 6
