"""The drift engine: the set-based sweep that raises, updates, resolves and
escalates flags from the rules every app registers (cse_cases/drift.py: what
a rule is, the registry, and `rules()` in sweep order).

A rule is a queryset of the subjects that are drifting at a moment, with six
columns (``CANDIDATE_COLUMNS``). The sweep evaluates it once, compared with the
rule's open flags in one full join, and keeps only the differences in a
temporary table; then three SQL statements act on them inside PostgreSQL,
never a Python loop over rows:

1. INSERT the flags that are missing (ON CONFLICT DO NOTHING against the
   one-open-flag-per-subject index, so concurrent or repeated sweeps are safe);
2. UPDATE open flags whose owner, team, district, young person, due time or
   risk changed (a flag follows its subject);
3. UPDATE open flags whose subject no longer matches: resolved.

Each rule runs in its own transaction: a worker that dies mid-sweep loses at
most the rule it was on, and the next sweep completes it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from cse_cases.drift import Rule, rules
from cse_cases.models import Area, Team, User
from cse_cases.working_days import latest_start_due_by
from supervision.models import Escalation, Flag

log = logging.getLogger(__name__)


def candidate_sql(rule: Rule, now: datetime) -> tuple[str, tuple]:
    # No ORDER BY: a model's default ordering would sort a million rows that
    # the comparison below never needs in order.
    queryset = rule.candidates(now).order_by()
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


@dataclass
class RuleResult:
    kind: str
    raised: int
    updated: int
    resolved: int
    seconds: float


def sweep_rule(rule: Rule, now: datetime) -> RuleResult:
    started = time.monotonic()
    sql, params = candidate_sql(rule, now)
    flag = Flag._meta.db_table
    user = connection.ops.quote_name(User._meta.db_table)
    team = connection.ops.quote_name(Team._meta.db_table)
    # The owner's team, or the rule's own (cse_cases/drift.py, Rule.own_team).
    team_of = "c.f_team" if rule.own_team else "u.team_id"
    # One pass compares the candidates with the rule's open flags (a hash full
    # join) and keeps only the differences: new subjects, changed ones, and
    # flags whose subject no longer matches. In a steady state that is almost
    # nothing, so a sweep costs little more than its predicate. The SQL is made
    # of model table names and the compiled candidate query; values are
    # parameters.
    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only: memory to keep the comparison's hash
        # table off disk, and no JIT, whose compile time costs more than it
        # saves on these short scans.
        cursor.execute(
            "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
            (settings.FLAG_SWEEP_WORK_MEM,),
        )
        # (Dropped first: inside an outer transaction, as in tests, the
        # previous rule's table is still there.)
        cursor.execute("DROP TABLE IF EXISTS flag_changes")
        # A flag follows its subject: when the child moves district, their
        # case changes hands, the owner moves team, or a merge moves the
        # subject to another record, the open flag's district, young person,
        # owner and team change with it (the team is the owner's), so it
        # escalates to the right supervisor and CSE leads.
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE flag_changes ON COMMIT DROP AS
            SELECT c.f_subject, c.f_young_person, c.f_area, c.f_owner, c.f_due, c.f_high,
                   {team_of} AS f_team, f.id AS flag_id,
                   CASE WHEN f.id IS NULL THEN 'new'
                        WHEN c.f_subject IS NULL THEN 'gone'
                        ELSE 'changed' END AS change
            FROM ({sql}) AS c
            LEFT JOIN {user} AS u ON u.id = c.f_owner
            FULL JOIN (
                SELECT id, subject_id, young_person_id, area_id, owner_id, team_id,
                       high_risk, due_at
                FROM {flag}
                WHERE kind = %s AND subject_type = %s AND resolved_at IS NULL
            ) AS f ON f.subject_id = c.f_subject
            WHERE f.id IS NULL OR c.f_subject IS NULL
               OR f.owner_id IS DISTINCT FROM c.f_owner OR f.high_risk <> c.f_high
               OR f.due_at <> c.f_due
               OR f.area_id <> c.f_area
               OR f.young_person_id IS DISTINCT FROM c.f_young_person
               OR f.team_id IS DISTINCT FROM {team_of}
            """,  # noqa: S608
            (*params, rule.kind, rule.subject_type),
        )
        cursor.execute(
            f"""
            INSERT INTO {flag} (kind, subject_type, subject_id, young_person_id, area_id,
                                owner_id, team_id, high_risk, raised_at, due_at, escalation,
                                resolution)
            SELECT %s, %s, d.f_subject, d.f_young_person, d.f_area, d.f_owner, d.f_team,
                   d.f_high, %s, d.f_due, 0, ''
            FROM flag_changes AS d
            WHERE d.change = 'new'
            ON CONFLICT (kind, subject_type, subject_id) WHERE resolved_at IS NULL DO NOTHING
            """,  # noqa: S608
            (rule.kind, rule.subject_type, now),
        )
        raised = cursor.rowcount
        # A flag already escalated to a supervisor that moves to another team
        # is escalated to that team's supervisor instead (for a rule that
        # escalates past its owner, to the new owner's own supervisor).
        retarget = (
            f"""WHEN f.escalation = {Escalation.SUPERVISOR:d}
                    AND f.owner_id IS DISTINCT FROM d.f_owner
                THEN (SELECT t.supervisor_id FROM {user} AS m JOIN {team} AS t ON t.id = m.team_id
                      WHERE m.id = d.f_owner AND t.supervisor_id <> d.f_owner)"""  # noqa: S608
            if rule.escalate_past_owner
            else f"""WHEN f.escalation > 0 AND f.team_id IS DISTINCT FROM d.f_team
                THEN (SELECT t.supervisor_id FROM {team} AS t WHERE t.id = d.f_team)"""  # noqa: S608
        )
        cursor.execute(
            f"""
            UPDATE {flag} AS f
            SET owner_id = d.f_owner, high_risk = d.f_high, due_at = d.f_due,
                young_person_id = d.f_young_person, area_id = d.f_area, team_id = d.f_team,
                escalated_to_id = CASE {retarget} ELSE f.escalated_to_id END
            FROM flag_changes AS d
            WHERE d.change = 'changed' AND f.id = d.flag_id AND f.resolved_at IS NULL
            """,  # noqa: S608
        )
        updated = cursor.rowcount
        # A flag whose new team has no one to escalate to (retargeted to
        # NULL) goes back to "not escalated", so the next escalation routes it
        # afresh (to the district's CSE leads when no one is above the owner)
        # instead of sitting escalated to nobody (review finding).
        cursor.execute(
            f"""
            UPDATE {flag} SET escalation = 0
            WHERE kind = %s AND resolved_at IS NULL AND escalation = {Escalation.SUPERVISOR:d}
              AND escalated_to_id IS NULL
            """,  # noqa: S608
            (rule.kind,),
        )
        cursor.execute(
            f"""
            UPDATE {flag} AS f SET resolved_at = %s, resolution = %s
            FROM flag_changes AS d
            WHERE d.change = 'gone' AND f.id = d.flag_id AND f.resolved_at IS NULL
            """,  # noqa: S608
            (now, "The condition cleared"),
        )
        resolved = cursor.rowcount
        cursor.execute("DROP TABLE flag_changes")
    return RuleResult(rule.kind, raised, updated, resolved, time.monotonic() - started)


