"""/api/v1/plans/: the same services and access policy as the pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import PLAN_SECTIONS, TEXT_MAX, Plan, PlanVersion
from assessments.plans import services
from cse_cases import access
from cse_cases.api.base import AuditedReads, ScopedViewSetMixin
from cse_cases.api.errors import run_service
from cse_cases.models import User


class PlanVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = [
            "number",
            *[name for name, _ in PLAN_SECTIONS],
            "consistent_worker",
            "review_on",
            "review_notes",
            "is_current",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    young_person = serializers.IntegerField(source="case.young_person_id", read_only=True)
    versions = PlanVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "case", "young_person", "versions"]
        read_only_fields = fields


def _section_field(name: str) -> serializers.CharField:
    return serializers.CharField(max_length=TEXT_MAX, required=False, default="", allow_blank=True)


class PlanReviewSerializer(serializers.Serializer):
    """The next version: `based_on` is the version you read (0 for a first plan)."""

    case = serializers.IntegerField()
    based_on = serializers.IntegerField(min_value=0)
    consistent_worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True)
    )
    review_on = serializers.DateField()
    review_notes = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )
    needs_and_outcomes = _section_field("needs_and_outcomes")
    young_person_support = _section_field("young_person_support")
    parents_support = _section_field("parents_support")
    family = _section_field("family")
    disruption_and_investigation = _section_field("disruption_and_investigation")
    health = _section_field("health")
    education = _section_field("education")
    accommodation = _section_field("accommodation")
    transition = _section_field("transition")
    young_persons_views = _section_field("young_persons_views")


class PlanViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """See Me, Hear Me plans of the cases you may see, every version newest
    first. POST writes the next version (a review); someone else's review since
    the version you read answers 409 `conflict`."""

    serializer_class = PlanSerializer
    audit_type = "plan"

    def children_of(self, obj: Plan) -> list[int]:
        return [obj.case.young_person_id]

    def scoped_queryset(self, user) -> QuerySet:
        return (
            access.plans_visible_to(user)
            .select_related("case")
            .prefetch_related(
                Prefetch("versions", queryset=PlanVersion.objects.order_by("-number"))
            )
            .order_by("-pk")
        )

    @extend_schema(request=PlanReviewSerializer, responses={201: PlanSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = PlanReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            found = access.plan_case_for(request.user, data.pop("case"))
        except Http404:
            raise exceptions.ValidationError({"case": ["No such case."]}) from None
        if not found.can_edit:
            # What plan_review's PermissionDenied gave through run_service.
            raise exceptions.NotFound
        case = found.case
        sections = {name: data.pop(name) for name, _ in PLAN_SECTIONS}

        def review() -> Response:
            version = services.plan_review(by=request.user, case=case, sections=sections, **data)
            plan = self.scoped_queryset(request.user).get(pk=version.plan_id)
            return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

        return run_service(review)
