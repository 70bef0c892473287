"""API for young people and their cases: the same services, selectors and policy
as the pages. Every read of identifiable data is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, audit, selectors, services
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, ScopedViewSetMixin
from cse_cases.api.errors import error_body, field_errors
from cse_cases.models import (
    AuditAction,
    Case,
    CaseMember,
    CaseNote,
    YoungPerson,
)
from cse_cases.params import whole_number
from cse_cases.record_forms import YoungPersonForm

ONLY_THIS_CHILD = query.id_parameter("young_person", "Only this child")


class YoungPersonSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, write_only=True
    )
    alias_names = serializers.SerializerMethodField()
    age = serializers.IntegerField(read_only=True)
    under_13 = serializers.BooleanField(read_only=True)
    under_16 = serializers.BooleanField(read_only=True)

    class Meta:
        model = YoungPerson
        fields = [
            "id",
            "version",
            *YoungPersonForm.Meta.fields,
            "aliases",
            "alias_names",
            "age",
            "under_13",
            "under_16",
        ]
        read_only_fields = ["id", "version"]

    def get_alias_names(self, obj: YoungPerson) -> list[str]:
        return [alias.name for alias in obj.aliases.all()]

    # For the schema (cse_cases/api/schema.py): left out for readers who may not see it.
    left_out_when_hidden = ("sexual_orientation",)

    def to_representation(self, instance: YoungPerson) -> dict:
        data = super().to_representation(instance)
        if not self._restricted_allowed(instance):
            data.pop("sexual_orientation", None)
        return data

    def _restricted_allowed(self, instance: YoungPerson) -> bool:
        """access.may_see_restricted_details, worked out once per response, not per row."""
        request = self.context.get("request")
        if request is None:
            return False
        if "restricted_details" not in self.context:
            self.context["restricted_details"] = access.restricted_details_scope(request.user)
        return self.context["restricted_details"].allows(instance)


class YoungPersonCreateSerializer(YoungPersonSerializer):
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true to create the record although it may be a duplicate (409 otherwise)",
    )

    class Meta(YoungPersonSerializer.Meta):
        fields = [*YoungPersonSerializer.Meta.fields, "confirm_not_duplicate"]


class YoungPersonUpdateSerializer(YoungPersonSerializer):
    """Send only what changes, with the `version` you read (a newer save answers 409)."""

    version = serializers.IntegerField(help_text="The version you read")
    # For the schema: a partial update, but the version is always required.
    partial_in_patch = True
    required_in_patch = ("version",)


class CaseMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    agency = serializers.CharField(source="user.agency.name")

    class Meta:
        model = CaseMember
        fields = ["id", "user", "name", "agency", "role", "added_at"]


class CaseSerializer(serializers.ModelSerializer):
    team = CaseMemberSerializer(source="active_members", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "young_person",
            "status",
            "opened_on",
            "closed_on",
            "closure_reason",
            "closure_category",
            "area",
            "lead_agency",
            "lead_professional",
            "risk_level",
            "exploitation_models",
            "team",
            "version",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name or alias; spelling need not be exact"),
            OpenApiParameter("date_of_birth", OpenApiTypes.DATE, description="YYYY-MM-DD"),
            OpenApiParameter("identifier", str, description="NHS number, police reference or UPN"),
        ]
    )
)
class YoungPersonViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Young people you may see. Creating runs the duplicate check first: a
    likely match answers 409 unless `confirm_not_duplicate` is true. Updating
    needs the `version` you read; a newer save answers 409."""

    serializer_class = YoungPersonSerializer
    audit_type = "youngperson"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, user) -> QuerySet:
        return (
            access.young_people_visible_to(user)
            .filter(merged_into__isnull=True)
            .select_related("area")
            .prefetch_related("aliases")
            .order_by("legal_last_name", "legal_first_name", "pk")
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        params = request.query_params
        if any(params.get(k) for k in ("q", "date_of_birth", "identifier")):
            dob = None
            if params.get("date_of_birth"):
                try:
                    dob = serializers.DateField().to_internal_value(params["date_of_birth"])
                except serializers.ValidationError as error:
                    raise exceptions.ValidationError({"date_of_birth": error.detail}) from None
            results = selectors.search_young_people(
                request.user,
                text=params.get("q", ""),
                date_of_birth=dob,
                identifier=params.get("identifier", ""),
            )
            ids = [r.pk for r in results]
            queryset = self.get_queryset().filter(pk__in=ids)
            order = {pk: n for n, pk in enumerate(ids)}
            page = self.paginate_queryset(sorted(queryset, key=lambda r: order[r.pk]))
        else:
            page = self.paginate_queryset(self.get_queryset())
        self.audit_list(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def children_of(self, obj: YoungPerson) -> list[int]:
        return [obj.pk]

    @extend_schema(request=YoungPersonCreateSerializer, responses={201: YoungPersonSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aliases = data.pop("aliases", [])
        check = selectors.duplicate_candidates(
            request.user,
            first_name=data["legal_first_name"],
            last_name=data["legal_last_name"],
            date_of_birth=data["date_of_birth"],
            identifiers=[data.get(k, "") for k in ("nhs_number", "police_reference", "school_upn")],
            aliases=aliases,
        )
        audit.record_duplicate_check(user=request.user, check=check, detail="duplicate check (API)")
        confirmed = str(request.data.get("confirm_not_duplicate", "")).lower() == "true"
        if (check.visible or check.hidden_match) and not confirmed:
            body = error_body(
                status_code=409,
                code="possible_duplicate",
                detail=(
                    "This young person may already have a record. Check the candidates; "
                    "send confirm_not_duplicate=true to create a new record anyway."
                ),
            )
            body["candidates"] = [person.pk for person in check.visible]
            body["hidden_match"] = check.hidden_match
            return Response(body, status=status.HTTP_409_CONFLICT)
        try:
            with transaction.atomic():
                young_person = services.young_person_create(
                    by=request.user,
                    data=data,
                    aliases=aliases,
                    possible_duplicate_ids=list(check.hidden_ids),
                )
                services.case_open(
                    by=request.user, young_person=young_person, lead_professional=request.user
                )
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(young_person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=YoungPersonUpdateSerializer, responses=YoungPersonSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        young_person = self.get_object()
        if "version" not in request.data:
            raise exceptions.ValidationError({"version": ["Send the version you read."]})
        serializer = self.get_serializer(young_person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aliases = data.pop("aliases", None)
        if not access.may_see_restricted_details(request.user, young_person):
            # Not theirs to read, so not theirs to overwrite.
            data.pop("sexual_orientation", None)
        version = str(request.data["version"])
        try:
            young_person = services.young_person_update(
                by=request.user,
                young_person=young_person,
                version=whole_number(version, default=-1),
                data=data,
                aliases=aliases,
            )
        except PermissionDenied:
            raise exceptions.NotFound from None
        except services.EditConflict as error:
            body = error_body(status_code=409, code="edit_conflict", detail=str(error))
            body["current"] = self.get_serializer(error.current).data
            return Response(body, status=status.HTTP_409_CONFLICT)
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(young_person).data)

    def update(self, request: Request, *args, **kwargs) -> Response:
        return self.partial_update(request, *args, **kwargs)


class CaseViewSet(AuditedReads, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Cases you may see, with the team around the child."""

    serializer_class = CaseSerializer
    audit_type = "case"

    def scoped_queryset(self, user) -> QuerySet:
        members = CaseMember.objects.filter(removed_at__isnull=True).select_related(
            "user", "user__agency"
        )
        return (
            access.cases_visible_to(user)
            .prefetch_related(Prefetch("members", queryset=members, to_attr="active_members"))
            .order_by("-opened_on", "pk")
        )


class CaseNoteSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)
    agency = serializers.CharField(source="author_agency.name", read_only=True)

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "young_person",
            "case",
            "note_type",
            "visibility",
            "named_viewers",
            "occurred_at",
            "text",
            "young_persons_words",
            "author",
            "author_name",
            "agency",
            "recorded_at",
        ]
        read_only_fields = ["id", "young_person", "author", "recorded_at"]
        extra_kwargs = {"named_viewers": {"required": False}, "occurred_at": {"required": False}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "case" in self.fields:
            # A case you may not see is "not found", exactly like one that does not exist.
            self.fields["case"].queryset = access.cases_visible_to(request.user)


@extend_schema_view(
    list=extend_schema(parameters=[query.id_parameter("young_person", "Only this child")])
)
class CaseNoteViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Case notes you may read, newest first. Notes are never edited: add another."""

    serializer_class = CaseNoteSerializer
    never_conflicts = ("create",)
    audit_type = "casenote"
    list_action = AuditAction.VIEW
    list_detail = "API list of notes"

    def scoped_queryset(self, user) -> QuerySet:
        notes = (
            access.notes_visible_to(user)
            .select_related("author", "author_agency")
            .prefetch_related("named_viewers")
            .order_by("-occurred_at", "-pk")
        )
        young_person = query.record_id(self.request, "young_person")
        if young_person is not None and self.action == "list":
            notes = notes.filter(young_person_id=young_person)
        return notes

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # The serializer only accepts cases the caller may see.
        case = data.pop("case")
        try:
            note = services.case_note_add(by=request.user, case=case, **data)
        except PermissionDenied:
            raise exceptions.NotFound from None
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)
