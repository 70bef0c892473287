"""The problem profile page: a district and a period in, the figures out.
Every figure is computed on request, for the districts the access policy
allows (reports/profile/selectors.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cse_cases import access
from reports.disclosure import threshold
from reports.profile import pdf, selectors, services
from reports.profile.forms import ProfileForm


def _asked(request: HttpRequest) -> tuple[ProfileForm, selectors.Profile | None]:
    """The form as asked, and the profile when the question was valid."""
    today = timezone.localdate()
    districts = access.profile_district_choices(request.user)
    if not request.GET:
        initial = ProfileForm.initial_for(districts, today)
        return ProfileForm(districts=districts, today=today, initial=initial), None
    # A district that is not the reader's is "not found", never a form
    # error that would confirm it exists.
    if "district" in request.GET:
        access.profile_districts(request.user, request.GET["district"])
    form = ProfileForm(request.GET, districts=districts, today=today)
    if not form.is_valid() or form.period_value is None:
        return form, None
    result = selectors.profile_for(
        request.user,
        form.cleaned_data["district"],
        form.period_value,
        today=today,
        audience=form.cleaned_data["audience"],
    )
    return form, result


def _pdf_links(request: HttpRequest) -> list[tuple[str, str]]:
    """The profile's PDF for each audience, for the same question."""
    links = []
    for audience, label in (
        (access.ProfileAudience.BOARD, "Download the PDF for the partnership board"),
        (access.ProfileAudience.INTERNAL, "Download the PDF for CSE leads and police"),
    ):
        query = request.GET.copy()
        query["audience"] = audience
        links.append((f"{reverse('problem-profile-pdf')}?{query.urlencode()}", label))
    return links


def _page(
    request: HttpRequest, form: ProfileForm, result: selectors.Profile | None
) -> HttpResponse:
    return render(
        request,
        "reports/profile.html",
        {
            "form": form,
            "profile": result,
            "pdf_links": _pdf_links(request) if result is not None else [],
            "threshold": threshold(),
            # The map and the profile are the CSE lead's one picture.
            "network_url": reverse("network") if access.may_see_network(request.user) else "",
        },
        status=400 if form.is_bound and result is None else 200,
    )


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    access.require_profile(request.user)
    form, result = _asked(request)
    if result is not None:
        services.audit_profile(user=request.user, profile=result, output="page")
    return _page(request, form, result)


@require_GET
def profile_pdf(request: HttpRequest) -> HttpResponse:
    """The same profile as a PDF for the partnership board; a question that
    is not valid gets the page with its errors."""
    access.require_profile(request.user)
    form, result = _asked(request)
    if result is None:
        return _page(request, form, result)
    document = pdf.profile_pdf(result)
    services.audit_profile(user=request.user, profile=result, output="pdf")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.file_name(result)}"'
    response["Cache-Control"] = "no-store"
    return response
