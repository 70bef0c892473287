"""The young person's record page and search, at 1,000 and at 100,000 young people.

The goals (issue 3): a ratio under 1.5 between the two scales, and the same
number of queries at both: indexes and fixed query counts, not data size,
decide the cost of a page. The reference is the framework floor (the cheapest
signed-in page) measured at each scale.
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
from cse_cases import demo_records, selectors
from cse_cases.management.commands.seed_demo import Command as SeedDemo
from cse_cases.models import Case, User, YoungPerson

SCALES = (1_000, 100_000)
# A misspelt whole name, as a CSE lead types it from a phone call.
SEARCH = "jayde morgan"


def measure(client, url: str, params: dict | None = None) -> tuple[float, int]:
    fetch = get_ok(client, url, params)
    return measure_page(fetch)


def run() -> list:
    call_command("flush", "--noinput", verbosity=0)
    SeedDemo().seed()
    # Demo accounts sign in only with DEBUG on; the benchmark runs without it.
    User.objects.update(is_demo=False)
    lead = User.objects.get(username="practitioner.kingsmere")
    cse_lead = User.objects.get(username="cselead.kingsmere")
    rows: list = []
    seconds: dict = {"record page": {}, "search (CSE lead)": {}}
    queries: dict = {"record page": {}, "search (CSE lead)": {}}
    floor = {}
    sizes = [f"{scale:,} young people" for scale in SCALES]
    for scale, size in zip(SCALES, sizes, strict=True):
        demo_records.generate(scale - YoungPerson.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        case = Case.objects.filter(lead_professional=lead).order_by("pk").first()
        record = reverse("young-person", args=[case.young_person_id])
        lead_client, cse_lead_client = signed_in_client(lead), signed_in_client(cse_lead)
        floor[size] = framework_floor(lead_client)
        seconds["record page"][size], queries["record page"][size] = measure(lead_client, record)
        found_on_page = measure(cse_lead_client, reverse("young-people"), {"q": SEARCH})
        seconds["search (CSE lead)"][size], queries["search (CSE lead)"][size] = found_on_page
        # How many rows the page showed, so the two scales compare like with like.
        cse_lead.is_verified = lambda: True
        found = len(selectors.search_young_people(cse_lead, text=SEARCH))
        rows.append(Row(f"search results, {size}", f"{found}", f"for {SEARCH!r}"))
    for page in seconds:
        rows += page_goals(
            page,
            small=sizes[0],
            large=sizes[1],
            seconds=seconds[page],
            queries=queries[page],
            floor=floor,
        )
    return rows
