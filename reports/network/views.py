"""The network map page: filters as a GET form, the graph drawn by
cytoscape.js from data handed over with json_script, and the same nodes and
links as tables for screen readers and printing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
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
# The tables under a large map come a page at a time: at 5,000 nodes and
# 21,000 links they made a 15 MB page that Chromium took seconds to read
# before the drawing could start, and that no one reads row by row.
TABLE_ROWS = 250


def _table_page(request: HttpRequest, rows: list, param: str) -> tuple[Page, str]:
    """One page of a table (get_page turns a bad number into the first or
    last page), and the query that keeps everything else for its links."""
    page = Paginator(rows, TABLE_ROWS).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


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
    nodes_page, nodes_query = _table_page(request, network.nodes, "nodes_page")
    links_page, links_query = _table_page(request, network.edges, "links_page")
    node_rows = [
        (node, _narrowed(params, focus=node.key), _narrowed(params, cluster=node.cluster))
        for node in nodes_page
    ]
    link_rows = [(edge, names[edge.source], names[edge.target]) for edge in links_page]
    return render(
        request,
        "reports/network/map.html",
        {
            "form": form,
            "network": network,
            "graph": network.as_data(),
            "node_rows": node_rows,
            "link_rows": link_rows,
            "nodes_page": nodes_page,
            "nodes_query": nodes_query,
            "links_page": links_page,
            "links_query": links_query,
            "filtered": any(form.cleaned_data.values()),
            "profile_url": profile_url,
        },
    )
