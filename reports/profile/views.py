"""The problem profile page: a district and a period in, the figures out.
Every figure is computed on request, for the districts the access policy
allows (reports/profile/selectors.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cse_cases import access
from reports.profile import selectors
from reports.profile.forms import ProfileForm


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    access.require_profile(request.user)
    today = timezone.localdate()
    districts = access.profile_district_choices(request.user)
    result = None
    status = 200
    if request.GET:
        # A district that is not the reader's is "not found", never a form
        # error that would confirm it exists.
        if "district" in request.GET:
            access.profile_districts(request.user, request.GET["district"])
        form = ProfileForm(request.GET, districts=districts, today=today)
        if form.is_valid() and form.period_value is not None:
            result = selectors.profile_for(
                request.user, form.cleaned_data["district"], form.period_value, today=today
            )
        else:
            status = 400
    else:
        form = ProfileForm(
            districts=districts, today=today, initial=ProfileForm.initial_for(districts, today)
        )
    return render(
        request,
        "reports/profile.html",
        {"form": form, "profile": result, "has_districts": bool(districts)},
        status=status,
    )
