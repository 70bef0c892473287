"""The screening queue with 10,000 referrals and with 1,000,000, of which 1,000
are awaiting a decision both times (issue 4: ratio under 1.5, and the
same number of queries at both; the reference is the framework floor).

Decided and closed referrals pile up for years; the queue must cost what its
open referrals cost. Referrals are inserted set-based (one INSERT ... SELECT
over generate_series), across the demo areas and young people.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from benchmarks.harness import (
    Row,
    framework_floor,
    get_ok,
    measure_page,
    page_goals,
    signed_in_client,
)
from cse_cases.models import User
from cse_cases.wiring.demo import records as demo_records
from cse_cases.wiring.demo.seed import seed_partnership
from referrals.models import Referral

OPEN = 1_000
SCALES = (10_000, 1_000_000)
BATCH = 250_000

# Every NOT NULL text column gets a value; the rest come from the expressions below.
INSERT = """
WITH yp AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(area_id ORDER BY id) AS areas
    FROM cse_cases_youngperson
), referrer AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM cse_cases_user
    WHERE role IN ('practitioner', 'supervisor', 'cse_lead')
)
INSERT INTO referrals_referral (
    area_id, status, received_at, clock_started_at, decision_due_at, referred_by_id,
    referrer_name,
    referrer_role, referrer_agency_name, referrer_email, referrer_phone, young_person_id,
    identity_unknown, given_name, possible_match_ids, subject_description, concerns, indicators,
    young_persons_words, parents_aware, parents_aware_detail, consent,
    consent_not_sought_reason, sharing_basis, urgency, referrer_risk, risk_level,
    screening_notes, decision, decision_rationale, advice_given, referred_on_to, feedback,
    version, created_at
)
SELECT
    yp.areas[1 + g %% array_length(yp.ids, 1)],
    CASE WHEN g <= %(open)s THEN (CASE WHEN g %% 3 = 0 THEN 'screening' ELSE 'received' END)
         ELSE (CASE WHEN g %% 2 = 0 THEN 'closed' ELSE 'decided' END) END,
    now() - (CASE WHEN g <= %(open)s THEN g * interval '1 minute'
                  ELSE (g %% 2000) * interval '1 day' END),
    now() - (CASE WHEN g <= %(open)s THEN g * interval '1 minute'
                  ELSE (g %% 2000) * interval '1 day' END),
    now() - (CASE WHEN g <= %(open)s THEN g * interval '1 minute'
                  ELSE (g %% 2000) * interval '1 day' END) + interval '1 day',
    referrer.ids[1 + g %% array_length(referrer.ids, 1)],
    'Bench referrer', '', 'Bench agency', '', '',
    yp.ids[1 + g %% array_length(yp.ids, 1)],
    false, '', '{}', '', 'Concerns described by the referrer.', '{transported}',
    '', 'yes', '', 'given', '', '',
    CASE WHEN g %% 7 = 0 THEN 'urgent' ELSE 'routine' END,
    (ARRAY['', 'low', 'medium', 'high'])[1 + g %% 4], '', '',
    CASE WHEN g <= %(open)s THEN '' ELSE 'early_help' END,
    CASE WHEN g <= %(open)s THEN '' ELSE 'Support from the family team.' END,
    '', '', '', 1, now()
FROM generate_series(%(start)s, %(stop)s) AS g, yp, referrer
"""


def add_referrals(start: int, stop: int) -> None:
    """Referrals numbered start..stop; the first OPEN await a decision."""
    with connection.cursor() as cursor:
        for low in range(start, stop + 1, BATCH):
            high = min(stop, low + BATCH - 1)
            cursor.execute(INSERT, {"open": OPEN, "start": low, "stop": high})
        cursor.execute("ANALYZE referrals_referral")


def measure(client) -> tuple[float, int]:
    fetch = get_ok(client, reverse("referral-queue"), {"sort": "risk"})
    return measure_page(fetch)


def run() -> list:
    call_command("flush", "--noinput", verbosity=0)
    seed_partnership()
    User.objects.update(is_demo=False)
    demo_records.generate(2_000)
    lead = User.objects.get(username="cselead.kingsmere")
    client = signed_in_client(lead)
    rows: list = []
    seconds, queries, floor, done = {}, {}, {}, 0
    sizes = [f"{scale:,} referrals" for scale in SCALES]
    for scale, size in zip(SCALES, sizes, strict=True):
        add_referrals(done + 1, scale)
        done = scale
        floor[size] = framework_floor(client)
        seconds[size], queries[size] = measure(client)
        open_here = Referral.objects.filter(
            status__in=["received", "screening"], area__in=lead.areas.all()
        ).count()
        rows.append(
            Row(f"screening queue, open at {size}", f"{open_here}", f"{OPEN:,} open in all")
        )
    return rows + page_goals(
        "screening queue",
        small=sizes[0],
        large=sizes[1],
        seconds=seconds,
        queries=queries,
        floor=floor,
    )
