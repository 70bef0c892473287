"""The demo partnership: complete, idempotent, and development-only."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import Agency, AgencyKind, Area, Nation, Role, Team, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_every_role_in_every_area(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    assert Area.objects.count() >= 3
    assert set(Area.objects.values_list("nation", flat=True)) == set(Nation.values)
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    for area in Area.objects.all():
        roles = set(User.objects.filter(areas=area).values_list("role", flat=True))
        assert roles == set(Role.values), area
    assert Team.objects.filter(supervisor__isnull=False).count() == Area.objects.count()
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
    out = capsys.readouterr().out
    assert "practitioner.kingsmere" in out
    assert "harbour-demo-only" in out


def test_seed_demo_twice_duplicates_nothing(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    counts = [m.objects.count() for m in (Area, Agency, Team, User, TOTPDevice)]
    call_command("seed_demo")
    assert [m.objects.count() for m in (Area, Agency, Team, User, TOTPDevice)] == counts


def test_seed_demo_refuses_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_code_prints_the_current_code(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_code", "practitioner.kingsmere")
    device = TOTPDevice.objects.get(user__username="practitioner.kingsmere")
    assert capsys.readouterr().out.strip() == f"{totp(device.bin_key):06d}"


def test_demo_code_is_only_for_demo_accounts(settings, amira) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "amira")


def test_seed_demo_with_young_people_adds_assessments_with_a_trajectory(settings, template) -> None:
    from assessments.models import Assessment

    settings.DEBUG = True
    call_command("seed_demo", "--young-people", "60")
    signed = Assessment.objects.filter(status="signed_off").order_by("signed_off_at")
    assert signed.count() >= 2
    first = signed.first()
    assert [a.judged_level for a in signed.filter(case=first.case)] == ["low", "medium"]
    assert Assessment.objects.filter(status="submitted").exists()
    call_command("seed_demo")
    assert Assessment.objects.filter(case=first.case).count() == 2
