"""GET /api/v1/network/: the reader's network map as nodes and links.

The same filters, access rule, node budget and audit as the /network/ page
(reports/network/views.py). Over the budget the answer has no nodes, only
`too_large` and the counts, so a client can narrow the filters.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cse_cases import access
from cse_cases.api.base import RecordsOnly, ScopedViewSetMixin
from cse_cases.api.schema import HarbourAutoSchema
from cse_cases.models import LinkKind, RiskLevel, YoungPerson
from reports.network.forms import MAX_DAYS, NODE_KEY, NetworkFilterForm
from reports.network.selectors import NODE_TYPES, UnknownNode, network_for
from reports.network.services import audit_map_view


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="yp-12, person-4 or location-7")
    type = serializers.ChoiceField(choices=list(NODE_TYPES.items()))
    label = serializers.CharField()
    risk = serializers.ChoiceField(
        choices=[("", "Not a young person, or no open case"), *RiskLevel.choices],
        help_text="A young person's open case's risk level",
    )
    cluster = serializers.CharField(help_text="The group (connected component) it is in")
    url = serializers.CharField(help_text="The record's page")


class NetworkEdgeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="link-<id>")
    source = serializers.CharField()
    target = serializers.CharField()
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    first_seen = serializers.DateField(allow_null=True)
    last_seen = serializers.DateField(allow_null=True)


class NetworkCountsSerializer(serializers.Serializer):
    nodes = serializers.IntegerField()
    young_people = serializers.IntegerField()
    persons = serializers.IntegerField()
    locations = serializers.IntegerField()
    online_spaces = serializers.IntegerField()
    links = serializers.IntegerField()
    clusters = serializers.IntegerField()


class NetworkSerializer(serializers.Serializer):
    too_large = serializers.BooleanField(
        help_text="More nodes than the budget: none are sent; narrow the filters"
    )
    budget = serializers.IntegerField()
    counts = NetworkCountsSerializer()
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)


class OneGraphSchema(HarbourAutoSchema):
    """The list route answers one graph, not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


KEY = "A node key: yp-12, person-4 or location-7"


class NetworkViewSet(RecordsOnly, ScopedViewSetMixin, viewsets.GenericViewSet):
    serializer_class = NetworkSerializer
    pagination_class = None
    schema = OneGraphSchema()

    def scoped_queryset(self, user) -> QuerySet[YoungPerson]:
        # The young people the map may show; the graph itself is built by
        # the selector from the same access rule.
        return access.network_scope_for(user).young_people

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                description=f"Links seen in the last 1 to {MAX_DAYS} days",
            ),
            OpenApiParameter("kind", str, enum=LinkKind.values, description="Type of link"),
            OpenApiParameter(
                "risk", str, enum=RiskLevel.values, description="Young people at this risk level"
            ),
            OpenApiParameter(
                "cluster",
                str,
                pattern=NODE_KEY,
                description=f"One group, named by its id ({KEY})",
            ),
            OpenApiParameter(
                "focus",
                str,
                pattern=NODE_KEY,
                description=f"{KEY}: it and its neighbours to two steps",
            ),
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": 100},
                description="Nodes whose label contains this, and their neighbours",
            ),
        ],
        responses=NetworkSerializer,
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        form = NetworkFilterForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            )
        try:
            network = network_for(
                request.user,
                form.filters(),
                today=timezone.localdate(),
                budget=settings.NETWORK_NODE_BUDGET,
            )
        except UnknownNode as unknown:
            raise exceptions.NotFound("No such node or group on your map.") from unknown
        audit_map_view(user=request.user, network=network, detail="network API")
        return Response(network.as_data())
