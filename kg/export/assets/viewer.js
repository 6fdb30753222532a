/* chainkg graph viewer: draws the embedded Cytoscape.js document, a legend, a search box and a
   details panel with properties and evidence sentences. Everything it needs is in this page. */
(function () {
  "use strict";

  var doc = JSON.parse(document.getElementById("graph-data").textContent);
  var meta = doc.data;
  var fontStack = meta.font_stack;
  var hiddenLabels = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "style") { node.setAttribute("style", attrs[key]); }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().trim();
  }

  function count(n, word) {
    return n + " " + (n === 1 ? word : word + "s");
  }

  function shortName(name) {
    var chars = Array.from(name);
    return chars.length <= 12 ? name : chars.slice(0, 11).join("") + "…";
  }

  var hasPositions = doc.elements.nodes.length > 0 && doc.elements.nodes.every(function (n) { return n.position; });
  doc.elements.nodes.forEach(function (n) { n.data.short = shortName(n.data.name); });

  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: doc.elements,
    layout: hasPositions ? { name: "preset", fit: true, padding: 30 } : { name: "cose", animate: false, randomize: false },
    minZoom: 0.05,
    maxZoom: 6,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", "width": "data(size)", "height": "data(size)",
        "label": "data(short)", "font-size": 11, "font-family": fontStack, "color": "#222",
        "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#fff", "text-outline-width": 2,
        "min-zoomed-font-size": 6, "border-width": 1, "border-color": "#fff" } },
      { selector: "node[degree >= 6]", style: { "font-size": 13, "font-weight": "bold" } },
      { selector: "node[degree >= 15]", style: { "font-size": 16 } },
      { selector: "node[label = 'Article']", style: { "shape": "round-rectangle", "font-weight": "normal", "font-size": 10,
                                                      "color": "#666" } },
      { selector: "edge", style: {
        "width": 1.2, "line-color": "#8a8a8a", "target-arrow-color": "#8a8a8a", "target-arrow-shape": "triangle",
        "arrow-scale": 0.8, "curve-style": "bezier", "opacity": 0.75, "font-family": fontStack } },
      { selector: "edge[type = 'MENTIONED_IN']", style: {
        "line-style": "dotted", "line-color": "#c4c4c4", "target-arrow-color": "#c4c4c4", "width": 1 } },
      { selector: "edge:selected, edge.near", style: {
        "label": "data(type)", "font-size": 9, "text-rotation": "autorotate", "color": "#333",
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1, "opacity": 1 } },
      { selector: "edge:selected", style: { "line-color": "#111", "target-arrow-color": "#111", "width": 3 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#111" } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#f2c200" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: ".hidden", style: { "display": "none" } }
    ]
  });
  window.kg = { cy: cy, data: doc };

  /* status line: what was drawn, counted from the drawing itself */
  var status = document.getElementById("status");
  function showStatus() {
    var nodes = cy.nodes().length, edges = cy.edges().length;
    status.dataset.nodes = nodes;
    status.dataset.edges = edges;
    var of = (nodes !== meta.total_nodes || edges !== meta.total_edges)
      ? " (of " + count(meta.total_nodes, "node") + ", " + count(meta.total_edges, "edge") + " in the build)" : "";
    status.textContent = count(nodes, "node") + " · " + count(edges, "edge") + of;
  }

  /* legend: one entry a label, with its colour and count; a click hides or shows that label */
  function buildLegend() {
    var list = document.getElementById("legend-items");
    meta.labels.forEach(function (item) {
      var li = el("li", { "data-label": item.label, title: "Hide or show " + item.label }, [
        el("span", { "class": "swatch", style: "background:" + item.color }), item.label + " " + item.count]);
      li.addEventListener("click", function () {
        hiddenLabels[item.label] = !hiddenLabels[item.label];
        li.classList.toggle("off", hiddenLabels[item.label]);
        var nodes = cy.nodes().filter(function (n) { return n.data("label") === item.label; });
        if (hiddenLabels[item.label]) { nodes.addClass("hidden"); } else { nodes.removeClass("hidden"); }
      });
      list.appendChild(li);
    });
    var mentions = cy.edges("[type = 'MENTIONED_IN']").length;
    document.getElementById("key-relation").hidden = mentions === cy.edges().length;
    document.getElementById("key-mentioned").hidden = mentions === 0;
  }

  /* details panel */
  var details = document.getElementById("details");
  var SKIP = { id: 1, label: 1, name: 1, aliases: 1, mentions: 1, color: 1, size: 1, short: 1, degree: 1,
               source: 1, target: 1, type: 1, evidence: 1 };

  function valueText(value) {
    if (Array.isArray(value)) { return value.length ? value.join("、") : "—"; }
    if (value !== null && typeof value === "object") { return JSON.stringify(value); }
    return String(value);
  }

  function propsTable(rows) {
    return el("table", { "class": "props" }, rows.map(function (row) {
      return el("tr", {}, [el("th", { text: row[0] }), el("td", { text: valueText(row[1]) })]);
    }));
  }

  function jump(node) {
    return el("a", { "class": "jump", text: node.data("name"), title: node.data("label") + " " + node.id(),
                     onclick: function () { focus(node); } });
  }

  function badge(label) {
    var color = (meta.labels.filter(function (l) { return l.label === label; })[0] || {}).color || "#333";
    return el("span", { "class": "badge", style: "background:" + color, text: label });
  }

  function evidenceList(evidence) {
    if (!evidence || !evidence.length) { return el("p", { "class": "source", text: "no evidence sentence recorded" }); }
    return el("ul", { "class": "evidence" }, evidence.map(function (ev) {
      return el("li", {}, [
        el("blockquote", { "class": "sentence", text: ev.sentence || "" }),
        el("span", { "class": "source", text: ev.doc + " · characters " + ev.start + "–" + ev.end })]);
    }));
  }

  function ownProps(data) {
    return Object.keys(data).filter(function (k) { return !SKIP[k]; }).sort().map(function (k) { return [k, data[k]]; });
  }

  function showNode(node) {
    var d = node.data();
    var rows = [["id", d.id]];
    if (d.aliases && d.aliases.length) { rows.push(["aliases", d.aliases]); }
    rows = rows.concat(ownProps(d));
    rows.push(["degree", d.degree]);
    var docs = {};
    (d.mentions || []).forEach(function (m) { (docs[m.doc] = docs[m.doc] || []).push(m.start + "–" + m.end); });
    var mentionRows = Object.keys(docs).sort().map(function (name) {
      var spans = docs[name];
      var shownSpans = spans.slice(0, 6).join(", ");
      return [name, spans.length > 6 ? shownSpans + " … (" + spans.length + " in all)" : shownSpans];
    });
    var edges = node.connectedEdges().sort(function (a, b) {
      return a.data("type") < b.data("type") ? -1 : a.data("type") > b.data("type") ? 1 : 0;
    });
    var shown = edges.slice(0, 80);
    var relations = el("ol", { "class": "relations" }, shown.map(function (edge) {
      var outgoing = edge.source().id() === node.id();
      var other = outgoing ? edge.target() : edge.source();
      return el("li", {}, [
        el("span", { "class": "rel-type", text: outgoing ? edge.data("type") + " → " : "← " + edge.data("type") + " " }),
        jump(other), " ",
        el("a", { "class": "jump source", text: "(relation)", onclick: function () { focusEdge(edge); } }),
        evidenceList(edge.data("evidence"))]);
    }));
    details.replaceChildren(
      el("h3", {}, [badge(d.label), d.name]),
      propsTable(rows),
      el("h2", { text: "Mentioned in" }),
      mentionRows.length ? propsTable(mentionRows) : el("p", { "class": "source", text: "no mention recorded" }),
      el("h2", { text: "Relations and evidence (" + edges.length + ")" }),
      relations,
      edges.length > shown.length ? el("p", { "class": "source", text: (edges.length - shown.length) + " more not listed" }) : el("span"));
  }

  function showEdge(edge) {
    var d = edge.data();
    details.replaceChildren(
      el("h3", {}, [el("span", { "class": "rel-type", text: d.type })]),
      el("p", {}, [badge(edge.source().data("label")), jump(edge.source()), " → ",
                   badge(edge.target().data("label")), jump(edge.target())]),
      propsTable([["id", d.id]].concat(ownProps(d))),
      el("h2", { text: "Evidence (" + (d.evidence || []).length + ")" }),
      evidenceList(d.evidence));
  }

  function clearHighlight() {
    cy.elements().removeClass("faded near");
  }

  function highlight(eles) {
    cy.batch(function () {
      cy.elements().addClass("faded");
      eles.removeClass("faded");
    });
  }

  function focus(node) {
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
  }

  function focusEdge(edge) {
    cy.elements().unselect();
    edge.select();
    cy.animate({ center: { eles: edge }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
  }

  cy.on("select", "node", function (event) {
    var node = event.target;
    clearHighlight();
    var near = node.closedNeighborhood();
    highlight(near);
    node.connectedEdges().addClass("near");
    showNode(node);
  });
  cy.on("select", "edge", function (event) {
    var edge = event.target;
    clearHighlight();
    highlight(edge.union(edge.connectedNodes()));
    showEdge(edge);
  });
  cy.on("tap", function (event) {
    if (event.target === cy) {
      clearHighlight();
      details.replaceChildren(el("p", { "class": "hint",
        text: "Click a node or an edge to see its properties and the sentences it was read from." }));
    }
  });

  /* search: highlight the nodes whose name or an alias contains the text; Enter goes to the best connected */
  var search = document.getElementById("search");
  var searchResult = document.getElementById("search-result");
  var matches = cy.collection();
  function runSearch() {
    var query = fold(search.value);
    cy.nodes().removeClass("match");
    clearHighlight();
    if (!query) { searchResult.textContent = ""; matches = cy.collection(); return; }
    matches = cy.nodes().filter(function (n) {
      return fold(n.data("name")).indexOf(query) >= 0 ||
        (n.data("aliases") || []).some(function (a) { return fold(a).indexOf(query) >= 0; });
    }).sort(function (a, b) { return b.data("degree") - a.data("degree"); });
    matches.addClass("match");
    if (matches.length) { highlight(matches); }
    searchResult.textContent = matches.length + (matches.length === 1 ? " match" : " matches");
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && matches.length) { focus(matches[0]); }
    if (event.key === "Escape") { search.value = ""; runSearch(); }
  });

  document.getElementById("fit").addEventListener("click", function () {
    cy.stop(true, false);
    cy.fit(cy.elements(":visible"), 30);
  });
  document.getElementById("relayout").addEventListener("click", function () {
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 60 }).run();
    cy.fit(cy.elements(":visible"), 30);
  });

  buildLegend();
  showStatus();
  cy.ready(function () {
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () { document.body.dataset.state = "ready"; });
    });
  });
})();
