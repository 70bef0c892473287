"""The demo's caseloads and supervision, for each seeded area (called from
cse_cases/wiring/demo/seed.py, in the area's transaction).

Every team in the area gets an agreed capacity for each worker, set so that
loads differ and one worker is over capacity, supervision sessions in the
past, and one worker whose supervision is overdue. Written as rows, like
the rest of the demo's history (the services would date everything today and
send emails)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cse_cases.models import Role, Team, User
from cse_cases.wiring.demo.story import Caseload
from supervision.caseloads import selectors
from supervision.models import SupervisionSession, WorkerProfile

# (capacity as a share of the current load, weekly hours): the first worker
# of each team is over capacity, the others have room in different amounts.
SHAPES = (
    (Decimal("0.8"), Decimal(37)),
    (Decimal("1.6"), Decimal(37)),
    (Decimal("2.5"), Decimal("22.5")),
)
# Days since each worker's last session: the last worker's is overdue.
LAST_SESSION_DAYS = (12, 20, 45)


def seed(caseload: Caseload) -> Counter:
    made: Counter = Counter()
    area = caseload.area
    now = caseload.now
    today = timezone.localdate(now)
    teams = Team.objects.filter(supervisor__isnull=False, members__areas=area).distinct()
    scheme = selectors.current_scheme()
    for team in teams.select_related("supervisor"):
        workers = list(
            selectors.worker_loads(
                scheme,
                User.objects.filter(team=team, is_active=True)
                .exclude(pk=team.supervisor_id)
                .filter(role__in=(Role.PRACTITIONER, Role.CSE_LEAD)),
                today,
                now,
            ).order_by("-led", "pk")
        )
        for n, worker in enumerate(workers):
            if WorkerProfile.objects.filter(user=worker).exists():
                continue
            share, hours = SHAPES[n % len(SHAPES)]
            full_time = Decimal(37)
            # Capacity (full time) so that the load is `1 / share` of it at these hours.
            load = max(Decimal(worker.load), Decimal(1))
            points = (load * share * full_time / hours).quantize(Decimal("0.5"))
            WorkerProfile.objects.create(
                user=worker,
                weekly_hours=hours,
                capacity_points=max(points, Decimal(1)),
                practice_started_on=today - timedelta(days=120) if n == 1 else None,
                updated_by=team.supervisor,
                updated_at=now - timedelta(days=200),
            )
            made["worker capacities"] += 1
            last = LAST_SESSION_DAYS[min(n, len(LAST_SESSION_DAYS) - 1)]
            for days_ago in (last, last + 30, last + 60):
                held = caseload.office(days_ago)
                SupervisionSession.objects.create(
                    supervisor=team.supervisor,
                    worker=worker,
                    team=team,
                    held_on=timezone.localdate(held),
                    duration_minutes=caseload.rng.choice((60, 75, 90)),
                    development="Training on return interviews booked.",
                    support="Talked through the emotional weight of the week's visits.",
                    wellbeing_rating=caseload.rng.randint(2, 5),
                    created_at=held,
                    updated_at=held,
                )
                made["supervision sessions"] += 1
    return made
