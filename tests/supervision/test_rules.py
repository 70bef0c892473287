"""The drift engine's rules at their boundaries, and the sweep's guarantees:
idempotent, safe side by side, resolved when the condition ends, escalated
when it lasts, and seen only by those who may see the subject."""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.utils import timezone

from assessments.meetings import services as meeting_services
from assessments.plans import services as plan_services
from assessments.risk import services as assessment_services
from cse_cases import services as core
from cse_cases.working_days import add_working_days
from referrals import services as referral_services
from referrals.models import Referral
from supervision import services
from supervision.models import Escalation, Flag
from tests.conftest import verified, years_before
from tests.referrals.conftest import decide, referral_data
from tests.supervision.conftest import record_returned_episode

LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def open_flags(kind: str):
    return Flag.objects.filter(kind=kind, resolved_at__isnull=True)


@pytest.fixture
def referral(amira, jade, jades_case):
    made, _ = referral_services.referral_create(
        by=verified(amira), data=referral_data(), young_person=jade, idempotency_key=uuid.uuid4()
    )
    return made


def due_after(referral, received: datetime) -> datetime:
    due = add_working_days(received, 1, "ENG")
    Referral.objects.filter(pk=referral.pk).update(received_at=received, decision_due_at=due)
    return due


def test_a_friday_referral_is_overdue_only_after_monday_at_the_same_time(referral):
    due = due_after(referral, at(2026, 11, 20, 15, 0))  # a Friday
    assert due == at(2026, 11, 23, 15, 0)
    services.flags_sweep(now=due, kinds=["referral_decision"])
    assert not open_flags("referral_decision").exists()
    services.flags_sweep(now=due + timedelta(seconds=1), kinds=["referral_decision"])
    flag = open_flags("referral_decision").get()
    assert (flag.subject_id, flag.young_person_id, flag.due_at) == (
        referral.pk,
        referral.young_person_id,
        due,
    )


def test_a_referral_before_christmas_is_due_after_the_bank_holidays(referral):
    due = due_after(referral, at(2026, 12, 24, 15, 0))  # Christmas Friday, Boxing Day Monday
    assert due == at(2026, 12, 29, 15, 0)
    services.flags_sweep(now=at(2026, 12, 28, 23, 0), kinds=["referral_decision"])
    assert not open_flags("referral_decision").exists()
    services.flags_sweep(now=at(2026, 12, 29, 15, 0, 1), kinds=["referral_decision"])
    assert open_flags("referral_decision").count() == 1


def test_a_decision_resolves_the_flag(referral, jo):
    due = due_after(referral, at(2026, 11, 20, 15, 0))
    services.flags_sweep(now=due + timedelta(hours=1), kinds=["referral_decision"])
    referral_services.referral_screening_start(by=verified(jo), referral=referral)
    decide(referral, jo)
    services.flags_sweep(now=due + timedelta(hours=2), kinds=["referral_decision"])
    flag = Flag.objects.get(kind="referral_decision")
    assert flag.resolved_at == due + timedelta(hours=2)
    assert flag.resolution == "The condition cleared"


@pytest.fixture
def returned_episode(jade, amira, jades_case):
    return record_returned_episode(by=amira, young_person=jade)


def test_a_return_interview_is_overdue_after_exactly_72_hours(returned_episode, jades_case, amira):
    returned = returned_episode.returned_at
    services.flags_sweep(now=returned + timedelta(hours=72), kinds=["return_interview"])
    assert not open_flags("return_interview").exists()
    services.flags_sweep(now=returned + timedelta(hours=72, seconds=1), kinds=["return_interview"])
    flag = open_flags("return_interview").get()
    assert flag.owner == amira  # the lead professional of Jade's case
    assert flag.team == amira.team
    assert flag.due_at == returned + timedelta(hours=72)


def test_two_sweeps_raise_the_same_flags_once(referral, returned_episode, jades_case):
    now = timezone.now() + timedelta(days=3)
    services.flags_sweep(now=now)
    first = sorted(Flag.objects.values_list("kind", "subject_id"))
    results = services.flags_sweep(now=now)
    assert sorted(Flag.objects.values_list("kind", "subject_id")) == first
    assert all(r.raised == 0 and r.resolved == 0 for r in results)
    assert ("referral_decision", referral.pk) in first


