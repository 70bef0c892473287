"""Places and online spaces: the district's locations ranked by the number of
young people linked to them, and by recent activity, with their disruption.

Recent activity is how often a place is named in the period's missing
episodes: where the young person was found, or where they went and with whom
as told at the return interview. Harbour has no structured link from an
episode or an interview to a Location (both are free text, see
cse_cases/models/missing.py), so a place counts as named when its name
appears in either text as whole words, ignoring case and punctuation
("the Station Hotel car park" names "Station Hotel"; "business" does not
name "Bus"). Names shorter than MIN_NAME letters are not looked for (every
"bus" would name a stop called "Bus"). The text itself is never shown.

The matching is a join, not a search: each text is cut into its runs of one
to MAX_NAME_WORDS words, and those are joined with the places' names by
equality, so it grows with the text and the places, not with their product.
A name of more words than that is never found.

One statement: the figures of every place of the district, ranked twice, the
top places of either ranking returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections

from cse_cases.models import (
    ContextLink,
    Disruption,
    LinkKind,
    Location,
    MissingEpisode,
    ReturnInterview,
    YoungPerson,
)
from reports.disclosure import rounded, threshold
from reports.profile.context import TOP, ProfileContext
from reports.profile.measures.common import place_label
from reports.tables import Row, Section, Table

MIN_NAME = 4
MAX_NAME_WORDS = 6
# Letters and digits are kept, anything else separates words (as in both the
# names and the texts, so the two are cut the same way).
SEPARATORS = "[^[:alnum:]]+"


@dataclass(frozen=True)
class Place:
    label: str
    young_people: int
    mentions: int
    under_way: int
    ever: int
    by_links: int
    by_mentions: int


def _runs() -> str:
    # One branch per length rather than a join with generate_series: the
    # planner then knows roughly how many runs there are (a few per word,
    # not a thousand), and no DISTINCT sorts them all (the count of
    # episodes per place is distinct already).
    return " UNION ALL ".join(
        f"SELECT t.id, array_to_string(t.words[w:w + {n - 1}], ' ') AS words "  # noqa: S608 - numbers only
        "FROM texts t, unnest(t.words) WITH ORDINALITY AS u(word, w) "
        f"WHERE w + {n - 1} <= cardinality(t.words)"
        for n in range(1, MAX_NAME_WORDS + 1)
    )


def _sql() -> str:
    return f"""
        WITH places AS (
            SELECT id, name, kind,
                   btrim(regexp_replace(lower(name), %(separators)s, ' ', 'g')) AS words
            FROM {Location._meta.db_table}
            WHERE area_id = ANY(%(areas)s) AND created_at < %(as_of_end)s
        ), linked AS (
            SELECT l.location_id, count(DISTINCT l.young_person_id) AS n
            FROM {ContextLink._meta.db_table} l JOIN places p ON p.id = l.location_id
            WHERE l.kind = %(yp_location)s AND l.created_at < %(as_of_end)s
            GROUP BY l.location_id
        ), texts AS (
            SELECT e.id,
                   string_to_array(btrim(regexp_replace(
                       lower(e.where_found || ' ' || coalesce(i.where_and_with_whom, '')),
                       %(separators)s, ' ', 'g')), ' ') AS words
            FROM {MissingEpisode._meta.db_table} e
            JOIN {YoungPerson._meta.db_table} y ON y.id = e.young_person_id
            LEFT JOIN {ReturnInterview._meta.db_table} i ON i.episode_id = e.id
            WHERE y.area_id = ANY(%(areas)s)
              AND e.last_seen_at >= %(start)s AND e.last_seen_at < %(end)s
        ), runs AS (
            {_runs()}
        ), mentions AS (
            SELECT p.id AS location_id, count(DISTINCT r.id) AS n
            FROM places p JOIN runs r ON r.words = p.words
            WHERE length(p.words) >= %(min_name)s
            GROUP BY p.id
        ), disrupted AS (
            SELECT d.location_id,
                   count(*) FILTER (WHERE d.ended_on IS NULL OR d.ended_on >= %(as_of)s)
                       AS under_way,
                   count(*) AS ever
            FROM {Disruption._meta.db_table} d JOIN places p ON p.id = d.location_id
            WHERE d.started_on <= %(as_of)s
            GROUP BY d.location_id
        ), ranked AS (
            SELECT p.id, p.name, p.kind,
                   coalesce(l.n, 0) AS young_people, coalesce(m.n, 0) AS mentions,
                   coalesce(d.under_way, 0) AS under_way, coalesce(d.ever, 0) AS ever
            FROM places p
            LEFT JOIN linked l ON l.location_id = p.id
            LEFT JOIN mentions m ON m.location_id = p.id
            LEFT JOIN disrupted d ON d.location_id = p.id
            WHERE l.n IS NOT NULL OR m.n IS NOT NULL
        ), numbered AS (
            SELECT *,
                   row_number() OVER (ORDER BY young_people DESC, mentions DESC, name, id)
                       AS by_links,
                   row_number() OVER (ORDER BY mentions DESC, young_people DESC, name, id)
                       AS by_mentions
            FROM ranked
        )
        SELECT id, name, kind, young_people, mentions, under_way, ever, by_links, by_mentions
        FROM numbered
        WHERE (by_links <= %(top)s AND young_people > 0)
           OR (by_mentions <= %(top)s AND mentions > 0)
    """  # noqa: S608 - table names are constants; values are parameters


def places(ctx: ProfileContext) -> list[Place]:
    params: dict[str, Any] = {
        "areas": list(ctx.area_ids),
        "as_of": ctx.as_of,
        "as_of_end": ctx.as_of_end,
        "start": ctx.period.start_at,
        "end": ctx.period.end_at,
        "yp_location": LinkKind.YOUNG_PERSON_TO_LOCATION,
        "min_name": MIN_NAME,
        "separators": SEPARATORS,
        "top": TOP,
    }
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(_sql(), params)
        return [
            Place(place_label(pk, name, kind), *figures)
            for pk, name, kind, *figures in cursor.fetchall()
        ]


COLUMNS = ("Young people linked", "Named in missing episodes", "Disruption under way")


def _table(rows: list[Place], **table: object) -> Table:
    return Table(
        columns=COLUMNS,
        rows=tuple(
            Row(place.label, (place.young_people, place.mentions, place.under_way), in_total=False)
            for place in rows
        ),
        row_heading="Place or online space",
        column_totals=False,
        chart="none",
        unit="young people",
        **table,  # type: ignore[arg-type]
    )


def _as_published(count: int) -> int:
    """The order a published count gives away: hidden ones alike, the rest
    by their rounded value."""
    return 0 if count <= threshold() else rounded(count)


def section(ctx: ProfileContext) -> Section:
    found = places(ctx)
    by_links = sorted(
        (p for p in found if p.young_people and p.by_links <= TOP), key=lambda p: p.by_links
    )
    by_mentions = sorted(
        (p for p in found if p.mentions and p.by_mentions <= TOP), key=lambda p: p.by_mentions
    )
    if ctx.shared:
        # Beyond CSE leads and police the rank must not say more than the
        # published figures: two hidden counts, or two rounded to the same
        # 5, are listed by name, not by their exact counts (stop-28 review).
        by_links.sort(key=lambda p: (-_as_published(p.young_people), p.label))
        by_mentions.sort(key=lambda p: (-_as_published(p.mentions), p.label))
    return Section(
        key="places",
        title="Places and online spaces",
        summary="The district's places and online spaces (apps, sites, platforms) with the "
        "most young people linked to them, and those named most in the period's missing "
        "episodes, with the disruption under way at each.",
        tables=(
            _table(
                by_links,
                key="profile.places.by_young_people",
                title=f"Places with the most young people linked (top {TOP})",
                note="Young people linked to the place (a recorded association). Named in "
                "missing episodes: in the period (see the next table). Disruption under "
                "way: started and not ended, such as a hotel or licensing check.",
            ),
            _table(
                by_mentions,
                key="profile.places.by_activity",
                title=f"Places named most in the period's missing episodes (top {TOP})",
                note="Harbour records where a young person was found, and where they went and "
                "with whom at the return interview, as text, not as a link to a place: a "
                "place counts as named when its name appears in that text as whole words.",
            ),
        ),
    )
