"""seed_demo: development-only, and the same demo on any day it is seeded.
(What the demo holds is tested in test_demo_caseload.py.)"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction

from assessments.models import Assessment, Meeting
from cse_cases.models import Area, CaseNote, User, YoungPerson
from cse_cases.wiring.demo.seed import history, seed_caseload, seed_partnership
from supervision.models import Flag
from supervision.services import flags_sweep

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_code_is_only_for_demo_accounts(settings, amira) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "amira")


def test_nobody_is_emailed_about_seeded_history(django_capture_on_commit_callbacks) -> None:
    """What a service sends once its transaction commits (an action's owner
    told, a record distributed) is dropped inside a seeding transaction, and
    only there."""

    def told() -> None:
        pass

    def kept() -> None:
        pass

    with django_capture_on_commit_callbacks() as callbacks:
        with history():
            transaction.on_commit(told)
        transaction.on_commit(kept)
    assert callbacks == [kept]


def fingerprint(area: Area) -> list:
    """What a newcomer would see of the area's caseload, without database ids."""
    people = [
        (p.legal_first_name, p.legal_last_name, p.known_as, p.date_of_birth, p.gender, p.school)
        for p in YoungPerson.objects.filter(area=area).order_by("legal_last_name", "date_of_birth")
    ]
    notes = list(
        CaseNote.objects.filter(case__area=area)
        .order_by("occurred_at", "text")
        .values_list("occurred_at", "note_type", "text", "author__username")
    )
    assessments = sorted(
        Assessment.objects.filter(case__area=area).values_list(
            "case__young_person__legal_last_name", "status", "judged_level", "score"
        )
    )
    meetings = sorted(Meeting.objects.filter(area=area).values_list("kind", "status", "starts_at"))
    flags = sorted(
        Flag.objects.filter(area=area, resolved_at__isnull=True).values_list(
            "kind", "young_person__legal_last_name", "due_at"
        ),
        key=str,
    )
    return [people, notes, assessments, meetings, flags]


def seeded_once(area: Area) -> list:
    """Seed the area, read it, and take it all back."""
    with transaction.atomic():
        made = seed_caseload(area, now=datetime.now(tz=ZoneInfo("UTC")))
        flags_sweep(now=datetime.now(tz=ZoneInfo("UTC")))
        seen = fingerprint(area)
        transaction.set_rollback(True)
    assert made["young people"] >= 30
    return seen


@pytest.mark.parametrize(
    "moment",
    [
        # Sunday night between the Christmas bank holidays.
        datetime(2026, 12, 27, 23, 50, tzinfo=ZoneInfo("Europe/London")),
        # The morning the clocks go forward, and a leap day in Scotland.
        datetime(2027, 3, 28, 8, 30, tzinfo=ZoneInfo("Europe/London")),
        datetime(2028, 2, 29, 6, 5, tzinfo=ZoneInfo("Europe/London")),
    ],
)
def test_the_demo_is_the_same_every_time_on_any_day(template, moment) -> None:
    """Seeded twice at the same moment, an area's caseload is the same, down to
    each note's time; and on any day it has every stage of work in it."""
    with time_machine.travel(moment, tick=False):
        seed_partnership()
        area = Area.objects.get(name="Glenmuir" if moment.month == 2 else "Kingsmere")
        first = seeded_once(area)
        assert first == seeded_once(area)
    people, notes, assessments, meetings, flags = first
    assert len(people) >= 30
    assert len(notes) >= 100
    assert {status for _, status, _, _ in assessments} == {
        "draft",
        "submitted",
        "returned",
        "signed_off",
    }
    assert {status for _, status, _ in meetings} == {"held", "scheduled"}
    assert len({kind for kind, _, _ in flags}) >= 6
