"""Caseloads in the API, behind the same policy as the pages:

- /api/v1/caseloads/: the workers whose caseload you see, with load and capacity;
- /api/v1/cases/mine/: your open cases, with the same filters as the page;
- /api/v1/weighting-schemes/: the published versions (and publishing one);
- /api/v1/case-allocations/: moves of a case to another lead professional
  (POST moves one, as the page does; GET lists those on cases you see).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, RecordsOnly, ScopedViewSetMixin
from cse_cases.api.errors import run_service
from cse_cases.models import AuditAction, RiskLevel, User
from supervision.caseloads import mine, selectors, services
from supervision.models import CaseAllocation, WeightingScheme

POINTS = {"max_digits": 8, "decimal_places": 2, "read_only": True}


class CaseloadSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True, default=None, allow_null=True)
    led = serializers.IntegerField(read_only=True)
    member = serializers.IntegerField(read_only=True)
    led_points = serializers.DecimalField(**POINTS)
    member_points = serializers.DecimalField(**POINTS)
    load = serializers.DecimalField(**POINTS)
    capacity = serializers.DecimalField(**POINTS, allow_null=True)
    over_capacity = serializers.SerializerMethodField()
    open_flags = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    scheme_version = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "name",
            "team",
            "led",
            "member",
            "led_points",
            "member_points",
            "load",
            "capacity",
            "over_capacity",
            "open_flags",
            "overdue",
            "scheme_version",
        ]
        read_only_fields = fields

    def get_over_capacity(self, worker: User) -> bool:
        return selectors.load_of(worker).over

    def get_scheme_version(self, worker: User) -> int:
        return int(self.context["scheme"].version)


class CaseloadViewSet(RecordsOnly, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Loads are numbers about workers: they name no child, so no child's audit row."""

    serializer_class = CaseloadSerializer

    def scoped_queryset(self, user) -> QuerySet:
        now = timezone.now()
        self.scheme = selectors.current_scheme()
        return selectors.worker_loads(
            self.scheme,
            access.workers_visible_to(user).select_related("team", "worker_profile"),
            timezone.localdate(now),
            now,
        ).order_by("last_name", "first_name", "pk")

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["scheme"] = getattr(self, "scheme", None) or selectors.current_scheme()
        return context


class MyCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    young_person = serializers.IntegerField(source="young_person_id")
    young_person_name = serializers.CharField(source="young_person.display_name")
    role = serializers.SerializerMethodField()
    risk_level = serializers.CharField()
    trajectory = serializers.SerializerMethodField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    next_due = serializers.DateField(allow_null=True)
    open_flags = serializers.IntegerField()

    def get_role(self, case) -> str:
        return "lead" if case.is_lead else "member"

    def get_trajectory(self, case) -> str:
        return mine.trajectory(case)


@extend_schema(
    parameters=[
        query.choice_parameter("sort", list(mine.SORTS), "Order, as the page sorts (due first)."),
        query.choice_parameter("role", list(mine.ROLES), "Cases you lead, or are a member for."),
        query.choice_parameter("risk", RiskLevel.values, "Only cases at this risk level."),
        query.flag_parameter("flagged", "Only cases with open flags."),
        query.flag_parameter("no_contact", "Only cases with no recent contact."),
    ]
)
class MyCaseViewSet(
    AuditedReads, ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The page falls back to its defaults for values it cannot read; the API
    answers 400, so a partner's client never gets an answer to another question."""

    serializer_class = MyCaseSerializer
    audit_type = "case"
    list_action = AuditAction.VIEW
    list_detail = "API my cases"

    def scoped_queryset(self, user) -> QuerySet:
        request = self.request
        filters = mine.Filters(
            sort=query.choice(request, "sort", list(mine.SORTS)) or "due",
            role=query.choice(request, "role", list(mine.ROLES)),
            risk=query.choice(request, "risk", RiskLevel.values),
            flagged=query.flag(request, "flagged"),
            no_recent_contact=query.flag(request, "no_contact"),
        )
        # my_cases slices to its limit; the API pages through the whole list.
        return mine.my_cases(user, timezone.now(), filters, limit=None)


class WeightingSchemeSerializer(serializers.ModelSerializer):
    published_by = serializers.StringRelatedField()

    class Meta:
        model = WeightingScheme
        fields = [
            "id",
            "version",
            "published_at",
            "published_by",
            "rationale",
            *services.SCHEME_FIELDS,
        ]
        read_only_fields = ["id", "version", "published_at", "published_by"]


class WeightingSchemeViewSet(
    RecordsOnly,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = WeightingSchemeSerializer

    def scoped_queryset(self, user) -> QuerySet:
        if not access.may_read_weighting_schemes(user):
            return WeightingScheme.objects.none()
        return selectors.schemes()

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not access.may_publish_weighting_scheme(request.user):
            raise exceptions.NotFound
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        rationale = data.pop("rationale")

        def publish() -> Response:
            scheme = services.weighting_scheme_publish(
                by=request.user, rationale=rationale, settings_=data
            )
            return Response(self.get_serializer(scheme).data, status=status.HTTP_201_CREATED)

        return run_service(publish)


class AllocationSerializer(serializers.ModelSerializer):
    add_to_team = serializers.BooleanField(write_only=True, default=False)

    class Meta:
        model = CaseAllocation
        fields = [
            "id",
            "case",
            "from_user",
            "to_user",
            "reason",
            "allocated_by",
            "allocated_at",
            "add_to_team",
        ]
        read_only_fields = ["id", "from_user", "allocated_by", "allocated_at"]
        extra_kwargs = {"reason": {"max_length": services.REASON_MAX}}


class CaseAllocationViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = AllocationSerializer
    audit_type = "case"

    def children_of(self, obj: object) -> list[int]:
        return [obj.case.young_person_id]  # type: ignore[attr-defined]

    def scoped_queryset(self, user) -> QuerySet:
        return CaseAllocation.objects.filter(
            case__in=access.cases_visible_to(user).values("pk")
        ).select_related("case")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.action == "create":
            # The case and the new lead come only from those this reader may move or choose.
            fields = serializer.fields
            fields["case"].queryset = access.cases_to_allocate(self.request.user)
            fields["to_user"].queryset = User.objects.filter(
                pk__in=access.workers_managed_by(self.request.user).values("pk")
            ) | User.objects.filter(pk=self.request.user.pk)
        return serializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data

        def move() -> Response:
            allocation = services.case_reallocate(
                by=request.user,
                case=data["case"],
                to_user=data["to_user"],
                reason=data["reason"],
                add_to_team=data["add_to_team"],
            )
            return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)

        return run_service(move)
