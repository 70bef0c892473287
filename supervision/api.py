"""/api/v1/flags/: open and resolved flags on subjects you may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from cse_cases import access
from cse_cases.api import query
from cse_cases.api.base import AuditedReads, ScopedViewSetMixin
from cse_cases.api.pagination import HarbourPagination
from supervision import selectors
from supervision.models import Flag


class FlagSerializer(serializers.ModelSerializer):
    open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "subject_type",
            "subject_id",
            "young_person",
            "area",
            "owner",
            "team",
            "high_risk",
            "raised_at",
            "due_at",
            "escalation",
            "escalated_at",
            "escalated_to",
            "resolved_at",
            "resolution",
            "open",
        ]
        read_only_fields = fields


class FlagPagination(HarbourPagination):
    """A page of flags, and when the drift engine last checked every rule: an
    empty page means nothing is overdue only once it has, recently."""

    def get_paginated_response(
        self, data, *, sweep: selectors.SweepStatus | None = None
    ) -> Response:
        response = super().get_paginated_response(data)
        finished = sweep.finished_at if sweep else None
        # Formatted as every other time in the API (DRF's, in Harbour's zone).
        response.data["last_sweep_finished_at"] = (
            serializers.DateTimeField().to_representation(finished) if finished else None
        )
        response.data["last_sweep_stale"] = sweep.stale if sweep else True
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [
            *paginated.get("required", []),
            "last_sweep_finished_at",
            "last_sweep_stale",
        ]
        paginated["properties"]["last_sweep_finished_at"] = {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": (
                "When the drift engine last finished checking every time rule; null "
                "before the first check after Harbour started has finished."
            ),
        }
        paginated["properties"]["last_sweep_stale"] = {
            "type": "boolean",
            "description": (
                "True when no check has finished yet, or the last one finished more than "
                "three sweep intervals ago: flags that fell due since are missing, so "
                "an empty list does not mean nothing is overdue."
            ),
        }
        return paginated


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query.flag_parameter("open", "Only open flags"),
            query.flag_parameter("mine", "Only flags you own or that were escalated to you"),
        ]
    )
)
class FlagViewSet(
    AuditedReads,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Flags whose subject you may see. `?open=1` for open flags only;
    `?mine=1` for those you own or that were escalated to you."""

    serializer_class = FlagSerializer
    pagination_class = FlagPagination
    audit_type = "flag"

    def get_paginated_response(self, data) -> Response:
        sweep = selectors.sweep_status(timezone.now())
        return self.paginator.get_paginated_response(data, sweep=sweep)

    def scoped_queryset(self, user) -> QuerySet:
        flags = access.flags_visible_to(user)
        if self.action != "list":
            return flags.order_by("pk")
        if query.flag(self.request, "open"):
            flags = flags.filter(resolved_at__isnull=True)
        if query.flag(self.request, "mine"):
            from django.db.models import Q

            flags = flags.filter(Q(owner=user) | Q(escalated_to=user))
        return flags.order_by("-escalation", "due_at", "pk")
