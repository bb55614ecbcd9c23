/* keyplan charts, drawn with the vendored Apache ECharts.

   A page asks for a chart with data attributes (no inline script: the
   Content-Security-Policy allows none): data-chart names the kind, data-chart-data the
   json_script holding its data, data-currency the installation's currency. Names in
   tooltips (HTML in ECharts) go through escapeHtml (safe.js); ECharts' own default
   tooltips escape what they show. */

/* What every chart needs: its element, its data (a json_script), an ECharts instance
   that marks the element as drawn when it has finished (browser tests wait for that)
   and follows the window's size, and a number format. */
function keyplanChart(elementId, dataId) {
  var el = document.getElementById(elementId);
  var data = JSON.parse(document.getElementById(dataId).textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.on("finished", function () { el.dataset.rendered = "true"; });
  window.addEventListener("resize", function () { chart.resize(); });
  return { el: el, data: data, chart: chart,
           fmt: new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }) };
}
function keyplanStackedBars(elementId, dataId, currency) {
  var c = keyplanChart(elementId, dataId), el = c.el, data = c.data, chart = c.chart,
      fmt = c.fmt;
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
               valueFormatter: function (v) { return fmt.format(v) + " " + currency; } },
    legend: { type: "scroll", top: 0 },
    grid: { left: 70, right: 20, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return fmt.format(v); } } },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "revenue", data: s.data, emphasis: { focus: "series" } };
    })
  });
  return chart;
}

function keyplanPareto(elementId, dataId, currency) {
  var c = keyplanChart(elementId, dataId), el = c.el, data = c.data, chart = c.chart,
      fmt = c.fmt;
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["Revenue", "Cumulative share"] },
    grid: { left: 80, right: 70, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.names, axisLabel: { show: false } },
    yAxis: [
      { type: "value", axisLabel: { formatter: function (v) { return fmt.format(v); } } },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
    ],
    series: [
      { name: "Revenue", type: "bar", data: data.revenue.map(function (v, i) {
          return { value: v, itemStyle: { color: data.core[i] ? "#1f5fbf" : "#9fb7dd" } };
        }),
        tooltip: { valueFormatter: function (v) { return fmt.format(v) + " " + currency; } } },
      { name: "Cumulative share", type: "line", yAxisIndex: 1, data: data.cumulative,
        symbol: "none", tooltip: { valueFormatter: function (v) { return v + "%"; } },
        markLine: { symbol: "none", label: { formatter: "{c}%", position: "insideEndTop" },
                    lineStyle: { type: "dashed", color: "#b42318" },
                    data: [{ yAxis: data.threshold }] } }
    ]
  });
  return chart;
}

/* The white-space heatmap. A cell says what it is in words: a white-space cell its
   probability of being bought within the horizon, its expected value and why (once the
   model has learned), a pipeline cell its stage. Pointing at a cell shows that in a
   tooltip; a tap or click also writes it under the chart (the element named by
   data-detail), where a phone, which cannot point, keeps it. */
function keyplanWhiteSpace(elementId, dataId, currency) {
  var c = keyplanChart(elementId, dataId), el = c.el, data = c.data, chart = c.chart,
      fmt = c.fmt;
  var detail = el.dataset.detail ? document.getElementById(el.dataset.detail) : null;
  var max = Math.max.apply(null, data.white.map(function (c) { return c.value[2]; }).concat([1]));
  var money = function (v) { return escapeHtml(fmt.format(v) + " " + currency); };
  function describe(p) {
    var cell = p.data || {}, value = p.value[2];
    var lines = ["<strong>" + escapeHtml(data.accounts[p.value[1]]) + "</strong>",
                 escapeHtml(data.items[p.value[0]])];
    if (p.seriesIndex === 1) {
      lines.push("Owned: " + money(value) + " bought in the window");
    } else if (p.seriesIndex === 2) {
      lines.push("In pipeline" + (cell.stage ? " (" + escapeHtml(cell.stage) + ")" : "") +
                 ": " + money(value) + " open");
    } else if (cell.probability != null) {
      lines.push("White space: " + escapeHtml(Math.round(cell.probability * 100)) +
                 "% likely to buy it within " + escapeHtml(data.horizon) +
                 " months, expected " + money(value) + " in the first year");
      if (cell.why) { lines.push(escapeHtml(cell.why)); }
    } else {
      lines.push("White space: " + money(value) +
                 " (the share of similar accounts that buy it × their typical spend)");
    }
    return lines.join("<br>");
  }
  function inSight(point, _params, _dom, _rect, size) {
    var box = el.parentElement, left = box.scrollLeft, right = left + box.clientWidth;
    var w = size.contentSize[0], h = size.contentSize[1], gap = 12;
    var x = point[0] + gap + w <= right ? point[0] + gap : point[0] - gap - w;
    var y = point[1] + gap + h <= size.viewSize[1] ? point[1] + gap : point[1] - gap - h;
    return [Math.max(left, Math.min(x, right - w)), Math.max(0, y)];
  }
  chart.setOption({
    animation: false,
    /* A long reason wraps, and the tooltip stays in the part of the chart in sight: on a
       phone the chart is wider than the screen and scrolls inside its card. */
    tooltip: { formatter: describe, position: inSight,
               extraCssText: "max-width: min(22em, 80vw); white-space: normal;" },
    /* containLabel: the grid leaves room for the rotated product names, so the colour
       scale below them never lies on top of them. */
    grid: { left: 10, right: 30, top: 30, bottom: 60, containLabel: true },
    xAxis: { type: "category", data: data.items, axisLabel: { rotate: 40, interval: 0 } },
    yAxis: { type: "category", data: data.accounts, inverse: true,
             axisLabel: { width: 200, overflow: "truncate" } },
    visualMap: { min: 0, max: max, seriesIndex: 0, dimension: 2, orient: "horizontal",
                 left: "center", bottom: 0, calculable: true,
                 inRange: { color: ["#fff4e0", "#e8590c"] },
                 formatter: function (v) { return fmt.format(v) + " " + currency; },
                 text: ["more white space", "less"] },
    series: [
      { name: "white space", type: "heatmap", data: data.white },
      { name: "owned", type: "heatmap", data: data.owned, itemStyle: { color: "#2f9e44" } },
      { name: "in pipeline", type: "heatmap", data: data.pipeline, itemStyle: { color: "#1f5fbf" } }
    ]
  });
  if (detail) {
    chart.on("click", function (p) {
      if (p.componentType === "series") { detail.innerHTML = describe(p); }
    });
  }
  return chart;
}

var KEYPLAN_CHARTS = {
  "stacked-bars": keyplanStackedBars, pareto: keyplanPareto, whitespace: keyplanWhiteSpace
};

/* Draw every chart the page asks for (and any that htmx brings in later). */
function keyplanDrawCharts() {
  document.querySelectorAll("[data-chart]:not([data-chart-drawn])").forEach(function (el) {
    el.dataset.chartDrawn = "true";
    KEYPLAN_CHARTS[el.dataset.chart](el.id, el.dataset.chartData, el.dataset.currency || "");
  });
}
keyplanDrawCharts();
document.addEventListener("htmx:afterSettle", keyplanDrawCharts);
