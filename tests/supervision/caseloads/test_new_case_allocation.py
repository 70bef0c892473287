"""A new case's first lead professional is chosen on the referral's decision
form (by Kingsmere's CSE lead, Jo, or a duty manager such as Sam); the
allocation page (/cases/<id>/allocate/) moves a case that already has one.
The decision form shows what the move form shows: each candidate's load now,
with the new case, against capacity, and the child's continuity.

Sara refers Kayla (no case yet), screened at high risk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import PlacementType, User
from referrals import services
from supervision.caseloads import selectors
from supervision.models import WorkerProfile
from tests.conftest import ORDINARY_TUESDAY, verified, years_before
from tests.referrals.conftest import referral_data
from tests.supervision.conftest import record_returned_episode

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


@pytest.fixture
def kaylas_referral(sara, kingsmere, jo):
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(),
        new_young_person={
            "legal_first_name": "Kayla",
            "legal_last_name": "Price",
            "date_of_birth": years_before(timezone.localdate(), 14),
            "area": kingsmere,
        },
    )
    referral = services.referral_screening_start(by=verified(jo), referral=referral)
    return services.referral_screening_update(
        by=verified(jo),
        referral=referral,
        version=referral.version,
        risk_level="high",
        screening_notes="An adult of concern collects her from school.",
    )


def capacity(worker, points: int, by) -> None:
    WorkerProfile.objects.update_or_create(
        user=worker,
        defaults={
            "weekly_hours": Decimal(37),
            "capacity_points": Decimal(points),
            "updated_by": by,
        },
    )


def test_the_decision_form_shows_each_candidates_load_with_the_new_case(
    sign_in, jo, sam, amira, jades_case, kaylas_referral
):
    capacity(amira, 10, sam)
    page = sign_in(jo).get(reverse("referral-decide", args=[kaylas_referral.pk])).content.decode()
    assert 'id="candidates"' in page
    assert "The new case will be 3 points at the screened risk level" in page
    # Amira leads Jade's case (1 point, not yet assessed); with Kayla's, 4 of 10.
    assert "1 of 10 points (10%)" in page
    assert "4 of 10 points (40%)" in page
    assert "has had 0 lead professionals in the last 12 months" in page
    assert "No plan names a consistent worker" in page


def test_a_duty_manager_sees_the_loads_of_their_own_team_only(
    sign_in, sam, amira, ben, kaylas_referral
):
    """Sam decides Kingsmere's referrals too; Ben (no team) is offered as a
    lead, but his caseload is not Sam's to read."""
    response = sign_in(sam).get(reverse("referral-decide", args=[kaylas_referral.pk]))
    assert response.status_code == 200
    choices = response.context["form"].fields["lead_professional"].choices
    assert str(ben.pk) in {str(value) for value, _ in choices}
    shown = {row.pk for row in response.context["new_case"].rows}
    assert amira.pk in shown
    assert ben.pk not in shown


def test_a_practitioner_without_caseload_access_sees_no_loads(amira, ben, kaylas_referral):
    found = selectors.new_case_allocation(
        verified(amira),
        kaylas_referral.young_person,
        "high",
        User.objects.filter(pk__in=[amira.pk, ben.pk]),
    )
    assert [row.pk for row in found.rows] == [amira.pk]  # her own, never Ben's


def test_the_new_case_weighs_what_the_record_already_shows(jo, kaylas_referral):
    kayla = kaylas_referral.young_person
    scheme = selectors.current_scheme()
    today = timezone.localdate()
    assert selectors.new_case_points(scheme, kayla, "high", today) == scheme.points_high
    record_returned_episode(by=jo, young_person=kayla, days_ago=10)
    kayla.placement_type = PlacementType.OUT_OF_AREA
    kayla.save()
    assert selectors.new_case_points(scheme, kayla, "", today) == (
        scheme.points_not_assessed + scheme.points_recent_missing + scheme.points_out_of_area
    )


def test_with_an_open_case_there_is_nothing_to_allocate_here(
    sign_in, jo, jade, jades_case, kaylas_referral
):
    """Jade already has a case: the decision joins it, and moving it is the
    allocation page's work."""
    kaylas_referral.young_person = jade
    kaylas_referral.save()
    response = sign_in(jo).get(reverse("referral-decide", args=[kaylas_referral.pk]))
    assert response.context["new_case"] is None
    assert 'id="candidates"' not in response.content.decode()
