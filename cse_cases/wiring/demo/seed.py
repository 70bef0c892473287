"""Seeding the demo: the synthetic partnership and each area's caseload, then
the drift engine's first sweep. Safe to run again: it adds only what is
missing. `manage.py seed_demo` (cse_cases/management/commands/) calls it."""

from __future__ import annotations

from base64 import b32encode
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import demo as assessments_demo
from cse_cases.models import Agency, Area, Team, User, YoungPerson
from cse_cases.wiring import demo
from cse_cases.wiring.demo import caseload as demo_caseload
from referrals.demo import seed_referrals
from supervision import demo as supervision_demo
from supervision.models import Flag
from supervision.services import flags_sweep


@contextmanager
def history() -> Iterator[None]:
    """One transaction for an area's caseload. What the services would tell
    people once it commits (an action given, a record sent, feedback to a
    referrer) is dropped: seeded history is not news, and a first `make run`
    should not fill the worker's log with emails about it."""
    with transaction.atomic():
        connection = transaction.get_connection()
        queued = len(connection.run_on_commit)
        yield
        del connection.run_on_commit[queued:]


def seed_caseload(area: Area, *, now) -> Counter:
    """One area's caseload, its referrals, assessments, meetings and plans, in
    one transaction (nothing, for an area that is not the demo's)."""
    made: Counter = Counter()
    with history():
        caseload = demo_caseload.seed_area(area, now=now)
        if caseload is None:
            return made
        made["referrals"] += seed_referrals(caseload)
        made.update(assessments_demo.seed(caseload))
        made.update(supervision_demo.seed(caseload))
    made["areas"] += 1
    made["young people"] += YoungPerson.objects.filter(area=area).count()
    return made


@transaction.atomic
def seed_partnership() -> int:
    """The partnership: areas, agencies, teams and the demo accounts."""
    created = 0
    areas = {}
    for name, code, nation in demo.AREAS:
        areas[name], new = Area.objects.get_or_create(
            name=name, defaults={"code": code, "nation": nation}
        )
        created += new
    agencies = {}
    for name, kind, served in demo.AGENCIES:
        agencies[name], new = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
        if new:
            agencies[name].areas.set([areas[a] for a in served])
        created += new
    key = demo.DEMO_TOTP_KEY_HEX
    # One hash for every demo account: the password is published, so a
    # salt of its own protects none of them, and hashing it fifty times
    # would cost most of a minute of every first `make run`.
    hashed = None
    for persona in demo.everyone():
        agency = agencies[persona.agency] if persona.agency else None
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            hashed = hashed or make_password(demo.DEMO_PASSWORD)
            user = User(
                username=persona.username,
                first_name=persona.first_name,
                last_name=persona.last_name,
                email=f"{persona.username}@example.org",
                role=persona.role,
                agency=agency,
                job_title=persona.job_title,
                is_demo=True,
                password=hashed,
            )
            user.save()
            user.areas.set([areas[persona.area]])
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key)
            created += 1
        if persona.team and user.team_id is None:
            team, new = Team.objects.get_or_create(name=persona.team, agency=agency)
            created += new
            if persona.role == "supervisor" and team.supervisor_id is None:
                team.supervisor = user
                team.save(update_fields=["supervisor"])
            user.team = team
            user.save(update_fields=["team"])
    return created


def seed_caseloads() -> Counter:
    """Each demo area's caseload, once: an area that already has young
    people is left as it is. Then the drift engine's first sweep, so the
    open flags are the engine's own."""
    made: Counter = Counter()
    now = timezone.now()
    for area in Area.objects.order_by("pk"):
        if YoungPerson.objects.filter(area=area).exists():
            continue
        made.update(seed_caseload(area, now=now))
    if made:
        flags_sweep(now=timezone.now())
        made["flags"] = Flag.objects.filter(resolved_at__isnull=True).count()
    return made


def sign_ins() -> str:
    """The demo accounts and their two-factor key, for the terminal."""
    secret = b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).decode()
    lines = [
        "",
        f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):",
    ]
    for persona in demo.personas():
        lines.append(
            f"  {persona.username:<30} {persona.role.label}, {persona.agency or 'partnership'}"
        )
    example = demo.username("police", demo.AREAS[0][0])
    lines += [
        "",
        "Their colleagues on the cases, by area (same password and code;",
        f"each username ends with its area, as in {example}):",
    ]
    by_area: dict[str, list[str]] = {}
    for persona in demo.colleagues():
        by_area.setdefault(persona.area, []).append(persona.username.split(".")[0])
    for area, prefixes in by_area.items():
        lines.append(f"  {area:<12} {', '.join(prefixes)}")
    lines += [
        "",
        "Two-factor: add this key to an authenticator app",
        "(one entry works for every demo user):",
        f"  {secret}",
        "or print the current code with: make totp who=practitioner.kingsmere",
        "",
    ]
    return "\n".join(lines)
