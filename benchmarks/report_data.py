"""The data the report benchmark counts, generated set-based.

On top of the record benchmark's young people and open cases
(``bench_records.add_young_people``): for each new young person, an earlier
case closed for a recorded reason (two in five), changes of lead
professional, signed-off risk assessments a review apart, plans with their
versions, two referrals on average (one in twenty about someone not yet
identified), one missing episode on average with its return interview, and
multi-agency meetings in each area. Each is one INSERT ... SELECT over what
already exists, so every row refers only to rows that exist; the tables'
secondary indexes are dropped for the inserts and built again after them, as
the record benchmark does.

Times spread over the two years before today, so that any recent quarter and
the one before it have figures in every table.
"""

from __future__ import annotations

from django.db import connection, transaction

from benchmarks.bench_records import SECONDARY_INDEXES, WORKERS, _highest
from cse_cases.models import ClosureCategory, ExploitationModel, RiskLevel
from referrals.models import Decision

FILLED_TABLES = (
    "cse_cases_case",
    "cse_cases_leadprofessionalspell",
    "referrals_referral",
    "cse_cases_missingepisode",
    "cse_cases_returninterview",
    "assessments_assessment",
    "assessments_plan",
    "assessments_planversion",
    "assessments_meeting",
)

# Who of an area may sign off an assessment: its supervisors and CSE leads.
SIGNERS = """
, s AS (
    SELECT ua.area_id, array_agg(u.id ORDER BY u.id) AS ids
    FROM cse_cases_user AS u JOIN cse_cases_user_areas AS ua ON ua.user_id = u.id
    WHERE u.role IN ('supervisor', 'cse_lead')
    GROUP BY ua.area_id
)
"""

CLOSED_CASES_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + """
, chosen AS (
    SELECT yp.id, yp.area_id, w.ids, w.agencies,
           1 + floor(random() * array_length(w.ids, 1))::int AS k,
           current_date - (200 + floor(random() * 530))::int AS opened
    FROM cse_cases_youngperson AS yp JOIN w USING (area_id)
    WHERE yp.id > %(people_after)s AND random() < 0.4
    OFFSET 0
)
INSERT INTO cse_cases_case (
    young_person_id, status, opened_on, closed_on, closure_reason, closure_category, area_id,
    lead_agency_id, lead_professional_id, risk_level, exploitation_models, created_at, version
)
SELECT chosen.id, 'closed', chosen.opened,
       chosen.opened + floor(random() * (current_date - 1 - chosen.opened))::int, '',
       (%(closures)s::text[])[1 + floor(random() * cardinality(%(closures)s::text[]))::int],
       chosen.area_id, chosen.agencies[chosen.k], chosen.ids[chosen.k],
       (%(risk)s::text[])[1 + floor(random() * cardinality(%(risk)s::text[]))::int],
       ARRAY[(%(models)s::text[])[1 + floor(random() * cardinality(%(models)s::text[]))::int]],
       now(), 1
FROM chosen
"""
)

# One lead professional for a closed case; for one open case in four, two
# earlier leads before the current one (the second took over: a change).
SPELLS_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + """
, c AS (
    SELECT c.id, c.status, c.lead_professional_id AS lead,
           w.ids[1 + floor(random() * array_length(w.ids, 1))::int] AS other,
           c.opened_on::timestamptz AS opened,
           coalesce(c.closed_on::timestamptz, now() - interval '1 day') AS ended,
           random() AS r
    FROM cse_cases_case AS c JOIN w USING (area_id)
    WHERE c.id > %(after)s OR (c.id > %(open_after)s AND c.status = 'open')
    OFFSET 0
)
INSERT INTO cse_cases_leadprofessionalspell (case_id, user_id, started_at, ended_at)
SELECT c.id, c.lead, c.opened, c.ended FROM c WHERE c.status = 'closed'
UNION ALL
SELECT c.id, CASE WHEN n = 1 THEN c.other ELSE c.lead END,
       c.opened + (n - 1) * (c.ended - c.opened) / 2, c.opened + n * (c.ended - c.opened) / 2
FROM c, generate_series(1, 2) AS n
WHERE c.status = 'open' AND c.r < 0.25
"""
)

