"""Open flags follow their subject: when Jade moves district, when her worker
moves team, or when a duplicate record is merged into hers, the next sweep
(or the merge itself) gives her open flags the new district, young person,
owner and team, so escalation reaches the right supervisor and CSE leads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cse_cases import services as core
from supervision import selectors, services
from supervision.models import Escalation, Flag
from tests.conftest import ORDINARY_TUESDAY, verified
from tests.factories import CaseFactory, TeamFactory, UserFactory, YoungPersonFactory
from tests.supervision.conftest import record_returned_episode

# Escalation counts working days: from one ordinary working day, whatever
# day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


@pytest.fixture
def high_risk_flag(jade, jades_case, amira):
    """Jade's overdue return interview, at high risk: once it ages it goes to
    Amira's supervisor and the district's CSE leads."""
    core.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Escalating")
    episode = record_returned_episode(by=amira, young_person=jade, days_ago=5)
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    return Flag.objects.get(kind="return_interview", subject_id=episode.pk, resolved_at=None)


def test_when_jade_moves_to_afon_valley_her_flags_escalate_to_its_cse_lead(
    high_risk_flag, jade, amira, jo, rhian, kingsmere, afon_valley
) -> None:
    assert high_risk_flag.area == kingsmere
    core.young_person_update(
        by=verified(amira), young_person=jade, version=jade.version, data={"area": afon_valley}
    )
    later = timezone.now() + timedelta(days=14)
    services.flags_sweep(now=later, kinds=["return_interview"])

    high_risk_flag.refresh_from_db()
    assert high_risk_flag.resolved_at is None  # the same flag, moved
    assert high_risk_flag.area == afon_valley
    assert high_risk_flag.escalation == Escalation.CSE_LEAD
    assert high_risk_flag in selectors.my_flags(verified(rhian))
    assert high_risk_flag not in selectors.my_flags(verified(jo))


def test_a_steady_sweep_after_a_move_changes_nothing(high_risk_flag, jade, amira, afon_valley):
    core.young_person_update(
        by=verified(amira), young_person=jade, version=jade.version, data={"area": afon_valley}
    )
    now = timezone.now()
    first = services.flags_sweep(now=now)
    assert sum(r.updated for r in first) >= 1
    again = services.flags_sweep(now=now)
    assert all((r.raised, r.updated, r.resolved) == (0, 0, 0) for r in again)


def test_when_the_worker_moves_team_the_flag_goes_to_the_new_supervisor(
    high_risk_flag, amira, sam, kingsmere_team, kingsmere_social_care, kingsmere, settings
) -> None:
    services.flags_sweep(now=timezone.now() + timedelta(days=14), kinds=["return_interview"])
    high_risk_flag.refresh_from_db()
    assert (high_risk_flag.team, high_risk_flag.escalated_to) == (kingsmere_team, sam)

    nia = UserFactory(
        username="nia", role="supervisor", agency=kingsmere_social_care, areas=[kingsmere]
    )
    other_team = TeamFactory(name="Edge of care", agency=kingsmere_social_care, supervisor=nia)
    amira.team = other_team
    amira.save()
    services.flags_sweep(now=timezone.now() + timedelta(days=15), kinds=["return_interview"])

    high_risk_flag.refresh_from_db()
    assert (high_risk_flag.owner, high_risk_flag.team) == (amira, other_team)
    assert high_risk_flag.escalated_to == nia
    assert high_risk_flag in selectors.my_flags(verified(nia))


def test_a_merge_moves_the_duplicates_flags_to_the_kept_record_at_once(
    jade, jades_case, jo, rhian, tom, afon_valley, kingsmere
) -> None:
    """A duplicate opened in Afon Valley for Jade: its flags come to Kingsmere
    with the merge, before any sweep, and the sweep then gives them Jade's
    lead professional."""
    twin = YoungPersonFactory(area=afon_valley, created_by=tom)
    CaseFactory(young_person=twin, lead_professional=rhian)
    episode = record_returned_episode(by=rhian, young_person=twin, days_ago=5)
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    flag = Flag.objects.get(kind="return_interview", subject_id=episode.pk, resolved_at=None)
    assert (flag.young_person, flag.area) == (twin, afon_valley)

    core.young_people_merge(by=verified(jo), keep=jade, duplicate=twin, reason="Same girl")
    flag.refresh_from_db()
    assert (flag.young_person, flag.area) == (jade, kingsmere)

    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    flag.refresh_from_db()
    assert flag.resolved_at is None
    assert flag.owner == jades_case.lead_professional
    assert flag in selectors.my_flags(verified(jades_case.lead_professional))
