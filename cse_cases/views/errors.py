"""Error pages in the service's own style."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cse_cases.api.errors import error_body


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(
                status_code=500,
                code="server_error",
                detail="Harbour could not complete the request. Try again later.",
            ),
            status=500,
        )
    # Rendered without context processors: a broken database must not break this page.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page expired (often: signed out while idle)."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error format, not HTML."""
    return JsonResponse(
        error_body(status_code=404, code="not_found", detail="Not found."), status=404
    )
