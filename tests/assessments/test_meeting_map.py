"""The map in meetings (issue 19 item 3): a MACE panel's page and pack draw the
places and persons it considers, the young people on its agenda and the
links among them, for the reader, through the /network/ selector and access.

The story: the Kingsmere panel (Jade and two others) considers the Station
Hotel, Dean Cole and Ricky Vale, a restricted person of concern (police
intelligence). Jade is linked to all three, Ricky to the hotel. Jade is also
linked to Max Hale, whom the panel does not consider, and Leah (not on the
agenda) to the hotel: neither is on the panel's map. PC Kaur (Kingsmere
police) is in the team around Jade.
"""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.meetings import services as meeting_services
from cse_cases import services
from cse_cases.models import AgencyKind, AuditEvent, CaseMember, Role
from reports.network.selectors import Edge, Network, Node
from reports.network.svg import network_svg
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified
from tests.factories import AgencyFactory, CaseFactory, UserFactory, YoungPersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def _link(by, **ends):
    return services.link_create(
        by=verified(by),
        source="Strategy meeting",
        source_grading="1",
        information_grading="B",
        first_seen=None,
        last_seen=None,
        restricted=ends.pop("restricted", False),
        **ends,
    )


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def pc_kaur(kingsmere, jades_case, amira):
    police = AgencyFactory(name="Kingsmere Police", kind=AgencyKind.POLICE, areas=[kingsmere])
    officer = UserFactory(username="kaur", role=Role.PRACTITIONER, agency=police, areas=[kingsmere])
    CaseMember.objects.create(case=jades_case, user=officer, role="Police", added_by=amira)
    return officer


@pytest.fixture
def story(panel, jo, ben, amira, kingsmere, jade):
    by = verified(jo)
    ricky = services.person_of_concern_create(by=by, name="Ricky Vale", area=kingsmere)
    dean = services.person_of_concern_create(
        by=by, name="Dean Cole", area=kingsmere, restricted=False
    )
    max_hale = services.person_of_concern_create(
        by=by, name="Max Hale", area=kingsmere, restricted=False
    )
    hotel = services.location_create(by=by, name="Station Hotel", kind="hotel", area=kingsmere)
    leah = YoungPersonFactory(legal_first_name="Leah", legal_last_name="Price", area=kingsmere)
    CaseFactory(young_person=leah, lead_professional=ben)
    _link(jo, young_person=jade, person=ricky, restricted=True)
    _link(jo, young_person=jade, person=dean)
    _link(jo, young_person=jade, location=hotel)
    _link(jo, person=ricky, location=hotel, restricted=True)
    _link(jo, young_person=jade, person=max_hale)
    _link(jo, young_person=leah, location=hotel)
    for context in ({"person": ricky}, {"person": dean}, {"location": hotel}):
        meeting_services.meeting_context_change(by=by, meeting=panel, **context)
    meeting_services.participant_add(by=by, meeting=panel, user=amira)
    return {"ricky": ricky, "dean": dean, "max": max_hale, "hotel": hotel, "leah": leah}


def graph_in(page: str) -> str:
    found = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', page)
    assert found, "no map data on the page"
    return found.group(1)


def test_the_panel_page_draws_its_map_with_the_network_script(story, panel, jo, jade) -> None:
    page = text(signed_in_client(jo).get(reverse("meeting", args=[panel.pk])))
    data = graph_in(page)
    for node in (f"yp-{jade.pk}", f"person-{story['ricky'].pk}", f"location-{story['hotel'].pk}"):
        assert f'"id": "{node}"' in data
    # Only the panel's nodes: not a person it does not consider, nor a child
    # off its agenda, though both are linked to what it considers.
    assert "Max Hale" not in data
    assert "Leah" not in data
    # Jade-Ricky, Jade-Dean, Jade-hotel, Ricky-hotel.
    assert data.count('"source"') == 4
    # The /network/ page's own script and CSP workaround, not a copy.
    assert 'id="__________cytoscape_stylesheet"' in page
    assert "network/map.js" in page
    assert "cytoscape/cytoscape.min.js" in page
    assert 'id="meeting-map-nodes"' in page
    assert 'id="network-links"' in page


@pytest.mark.parametrize("reader", ["amira", "grace"])
def test_restricted_persons_are_absent_for_readers_who_are_not_police(
    story, panel, jo, reader, request
) -> None:
    user = request.getfixturevalue(reader)
    if reader == "grace":
        meeting_services.participant_add(by=verified(jo), meeting=panel, user=user)
    client = signed_in_client(user)
    page = text(client.get(reverse("meeting", args=[panel.pk])))
    assert "Ricky Vale" not in page
    assert f"person-{story['ricky'].pk}" not in page
    assert "Dean Cole" in graph_in(page)
    pack = pdf_text(client.get(reverse("meeting-pdf", args=[panel.pk, "pack"])))
    assert "Map of what the panel considers" in pack
    assert "Ricky Vale" not in pack
    assert "Dean Cole" in pack
    assert "Station Hotel" in pack


