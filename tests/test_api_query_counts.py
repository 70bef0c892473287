"""Every API list runs a fixed number of SQL queries, however many records it
returns: measured with one young person's worth of everything, then again
after two more young people, each with a case, a note, a missing episode and
its return interview, a referral, an assessment, a meeting, an action, a plan,
a context link and an overdue flag. The first young person's worth is made
once for the module; each test adds the two more in its own transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.meetings import services as meeting_services
from assessments.plans import services as plan_services
from assessments.risk import services as assessment_services
from cse_cases import services as core
from referrals import services as referral_services
from supervision import services as flag_services
from tests.cast import Cast
from tests.conftest import ORDINARY_TUESDAY, verified
from tests.factories import CaseFactory, YoungPersonFactory, api_token_key
from tests.referrals.conftest import referral_data
from tests.supervision.conftest import record_returned_episode

# A meeting "an hour ago", actions and reviews due in days, a sweep's flags
# (escalation counts working days): from one ordinary working day.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]

LISTS = [
    "young-person-list",
    "case-list",
    "case-note-list",
    "person-of-concern-api-list",
    "location-api-list",
    "context-link-list",
    "referral-api-list",
    "missing-episode-api-list",
    "return-interview-api-list",
    "assessment-api-list",
    "assessment-template-api-list",
    "meeting-api-list",
    "action-api-list",
    "plan-api-list",
    "flag-api-list",
]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def everything_about_a_young_person(*, kingsmere, amira, jo, grace) -> None:
    lead, chair = verified(amira), verified(jo)
    young_person = YoungPersonFactory(area=kingsmere, created_by=amira)
    case = CaseFactory(young_person=young_person, lead_professional=amira)
    core.case_note_add(by=lead, case=case, note_type="contact_young_person", text="Home visit")
    episode = record_returned_episode(by=amira, young_person=young_person, days_ago=5)
    core.return_interview_record(
        by=lead,
        episode=episode,
        data={
            "offered_at": episode.returned_at + timedelta(hours=2),
            "interviewer": grace,
            "interviewer_relationship": "independent",
            "outcome": "held",
            "held_at": episode.returned_at + timedelta(hours=4),
        },
    )
    record_returned_episode(by=amira, young_person=young_person, days_ago=6)
    referral_services.referral_create(
        by=lead, data=referral_data(), young_person=young_person, idempotency_key=uuid.uuid4()
    )
    assessment_services.assessment_start(by=lead, case=case)
    meeting = meeting_services.meeting_schedule(
        by=chair,
        kind="strategy_discussion",
        area=kingsmere,
        starts_at=timezone.now() - timedelta(hours=1),
        online=True,
        young_people=[young_person],
    )
    meeting_services.participant_add(by=chair, meeting=meeting, user=amira)
    meeting_services.action_add(
        by=chair,
        meeting=meeting,
        young_person=young_person,
        description="Arrange a health appointment",
        owner=amira,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    plan_services.plan_review(
        by=lead,
        case=case,
        sections={
            "needs_and_outcomes": "Safe at home",
            "young_person_support": "Weekly sessions",
            "disruption_and_investigation": "Notices served",
        },
        consistent_worker=amira,
        review_on=timezone.localdate() + timedelta(days=30),
        based_on=0,
    )
    # Not restricted, so the lead professional sees them too.
    person = core.person_of_concern_create(
        by=chair, name=f"Person {young_person.pk}", restricted=False
    )
    place = core.location_create(
        by=chair, name=f"Place {young_person.pk}", kind="hotel", area=kingsmere
    )
    for other in (person, place):
        core.link_create(
            by=chair,
            young_person=young_person,
            **({"person": other} if other is person else {"location": other}),
            source="Seen together by police",
            source_grading="1",
            information_grading="B",
            restricted=False,
        )
    flag_services.flags_sweep(now=timezone.now(), kinds=["return_interview"])


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    """Kingsmere with Jade's case and one young person's worth of everything,
    made on ORDINARY_TUESDAY once for the module (the tests' clock, as the
    module's marker sets it) in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(ORDINARY_TUESDAY):
            cast = Cast()
            for name in ("jade", "jades_case", "template"):
                cast(name)
            people = {name: cast(name) for name in ("kingsmere", "amira", "jo", "grace")}
            everything_about_a_young_person(**people)
        yield people
        transaction.set_rollback(True)


@pytest.mark.parametrize("reader", ["jo", "amira"])
@pytest.mark.parametrize("name", LISTS)
def test_an_api_list_runs_a_fixed_number_of_queries(
    name, reader, district, django_assert_max_num_queries
):
    """Read by Kingsmere's CSE lead (every record in the district) and by
    Amira, the lead professional (her own cases, through another path of
    the access policy)."""
    people = district
    client = api(people[reader])
    url = reverse(name)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    for _ in range(2):
        everything_about_a_young_person(**people)
    with django_assert_max_num_queries(len(before.captured_queries)):
        after = client.get(url)
    assert after.status_code == 200
    body = after.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    if name != "assessment-template-api-list":  # templates do not grow with records
        assert len(rows) > len(
            first.json()["results"] if isinstance(first.json(), dict) else first.json()
        ), "the list did not grow, so the test measured nothing"
