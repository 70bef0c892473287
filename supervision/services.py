"""Writes of the drift engine: the sweep, and the daily digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cse_cases import drift
from cse_cases.models import Role, User
from supervision import engine
from supervision.models import Escalation, Flag, SweepRun

# A month of sweeps (about 3,000 rows at one every 15 minutes): enough to see
# when sweeps stopped or slowed, small enough that keeping it costs nothing.
SWEEP_RUNS_KEPT_DAYS = 31


def flags_sweep(*, now: datetime, kinds: list[str] | None = None) -> list[engine.RuleResult]:
    """Raise, update, resolve and escalate every rule's flags (see engine),
    recording the sweep's start and finish for the pages that say when work
    was last checked.

    Three statements beside the engine's, whatever the data size: the start
    row, its finish, and one DELETE of rows past keeping. Outside a
    transaction (as in a worker) the start row commits at once, so a sweep
    that is running, or whose worker died, shows as started and unfinished."""
    run = SweepRun.objects.create(started_at=timezone.now(), every_rule=not kinds)
    results = engine.sweep(now=now, kinds=kinds)
    finished = timezone.now()
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=finished,
        raised=sum(r.raised for r in results),
        updated=sum(r.updated for r in results),
        resolved=sum(r.resolved for r in results),
    )
    SweepRun.objects.filter(started_at__lt=finished - timedelta(days=SWEEP_RUNS_KEPT_DAYS)).delete()
    return results


def flag_digests_send(*, now: datetime) -> int:
    """One email per person with open flags they must act on, as their "my work"
    page shows them: flags they own, flags escalated to them and, for a CSE
    lead, high-risk flags escalated to the CSE leads of their districts. How
    many of each kind, and a link to the page. No child's name.

    Set-based: two grouped queries, whatever the number of flags."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True)
    per_person: dict[int, dict[str, int]] = {}

    def add(person: int, kind: str, n: int) -> None:
        kinds = per_person.setdefault(person, {})
        kinds[kind] = kinds.get(kind, 0) + n

    named = (
        open_flags.filter(Q(owner__isnull=False) | Q(escalated_to__isnull=False))
        .values("owner_id", "escalated_to_id", "kind")
        .annotate(n=Count("pk"))
    )
    for row in named:
        for person in {row["owner_id"], row["escalated_to_id"]} - {None}:
            add(person, row["kind"], row["n"])
    to_leads = list(
        open_flags.filter(escalation=Escalation.CSE_LEAD)
        .values("area_id", "owner_id", "escalated_to_id", "kind")
        .annotate(n=Count("pk"))
    )
    leads_of: dict[int, list[int]] = {}
    for lead, area in User.objects.filter(
        role=Role.CSE_LEAD, areas__in={row["area_id"] for row in to_leads}
    ).values_list("pk", "areas"):
        leads_of.setdefault(area, []).append(lead)
    for row in to_leads:
        for lead in leads_of.get(row["area_id"], []):
            # A lead who owns the flag, or had it escalated, counted it above.
            if lead not in (row["owner_id"], row["escalated_to_id"]):
                add(lead, row["kind"], row["n"])
    people = User.objects.filter(pk__in=per_person, is_active=True).exclude(email="")
    link = f"{settings.SITE_URL}{reverse('my-work')}"
    messages = []
    for person in people:
        lines = []
        for kind, n in sorted(per_person[person.pk].items()):
            rule = drift.rule_for(kind)
            lines.append(f"- {rule.label if rule else kind}: {n}")
        body = "Open items in Harbour that need you:\n" + "\n".join(lines) + f"\n\n{link}\n"
        messages.append(("Harbour: your work today", body, None, [person.email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
