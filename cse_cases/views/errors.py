"""Error pages in the service's own style; under /api/, the API's error format.

Django calls these for errors raised outside a DRF view (an unknown path, a
request Django itself refuses, CSRF on a non-DRF view, a crash), so a partner
system gets JSON for every answer under /api/, whatever the method.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from cse_cases.api.errors import TOO_LARGE, TOO_MANY_FIELDS, error_response, is_api


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(status_code=404, code="not_found", detail="Not found.")
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        # Harbour answers 404 for what a person may not see; a 403 is a refusal
        # of the request itself (for example a missing CSRF token).
        return error_response(
            status_code=403,
            code="permission_denied",
            detail="You do not have permission to perform this action.",
        )
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return error_response(status_code=413, code="too_large", detail=TOO_LARGE)
        if isinstance(exception, TooManyFieldsSent):
            return error_response(status_code=400, code="too_many_fields", detail=TOO_MANY_FIELDS)
        return error_response(
            status_code=400, code="bad_request", detail="Harbour could not read the request."
        )
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(
            status_code=500,
            code="server_error",
            detail="Harbour could not complete the request. Try again later.",
        )
    # Rendered without context processors: a broken database must not break this page.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page expired (often: signed out while idle)."""
    if is_api(request):
        return error_response(
            status_code=403,
            code="csrf_failed",
            detail="A signed-in browser must send the CSRF token; partner systems use a token.",
        )
    return render(request, "403_csrf.html", status=403)


@csrf_exempt
@login_not_required
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error format, not HTML, for
    every method: nothing is changed here, so there is nothing for CSRF to guard."""
    return error_response(status_code=404, code="not_found", detail="Not found.")
