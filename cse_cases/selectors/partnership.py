"""Reads for the core, each scoped through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases import access
from cse_cases.models import AgencyKind, Area, Role, Team, User


def profile_for(user: User) -> User:
    """The signed-in user with what the shell and home page show about them."""
    return (
        User.objects.select_related("agency", "team", "team__supervisor")
        .prefetch_related("areas")
        .get(pk=user.pk)
    )


def supervised_teams(user: User) -> QuerySet[Team]:
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name")
    return (
        access.teams_visible_to(user)
        .filter(supervisor=user)
        .prefetch_related(Prefetch("members", queryset=members))
    )


@dataclass(frozen=True)
class AreaSummary:
    area: Area
    agencies_by_kind: list[tuple[str, int]]
    agency_count: int


def area_summaries(user: User, areas: QuerySet[Area]) -> list[AreaSummary]:
    """Per area, how many agencies of each kind serve it (one query)."""
    area_list = list(areas)
    rows = (
        access.agencies_visible_to(user)
        .filter(is_active=True, areas__in=area_list)
        .values("areas", "kind")
        .annotate(n=Count("id", distinct=True))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["areas"], {})[row["kind"]] = row["n"]
    summaries = []
    for area in area_list:
        by_kind = counts.get(area.pk, {})
        summaries.append(
            AreaSummary(
                area=area,
                agencies_by_kind=[
                    (kind.label, by_kind[kind.value])
                    for kind in AgencyKind
                    if kind.value in by_kind
                ],
                agency_count=sum(by_kind.values()),
            )
        )
    return summaries


def led_areas(user: User) -> QuerySet[Area]:
    return access.areas_visible_to(user).filter(staff=user)


@dataclass(frozen=True)
class PartnershipCounts:
    areas: int
    agencies: int
    teams: int
    users_by_role: list[tuple[str, int]]
    users_without_two_factor: int


def partnership_counts(user: User) -> PartnershipCounts:
    people = access.colleagues_visible_to(user).filter(is_active=True)
    by_role = dict(people.values_list("role").annotate(n=Count("id")))
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    return PartnershipCounts(
        areas=access.areas_visible_to(user).count(),
        agencies=access.agencies_visible_to(user).filter(is_active=True).count(),
        teams=access.teams_visible_to(user).count(),
        users_by_role=[(role.label, by_role.get(role.value, 0)) for role in Role],
        users_without_two_factor=people.exclude(pk__in=enrolled).count(),
    )


@dataclass(frozen=True)
class LockedAccount:
    username: str
    failures: int
    addresses: list[str]
    last_attempt: datetime


@dataclass(frozen=True)
class SignInActivity:
    locked_out: list[LockedAccount]
    recent_failures: list[AccessFailureLog]


def sign_in_activity(user: User, *, limit: int = 20) -> SignInActivity:
    if not access.may_review_sign_in_activity(user):
        return SignInActivity(locked_out=[], recent_failures=[])
    # Axes locks a username on the sum of its failures across every address
    # and browser, and forgets attempts older than the cool-off: count the same way.
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.all()
    failure_logs = AccessFailureLog.objects.all()
    usernames = access.sign_in_activity_usernames(user)
    if usernames is not None:
        # Information governance: its own districts' accounts only.
        attempts = attempts.filter(username__in=usernames)
        failure_logs = failure_logs.filter(username__in=usernames)
    locked = (
        attempts.filter(attempt_time__gte=since)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"),
            addresses=ArrayAgg("ip_address", distinct=True),
            last_attempt=Max("attempt_time"),
        )
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")[:limit]
    )
    failures = failure_logs.order_by("-attempt_time")[:limit]
    return SignInActivity(
        locked_out=[LockedAccount(**row) for row in locked], recent_failures=list(failures)
    )
