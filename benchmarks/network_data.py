"""Set-based data for the problem profile and network map benchmark (issue 19).

For the young people added after a given id: persons of concern (one for
every 5 young people), locations (one for every 10, one in 7 an online
space), links (3 per young person: to a person, to a place, to another young
person, and a person to a place), disruption of one place in 10 and one
person in 20, and places named where found after missing episodes and at
return interviews. Everything is joined within the young person's district,
so at 1,000,000 young people there are 200,000 persons, 100,000 locations and
3,000,000 links. Each statement is one INSERT ... SELECT (or UPDATE ... FROM)
over generate_series or the rows just added: no Python loop over rows.
"""

from __future__ import annotations

from django.db import connection, transaction

from benchmarks.bench_records import _highest
from cse_cases.models import User

# The new young people per district, numbered within it: the persons and
# places of a district are spread over its young people by that number.
AREAS = """
WITH y AS (
    SELECT yp.id, yp.area_id, row_number() OVER (PARTITION BY yp.area_id ORDER BY yp.id) AS n
    FROM cse_cases_youngperson AS yp
    WHERE yp.id > %(people_after)s AND yp.area_id = ANY(%(areas)s)
)
"""

PERSONS_INSERT = (
    AREAS
    + """
INSERT INTO cse_cases_personofconcern (
    name, nicknames, description, phone_numbers, vehicles, area_id, restricted,
    created_by_id, created_by_agency_id, created_at
)
SELECT 'Person ' || y.id, '{}', '', '{}', '{}', y.area_id, y.n %% 10 = 0,
       %(creator)s, %(agency)s, now() - interval '400 days'
FROM y WHERE y.n %% %(per_person)s = 1
"""
)

LOCATIONS_INSERT = (
    AREAS
    + """
INSERT INTO cse_cases_location (name, kind, address, area_id, created_by_id, created_at)
SELECT 'Place ' || y.id || CASE WHEN y.id %% 7 = 0 THEN ' chat' ELSE ' hotel' END,
       CASE WHEN y.id %% 7 = 0 THEN 'online' ELSE 'hotel' END, '', y.area_id,
       %(creator)s, now() - interval '400 days'
FROM y WHERE y.n %% %(per_location)s = 1
"""
)

# The district's new persons and places, numbered within it.
ENDS = """
, p AS (
    SELECT id, area_id, row_number() OVER (PARTITION BY area_id ORDER BY id) AS n,
           count(*) OVER (PARTITION BY area_id) AS c
    FROM cse_cases_personofconcern WHERE id > %(persons_after)s
), l AS (
    SELECT id, area_id, row_number() OVER (PARTITION BY area_id ORDER BY id) AS n,
           count(*) OVER (PARTITION BY area_id) AS c
    FROM cse_cases_location WHERE id > %(locations_after)s
), yc AS (SELECT area_id, count(*) AS c FROM y GROUP BY area_id)
, y2 AS (SELECT y.*, yc.c FROM y JOIN yc USING (area_id))
"""

# Each young person, `repeat` times: a person, a place, and either another
# young person or a person to a place (3 links per young person each time).
# Last seen within two years (one link in five more than a year ago), first
# seen up to 200 days before.
LINKS_INSERT = (
    AREAS  # noqa: S608 - constant SQL, values are parameters
    + ENDS
    + """
, k AS (SELECT generate_series(1, %(repeat)s) AS k)
, e AS (
    SELECT 'yp_person' AS kind, y2.id AS yp, p.id AS person, NULL::bigint AS other,
           NULL::bigint AS loc
    FROM y2 CROSS JOIN k
    JOIN p ON p.area_id = y2.area_id AND p.n = 1 + (y2.n * 13 + k.k * 101) %% p.c
    UNION ALL
    SELECT 'yp_location', y2.id, NULL, NULL, l.id
    FROM y2 CROSS JOIN k
    JOIN l ON l.area_id = y2.area_id AND l.n = 1 + (y2.n * 7 + k.k * 103) %% l.c
    UNION ALL
    SELECT 'yp_yp', y2.id, NULL, o.id, NULL
    FROM y2 CROSS JOIN k
    JOIN y2 AS o ON o.area_id = y2.area_id AND o.n = 1 + (y2.n * 31 + k.k * 107) %% y2.c
    WHERE o.id <> y2.id AND y2.n %% 2 = 0
    UNION ALL
    SELECT 'person_location', NULL, p.id, NULL, l.id
    FROM y2 CROSS JOIN k
    JOIN p ON p.area_id = y2.area_id AND p.n = 1 + (y2.n * 17 + k.k * 109) %% p.c
    JOIN l ON l.area_id = y2.area_id AND l.n = 1 + (y2.n * 11 + k.k * 113) %% l.c
    WHERE y2.n %% 2 = 1
), s AS (
    SELECT e.*, current_date - CASE WHEN random() < 0.8 THEN floor(random() * 365)::int
                                    ELSE 366 + floor(random() * 365)::int END AS last_seen
    FROM e
    OFFSET 0
)
INSERT INTO cse_cases_contextlink (
    kind, young_person_id, person_id, other_young_person_id, location_id, source,
    source_grading, information_grading, first_seen, last_seen, restricted, created_by_id,
    created_at
)
SELECT s.kind, s.yp, s.person, s.other, s.loc, 'Return interview', '2', 'B',
       s.last_seen - floor(random() * 200)::int, s.last_seen, false, %(creator)s,
       now() - interval '300 days'
FROM s
"""
)