def test_an_agreed_high_level_marks_the_flag_high_risk_and_it_escalates(
    returned_episode, jades_case, amira, sam, settings
):
    core.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Escalating")
    due = returned_episode.returned_at + timedelta(hours=72)
    services.flags_sweep(now=due + timedelta(minutes=1), kinds=["return_interview"])
    flag = open_flags("return_interview").get()
    assert flag.high_risk
    assert flag.escalation == Escalation.NONE
    later = add_working_days(due, settings.FLAG_ESCALATE_WORKING_DAYS, "ENG") + timedelta(minutes=1)
    services.flags_sweep(now=later, kinds=["return_interview"])
    flag.refresh_from_db()
    assert flag.escalation == Escalation.CSE_LEAD
    assert flag.escalated_to == sam  # Amira's supervisor, and the district's CSE leads


def sweep_past_escalation_at_high_risk(episode, case, lead, settings) -> datetime:
    """Jade's case agreed high, her return interview flag swept once it has
    escalated to the supervisor and the CSE leads; returns that moment."""
    core.case_risk_set(by=verified(lead), case=case, level="high", rationale="Escalating")
    due = episode.returned_at + timedelta(hours=72)
    later = add_working_days(due, settings.FLAG_ESCALATE_WORKING_DAYS, "ENG") + timedelta(minutes=1)
    services.flags_sweep(now=later, kinds=["return_interview"])
    return later


def test_the_digest_reaches_everyone_a_high_risk_flag_was_escalated_to(
    returned_episode, jades_case, amira, sam, jo, rhian, settings, mailoutbox
):
    later = sweep_past_escalation_at_high_risk(returned_episode, jades_case, amira, settings)
    assert services.flag_digests_send(now=later) == 3
    # The owner, her supervisor and Kingsmere's CSE lead; not Afon Valley's.
    assert sorted(e.to[0] for e in mailoutbox) == sorted([amira.email, sam.email, jo.email])
    assert all("Return interview overdue: 1" in e.body for e in mailoutbox)
    assert rhian.email not in {e.to[0] for e in mailoutbox}


def test_a_cse_lead_who_owns_an_escalated_flag_counts_it_once(
    returned_episode, jades_case, amira, jo, settings, mailoutbox
):
    later = sweep_past_escalation_at_high_risk(returned_episode, jades_case, amira, settings)
    Flag.objects.update(owner=jo)
    services.flag_digests_send(now=later)
    (to_jo,) = [e for e in mailoutbox if e.to == [jo.email]]
    assert "Return interview overdue: 1" in to_jo.body


def test_a_date_rule_falls_due_at_midnight_in_london_in_summer(jades_case, jade):
    from cse_cases.models import YoungPerson

    # 17 years 6 months after 1 December 2008 is 1 June 2026, in British Summer Time.
    YoungPerson.objects.filter(pk=jade.pk).update(date_of_birth=date(2008, 12, 1))
    services.flags_sweep(now=at(2026, 7, 1, 12, 0), kinds=["turning_18"])
    assert open_flags("turning_18").get().due_at == at(2026, 6, 1, 0, 0)


def test_a_flag_escalates_to_the_supervisor_after_the_set_working_days(
    returned_episode, jades_case, sam, settings
):
    due = returned_episode.returned_at + timedelta(hours=72)
    services.flags_sweep(now=due + timedelta(minutes=1), kinds=["return_interview"])
    almost = add_working_days(due, settings.FLAG_ESCALATE_WORKING_DAYS, "ENG")
    services.flags_sweep(now=almost - timedelta(seconds=1), kinds=["return_interview"])
    assert open_flags("return_interview").get().escalation == Escalation.NONE
    services.flags_sweep(now=almost, kinds=["return_interview"])
    flag = open_flags("return_interview").get()
    assert (flag.escalation, flag.escalated_to) == (Escalation.SUPERVISOR, sam)


def test_the_database_refuses_a_second_open_flag_for_one_subject(referral):
    from django.db import IntegrityError

    due = due_after(referral, at(2026, 11, 20, 15, 0))
    services.flags_sweep(now=due + timedelta(hours=1), kinds=["referral_decision"])
    flag = Flag.objects.get()
    flag.pk = None
    with pytest.raises(IntegrityError):
        flag.save()


