"""The meeting, plan and action time rules, at their boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from assessments import rules
from assessments.meetings import services
from assessments.models import Action, MeetingKind, PlanVersion
from assessments.plans import services as plan_services
from cse_cases import services as core
from cse_cases.models import RiskLevelChange
from cse_cases.working_days import add_working_days, latest_start_due_by
from tests.conftest import ORDINARY_TUESDAY, verified

# The rules count working days back from now (ten for a strategy meeting, one
# for a meeting record): from one ordinary working day, whatever day it is.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)

LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_one_working_day_before_monday_afternoon_is_friday_afternoon():
    assert latest_start_due_by(at(2026, 11, 23, 15, 0), 1, "ENG") == at(2026, 11, 20, 15, 0)


def test_easter_is_skipped_in_england_but_not_its_monday_in_scotland():
    tuesday = at(2026, 4, 7, 15, 0)  # after Good Friday (3rd) and Easter Monday (6th)
    assert latest_start_due_by(tuesday, 1, "ENG") == at(2026, 4, 2, 15, 0)
    assert latest_start_due_by(tuesday, 1, "SCT") == at(2026, 4, 6, 15, 0)


def test_the_cutoff_is_exactly_the_inverse_of_the_clock():
    now = at(2026, 12, 29, 11, 0)  # Christmas and Boxing Day substitutes in between
    cutoff = latest_start_due_by(now, 10, "ENG")
    assert add_working_days(cutoff, 10, "ENG") <= now
    assert add_working_days(cutoff + timedelta(seconds=2), 10, "ENG") > now


def _high(case, by, days_ago):
    change = core.case_risk_set(by=verified(by), case=case, level="high", rationale="Escalating")
    RiskLevelChange.objects.filter(pk=change.pk).update(
        decided_at=timezone.now() - timedelta(days=days_ago)
    )
    return change


def test_a_high_risk_decision_without_a_strategy_meeting_drifts_after_ten_working_days(
    jades_case, amira, jo, jade
):
    change = _high(jades_case, amira, days_ago=20)
    assert list(rules.high_risk_without_strategy_meeting(timezone.now())) == [change]
    services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.STRATEGY_DISCUSSION,
        area=jade.area,
        starts_at=timezone.now() - timedelta(days=2),
        online=True,
        young_people=[jade],
    )
    assert not rules.high_risk_without_strategy_meeting(timezone.now()).exists()


def test_a_recent_high_risk_decision_is_not_yet_drifting(jades_case, amira):
    _high(jades_case, amira, days_ago=5)
    assert not rules.high_risk_without_strategy_meeting(timezone.now()).exists()


def test_a_mace_panel_is_not_a_strategy_meeting(jades_case, amira, jo, jade):
    _high(jades_case, amira, days_ago=20)
    services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.MACE_PANEL,
        area=jade.area,
        starts_at=timezone.now() - timedelta(days=2),
        online=True,
        young_people=[jade],
    )
    assert rules.high_risk_without_strategy_meeting(timezone.now()).exists()


def test_a_level_lowered_since_ends_the_rule(jades_case, amira):
    _high(jades_case, amira, days_ago=20)
    core.case_risk_set(by=verified(amira), case=jades_case, level="medium", rationale="Safer")
    assert not rules.high_risk_without_strategy_meeting(timezone.now()).exists()


def test_a_record_not_distributed_a_working_day_after_drifts(panel, jo):
    chair = panel.participants.get(user=jo)
    services.attendance_record(by=verified(jo), meeting=panel, attendance={chair.pk: "attended"})
    due = panel.record_due_at
    assert not rules.records_not_distributed(due - timedelta(seconds=1)).exists()
    assert list(rules.records_not_distributed(due + timedelta(seconds=1))) == [panel]
    services.distribute(by=verified(jo), meeting=panel, kind="record")
    assert not rules.records_not_distributed(due + timedelta(seconds=1)).exists()


def test_actions_and_plan_reviews_are_overdue_the_day_after_their_date(
    panel, jo, jade, grace, jades_case, amira
):
    today = timezone.localdate()
    action = services.action_add(
        by=verified(jo),
        meeting=panel,
        young_person=jade,
        description="Visit",
        owner=grace,
        due_on=today + timedelta(days=1),
    )
    assert not rules.actions_overdue(today + timedelta(days=1)).exists()
    assert list(rules.actions_overdue(today + timedelta(days=2))) == [action]
    Action.objects.filter(pk=action.pk).update(status="cancelled")
    assert not rules.actions_overdue(today + timedelta(days=2)).exists()
    version = plan_services.plan_review(
        by=verified(amira),
        case=jades_case,
        sections={
            "needs_and_outcomes": "a",
            "young_person_support": "b",
            "disruption_and_investigation": "c",
        },
        consistent_worker=amira,
        review_on=today + timedelta(days=10),
        based_on=0,
    )
    assert not rules.plan_reviews_overdue(today + timedelta(days=10)).exists()
    assert list(rules.plan_reviews_overdue(today + timedelta(days=11))) == [
        PlanVersion.objects.get(pk=version.pk)
    ]
