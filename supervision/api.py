"""/api/v1/flags/: open and resolved flags on subjects you may see."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from cse_cases import access
from cse_cases.api import query
from cse_cases.api.base import ScopedViewSetMixin
from cse_cases.api.records import AuditedReads
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
    audit_type = "flag"

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
