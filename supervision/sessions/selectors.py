"""Reads of supervision sessions, each scoped by cse_cases/access/supervision.py,
and the frequency rule's arithmetic (one SQL expression, shared by the drift
rule, the team view's `supervision_due` and the compliance figures, so a page
and the flag never disagree about when a session is due).

When a session is due is counted in calendar days and months, not working
days: the standard is "weekly", "fortnightly", "monthly", and a due date on a
bank holiday stays where it falls (tests/supervision/sessions/test_frequency.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncQuarter
from django.utils import timezone

from assessments.models import Action
from cse_cases import access
from cse_cases.access.roles import RECORD_ROLES
from cse_cases.models import Team, User
from supervision.sessions.models import CaseDiscussion, SupervisionSession


def date_plus(expression: Any, interval: str) -> Func:
    """A date a constant interval later, as a date. The interval is built from
    whole numbers in the settings (checked at start-up), never from input."""
    return Func(
        expression,
        template=f"((%(expressions)s) + interval '{interval}')::date",
        output_field=DateField(),
    )


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(n: int) -> str:
    return f"{int(n)} days"


def _months(n: int) -> str:
    return f"{int(n)} months"


def last_session_held() -> Subquery:
    """The worker's latest session (the worker/-held_on index answers it)."""
    return Subquery(
        SupervisionSession.objects.filter(worker=OuterRef("pk"))
        .order_by("-held_on")
        .values("held_on")[:1],
        output_field=DateField(),
    )


def with_supervision_due(workers: QuerySet[User], today: date) -> QuerySet[User]:
    """Workers annotated `supervision_last` (their last session, or None) and
    `supervision_next_due` (the day their next session is due).

    Counted from the last session, or, before the first, from the later of the
    start of practice and the account's opening. The interval is the one for
    the worker's stage on that day: a newly qualified worker (practice begun
    within SUPERVISION_NEWLY_QUALIFIED_MONTHS of today) weekly for their first
    SUPERVISION_EARLY_WEEKS, fortnightly until SUPERVISION_SETTLING_MONTHS;
    then, and for everyone else, every SUPERVISION_MONTHS months."""
    started = F("worker_profile__practice_started_on")
    newly = Q(
        worker_profile__practice_started_on__isnull=False,
        worker_profile__practice_started_on__gt=today
        - relativedelta(months=settings.SUPERVISION_NEWLY_QUALIFIED_MONTHS),
    )
    since = Coalesce(
        F("supervision_last"),
        # PostgreSQL's GREATEST ignores NULL: no start of practice, the account's opening.
        Greatest(started, Cast("date_joined", DateField())),
        output_field=DateField(),
    )
    return (
        workers.annotate(supervision_last=last_session_held())
        .annotate(supervision_since=since)
        .annotate(
            supervision_next_due=Case(
                When(
                    newly
                    & Q(
                        supervision_since__lt=date_plus(
                            started, _days(7 * settings.SUPERVISION_EARLY_WEEKS)
                        )
                    ),
                    then=date_plus(F("supervision_since"), _days(settings.SUPERVISION_EARLY_DAYS)),
                ),
                When(
                    newly
                    & Q(
                        supervision_since__lt=date_plus(
                            started, _months(settings.SUPERVISION_SETTLING_MONTHS)
                        )
                    ),
                    then=date_plus(
                        F("supervision_since"), _days(settings.SUPERVISION_SETTLING_DAYS)
                    ),
                ),
                default=date_plus(F("supervision_since"), _months(settings.SUPERVISION_MONTHS)),
                output_field=DateField(),
            )
        )
    )


def supervised_workers() -> QuerySet[User]:
    """Everyone the frequency rule is about: active people who work with
    records, in a team that has a supervisor (not the supervisor themselves)."""
    return (
        User.objects.filter(is_active=True, role__in=RECORD_ROLES, team__supervisor__isnull=False)
        .exclude(team__supervisor=F("pk"))
        .exclude(is_service_account=True)
    )


@dataclass(frozen=True)
class SupervisionDue:
    last_held_on: date | None
    next_due_on: date
    on_time: bool


