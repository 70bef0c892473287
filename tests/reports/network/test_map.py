"""The network map (/network/ and /api/v1/network/): each reader's own map.

The story: in Kingsmere, Jade (Amira's case, high risk) and Leah (Ben's
case, medium risk) are linked to the Station Hotel; Jade to Ricky Vale, a
restricted person of concern (police intelligence), and to Dean Cole, a
person whose link the team may see; Ricky to the hotel; Leah to an online
space, ChatSpace. The bus station is recorded with no link. In Afon Valley,
Owen (Tom's case) is linked to Riverside Park. PC Kaur (Kingsmere police)
is in the team around Jade.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_cases import services
from cse_cases.models import AgencyKind, AuditEvent, Case, CaseMember, Role
from reports.network.selectors import Filters, network_for
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified
from tests.factories import AgencyFactory, CaseFactory, UserFactory, YoungPersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]

API = "/api/v1/network/"


def _link(by, *, days_ago=None, first_days_ago=None, restricted=False, **ends):
    today = timezone.localdate()
    return services.link_create(
        by=verified(by),
        source="Strategy meeting",
        source_grading="1",
        information_grading="B",
        first_seen=today - timedelta(days=first_days_ago) if first_days_ago else None,
        last_seen=today - timedelta(days=days_ago) if days_ago else None,
        restricted=restricted,
        **ends,
    )


@pytest.fixture
def pc_kaur(kingsmere, jades_case, amira):
    police = AgencyFactory(name="Kingsmere Police", kind=AgencyKind.POLICE, areas=[kingsmere])
    officer = UserFactory(username="kaur", role=Role.PRACTITIONER, agency=police, areas=[kingsmere])
    CaseMember.objects.create(case=jades_case, user=officer, role="Police", added_by=amira)
    return officer


@pytest.fixture
def story(jo, ben, amira, tom, kingsmere, afon_valley, jade, jades_case, rhian, pc_kaur):
    Case.objects.filter(pk=jades_case.pk).update(risk_level="high")
    leah = YoungPersonFactory(legal_first_name="Leah", legal_last_name="Price", area=kingsmere)
    CaseFactory(young_person=leah, lead_professional=ben, risk_level="medium")
    owen = YoungPersonFactory(legal_first_name="Owen", legal_last_name="Rees", area=afon_valley)
    CaseFactory(young_person=owen, lead_professional=tom)
    by = verified(jo)
    ricky = services.person_of_concern_create(by=by, name="Ricky Vale", area=kingsmere)
    dean = services.person_of_concern_create(
        by=by, name="Dean Cole", area=kingsmere, restricted=False
    )
    hotel = services.location_create(by=by, name="Station Hotel", kind="hotel", area=kingsmere)
    chat = services.location_create(by=by, name="ChatSpace", kind="online", area=kingsmere)
    bus = services.location_create(by=by, name="Bus station", kind="transport", area=kingsmere)
    park = services.location_create(
        by=verified(rhian), name="Riverside Park", kind="park", area=afon_valley
    )
    links = {
        "jade-ricky": _link(jo, young_person=jade, person=ricky, days_ago=10, restricted=True),
        "jade-dean": _link(jo, young_person=jade, person=dean, days_ago=200),
        "jade-hotel": _link(jo, young_person=jade, location=hotel, days_ago=5),
        "leah-hotel": _link(jo, young_person=leah, location=hotel),
        "ricky-hotel": _link(jo, person=ricky, location=hotel, restricted=True),
        "leah-chat": _link(jo, young_person=leah, location=chat, first_days_ago=30),
        "owen-park": _link(rhian, young_person=owen, location=park),
    }
    return {
        "jade": jade,
        "leah": leah,
        "owen": owen,
        "ricky": ricky,
        "dean": dean,
        "hotel": hotel,
        "chat": chat,
        "bus": bus,
        "park": park,
        "links": links,
    }


def key(s: dict, name: str) -> str:
    obj = s[name]
    prefix = {"YoungPerson": "yp", "PersonOfConcern": "person"}.get(type(obj).__name__, "location")
    return f"{prefix}-{obj.pk}"


def graph(user, **params) -> dict:
    response = signed_in_client(user).get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def node_keys(answer: dict) -> set[str]:
    return {node["id"] for node in answer["nodes"]}


def keys(s: dict, *names: str) -> set[str]:
    return {key(s, name) for name in names}


def test_a_cse_lead_sees_every_node_and_link_of_the_district(story, jo) -> None:
    answer = graph(jo)
    assert node_keys(answer) == keys(story, "jade", "leah", "ricky", "dean", "hotel", "chat", "bus")
    assert len(answer["edges"]) == 6
    types = {node["id"]: node["type"] for node in answer["nodes"]}
    assert types[key(story, "chat")] == "online"
    assert types[key(story, "hotel")] == "location"
    jade = next(n for n in answer["nodes"] if n["id"] == key(story, "jade"))
    assert jade["label"] == "Jade Morgan (known as JJ)"
    assert jade["risk"] == "high"
    assert jade["url"] == reverse("young-person", args=[story["jade"].pk])
    assert answer["too_large"] is False
    assert answer["counts"] == {
        "nodes": 7,
        "young_people": 2,
        "persons": 2,
        "locations": 2,
        "online_spaces": 1,
        "links": 6,
        "clusters": 2,
    }


def test_every_edge_joins_two_nodes_on_the_map(story, jo, amira, pc_kaur, rhian) -> None:
    for reader in (jo, amira, pc_kaur, rhian):
        answer = graph(reader)
        shown = node_keys(answer)
        for edge in answer["edges"]:
            assert {edge["source"], edge["target"]} <= shown, (reader, edge)


def test_restricted_persons_are_absent_for_readers_who_are_not_police(story, amira, grace) -> None:
    for reader in (amira, grace):
        answer = graph(reader)
        assert key(story, "ricky") not in node_keys(answer)
        assert "Ricky" not in str(answer)
        # Left out, not drawn as an anonymous "restricted person" node.
        assert {node["type"] for node in answer["nodes"]} <= {
            "young_person",
            "person",
            "location",
            "online",
        }
        assert all(node["label"] != "1 restricted person" for node in answer["nodes"])
    # Amira sees Jade, the person whose link the team may see, and the places;
    # not Leah (not her case) and so not Leah's links.
    answer = graph(amira)
    assert node_keys(answer) == keys(story, "jade", "dean", "hotel", "chat", "bus")
    assert {(e["source"], e["target"]) for e in answer["edges"]} == {
        (key(story, "jade"), key(story, "dean")),
        (key(story, "jade"), key(story, "hotel")),
    }
    page = signed_in_client(amira).get(reverse("network")).content.decode()
    assert "Jade Morgan" in page
    assert "Dean Cole" in page
    assert "Ricky Vale" not in page


def test_police_in_the_team_see_the_restricted_person(story, pc_kaur) -> None:
    answer = graph(pc_kaur)
    assert key(story, "ricky") in node_keys(answer)
    assert key(story, "leah") not in node_keys(answer)


def test_another_districts_cse_lead_gets_none_of_this_districts_nodes(story, rhian, tom) -> None:
    for reader in (rhian, tom):
        answer = graph(reader)
        assert node_keys(answer) == keys(story, "owen", "park")
        page = signed_in_client(reader).get(reverse("network")).content.decode()
        assert "Jade" not in page
        assert "Station Hotel" not in page


@pytest.mark.parametrize("persona", ["priya", "alex", "dev"])
def test_those_who_see_no_records_get_404(story, persona, request) -> None:
    client = signed_in_client(request.getfixturevalue(persona))
    assert client.get(API).status_code == 404
    assert client.get(reverse("network")).status_code == 404


def test_the_time_window_keeps_links_seen_in_it(story, jo) -> None:
    answer = graph(jo, days=90)
    # Dean was last seen with Jade 200 days ago; the bus station has no link.
    assert node_keys(answer) == keys(story, "jade", "leah", "ricky", "hotel", "chat")
    assert len(answer["edges"]) == 5
    assert node_keys(graph(jo, days=7)) == keys(story, "jade", "hotel", "leah", "ricky")


def test_the_link_type_filter(story, jo) -> None:
    answer = graph(jo, kind="yp_location")
    assert node_keys(answer) == keys(story, "jade", "leah", "hotel", "chat")
    assert {edge["kind"] for edge in answer["edges"]} == {"yp_location"}


def test_the_risk_filter_keeps_those_children_and_what_they_are_linked_to(story, jo) -> None:
    answer = graph(jo, risk="high")
    assert node_keys(answer) == keys(story, "jade", "ricky", "dean", "hotel")
    assert len(answer["edges"]) == 4
    assert node_keys(graph(jo, risk="low")) == set()


def test_clusters_and_one_cluster(story, jo) -> None:
    answer = graph(jo)
    clusters = {node["id"]: node["cluster"] for node in answer["nodes"]}
    assert clusters[key(story, "bus")] == key(story, "bus")
    big = clusters[key(story, "jade")]
    assert {clusters[k] for k in keys(story, "leah", "ricky", "dean", "hotel", "chat")} == {big}
    assert node_keys(graph(jo, cluster=key(story, "bus"))) == keys(story, "bus")
    assert node_keys(graph(jo, cluster=big)) == keys(
        story, "jade", "leah", "ricky", "dean", "hotel", "chat"
    )


def test_focus_keeps_a_node_and_its_neighbours_to_two_steps(story, jo) -> None:
    answer = graph(jo, focus=key(story, "dean"))
    assert node_keys(answer) == keys(story, "dean", "jade", "ricky", "hotel")


def test_search_finds_nodes_by_label_with_their_neighbours(story, jo) -> None:
    answer = graph(jo, q="chatspace")
    assert node_keys(answer) == keys(story, "chat", "leah")


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": "0"}, "days", "The number of days must be 1 or more"),
        ({"days": "ninety"}, "days", "Enter the number of days as a whole number, like 90"),
        ({"kind": "friend"}, "kind", "Choose a type of link from the list"),
        ({"risk": "extreme"}, "risk", "Choose a risk level from the list"),
        ({"focus": "jade"}, "focus", "A node is named like yp-12, person-4 or location-7"),
        ({"cluster": "1"}, "cluster", "A group is named like yp-12, person-4 or location-7"),
    ],
)
def test_bad_filter_values_are_a_400_saying_what_is_wrong(
    story, jo, params, field, message
) -> None:
    response = signed_in_client(jo).get(API, params)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    page = signed_in_client(jo).get(reverse("network"), params)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_an_unknown_or_unseen_node_or_cluster_is_404(story, jo, amira) -> None:
    client = signed_in_client(jo)
    for params in (
        {"focus": "yp-999999999"},
        {"cluster": "location-999999999"},
        # On another district's map, not Jo's.
        {"focus": key(story, "owen")},
        # A member of a cluster, but not its id.
        {"cluster": key(story, "leah")},
    ):
        assert client.get(API, params).status_code == 404, params
        assert client.get(reverse("network"), params).status_code == 404, params
    # Ricky is on Jo's map, never on Amira's.
    assert signed_in_client(amira).get(API, {"focus": key(story, "ricky")}).status_code == 404


def test_over_the_node_budget_there_is_no_graph_only_counts(story, jo, settings) -> None:
    settings.NETWORK_NODE_BUDGET = 3
    answer = graph(jo)
    assert answer["too_large"] is True
    assert answer["nodes"] == []
    assert answer["edges"] == []
    assert answer["counts"]["nodes"] == 7
    page = signed_in_client(jo).get(reverse("network")).content.decode()
    assert "more than the 3 it can draw" in page
    assert "network-data" not in page
    # Narrowed below the budget, it draws again.
    assert graph(jo, q="bus")["too_large"] is False


def _audit_since(mark: int):
    return AuditEvent.objects.filter(pk__gt=mark, object_type="network")


def _mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_every_view_of_the_map_is_audited_with_the_children_it_showed(story, jo, settings) -> None:
    mark = _mark()
    graph(jo)
    signed_in_client(jo).get(reverse("network"), {"risk": "high"})
    rows = _audit_since(mark).filter(user_id=jo.pk)
    api_children = set(rows.filter(detail="network API").values_list("young_person_id", flat=True))
    assert api_children == {story["jade"].pk, story["leah"].pk}
    page_children = set(rows.filter(detail="network map").values_list("young_person_id", flat=True))
    assert page_children == {story["jade"].pk}
    assert sorted(rows.filter(young_person_id__isnull=True).values_list("detail", flat=True)) == [
        "network API, young people shown: 2",
        "network map, young people shown: 1",
    ]
    # Too large to draw: the view is still recorded, naming no child.
    settings.NETWORK_NODE_BUDGET = 1
    mark = _mark()
    graph(jo)
    assert list(_audit_since(mark).values_list("young_person_id", "detail")) == [
        (None, "network API, young people shown: 0")
    ]


def test_the_page_hands_the_graph_to_its_script_and_lists_it_as_tables(story, jo) -> None:
    page = signed_in_client(jo).get(reverse("network")).content.decode()
    assert '<script id="network-data" type="application/json">' in page
    assert "cytoscape/cytoscape.min.js" in page
    assert "network/map.js" in page
    assert 'id="__________cytoscape_stylesheet"' in page
    assert 'id="network-nodes"' in page
    assert 'id="network-links"' in page
    assert reverse("young-person", args=[story["jade"].pk]) in page
    # No inline script beyond the base page's nonced ones, no inline style.
    assert "style=" not in page


def _grow(jo, kingsmere, ben, hotel, count: int) -> None:
    for n in range(count):
        child = YoungPersonFactory(legal_first_name=f"Extra{n}", area=kingsmere)
        CaseFactory(young_person=child, lead_professional=ben)
        _link(jo, young_person=child, location=hotel)
        person = services.person_of_concern_create(
            by=verified(jo), name=f"Person {n}", area=kingsmere
        )
        _link(jo, person=person, location=hotel, restricted=True)


@pytest.mark.parametrize("url", [API, "/network/"])
def test_the_query_count_does_not_grow_with_the_map(story, jo, ben, kingsmere, url) -> None:
    client = signed_in_client(jo)
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(jo, kingsmere, ben, story["hotel"], 15)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert str(story["hotel"].name) in response.content.decode()
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_the_map_is_read_with_jit_off_and_the_setting_does_not_outlive_it(story, jo) -> None:
    # Issue 19's benchmark: compiling the links query took 37 of 38 s.
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")  # whatever the server's default
    with CaptureQueriesContext(connection) as captured:
        network_for(verified(jo), Filters(), today=timezone.localdate(), budget=500)
    sql = [query["sql"] for query in captured.captured_queries]
    assert sql.index("SET LOCAL jit = off") < next(
        n for n, s in enumerate(sql) if "cse_cases_contextlink" in s
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "on"


def test_a_childs_risk_comes_only_from_a_case_the_reader_sees(story, amira, ben, kingsmere):
    """Review finding: Amira led Mia's first case, now closed, so she still
    sees Mia; Mia's new case (high risk) is Ben's, without Amira. The map
    must not tell Amira its risk, on the node or through the risk filter."""
    mia = YoungPersonFactory(legal_first_name="Mia", legal_last_name="Hart", area=kingsmere)
    CaseFactory(
        young_person=mia,
        lead_professional=amira,
        status="closed",
        opened_on=timezone.localdate() - timedelta(days=200),
        closed_on=timezone.localdate() - timedelta(days=60),
    )
    CaseFactory(young_person=mia, lead_professional=ben, risk_level="high")
    mine = {node["id"]: node for node in graph(amira)["nodes"]}
    assert f"yp-{mia.pk}" in mine
    assert mine[f"yp-{mia.pk}"]["risk"] == ""
    assert f"yp-{mia.pk}" not in node_keys(graph(amira, risk="high"))
    bens = {node["id"]: node for node in graph(ben)["nodes"]}
    assert bens[f"yp-{mia.pk}"]["risk"] == "high"