def test_flags_are_seen_only_by_those_who_may_see_the_subject(
    returned_episode, jades_case, amira, grace, ben, tom, jo
):
    from cse_cases import access

    due = returned_episode.returned_at + timedelta(hours=72)
    services.flags_sweep(now=due + timedelta(minutes=1), kinds=["return_interview"])
    for person in (amira, grace, jo):
        assert access.flags_visible_to(verified(person)).count() == 1
    for outsider in (ben, tom):
        assert not access.flags_visible_to(verified(outsider)).exists()


def test_assessment_review_and_action_and_plan_rules(jades_case, amira, jo, jade, grace, template):
    from assessments.models import Assessment

    assessment = assessment_services.assessment_start(by=verified(amira), case=jades_case)
    Assessment.objects.filter(pk=assessment.pk).update(
        status="signed_off",
        judged_level="medium",
        submitted_by=amira,
        signed_off_by=jo,
        signed_off_at=timezone.now() - timedelta(days=100),
        next_review_on=timezone.localdate() - timedelta(days=8),
    )
    meeting = meeting_services.meeting_schedule(
        by=verified(jo),
        kind="cse_strategy_meeting",
        area=jade.area,
        starts_at=timezone.now() - timedelta(hours=1),
        online=True,
        young_people=[jade],
    )
    meeting_services.action_add(
        by=verified(jo),
        meeting=meeting,
        young_person=jade,
        description="Visit",
        owner=grace,
        due_on=timezone.localdate() - timedelta(days=1),
        confirm_past=True,
    )
    services.flags_sweep(now=timezone.now())
    kinds = dict(Flag.objects.values_list("kind", "owner_id"))
    assert kinds["assessment_review"] == amira.pk
    assert kinds["action"] == grace.pk
    assert "plan_review" not in kinds


def test_no_recorded_contact_for_28_days(jades_case, amira):
    from cse_cases.models import Case

    Case.objects.filter(pk=jades_case.pk).update(
        opened_on=timezone.localdate() - timedelta(days=40)
    )
    services.flags_sweep(now=timezone.now(), kinds=["no_contact"])
    assert open_flags("no_contact").count() == 1
    core.case_note_add(
        by=verified(amira), case=jades_case, note_type="contact_young_person", text="Saw Jade"
    )
    services.flags_sweep(now=timezone.now(), kinds=["no_contact"])
    assert not open_flags("no_contact").exists()


def test_contact_counts_from_when_it_happened_not_when_it_was_written(jades_case, amira):
    from cse_cases.models import Case

    Case.objects.filter(pk=jades_case.pk).update(
        opened_on=timezone.localdate() - timedelta(days=90)
    )
    visit = timezone.now() - timedelta(days=35)
    core.case_note_add(
        by=verified(amira),
        case=jades_case,
        note_type="contact_young_person",
        text="Visited Jade at home last month; writing it up now",
        occurred_at=visit,
    )
    services.flags_sweep(now=timezone.now(), kinds=["no_contact"])
    flag = open_flags("no_contact").get()
    assert flag.due_at == visit + timedelta(days=28)


def test_contact_before_the_case_opened_does_not_make_it_overdue(jades_case, amira):
    from cse_cases.models import Case

    # Seen under an earlier case two years ago; this case opened a week ago.
    Case.objects.filter(pk=jades_case.pk).update(
        opened_on=timezone.localdate() - timedelta(days=7),
        last_contact_at=timezone.now() - timedelta(days=730),
    )
    services.flags_sweep(now=timezone.now(), kinds=["no_contact"])
    assert not open_flags("no_contact").exists()


def test_a_young_person_with_no_open_case_still_gets_every_rule_swept(jade, jades_case, amira, jo):
    """A missing episode recorded for a young person whose case has closed
    raises a flag with no owner and no high risk; it does not stop the sweep."""
    core.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Worried")
    episode = record_returned_episode(by=amira, young_person=jade)
    core.case_close(by=verified(jo), case=jades_case, reason="Moved out of the area")
    now = episode.returned_at + timedelta(hours=73)
    results = services.flags_sweep(now=now)
    assert {r.kind for r in results} >= {"return_interview", "no_contact", "strategy_meeting"}
    flag = open_flags("return_interview").get()
    assert (flag.owner, flag.high_risk) == (None, False)


