"""Home page latency as the partnership grows: 10 agencies against 2,000."""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction

from benchmarks.harness import Row, median_seconds, signed_in_client
from cse_cases.models import Agency, AgencyKind, Area, Nation, Role, User


def build(agencies: int) -> User:
    """A CSE lead whose area is served by `agencies` agencies (set-based inserts)."""
    # Each benchmark starts from an empty database (TRUNCATE, as Django's flush).
    call_command("flush", "--noinput", verbosity=0)
    with transaction.atomic():
        area = Area.objects.create(name="Bench", code="E06999999", nation=Nation.ENGLAND)
        kinds = list(AgencyKind)
        made = Agency.objects.bulk_create(
            Agency(name=f"Agency {n}", kind=kinds[n % len(kinds)]) for n in range(agencies)
        )
        Agency.areas.through.objects.bulk_create(
            Agency.areas.through(agency_id=a.pk, area_id=area.pk) for a in made
        )
        lead = User.objects.create(
            username="lead", email="lead@example.org", role=Role.CSE_LEAD, agency=made[0]
        )
        lead.areas.set([area])
    return lead


def home_page(client) -> None:
    response = client.get("/")
    # Timing an error page would measure nothing useful.
    assert response.status_code == 200, response.status_code  # noqa: S101


def run() -> list[Row]:
    timings = {}
    for size in (10, 2_000):
        client = signed_in_client(build(size))
        timings[size] = median_seconds(lambda: home_page(client))  # noqa: B023
    ratio = timings[2_000] / timings[10]
    return [
        Row("home page (CSE lead), 10 agencies", f"{timings[10] * 1000:.1f} ms", "median of 50"),
        Row("home page (CSE lead), 2,000 agencies", f"{timings[2_000] * 1000:.1f} ms", "median"),
        Row("home page ratio 2,000 / 10", f"{ratio:.2f}", "goal under 1.5"),
    ]