# A signed-off assessment every 90 days of a case's life (up to three), the
# judged level moving up, down or staying, signed off by someone other than
# the author (the lead professional), reviewed 3 months on.
ASSESSMENTS_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + SIGNERS
    + """
, c AS (
    SELECT c.id, c.lead_professional_id AS lead, c.opened_on, s.ids AS signers,
           coalesce(c.closed_on, current_date - 8) AS last_day
    FROM cse_cases_case AS c JOIN s USING (area_id)
    WHERE c.id > %(after)s
    OFFSET 0
), a AS (
    SELECT c.*, k, (c.opened_on + 14 + (k - 1) * 90)::timestamptz + interval '10 hours' AS started,
           (ARRAY['low', 'medium', 'high'])[1 + floor(random() * 3)::int] AS lvl
    FROM c, generate_series(1, 3) AS k
    WHERE c.opened_on + 14 + (k - 1) * 90 <= c.last_day AND random() < 0.8
    OFFSET 0
)
INSERT INTO assessments_assessment (
    case_id, template_id, status, author_id, started_at, young_persons_views, parents_views,
    other_strengths, score, suggested_level, judged_level, rationale, submitted_by_id,
    submitted_at, signed_off_by_id, signed_off_at, next_review_on, version, updated_at
)
SELECT a.id, %(template)s, 'signed_off', a.lead, a.started, '', '', '', 0, a.lvl, a.lvl, '',
       a.lead, a.started + interval '5 days',
       CASE WHEN a.signers[1] = a.lead THEN a.signers[2] ELSE a.signers[1] END,
       a.started + interval '7 days', (a.started + interval '7 days')::date + 91, 1, now()
FROM a
"""
)

PLANS_INSERT = """
INSERT INTO assessments_plan (case_id, created_at)
SELECT c.id, c.opened_on::timestamptz + interval '30 days'
FROM cse_cases_case AS c
WHERE c.id > %(after)s AND c.opened_on < current_date - 40 AND random() < 0.4
"""

# Versions a review apart (3 months); the last one is current.
PLAN_VERSIONS_INSERT = """
WITH p AS (
    SELECT p.id, p.created_at, c.lead_professional_id AS lead,
           1 + floor(random() * 3)::int AS versions
    FROM assessments_plan AS p JOIN cse_cases_case AS c ON c.id = p.case_id
    WHERE p.id > %(after)s
    OFFSET 0
)
INSERT INTO assessments_planversion (
    plan_id, number, needs_and_outcomes, young_person_support, consistent_worker_id,
    parents_support, family, disruption_and_investigation, health, education, accommodation,
    transition, young_persons_views, review_on, review_notes, is_current, created_by_id,
    created_at
)
SELECT p.id, n, 'Needs and outcomes agreed with the young person', 'Weekly sessions',
       p.lead, '', '', 'Disruption work with the police', '', '', '', '', '',
       (p.created_at + (n - 1) * interval '88 days')::date + 91, '', n = p.versions, p.lead,
       p.created_at + (n - 1) * interval '88 days'
FROM p, generate_series(1, p.versions) AS n
"""

