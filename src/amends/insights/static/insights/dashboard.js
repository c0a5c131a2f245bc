// Draws each dashboard card's chart from the figures the server put beside it (json_script), with ECharts,
// as each panel of cards arrives.
// Counts on the left axis, rates (0–1) on the right as percentages; a Pareto bar opens the cases behind it.
(function () {
  "use strict";
  var palette = ["#1f5f99", "#23794a", "#9a6200", "#b3261e", "#6a4c93", "#2a9d8f"];

  function percent(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }

  function option(spec) {
    var hasRate = spec.series.some(function (s) { return s.rate; });
    var yAxis = [{ type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef2f6" } } }];
    if (hasRate) {
      yAxis.push({ type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } }, splitLine: { show: false } });
    }
    var series = spec.series.map(function (s, i) {
      var asBar = spec.kind === "pareto" || spec.kind === "bar" ? !s.rate : false;
      return {
        name: s.name,
        type: asBar ? "bar" : "line",
        yAxisIndex: s.axis,
        data: s.data,
        smooth: false,
        symbolSize: 5,
        barMaxWidth: 36,
        itemStyle: { color: palette[i % palette.length] },
        lineStyle: s.rate ? { type: "dashed" } : undefined,
        tooltip: s.rate ? { valueFormatter: percent } : undefined
      };
    });
    var longLabels = spec.kind === "pareto" || spec.kind === "bar";
    return {
      animation: false,
      color: palette,
      grid: { left: 44, right: hasRate ? 48 : 16, top: 36, bottom: longLabels ? 72 : 28, containLabel: false },
      legend: { top: 0, type: "scroll", textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", confine: true },
      xAxis: {
        type: "category",
        data: spec.x,
        axisLabel: longLabels ? { interval: 0, rotate: 30, fontSize: 10, width: 90, overflow: "truncate" } : { fontSize: 10 }
      },
      yAxis: yAxis,
      series: series
    };
  }

  var charts = [];

  // Draws every chart not drawn yet: at load, and again as each panel arrives (htmx swaps it in).
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]:not([data-drawn])").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart"));
      if (!data) { return; }
      var spec = JSON.parse(data.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(spec));
      if (spec.kind === "pareto" && spec.drill) {
        var card = el.closest(".insight");
        chart.on("click", function (params) {
          var links = card.querySelectorAll(".figtable tbody a");
          if (links[params.dataIndex]) { window.location.href = links[params.dataIndex].href; }
        });
      }
      el.setAttribute("data-drawn", "true");
      charts.push(chart);
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
