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
  var data = JSON.parse(source.textContent);
  // Above this many nodes the force-directed layout holds the page for
  // seconds (5,000 nodes: ten seconds in Chromium before the first frame,
  // benchmarks/bench_profile.py): a large map is placed group by group
  // instead, and drawn without its links. Drawing 21,000 links is one long
  // task of seconds whichever way it is sliced (each slice redraws every
  // link already there), so it waits for the reader to ask for it.
  // The limit comes from the page (NETWORK_FORCE_LAYOUT_NODES).
  var LARGE = parseInt(container.getAttribute("data-force-layout-nodes"), 10) || 600;
  var large = data.nodes.length > LARGE;
  var nodes = data.nodes.map(function (node) {
    return {
      group: "nodes",
      data: { id: node.id, label: node.label, type: node.type, url: node.url },
    };
  });
  var edges = data.edges.map(function (edge) {
    return {
      group: "edges",
      data: { id: edge.id, source: edge.source, target: edge.target, kind: edge.kind },
    };
  });
  var laidOut = function () {
    container.setAttribute("data-laid-out", "true");
  };
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
  if (large) {
    // Labels too small to read are not drawn: thousands of them cost more
    // to render than the shapes. They appear as the reader zooms in.
    style[0].style["min-zoomed-font-size"] = 8;
  }
  Object.keys(looks).forEach(function (type) {
    style.push({
      selector: 'node[type = "' + type + '"]',
      style: { shape: looks[type].shape, "background-color": looks[type].colour },
    });
  });
  var cy = window.cytoscape({
    container: container,
    // A large map's links come when the reader asks (drawLinks).
    elements: large ? nodes : nodes.concat(edges),
    style: style,
    layout: large
      ? { name: "preset", positions: groupPositions(data.nodes), fit: true, padding: 20 }
      : {
          // The force-directed layout runs a few iterations per animation
          // frame (animate with a small refresh) rather than all at once:
          // laid out in one go, 500 nodes held the page for seconds.
          name: "cose",
          animate: true,
          animationThreshold: 0,
          refresh: 5,
          randomize: true,
          nodeDimensionsIncludeLabels: true,
          stop: laidOut,
        },
    // Moving or zooming a large map redraws a picture of it, not every node.
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    wheelSensitivity: 0.2,
  });
  // For the browser test and the benchmark: when the first frame was drawn,
  // counted from the start of the page's load (performance.now's origin).
  cy.one("render", function () {
    container.setAttribute("data-first-frame-ms", String(Math.round(performance.now())));
    if (large) {
      laidOut();
    }
  });

  // The button is rendered hidden (a GOV.UK button's display wins over the
  // hidden attribute, so by class): without this script it draws nothing.
  var HIDDEN = "govuk-!-display-none";
  var drawButton = document.getElementById("network-draw-links");
  var drawStatus = document.getElementById("network-links-status");
  if (large && drawButton && edges.length) {
    drawButton.classList.remove(HIDDEN);
    drawButton.addEventListener("click", drawLinks);
  }

  // All the links in one batch, after the button has said it is working
  // (two frames: the new text is painted before the long task starts).
  function drawLinks() {
    drawButton.disabled = true;
    drawButton.textContent = "Drawing the links…";
    var asked = performance.now();
    window.requestAnimationFrame(function () {
      window.setTimeout(function () {
        cy.batch(function () {
          cy.add(edges);
        });
        cy.one("render", function () {
          container.setAttribute("data-edges", String(cy.edges().length));
          container.setAttribute("data-links-ms", String(Math.round(performance.now() - asked)));
          drawButton.classList.add(HIDDEN);
          // The focused button has gone: the reader hears what happened.
          if (drawStatus) {
            drawStatus.textContent =
              "All " + edges.length + " link" + (edges.length === 1 ? " is" : "s are") + " drawn.";
            drawStatus.focus();
          }
        });
      }, 0);
    });
  }

  // Each group (the connected nodes the page names as a cluster) as a
  // square block of its own, the largest first, blocks placed in rows: the
  // groups stand apart, in time proportional to the nodes.
  function groupPositions(list) {
    var groups = {};
    list.forEach(function (node) {
      var key = node.cluster || node.id;
      (groups[key] = groups[key] || []).push(node.id);
    });
    var blocks = Object.keys(groups)
      .map(function (key) {
        return groups[key];
      })
      .sort(function (a, b) {
        return b.length - a.length;
      });
    var step = 40;
    var rowWidth = Math.max(Math.ceil(Math.sqrt(list.length)) * step * 1.5, step);
    var positions = {};
    var x = 0;
    var y = 0;
    var rowHeight = 0;
    blocks.forEach(function (ids) {
      var side = Math.ceil(Math.sqrt(ids.length));
      var width = side * step;
      if (x > 0 && x + width > rowWidth) {
        x = 0;
        y += rowHeight + step;
        rowHeight = 0;
      }
      ids.forEach(function (id, n) {
        positions[id] = { x: x + (n % side) * step, y: y + Math.floor(n / side) * step };
      });
      x += width + step;
      rowHeight = Math.max(rowHeight, Math.ceil(ids.length / side) * step);
    });
    return positions;
  }
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
