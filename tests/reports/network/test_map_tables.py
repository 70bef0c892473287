"""The tables under the network map come a page at a time (reports/network/
views.TABLE_ROWS): the text alternative of a large map stays a page a
browser can read, every row is still reachable, and the drawing keeps the
whole map. Kingsmere's story from test_map (7 nodes on Jo's map)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports.network import views
from tests.conftest import ORDINARY_TUESDAY, signed_in_client
from tests.reports.network.test_map import pc_kaur, story  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(ORDINARY_TUESDAY),
    pytest.mark.usefixtures("story"),
]


def _rows(page: str, table: str) -> list[str]:
    body = re.search(
        rf'<table class="govuk-table" id="{table}">.*?<tbody[^>]*>(.*?)</tbody>', page, re.S
    )
    assert body is not None
    return re.findall(r'<tr class="govuk-table__row"', body.group(1))


def test_a_large_maps_tables_come_in_pages_and_keep_the_filters(jo, monkeypatch) -> None:
    monkeypatch.setattr(views, "TABLE_ROWS", 4)
    client = signed_in_client(jo)
    # The last ten years: the six nodes with a dated link (not the bus station).
    first = client.get(reverse("network"), {"days": "3650"}).content.decode()
    assert len(_rows(first, "network-nodes")) == 4
    assert "Showing nodes 1 to 4 of 6." in first
    assert 'href="?days=3650&amp;nodes_page=2#network-nodes"' in first
    # The drawing still has the whole map.
    data = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', first)
    assert data is not None
    assert data.group(1).count('"type"') == 6
    second = client.get(reverse("network"), {"days": "3650", "nodes_page": "2"}).content.decode()
    assert len(_rows(second, "network-nodes")) == 2
    assert "Showing nodes 5 to 6 of 6." in second
    # Every node is on one page, once.
    seen = []
    for page in (first, second):
        seen += re.findall(r'<tr class="govuk-table__row" id="node-([^"]+)"', page)
    assert len(seen) == len(set(seen)) == 6
    # Paging one table keeps the other's page and every filter, and lands
    # on the table; the pages name their table for screen readers.
    assert 'href="?days=3650&amp;nodes_page=2&amp;links_page=2#network-links"' in second
    assert 'aria-label="Pages of nodes"' in second
    assert 'Previous<span class="govuk-visually-hidden"> page of nodes</span>' in second
    assert "Nodes on the map, 5 to 6 of 6</caption>" in second


# (A NUL byte anywhere in a query is refused, 400, before any view.)
@pytest.mark.parametrize("number", ["abc", "0", "-1", "999", "1.5", "9" * 400, ""])
def test_a_bad_page_number_shows_a_page_not_an_error(jo, monkeypatch, number) -> None:
    monkeypatch.setattr(views, "TABLE_ROWS", 3)
    response = signed_in_client(jo).get(
        reverse("network"), {"nodes_page": number, "links_page": number}
    )
    assert response.status_code == 200
    assert len(_rows(response.content.decode(), "network-nodes")) in (3, 1)


def test_a_small_map_has_no_pages(jo) -> None:
    page = signed_in_client(jo).get(reverse("network")).content.decode()
    assert "network-nodes-shown" not in page
    assert "Pages of nodes" not in page
