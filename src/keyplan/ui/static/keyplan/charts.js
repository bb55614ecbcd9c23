/* keyplan charts, drawn with the vendored Apache ECharts. */
function keyplanStackedBars(elementId, dataId, currency) {
  var el = document.getElementById(elementId);
  var data = JSON.parse(document.getElementById(dataId).textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  // Marks the chart as drawn (browser tests wait for it).
  chart.on("finished", function () { el.dataset.rendered = "true"; });
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
  window.addEventListener("resize", function () { chart.resize(); });
  return chart;
}
