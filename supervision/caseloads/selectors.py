"""Reads of caseloads: each case's weight under a scheme, each worker's load
against their capacity, and continuity. Every read is one statement, whatever
the number of workers or cases, and the workers and cases come scoped from
the access package.

A case's points are the scheme's points for its risk level plus a share for
each factor. Factors Harbour already knows are derived here, in SQL, every
time (so they are never typed twice and never stale):
- many agencies: the lead agency and the agencies of the team around the child;
- recent missing: a missing episode reported in the scheme's window;
- out of area: the young person's placement.
What the record cannot tell (criminal proceedings, travel, a sibling group) is
read from the case's load factors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    Case as CaseWhen,
)
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Action, PlanVersion
from cse_cases import access
from cse_cases.models import (
    Case,
    CaseMember,
    CaseStatus,
    LeadProfessionalSpell,
    MissingEpisode,
    PlacementType,
    RiskLevel,
    User,
    YoungPerson,
)
from supervision.models import Flag, WeightingScheme

# Every sum of points, to two places.
POINTS: Any = DecimalField(max_digits=8, decimal_places=2)
ZERO = Value(Decimal(0), output_field=POINTS)

# Harbour's default weighting until a partnership publishes its own (version 0:
# never saved). The defaults are the model's field defaults.
DEFAULT_VERSION = 0


def current_scheme(using: str = "default") -> WeightingScheme:
    """The latest published scheme, or Harbour's default (unsaved, version 0).
    `using`: the database to read (the reports read their replica)."""
    scheme = WeightingScheme.objects.using(using).order_by("-version").first()
    return scheme or WeightingScheme(version=DEFAULT_VERSION, rationale="Harbour's default")


def schemes() -> QuerySet[WeightingScheme]:
    return WeightingScheme.objects.select_related("published_by").order_by("-version")


def _points(value: Decimal) -> Value:
    return Value(value, output_field=POINTS)


def _when(condition: Q, points: Decimal) -> CaseWhen:
    return CaseWhen(When(condition, then=_points(points)), default=ZERO, output_field=POINTS)


def weighted_cases(scheme: WeightingScheme, cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """The cases, each annotated with its factors and its points under the
    scheme: risk_points, agencies, many_agencies, recent_missing, out_of_area,
    criminal_proceedings, travel, sibling_group, and points (their sum)."""
    since = today - timedelta(days=scheme.recent_missing_days)
    other_agencies = (
        CaseMember.objects.filter(case=OuterRef("pk"), removed_at__isnull=True)
        .exclude(user__agency=OuterRef("lead_agency"))
        .order_by()
        .values("case")
        .annotate(n=Count("user__agency", distinct=True))
        .values("n")
    )
    risk = CaseWhen(
        When(risk_level=RiskLevel.LOW, then=_points(scheme.points_low)),
        When(risk_level=RiskLevel.MEDIUM, then=_points(scheme.points_medium)),
        When(risk_level=RiskLevel.HIGH, then=_points(scheme.points_high)),
        default=_points(scheme.points_not_assessed),
        output_field=POINTS,
    )
    annotated = cases.annotate(
        risk_points=risk,
        agencies=1 + Coalesce(Subquery(other_agencies, output_field=IntegerField()), 0),
        recent_missing=Exists(
            MissingEpisode.objects.filter(
                young_person=OuterRef("young_person"), reported_at__date__gte=since
            )
        ),
        out_of_area=ExpressionWrapper(
            Q(young_person__placement_type=PlacementType.OUT_OF_AREA),
            output_field=IntegerField(),
        ),
        criminal_proceedings=Coalesce(F("load_factors__criminal_proceedings"), False),
        sibling_group=Coalesce(F("load_factors__sibling_group"), False),
        travel_minutes=F("load_factors__travel_minutes"),
    )
    return annotated.annotate(
        many_agencies=ExpressionWrapper(
            Q(agencies__gte=scheme.many_agencies_at), output_field=IntegerField()
        ),
        travel=ExpressionWrapper(
            Q(travel_minutes__gte=scheme.travel_minutes_at), output_field=IntegerField()
        ),
        points=ExpressionWrapper(
            F("risk_points")
            + _when(Q(agencies__gte=scheme.many_agencies_at), scheme.points_many_agencies)
            + _when(Q(recent_missing=True), scheme.points_recent_missing)
            + _when(
                Q(young_person__placement_type=PlacementType.OUT_OF_AREA),
                scheme.points_out_of_area,
            )
            + _when(Q(load_factors__criminal_proceedings=True), scheme.points_criminal_proceedings)
            + _when(
                Q(load_factors__travel_minutes__gte=scheme.travel_minutes_at), scheme.points_travel
            )
            + _when(Q(load_factors__sibling_group=True), scheme.points_sibling_group),
            output_field=POINTS,
        ),
    )


def _open_cases() -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.OPEN)


def capacity() -> ExpressionWrapper:
    """A worker's capacity: the points agreed for full time, scaled by their
    hours; null when none is agreed (no profile). One expression, so the pages
    and the reports compare a load with the same figure to the last digit."""
    full_time = Decimal(settings.CASELOAD_FULL_TIME_HOURS)
    return ExpressionWrapper(
        F("worker_profile__capacity_points")
        * F("worker_profile__weekly_hours")
        / _points(full_time),
        output_field=POINTS,
    )


def worker_loads(
    scheme: WeightingScheme, workers: QuerySet[User], today: date, now: datetime
) -> QuerySet[User]:
    """The workers, each annotated (one statement) with: led (open cases they
    lead), member (open cases they are in the team for but do not lead),
    led_points, member_points (already weighted by the scheme's share), load,
    capacity (their agreed points scaled by their hours; null when not agreed),
    open_flags and overdue (open flags past due and open actions past due)."""
    weighed = weighted_cases(scheme, _open_cases(), today)
    led = (
        weighed.filter(lead_professional=OuterRef("pk"))
        .order_by()
        .values("lead_professional")
        .annotate(total=Sum("points"), n=Count("pk"))
    )
    member = (
        weighed.filter(members__user=OuterRef("pk"), members__removed_at__isnull=True)
        .exclude(lead_professional=OuterRef("pk"))
        .order_by()
        .values("members__user")
        .annotate(total=Sum("points"), n=Count("pk"))
    )
    open_flags = Flag.objects.filter(owner=OuterRef("pk"), resolved_at__isnull=True)
    flag_count = open_flags.order_by().values("owner").annotate(n=Count("pk")).values("n")
    overdue_flags = (
        open_flags.filter(due_at__lt=now)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue_actions = (
        Action.objects.filter(owner=OuterRef("pk"), status="open", due_on__lt=today)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return workers.annotate(
        led=Coalesce(Subquery(led.values("n"), output_field=IntegerField()), 0),
        led_points=Coalesce(Subquery(led.values("total"), output_field=POINTS), ZERO),
        member=Coalesce(Subquery(member.values("n"), output_field=IntegerField()), 0),
        member_points=ExpressionWrapper(
            Coalesce(Subquery(member.values("total"), output_field=POINTS), ZERO)
            * _points(scheme.member_weight),
            output_field=POINTS,
        ),
        capacity=capacity(),
        open_flags=Coalesce(Subquery(flag_count, output_field=IntegerField()), 0),
        overdue=Coalesce(Subquery(overdue_flags, output_field=IntegerField()), 0)
        + Coalesce(Subquery(overdue_actions, output_field=IntegerField()), 0),
    ).annotate(load=ExpressionWrapper(F("led_points") + F("member_points"), output_field=POINTS))


@dataclass(frozen=True)
class Load:
    """A worker's load against capacity, for the bar."""

    load: Decimal
    capacity: Decimal | None

    @property
    def percent(self) -> int | None:
        if not self.capacity:
            return None
        return round(self.load * 100 / self.capacity)

    @property
    def bar_percent(self) -> int:
        """The bar's width: full at capacity or over it."""
        return min(self.percent or 0, 100)

    @property
    def high(self) -> Decimal | None:
        """Where the meter turns to a warning: nine tenths of capacity."""
        return None if self.capacity is None else self.capacity * Decimal("0.9")

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.load > self.capacity

    @property
    def room(self) -> Decimal | None:
        return None if self.capacity is None else self.capacity - self.load


def load_of(worker: Any) -> Load:
    """A worker annotated by worker_loads, as a Load."""
    capacity = worker.capacity
    return Load(
        load=Decimal(worker.load).quantize(Decimal("0.01")),
        capacity=None if capacity is None else Decimal(capacity).quantize(Decimal("0.01")),
    )


def worker_cases(
    scheme: WeightingScheme, reader: User, worker: User, today: date
) -> tuple[list[Case], int, Decimal]:
    """A worker's open cases that the reader may see, weighted, lead cases
    first, each with `share` (what it counts to this worker); and how many
    cases (and points) the reader cannot see behind the load. Two statements."""
    mine = Q(lead_professional=worker) | Q(
        pk__in=CaseMember.objects.filter(user=worker, removed_at__isnull=True).values("case")
    )
    visible = access.cases_visible_to(reader).filter(status=CaseStatus.OPEN).values("pk")

    def weighed(cases: QuerySet[Case]) -> QuerySet[Case]:
        return weighted_cases(scheme, cases.filter(mine), today).annotate(
            is_lead=ExpressionWrapper(Q(lead_professional=worker), output_field=IntegerField()),
            share=CaseWhen(
                When(lead_professional=worker, then=F("points")),
                default=ExpressionWrapper(
                    F("points") * _points(scheme.member_weight), output_field=POINTS
                ),
                output_field=POINTS,
            ),
        )

    cases = list(
        weighed(_open_cases().filter(pk__in=visible))
        .select_related("young_person", "lead_professional")
        .order_by("-is_lead", "-points", "young_person__legal_last_name", "pk")
    )
    hidden = (
        weighed(_open_cases().exclude(pk__in=visible))
        .order_by()
        .aggregate(n=Count("pk"), points=Coalesce(Sum("share"), ZERO))
    )
    return cases, int(hidden["n"]), Decimal(hidden["points"])


def lead_professionals_since(young_person_id: int, since: datetime) -> int:
    """How many lead professionals the young person has had since then, across
    their cases, the current one included: one statement."""
    return (
        LeadProfessionalSpell.objects.filter(case__young_person_id=young_person_id)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
        .values("user")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class Continuity:
    """What the person allocating should weigh before choosing a worker."""

    leads_in_year: int
    consistent_worker: User | None


def continuity_of(
    *,
    young_person_id: int,
    now: datetime,
    case_id: int | None = None,
    reader: User | None = None,
) -> Continuity:
    """How many lead professionals the young person had in the last 12
    months (a count), and the consistent worker the latest plan names (the
    case's plan; for a case not yet open, the plan of their latest earlier
    case the reader may see: a decider who cannot see an old case in another
    district is not told who worked with the child there)."""
    plans = PlanVersion.objects.filter(plan__case__young_person_id=young_person_id)
    if case_id is not None:
        plans = plans.filter(plan__case_id=case_id)
    if reader is not None:
        plans = plans.filter(plan__case__in=access.cases_visible_to(reader).values("pk"))
    latest = plans.select_related("consistent_worker").order_by("-pk").first()
    return Continuity(
        leads_in_year=lead_professionals_since(young_person_id, now - timedelta(days=365)),
        consistent_worker=latest.consistent_worker if latest else None,
    )


def candidate_loads(
    scheme: WeightingScheme,
    candidates: QuerySet[User],
    *,
    points: Decimal,
    member_ids: set[int],
    today: date,
    now: datetime,
) -> list[User]:
    """Each candidate with `load_bar` (now), `after` (as lead of a case worth
    `points`: in full, less the member's share they already carry) and
    `in_team`. One statement for any number of candidates."""
    rows: list[Any] = list(
        worker_loads(
            scheme, candidates.select_related("team", "agency", "worker_profile"), today, now
        ).order_by("team__name", "last_name", "first_name", "pk")
    )
    for row in rows:
        row.load_bar = load_of(row)
        share = points * scheme.member_weight if row.pk in member_ids else Decimal(0)
        row.after = Load(row.load_bar.load + points - share, row.load_bar.capacity)
        row.in_team = row.pk in member_ids
    return rows


def new_case_points(
    scheme: WeightingScheme, young_person: YoungPerson, risk_level: str, today: date
) -> Decimal:
    """What a case about to open weighs: its risk level's points and the
    factors the record already shows (a recent missing episode, a placement
    out of area). Factors recorded on a case come once it is open."""
    by_level: dict[str, Decimal] = {
        RiskLevel.LOW: scheme.points_low,
        RiskLevel.MEDIUM: scheme.points_medium,
        RiskLevel.HIGH: scheme.points_high,
    }
    points = Decimal(by_level.get(risk_level, scheme.points_not_assessed))
    since = today - timedelta(days=scheme.recent_missing_days)
    if MissingEpisode.objects.filter(
        young_person=young_person, reported_at__date__gte=since
    ).exists():
        points += scheme.points_recent_missing
    if young_person.placement_type == PlacementType.OUT_OF_AREA:
        points += scheme.points_out_of_area
    return points


@dataclass(frozen=True)
class NewCaseAllocation:
    points: Decimal
    rows: list[User]
    continuity: Continuity
    scheme: WeightingScheme


def new_case_allocation(
    reader: User, young_person: YoungPerson, risk_level: str, candidates: QuerySet[User]
) -> NewCaseAllocation:
    """For choosing a new case's first lead professional (a referral's
    decision): the loads of the candidates whose caseload the reader sees
    (access.workers_visible_to), before and after, and the child's continuity."""
    now = timezone.now()
    today = timezone.localdate(now)
    scheme = current_scheme()
    points = new_case_points(scheme, young_person, risk_level, today)
    visible = candidates.filter(pk__in=access.workers_visible_to(reader).values("pk"))
    return NewCaseAllocation(
        points=points,
        rows=candidate_loads(
            scheme, visible, points=points, member_ids=set(), today=today, now=now
        ),
        continuity=continuity_of(young_person_id=young_person.pk, now=now, reader=reader),
        scheme=scheme,
    )


def loads_cte(
    scheme: WeightingScheme, today: date, using: str, cases: QuerySet[Case] | None = None
) -> tuple[str, list[Any]]:
    """Every worker's weighted load across the partnership, as SQL to follow
    a WITH: ``weighed`` (each open case weighed once, by the same expression
    as the pages) and ``loads (worker, load)`` (its points to its lead in
    full and to each team member at the scheme's share). A worker with no
    open case has no row. Set-based, for statements over many workers: the
    per-worker subqueries of worker_loads cost a lookup of every case per
    worker, which is what made the workforce report slow. `cases`: only
    these open cases (a worker's load is whole only if all theirs are in)."""
    weighed = (
        weighted_cases(scheme, cases if cases is not None else _open_cases(), today)
        .order_by()
        # "points" is weighted_cases' annotation, which the plugin cannot see.
        .values("pk", "lead_professional_id", "points")  # type: ignore[misc]
    )
    sql, params = weighed.query.get_compiler(using).as_sql()
    member_table = CaseMember._meta.db_table
    cte = f"""
        weighed (id, lead_professional_id, points) AS ({sql}),
        loads (worker, load) AS (
            SELECT worker, SUM(points) FROM (
                SELECT lead_professional_id AS worker, points FROM weighed
                UNION ALL
                SELECT m.user_id, weighed.points * %s
                FROM weighed JOIN {member_table} AS m
                  ON m.case_id = weighed.id AND m.removed_at IS NULL
                 AND m.user_id <> weighed.lead_professional_id
            ) AS shares
            GROUP BY worker
        )
    """  # noqa: S608 - the SQL is Django's own compilation; values are parameters
    return cte, [*params, scheme.member_weight]


def workers_loads_sql(
    scheme: WeightingScheme, workers: QuerySet[User], today: date, using: str
) -> tuple[str, list[Any]]:
    """One statement giving (worker, load, capacity) for each of the workers:
    the load as worker_loads counts it (0 for a worker with no open case) and
    capacity as it does (null when none is agreed). For a report to count
    bands in the same statement.

    The workers are listed once (MATERIALIZED), and only the open cases one
    of them leads or is in the team for are weighed: their loads are whole,
    and a district's report weighs its workers' cases, not the partnership's."""
    chosen = workers.annotate(capacity=capacity()).order_by().values("pk", "capacity")
    listed, listed_params = chosen.query.get_compiler(using).as_sql()
    theirs = _open_cases().filter(pk__in=RawSQL("SELECT id FROM theirs", ()))
    cte, cte_params = loads_cte(scheme, today, using, theirs)
    case_table, member_table = Case._meta.db_table, CaseMember._meta.db_table
    statement = f"""
        WITH listed (id, capacity) AS MATERIALIZED ({listed}),
        theirs (id) AS (
            SELECT id FROM {case_table}
            WHERE status = %s AND lead_professional_id IN (SELECT id FROM listed)
            UNION
            SELECT case_id FROM {member_table}
            WHERE removed_at IS NULL AND user_id IN (SELECT id FROM listed)
        ),
        {cte}
        SELECT listed.id AS worker, COALESCE(loads.load, 0) AS load, listed.capacity
        FROM listed LEFT JOIN loads ON loads.worker = listed.id
    """  # noqa: S608 - the SQL is Django's own compilation; values are parameters
    return statement, [*listed_params, CaseStatus.OPEN, *cte_params]


def partnership_loads(
    scheme: WeightingScheme, today: date, using: str = "default"
) -> dict[int, Decimal]:
    """Every worker's weighted load across the partnership, in one set-based
    statement (loads_cte). For the benchmark and the tests; `using`: the
    database to read (the reports read their replica)."""
    cte, params = loads_cte(scheme, today, using)
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH {cte} SELECT worker, load FROM loads", params)  # noqa: S608
        return {worker: Decimal(total) for worker, total in cursor.fetchall()}
