/* The relationship and decision map of an account plan, drawn with the vendored Apache
   ECharts as a tree of reporting lines. Colour: role in decisions; size: strength of
   our relationship; shape: attitude toward us. Clicking a person opens their form on
   the map (HTMX); the map exports as PNG (canvas) or SVG (drawn again with the SVG
   renderer). Redrawn whenever HTMX swaps in a fresh map. */
(function () {
  "use strict";

  var ROLE_COLOUR = {
    decision_maker: "#b42318", influencer: "#e8590c", champion: "#2f9e44",
    coach: "#1f5fbf", blocker: "#212529", user: "#868e96"
  };
  var ATTITUDE_SYMBOL = { supporter: "circle", neutral: "rect", detractor: "triangle" };
  var STRENGTH_SIZE = { none: 8, weak: 12, medium: 17, strong: 23 };
  var current = null;

  function esc(text) { return echarts.format.encodeHTML(String(text == null ? "" : text)); }

  function decorate(node) {
    var out = { name: node.name, value: node.id, data: node };
    if (node.is_account) {
      out.symbol = "roundRect";
      out.symbolSize = [16, 12];
      out.itemStyle = { color: "#495057", borderColor: "#495057" };
      out.label = { fontWeight: "bold" };
    } else {
      var colour = ROLE_COLOUR[node.role] || "#adb5bd";
      out.symbol = ATTITUDE_SYMBOL[node.attitude] || "diamond";
      out.symbolSize = STRENGTH_SIZE[node.strength] || 8;
      out.itemStyle = node.role ? { color: colour, borderColor: colour }
                                : { color: "#ffffff", borderColor: colour, borderWidth: 2 };
    }
    out.children = (node.children || []).map(decorate);
    return out;
  }

  function leaves(node) {
    if (!node.children || !node.children.length) { return 1; }
    return node.children.reduce(function (n, child) { return n + leaves(child); }, 0);
  }

  function labelText(p) {
    var n = p.data.data || {};
    if (n.is_account) { return n.name; }
    var parts = [n.name];
    if (n.role_label) { parts.push(n.role_label); }
    parts.push(n.strength_label + (n.owner ? " (" + n.owner + ")" : ""));
    return parts.join(" · ").replace(/[{}|]/g, " ");
  }

  function tooltip(p) {
    var n = p.data.data || {};
    if (n.is_account) { return "<strong>" + esc(n.name) + "</strong>"; }
    var rows = ["<strong>" + esc(n.name) + "</strong>" + (n.title ? " — " + esc(n.title) : "")];
    rows.push(esc(n.account));
    rows.push("Role in decisions: " + esc(n.role_label || "not known"));
    rows.push("Attitude toward us: " + esc(n.attitude_label || "not known"));
    rows.push("Relationship: " + esc(n.strength_label) +
              (n.owner ? ", held by " + esc(n.owner) : ""));
    if (n.paired_with) { rows.push("Paired with " + esc(n.paired_with)); }
    return rows.join("<br>");
  }

  function option(data, forExport) {
    return {
      animation: false,
      backgroundColor: forExport ? "#ffffff" : "transparent",
      title: forExport && data.title
        ? { text: data.title, left: 10, top: 6, textStyle: { fontSize: 14 } } : undefined,
      tooltip: forExport ? { show: false } : { trigger: "item", formatter: tooltip },
      series: [{
        type: "tree",
        data: [decorate(data.tree)],
        orient: "LR",
        top: forExport ? 40 : 20, bottom: 20, left: 170, right: 330,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        roam: !forExport,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12,
                 formatter: labelText, backgroundColor: "rgba(255,255,255,0.85)",
                 padding: [1, 3], borderRadius: 2 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        lineStyle: { color: "#adb5bd", width: 1.2, curveness: 0.5 }
      }]
    };
  }

  function download(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function exportMap(kind) {
    if (!current) { return; }
    var el = current.el, data = current.data, name = data.file || "relationship-map";
    if (kind === "png") {
      download(current.chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" }),
               name + ".png");
      return;
    }
    var box = document.createElement("div");
    box.style.cssText = "position:absolute;left:-20000px;top:0;width:" + el.clientWidth +
                        "px;height:" + (el.clientHeight + 20) + "px";
    document.body.appendChild(box);
    var svgChart = echarts.init(box, null, { renderer: "svg" });
    svgChart.setOption(option(data, true));
    var svg = svgChart.renderToSVGString();
    svgChart.dispose();
    box.remove();
    var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    download(url, name + ".svg");
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function draw() {
    var el = document.getElementById("map-chart");
    if (current && current.el === el) { return; }
    if (current) { current.chart.dispose(); current = null; }
    if (!el) { return; }
    var data = JSON.parse(document.getElementById(el.dataset.mapData).textContent);
    el.style.height = Math.max(360, leaves(data.tree) * 30 + 60) + "px";
    // A page restored from htmx's history still holds the old drawing: start afresh.
    el.removeAttribute("_echarts_instance_");
    el.innerHTML = "";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.dataset.rendered = "true"; });
    chart.on("click", function (p) {
      var n = (p.data && p.data.data) || {};
      if (data.can_edit && n.url && window.htmx) {
        htmx.ajax("GET", n.url, { target: "#map-slot", swap: "innerHTML" });
      }
    });
    chart.setOption(option(data, false));
    current = { el: el, data: data, chart: chart };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-map-export]");
    if (button) { exportMap(button.dataset.mapExport); }
  });
  window.addEventListener("resize", function () { if (current) { current.chart.resize(); } });
  document.addEventListener("htmx:afterSettle", draw);
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;  // a form opened from the map or a warning: show it
    if (target && target.id === "map-slot" && target.firstElementChild) {
      target.scrollIntoView({ block: "nearest" });
    }
  });
  document.addEventListener("htmx:historyRestore", function () { current = null; draw(); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  window.keyplanMapExport = exportMap;
})();
