"""The urgent decision clock: "Urgent: needs a decision today" is due the same
working day, by the close of the working day the clock starts on or four
office hours after it, whichever is later; routine stays one working day.

Time is frozen (time-machine): each referral is received at a named moment,
and the due time is the one stored on the referral, which the queue and the
drift engine read.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
import time_machine
from django.test import override_settings

from cse_cases.models import Nation
from cse_cases.working_days import LONDON, add_working_hours, urgent_due
from referrals import services
from referrals.models import Referral
from referrals.rules import referral_decision_overdue
from tests.conftest import verified
from tests.factories import AreaFactory
from tests.referrals.conftest import referral_data


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def received(by, area, moment: str, urgency: str = "urgent") -> Referral:
    """Sara refers a child she cannot name, at `moment` (London time)."""
    with time_machine.travel(at(moment), tick=False):
        referral, _ = services.referral_create(
            by=verified(by),
            data=referral_data(urgency=urgency, subject_description="A girl of about 14"),
            identity_unknown=True,
            area=area,
            idempotency_key=uuid.uuid4(),
        )
    return referral


@pytest.fixture
def glenmuir(db):
    return AreaFactory(name="Glenmuir", code="S12900001", nation=Nation.SCOTLAND)


@pytest.fixture
def lough_erne(db):
    return AreaFactory(name="Lough Erne", code="N09900001", nation=Nation.NORTHERN_IRELAND)


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # Tuesday morning: the close of Tuesday is later than 14:00.
        ("2026-11-24 10:00", "2026-11-24 17:00"),
        # Tuesday 16:30: half an hour on Tuesday, three and a half on Wednesday.
        ("2026-11-24 16:30", "2026-11-25 12:30"),
        # Friday 15:00: two hours on Friday, two on Monday; the weekend does not count.
        ("2026-11-27 15:00", "2026-11-30 11:00"),
        # Saturday: the clock starts at Monday's opening, so Monday's close
        # (17:00) is later than 13:00 (four hours after opening).
        ("2026-11-28 11:00", "2026-11-30 17:00"),
        # Before opening on a working day: the clock starts at 09:00 that day.
        ("2026-11-24 07:45", "2026-11-24 17:00"),
        # After closing: the next working day, to its close.
        ("2026-11-24 18:30", "2026-11-25 17:00"),
        ("2026-11-24 17:00", "2026-11-25 17:00"),
    ],
)
def test_an_urgent_referral_is_due_the_same_working_day(sara, kingsmere, moment, due) -> None:
    referral = received(sara, kingsmere, moment)
    assert referral.decision_due_at == at(due)


def test_a_routine_referral_is_still_due_one_working_day_after_receipt(sara, kingsmere) -> None:
    assert received(sara, kingsmere, "2026-11-24 10:00", "routine").decision_due_at == at(
        "2026-11-25 10:00"
    )
    assert received(sara, kingsmere, "2026-11-27 15:00", "routine").decision_due_at == at(
        "2026-11-30 15:00"
    )


def test_st_andrews_day_does_not_count_in_scotland(sara, glenmuir, kingsmere) -> None:
    # Monday 30 November is St Andrew's Day, a bank holiday in Scotland only:
    # an hour on Friday, then three on Tuesday there; three on Monday in England.
    assert received(sara, glenmuir, "2026-11-27 16:00").decision_due_at == at("2026-12-01 12:00")
    assert received(sara, kingsmere, "2026-11-27 16:00").decision_due_at == at("2026-11-30 12:00")
    # Received on the holiday itself: Tuesday is the Scottish district's day.
    assert received(sara, glenmuir, "2026-11-30 10:00").decision_due_at == at("2026-12-01 17:00")


def test_st_patricks_day_does_not_count_in_northern_ireland(sara, lough_erne, kingsmere) -> None:
    # Wednesday 17 March 2027 is a bank holiday in Northern Ireland only.
    assert received(sara, lough_erne, "2027-03-16 16:30").decision_due_at == at("2027-03-18 12:30")
    assert received(sara, kingsmere, "2027-03-16 16:30").decision_due_at == at("2027-03-17 12:30")


def test_the_clock_moves_with_the_referral_and_restarts_when_reopened(
    sara, jo, kingsmere, glenmuir
) -> None:
    referral = received(sara, kingsmere, "2026-11-27 16:00")
    glenmuir_lead = verified(jo)
    with time_machine.travel(at("2026-11-27 16:10"), tick=False):
        moved = services.referral_transfer(
            by=glenmuir_lead, referral=referral, to_area=glenmuir, reason="She lives in Glenmuir"
        )
    # The same start (Friday 16:00), by Scotland's holidays.
    assert moved.decision_due_at == at("2026-12-01 12:00")

    other = received(sara, kingsmere, "2026-11-24 10:00")
    lead = verified(jo)
    with time_machine.travel(at("2026-11-24 10:05"), tick=False):
        services.referral_screening_start(by=lead, referral=other)
        services.referral_decide(
            by=lead,
            referral=other,
            decision="early_help",
            rationale="Early help fits.",
            feedback="Early help will call.",
        )
    with time_machine.travel(at("2026-11-24 16:00"), tick=False):
        reopened = services.referral_reopen(by=lead, referral=other, reason="New information")
    # A new urgent clock from 16:00: one hour on Tuesday, three on Wednesday.
    assert reopened.decision_due_at == at("2026-11-25 12:00")


@override_settings(
    REFERRAL_URGENT_WORKING_HOURS=6,
    WORKING_DAY_START=datetime.strptime("08:30", "%H:%M").time(),
    WORKING_DAY_END=datetime.strptime("16:30", "%H:%M").time(),
)
def test_the_hours_and_the_working_day_are_configurable(sara, kingsmere) -> None:
    # 14:00 + six office hours of an 08:30-16:30 day: 2.5 on Tuesday, 3.5 on Wednesday.
    assert received(sara, kingsmere, "2026-11-24 14:00").decision_due_at == at("2026-11-25 12:00")
    # 09:00: 15:00 is earlier than the close, 16:30.
    assert received(sara, kingsmere, "2026-11-24 09:00").decision_due_at == at("2026-11-24 16:30")


def test_the_drift_engine_flags_an_urgent_referral_at_its_due_time(sara, kingsmere) -> None:
    referral = received(sara, kingsmere, "2026-11-24 10:00")
    assert not referral_decision_overdue(at("2026-11-24 16:59")).filter(pk=referral.pk).exists()
    assert referral_decision_overdue(at("2026-11-24 17:01")).filter(pk=referral.pk).exists()


def test_working_hours_carry_over_weekends_and_holidays() -> None:
    # Christmas 2026: Friday 25th, the weekend, Boxing Day observed on Monday 28th.
    assert add_working_hours(at("2026-12-24 16:00"), 4, "ENG") == at("2026-12-29 12:00")
    assert urgent_due(at("2026-12-24 16:00"), "ENG") == at("2026-12-29 12:00")
    # Zero hours: the close of the day.
    with override_settings(REFERRAL_URGENT_WORKING_HOURS=0):
        assert urgent_due(at("2026-11-24 16:30"), "ENG") == at("2026-11-24 17:00")
    # The clocks go back on Sunday 25 October 2026: office hours are wall-clock hours.
    assert add_working_hours(at("2026-10-23 16:00"), 4, "ENG") == at("2026-10-26 12:00")