# Two referrals per young person on average; urgent one in five; most
# decided, a few late, the recent ones partly waiting.
REFERRALS_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + """
, agency AS (SELECT array_agg(id ORDER BY id) AS ids FROM cse_cases_agency)
, p AS (
    SELECT yp.id, yp.area_id, 1 + floor(random() * 3)::int AS referrals
    FROM cse_cases_youngperson AS yp
    WHERE yp.id > %(people_after)s
    OFFSET 0
), r AS (
    SELECT p.id AS yp, p.area_id, w.ids[1 + floor(random() * array_length(w.ids, 1))::int]
               AS by_id,
           agency.ids[1 + floor(random() * array_length(agency.ids, 1))::int] AS agency_id,
           now() - random() * interval '730 days' AS received,
           random() AS r, random() < 0.2 AS urgent, random() < 0.05 AS unknown
    FROM p JOIN w USING (area_id), agency, generate_series(1, p.referrals) AS n
    OFFSET 0
), d AS (
    SELECT r.*,
           r.received + CASE WHEN r.urgent THEN interval '8 hours' ELSE interval '1 day' END
               AS due,
           CASE WHEN r.r < 0.9 AND r.received < now() - interval '3 days'
                THEN r.received + random() * interval '40 hours' END AS decided
    FROM r
    OFFSET 0
)
INSERT INTO referrals_referral (
    area_id, status, received_at, clock_started_at, decision_due_at, referred_by_id,
    referrer_name, referrer_role, referrer_agency_id, referrer_agency_name, referrer_email,
    referrer_phone, young_person_id, identity_unknown, given_name, possible_match_ids,
    subject_description, concerns, indicators, young_persons_words, parents_aware,
    parents_aware_detail, consent, consent_not_sought_reason, sharing_basis, urgency,
    referrer_risk, risk_level, screening_notes, decision, decision_rationale, advice_given,
    referred_on_to, decided_by_id, decided_at, feedback, version, created_at
)
SELECT d.area_id, CASE WHEN d.decided IS NULL THEN 'screening' ELSE 'decided' END, d.received,
       d.received, d.due, d.by_id, 'Referrer', '',
       CASE WHEN d.r < 0.95 THEN d.agency_id END, 'Agency', '', '',
       CASE WHEN d.unknown THEN NULL ELSE d.yp END, d.unknown, '', '{}', '',
       'Concerns described by the referrer', ARRAY['missing'], '', 'not_known', '', 'given',
       '', 'safeguarding', CASE WHEN d.urgent THEN 'urgent' ELSE 'routine' END, '', '', '',
       CASE WHEN d.decided IS NULL THEN ''
            ELSE (%(decisions)s::text[])[
                1 + floor(random() * cardinality(%(decisions)s::text[]))::int]
       END,
       '', '', '', CASE WHEN d.decided IS NOT NULL THEN d.by_id END, d.decided, '', 1, d.received
FROM d
"""
)

# One episode per young person on average (none for about half, up to four
# for some), each in its own 30-day slot so a young person's episodes never
# overlap; only the latest may still be open.
EPISODES_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + """
, p AS (
    SELECT yp.id, w.ids[1 + floor(random() * array_length(w.ids, 1))::int] AS by_id,
           random() * 600 AS base, random() AS r
    FROM cse_cases_youngperson AS yp JOIN w USING (area_id)
    WHERE yp.id > %(people_after)s
    OFFSET 0
), e AS (
    SELECT p.id, p.by_id, k,
           now() - (p.base + 30 * k + random() * 20) * interval '1 day' AS seen,
           random() * interval '2 days' AS away
    FROM p, generate_series(
        1, CASE WHEN p.r < 0.45 THEN 0 WHEN p.r < 0.75 THEN 1 WHEN p.r < 0.9 THEN 2 ELSE 4 END
    ) AS k
    OFFSET 0
)
INSERT INTO cse_cases_missingepisode (
    young_person_id, last_seen_at, reported_at, returned_at, where_found, found_with,
    how_returned, police_reference, risk_grading, missing_or_absent, classification_rationale,
    missing_from, exploitation_concern, exploitation_concern_detail, safe_and_well_check,
    source, recorded_by_id, recorded_at, version
)
SELECT e.id, e.seen, e.seen + e.away / 5,
       CASE WHEN k > 1 OR random() < 0.95 THEN e.seen + e.away END, '', '', 'came_back', '',
       'medium', CASE WHEN random() < 0.8 THEN 'missing' ELSE 'absent' END, '',
       CASE WHEN random() < 0.7 THEN 'home' ELSE 'placement' END, random() < 0.3, '', false,
       'recorded', e.by_id, e.seen, 1
FROM e
"""
)

