"""Pages for contexts: persons of concern, locations, links and disruption."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_cases import access, audit, selectors, services
from cse_cases.context_forms import (
    DisruptionForm,
    LinkForm,
    LocationForm,
    PersonOfConcernForm,
    PersonOfConcernShareForm,
)
from cse_cases.models import AuditAction, PersonOfConcernShare, User
from cse_cases.views.records import _audit_viewed


def persons_of_concern(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    found = access.search_persons_of_concern(request.user, query)
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        object_type="personofconcern",
        detail=f"list {query}".strip(),
    )
    if found.match_in_other_area:
        _audit_cross_area_match(request.user)
    return render(
        request,
        "contexts/persons_of_concern.html",
        {
            "people": found.people.select_related("area").order_by("name", "pk")[:200],
            "query": query,
            "match_in_other_area": found.match_in_other_area,
            "may_see_intelligence": access.may_see_intelligence(request.user),
        },
    )


def _audit_cross_area_match(user: User) -> None:
    """One row, naming neither the person nor the district: information
    governance can see who was pointed to another area, and how often."""
    audit.record(
        user=user,
        action=AuditAction.SEARCH,
        object_type="personofconcern",
        detail=access.CROSS_AREA_MATCH,
    )


@require_http_methods(["GET", "POST"])
def person_of_concern_create(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    home = list(request.user.areas.all()[:2])
    form = PersonOfConcernForm(
        request.POST or None, initial={"area": home[0]} if len(home) == 1 else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_of_concern_create(by=request.user, **form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"{person.name} recorded.")
            if access.persons_of_concern_visible_to(request.user).filter(pk=person.pk).exists():
                return redirect("person-of-concern", pk=person.pk)
            # Restricted intelligence recorded by someone who may not read it
            # back: it is with police and CSE leads now.
            messages.info(request, "Police and CSE leads of the district will see this person.")
            return redirect("persons-of-concern")
    return render(
        request, "contexts/form.html", {"form": form, "title": "Record a person of concern"}
    )


def _context_page(
    request: HttpRequest, targets: QuerySet, pk: int, *, other_end: str, label: str
) -> object:
    """A person of concern or a place, with the links the user may see and its
    disruption; audited against the record itself and each child it names."""
    access.require_records(request.user)
    links = access.links_visible_to(request.user).select_related("young_person", other_end)
    target = (
        targets.prefetch_related(
            Prefetch("links", queryset=links, to_attr="visible_links"), "disruptions"
        )
        .filter(pk=pk)
        .first()
    )
    if target is None:
        raise Http404
    audit.record(user=request.user, action=AuditAction.VIEW, obj=target)
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type=target._meta.model_name,
        young_person_ids=[
            link.young_person_id for link in target.visible_links if link.young_person_id
        ],
        detail=f"{label} {target.pk}",
    )
    return target


def person_of_concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shares = PersonOfConcernShare.objects.select_related("area", "shared_by", "shared_by_agency")
    person = _context_page(
        request,
        access.persons_of_concern_visible_to(request.user)
        .select_related("area", "created_by_agency")
        .prefetch_related(Prefetch("shares", queryset=shares, to_attr="sharing_decisions")),
        pk,
        other_end="location",
        label="person of concern",
    )
    intelligence = access.may_see_intelligence(request.user)
    return render(
        request,
        "contexts/person_of_concern.html",
        # Seeing the person is established: intelligence users may share them.
        {"person": person, "may_disrupt": intelligence, "may_share": intelligence},
    )


@require_http_methods(["GET", "POST"])
def person_of_concern_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a person of concern with another district: a recorded decision."""
    access.require_records(request.user)
    person = access.person_of_concern_for(request.user, pk)
    if not access.may_share_person_of_concern(request.user, person):
        raise Http404
    if request.method == "GET":
        audit.record(user=request.user, action=AuditAction.VIEW, obj=person, detail="share form")
    form = PersonOfConcernShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            share = services.person_of_concern_share(
                by=request.user, person=person, **form.cleaned_data
            )
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"{person.name} shared with {share.area.name}.")
            return redirect("person-of-concern", pk=person.pk)
    return render(
        request,
        "contexts/share.html",
        {"form": form, "person": person, "title": f"Share {person.name} with another district"},
    )


def locations(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    places = access.locations_visible_to(request.user).select_related("area").order_by("name")
    return render(request, "contexts/locations.html", {"places": places[:500]})


@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.location_create(by=request.user, **form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"{place.name} recorded.")
            return redirect("location", pk=place.pk)
    return render(request, "contexts/form.html", {"form": form, "title": "Record a place"})


def location_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = _context_page(
        request,
        access.locations_visible_to(request.user).select_related("area"),
        pk,
        other_end="person",
        label="place",
    )
    return render(
        request,
        "contexts/location.html",
        {"place": place, "may_disrupt": access.may_see_intelligence(request.user)},
    )


@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a young person to a person of concern, another young person or a place."""
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    if not access.may_edit_young_person(request.user, young_person):
        raise Http404
    if request.method == "GET":
        _audit_viewed(request, young_person, "link form")
    form = LinkForm(
        request.POST or None,
        people=access.persons_of_concern_visible_to(request.user).order_by("name"),
        young_people=access.young_people_visible_to(request.user)
        .exclude(pk=young_person.pk)
        .filter(merged_into__isnull=True)
        .order_by("legal_last_name"),
        locations=access.locations_visible_to(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(by=request.user, young_person=young_person, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Link recorded.")
            return redirect("young-person", pk=young_person.pk)
    return render(
        request,
        "contexts/form.html",
        {"form": form, "title": f"Link {young_person.display_name} to someone or somewhere"},
    )


@require_http_methods(["GET", "POST"])
def disruption_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Disruption against a person of concern (kind=person) or a place (kind=location)."""
    access.require_records(request.user)
    if not access.may_see_intelligence(request.user):
        raise Http404
    if kind == "person":
        target = access.persons_of_concern_visible_to(request.user).filter(pk=pk).first()
    else:
        target = access.locations_visible_to(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    form = DisruptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disruption_add(by=request.user, **{kind: target}, **form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Disruption recorded.")
            name = "person-of-concern" if kind == "person" else "location"
            return redirect(name, pk=target.pk)
    return render(request, "contexts/form.html", {"form": form, "title": f"Disrupt: {target}"})
