"""Refuse input PostgreSQL cannot store before any view sees it.

A NUL character in a query parameter, form field or path reaches a query as
text and PostgreSQL refuses it with an error: a 500 from every search box.
Rather than guard each view, this middleware answers 400 (the API's JSON
error format under /api/, the 400 page elsewhere) for such a request. JSON
bodies are checked by the API's parser (cse_cases/api/parsers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from cse_cases.api.errors import error_response, is_api
from cse_cases.api.parsers import has_bad_characters
from cse_cases.views import errors

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

BAD_CHARACTER = (
    "The request contains a character Harbour cannot store (a NUL). Remove it and send again."
)


class InputCleanerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            clean = self._clean(request)
        except (RequestDataTooBig, TooManyFieldsSent) as refused:
            # Django's own limits, answered in the request's format.
            return errors.bad_request(request, refused)
        if not clean:
            if is_api(request):
                return error_response(
                    status_code=400, code="invalid_character", detail=BAD_CHARACTER
                )
            return errors.bad_request(request)
        return self.get_response(request)

    def _clean(self, request: HttpRequest) -> bool:
        if has_bad_characters(request.path_info):
            return False
        if not _clean_query(request.GET):
            return False
        if request.method == "POST" and request.content_type in FORM_TYPES:
            return _clean_query(request.POST) and all(
                not has_bad_characters(upload.name or "") for upload in request.FILES.values()
            )
        return True


def _clean_query(query) -> bool:
    return not any(
        has_bad_characters(key) or any(has_bad_characters(value) for value in values)
        for key, values in query.lists()
    )
