/* The relationship and decision map of an account plan, drawn with the vendored Apache
   ECharts' tree layout (orient LR). The account is at the left, its business units next
   (each a group that folds and unfolds when clicked), then each unit's people along
   their reporting lines. Colour: role in decisions; size: strength of our relationship;
   shape: attitude toward us; every label says the name, role, strength and who holds it.

   Readability is kept by sizing the chart to what is shown instead of squeezing the
   tree into the card: every label sits right of its node, the distance between levels
   is the widest label plus a margin (so labels of two levels never meet), and the
   height gives each row a label's height (measured after ECharts' layout and corrected
   once when two labels would still touch). The chart scrolls inside its card.

   Clicking a person opens their form on the map (HTMX); the map exports as PNG and SVG,
   drawn again off screen with the same layout, a title and a white background.
   Redrawn whenever HTMX swaps in a fresh map; which groups are open survives that. */
(function () {
  "use strict";

  var ROLE_COLOUR = {
    decision_maker: "#b42318", influencer: "#e8590c", champion: "#2f9e44",
    coach: "#1f5fbf", blocker: "#212529", user: "#868e96"
  };
  var ATTITUDE_SYMBOL = { supporter: "circle", neutral: "rect", detractor: "triangle" };
  var STRENGTH_SIZE = { none: 8, weak: 12, medium: 17, strong: 23 };
  var FONT = "sans-serif";
  var NAME = { fontSize: 12, lineHeight: 15, fontWeight: "bold", color: "#212529" };
  var META = { fontSize: 11, lineHeight: 14, color: "#495057" };
  var PAD = [2, 4];
  var LABEL_HEIGHT = NAME.lineHeight + META.lineHeight + PAD[0] * 2;
  var ROW_GAP = 6;           // between two labels above each other
  var LEVEL_GAP = 36;        // between a label's end and the next level's node
  var SYMBOL_ROOM = 16;      // half the largest symbol and the label's distance
  var EDGE = 12;             // margin kept free at the chart's edges
  var TITLE = 62;            // room for the title and legend on an export
  var LEGEND = "Colour: role in decisions (red decision maker, orange influencer, green " +
    "champion, blue coach, black blocker, grey user, white not known). Size: strength of " +
    "our relationship. Shape: attitude toward us (circle supporter, square neutral, " +
    "triangle detractor, diamond not known).";
  var current = null;
  var openGroups = {};       // map file name → { group id: true/false }

  function plain(text) { return String(text == null ? "" : text).replace(/[{}|]/g, " "); }

  var measure = (function () {
    var ctx = document.createElement("canvas").getContext("2d");
    return function (text, style) {
      ctx.font = (style.fontWeight || "normal") + " " + style.fontSize + "px " + FONT;
      return ctx.measureText(text).width;
    };
  })();

  function metaText(n, forExport) {
    if (n.is_account) {
      if (!n.is_group || forExport) { return n.people; }
      return n.people + (n.open ? " · click to hide" : " · click to show");
    }
    var parts = [];
    if (n.role_label) { parts.push(n.role_label); }
    parts.push(n.strength_label + (n.owner ? " (" + n.owner + ")" : ""));
    return parts.join(" · ");
  }

  function labelWidth(n, forExport) {
    return Math.max(measure(plain(n.name), NAME), measure(plain(metaText(n, forExport)), META)) +
           PAD[1] * 2;
  }

  /* The ECharts items for what is shown, with the facts needed to size the chart:
     the deepest level shown, the widest label (root apart) and the rows needed. */
  function build(data, forExport) {
    var open = openGroups[data.file] || {};
    var facts = { depth: 1, widest: 0, rootWidth: 0, rows: 0, lastParent: null };

    function item(node, depth, parentId) {
      var n = Object.assign({}, node);
      if (n.is_group) { n.open = open[n.id] != null ? open[n.id] : !data.start_collapsed; }
      var out = { name: n.name, value: n.id, data: n };
      var shown = n.children && n.children.length && (!n.is_group || n.open);
      if (n.is_account) {
        out.symbol = "roundRect";
        out.symbolSize = [16, 12];
        out.itemStyle = { color: n.is_group && !n.open ? "#ffffff" : "#495057",
                          borderColor: "#495057", borderWidth: 2 };
      } else {
        var colour = ROLE_COLOUR[n.role] || "#adb5bd";
        out.symbol = ATTITUDE_SYMBOL[n.attitude] || "diamond";
        out.symbolSize = STRENGTH_SIZE[n.strength] || 8;
        out.itemStyle = n.role ? { color: colour, borderColor: colour }
                               : { color: "#ffffff", borderColor: colour, borderWidth: 2 };
      }
      var width = labelWidth(n, forExport);
      if (depth === 1) {
        facts.rootWidth = width;
        out.label = { position: "left", align: "right" };
      } else {
        facts.widest = Math.max(facts.widest, width);
      }
      facts.depth = Math.max(facts.depth, depth);
      if (n.is_group) { out.collapsed = !n.open; }
      if (shown) {
        out.children = n.children.map(function (child) { return item(child, depth + 1, n.id); });
      } else {
        out.children = (n.children || []).map(function (child) {
          return { name: child.name, value: child.id, data: child, children: [] };
        });
        // A row per leaf, two between leaves of different parents (ECharts' separation).
        facts.rows += facts.lastParent === null ? 1 : (facts.lastParent === parentId ? 1 : 2);
        facts.lastParent = parentId;
      }
      delete n.children;
      return out;
    }

    var root = item(data.tree, 1, null);
    return { root: root, facts: facts };
  }

  function labelFormatter(forExport) {
    return function (p) {
      var n = p.data.data || {};
      var head = n.is_account ? "{group|" + plain(n.name) + "}" : "{name|" + plain(n.name) + "}";
      return head + "\n{meta|" + plain(metaText(n, forExport)) + "}";
    };
  }

  /* ECharts shows tooltips as HTML: every value goes through escapeHtml (safe.js). */
  function tooltip(p) {
    var n = p.data.data || {};
    if (n.is_account) {
      return "<strong>" + escapeHtml(n.name) + "</strong><br>" + escapeHtml(n.people) +
             (n.is_group ? "<br>Click to " + (n.open ? "hide" : "show") + " them" : "");
    }
    var rows = ["<strong>" + escapeHtml(n.name) + "</strong>" +
                (n.title ? " — " + escapeHtml(n.title) : "")];
    rows.push(escapeHtml(n.account));
    if (n.reports_to) { rows.push("Reports to " + escapeHtml(n.reports_to)); }
    rows.push("Role in decisions: " + escapeHtml(n.role_label || "not known"));
    rows.push("Attitude toward us: " + escapeHtml(n.attitude_label || "not known"));
    rows.push("Relationship: " + escapeHtml(n.strength_label) +
              (n.owner ? ", held by " + escapeHtml(n.owner) : ""));
    if (n.paired_with) { rows.push("Paired with " + escapeHtml(n.paired_with)); }
    return rows.join("<br>");
  }

  /* The chart's option and the size it needs in pixels; ``scale`` stretches the rows
     when a measurement found labels too close. */
  function layout(data, forExport, minWidth, scale) {
    var built = build(data, forExport);
    var f = built.facts;
    var top = EDGE + LABEL_HEIGHT / 2 + (forExport && data.title ? TITLE : 0);
    var bottom = EDGE + LABEL_HEIGHT / 2;
    var left = EDGE + f.rootWidth + SYMBOL_ROOM;
    var level = f.widest + SYMBOL_ROOM + LEVEL_GAP;
    var right = f.widest + SYMBOL_ROOM + EDGE;
    var needed = left + (f.depth - 1) * level + right;
    // Fill the card, but spread the levels no more than twice what the labels need.
    var width = Math.ceil(Math.max(needed, Math.min(minWidth || 0, needed + (f.depth - 1) * level)));
    if (forExport && data.title) {  // the title and legend are not cut either
      width = Math.max(width, Math.ceil(2 * EDGE + Math.max(
        measure(data.title, { fontSize: 14, fontWeight: "bold" }),
        measure(LEGEND, { fontSize: 11 }))));
    }
    var rows = Math.max(f.rows, 1);
    var height = Math.ceil(top + bottom + Math.max(rows - 1, 1) *
                           (LABEL_HEIGHT + ROW_GAP) * (scale || 1));
    var rich = {
      name: Object.assign({ fontFamily: FONT }, NAME),
      group: Object.assign({ fontFamily: FONT }, NAME),
      meta: Object.assign({ fontFamily: FONT }, META)
    };
    var option = {
      animation: false,
      backgroundColor: forExport ? "#ffffff" : "transparent",
      title: forExport && data.title
        ? { text: data.title, subtext: LEGEND, left: EDGE, top: 8, itemGap: 10,
            textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11, color: "#495057" } }
        : undefined,
      tooltip: forExport ? { show: false } : { trigger: "item", formatter: tooltip },
      series: [{
        type: "tree",
        data: [built.root],
        orient: "LR",
        layout: "orthogonal",
        top: top, bottom: bottom, left: left, right: right,
        // Groups fold on click (handled here, so that a click on a person opens their
        // form instead); large maps start with every group folded.
        expandAndCollapse: false,
        roam: false,
        label: { show: true, position: "right", distance: 6, align: "left",
                 verticalAlign: "middle", formatter: labelFormatter(forExport), rich: rich,
                 backgroundColor: "rgba(255,255,255,0.92)", padding: PAD, borderRadius: 2 },
        leaves: { label: { position: "right", align: "left" } },
        lineStyle: { color: "#adb5bd", width: 1.2, curveness: 0.5 }
      }]
    };
    return { option: option, width: width, height: height };
  }

  /* The boxes of the labels drawn (page coordinates inside the chart), read from the
     chart's renderer: what the reader actually sees. */
  function labelBoxes(chart) {
    var seen = [], boxes = [];
    chart.getZr().storage.getDisplayList().forEach(function (el) {
      var text = el.parent;
      // A node's label is hosted by its symbol (an export's title is not).
      if (el.type !== "tspan" || !text || !text.__hostTarget || seen.indexOf(text) >= 0) {
        return;
      }
      seen.push(text);
      var rect = text.getBoundingRect().clone();
      var m = text.getComputedTransform();
      if (m) { rect.applyTransform(m); }
      rect.text = text.style.text || "";
      boxes.push(rect);
    });
    return boxes;
  }

  /* How much the rows must stretch (above 1) or may shrink (below 1) for the closest
     two labels above each other to be a label's height and a gap apart. */
  function rowScale(chart) {
    var boxes = labelBoxes(chart), worst = 0;
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.x >= b.x + b.width || b.x >= a.x + a.width) { continue; }
        var apart = Math.abs((a.y + a.height / 2) - (b.y + b.height / 2));
        var needed = (a.height + b.height) / 2 + ROW_GAP;
        worst = Math.max(worst, needed / Math.max(apart, 0.5));
      }
    }
    return worst || 1;
  }

  function render(chart, el, data, forExport, minWidth) {
    var scale = 1;
    for (var round = 0; round < 6; round++) {
      var laid = layout(data, forExport, minWidth, scale);
      el.style.width = laid.width + "px";
      el.style.height = laid.height + "px";
      chart.resize({ width: laid.width, height: laid.height });
      // Drawn afresh: ECharts' tree cannot diff away nodes a folded group never drew.
      chart.clear();
      chart.setOption(laid.option, true);
      var needed = rowScale(chart);
      // Stretch when two labels touch; shrink a sparse layout back to a label's height.
      // Rows scale linearly with the height, so one correction is normally enough.
      if (needed <= 1 && (needed > 0.9 || round >= 2)) { break; }
      scale *= needed * 1.01;
    }
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
    var data = current.data, name = data.file || "relationship-map";
    var box = document.createElement("div");
    box.style.cssText = "position:absolute;left:-100000px;top:0";
    document.body.appendChild(box);
    var chart = echarts.init(box, null, { renderer: kind === "svg" ? "svg" : "canvas" });
    render(chart, box, data, true, current.el.offsetWidth);
    if (kind === "svg") {
      var url = URL.createObjectURL(new Blob([chart.renderToSVGString()],
                                             { type: "image/svg+xml" }));
      download(url, name + ".svg");
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    } else {
      // Twice the screen's resolution, less when the browser could not hold the image.
      var w = box.offsetWidth, h = box.offsetHeight;
      var ratio = Math.max(1, Math.min(2, 16000 / Math.max(w, h), Math.sqrt(1.2e8 / (w * h))));
      download(chart.getDataURL({ type: "png", pixelRatio: ratio, backgroundColor: "#ffffff" }),
               name + ".png");
    }
    chart.dispose();
    box.remove();
  }

  /* The canvas resolution for a chart this large: the screen's, less when the browser
     could not hold the canvas (at most 32,767 px a side, about 268 million pixels). */
  function pixelRatio(width, height) {
    return Math.max(0.25, Math.min(window.devicePixelRatio || 1, 30000 / Math.max(width, height),
                                   Math.sqrt(2.4e8 / (width * height))));
  }

  function makeChart(el, data, ratio) {
    var chart = echarts.init(el, null, { renderer: "canvas", devicePixelRatio: ratio });
    chart.on("click", function (p) {
      var n = (p.data && p.data.data) || {};
      if (n.is_group) {
        // After ECharts has finished handling the click it is telling us about.
        el.dataset.rendered = "false";
        setTimeout(function () { setGroups([n], !n.open); }, 0);
      } else if (data.can_edit && n.url && window.htmx) {
        htmx.ajax("GET", n.url, { target: "#map-slot", swap: "innerHTML" });
      }
    });
    return chart;
  }

  function redraw() {
    if (!current) { return; }
    var c = current;
    c.el.dataset.rendered = "false";
    // A very large map unfolded: a coarser canvas rather than none at all. (1.5: room
    // for the rows to stretch after measuring.)
    var first = layout(c.data, false, c.frame.clientWidth, 1);
    var ratio = pixelRatio(first.width, first.height * 1.5);
    if (!c.chart || Math.abs(ratio - c.ratio) > 0.01) {
      if (c.chart) { c.chart.dispose(); }
      c.chart = makeChart(c.el, c.data, ratio);
      c.ratio = ratio;
    }
    render(c.chart, c.el, c.data, false, c.frame.clientWidth);
    c.el.dataset.rendered = "true";
  }

  /* Scroll the chart's frame to the group named ``name``, which moved when the tree was
     laid out again. */
  function reveal(name) {
    var head = "{group|" + plain(name) + "}";
    var box = labelBoxes(current.chart).filter(function (b) {
      return b.text.indexOf(head) === 0;
    })[0];
    if (!box) { return; }
    var frame = current.frame;
    frame.scrollTop = Math.max(0, box.y - frame.clientHeight / 4);
    frame.scrollLeft = Math.max(0, box.x - 60);
  }

  function setGroups(groups, open) {
    if (!current) { return; }
    var state = openGroups[current.data.file] = openGroups[current.data.file] || {};
    groups.forEach(function (n) { state[n.id] = open; });
    redraw();
    if (groups.length) { reveal(groups[0].name); }
  }

  function groupsOf(tree) {
    return (tree.children || []).filter(function (n) { return n.is_group; });
  }

  function draw() {
    var el = document.getElementById("map-chart");
    if (current && current.el === el) { return; }
    if (current) { if (current.chart) { current.chart.dispose(); } current = null; }
    if (!el) { return; }
    var data = JSON.parse(document.getElementById(el.dataset.mapData).textContent);
    var frame = el.parentElement;
    // A page restored from htmx's history still holds the old drawing: start afresh.
    el.removeAttribute("_echarts_instance_");
    el.replaceChildren();
    current = { el: el, frame: frame, data: data, chart: null, ratio: 0 };
    redraw();
    // On a phone the groups, not the account's name, are what to see (and tap) first.
    var groups = groupsOf(data.tree);
    if (groups.length && frame.clientWidth < 600) { reveal(groups[0].name); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-map-export]");
    if (button) { exportMap(button.dataset.mapExport); }
    var fold = event.target.closest("[data-map-groups]");
    if (fold && current) {
      setGroups(groupsOf(current.data.tree), fold.dataset.mapGroups === "open");
    }
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(redraw, 150);
  });
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