def supervision_due(workers: Iterable[User | int], today: date) -> dict[int, SupervisionDue]:
    """Each worker's last session, the next due, and whether it is on time:
    one query for any number of workers (the team caseload view calls it)."""
    ids = [w if isinstance(w, int) else w.pk for w in workers]
    if not ids:
        return {}
    rows = with_supervision_due(User.objects.filter(pk__in=ids), today).values_list(  # type: ignore[misc]
        "pk", "supervision_last", "supervision_next_due"
    )
    return {
        pk: SupervisionDue(last_held_on=last, next_due_on=due, on_time=due >= today)
        for pk, last, due in rows
    }


# --- Pages -----------------------------------------------------------------------------


def sessions_for(user: User, *, limit: int = 200) -> dict[str, list[SupervisionSession]]:
    """The sessions this person held and those they were supervised in (IG:
    the sessions of their districts). Two queries whatever the number."""
    visible = access.sessions_visible_to(user).select_related("supervisor", "worker")
    if user.role == access.Role.INFORMATION_GOVERNANCE:
        return {
            "held": [],
            "mine": [],
            "audited": list(visible.order_by("-held_on", "-pk")[:limit]),
        }
    return {
        "held": list(visible.filter(supervisor=user).order_by("-held_on", "-pk")[:limit]),
        "mine": list(visible.filter(worker=user).order_by("-held_on", "-pk")[:limit]),
        "audited": [],
    }


def discussions_of(session: SupervisionSession) -> list[CaseDiscussion]:
    """The management part of a session, with each case's child and the
    actions agreed (three queries, whatever their number)."""
    return list(
        CaseDiscussion.objects.filter(session=session)
        .select_related("case__young_person", "recorded_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner", "owner_agency").order_by("pk"),
            )
        )
        .order_by("recorded_at", "pk")
    )


def supervisees_with_due(user: User, today: date) -> list[User]:
    """The workers this person supervises, with when each is due (one query)."""
    return list(with_supervision_due(access.supervisees_of(user), today).order_by("last_name"))


# --- Team figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCompliance:
    team_id: int
    team_name: str
    workers: int
    on_time: int
    median_minutes: float | None

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.workers if self.workers else None


