"""What is not known: how complete the record is, and the intelligence gaps
the data shows.

Completeness: the young people's ethnicity, the model of exploitation on
their cases, and whether the period's missing episodes say where the young
person went or was found. (Harbour records no ethnicity for persons of
concern, so their completeness cannot be measured: the table says so.)

Intelligence gaps:
- a place of the district linked to GAP_PLACE_YOUNG_PEOPLE or more young
  people with no disruption ever recorded against it (listed by name:
  places are named inside the partnership, children never are);
- a person of concern of the district linked to GAP_PERSON_YOUNG_PEOPLE or
  more young people, with no link recorded by the police and no disruption
  (a count only).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Trim

from cse_cases.models import (
    AgencyKind,
    Disruption,
    Ethnicity,
    LinkKind,
    Location,
    MissingEpisode,
    ReturnInterview,
)
from reports.measures.conditions import condition_counts
from reports.profile.context import ProfileContext
from reports.profile.measures.common import cases, place_label, victims
from reports.profile.measures.persons import links, persons
from reports.tables import Row, Section, Table

GAP_PLACE_YOUNG_PEOPLE = 3
GAP_PERSON_YOUNG_PEOPLE = 2
# The gaps table lists at most this many places, the most linked first.
GAP_PLACES_SHOWN = 50


def completeness(ctx: ProfileContext) -> Table:
    unknown_ethnicity = Q(ethnicity__in=(Ethnicity.NOT_KNOWN, Ethnicity.NOT_SAID))
    people = condition_counts(
        victims(ctx), {"known": ~unknown_ethnicity, "unknown": unknown_ethnicity}
    )
    models = condition_counts(
        cases(ctx), {"known": ~Q(exploitation_models=[]), "unknown": Q(exploitation_models=[])}
    )
    told = ReturnInterview.objects.using(ctx.using).filter(episode=OuterRef("pk"))
    episodes = (
        MissingEpisode.objects.using(ctx.using)
        .filter(
            young_person__area_id__in=ctx.area_ids,
            last_seen_at__gte=ctx.period.start_at,
            last_seen_at__lt=ctx.period.end_at,
        )
        .annotate(
            found=Trim("where_found"),
            went=Exists(told.annotate(went=Trim("where_and_with_whom")).exclude(went="")),
        )
    )
    named = ~Q(found="") | Q(went=True)
    places = condition_counts(episodes, {"known": named, "unknown": ~named})
    return Table(
        key="profile.unknown.completeness",
        title="How complete the record is",
        row_heading="What is recorded",
        columns=("Recorded", "Not known"),
        rows=(
            Row("Ethnicity of the young people", (people["known"], people["unknown"])),
            Row(
                "Model of exploitation on their cases (cases)", (models["known"], models["unknown"])
            ),
            Row(
                "Where the young person went or was found (missing episodes)",
                (places["known"], places["unknown"]),
            ),
        ),
        column_totals=False,
        row_totals=True,
        percentages=True,
        percent_of="row",
        chart="none",
        unit="records",
        note="Not known: ethnicity not known or not said; no model recorded on the case; "
        "no place in the episode or at its return interview. Harbour does not record the "
        "ethnicity of persons of concern, so it cannot say how complete that is.",
    )


def place_gaps(ctx: ProfileContext) -> Table:
    disrupted = Disruption.objects.using(ctx.using).filter(
        location=OuterRef("pk"), started_on__lte=ctx.as_of
    )
    rows = (
        Location.objects.using(ctx.using)
        .filter(area_id__in=ctx.area_ids, created_at__lt=ctx.as_of_end)
        .annotate(
            young_people=Count(
                "links__young_person",
                filter=Q(
                    links__kind=LinkKind.YOUNG_PERSON_TO_LOCATION,
                    links__created_at__lt=ctx.as_of_end,
                ),
                distinct=True,
            )
        )
        .filter(young_people__gte=GAP_PLACE_YOUNG_PEOPLE)
        .exclude(Exists(disrupted))
        .order_by("-young_people", "name", "pk")
        .values_list("pk", "name", "kind", "young_people")[:GAP_PLACES_SHOWN]
    )
    return Table(
        key="profile.unknown.place_gaps",
        title=f"Places linked to {GAP_PLACE_YOUNG_PEOPLE} or more young people with no disruption",
        row_heading="Place or online space",
        columns=("Young people linked",),
        rows=tuple(
            Row(place_label(pk, name, kind), (count,), in_total=False)
            for pk, name, kind, count in rows
        ),
        column_totals=False,
        chart="none",
        note="No disruption of any kind has been recorded against these places. At most "
        f"{GAP_PLACES_SHOWN} are listed, the most linked first.",
    )


def person_gaps(ctx: ProfileContext) -> Table:
    # Uncorrelated subqueries (planned once and hashed), as in persons.py.
    young_people = links(ctx).filter(kind=LinkKind.YOUNG_PERSON_TO_PERSON)
    several = (
        young_people.values("person_id")
        .annotate(n=Count("young_person_id", distinct=True))
        .filter(n__gte=GAP_PERSON_YOUNG_PEOPLE)
        .values("person_id")
    )
    police = (
        links(ctx)
        .filter(person__isnull=False, created_by__agency__kind=AgencyKind.POLICE)
        .values("person_id")
    )
    disrupted = (
        Disruption.objects.using(ctx.using)
        .filter(person__isnull=False, started_on__lte=ctx.as_of)
        .values("person_id")
    )
    gaps = (
        persons(ctx)
        .filter(pk__in=several)
        .exclude(pk__in=police)
        .exclude(pk__in=disrupted)
        .order_by()
        .count()
    )
    return Table(
        key="profile.unknown.person_gaps",
        title=f"Persons of concern linked to {GAP_PERSON_YOUNG_PEOPLE} or more young people "
        "with no police record",
        row_heading="Persons of concern",
        columns=("Persons of concern",),
        rows=(Row("No link recorded by the police, and no disruption", (gaps,), in_total=False),),
        column_totals=False,
        chart="none",
        unit="persons of concern",
        note="A count only: the persons themselves are on the persons of concern list, for "
        "those who may see them.",
    )


def section(ctx: ProfileContext) -> Section:
    return Section(
        key="unknown",
        title="What is not known",
        summary="How complete the record is, and the gaps in what the partnership knows or "
        "is doing.",
        tables=(completeness(ctx), place_gaps(ctx), person_gaps(ctx)),
    )