def escalate(now: datetime) -> tuple[int, int]:
    """Flags open `FLAG_ESCALATE_WORKING_DAYS` working days after they fell due
    go to the supervisor of the owner's team; at high risk, to the district's
    CSE leads. A rule that escalates past its owner (Rule.escalate_past_owner)
    sends its flags to the supervisor of the owner's own team, or, with no one
    above the owner, to the district's CSE leads. Set-based: three UPDATEs."""
    days = settings.FLAG_ESCALATE_WORKING_DAYS
    # Districts by nation, so each nation's cutoff is a condition on the flag's
    # own columns and the partial indexes below answer it (no join per flag).
    areas: dict[str, list[int]] = {}
    for pk, nation in Area.objects.values_list("pk", "nation"):
        areas.setdefault(nation, []).append(pk)
    overdue = Q(pk__in=[])
    for nation, area_ids in areas.items():
        overdue |= Q(area_id__in=area_ids, due_at__lte=latest_start_due_by(now, days, nation))
    open_flags = Flag.objects.filter(overdue, resolved_at__isnull=True)
    supervisor = Team.objects.filter(pk=OuterRef("team_id")).values("supervisor_id")[:1]
    past_owner = [rule.kind for rule in rules() if rule.escalate_past_owner]
    # The owner's own supervisor: never the owner themselves.
    owners_supervisor = User.objects.filter(
        pk=OuterRef("owner_id"), team__supervisor__isnull=False
    ).exclude(team__supervisor=OuterRef("owner_id"))
    with transaction.atomic():
        to_supervisor = (
            open_flags.filter(escalation=Escalation.NONE)
            .exclude(kind__in=past_owner)
            .update(
                escalation=Escalation.SUPERVISOR,
                escalated_at=now,
                escalated_to=Subquery(supervisor),
            )
        )
        to_supervisor += open_flags.filter(
            Exists(owners_supervisor), kind__in=past_owner, escalation=Escalation.NONE
        ).update(
            escalation=Escalation.SUPERVISOR,
            escalated_at=now,
            escalated_to=Subquery(owners_supervisor.values("team__supervisor_id")[:1]),
        )
        # Left at NONE above: a past-owner flag with no one above its owner.
        to_lead = open_flags.filter(
            Q(high_risk=True) | Q(kind__in=past_owner, escalation=Escalation.NONE),
            escalation__lt=Escalation.CSE_LEAD,
        ).update(escalation=Escalation.CSE_LEAD, escalated_at=now)
    return to_supervisor, to_lead


# A sweep that changed more flags than this refreshes the table's statistics
# and visibility map at once, rather than when autovacuum next comes round, so
# the next sweep plans with the right sizes and reads the open-flag index
# alone (a first sweep at national scale raises a million flags).
BULK_CHANGE = 10_000


def refresh_statistics() -> None:
    """VACUUM cannot run inside a transaction; when called inside one (as in
    tests) autovacuum is left to do it. The database role must own the table
    (or, from PostgreSQL 17, hold MAINTAIN on it); otherwise PostgreSQL skips
    it with a warning and autovacuum gets there later. A failure here (say a
    lock held by another sweep's VACUUM) is logged, never raised: the sweep's
    work is already committed."""
    if connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {Flag._meta.db_table}")
    except DatabaseError:
        log.exception("flags: VACUUM (ANALYZE) after a bulk change failed; autovacuum will do it")


def sweep(*, now: datetime, kinds: list[str] | None = None) -> list[RuleResult]:
    """Every rule (or those named), then escalation."""
    results = []
    for rule in rules():
        if kinds and rule.kind not in kinds:
            continue
        result = sweep_rule(rule, now)
        log.info(
            "flags %s: %d raised, %d updated, %d resolved in %.2fs",
            rule.kind,
            result.raised,
            result.updated,
            result.resolved,
            result.seconds,
        )
        results.append(result)
    # Escalation first, so that nothing delays a flag reaching a supervisor.
    escalated = escalate(now)
    changed = sum(r.raised + r.updated + r.resolved for r in results) + sum(escalated)
    if changed > BULK_CHANGE:
        refresh_statistics()
    return results
