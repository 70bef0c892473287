"""A case's points under the weighting scheme, factor by factor, with the
derived factors coming from real records; a worker's load and capacity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cse_cases.models import AgencyKind, CaseMember, PlacementType, Role
from supervision.caseloads import selectors, services
from supervision.models import CaseLoadFactors, WorkerProfile
from tests.conftest import ORDINARY_TUESDAY, verified
from tests.factories import AgencyFactory, CaseFactory, UserFactory
from tests.supervision.conftest import record_returned_episode

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def points_of(case, scheme=None):
    scheme = scheme or selectors.current_scheme()
    return selectors.weighted_cases(
        scheme, type(case).objects.filter(pk=case.pk), timezone.localdate()
    ).get()


def load_of(worker, scheme=None):
    scheme = scheme or selectors.current_scheme()
    now = timezone.now()
    return selectors.worker_loads(
        scheme, type(worker).objects.filter(pk=worker.pk), timezone.localdate(), now
    ).get()


def test_the_default_scheme_is_version_0_until_one_is_published():
    scheme = selectors.current_scheme()
    assert scheme.version == 0
    assert scheme.pk is None
    assert (scheme.points_low, scheme.points_medium, scheme.points_high) == (1, 2, 3)


@pytest.mark.parametrize(
    ("level", "points"), [("not_assessed", 1), ("low", 1), ("medium", 2), ("high", 3)]
)
def test_a_case_with_no_factor_counts_its_risk_level(jades_case, level, points):
    jades_case.risk_level = level
    jades_case.save()
    weighed = points_of(jades_case)
    assert weighed.risk_points == points
    assert weighed.points == points
    assert not any(
        (weighed.many_agencies, weighed.recent_missing, weighed.out_of_area, weighed.travel)
    )


def test_many_agencies_is_derived_from_the_team_around_the_child(jades_case, amira):
    # Amira's agency leads; Grace (health) is in the team: 2 agencies.
    assert points_of(jades_case).agencies == 2
    for kind in (AgencyKind.POLICE, AgencyKind.EDUCATION):
        agency = AgencyFactory(kind=kind)
        CaseMember.objects.create(
            case=jades_case, user=UserFactory(agency=agency), role="x", added_by=amira
        )
    weighed = points_of(jades_case)
    assert weighed.agencies == 4
    assert weighed.many_agencies
    assert weighed.points == 1 + 1  # not assessed, plus many agencies


def test_a_removed_member_or_a_second_worker_of_one_agency_adds_no_agency(jades_case, amira):
    same_agency = UserFactory(agency=amira.agency)
    CaseMember.objects.create(case=jades_case, user=same_agency, role="x", added_by=amira)
    gone = CaseMember.objects.create(
        case=jades_case, user=UserFactory(agency=AgencyFactory()), role="x", added_by=amira
    )
    gone.removed_at = timezone.now()
    gone.save()
    assert points_of(jades_case).agencies == 2


def test_a_missing_episode_in_the_window_counts_and_an_old_one_does_not(jades_case, amira, jade):
    record_returned_episode(by=amira, young_person=jade, days_ago=100)
    assert not points_of(jades_case).recent_missing
    record_returned_episode(by=amira, young_person=jade, days_ago=20)
    weighed = points_of(jades_case)
    assert weighed.recent_missing
    assert weighed.points == 2


def test_out_of_area_comes_from_the_young_persons_placement(jades_case, jade):
    jade.placement_type = PlacementType.OUT_OF_AREA
    jade.save()
    weighed = points_of(jades_case)
    assert weighed.out_of_area
    assert weighed.points == 2


def test_recorded_factors_add_their_points(jades_case, amira):
    services.case_load_factors_set(
        by=verified(amira),
        case=jades_case,
        criminal_proceedings=True,
        sibling_group=True,
        travel_minutes=75,
    )
    weighed = points_of(jades_case)
    assert weighed.criminal_proceedings
    assert weighed.sibling_group
    assert weighed.travel
    assert weighed.points == Decimal(1) + 1 + Decimal("0.5") + Decimal("0.5")


def test_travel_below_the_threshold_adds_nothing(jades_case, amira):
    CaseLoadFactors.objects.create(case=jades_case, travel_minutes=59, updated_by=amira)
    assert not points_of(jades_case).travel


def test_a_published_scheme_weighs_every_load_at_once(jades_case, jo, amira):
    jades_case.risk_level = "high"
    jades_case.save()
    services.weighting_scheme_publish(
        by=verified(type(jo).objects.get(pk=jo.pk)),
        rationale="High-risk cases take more visits",
        settings_={"points_high": Decimal(5)},
    )
    scheme = selectors.current_scheme()
    assert scheme.version == 1
    assert points_of(jades_case, scheme).points == 5
    assert load_of(amira, scheme).load == 5


def test_a_worker_carries_lead_cases_in_full_and_member_cases_at_a_share(jades_case, amira, grace):
    other = CaseFactory(lead_professional=grace, risk_level="medium")
    CaseMember.objects.create(case=other, user=amira, role="Social worker", added_by=grace)
    amira_load = load_of(amira)
    assert (amira_load.led, amira_load.member) == (1, 1)
    assert amira_load.led_points == 1
    assert amira_load.member_points == Decimal("0.50")  # 2 points at 0.25
    assert amira_load.load == Decimal("1.50")


def test_closed_cases_carry_no_load(jades_case, amira):
    jades_case.status = "closed"
    jades_case.closed_on = timezone.localdate()
    jades_case.save()
    assert load_of(amira).load == 0


def test_capacity_is_scaled_by_the_hours_worked(amira, sam):
    services.worker_profile_set(
        by=verified(sam),
        worker=amira,
        weekly_hours=Decimal("18.5"),
        capacity_points=Decimal(20),
        practice_started_on=None,
        version=None,
    )
    assert load_of(amira).capacity == Decimal(10)  # 20 points at 18.5 of 37 hours


def test_a_worker_with_no_agreed_capacity_has_none(amira):
    assert load_of(amira).capacity is None
    assert selectors.load_of(load_of(amira)).percent is None


def test_over_capacity(jades_case, amira, sam):
    WorkerProfile.objects.create(
        user=amira, weekly_hours=37, capacity_points=Decimal("0.5"), updated_by=sam
    )
    bar = selectors.load_of(load_of(amira))
    assert bar.over
    assert bar.percent == 200
    assert bar.bar_percent == 100


def test_every_workers_load_is_one_statement(django_assert_num_queries, kingsmere_social_care):
    workers = [UserFactory(agency=kingsmere_social_care, role=Role.PRACTITIONER) for _ in range(4)]
    for worker in workers:
        CaseFactory(lead_professional=worker)
    scheme = selectors.current_scheme()
    with django_assert_num_queries(1):
        rows = list(
            selectors.worker_loads(
                scheme,
                type(workers[0]).objects.filter(pk__in=[w.pk for w in workers]),
                timezone.localdate(),
                timezone.now(),
            )
        )
    assert [row.load for row in rows] == [1, 1, 1, 1]


def test_the_missing_window_follows_the_scheme(jades_case, amira, jade):
    record_returned_episode(
        by=amira, young_person=jade, returned_at=timezone.now() - timedelta(days=40)
    )
    scheme = selectors.current_scheme()
    scheme.recent_missing_days = 30
    assert not points_of(jades_case, scheme).recent_missing


def test_the_partnership_loads_are_one_statement_and_match_each_workers(
    django_assert_num_queries, jades_case, amira, grace
):
    other = CaseFactory(lead_professional=grace, risk_level="high")
    CaseMember.objects.create(case=other, user=amira, role="x", added_by=grace)
    scheme = selectors.current_scheme()
    with django_assert_num_queries(1):
        loads = selectors.partnership_loads(scheme, timezone.localdate())
    assert loads[amira.pk] == load_of(amira).load == Decimal("1.75")
    assert loads[grace.pk] == load_of(grace).load == Decimal("3.25")
