"""The OpenAPI schema tells the truth, for every operation, without each view remembering.

- Every operation documents the error answers it can give, in the one error
  format (``Error``): 400, 401, 403, 404, 429 everywhere, 413 and 415 where a
  body is sent, 409 where a write can conflict (an edit conflict, an illegal
  transition, a possible duplicate, a confirmation).
- A read-only choice field whose model allows a blank value lists ``""`` in
  its enum (DRF drops ``allow_blank`` from read-only fields; the API still
  returns blanks).
- A field a serializer may hide from a reader (``hidden_fields``) is nullable
  or, when it is left out, not required.
- A request body given with ``extend_schema(request=...)`` is validated whole by
  the view even on PATCH, so its required fields stay required; a serializer's
  ``required_in_patch`` (``version``) stays required on a partial update.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

UNSAFE = ("POST", "PUT", "PATCH")

ERROR_DESCRIPTIONS = {
    "400": "The request has errors (`errors` names each field), or cannot be read.",
    "401": "Not signed in: send an API token in the Authorization header.",
    "403": "A signed-in browser sent no CSRF token.",
    "404": "No such record, or not one you may see.",
    "409": "Refused as things stand: an edit conflict (`current_version`), an illegal "
    "transition, a possible duplicate (`candidates`), or a confirmation needed.",
    "413": "The body is larger than Harbour accepts.",
    "415": "The body is not JSON (or multipart form data, where files are sent).",
    "429": "Too many requests: wait and try again.",
}


class ErrorSerializer(serializers.Serializer):
    """Harbour's one error format. A 409 may add fields saying what conflicts."""

    status = serializers.IntegerField(help_text="The HTTP status")
    code = serializers.CharField(help_text="A stable word for programs, e.g. `not_found`")
    detail = serializers.CharField(help_text="A sentence for people")
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="For invalid input: each field (or `non_field_errors`) and its messages",
    )


class HarbourAutoSchema(AutoSchema):
    """REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]."""

    # Viewset attribute: actions that can never answer 409.
    never_conflicts_attribute: ClassVar[str] = "never_conflicts"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in UNSAFE:
            codes += ["413", "415"]
            action = getattr(self.view, "action", None)
            if action not in getattr(self.view, self.never_conflicts_attribute, ()):
                codes.append("409")
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return dict(sorted(responses.items()))

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField | serializers.CharField) and field.read_only:
            # DRF drops allow_blank from read-only fields; the answers still hold blanks.
            model_field = _model_field(field)
            if model_field is not None:
                field.allow_blank = field.allow_blank or bool(model_field.blank)
                field.allow_null = field.allow_null or bool(model_field.null)
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        parent = getattr(field, "parent", None)
        if (
            direction == "response"
            and field.field_name in getattr(parent, "nulled_when_hidden", ())
            and isinstance(schema, dict)
        ):
            schema = _nullable(schema)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            left_out = set(getattr(serializer, "left_out_when_hidden", ()))
            if left_out and "required" in schema:
                schema["required"] = [name for name in schema["required"] if name not in left_out]
                if not schema["required"]:
                    del schema["required"]
        elif self.method == "PATCH":
            always = [
                name
                for name in getattr(serializer, "required_in_patch", ())
                if name in schema.get("properties", {})
            ]
            if always:
                schema["required"] = sorted({*schema.get("required", []), *always})
        return schema

    def _get_request_for_media_type(self, serializer, direction="request"):
        if (
            self.method == "PATCH"
            and _given_explicitly(self, serializer)
            and not getattr(serializer, "partial_in_patch", False)
        ):
            # The view validates this body whole (not partial): document it so.
            self.method = "PATCH-WHOLE"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)


def _given_explicitly(schema: AutoSchema, serializer) -> bool:
    """A request serializer named in extend_schema rather than the viewset's own."""
    view_class = getattr(schema.view, "serializer_class", None)
    serializer_class = serializer if isinstance(serializer, type) else type(serializer)
    return view_class is not None and serializer_class is not view_class


def _model_field(field: serializers.Field):
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


def _nullable(schema: dict) -> dict:
    if "$ref" in schema:
        # OpenAPI 3.0: a reference cannot be nullable itself.
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        return {"allOf": [{"$ref": schema["$ref"]}], "nullable": True, **extra}
    return {**schema, "nullable": True}
