"""Referral services: intake, the state machine, decisions and routing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cse_cases.models import AuditEvent, Case, CaseStatus
from cse_cases.services import EditConflict, RecordError
from referrals import services
from referrals.models import MeetingRequest, Referral, ReferralStatus, ReferralTransfer
from tests.conftest import years_before
from tests.referrals.conftest import PDF, PNG, decide, pdf, referral_data, verified

pytestmark = pytest.mark.django_db


def screened(referral, by):
    return services.referral_screening_start(by=verified(by), referral=referral)


# --- Intake ------------------------------------------------------------------------


def test_a_referral_about_a_new_young_person_creates_their_record(sara, kingsmere) -> None:
    referral, created = services.referral_create(
        by=verified(sara),
        data=referral_data(),
        new_young_person={
            "legal_first_name": "Kayla",
            "legal_last_name": "Price",
            "date_of_birth": years_before(timezone.localdate(), 14),
            "area": kingsmere,
        },
        idempotency_key=uuid.uuid4(),
    )
    assert created
    assert referral.young_person.legal_first_name == "Kayla"
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.area == kingsmere
    assert referral.decision_due_at > referral.received_at
    assert referral.transitions.get().to_status == ReferralStatus.RECEIVED
    assert AuditEvent.objects.filter(object_type="referral", action="create").exists()


def test_identity_not_yet_known_needs_a_description_and_an_area(sara, kingsmere) -> None:
    with pytest.raises(RecordError) as error:
        services.referral_create(
            by=verified(sara), data=referral_data(), identity_unknown=True, area=kingsmere
        )
    assert error.value.field == "subject_description"
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(subject_description="Girl of about 13 called 'Kay', seen at the hotel"),
        identity_unknown=True,
        area=kingsmere,
    )
    assert referral.young_person is None
    assert referral.subject_name == "Identity not yet known"


def test_the_same_form_sent_twice_makes_one_referral(sara, kingsmere) -> None:
    key = uuid.uuid4()
    kwargs = {
        "by": verified(sara),
        "data": referral_data(subject_description="A girl of 13"),
        "identity_unknown": True,
        "area": kingsmere,
        "idempotency_key": key,
    }
    first, created = services.referral_create(**kwargs)
    again, created_again = services.referral_create(**kwargs)
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"concerns": "  "}, "concerns"),
        ({"consent": "not_sought", "sharing_basis": "safeguarding"}, "consent_not_sought_reason"),
        ({"consent": "refused"}, "sharing_basis"),
        ({"referrer_agency_name": ""}, "referrer_agency_name"),
    ],
)
def test_bad_intake_is_refused_with_the_field_at_fault(sara, kingsmere, overrides, field) -> None:
    with pytest.raises(RecordError) as error:
        services.referral_create(
            by=verified(sara),
            data=referral_data(subject_description="A boy of 15", **overrides),
            identity_unknown=True,
            area=kingsmere,
        )
    assert error.value.field == field
    assert not Referral.objects.exists()


def test_a_received_time_in_the_future_is_refused(sara, kingsmere) -> None:
    with pytest.raises(RecordError, match="must not be in the future"):
        services.referral_create(
            by=verified(sara),
            data=referral_data(subject_description="A boy of 15"),
            identity_unknown=True,
            area=kingsmere,
            received_at=timezone.now() + timedelta(days=1),
        )


def test_a_referral_about_an_adult_is_refused_with_where_to_go(sara, kingsmere) -> None:
    with pytest.raises(RecordError, match="adult safeguarding") as error:
        services.referral_create(
            by=verified(sara),
            data=referral_data(),
            new_young_person={
                "legal_first_name": "Lee",
                "legal_last_name": "Hart",
                "date_of_birth": years_before(timezone.localdate(), 19),
                "area": kingsmere,
            },
        )
    assert error.value.field == "date_of_birth"


def test_a_referrer_cannot_attach_a_record_they_may_not_see(sara, jade, jades_case) -> None:
    with pytest.raises(RecordError):
        services.referral_create(by=verified(sara), data=referral_data(), young_person=jade)


# --- Attachments ------------------------------------------------------------------------


def test_attachments_are_checked_by_content_and_stored_privately(sara, kingsmere, settings) -> None:
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(subject_description="A girl of 13"),
        identity_unknown=True,
        area=kingsmere,
        attachments=[pdf(), SimpleUploadedFile("photo.PNG", PNG)],
    )
    files = list(referral.attachments.all())
    assert [(f.name, f.content_type) for f in files] == [
        ("notes.pdf", "application/pdf"),
        ("photo.PNG", "image/png"),
    ]
    stored = files[0].file.path
    assert stored.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "notes" not in stored  # stored under a generated name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 not a pdf"), "not a PDF"),
        (SimpleUploadedFile("script.exe", b"MZ\x90\x00"), "not a PDF"),
        (SimpleUploadedFile("photo.jpg", PDF), "does not match its name"),
        (SimpleUploadedFile("empty.pdf", b""), "is empty"),
    ],
)
def test_unsupported_or_disguised_files_are_refused(sara, kingsmere, upload, message) -> None:
    with pytest.raises(RecordError, match=message) as error:
        services.referral_create(
            by=verified(sara),
            data=referral_data(subject_description="A girl of 13"),
            identity_unknown=True,
            area=kingsmere,
            attachments=[upload],
        )
    assert error.value.field == "attachments"
    assert not Referral.objects.exists()


def test_an_oversized_file_is_refused(sara, kingsmere, settings) -> None:
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(RecordError, match="or smaller"):
        services.referral_create(
            by=verified(sara),
            data=referral_data(subject_description="A girl of 13"),
            identity_unknown=True,
            area=kingsmere,
            attachments=[pdf(content=PDF + b"0" * 2048)],
        )


# --- The state machine ------------------------------------------------------------------


def test_illegal_transitions_are_refused(make_referral, kingsmere, jo) -> None:
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    with pytest.raises(services.IllegalTransition, match="received, so it cannot be decided"):
        decide(referral, jo)
    with pytest.raises(services.IllegalTransition):
        services.referral_close(by=verified(jo), referral=referral)
    with pytest.raises(services.IllegalTransition):
        services.referral_reopen(by=verified(jo), referral=referral, reason="New information")
    screened(referral, jo)
    with pytest.raises(services.IllegalTransition):
        screened(referral, jo)
    decide(referral, jo)
    with pytest.raises(services.IllegalTransition):
        decide(referral, jo)
    with pytest.raises(services.IllegalTransition):
        services.referral_transfer(
            by=verified(jo), referral=referral, to_area=kingsmere, reason="x"
        )
    services.referral_close(by=verified(jo), referral=referral)
    referral.refresh_from_db()
    assert [t.to_status for t in referral.transitions.all()] == [
        "received",
        "screening",
        "decided",
        "closed",
    ]


def test_reopening_needs_a_reason_and_starts_a_new_clock(make_referral, kingsmere, jo) -> None:
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    screened(referral, jo)
    decide(referral, jo)
    with pytest.raises(RecordError, match="reason"):
        services.referral_reopen(by=verified(jo), referral=referral, reason=" ")
    reopened = services.referral_reopen(
        by=verified(jo), referral=referral, reason="The school reports she went missing again"
    )
    assert reopened.status == ReferralStatus.SCREENING
    assert reopened.decision == ""
    assert reopened.decision_due_at > timezone.now()
    last = reopened.transitions.last()
    assert "went missing again" in last.reason
    assert "Earlier decision: Early help" in last.reason


def test_only_the_districts_screeners_decide(make_referral, kingsmere, jo, rhian, amira, sara):
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    for outsider in (rhian, amira, sara):
        with pytest.raises(PermissionDenied):
            services.referral_screening_start(by=verified(outsider), referral=referral)
    screened(referral, jo)
    with pytest.raises(PermissionDenied):
        decide(referral, rhian)


def test_an_assigned_worker_screens_but_does_not_decide(make_referral, kingsmere, jo, amira):
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    services.referral_assign(by=verified(jo), referral=referral, worker=amira)
    screened(referral, amira)
    with pytest.raises(PermissionDenied):
        decide(referral, amira)


def test_two_screeners_saving_at_once_the_second_is_told(make_referral, kingsmere, jo, sam):
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    referral = screened(referral, jo)
    read_at = referral.version
    services.referral_screening_update(
        by=verified(jo),
        referral=referral,
        version=read_at,
        risk_level="high",
        screening_notes="Police know the driver.",
    )
    with pytest.raises(EditConflict):
        services.referral_screening_update(
            by=verified(sam),
            referral=referral,
            version=read_at,
            risk_level="low",
            screening_notes="School say all well.",
        )
    referral.refresh_from_db()
    assert referral.risk_level == "high"


# --- Decisions ----------------------------------------------------------------------------


def test_a_cse_assessment_opens_the_case_and_tells_the_referrer(
    make_referral, kingsmere, jo, amira, sara
) -> None:
    referral = make_referral(
        new_young_person={
            "legal_first_name": "Kayla",
            "legal_last_name": "Price",
            "date_of_birth": years_before(timezone.localdate(), 14),
            "area": kingsmere,
        }
    )
    screened(referral, jo)
    decided = decide(referral, jo, "cse_assessment", lead_professional=amira)
    case = Case.objects.get(young_person=referral.young_person)
    assert decided.case == case
    assert case.lead_professional == amira
    assert case.status == CaseStatus.OPEN
    # The email goes once the decision commits (a task); the service sends it.
    assert services.referral_feedback_send(referral_id=decided.pk)
    assert not services.referral_feedback_send(referral_id=decided.pk)  # not twice
    (email,) = mail.outbox
    assert email.to == ["sara.lewis@school.example"]
    assert "CSE assessment" in email.subject
    assert "Kayla" not in email.body  # feedback by email names no child


def test_a_cse_assessment_joins_the_open_case(make_referral, jade, jades_case, amira, jo):
    referral = make_referral(by=amira, young_person=jade)
    screened(referral, jo)
    decided = decide(referral, jo, "cse_assessment")
    assert decided.case == jades_case
    assert Case.objects.filter(young_person=jade).count() == 1


def test_a_cse_assessment_needs_a_known_young_person(make_referral, kingsmere, jo):
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    screened(referral, jo)
    with pytest.raises(RecordError, match="identify them first"):
        decide(referral, jo, "cse_assessment")


def test_a_strategy_discussion_asks_for_a_meeting(make_referral, jade, jades_case, amira, jo):
    referral = make_referral(by=amira, young_person=jade)
    screened(referral, jo)
    decide(referral, jo, "strategy_discussion")
    request = MeetingRequest.objects.get(referral=referral)
    assert request.young_person == jade
    assert request.area == jade.area


@pytest.mark.parametrize(
    ("decision", "missing", "field"),
    [
        ("no_further_action", {}, "advice"),
        ("refer_elsewhere", {}, "referred_on_to"),
        ("early_help", {"rationale": " "}, "rationale"),
        ("early_help", {"feedback": ""}, "feedback"),
    ],
)
def test_a_decision_needs_its_reasons(make_referral, kingsmere, jo, decision, missing, field):
    referral = make_referral(
        data={"subject_description": "A girl"}, identity_unknown=True, area=kingsmere
    )
    screened(referral, jo)
    with pytest.raises(RecordError) as error:
        decide(referral, jo, decision, **missing)
    assert error.value.field == field


# --- Re-referral and cross-border ---------------------------------------------------------


def test_a_re_referral_within_twelve_months_is_detected(make_referral, jade, jades_case, amira):
    old = make_referral(by=amira, young_person=jade)
    Referral.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=300))
    newer = make_referral(by=amira, young_person=jade)
    assert newer.previous_referral == old
    Referral.objects.filter(pk__in=[old.pk, newer.pk]).update(
        received_at=timezone.now() - timedelta(days=400)
    )
    assert make_referral(by=amira, young_person=jade).previous_referral is None


def test_a_referral_about_a_child_in_another_area_goes_to_that_queue(
    make_referral, sara, kingsmere, afon_valley, jo, rhian
) -> None:
    referral = make_referral(
        new_young_person={
            "legal_first_name": "Cerys",
            "legal_last_name": "Pugh",
            "date_of_birth": years_before(timezone.localdate(), 15),
            "area": afon_valley,
        }
    )
    assert referral.area == afon_valley
    assert referral.received_in_area == kingsmere
    move = ReferralTransfer.objects.get(referral=referral)
    assert (move.from_area, move.to_area) == (kingsmere, afon_valley)
    from cse_cases import access

    assert access.referral_queue(verified(rhian)).filter(pk=referral.pk).exists()
    assert not access.referral_queue(verified(jo)).filter(pk=referral.pk).exists()
    # Kingsmere still sees that it moved.
    assert access.referrals_visible_to(verified(jo)).filter(pk=referral.pk).exists()


def test_moving_a_referral_recomputes_the_clock_by_the_new_nation(
    make_referral, kingsmere, afon_valley, jo
) -> None:
    referral = make_referral(
        data={"subject_description": "A boy"}, identity_unknown=True, area=kingsmere
    )
    moved = services.referral_transfer(
        by=verified(jo), referral=referral, to_area=afon_valley, reason="Lives in Afon Valley"
    )
    assert moved.area == afon_valley
    assert moved.assigned_to is None
    with pytest.raises(PermissionDenied):
        services.referral_transfer(
            by=verified(jo), referral=moved, to_area=kingsmere, reason="back"
        )
