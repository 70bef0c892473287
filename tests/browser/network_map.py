"""Selecting a node on the network map's drawing, as a mouse user does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

# Two animation frames: the scroll that brings the map into view has been
# painted and its scroll event delivered before the mouse moves.
_SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def click_node(page: Page, graph: Locator, key: str) -> None:
    """Click the centre of node `key` once the layout has stopped."""
    expect(graph).to_have_attribute("data-laid-out", "true")
    graph.scroll_into_view_if_needed()
    page.evaluate(_SETTLED)
    box = graph.bounding_box()
    assert box is not None
    where = page.evaluate(
        "key => window.harbourNetworkMap.getElementById(key).renderedPosition()", key
    )
    assert 0 <= where["x"] <= box["width"], where
    assert 0 <= where["y"] <= box["height"], where
    page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
