"""Reads for the problem profile page and API: the figures for the districts
the access policy allows, computed on request (always current, never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from cse_cases import access
from cse_cases.models import User
from reports.disclosure import publish_section, threshold
from reports.measures import compute_section
from reports.period import Period
from reports.profile.context import ProfileContext
from reports.profile.exact import exact_section
from reports.profile.measures import sections
from reports.published import PublishedSection
from reports.tables import Section


@dataclass(frozen=True)
class Profile:
    districts: access.ProfileDistricts
    period: Period
    shared: bool
    sections: list[PublishedSection]
    # The suppression threshold the counts passed, when shared.
    threshold: int | None = None


def profile_context(
    user: User,
    districts: access.ProfileDistricts,
    period: Period,
    *,
    today: date,
    audience: str = access.ProfileAudience.INTERNAL,
) -> ProfileContext:
    return ProfileContext(
        area_ids=districts.area_ids,
        period=period,
        using=settings.REPORTS_DATABASE,
        today=today,
        shared=access.profile_shared(user, audience),
    )


def raw_sections(ctx: ProfileContext) -> list[Section]:
    """Each section in its own transaction, as the commissioner report's
    are: JIT off, and memory enough to hash the sets it counts."""
    return [compute_section(section, ctx) for section in sections()]


def publish(ctx: ProfileContext, raw: list[Section]) -> list[PublishedSection]:
    """Exact inside CSE leads and police; disclosure-controlled beyond them."""
    if ctx.shared:
        return [publish_section(section) for section in raw]
    return [exact_section(section) for section in raw]


def profile_for(
    user: User,
    district: object,
    period: Period,
    *,
    today: date,
    audience: str = access.ProfileAudience.INTERNAL,
) -> Profile:
    """The profile of a district the reader may read (404 otherwise), made
    for the audience asked for."""
    districts = access.profile_districts(user, district)
    ctx = profile_context(user, districts, period, today=today, audience=audience)
    return Profile(
        districts=districts,
        period=period,
        shared=ctx.shared,
        sections=publish(ctx, raw_sections(ctx)),
        threshold=threshold() if ctx.shared else None,
    )
