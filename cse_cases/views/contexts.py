"""Pages for contexts: persons of concern, locations, links and disruption."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_cases import access, audit, selectors, services
from cse_cases.context_forms import DisruptionForm, LinkForm, LocationForm, PersonOfConcernForm
from cse_cases.models import AuditAction
from cse_cases.views.records import _audit_viewed


def persons_of_concern(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    people = access.persons_of_concern_visible_to(request.user).select_related("area")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(name__trigram_similar=query)
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        object_type="personofconcern",
        detail=f"list {query}".strip(),
    )
    return render(
        request,
        "contexts/persons_of_concern.html",
        {
            "people": people.order_by("name")[:200],
            "query": query,
            "may_see_intelligence": access.may_see_intelligence(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def person_of_concern_create(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    form = PersonOfConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_of_concern_create(by=request.user, **form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"{person.name} recorded.")
            return redirect("person-of-concern", pk=person.pk)
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
    person = _context_page(
        request,
        access.persons_of_concern_visible_to(request.user).select_related(
            "area", "created_by_agency"
        ),
        pk,
        other_end="location",
        label="person of concern",
    )
    return render(
        request,
        "contexts/person_of_concern.html",
        {"person": person, "may_disrupt": access.may_see_intelligence(request.user)},
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
