"""/api/v1/actions/ and /api/v1/plans/: the same services and access policy as
the pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.risk import services
from assessments.meetings.api import run_service
from assessments.models import (
    PLAN_SECTIONS,
    TEXT_MAX,
    Action,
    ActionStatus,
    Plan,
    PlanVersion,
)
from assessments.meetings.services.actions import OwnerNotInTeam
from cse_cases import access
from cse_cases.api import query
from cse_cases.api.base import ScopedViewSetMixin
from cse_cases.api.records import AuditedReads
from cse_cases.models import User
from cse_cases.services import RecordError

# --- Actions ------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "young_person",
            "meeting",
            "description",
            "owner",
            "owner_agency",
            "due_on",
            "status",
            "evidence",
            "completed_at",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ActionCreateSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    confirm_past = serializers.BooleanField(required=False, default=False)
    add_owner_to_team = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The owner cannot see the young person yet: add them to the team around "
        "the child with this action (only those working on the case may).",
    )


class ActionUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    evidence = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[query.flag_parameter("mine", "Only yours: your work list, soonest due first")]
    )
)
class ActionViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Actions about young people you may see, and your own (`?mine=1`: your
    work list, soonest due first). A due date in the past answers 409
    `needs_confirmation` unless `confirm_past` is true; marking an action done
    needs `evidence`."""

    serializer_class = ActionSerializer
    audit_type = "action"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, user) -> QuerySet:
        actions = access.actions_visible_to(user)
        if self.action == "list" and query.flag(self.request, "mine"):
            actions = actions.filter(owner=user)
        return actions.order_by("status", "due_on", "pk")

    def _answer(self, result: Action, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(result).data, status=code)

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = ActionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        young_person = (
            access.young_people_visible_to(request.user).filter(pk=data.pop("young_person")).first()
        )
        if young_person is None:
            raise exceptions.ValidationError({"young_person": ["No such young person."]})
        meeting_id = data.pop("meeting")
        meeting = None
        if meeting_id is not None:
            meeting = access.meetings_visible_to(request.user).filter(pk=meeting_id).first()
            if meeting is None:
                raise exceptions.ValidationError({"meeting": ["No such meeting."]})

        def add() -> Response:
            try:
                action = services.action_add(
                    by=request.user, young_person=young_person, meeting=meeting, **data
                )
            except OwnerNotInTeam as refused:
                raise RecordError(
                    f"{data['owner']} is not in the team around {young_person.display_name}, "
                    "so could not see their record or this action. Send add_owner_to_team: "
                    "true to add them to the team around the child with this action, or "
                    "choose someone who can already see the record.",
                    field=refused.field,
                ) from None
            return self._answer(action, status.HTTP_201_CREATED)

        return run_service(add)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        found = self.get_object()
        if not access.may_update_action(request.user, found):
            raise exceptions.NotFound
        incoming = ActionUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return run_service(
            lambda: self._answer(
                services.action_update(by=request.user, action=found, **incoming.validated_data)
            )
        )


# --- Plans --------------------------------------------------------------------------


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
        case = access.cases_visible_to(request.user).filter(pk=data.pop("case")).first()
        if case is None:
            raise exceptions.ValidationError({"case": ["No such case."]})
        sections = {name: data.pop(name) for name, _ in PLAN_SECTIONS}

        def review() -> Response:
            version = services.plan_review(by=request.user, case=case, sections=sections, **data)
            plan = self.scoped_queryset(request.user).get(pk=version.plan_id)
            return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

        return run_service(review)
