"""Connected components of a graph, for the network map and the problem profile.

A pure function on node keys: no database, no Django. Union-find with path
halving and union by size is a dozen lines and linear in practice, so it is
kept here rather than taking on a graph library for one algorithm.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def components(edges: Iterable[tuple[Key, Key]], nodes: Iterable[Key] = ()) -> dict[Key, Key]:
    """Every node's component id: the smallest key of its component.

    `nodes` adds nodes with no edge (each its own component). The id is the
    smallest key, not a running number, so it does not depend on the order
    the edges come in, and a component keeps its id while its smallest member
    stays in it. Keys must be comparable with one another (strings here).
    """
    parent: dict[Key, Key] = {}
    size: dict[Key, int] = {}

    def find(key: Key) -> Key:
        if key not in parent:
            parent[key] = key
            size[key] = 1
            return key
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in nodes:
        find(key)
    for one, other in edges:
        a, b = find(one), find(other)
        if a == b:
            continue
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]

    smallest: dict[Key, Key] = {}
    for key in parent:
        root = find(key)
        if root not in smallest or key < smallest[root]:  # type: ignore[operator]
            smallest[root] = key
    return {key: smallest[find(key)] for key in parent}


def neighbourhood(start: Key, edges: Iterable[tuple[Key, Key]], steps: int) -> set[Key]:
    """`start` and every node within `steps` links of it."""
    adjacent: dict[Key, set[Key]] = {}
    for one, other in edges:
        adjacent.setdefault(one, set()).add(other)
        adjacent.setdefault(other, set()).add(one)
    reached = {start}
    frontier = {start}
    for _ in range(steps):
        frontier = {n for key in frontier for n in adjacent.get(key, ())} - reached
        reached |= frontier
    return reached
