"""API endpoints for the partnership's reference data and the signed-in user."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access, selectors
from cse_cases.api.base import ScopedReadOnlyViewSet
from cse_cases.api.serializers import AgencySerializer, AreaSerializer, MeSerializer, TeamSerializer


class AreaViewSet(ScopedReadOnlyViewSet):
    """Local authority districts in the partnership."""

    serializer_class = AreaSerializer

    def scoped_queryset(self, user) -> QuerySet:
        return access.areas_visible_to(user).order_by("name")


class AgencyViewSet(ScopedReadOnlyViewSet):
    """Agencies and the areas each serves."""

    serializer_class = AgencySerializer

    def scoped_queryset(self, user) -> QuerySet:
        return access.agencies_visible_to(user).prefetch_related("areas").order_by("name")


class TeamViewSet(ScopedReadOnlyViewSet):
    """Teams in your agency (all teams, for administrators)."""

    serializer_class = TeamSerializer

    def scoped_queryset(self, user) -> QuerySet:
        return access.teams_visible_to(user).order_by("agency__name", "name")


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The signed-in user: role, agency, team and areas."""
    return Response(MeSerializer(selectors.profile_for(request.user)).data)
