"""/api/v1/flags/: open and resolved flags on subjects you may see."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from cse_cases import access
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
        params = self.request.query_params
        if params.get("open"):
            flags = flags.filter(resolved_at__isnull=True)
        if params.get("mine"):
            from django.db.models import Q

            flags = flags.filter(Q(owner=user) | Q(escalated_to=user))
        return flags.order_by("-escalation", "due_at", "pk")
