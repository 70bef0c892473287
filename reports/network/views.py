"""The network map page: filters as a GET form, the graph drawn by
cytoscape.js from data handed over with json_script, and the same nodes and
links as tables for screen readers and printing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cse_cases import access
from reports.network.forms import NetworkFilterForm
from reports.network.selectors import UnknownNode, network_for
from reports.network.services import audit_map_view

# What a focus or group link in the nodes table keeps of the current filters:
# it narrows the same map (days, link type, risk) to one node or group.
KEPT_FILTERS = ("days", "kind", "risk")


def _narrowed(params: dict, **change: str) -> str:
    kept = {name: params[name] for name in KEPT_FILTERS if params.get(name)}
    return "?" + urlencode({**kept, **change})


def network_map(request: HttpRequest) -> HttpResponse:
    if not access.may_see_network(request.user):
        raise Http404
    form = NetworkFilterForm(request.GET)
    # The map and the profile are the CSE lead's one picture: each links
    # to the other for whoever may read it.
    profile_url = reverse("problem-profile") if access.may_read_profile(request.user) else ""
    if not form.is_valid():
        return render(
            request,
            "reports/network/map.html",
            {"form": form, "profile_url": profile_url},
            status=400,
        )
    try:
        network = network_for(
            request.user,
            form.filters(),
            today=timezone.localdate(),
            budget=settings.NETWORK_NODE_BUDGET,
        )
    except UnknownNode as unknown:
        raise Http404("No such node or group on your map.") from unknown
    audit_map_view(user=request.user, network=network, detail="network map")
    names = {node.key: node.label for node in network.nodes}
    params = {name: request.GET.get(name, "") for name in KEPT_FILTERS}
    node_rows = [
        (node, _narrowed(params, focus=node.key), _narrowed(params, cluster=node.cluster))
        for node in network.nodes
    ]
    link_rows = [(edge, names[edge.source], names[edge.target]) for edge in network.edges]
    return render(
        request,
        "reports/network/map.html",
        {
            "form": form,
            "network": network,
            "graph": network.as_data(),
            "node_rows": node_rows,
            "link_rows": link_rows,
            "filtered": any(form.cleaned_data.values()),
            "profile_url": profile_url,
        },
    )
