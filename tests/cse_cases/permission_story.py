"""The permission matrix's story: Jade's case and everything around it, one of each.

One record of every kind the matrix's URLs need (a note, a referral with an
attachment, a missing episode and its interview, an assessment, a meeting and
its action, a plan, a flag, an emergency-access grant, an account change...),
made by the personas in tests/conftest.py so that each persona's sight of it
follows from the access policy alone. Used by the matrix
(tests/cse_cases/test_permission_matrix.py), the narrow-screen check
(tests/browser/test_narrow_screens.py) and the API's schemathesis run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.meetings import services as meeting_services
from assessments.plans import services as plan_services
from assessments.risk import services as assessment_services
from cse_cases import services
from cse_cases.models import BreakGlassGrant, MissingReviewRequest, PossibleDuplicate
from referrals import services as referral_services
from supervision import services as sweep_services
from supervision.models import Flag
from tests.factories import UserFactory, YoungPersonFactory
from tests.supervision.conftest import record_returned_episode

# The cast (tests/conftest.py), and who among them sees what in the story.
PERSONAS = [
    "amira",
    "grace",
    "jo",
    "sam",
    "rhian",
    "ben",
    "tom",
    "cara",
    "priya",
    "alex",
    "dev",
    "iwan",
]
RECORD_ROLES = {"amira", "grace", "jo", "sam", "rhian", "ben", "tom", "cara"}
# Cara's charity has no statutory safeguarding duty: no emergency access.
MAY_BREAK_GLASS = RECORD_ROLES - {"cara"}
SEES_JADE = {"amira", "grace", "jo", "sam"}
EDITS_JADE = {"amira", "grace", "jo"}
EVERYONE = set(PERSONAS)
INTELLIGENCE = {"jo", "rhian", "tom"}  # CSE leads and police
# Restricted Kingsmere intelligence: Kingsmere's police and CSE lead (Jo) only.
KINGSMERE_INTELLIGENCE = {"jo"}
# Ben referred a girl not yet identified, in Kingsmere: he follows it; Jo (CSE
# lead) and Sam (duty manager) screen Kingsmere's queue.
SEES_REFERRAL = {"ben", "jo", "sam"}
SCREENERS = {"jo", "sam", "rhian"}
DECIDES_REFERRAL = {"jo", "sam"}
COMPLETES = {"amira", "jo"}  # Jade's lead professional and her district's CSE lead
SIGNS_OFF = {"jo", "sam"}  # the CSE lead, and the lead professional's supervisor
CSE_LEADS = {"jo", "rhian"}


def ok_for(allowed: set[str], ok: int = 200) -> dict[str, int]:
    """A row's expected answers: `ok` for these personas, 404 for the rest."""
    return {p: (ok if p in allowed else 404) for p in PERSONAS}


@pytest.fixture
def story(request, jade, jades_case, kingsmere_team, grace, amira, template):
    return build_story(request.getfixturevalue)