# Four in five returns offered an interview, mostly within 72 hours; most of
# those offered held.
INTERVIEWS_INSERT = """
WITH e AS (
    SELECT e.id, e.returned_at, e.recorded_by_id AS by_id,
           e.returned_at + random() * interval '110 hours' AS offered, random() AS r
    FROM cse_cases_missingepisode AS e
    WHERE e.id > %(after)s AND e.returned_at IS NOT NULL
    OFFSET 0
)
INSERT INTO cse_cases_returninterview (
    episode_id, offered_at, offered_by_id, interviewer_id, interviewer_relationship, outcome,
    held_at, held_where, attempts, push_factors, pull_factors, harm_or_threats,
    where_and_with_whom, disclosures, shared_with_police, shared_with_social_care,
    young_persons_words, follow_up_actions, recorded_by_id, recorded_at
)
SELECT e.id, e.offered, e.by_id, e.by_id, 'independent',
       CASE WHEN e.r < 0.55 THEN 'held' WHEN e.r < 0.7 THEN 'declined'
            ELSE 'unable_to_locate' END,
       CASE WHEN e.r < 0.55 THEN e.offered + random() * interval '30 hours' END,
       '', '', '', '', '', '', '', false, false, '', '', e.by_id, e.offered
FROM e
WHERE e.r < 0.8
"""

# About one meeting for every 50 young people added, across the areas and
# the two years; most records distributed, some late, some not yet.
MEETINGS_INSERT = (
    WORKERS  # noqa: S608 - constant SQL, values are parameters
    + """
, area AS (SELECT array_agg(area_id ORDER BY area_id) AS ids FROM w)
, m AS (
    SELECT w.area_id, w.ids[1] AS chair,
           date_trunc('hour', now() - random() * interval '730 days') AS starts, random() AS r
    FROM generate_series(1, %(count)s) AS g, area, w
    WHERE w.area_id = area.ids[1 + g %% array_length(area.ids, 1)]
    OFFSET 0
)
INSERT INTO assessments_meeting (
    kind, area_id, starts_at, place, online, chair_id, status, core_agencies_note,
    record_due_at, record_distributed_at, created_by_id, created_at, version
)
SELECT (%(kinds)s::text[])[1 + floor(random() * cardinality(%(kinds)s::text[]))::int],
       m.area_id, m.starts, '', false, m.chair,
       CASE WHEN m.starts > now() - interval '1 day' THEN 'scheduled' ELSE 'held' END, '',
       m.starts + interval '1 day',
       CASE WHEN m.r < 0.9 AND m.starts < now() - interval '3 days'
            THEN m.starts + random() * interval '40 hours' END,
       m.chair, m.starts - interval '7 days', 1
FROM m
"""
)


def add_report_data(*, people_after: int, cases_after: int) -> None:
    """Everything the report counts, for the young people after
    ``people_after`` (and their open cases after ``cases_after``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES, [list(FILLED_TABLES)])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # As in add_young_people: every row refers to rows chosen from those
        # that exist, so the foreign keys' row-by-row checks are skipped.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _insert(cursor, people_after=people_after, cases_after=cases_after)
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def _insert(cursor, *, people_after: int, cases_after: int) -> None:
    cursor.execute("SELECT setseed(0.1818)")
    closed_after = _highest("cse_cases_case")
    cursor.execute(
        CLOSED_CASES_INSERT,
        {
            "people_after": people_after,
            "closures": [c for c in ClosureCategory.values if c != ClosureCategory.DUPLICATE],
            "risk": list(RiskLevel.values),
            "models": list(ExploitationModel.values),
        },
    )
    cursor.execute(SPELLS_INSERT, {"after": closed_after, "open_after": cases_after})
    cursor.execute("SELECT min(id) FROM assessments_assessmenttemplate WHERE status = 'published'")
    template = cursor.fetchone()[0]
    cursor.execute(ASSESSMENTS_INSERT, {"after": cases_after, "template": template})
    plans_after = _highest("assessments_plan")
    cursor.execute(PLANS_INSERT, {"after": cases_after})
    cursor.execute(PLAN_VERSIONS_INSERT, {"after": plans_after})
    cursor.execute(
        REFERRALS_INSERT, {"people_after": people_after, "decisions": list(Decision.values)}
    )
    episodes_after = _highest("cse_cases_missingepisode")
    cursor.execute(EPISODES_INSERT, {"people_after": people_after})
    cursor.execute(INTERVIEWS_INSERT, {"after": episodes_after})
    people = _highest("cse_cases_youngperson") - people_after
    cursor.execute(
        MEETINGS_INSERT,
        {"count": max(people // 50, 1), "kinds": ["strategy_discussion", "mace_panel"]},
    )
