"""Build the synthetic demo partnership and each area's caseload. Safe to run
again: it adds only what is missing. The seeding itself is the wiring's
(cse_cases/wiring/demo/seed.py); this command is where Django finds it."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cse_cases.models import YoungPerson
from cse_cases.wiring.demo import records, seed


class Command(BaseCommand):
    help = (
        "Create the demo partnership (areas, agencies, teams, one persona per role per area) "
        "and each area's caseload."
    )

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
        created = seed.seed_partnership()
        self.stdout.write(self.style.SUCCESS(f"Demo partnership ready ({created} records added)."))
        started = time.monotonic()
        made = seed.seed_caseloads()
        if made:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo caseload: {made['young people']} young people in {made['areas']} "
                    f"areas, with their cases, notes, missing episodes, {made['referrals']} "
                    f"referrals, {made['assessments']} assessments, {made['meetings']} meetings "
                    f"and {made['plans']} plans; {made['flags']} open flags after the first "
                    f"sweep ({time.monotonic() - started:.1f} s)."
                )
            )
        else:
            self.stdout.write("Demo caseload already in place (nothing added).")
        wanted = options["young_people"]
        existing = YoungPerson.objects.count()
        if wanted > existing:
            started = time.monotonic()
            count = records.generate(wanted - existing)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {count:,} young people with cases, teams and notes "
                    f"in {time.monotonic() - started:.0f} s ({wanted:,} in all)."
                )
            )
        self.stdout.write(seed.sign_ins())
