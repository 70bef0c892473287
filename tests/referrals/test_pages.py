"""Referral pages: intake, the queue, the referral, downloads, the chronology."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import AuditEvent, YoungPerson
from referrals import services
from referrals.models import Referral
from tests.conftest import years_before
from tests.factories import posted_as_date_input
from tests.referrals.conftest import pdf, verified

pytestmark = pytest.mark.django_db


def intake(kingsmere, **overrides) -> dict:
    data = {
        "idempotency_key": "8f0d7a1e-3b55-4a53-9a0e-6c1f6f3f2b11",
        "referrer_name": "Sara Lewis",
        "referrer_agency_name": "Kingsmere Academy",
        "referrer_email": "sara.lewis@school.example",
        "identity": "known",
        "legal_first_name": "Kayla",
        "legal_last_name": "Price",
        "date_of_birth": (years_before(timezone.localdate(), 14)).isoformat(),
        "gender": "female",
        "area": kingsmere.pk,
        "concerns": "Picked up from school by an adult in a grey car.",
        "indicators": ["transported"],
        "parents_aware": "no",
        "parents_aware_detail": "Mum may be involved with the driver",
        "consent": "not_sought",
        "consent_not_sought_reason": "Asking could alert the adult",
        "sharing_basis": "safeguarding",
        "urgency": "urgent",
    }
    data.update(overrides)
    return posted_as_date_input(data, "date_of_birth")


def test_a_referral_made_on_the_page_goes_to_the_queue(sara, kingsmere, sign_in) -> None:
    client = sign_in(sara)
    page = client.get(reverse("referral-create")).content.decode()
    assert 'value="Sara Lewis"' in page  # the referrer's details are filled in
    response = client.post(reverse("referral-create"), intake(kingsmere))
    referral = Referral.objects.get()
    assert response.url == reverse("referral", args=[referral.pk])
    assert referral.young_person.legal_first_name == "Kayla"
    assert referral.urgency == "urgent"
    assert referral.sharing_basis == "safeguarding"
    # Sent twice (a double click, a retry): still one referral.
    again = client.post(reverse("referral-create"), intake(kingsmere))
    assert again.url == response.url
    assert Referral.objects.count() == 1


def test_intake_errors_keep_everything_typed(sara, kingsmere, sign_in) -> None:
    data = intake(kingsmere, consent="refused", sharing_basis="", concerns="<b>Bold</b> worry")
    response = sign_in(sara).post(reverse("referral-create"), data)
    page = response.content.decode()
    assert "Choose the lawful basis for sharing" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; worry" in page  # kept, and shown as text
    assert 'value="Kayla"' in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"legal_last_name": ""}, "Enter the young person&#x27;s last name"),
        ({"date_of_birth": "2099-01-01"}, "Date of birth must be today or in the past"),
        ({"identity": "unknown", "legal_first_name": ""}, "Describe the young person"),
        ({"parents_aware": ""}, "Say whether their parents or carers know"),
    ],
)
def test_intake_says_what_is_wrong(sara, kingsmere, sign_in, overrides, message) -> None:
    page = sign_in(sara).post(reverse("referral-create"), intake(kingsmere, **overrides))
    assert message in page.content.decode()
    assert not Referral.objects.exists()


def test_a_hidden_match_is_left_for_the_screener_not_duplicated(
    sara, jade, jades_case, kingsmere, sign_in
) -> None:
    client = sign_in(sara)
    data = intake(
        kingsmere,
        legal_first_name="Jade",
        legal_last_name="Morgan",
        date_of_birth=jade.date_of_birth.isoformat(),
    )
    page = client.post(reverse("referral-create"), data).content.decode()
    assert "A possible match exists in a record you do not have access to" in page
    assert reverse("young-person", args=[jade.pk]) not in page
    client.post(reverse("referral-create"), {**data, "match": "new"})
    referral = Referral.objects.get()
    assert referral.young_person is None
    assert referral.given_name == "Jade Morgan"
    assert "Named by the referrer as Jade Morgan" in referral.subject_description
    assert YoungPerson.objects.count() == 1  # no second record


def test_a_visible_match_can_be_chosen(amira, jade, jades_case, kingsmere, sign_in) -> None:
    client = sign_in(amira)
    data = intake(
        kingsmere,
        legal_first_name="Jayde",
        legal_last_name="Morgan",
        date_of_birth=jade.date_of_birth.isoformat(),
    )
    page = client.post(reverse("referral-create"), data).content.decode()
    assert f'value="{jade.pk}"' in page
    client.post(reverse("referral-create"), {**data, "match": str(jade.pk)})
    assert Referral.objects.get().young_person == jade


def test_an_attachment_is_served_only_through_the_policy(sara, kingsmere, jo, tom, sign_in) -> None:
    referral, _ = services.referral_create(
        by=verified(sara),
        data={
            "referrer_name": "Sara",
            "referrer_agency_name": "School",
            "subject_description": "A girl of 13",
            "concerns": "Worried",
            "parents_aware": "yes",
            "consent": "given",
        },
        identity_unknown=True,
        area=kingsmere,
        attachments=[pdf("letter.pdf")],
    )
    attachment = referral.attachments.get()
    url = reverse("referral-attachment", args=[referral.pk, attachment.pk])
    response = sign_in(jo).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="referralattachment").exists()
    assert sign_in(tom).get(url).status_code == 404


def _referrals(n: int, by, area) -> None:
    for i in range(n):
        services.referral_create(
            by=verified(by),
            data={
                "referrer_name": "Sara",
                "referrer_agency_name": "School",
                "subject_description": f"Young person {i}",
                "concerns": "Worried",
                "parents_aware": "yes",
                "consent": "given",
                "referrer_risk": "high" if i % 2 else "",
            },
            identity_unknown=True,
            area=area,
        )


def test_queue_query_count_is_constant(
    sara, jo, kingsmere, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(jo)
    _referrals(2, sara, kingsmere)
    client.get(reverse("referral-queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referral-queue"), {"sort": "risk"})
    baseline = len(few)
    _referrals(30, sara, kingsmere)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("referral-queue"), {"sort": "risk"})
    assert len(response.context["page"].object_list) == 32


def test_the_queue_shows_time_left_and_overdue_referrals_stand_out(
    sara, jo, kingsmere, sign_in
) -> None:
    _referrals(2, sara, kingsmere)
    late = Referral.objects.order_by("pk").first()
    Referral.objects.filter(pk=late.pk).update(decision_due_at=timezone.now() - timedelta(hours=3))
    page = sign_in(jo).get(reverse("referral-queue")).content.decode()
    assert "Overdue by 3" in page
    assert "left" in page
    overdue_only = sign_in(jo).get(reverse("referral-queue"), {"overdue": "on"})
    assert [r.pk for r in overdue_only.context["page"].object_list] == [late.pk]


def test_the_queue_sorts_by_risk_and_filters_by_urgency(sara, jo, kingsmere, sign_in) -> None:
    _referrals(4, sara, kingsmere)
    client = sign_in(jo)
    rows = client.get(reverse("referral-queue"), {"sort": "risk"}).context["page"].object_list
    assert [r.shown_risk for r in rows] == ["high", "high", None, None]
    assert (
        not client.get(reverse("referral-queue"), {"urgency": "urgent"}).context["page"].object_list
    )


def test_the_referrer_sees_the_outcome_but_not_the_screening(sara, jo, kingsmere, sign_in) -> None:
    _referrals(1, sara, kingsmere)
    referral = Referral.objects.get()
    services.referral_screening_start(by=verified(jo), referral=referral)
    services.referral_decide(
        by=verified(jo),
        referral=referral,
        decision="early_help",
        rationale="Internal reasons about the family",
        feedback="Early help will contact the family this week.",
    )
    client = sign_in(sara)
    assert (
        reverse("referral", args=[referral.pk]) in client.get(reverse("referrals")).content.decode()
    )
    page = client.get(reverse("referral", args=[referral.pk])).content.decode()
    assert "Early help will contact the family this week." in page
    assert "Internal reasons about the family" not in page
    assert "Record the decision" not in page


def test_the_referral_is_on_the_young_persons_chronology(
    amira, jade, jades_case, jo, sign_in
) -> None:
    referral, _ = services.referral_create(
        by=verified(amira),
        data={
            "referrer_name": "Amira",
            "referrer_agency_name": "Children's services",
            "concerns": "Jade was seen at the Station Hotel",
            "parents_aware": "yes",
            "consent": "given",
        },
        young_person=jade,
    )
    page = sign_in(amira).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert f"Referral {referral.reference}" in page
    assert "seen at the Station Hotel" in page


def test_a_half_typed_referral_is_restored_after_a_time_out(sara, kingsmere, sign_in) -> None:
    client = sign_in(sara)
    key = "0b7c1f5e-8f3c-4c57-9d11-3c5a1e1f2a10"
    saved = client.post(
        reverse("draft-save"),
        {
            "form_key": "referral-new",
            "idempotency_key": key,
            "concerns": "She said a man called Ricky <script>x</script> drives her",
            "indicators": ["transported", "gifts_money"],
        },
    )
    assert saved.status_code == 200
    page = client.get(reverse("referral-create")).content.decode()
    assert "Draft restored" in page
    assert "Ricky &lt;script&gt;x&lt;/script&gt; drives her" in page
    assert f'value="{key}"' in page
    assert 'value="gifts_money"' in page
    client.post(reverse("referral-create"), intake(kingsmere, idempotency_key=key))
    assert Referral.objects.count() == 1
    assert "Draft restored" not in client.get(reverse("referral-create")).content.decode()
