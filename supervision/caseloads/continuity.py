"""Continuity: how often children's lead professional changes, per team.

A change is a lead professional spell that began in the year and followed an
earlier spell on the same case (a case's first lead is not a change). Children
are counted against the team of their case's current lead professional; the
rate is changes per child over the last 12 months, so it reads "per child per
year". Two statements whatever the number of teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from cse_cases import access
from cse_cases.models import Case, LeadProfessionalSpell, Team, User


@dataclass(frozen=True)
class TeamContinuity:
    team: Team
    children: int
    changes: int

    @property
    def per_child(self) -> float | None:
        return round(self.changes / self.children, 2) if self.children else None


def teams_for(user: User) -> list[Team]:
    managed = access.workers_managed_by(user)
    return list(
        Team.objects.filter(members__in=managed.values("pk"))
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "name")
    )


def by_team(user: User, now: datetime) -> list[TeamContinuity]:
    teams = teams_for(user)
    if not teams:
        return []
    since = now - timedelta(days=365)
    team_ids = [team.pk for team in teams]
    in_year = Q(status="open") | Q(closed_on__gte=since.date())
    children = dict(
        Case.objects.filter(in_year, lead_professional__team__in=team_ids)
        .order_by()
        .values("lead_professional__team")
        .annotate(n=Count("young_person", distinct=True))
        .values_list("lead_professional__team", "n")
    )
    earlier = LeadProfessionalSpell.objects.filter(
        case=OuterRef("case"), started_at__lt=OuterRef("started_at")
    )
    changes = dict(
        LeadProfessionalSpell.objects.filter(
            started_at__gte=since, case__lead_professional__team__in=team_ids
        )
        .filter(Exists(earlier))
        .order_by()
        .values("case__lead_professional__team")
        .annotate(n=Count("pk"))
        .values_list("case__lead_professional__team", "n")
    )
    return [
        TeamContinuity(
            team=team, children=children.get(team.pk, 0), changes=changes.get(team.pk, 0)
        )
        for team in teams
    ]
