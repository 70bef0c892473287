"""What the profile's sections share: who counts as a victim in the period."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cse_cases.models import Case, LocationKind, YoungPerson
from reports.profile.context import ProfileContext

# Places the profile never names (review finding): a house or flat, or a
# vehicle, linked to a child is as good as that child's address; the map
# (inside the access rule) still names them.
PRIVATE_KINDS = frozenset({LocationKind.HOUSE, LocationKind.VEHICLE})
KINDS = dict(LocationKind.choices)


def place_label(pk: int, name: str, kind: str) -> str:
    """A place as the profile's tables name it: a public place by name and
    kind, a private one by its kind and Harbour's number for it only."""
    if kind in PRIVATE_KINDS:
        return place_name(pk, name, kind)
    return f"{name} ({KINDS.get(kind, kind)})"


def place_name(pk: int, name: str, kind: str) -> str:
    """A place as a group's label names it: a public place by its name."""
    if kind in PRIVATE_KINDS:
        return f"{KINDS[kind]}, not named (place {pk})"
    return name


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
