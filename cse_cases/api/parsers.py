"""The API's JSON parser: limits on size, depth and characters, before any view runs.

DRF's JSONParser reads whatever it is sent: a body nested 50,000 deep raises
RecursionError, a NUL character or a lone surrogate reaches PostgreSQL (which
refuses them) and a body of any size is read into memory. Every endpoint gets
this parser from REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"], so a new endpoint
cannot forget the limits.
"""

from __future__ import annotations

import codecs
import json
import math
from typing import Any

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

# Harbour's bodies are a few levels deep (a template: domains, indicators).
MAX_DEPTH = 20


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The request body is larger than the {limit // 1024} KB Harbour accepts. "
            "Send attachments one at a time, or shorter text."
        )


class BadBody(exceptions.ParseError):
    """400 with a code saying what is wrong with the body."""

    def __init__(self, detail: str, code: str) -> None:
        super().__init__(detail, code)


def body_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def has_bad_characters(text: str) -> bool:
    """NUL, which PostgreSQL text cannot hold, or a lone surrogate, which is not UTF-8."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_parsed(data: Any) -> None:
    """Depth and characters of a parsed body, without recursion."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise BadBody(f"The body is nested more than {MAX_DEPTH} levels deep.", "too_deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and has_bad_characters(key):
                    raise _bad_character()
                pending.append((item, depth + 1))
        elif isinstance(value, str) and has_bad_characters(value):
            raise _bad_character()


def _bad_character() -> BadBody:
    return BadBody(
        "The body contains a character Harbour cannot store (a NUL or an unpaired "
        "surrogate). Remove it and send again.",
        "invalid_character",
    )


class HarbourJSONParser(JSONParser):
    """JSON objects only, at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes and
    ``MAX_DEPTH`` levels deep, with text PostgreSQL can store."""

    @staticmethod
    def _finite_float(text: str) -> float:
        """1e400 is valid JSON but infinite in Python, and overflows wherever an
        integer is made of it (an id, say): refused here, once, for every field."""
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"the number {text[:40]} is too large")
        return value

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = body_limit()
        request = parser_context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdecimal() and int(declared) > limit:
            raise TooLarge(limit)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise TooLarge(limit)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise BadBody("The body is not valid UTF-8 text.", "parse_error") from None
        try:
            data = json.loads(
                text, parse_constant=self._no_constant, parse_float=self._finite_float
            )
        except RecursionError:
            raise BadBody(
                f"The body is nested more than {MAX_DEPTH} levels deep.", "too_deep"
            ) from None
        except ValueError as error:
            raise BadBody(f"The body is not valid JSON: {error}", "parse_error") from None
        check_parsed(data)
        if not isinstance(data, dict):
            raise exceptions.ValidationError(
                {"non_field_errors": ["Send a JSON object, with a name for each value."]}
            )
        return data

    @staticmethod
    def _no_constant(name: str) -> None:
        raise ValueError(f"{name} is not a number JSON allows")


def _check_form(data) -> None:
    """A form body's fields (and file names) hold text PostgreSQL can store."""
    fields = data.data if hasattr(data, "data") else data
    files = getattr(data, "files", None) or {}
    for key, values in fields.lists():
        if has_bad_characters(key) or any(has_bad_characters(str(v)) for v in values):
            raise _bad_character()
    for upload in files.values():
        if has_bad_characters(upload.name or ""):
            raise _bad_character()


class HarbourMultiPartParser(MultiPartParser):
    """Multipart bodies (a referral's attachments) with the same character rule.

    Django's middleware-level cleaner sees POSTed forms; a PATCH or PUT form
    is parsed only here."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed)
        return parsed


class HarbourFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed)
        return parsed
