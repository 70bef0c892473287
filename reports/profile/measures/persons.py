"""Persons of concern: how many belong to the district, how many young people
they are linked to, how many have disruption under way, and how many also
appear in another district (a count only: nothing of the other district's
people is shown).

A person of concern belongs to the district when they were recorded in it
(``PersonOfConcern.area``), or are linked to one of its young people or
places. Persons, links and disruption are counted as they stood on the last
day of the period (or today, while it runs).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cse_cases.models import (
    ContextLink,
    Disruption,
    LinkKind,
    PersonOfConcern,
    PersonOfConcernShare,
)
from reports.measures.conditions import condition_counts
from reports.profile.context import ProfileContext
from reports.tables import Row, Section, Table


def links(ctx: ProfileContext) -> QuerySet[ContextLink]:
    return ContextLink.objects.using(ctx.using).filter(created_at__lt=ctx.as_of_end)


def disruption_under_way(ctx: ProfileContext) -> Q:
    """Disruption started by the day counted at, and not ended before it."""
    return Q(started_on__lte=ctx.as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gte=ctx.as_of))


# Why "id IN (subquery)" rather than EXISTS: an uncorrelated subquery is
# planned once and hashed, where a correlated EXISTS runs once per person
# (seconds at 20,000 persons and 300,000 links, measured).


def _linked_in(ctx: ProfileContext, areas: tuple[int, ...], *, outside: bool = False) -> Q:
    """Persons with a link to a young person or a place of these districts
    (or, with ``outside``, of a district not among them)."""
    young, place = Q(young_person__area_id__in=areas), Q(location__area_id__in=areas)
    if outside:
        young = Q(young_person__isnull=False) & ~young
        place = Q(location__isnull=False) & ~place
    to_young = links(ctx).filter(young, person__isnull=False).values("person_id")
    to_place = links(ctx).filter(place, person__isnull=False).values("person_id")
    return Q(pk__in=to_young) | Q(pk__in=to_place)


def persons(ctx: ProfileContext) -> QuerySet[PersonOfConcern]:
    """The district's persons of concern (see the module's docstring)."""
    areas = ctx.area_ids
    return PersonOfConcern.objects.using(ctx.using).filter(
        Q(created_at__lt=ctx.as_of_end) & (Q(area_id__in=areas) | _linked_in(ctx, areas))
    )


def _elsewhere(ctx: ProfileContext) -> Q:
    """Recorded in, linked in, or shared with a district outside the profile."""
    areas = ctx.area_ids
    shared = (
        PersonOfConcernShare.objects.using(ctx.using)
        .filter(shared_at__lt=ctx.as_of_end)
        .exclude(area_id__in=areas)
        .values("person_id")
    )
    return (
        (Q(area__isnull=False) & ~Q(area_id__in=areas))
        | _linked_in(ctx, areas, outside=True)
        | Q(pk__in=shared)
    )


def figures(ctx: ProfileContext) -> Table:
    disrupted = (
        Disruption.objects.using(ctx.using)
        .filter(disruption_under_way(ctx), person__isnull=False)
        .values("person_id")
    )
    # The conditions go in the counts' filters (not annotations), so the
    # whole is one aggregate statement over the district's persons.
    counts = condition_counts(
        persons(ctx),
        {"all": Q(), "disrupted": Q(pk__in=disrupted), "elsewhere": _elsewhere(ctx)},
    )
    linked = (
        links(ctx)
        .filter(
            kind=LinkKind.YOUNG_PERSON_TO_PERSON,
            person__in=persons(ctx).values("pk"),
            young_person__area_id__in=ctx.area_ids,
        )
        .order_by()
        .aggregate(n=Count("young_person", distinct=True))["n"]
    )
    return Table(
        key="profile.persons.figures",
        title="Persons of concern",
        row_heading="Persons of concern",
        columns=(f"On {ctx.as_of:%-d %B %Y}",),
        rows=(
            Row("Persons of concern in the district", (counts["all"],), in_total=False),
            Row(
                "of which: disruption under way",
                (counts["disrupted"],),
                in_total=False,
            ),
            Row(
                "of which: also appear in another district",
                (counts["elsewhere"],),
                in_total=False,
            ),
            Row("Young people linked to them (young people)", (linked or 0,), in_total=False),
        ),
        column_totals=False,
        unit="persons of concern",
        chart="none",
        note="Recorded in the district, or linked to its young people or places. Disruption "
        "under way: started and not ended (a warning notice, an order, a check, an arrest). "
        "Another district: recorded, linked or shared there; its people are not shown.",
    )


def section(ctx: ProfileContext) -> Section:
    return Section(
        key="persons",
        title="Persons of concern",
        summary="The people thought to pose a risk to the district's young people, and what "
        "is being done to disrupt them.",
        tables=(figures(ctx),),
    )
