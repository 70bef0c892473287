"""Reads of flags for the "my work" page, the team view and the API, scoped by
the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django_celery_beat.models import PeriodicTask

from cse_cases import access, drift
from cse_cases.models import User
from supervision.models import Flag, SweepRun

# Age of an open flag past its due time, for the team view.
AGE_BANDS = ((0, "Under 3 days"), (3, "3 to 7 days"), (8, "8 to 14 days"), (15, "15 days or more"))


def my_flags(user: User) -> QuerySet[Flag]:
    """Open flags I must act on: mine, escalated to me, and (for a CSE lead)
    those escalated to the CSE leads of my districts. Most urgent first."""
    return (
        access.flags_to_act_on(user)
        .filter(resolved_at__isnull=True)
        .select_related("young_person", "owner")
        .order_by("-escalation", "-high_risk", "due_at", "pk")
    )


def open_flags_about(young_person_ids: list[int]) -> dict[int, list[Flag]]:
    """Open flags on these young people's records, soonest due first, each
    with its rule's label: for a meeting's agenda, whose reader may already
    see every one of these young people. One query."""
    found: dict[int, list[Flag]] = {}
    flags = access.flags_about_young_people(young_person_ids).filter(resolved_at__isnull=True)
    for flag in flags.select_related("owner").order_by("due_at", "pk"):
        rule = drift.rule_for(flag.kind)
        flag.label = rule.label if rule else flag.kind
        # Asked about these young people, so every flag names one.
        if flag.young_person_id is not None:
            found.setdefault(flag.young_person_id, []).append(flag)
    return found


@dataclass
class TeamRow:
    owner: User | None
    kind: str
    label: str
    bands: list[int]
    total: int
    oldest: datetime | None


def team_view(user: User, now: datetime) -> list[TeamRow]:
    """Open flags by worker and kind, counted by age: one grouped query."""
    if not access.may_see_team_flags(user):
        return []
    flags = access.team_flags_visible_to(user).filter(resolved_at__isnull=True)
    buckets = {}
    for n, (start, _) in enumerate(AGE_BANDS):
        end = AGE_BANDS[n + 1][0] if n + 1 < len(AGE_BANDS) else None
        window = Q(due_at__lte=now - timedelta(days=start))
        if end is not None:
            window &= Q(due_at__gt=now - timedelta(days=end))
        buckets[f"band{n}"] = Count("pk", filter=window)
    rows = (
        flags.values("owner", "kind")
        .annotate(total=Count("pk"), oldest=Min("due_at"), **buckets)
        .order_by("owner", "kind")
    )
    owners = {u.pk: u for u in User.objects.filter(pk__in={r["owner"] for r in rows} - {None})}
    result = []
    for row in rows:
        rule = drift.rule_for(row["kind"])
        result.append(
            TeamRow(
                owner=owners.get(row["owner"]),
                kind=row["kind"],
                label=rule.label if rule else row["kind"],
                bands=[row[f"band{n}"] for n in range(len(AGE_BANDS))],
                total=row["total"],
                oldest=row["oldest"],
            )
        )
    return result


SWEEP_TASK = "supervision.tasks.sweep_flags"
# A sweep is late after one missed run; after two more, the pages stop
# trusting the last one.
STALE_AFTER_INTERVALS = 3


def sweep_interval() -> timedelta:
    """How often beat runs the sweep: the schedule administrators edit at run
    time (django-celery-beat's admin), else the one in settings. One query."""
    schedules = PeriodicTask.objects.filter(
        task=SWEEP_TASK, enabled=True, interval__isnull=False
    ).values_list("interval__every", "interval__period")
    found = [timedelta(**{period: every}) for every, period in schedules]
    if found:
        return min(found)
    # Beat has not written its schedule yet, or the sweep is on a crontab
    # (whose gaps vary): the interval settings give.
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == SWEEP_TASK and isinstance(entry["schedule"], timedelta):
            return entry["schedule"]
    return timedelta(minutes=15)


def _in_words(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hours"


@dataclass(frozen=True)
class SweepStatus:
    """When the drift engine last finished checking every rule, and whether
    that is recent enough to say an empty list means nothing is overdue."""

    finished_at: datetime | None
    interval: timedelta
    stale: bool

    @property
    def checked(self) -> bool:
        return self.finished_at is not None

    @property
    def trusted(self) -> bool:
        """An empty list may be called "nothing overdue"."""
        return self.checked and not self.stale

    @property
    def interval_words(self) -> str:
        return _in_words(self.interval)

    @property
    def stale_after_words(self) -> str:
        return _in_words(self.interval * STALE_AFTER_INTERVALS)


def sweep_status(now: datetime) -> SweepStatus:
    """The last finished sweep of every rule. Two queries, whatever the number
    of sweeps kept."""
    finished_at = (
        SweepRun.objects.filter(every_rule=True, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    interval = sweep_interval()
    stale = finished_at is None or now - finished_at > interval * STALE_AFTER_INTERVALS
    return SweepStatus(finished_at=finished_at, interval=interval, stale=stale)
