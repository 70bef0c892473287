"""Build the synthetic demo partnership. Safe to run again: it adds only what is missing."""

from __future__ import annotations

import time
from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.demo import seed_assessments
from cse_cases import demo, demo_records
from cse_cases.models import Agency, Area, Team, User, YoungPerson
from referrals.demo import seed_referrals


class Command(BaseCommand):
    help = "Create the demo partnership (areas, agencies, teams, one persona per role per area)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--young-people",
            type=int,
            default=0,
            metavar="N",
            help="Make sure at least N synthetic young people exist, with cases and chronologies.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with "
                "DEBUG on (HARBOUR_ENV=development)."
            )
        created = self.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo partnership ready ({created} records added)."))
        wanted = options["young_people"]
        existing = YoungPerson.objects.count()
        if wanted > existing:
            started = time.monotonic()
            made = demo_records.generate(wanted - existing)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {made:,} young people with cases, teams and notes "
                    f"in {time.monotonic() - started:.0f} s ({wanted:,} in all)."
                )
            )
        assessments = seed_assessments()
        if assessments:
            self.stdout.write(self.style.SUCCESS(f"Added {assessments} demo risk assessments."))
        self.stdout.write(self.sign_ins())

    @transaction.atomic
    def seed(self) -> int:
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
        for persona in demo.personas():
            agency = agencies[persona.agency] if persona.agency else None
            user = User.objects.filter(username=persona.username).first()
            if user is None:
                user = User(
                    username=persona.username,
                    first_name=persona.first_name,
                    last_name=persona.last_name,
                    email=f"{persona.username}@example.org",
                    role=persona.role,
                    agency=agency,
                    job_title=persona.job_title,
                    is_demo=True,
                )
                user.set_password(demo.DEMO_PASSWORD)
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
        created += seed_referrals()
        return created

    def sign_ins(self) -> str:
        secret = b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).decode()
        lines = [
            "",
            f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):",
        ]
        for persona in demo.personas():
            lines.append(
                f"  {persona.username:<30} {persona.role.label}, {persona.agency or 'partnership'}"
            )
        lines += [
            "",
            "Two-factor: add this key to an authenticator app",
            "(one entry works for every demo user):",
            f"  {secret}",
            "or print the current code with: make totp who=practitioner.kingsmere",
            "",
        ]
        return "\n".join(lines)