def supervision_compliance(teams: QuerySet[Team], today: date) -> list[TeamCompliance]:
    """For each team: its workers, how many were supervised on time over the
    last quarter (at least one session in it, and not overdue today), and the
    median session length in the quarter. One query for any number of teams."""
    quarter_start = today - relativedelta(months=3)
    workers = with_supervision_due(supervised_workers().filter(team=OuterRef("pk")), today)
    in_quarter = SupervisionSession.objects.filter(
        worker=OuterRef("pk"), held_on__gte=quarter_start, held_on__lte=today
    )
    on_time = (
        workers.filter(Exists(in_quarter), supervision_next_due__gte=today)  # type: ignore[misc]
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    everyone = supervised_workers().filter(team=OuterRef("pk")).order_by().values("team")
    median = (
        SupervisionSession.objects.filter(
            worker__team=OuterRef("pk"), held_on__gte=quarter_start, held_on__lte=today
        )
        .order_by()
        .values("worker__team")
        .annotate(m=Median("duration_minutes"))
        .values("m")
    )
    rows = (
        teams.annotate(
            f_workers=Coalesce(
                Subquery(everyone.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
                0,
            ),
            f_on_time=Coalesce(Subquery(on_time, output_field=IntegerField()), 0),
            f_median=Subquery(median, output_field=FloatField()),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "f_workers", "f_on_time", "f_median")
    )
    return [TeamCompliance(*row) for row in rows]


# --- Wellbeing ------------------------------------------------------------------------
#
# A supervisor reads their own workers' ratings already; anyone else (a CSE lead)
# must not be able to work one out. How each way in is closed:
# - Each worker counts once: the mean of each worker's own mean, so a worker
#   supervised weekly does not outweigh, or stand out from, one seen monthly.
# - Fixed calendar quarters, and only completed ones, counting the sessions
#   recorded by the quarter's end and the team each was given in: a figure
#   shown once never changes (a rolling window, or a late entry, or a worker
#   joining with their past, would change it by one person's rating).
# - At least WELLBEING_MIN_WORKERS distinct workers in the quarter.
# - Two quarters side by side differ only by who came and went: a quarter
#   whose workers differ from the quarter before's (when that had enough) by
#   1 to WELLBEING_MIN_WORKERS - 1 people is not shown.
# - A band one point wide, not a decimal: with five workers a mean to one
#   decimal gives anyone who knows four colleagues' ratings the fifth; a band
#   leaves them a range as wide as the scale.
# What is left: a rating edited after its quarter ended moves a figure already
# shown (the reader learns that someone's changed, not whose).


@dataclass(frozen=True)
class QuarterWellbeing:
    label: str
    # None unless the figure may be shown.
    workers: int | None
    band: str | None
    withheld_because: str

    @property
    def shown(self) -> bool:
        return self.band is not None


@dataclass(frozen=True)
class TeamWellbeing:
    team_id: int
    team_name: str
    latest: QuarterWellbeing
    previous: QuarterWellbeing

    @property
    def quarters(self) -> tuple[QuarterWellbeing, QuarterWellbeing]:
        return (self.latest, self.previous)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_label(start: date) -> str:
    end = start + relativedelta(months=2)
    return f"{start:%B} to {end:%B %Y}"


def _band(mean: float) -> str:
    low = min(int(mean), 4)
    return f"Between {low} and {low + 1}"


def _quarter_figure(
    start: date, ratings: dict[int, float], before: dict[int, float] | None
) -> QuarterWellbeing:
    least = access.WELLBEING_MIN_WORKERS
    label = _quarter_label(start)
    if len(ratings) < least:
        return QuarterWellbeing(label, None, None, f"Fewer than {least} workers gave a rating")
    if before is not None and len(before) >= least:
        changed = len(ratings.keys() ^ before.keys())
        if 0 < changed < least:
            return QuarterWellbeing(
                label,
                None,
                None,
                f"Not shown: fewer than {least} workers differ from the quarter before, "
                "so the change could point to one person",
            )
    mean = sum(ratings.values()) / len(ratings)
    return QuarterWellbeing(label, len(ratings), _band(mean), "")


def wellbeing_by_team(user: User, today: date) -> list[TeamWellbeing]:
    """The wellbeing check as team figures for the teams this person may read
    (cse_cases/access/supervision.py `wellbeing_teams_for`): the last two
    completed calendar quarters, each a band of the mean of each worker's own
    mean rating, under the rules above. Two queries whatever the team sizes."""
    current = quarter_start(today)
    # The quarter before the previous one is read only to judge the previous one.
    starts = [current - relativedelta(months=3 * n) for n in (3, 2, 1)]
    recorded_in_time = Q()
    for start in starts:
        end = start + relativedelta(months=3)
        recorded_in_time |= Q(
            held_on__gte=start,
            held_on__lt=end,
            created_at__lt=timezone.make_aware(datetime.combine(end, time.min)),
        )
    teams = access.wellbeing_teams_for(user)
    rows = (
        SupervisionSession.objects.filter(
            recorded_in_time, team__in=teams.values("pk"), wellbeing_rating__isnull=False
        )
        .annotate(quarter=TruncQuarter("held_on"))
        .order_by()
        .values("team", "quarter", "worker")
        .annotate(mean=Avg("wellbeing_rating"))
        .values_list("team", "quarter", "worker", "mean")
    )
    by_team: dict[int, dict[date, dict[int, float]]] = {}
    for team_id, quarter, worker_id, mean in rows:
        by_team.setdefault(team_id, {}).setdefault(quarter, {})[worker_id] = float(mean)
    result = []
    for pk, name in teams.order_by("name", "pk").values_list("pk", "name"):
        quarters = [by_team.get(pk, {}).get(start, {}) for start in starts]
        result.append(
            TeamWellbeing(
                team_id=pk,
                team_name=name,
                latest=_quarter_figure(starts[2], quarters[2], quarters[1]),
                previous=_quarter_figure(starts[1], quarters[1], quarters[0]),
            )
        )
    return result
