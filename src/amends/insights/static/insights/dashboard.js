// Draws each dashboard card's chart from the figures the server put beside it (json_script), with ECharts,
// as each panel of cards arrives.
// Counts on the left axis, rates (0–1) on the right as percentages; a Pareto bar opens the cases behind it.
(function () {
  "use strict";
  var palette = ["#1f5f99", "#23794a", "#9a6200", "#b3261e", "#6a4c93", "#2a9d8f"];

  function percent(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }

  function option(spec, width) {
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
    // Long names turn steeper as each bar's slot narrows (a phone gives 15 bars ~20 px each), and any that
    // would still touch are hidden rather than drawn over each other (the table below names them all).
    var slot = (width - 92) / Math.max(1, spec.x.length);
    var rotate = slot >= 70 ? 0 : slot >= 36 ? 40 : 90;
    return {
      animation: false,
      color: palette,
      grid: { left: 44, right: hasRate ? 48 : 16, top: 36, bottom: longLabels ? (rotate ? 84 : 40) : 28, containLabel: false },
      legend: { top: 0, type: "scroll", textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", confine: true },
      xAxis: {
        type: "category",
        data: spec.x,
        axisLabel: longLabels
          ? { interval: 0, rotate: rotate, fontSize: 10, width: rotate ? 76 : Math.max(40, slot - 6), overflow: "truncate", hideOverlap: true }
          : { fontSize: 10 }
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
      chart.setOption(option(spec, el.clientWidth || 600));
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
