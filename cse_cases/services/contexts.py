"""Writes for contexts: persons of concern, locations, links and disruption."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import (
    Area,
    AuditAction,
    ContextLink,
    Disruption,
    LawfulBasis,
    LinkKind,
    Location,
    PersonOfConcern,
    PersonOfConcernShare,
    User,
    YoungPerson,
)
from cse_cases.services.records import RecordError


def _clean_list(values: list[str] | None) -> list[str]:
    return [v.strip() for v in values or [] if v and v.strip()]


@transaction.atomic
def person_of_concern_create(
    *,
    by: User,
    name: str,
    nicknames: list[str] | None = None,
    description: str = "",
    phone_numbers: list[str] | None = None,
    vehicles: list[str] | None = None,
    area: Area | None = None,
    restricted: bool = True,
) -> PersonOfConcern:
    if not access.may_see_identifiable_records(by):
        raise PermissionDenied
    if not name.strip():
        raise RecordError("Enter a name, or the name they are known by", field="name")
    if area is None:
        # Every new person of concern belongs to the district where they were
        # recorded: the recorder's own, when they work in only one.
        areas = list(by.areas.all()[:2])
        if len(areas) != 1:
            raise RecordError("Choose the district where this person is of concern", field="area")
        area = areas[0]
    # Only administrators have no agency (user_agency_required), and they work with no record.
    if by.agency_id is None:
        raise PermissionDenied
    person = PersonOfConcern.objects.create(
        name=name.strip(),
        nicknames=_clean_list(nicknames),
        description=description,
        phone_numbers=_clean_list(phone_numbers),
        vehicles=_clean_list(vehicles),
        area=area,
        # Only police and CSE leads may open intelligence to the whole team.
        restricted=restricted or not access.may_see_intelligence(by),
        created_by=by,
        created_by_agency_id=by.agency_id,
    )
    audit.record(user=by, action=AuditAction.CREATE, obj=person)
    return person


@transaction.atomic
def person_of_concern_share(
    *,
    by: User,
    person: PersonOfConcern,
    area: Area,
    purpose: str,
    lawful_basis: str,
) -> PersonOfConcernShare:
    """Record the decision to share a person of concern with another district:
    its police and CSE leads then see them (access.persons_of_concern_visible_to)."""
    if not access.may_share_person_of_concern(by, person):
        raise PermissionDenied
    if not purpose.strip():
        raise RecordError("Say why you are sharing this person with that district", field="purpose")
    if lawful_basis not in LawfulBasis.values:
        raise RecordError("Choose the lawful basis for sharing", field="lawful_basis")
    earlier = PersonOfConcernShare.objects.filter(person=person, area=area).first()
    if earlier is not None:
        raise RecordError(
            f"Already shared with {area.name} on {timezone.localtime(earlier.shared_at):%d %b %Y}",
            field="area",
        )
    if access.person_of_concern_held_in(person, area):
        raise RecordError(
            f"Police and CSE leads in {area.name} already see this person: "
            "they were recorded or are linked there",
            field="area",
        )
    share = PersonOfConcernShare.objects.create(
        person=person,
        area=area,
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        shared_by=by,
        shared_by_agency_id=by.agency_id,
    )
    audit.record(
        user=by,
        action=AuditAction.SHARE,
        obj=person,
        detail=f"shared with {area.name}",
        reason=share.purpose,
    )
    return share


@transaction.atomic
def location_create(*, by: User, name: str, kind: str, area: Area, address: str = "") -> Location:
    if not access.may_see_identifiable_records(by):
        raise PermissionDenied
    if not name.strip():
        raise RecordError("Name the place", field="name")
    location = Location.objects.create(
        name=name.strip(), kind=kind, area=area, address=address, created_by=by
    )
    audit.record(user=by, action=AuditAction.CREATE, obj=location)
    return location


def _kind_for(
    young_person: YoungPerson | None,
    person: PersonOfConcern | None,
    other_young_person: YoungPerson | None,
    location: Location | None,
) -> str:
    ends = (bool(young_person), bool(person), bool(other_young_person), bool(location))
    kinds = {
        (True, True, False, False): LinkKind.YOUNG_PERSON_TO_PERSON,
        (True, False, True, False): LinkKind.YOUNG_PERSON_TO_YOUNG_PERSON,
        (True, False, False, True): LinkKind.YOUNG_PERSON_TO_LOCATION,
        (False, True, False, True): LinkKind.PERSON_TO_LOCATION,
    }
    if ends not in kinds:
        raise RecordError("Choose exactly two things to link, as the form shows")
    return kinds[ends]


@transaction.atomic
def link_create(
    *,
    by: User,
    source: str,
    source_grading: str,
    information_grading: str,
    young_person: YoungPerson | None = None,
    person: PersonOfConcern | None = None,
    other_young_person: YoungPerson | None = None,
    location: Location | None = None,
    first_seen: date | None = None,
    last_seen: date | None = None,
    restricted: bool = True,
) -> ContextLink:
    if not access.may_see_identifiable_records(by):
        raise PermissionDenied
    kind = _kind_for(young_person, person, other_young_person, location)
    visible_people = access.young_people_visible_to(by)
    for end in (young_person, other_young_person):
        if end is not None and not visible_people.filter(pk=end.pk).exists():
            raise PermissionDenied
    # Writing on a child's record is for those who work on it, not those who
    # only see it (a supervisor, a share, break-glass).
    if young_person is not None and not access.may_edit_young_person(by, young_person):
        raise PermissionDenied
    if (
        person is not None
        and not access.persons_of_concern_visible_to(by).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied
    if (
        person is not None
        and person.restricted
        and location is not None
        and not access.person_of_concern_held_in(person, location.area)
    ):
        # A link to a place shows the person to that place's district: across a
        # boundary that is an information-sharing decision, recorded as one.
        raise RecordError(
            f"This place is in {location.area.name}, where this person is not shared: "
            f"record a sharing decision with {location.area.name} first",
            field="location",
        )
    if young_person is not None and young_person == other_young_person:
        raise RecordError("Choose another young person", field="other_young_person")
    if not source.strip():
        raise RecordError("Say where this information came from", field="source")
    today = timezone.localdate()
    if (first_seen and first_seen > today) or (last_seen and last_seen > today):
        raise RecordError("Seen dates must not be in the future", field="last_seen")
    if first_seen and last_seen and last_seen < first_seen:
        raise RecordError("Last seen must be on or after first seen", field="last_seen")
    link = ContextLink.objects.create(
        kind=kind,
        young_person=young_person,
        person=person,
        other_young_person=other_young_person,
        location=location,
        source=source,
        source_grading=source_grading,
        information_grading=information_grading,
        first_seen=first_seen,
        last_seen=last_seen,
        # Police and CSE leads choose; a link naming a restricted person is
        # restricted whoever records it; others' links are for the team.
        restricted=(restricted if access.may_see_intelligence(by) else False)
        or bool(person and person.restricted),
        created_by=by,
    )
    for end in (young_person, other_young_person):
        if end is not None:
            audit.record(user=by, action=AuditAction.CREATE, obj=link, young_person_id=end.pk)
    if young_person is None:
        audit.record(user=by, action=AuditAction.CREATE, obj=link)
    return link


@transaction.atomic
def disruption_add(
    *,
    by: User,
    kind: str,
    started_on: date,
    person: PersonOfConcern | None = None,
    location: Location | None = None,
    ended_on: date | None = None,
    outcome: str = "",
) -> Disruption:
    if not access.may_see_intelligence(by):
        raise PermissionDenied
    if (person is None) == (location is None):
        raise RecordError("Disruption is against one person of concern or one location")
    if started_on > timezone.localdate():
        raise RecordError("The start date must not be in the future", field="started_on")
    if ended_on and ended_on < started_on:
        raise RecordError("The end date must be on or after the start", field="ended_on")
    disruption = Disruption.objects.create(
        kind=kind,
        person=person,
        location=location,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        recorded_by=by,
    )
    audit.record(user=by, action=AuditAction.CREATE, obj=disruption)
    return disruption