def test_only_contact_moves_the_clock_and_never_backwards(jades_case, amira):
    from cse_cases.models import Case

    recent = timezone.now() - timedelta(days=2)
    core.case_note_add(
        by=verified(amira),
        case=jades_case,
        note_type="contact_family",
        text="Rang mum",
        occurred_at=recent,
    )
    core.case_note_add(
        by=verified(amira),
        case=jades_case,
        note_type="contact_young_person",
        text="Older visit",
        occurred_at=timezone.now() - timedelta(days=20),
    )
    core.case_note_add(
        by=verified(amira), case=jades_case, note_type="case_review", text="Reviewed the case"
    )
    assert Case.objects.get(pk=jades_case.pk).last_contact_at == recent


def test_a_held_return_interview_is_contact(returned_episode, jades_case, amira, grace):
    from cse_cases.models import Case

    held = returned_episode.returned_at + timedelta(hours=20)
    core.return_interview_record(
        by=verified(amira),
        episode=returned_episode,
        data={
            "offered_at": returned_episode.returned_at + timedelta(hours=2),
            "interviewer": grace,
            "interviewer_relationship": "independent",
            "outcome": "held",
            "held_at": held,
            "held_where": "School",
            "young_persons_words": "I want to stay at school",
        },
    )
    assert Case.objects.get(pk=jades_case.pk).last_contact_at == held


def test_the_migration_fills_the_last_contact_from_notes_and_interviews(
    jades_case, amira, jade, returned_episode, grace
):
    import importlib

    from django.apps import apps

    from cse_cases.models import Case, CaseNote, ReturnInterview

    fill = importlib.import_module("cse_cases.migrations.0016_fill_case_last_contact_at").fill
    visit = timezone.now() - timedelta(days=10)
    common = {"young_person": jade, "case": jades_case, "author": amira, "text": "x"}
    CaseNote.objects.bulk_create(
        [
            CaseNote(
                note_type="contact_young_person",
                occurred_at=visit,
                **common,
                author_agency_id=amira.agency_id,
            ),
            CaseNote(
                note_type="other",
                occurred_at=timezone.now(),
                **common,
                author_agency_id=amira.agency_id,
            ),
        ]
    )
    fill(apps, None)
    assert Case.objects.get(pk=jades_case.pk).last_contact_at == visit
    held = timezone.now() - timedelta(days=1)
    ReturnInterview.objects.create(
        episode=returned_episode,
        offered_at=held,
        offered_by=amira,
        interviewer=grace,
        interviewer_relationship="independent",
        outcome="held",
        held_at=held,
        recorded_by=amira,
    )
    fill(apps, None)
    assert Case.objects.get(pk=jades_case.pk).last_contact_at == held


def test_turning_18_needs_a_transition_plan(jades_case, jade, amira):
    from cse_cases.models import YoungPerson

    YoungPerson.objects.filter(pk=jade.pk).update(
        date_of_birth=years_before(timezone.localdate(), 17) - timedelta(days=200)  # past 17½
    )
    services.flags_sweep(now=timezone.now(), kinds=["turning_18"])
    assert open_flags("turning_18").count() == 1
    plan_services.plan_review(
        by=verified(amira),
        case=jades_case,
        sections={
            "needs_and_outcomes": "a",
            "young_person_support": "b",
            "disruption_and_investigation": "c",
            "transition": "Adult social care referral made; leaving-care worker named.",
        },
        consistent_worker=amira,
        review_on=timezone.localdate() + timedelta(days=30),
        based_on=0,
    )
    services.flags_sweep(now=timezone.now(), kinds=["turning_18"])
    assert not open_flags("turning_18").exists()


def test_the_digest_names_no_child(
    ordinary_tuesday, returned_episode, jades_case, amira, mailoutbox
):
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    assert services.flag_digests_send(now=timezone.now()) == 1
    (email,) = mailoutbox
    assert email.to == [amira.email]
    assert "Return interview overdue: 1" in email.body
    assert "Jade" not in email.body
    assert "Morgan" not in email.body


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_raise_each_flag_once(referral):
    due = due_after(referral, at(2026, 11, 20, 15, 0))
    errors = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            services.flags_sweep(now=due + timedelta(hours=1))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert open_flags("referral_decision").count() == 1