def test_police_and_the_cse_lead_see_the_restricted_person(story, panel, jo, pc_kaur) -> None:
    meeting_services.participant_add(by=verified(jo), meeting=panel, user=pc_kaur)
    for reader in (jo, pc_kaur):
        client = signed_in_client(reader)
        page = text(client.get(reverse("meeting", args=[panel.pk])))
        assert f"person-{story['ricky'].pk}" in graph_in(page)
        pack = pdf_text(client.get(reverse("meeting-pdf", args=[panel.pk, "pack"])))
        # In the map's key, with its code on the drawing.
        assert re.search(r"P\d Ricky Vale Person of concern", pack), pack


def test_the_pack_draws_the_map_as_vector_not_an_image(story, panel, jo) -> None:
    response = signed_in_client(jo).get(reverse("meeting-pdf", args=[panel.pk, "pack"]))
    reader = PdfReader(io.BytesIO(response.content))
    words = pdf_text(response)
    # The drawing's codes are text on the page, and no page holds a raster image.
    for code in ("Y1", "Y2", "Y3", "P1", "P2", "L1"):
        assert f" {code} " in words
    assert all(not page.images for page in reader.pages)


def _since(mark: int):
    return AuditEvent.objects.filter(pk__gt=mark, object_type="network")


def _mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_every_view_of_the_map_writes_the_network_audit_rows(story, panel, amira) -> None:
    children = set(panel.subjects.values_list("young_person_id", flat=True))
    client = signed_in_client(amira)
    mark = _mark()
    client.get(reverse("meeting", args=[panel.pk]))
    rows = _since(mark)
    detail = f"network map, meeting {panel.pk}"
    assert set(rows.filter(detail=detail).values_list("young_person_id", flat=True)) == children
    assert rows.filter(young_person_id__isnull=True).get().detail == (
        f"{detail}, young people shown: 3"
    )
    mark = _mark()
    client.get(reverse("meeting-pdf", args=[panel.pk, "pack"]))
    rows = _since(mark)
    shown = set(rows.filter(detail=f"{detail} pack").values_list("young_person_id", flat=True))
    assert shown == children
    # The record after the meeting carries no map, and so no map view.
    mark = _mark()
    client.get(reverse("meeting-pdf", args=[panel.pk, "record"]))
    assert not _since(mark).exists()


def test_the_query_count_does_not_grow_with_the_map(story, panel, jo, jade, kingsmere) -> None:
    client = signed_in_client(jo)
    url = reverse("meeting", args=[panel.pk])
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    by = verified(jo)
    for n in range(8):
        person = services.person_of_concern_create(by=by, name=f"Person {n}", area=kingsmere)
        place = services.location_create(by=by, name=f"Place {n}", kind="park", area=kingsmere)
        _link(jo, young_person=jade, person=person, restricted=True)
        _link(jo, person=person, location=place)
        meeting_services.meeting_context_change(by=by, meeting=panel, person=person)
        meeting_services.meeting_context_change(by=by, meeting=panel, location=place)
    with CaptureQueriesContext(connection) as large:
        page = text(client.get(url))
    assert "Place 7" in graph_in(page)
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_another_districts_reader_gets_404_as_before(story, panel, rhian, tom) -> None:
    for reader in (rhian, tom):
        client = signed_in_client(reader)
        assert client.get(reverse("meeting", args=[panel.pk])).status_code == 404
        assert client.get(reverse("meeting-pdf", args=[panel.pk, "pack"])).status_code == 404


def test_other_kinds_of_meeting_have_no_map(story, panel, jo) -> None:
    type(panel).objects.filter(pk=panel.pk).update(kind="multi_agency_review")
    page = text(signed_in_client(jo).get(reverse("meeting", args=[panel.pk])))
    assert 'id="meeting-map"' not in page
    assert "network-data" not in page


def test_the_drawing_is_deterministic_and_holds_no_names() -> None:
    nodes = [
        Node("yp-1", "young_person", 1, "Jade Morgan", risk="high"),
        Node("yp-2", "young_person", 2, "Leah Price"),
        Node("person-3", "person", 3, "Ricky <Vale>"),
        Node("location-4", "location", 4, "Station Hotel"),
        Node("location-5", "online", 5, "ChatSpace"),
    ]
    edges = [
        Edge("link-1", "yp-1", "person-3", "yp_person", None, None),
        Edge("link-2", "yp-1", "location-4", "yp_location", None, None),
    ]
    network = Network(nodes=nodes, edges=edges, too_large=False, budget=500)
    drawing = network_svg(network)
    assert drawing.svg == network_svg(network).svg
    assert [code for code, _ in drawing.key] == ["Y1", "Y2", "P1", "L1", "O1"]
    assert drawing.svg.count("<line ") == 2
    assert drawing.svg.count("<circle ") == 2
    for name in ("Jade", "Leah", "Ricky", "Vale", "Station", "ChatSpace"):
        assert name not in drawing.svg
