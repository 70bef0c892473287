"""An aged "Supervision overdue" flag is owned by the supervisor who is late:
it escalates to whoever supervises them, or, with no one above them, to the
district's CSE leads, never back to the same supervisor. Sam supervises
Amira (Kingsmere's Exploitation Team); her last session was 1 October, so on
1 December she is a month overdue."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cse_cases import access
from cse_cases.models import Role
from supervision import services as sweep_services
from supervision.models import Escalation, Flag
from supervision.sessions.models import SupervisionSession
from tests.conftest import verified
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db]

LONDON = ZoneInfo("Europe/London")


def sweep() -> Flag:
    sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
    return Flag.objects.get(kind="supervision", resolved_at__isnull=True)


@pytest.fixture
def overdue_amira(sam, amira, kingsmere_team):
    SupervisionSession.objects.create(
        supervisor=sam,
        worker=amira,
        team=kingsmere_team,
        held_on=date(2026, 10, 1),
        duration_minutes=60,
    )
    return amira


@pytest.fixture
def morgan(sam, kingsmere_team, kingsmere_social_care, kingsmere):
    """Morgan, head of service, supervises Sam."""
    morgan = UserFactory(
        username="morgan", role=Role.SUPERVISOR, agency=kingsmere_social_care, areas=[kingsmere]
    )
    managers = TeamFactory(name="Managers", agency=kingsmere_social_care, supervisor=morgan)
    sam.team = managers
    sam.save()
    return morgan


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_it_goes_to_the_supervisors_own_supervisor(sam, morgan, overdue_amira):
    flag = sweep()
    assert flag.owner == sam
    assert (flag.escalation, flag.escalated_to) == (Escalation.SUPERVISOR, morgan)
    assert access.flags_visible_to(verified(morgan)).filter(pk=flag.pk).exists()


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_with_no_one_above_the_supervisor_it_goes_to_the_districts_cse_leads(
    sam, jo, overdue_amira
):
    """Sam is in the team he supervises: no one above him in Harbour."""
    flag = sweep()
    assert flag.owner == sam
    assert flag.escalation == Escalation.CSE_LEAD
    assert flag.escalated_to is None
    assert access.flags_visible_to(verified(jo)).filter(pk=flag.pk).exists()


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_a_worker_moving_team_takes_the_escalation_to_the_new_owners_supervisor(
    sam, morgan, overdue_amira, kingsmere_social_care, kingsmere
):
    assert sweep().escalated_to == morgan
    rowan = UserFactory(
        username="rowan", role=Role.SUPERVISOR, agency=kingsmere_social_care, areas=[kingsmere]
    )
    drew = UserFactory(
        username="drew", role=Role.SUPERVISOR, agency=kingsmere_social_care, areas=[kingsmere]
    )
    TeamFactory(name="Duty managers", agency=kingsmere_social_care, supervisor=drew).members.add(
        rowan
    )
    overdue_amira.team = TeamFactory(
        name="Duty team", agency=kingsmere_social_care, supervisor=rowan
    )
    overdue_amira.save()
    flag = sweep()
    assert (flag.owner, flag.escalation, flag.escalated_to) == (
        rowan,
        Escalation.SUPERVISOR,
        drew,
    )


@time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=LONDON))
def test_a_flag_just_due_is_not_escalated(sam, morgan, overdue_amira):
    flag = sweep()
    assert (flag.escalation, flag.escalated_to) == (Escalation.NONE, None)