DISRUPTION_INSERT = """
INSERT INTO cse_cases_disruption (
    kind, person_id, location_id, started_on, ended_on, outcome, recorded_by_id, recorded_at
)
SELECT 'hotel_check', NULL::bigint, l.id, current_date - 200,
       CASE WHEN l.id %% 2 = 0 THEN NULL ELSE current_date - 100 END, '', %(creator)s, now()
FROM cse_cases_location AS l WHERE l.id > %(locations_after)s AND l.id %% 10 = 0
UNION ALL
SELECT 'cawn', p.id, NULL::bigint, current_date - 150, NULL, '', %(creator)s, now()
FROM cse_cases_personofconcern AS p WHERE p.id > %(persons_after)s AND p.id %% 20 = 0
"""

# One episode in three names a place of the child's district where they were
# found, and one return interview in three names one where and with whom.
PLACES_NAMED = """
WITH l AS (
    SELECT id, area_id, name, row_number() OVER (PARTITION BY area_id ORDER BY id) AS n,
           count(*) OVER (PARTITION BY area_id) AS c
    FROM cse_cases_location WHERE id > %(locations_after)s
), pick AS (
    SELECT e.id, l.name
    FROM cse_cases_missingepisode AS e
    JOIN cse_cases_youngperson AS y ON y.id = e.young_person_id
    JOIN l ON l.area_id = y.area_id AND l.n = 1 + e.id %% l.c
    WHERE e.id > %(episodes_after)s AND e.id %% 3 = 0
)
UPDATE cse_cases_missingepisode AS e SET where_found = 'Seen outside ' || pick.name
FROM pick WHERE pick.id = e.id
"""

INTERVIEWS_NAMED = """
WITH l AS (
    SELECT id, area_id, name, row_number() OVER (PARTITION BY area_id ORDER BY id) AS n,
           count(*) OVER (PARTITION BY area_id) AS c
    FROM cse_cases_location WHERE id > %(locations_after)s
), pick AS (
    SELECT i.id, l.name
    FROM cse_cases_returninterview AS i
    JOIN cse_cases_missingepisode AS e ON e.id = i.episode_id
    JOIN cse_cases_youngperson AS y ON y.id = e.young_person_id
    JOIN l ON l.area_id = y.area_id AND l.n = 1 + (i.id * 3) %% l.c
    WHERE e.id > %(episodes_after)s AND i.id %% 3 = 1
)
UPDATE cse_cases_returninterview AS i SET where_and_with_whom = 'Went to ' || pick.name
FROM pick WHERE pick.id = i.id
"""


def add_network_data(
    *,
    people_after: int,
    episodes_after: int,
    area_ids: list[int],
    per_person: int = 5,
    per_location: int = 10,
    repeat: int = 1,
) -> None:
    """Persons, places, links, disruption and named places for the young
    people of `area_ids` added after `people_after` (their episodes after
    `episodes_after`)."""
    persons_after = _highest("cse_cases_personofconcern")
    locations_after = _highest("cse_cases_location")
    # A fixed creator for every generated row: the first user with an agency
    # (the seeded partnership's), so the NOT NULL foreign keys are met.
    creator = User.objects.exclude(agency=None).order_by("pk").first()
    if creator is None:
        raise RuntimeError("the partnership must be seeded first")
    values = {
        "creator": creator.pk,
        "agency": creator.agency_id,
        "people_after": people_after,
        "episodes_after": episodes_after,
        "areas": list(area_ids),
        "per_person": per_person,
        "per_location": per_location,
        "repeat": repeat,
        "persons_after": persons_after,
        "locations_after": locations_after,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.1919)")
        cursor.execute(PERSONS_INSERT, values)
        cursor.execute(LOCATIONS_INSERT, values)
        cursor.execute(LINKS_INSERT, values)
        cursor.execute(DISRUPTION_INSERT, values)
        cursor.execute(PLACES_NAMED, values)
        cursor.execute(INTERVIEWS_NAMED, values)
