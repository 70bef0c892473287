"""The drift engine's rules: what a time rule is, the registry each app feeds
from its AppConfig.ready(), and the column helpers rules are written with.

The sweep that runs the rules and raises, updates, resolves and escalates
flags is supervision's (supervision/engine.py). The registry is the core's so
that any app, the core included, can add its rules without importing a
feature: the core's own are in cse_cases/rules.py, each feature's in its
`rules` module (DESIGN.md section 5).

A rule is a queryset of the subjects drifting at a moment, with six columns
(``CANDIDATE_COLUMNS``): the subject's id, the young person, the district, the
owner (who must act), when it fell due, and whether the young person is at
high risk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from cse_cases.models import CaseStatus, RiskLevel

# Every rule's queryset yields exactly these, by these names (.values(...)).
CANDIDATE_COLUMNS = ("f_subject", "f_young_person", "f_area", "f_owner", "f_due", "f_high")


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    subject_type: str
    # now -> the drifting subjects, as a queryset of CANDIDATE_COLUMNS
    candidates: Callable[[datetime], QuerySet]
    # Where a flag's subject is shown: a URL name taking the subject id, if any.
    url_name: str = ""
    # The sweep runs rules in this order (lower first), whatever order the apps
    # register them in: each rule commits on its own, so the order is what a
    # sweep that stops half-way has done.
    order: int = field(default=100, kw_only=True)
    # A flag's team is its owner's, unless the rule yields a seventh column,
    # `f_team` (supervision: the flag is owned by the supervisor, and is about
    # the worker's team).
    own_team: bool = field(default=False, kw_only=True)
    # An aged flag goes to the supervisor of the flag's team. A rule whose owner
    # is that supervisor (supervision: the one already late) sets this: the
    # flag goes to the supervisor of the owner's own team instead, and, when no
    # one supervises the owner, to the district's CSE leads.
    escalate_past_owner: bool = field(default=False, kw_only=True)


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """A capability adds its time rule here, from its app's ready()."""
    _rules[rule.kind] = rule
    return rule


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: rule.order)


def rule_for(kind: str) -> Rule | None:
    return _rules.get(kind)


# --- Writing a rule's columns ----------------------------------------------------------


def with_open_case(queryset: QuerySet) -> QuerySet:
    """The young person's open case (at most one), as a LEFT JOIN the planner
    can place after the rule's filter: a subquery per row in the SELECT list
    would be evaluated for every row scanned, not every row kept."""
    return queryset.annotate(
        open_case=FilteredRelation(
            "young_person__cases", condition=Q(young_person__cases__status=CaseStatus.OPEN)
        )
    )


# The owner (the open case's lead professional) and the risk, once annotated.
# A young person with no open case has no owner and is not at high risk: the
# comparison with a missing case is NULL, and a flag's high_risk is never NULL.
OPEN_CASE_LEAD = F("open_case__lead_professional_id")
OPEN_CASE_HIGH = Coalesce(
    ExpressionWrapper(Q(open_case__risk_level=RiskLevel.HIGH), output_field=BooleanField()),
    Value(False, output_field=BooleanField()),
)


class StartOf(Func):
    """The start of a day in the service's time zone, optionally a constant
    interval later. Midnight in London is 23:00 UTC in summer, so a plain cast
    (which the UTC database connection would read as UTC) is an hour late."""

    output_field = DateTimeField()

    def __init__(self, day_field: str, *, later: str = "") -> None:
        super().__init__(F(day_field))
        self.later = later

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # `later` is a constant written in a rules module, never user input.
        later = f" + interval '{self.later}'" if self.later else ""
        return f"(({sql}){later})::timestamp AT TIME ZONE %s", (*params, settings.TIME_ZONE)


def start_of(day_field: str) -> StartOf:
    return StartOf(day_field)


def constant(value: bool) -> Value:
    return Value(value, output_field=BooleanField())


def no_id() -> Cast:
    # Typed, so that a NULL column of the candidate query is a bigint.
    return Cast(Value(None), BigIntegerField())


def holds(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())
