"""API for contexts: persons of concern (and sharing them with another
district), places, and the links between them and young people. The same
policy as the pages; every read of identifiable data is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, audit, services
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, RecordsOnly, ScopedViewSetMixin
from cse_cases.api.errors import field_errors
from cse_cases.api.pagination import HarbourPagination
from cse_cases.models import (
    Area,
    AuditAction,
    ContextLink,
    LawfulBasis,
    Location,
    PersonOfConcern,
    PersonOfConcernShare,
)
from cse_cases.record_forms import MAX_TEXT


class PersonOfConcernSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonOfConcern
        fields = [
            "id",
            "name",
            "nicknames",
            "description",
            "phone_numbers",
            "vehicles",
            "area",
            "young_person",
            "restricted",
            "created_at",
        ]
        read_only_fields = ["id", "young_person", "created_at"]
        extra_kwargs = {
            # New records name their district; left out, it is the recorder's
            # own when they work in only one (services.person_of_concern_create).
            "area": {
                "help_text": "The district where they were recorded: its police and CSE "
                "leads see this person"
            },
        }


class PersonOfConcernPagination(HarbourPagination):
    """A page of persons of concern, and whether the name searched for also
    matches someone in another district the reader may not see."""

    def get_paginated_response(self, data, *, match_in_other_area: bool = False) -> Response:
        response = super().get_paginated_response(data)
        response.data["match_in_other_area"] = match_in_other_area
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [*paginated.get("required", []), "match_in_other_area"]
        paginated["properties"]["match_in_other_area"] = {
            "type": "boolean",
            "description": (
                "True when the name searched for (q) also matches a person of concern in "
                "another district whom you may not see: contact that area's CSE lead or "
                "police intelligence unit. Only ever true for police officers and CSE "
                "leads; it says nothing about who or where."
            ),
        }
        return paginated


class PersonOfConcernShareInSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        help_text="The district to share with: its police officers and CSE leads will see "
        "this person",
        error_messages={
            "does_not_exist": "Choose a district that exists (no district has id {pk_value})",
            "incorrect_type": "Give the district's id as a number",
        },
    )
    purpose = serializers.CharField(
        max_length=MAX_TEXT,
        help_text="Why you are sharing: the safeguarding purpose",
        error_messages={"blank": "Say why you are sharing this person with that district"},
    )
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices)


class PersonOfConcernShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonOfConcernShare
        fields = [
            "id",
            "person",
            "area",
            "purpose",
            "lawful_basis",
            "shared_by",
            "shared_by_agency",
            "shared_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="A name, or part of one: persons of concern with a similar name",
            )
        ]
    ),
)
class PersonOfConcernViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Persons of concern of your districts and those shared with them (police
    and CSE leads), or linked to young people you work with (everyone else)."""

    serializer_class = PersonOfConcernSerializer
    pagination_class = PersonOfConcernPagination
    never_conflicts = ("create",)
    audit_type = "personofconcern"

    def scoped_queryset(self, user) -> QuerySet:
        return access.persons_of_concern_visible_to(user).order_by("name", "pk")

    def children_of(self, obj: PersonOfConcern) -> list[int]:
        # The list shows persons, not children: one row records the search.
        return []

    def list(self, request: Request, *args, **kwargs) -> Response:
        query = request.query_params.get("q", "").replace("\x00", "").strip()[:100]
        found = access.search_persons_of_concern(request.user, query)
        page = self.paginate_queryset(found.people.order_by("name", "pk"))
        audit.record(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type=self.audit_type,
            detail=f"API {query}".strip(),
        )
        if found.match_in_other_area:
            audit.record(
                user=request.user,
                action=AuditAction.SEARCH,
                object_type=self.audit_type,
                detail=access.CROSS_AREA_MATCH,
            )
        return self.paginator.get_paginated_response(
            self.get_serializer(page, many=True).data,
            match_in_other_area=found.match_in_other_area,
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person = services.person_of_concern_create(by=request.user, **serializer.validated_data)
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonOfConcernShareInSerializer,
        # The 4xx answers (400 with errors per field, 404 for a person you may not
        # share) come in the one error format from HarbourAutoSchema.
        responses={201: PersonOfConcernShareSerializer},
        description="Share the person with another district: a recorded information-sharing "
        "decision (who, why, lawful basis) that lets its police officers and CSE leads see "
        "them. Police officers and CSE leads who see the person may share them.",
    )
    @action(detail=True, methods=["post"], url_path="share")
    def share(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        if not access.may_share_person_of_concern(request.user, person):
            raise exceptions.NotFound
        data = PersonOfConcernShareInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            made = services.person_of_concern_share(
                by=request.user, person=person, **data.validated_data
            )
        except PermissionDenied:
            raise exceptions.NotFound from None
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(PersonOfConcernShareSerializer(made).data, status=status.HTTP_201_CREATED)


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "kind", "address", "area", "created_at"]
        read_only_fields = ["id", "created_at"]


class LocationViewSet(
    RecordsOnly,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Places: hotels, takeaways, parks, houses, online spaces."""

    serializer_class = LocationSerializer
    never_conflicts = ("create",)

    def scoped_queryset(self, user) -> QuerySet:
        return access.locations_visible_to(user).order_by("name", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            place = services.location_create(by=request.user, **serializer.validated_data)
        except services.RecordError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(place).data, status=status.HTTP_201_CREATED)


class ContextLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContextLink
        fields = [
            "id",
            "kind",
            "young_person",
            "person",
            "other_young_person",
            "location",
            "source",
            "source_grading",
            "information_grading",
            "first_seen",
            "last_seen",
            "restricted",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(parameters=[query.id_parameter("young_person", "Only this child")])
)
class ContextLinkViewSet(AuditedReads, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Links between young people, persons of concern and places that you may see."""

    serializer_class = ContextLinkSerializer
    audit_type = "contextlink"

    def scoped_queryset(self, user) -> QuerySet:
        links = access.links_visible_to(user).order_by("-created_at", "pk")
        young_person = query.record_id(self.request, "young_person")
        if young_person is not None and self.action == "list":
            links = links.filter(young_person_id=young_person)
        return links

    def children_of(self, obj: ContextLink) -> list[int]:
        return [pk for pk in (obj.young_person_id, obj.other_young_person_id) if pk]
