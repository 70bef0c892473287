"""Query parameters read strictly, and documented as they are read.

A filter the API silently ignores when it cannot read it (``?open=perhaps``,
``?young_person=abc``) answers a different question than the one asked; a
partner's client would never know. Each parameter here is one declaration:
the OpenAPI parameter and the reader that answers 400 for anything else.
"""

from __future__ import annotations

from collections.abc import Collection

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request

from cse_cases.params import whole_number

TRUE = {"1", "true", "yes"}
FALSE = {"0", "false", "no"}


def flag(request: Request, name: str) -> bool:
    """A yes/no filter: absent is no; 1/true/yes or 0/false/no; anything else is a 400."""
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise exceptions.ValidationError({name: ["Send 1 (or true) for yes, 0 (or false) for no."]})


def record_id(request: Request, name: str) -> int | None:
    """An id filter: absent is none; anything but a whole number is a 400."""
    value = request.query_params.get(name)
    if value is None:
        return None
    number = whole_number(value)
    if number is None or number < 1:
        raise exceptions.ValidationError({name: ["Send the record's id, a whole number."]})
    return number


def flag_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, {"type": "integer", "minimum": 1}, description=description)


def choice(request: Request, name: str, choices: Collection[str]) -> str:
    """One of a fixed set of values: absent (or empty) is ""; anything else is a 400."""
    value = request.query_params.get(name, "")
    if value and value not in choices:
        raise exceptions.ValidationError({name: [f"Choose one of: {', '.join(choices)}."]})
    return value


def choice_parameter(name: str, choices: Collection[str], description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, enum=list(choices), description=description)
