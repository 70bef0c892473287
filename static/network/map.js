// The network map: draws the graph the page hands over in #network-data
// (json_script) with cytoscape.js and its force-directed "cose" layout.
// A static file, not an inline script, for the CSP (script-src 'self').
(function () {
  "use strict";
  var container = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (!container || !source || typeof window.cytoscape !== "function") {
    return;
  }
  var started = performance.now();
  var data = JSON.parse(source.textContent);
  var elements = [];
  data.nodes.forEach(function (node) {
    elements.push({
      group: "nodes",
      data: { id: node.id, label: node.label, type: node.type, url: node.url },
    });
  });
  data.edges.forEach(function (edge) {
    elements.push({
      group: "edges",
      data: { id: edge.id, source: edge.source, target: edge.target, kind: edge.kind },
    });
  });
  // Shapes as well as colours, so the types differ without colour vision.
  var looks = {
    young_person: { shape: "ellipse", colour: "#1d70b8" },
    person: { shape: "diamond", colour: "#d4351c" },
    location: { shape: "round-rectangle", colour: "#00703c" },
    online: { shape: "triangle", colour: "#4c2c92" },
  };
  var style = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 11,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "ellipsis",
        "text-max-width": 120,
        width: 22,
        height: 22,
      },
    },
    { selector: "edge", style: { width: 1.5, "line-color": "#b1b4b6", "curve-style": "haystack" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#ffdd00" } },
  ];
  Object.keys(looks).forEach(function (type) {
    style.push({
      selector: 'node[type = "' + type + '"]',
      style: { shape: looks[type].shape, "background-color": looks[type].colour },
    });
  });
  var cy = window.cytoscape({
    container: container,
    elements: elements,
    style: style,
    // The force-directed layout runs a few iterations per animation frame
    // (animate with a small refresh) rather than all at once: laid out in
    // one go, 500 nodes held the page for seconds before anything was drawn.
    layout: {
      name: "cose",
      animate: true,
      animationThreshold: 0,
      refresh: 5,
      randomize: true,
      nodeDimensionsIncludeLabels: true,
      stop: function () {
        container.setAttribute("data-laid-out", "true");
      },
    },
    wheelSensitivity: 0.2,
  });
  // For the browser test and the benchmark: when the first frame was drawn.
  cy.one("render", function () {
    container.setAttribute("data-first-frame-ms", String(Math.round(performance.now() - started)));
  });
  // cytoscape caches where its container sits on the page and refreshes
  // that only on a scroll or resize event, which arrives a frame late and
  // not at all when content above the map moves it (web fonts, a panel
  // opening): a click then landed beside the node it was aimed at. Forget
  // the cached place as each press starts, before cytoscape reads it.
  var forgetPlace = function () {
    var renderer = cy.renderer();
    if (renderer && typeof renderer.invalidateContainerClientCoordsCache === "function") {
      renderer.invalidateContainerClientCoordsCache();
    }
  };
  ["mousedown", "touchstart", "pointerdown"].forEach(function (name) {
    container.addEventListener(name, forgetPlace, { capture: true, passive: true });
  });
  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) {
      window.location.assign(url);
    }
  });
  container.setAttribute("data-nodes", String(cy.nodes().length));
  // The browser test finds a node's place on the canvas through this.
  window.harbourNetworkMap = cy;
})();
