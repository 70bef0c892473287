"""API endpoints for the partnership's reference data, the signed-in user and the schema."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
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


class SchemaView(SpectacularAPIView):
    """/api/schema/, built once per process for each format and language.

    Generating and rendering the schema takes a second or two of CPU, and what
    it says depends on the code alone (SERVE_PUBLIC: not on who asks), so it
    changes with a deploy, never between requests. Only the plain request is
    kept (a format, no version or language asked for in the query): any other
    is built as it comes, so what a client sends cannot grow the cache.
    """

    _served: ClassVar[dict[tuple[str, str], tuple[bytes, dict[str, str]]]] = {}

    # As the view it extends: left out of the schema (SERVE_INCLUDE_SCHEMA).
    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        media_type = request.accepted_media_type
        plain = set(request.query_params) <= {"format"} and media_type in {
            renderer.media_type for renderer in self.renderer_classes
        }
        if not plain:
            return super().get(request, *args, **kwargs)
        key = (media_type, translation.get_language())
        if key not in self._served:
            built = self.finalize_response(request, super().get(request, *args, **kwargs))
            built.render()
            self._served[key] = (
                built.content,
                {name: built[name] for name in ("Content-Type", "Content-Disposition")},
            )
        content, headers = self._served[key]
        return HttpResponse(content, headers=headers)
