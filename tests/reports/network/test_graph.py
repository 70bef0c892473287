"""Clusters on a known graph: the pure functions the map and the profile share."""

from __future__ import annotations

import random

from reports.network.graph import components, neighbourhood

# Two groups and a loner:
#   a - b - c      d - e      f
#       \_/ (b-c twice, and a loop c-a)
EDGES = [("b", "a"), ("b", "c"), ("c", "b"), ("c", "a"), ("e", "d")]


def test_each_node_gets_the_smallest_key_of_its_component() -> None:
    assert components(EDGES, nodes=["f"]) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
        "e": "d",
        "f": "f",
    }


def test_the_ids_do_not_depend_on_the_order_of_the_edges() -> None:
    expected = components(EDGES, nodes=["f"])
    shuffled = EDGES[:]
    for seed in range(20):
        random.Random(seed).shuffle(shuffled)
        flipped = [(b, a) for a, b in shuffled]
        assert components(shuffled, nodes=["f"]) == expected
        assert components(flipped, nodes=["f"]) == expected


def test_no_edges_and_no_nodes_is_no_components() -> None:
    assert components([]) == {}


def test_a_long_chain_is_one_component() -> None:
    chain = [(f"n{i:05d}", f"n{i + 1:05d}") for i in range(20_000)]
    found = components(chain)
    assert set(found.values()) == {"n00000"}
    assert len(found) == 20_001


def test_neighbourhood_reaches_two_steps_and_no_further() -> None:
    line = [("a", "b"), ("b", "c"), ("c", "d"), ("x", "y")]
    assert neighbourhood("a", line, 2) == {"a", "b", "c"}
    assert neighbourhood("b", line, 2) == {"a", "b", "c", "d"}
    assert neighbourhood("x", line, 0) == {"x"}
    assert neighbourhood("lonely", line, 2) == {"lonely"}