def build_story(person: Callable[[str], Any]) -> dict[str, Any]:
    """The story's records, made by the cast `person(name)` gives: the fixtures
    (``story`` above), or a ``tests.cast.Cast`` where a module makes it once."""
    jade, jades_case, kingsmere_team, grace, amira = (
        person(name) for name in ("jade", "jades_case", "kingsmere_team", "grace", "amira")
    )
    person("template")
    member = jades_case.members.get(user=grace)
    amira.is_verified = lambda: True
    note = services.case_note_add(
        by=amira, case=jades_case, note_type="contact_young_person", text="Met Jade at school"
    )
    jo = person("jo")
    jo.is_verified = lambda: True
    suspect = services.person_of_concern_create(by=jo, name="Ricky Vale")
    place = services.location_create(by=jo, name="Station Hotel", kind="hotel", area=jade.area)
    link = services.link_create(
        by=jo,
        young_person=jade,
        person=suspect,
        source="Seen together by police",
        source_grading="1",
        information_grading="B",
    )
    shared_suspect = services.person_of_concern_create(by=jo, name="Dean Harte", area=jade.area)
    services.person_of_concern_share(
        by=jo,
        person=shared_suspect,
        area=person("afon_valley"),
        purpose="Seen with Afon Valley children",
        lawful_basis="safeguarding",
    )
    ben = person("ben")
    ben.is_verified = lambda: True
    referral, _ = referral_services.referral_create(
        by=ben,
        data={
            "referrer_name": "Ben Carter",
            "referrer_agency_name": "Kingsmere Children's Services",
            "subject_description": "A girl of about 13 seen at the Station Hotel",
            "concerns": "Seen with older men",
            "parents_aware": "not_known",
            "consent": "not_sought",
            "consent_not_sought_reason": "Not known who she is",
            "sharing_basis": "safeguarding",
        },
        identity_unknown=True,
        area=jade.area,
        attachments=[SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    seen = timezone.now() - timedelta(hours=30)
    episode = record_returned_episode(
        by=amira,
        young_person=jade,
        returned_at=seen + timedelta(hours=8),
        missing_for=timedelta(hours=8),
    )
    interview = services.return_interview_record(
        by=amira,
        episode=episode,
        data={
            "offered_at": seen + timedelta(hours=10),
            "interviewer": grace,
            "interviewer_relationship": "independent",
            "outcome": "held",
            "held_at": seen + timedelta(hours=12),
        },
    )
    review = MissingReviewRequest.objects.create(young_person=jade, episode_count=3)
    assessment = assessment_services.assessment_start(by=amira, case=jades_case)
    meeting = meeting_services.meeting_schedule(
        by=jo,
        kind="strategy_discussion",
        area=jade.area,
        starts_at=timezone.now() - timedelta(hours=1),
        online=True,
        young_people=[jade],
    )
    meeting_services.participant_add(by=jo, meeting=meeting, user=grace)
    action = meeting_services.action_add(
        by=jo,
        meeting=meeting,
        young_person=jade,
        description="Sexual health appointment",
        owner=grace,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    sweep_services.flags_sweep(now=timezone.now(), kinds=["repeat_missing"])
    flag = Flag.objects.get(kind="repeat_missing")
    plan_version = plan_services.plan_review(
        by=amira,
        case=jades_case,
        sections={
            "needs_and_outcomes": "Safe",
            "young_person_support": "Weekly",
            "disruption_and_investigation": "Notices",
        },
        consistent_worker=amira,
        review_on=timezone.localdate() + timedelta(days=30),
        based_on=0,
    )
    # Emergency access to Jade's case by someone outside the story's personas,
    # so it changes no persona's sight of her.
    grant = BreakGlassGrant.objects.create(
        case=jades_case,
        user=UserFactory(role="practitioner", agency=amira.agency),
        reason="Found late at night, no one reachable",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    alex = person("alex")
    alex.is_verified = lambda: True
    account_change = services.account_update(
        by=alex, account=ben, data={"role": "cse_lead"}, reason="New post"
    ).pending
    other = YoungPersonFactory(area=jade.area, created_by=amira)
    duplicate = PossibleDuplicate.objects.create(young_person=other, match=jade, raised_by=amira)
    return {
        "suspect": suspect,
        "shared_suspect": shared_suspect,
        "link": link,
        "place": place,
        "duplicate": duplicate,
        "jade": jade,
        "case": jades_case,
        "member": member,
        "team": kingsmere_team,
        "note": note,
        "referral": referral,
        "episode": episode,
        "interview": interview,
        "review": review,
        "attachment": referral.attachments.get(),
        "assessment": assessment,
        "template": assessment.template,
        "meeting": meeting,
        "subject": meeting.subjects.get(),
        "action": action,
        "plan": plan_version.plan,
        "flag": flag,
        "grant": grant,
        "account_change": account_change,
    }


def amiras_token(s: dict):
    from cse_cases.services import tokens

    return tokens.api_token_create_by_command(
        user=s["case"].lead_professional, name="Case system"
    ).token
