"""One error format for the whole API.

Every error is an object with ``status`` (the HTTP status), ``code`` (a stable
machine-readable word), ``detail`` (a sentence for people) and, for invalid
input, ``errors``: a map from field name (or ``non_field_errors``) to messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cse_cases.services import EditConflict, NeedsConfirmation, RecordError


def _flatten(detail) -> object:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def error_body(*, status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    body = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def is_api(request: HttpRequest) -> bool:
    """Whether a request is for the API, which answers JSON whatever goes wrong."""
    return request.path_info.startswith("/api/")


def error_response(*, status_code: int, code: str, detail: str) -> JsonResponse:
    """An error outside DRF (middleware, Django's error handlers) in the same format."""
    return JsonResponse(
        error_body(status_code=status_code, code=code, detail=detail), status=status_code
    )


TOO_LARGE = "The request body is larger than Harbour accepts. Send attachments one at a time."
TOO_MANY_FIELDS = "The request has more fields than Harbour accepts."


def for_django_error(exc: Exception) -> exceptions.APIException | None:
    """Django's own refusals of a request, as API errors rather than HTML pages."""
    if isinstance(exc, RequestDataTooBig):
        error = exceptions.APIException(TOO_LARGE, "too_large")
        error.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return error
    if isinstance(exc, TooManyFieldsSent):
        return exceptions.ParseError(TOO_MANY_FIELDS, "too_many_fields")
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError("Harbour could not read the request.", "bad_request")
    return None


def field_errors(error: Exception) -> exceptions.ValidationError:
    """A service's RecordError as a 400 naming its field."""
    return exceptions.ValidationError(
        {getattr(error, "field", None) or "non_field_errors": [str(error)]}
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        # The same answer whether the record is missing or merely not yours.
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    else:
        exc = for_django_error(exc) or exc
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            status_code=response.status_code,
            code="invalid",
            detail="The request has errors: see errors for each field.",
            errors=_flatten(errors),
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = error_body(
            status_code=response.status_code,
            code=codes if isinstance(codes, str) else "error",
            detail=str(detail),
        )
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data["detail"] = (
            "Sign in, or send an API token in the Authorization header: Token <key>."
        )
    return response


def run_service(call: Callable[[], Response]) -> Response:
    """A service call, with its errors in the API's format: an edit conflict or
    a warning to confirm is 409, a refusal 404, a RecordError 400 on its field."""
    try:
        return call()
    except EditConflict as conflict:
        body = error_body(status_code=409, code="conflict", detail=str(conflict))
        current = getattr(conflict, "current", None)
        body["current_version"] = getattr(current, "version", getattr(current, "number", None))
        return Response(body, status=status.HTTP_409_CONFLICT)
    except NeedsConfirmation as warning:
        body = error_body(status_code=409, code="needs_confirmation", detail=str(warning))
        return Response(body, status=status.HTTP_409_CONFLICT)
    except PermissionDenied:
        raise exceptions.NotFound from None
    except RecordError as error:
        raise field_errors(error) from None
