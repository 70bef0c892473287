"""Writes of the drift engine: the sweep, and the daily digest."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Count, Q
from django.urls import reverse

from cse_cases.models import User
from supervision import engine
from supervision.models import Flag


def flags_sweep(*, now: datetime, kinds: list[str] | None = None) -> list[engine.RuleResult]:
    """Raise, update, resolve and escalate every rule's flags (see engine)."""
    return engine.sweep(now=now, kinds=kinds)


def flag_digests_send(*, now: datetime) -> int:
    """One email per person with open flags they own or had escalated to them:
    how many of each kind, and a link to their work page. No child's name."""
    mine = Q(owner__isnull=False) | Q(escalated_to__isnull=False)
    counts = (
        Flag.objects.filter(mine, resolved_at__isnull=True)
        .values("owner_id", "escalated_to_id", "kind")
        .annotate(n=Count("pk"))
    )
    per_person: dict[int, dict[str, int]] = {}
    for row in counts:
        for person in {row["owner_id"], row["escalated_to_id"]} - {None}:
            kinds = per_person.setdefault(person, {})
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["n"]
    people = User.objects.filter(pk__in=per_person, is_active=True).exclude(email="")
    link = f"{settings.SITE_URL}{reverse('my-work')}"
    messages = []
    for person in people:
        lines = []
        for kind, n in sorted(per_person[person.pk].items()):
            rule = engine.rule_for(kind)
            lines.append(f"- {rule.label if rule else kind}: {n}")
        body = "Open items in Harbour that need you:\n" + "\n".join(lines) + f"\n\n{link}\n"
        messages.append(("Harbour: your work today", body, None, [person.email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
