"""What the profile's sections share: who counts as a victim in the period."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cse_cases.models import Case, YoungPerson
from reports.profile.context import ProfileContext


def open_in_period(ctx: ProfileContext) -> Q:
    """A case open on at least one day of the period."""
    return Q(opened_on__lte=ctx.period.end) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=ctx.period.start)
    )


def cases(ctx: ProfileContext) -> QuerySet[Case]:
    """The district's cases open in the period (``Case.area``: the district
    whose CSE leads oversee them)."""
    return Case.objects.using(ctx.using).filter(open_in_period(ctx), area_id__in=ctx.area_ids)


def victims(ctx: ProfileContext) -> QuerySet[YoungPerson]:
    """The young people the service worked with in the period: a case of theirs
    in the district open on some day of it. Merged-away duplicates have no
    cases left, so each child counts once."""
    open_case = cases(ctx).filter(young_person=OuterRef("pk"))
    return YoungPerson.objects.using(ctx.using).filter(Exists(open_case))
