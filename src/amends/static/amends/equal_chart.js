/* The equal-treatment chart: grant, on-the-spot and approval rates per customer segment (ECharts, offline). */
(function () {
  var node = document.getElementById("equal-chart");
  var source = document.getElementById("equal-chart-data");
  if (!node || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(node, null, { renderer: "svg" });
  var colours = ["#1f5f99", "#23794a", "#9a6200"];
  chart.setOption({
    animation: false,
    color: colours,
    grid: { left: 40, right: 16, top: 40, bottom: 28 },
    legend: { top: 0, type: "scroll", data: data.names },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    xAxis: { type: "category", data: data.segments, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.names[0], type: "bar", data: data.grant },
      { name: data.names[1], type: "bar", data: data.on_the_spot },
      { name: data.names[2], type: "bar", data: data.approval },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
