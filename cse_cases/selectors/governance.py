"""Reads for information governance: finding a record, its audit trail, and
the emergency-access review queue. Every read is scoped to the districts the
officer serves (access.governance_area_ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from cse_cases import access
from cse_cases.models import AuditAction, AuditEvent, BreakGlassGrant, User, YoungPerson
from cse_cases.selectors.search import _identifier_match, _name_matches, _with_lower_names

TRAIL_PAGE_SIZE = 50
FIND_LIMIT = 20

# What each kind of audit row says a person did, with the thing it was done to.
ACTION_PHRASES: dict[str, str] = {
    AuditAction.VIEW: "Viewed the {thing}",
    AuditAction.SEARCH: "Found the {thing} in a search",
    AuditAction.CREATE: "Created the {thing}",
    AuditAction.CHANGE: "Changed the {thing}",
    AuditAction.EXPORT: "Exported the {thing}",
    AuditAction.PRINT: "Printed the {thing}",
    AuditAction.MERGE: "Merged the {thing}",
    AuditAction.SHARE: "Recorded a sharing decision on the {thing}",
    AuditAction.BREAK_GLASS: "Used emergency access to the {thing}",
}
# Audit rows about things that are not models of their own.
EXTRA_THINGS = {"": "record", "audittrail": "audit trail", "record": "record"}


@cache
def _things() -> dict[str, str]:
    """Every model's name as the audit row stores it, and as people say it
    ("returninterview" -> "return interview"). Built from the apps, so a new
    feature's rows read well without being listed here."""
    names = {
        model._meta.model_name: str(model._meta.verbose_name)
        for model in apps.get_models()
        if model._meta.model_name  # always set once the app registry is ready
    }
    return {**names, **EXTRA_THINGS}


def describe(event: AuditEvent) -> str:
    """'Viewed the return interview', not 'view returninterview'."""
    thing = _things().get(event.object_type, event.object_type.replace("_", " "))
    phrase = ACTION_PHRASES.get(event.action)
    if phrase is None:
        return f"{event.get_action_display()}: {thing}"
    return phrase.format(thing=thing)


def find_records(
    user: User,
    *,
    text: str = "",
    date_of_birth: date | None = None,
    identifier: str = "",
    record_number: int | None = None,
) -> list[YoungPerson]:
    """Records in the officer's districts matching a name, date of birth,
    identifier (NHS number, police reference, UPN) or Harbour record number."""
    queryset = _with_lower_names(access.audited_young_people(user)).select_related("area")
    if record_number is not None:
        queryset = queryset.filter(pk=record_number)
    if identifier.strip():
        queryset = queryset.filter(_identifier_match(identifier))
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if text.split():
        condition, _ = _name_matches(text)
        queryset = queryset.filter(condition)
    return list(queryset.order_by("legal_last_name", "legal_first_name", "pk")[:FIND_LIMIT])


@dataclass(frozen=True)
class TrailFilter:
    user_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def trail_events(young_person: YoungPerson, flt: TrailFilter) -> QuerySet[AuditEvent]:
    """One record's audit rows, newest first, narrowed by the filter. The
    caller has already checked the officer may read this record's trail."""
    events = AuditEvent.objects.filter(young_person_id=young_person.pk)
    if flt.user_id is not None:
        events = events.filter(user_id=flt.user_id)
    if flt.action:
        events = events.filter(action=flt.action)
    # Whole days in Harbour's time zone, compared in PostgreSQL: no date
    # arithmetic in Python, so 0001-01-01 or 9999-12-31 cannot overflow.
    if flt.date_from:
        events = events.filter(at__date__gte=flt.date_from)
    if flt.date_to:
        events = events.filter(at__date__lte=flt.date_to)
    return events.order_by("-at", "-pk")


def trail_page(young_person: YoungPerson, flt: TrailFilter, page_number: int | str | None) -> Page:
    """A page of the trail, each row carrying its human description."""
    page = Paginator(trail_events(young_person, flt), TRAIL_PAGE_SIZE).get_page(page_number)
    for event in page.object_list:
        event.description = describe(event)
    return page


def trail_people(young_person: YoungPerson) -> list[tuple[int, str]]:
    """Everyone who appears in this record's trail, for the "person" filter."""
    rows = (
        AuditEvent.objects.filter(young_person_id=young_person.pk, user_id__isnull=False)
        .values_list("user_id", "username")
        .distinct()
        .order_by("username")
    )
    # user_id__isnull=False above: every row names a person.
    return [(user_id, name) for user_id, name in rows if user_id is not None]


def review_queue(user: User, *, reviewed: bool) -> QuerySet[BreakGlassGrant]:
    """Emergency access in the officer's districts: waiting for review (oldest
    first, so nothing waits forever) or reviewed (newest first)."""
    grants = access.break_glass_grants_to_review(user).select_related(
        "user__agency", "case__young_person", "case__lead_professional", "case__area"
    )
    if reviewed:
        return (
            grants.filter(review__isnull=False)
            .select_related("review__reviewed_by")
            .order_by("-granted_at")
        )
    return grants.filter(review__isnull=True).order_by("granted_at")


def waiting_for_review(user: User) -> int:
    return access.break_glass_grants_to_review(user).filter(review__isnull=True).count()
