"""GET /api/v1/problem-profile/?district=<id or all>&period=quarter&year=2027&quarter=1:
the profile's figures as JSON, the same numbers as the page, behind the same
policy (CSE leads and police of the district; anyone else 404)."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access
from cse_cases.api.base import ScopedViewSetMixin
from cse_cases.models import Area
from reports.profile import selectors, services
from reports.profile.forms import PERIOD_KINDS, ProfileForm


class ProfileOnly:
    """CSE leads and police only; anyone else is told nothing is here."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not access.may_read_profile(request.user):
            raise exceptions.NotFound


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class ProblemProfileSerializer(serializers.Serializer):
    district_ids = serializers.ListField(child=serializers.IntegerField())
    districts = serializers.CharField(help_text="The district's name, or all of yours")
    period = PeriodSerializer()
    shared = serializers.BooleanField(
        help_text="True when the counts passed disclosure control (read beyond CSE leads and "
        "police); false when they are exact"
    )
    sections = serializers.ListField(
        child=serializers.DictField(), help_text="Each section with its tables and cells"
    )


def _parameter(name: str, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(
        name, location=OpenApiParameter.QUERY, description=description, **kwargs
    )


@extend_schema(
    parameters=[
        _parameter(
            "district",
            "A district id of yours, or 'all' for all of them",
            type=OpenApiTypes.STR,
            required=True,
        ),
        _parameter(
            "period",
            "month, quarter or year",
            type=OpenApiTypes.STR,
            enum=[kind for kind, _ in PERIOD_KINDS],
            required=True,
        ),
        _parameter("year", "The year", type=OpenApiTypes.INT, required=True),
        _parameter("quarter", "1 to 4, for a quarter", type=OpenApiTypes.INT),
        _parameter("month", "1 to 12, for a month", type=OpenApiTypes.INT),
        _parameter(
            "audience",
            "Who the figures are for: 'internal' (CSE leads and police, exact counts; the "
            "default) or 'board' (beyond them: disclosure-controlled)",
            type=OpenApiTypes.STR,
            enum=list(access.ProfileAudience.values),
        ),
    ],
    responses=ProblemProfileSerializer,
)
class ProblemProfileViewSet(ProfileOnly, ScopedViewSetMixin, viewsets.GenericViewSet):
    serializer_class = ProblemProfileSerializer
    pagination_class = None

    def scoped_queryset(self, user) -> QuerySet[Area]:
        # The districts the profile may cover; the figures come from the selector.
        return Area.objects.filter(pk__in=access.scope_for(user).area_ids)

    def list(self, request: Request) -> Response:
        user = request.user
        today = timezone.localdate()
        if "district" not in request.query_params:
            raise serializers.ValidationError({"district": ["Choose the district"]})
        # An unknown district, or someone else's, is "not found" (404).
        access.profile_districts(user, request.query_params["district"])
        districts = access.profile_district_choices(user)
        form = ProfileForm(request.query_params, districts=districts, today=today)
        if not form.is_valid() or form.period_value is None:
            raise serializers.ValidationError(
                {field: [str(error) for error in errors] for field, errors in form.errors.items()}
            )
        profile = selectors.profile_for(
            user,
            form.cleaned_data["district"],
            form.period_value,
            today=today,
            audience=form.cleaned_data["audience"],
        )
        services.audit_profile(user=user, profile=profile, output="api")
        period = profile.period
        return Response(
            {
                "district_ids": list(profile.districts.area_ids),
                "districts": profile.districts.label,
                "period": {
                    "kind": period.kind,
                    "start": period.start,
                    "end": period.end,
                    "label": period.label,
                },
                "shared": profile.shared,
                "sections": [asdict(section) for section in profile.sections],
            }
        )
