"""One error format for the whole API.

Every error is an object with ``status`` (the HTTP status), ``code`` (a stable
machine-readable word), ``detail`` (a sentence for people) and, for invalid
input, ``errors``: a map from field name (or ``non_field_errors``) to messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


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
