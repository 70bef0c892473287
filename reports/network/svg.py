"""The network map as an SVG drawn server-side, for PDFs (a meeting's pack).

WeasyPrint draws inline SVG as vector, but lays out SVG text letter by
letter, so the drawing carries only short codes (Y1, P1, L1, O1) and the
names go in an HTML key table beside it. No text from a record ever enters
the SVG: it holds our own codes and numbers only, so nothing typed into a
record can change the markup.

The layout is deterministic (the same map draws the same picture in every
copy of the pack, and tests can read it): persons of concern on an inner
ring, places and online spaces on a middle ring, young people on the outer
ring, each ring in the map's own order (type, then name). A force-directed
layout (networkx's spring_layout with a fixed seed) would untangle dense
maps better, but would add a dependency for a panel's few dozen nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.network.selectors import LOCATION, ONLINE, PERSON, YOUNG_PERSON, Network, Node

SIZE = 520
CENTRE = SIZE / 2
# Ring radii: persons inside, places between, young people outside (leaving
# room at the edge for the outer ring's codes).
RINGS = {PERSON: 80.0, LOCATION: 160.0, YOUNG_PERSON: 225.0}
NODE_RADIUS = 9.0
CODES = {YOUNG_PERSON: "Y", PERSON: "P", LOCATION: "L", ONLINE: "O"}
# The same colours as the page's drawing (static/network/map.js); the shapes
# differ too, so the types can be told apart in black and white.
COLOURS = {
    YOUNG_PERSON: "#1d70b8",
    PERSON: "#d4351c",
    LOCATION: "#00703c",
    ONLINE: "#4c2c92",
}


@dataclass(frozen=True)
class Drawing:
    svg: str
    # Each node's code on the drawing, in the map's order, for the key table.
    key: list[tuple[str, Node]]
    codes: dict[str, str]


def _codes(network: Network) -> dict[str, str]:
    counters = dict.fromkeys(CODES, 0)
    codes = {}
    for node in network.nodes:
        counters[node.type] += 1
        codes[node.key] = f"{CODES[node.type]}{counters[node.type]}"
    return codes


def _positions(network: Network) -> dict[str, tuple[float, float]]:
    rings: dict[str, list[Node]] = {PERSON: [], LOCATION: [], YOUNG_PERSON: []}
    for node in network.nodes:
        rings[LOCATION if node.type == ONLINE else node.type].append(node)
    positions = {}
    for offset, (ring, members) in enumerate(rings.items()):
        radius = RINGS[ring]
        for index, node in enumerate(members):
            # Start at the top, and turn each ring by a different part of a
            # step so that nodes on neighbouring rings do not line up.
            step = 2 * math.pi / len(members)
            angle = -math.pi / 2 + step * (index + offset / 3)
            positions[node.key] = (
                round(CENTRE + radius * math.cos(angle), 1),
                round(CENTRE + radius * math.sin(angle), 1),
            )
    return positions


def _shape(node_type: str, x: float, y: float) -> str:
    r = NODE_RADIUS
    fill = COLOURS[node_type]
    if node_type == YOUNG_PERSON:
        return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}"/>'
    if node_type == PERSON:
        points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
        return f'<polygon points="{points}" fill="{fill}"/>'
    if node_type == ONLINE:
        points = f"{x},{y - r} {x + r},{y + r} {x - r},{y + r}"
        return f'<polygon points="{points}" fill="{fill}"/>'
    side = 2 * r
    return f'<rect x="{x - r}" y="{y - r}" width="{side}" height="{side}" fill="{fill}"/>'


def _label(code: str, x: float, y: float) -> str:
    # Outward from the centre, clear of the node and of the lines inside.
    dx, dy = x - CENTRE, y - CENTRE
    length = math.hypot(dx, dy) or 1.0
    lx = round(x + dx / length * (NODE_RADIUS + 9), 1)
    ly = round(y + dy / length * (NODE_RADIUS + 9) + 4, 1)
    return f'<text x="{lx}" y="{ly}" text-anchor="middle">{code}</text>'


def network_svg(network: Network) -> Drawing:
    """The map as an SVG document fragment, with each node's code."""
    codes = _codes(network)
    positions = _positions(network)
    lines = []
    for edge in network.edges:
        (x1, y1), (x2, y2) = positions[edge.source], positions[edge.target]
        lines.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
    marks = []
    for node in network.nodes:
        x, y = positions[node.key]
        marks.append(_shape(node.type, x, y))
        marks.append(_label(codes[node.key], x, y))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}"'
        f' width="{SIZE}" height="{SIZE}" role="img">'
        f'<g stroke="#6f777b" stroke-width="1.2">{"".join(lines)}</g>'
        f'<g font-family="sans-serif" font-size="11" fill="#0b0c0c">{"".join(marks)}</g>'
        "</svg>"
    )
    return Drawing(svg=svg, key=[(codes[node.key], node) for node in network.nodes], codes=codes)
