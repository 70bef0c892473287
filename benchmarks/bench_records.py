"""The young person's record page and search, at 1,000 and at 100,000 young people.

The goal (issue 3) is a ratio under 1.5 between the two scales: indexes and
fixed query counts, not data size, decide the cost of a page.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from benchmarks.harness import Row, count_queries, median_seconds, signed_in_client
from cse_cases import demo_records, selectors
from cse_cases.management.commands.seed_demo import Command as SeedDemo
from cse_cases.models import Case, User, YoungPerson

SCALES = (1_000, 100_000)
# A misspelt whole name, as a CSE lead types it from a phone call.
SEARCH = "jayde morgan"


def measure(client, url: str, params: dict | None = None) -> tuple[float, int]:
    def fetch() -> None:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code  # noqa: S101

    count = count_queries(fetch)
    return median_seconds(fetch, repeat=30), count


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run() -> list[Row]:
    call_command("flush", "--noinput", verbosity=0)
    SeedDemo().seed()
    # Demo accounts sign in only with DEBUG on; the benchmark runs without it.
    User.objects.update(is_demo=False)
    lead = User.objects.get(username="practitioner.kingsmere")
    cse_lead = User.objects.get(username="cselead.kingsmere")
    rows, results = [], {}
    for scale in SCALES:
        demo_records.generate(scale - YoungPerson.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        case = Case.objects.filter(lead_professional=lead).order_by("pk").first()
        record = reverse("young-person", args=[case.young_person_id])
        page_time, page_queries = measure(signed_in_client(lead), record)
        search_time, search_queries = measure(
            signed_in_client(cse_lead), reverse("young-people"), {"q": SEARCH}
        )
        # How many rows the page showed, so the two scales compare like with like.
        cse_lead.is_verified = lambda: True
        found = len(selectors.search_young_people(cse_lead, text=SEARCH))
        results[scale] = (page_time, search_time)
        rows += [
            Row(f"record page, {scale:,} young people", ms(page_time), f"{page_queries} queries"),
            Row(
                f"search (CSE lead), {scale:,}",
                ms(search_time),
                f"{search_queries} queries, {found} results",
            ),
        ]
    small, large = SCALES
    for n, name in enumerate(("record page", "search")):
        ratio = results[large][n] / results[small][n]
        rows.append(Row(f"{name} ratio 100k / 1k", f"{ratio:.2f}", "goal under 1.5"))
    return rows
