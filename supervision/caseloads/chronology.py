"""Changes of lead professional on the young person's chronology: who moved
the case, from whom to whom, and why. Seen by whoever may see the case."""

from __future__ import annotations

from django.db.models import F, QuerySet

from cse_cases import access
from cse_cases.chronology import Entry, Filter, Row, Source, entry, person, project
from cse_cases.models import User, YoungPerson
from supervision.models import CaseAllocation


def allocation_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    cases = access.cases_visible_to(user).filter(young_person=young_person).values("pk")
    allocations = CaseAllocation.objects.filter(case__in=cases)
    if flt.agency_id:
        allocations = allocations.filter(allocated_by__agency_id=flt.agency_id)
    return project(
        allocations,
        at=F("allocated_at"),
        agency=F("allocated_by__agency__name"),
        author=person("allocated_by"),
        body=F("reason"),
        to_name=person("to_user"),
        from_name=person("from_user"),
    )


def allocation_entry(row: Row) -> Entry:
    data = row["entry_data"]
    moved = f"from {data['from_name']} to {data['to_name']}" if data["from_name"] else ""
    return entry(
        row,
        kind="allocation",
        kind_label="Change of lead professional",
        title=f"Lead professional changed {moved}".strip()
        if moved
        else f"Lead professional: {data['to_name']}",
    )


allocation_entries = Source(allocation_rows, allocation_entry)
