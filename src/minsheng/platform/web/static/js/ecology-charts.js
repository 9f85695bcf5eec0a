/* The districts' restoration ranking on the ecology summary page (Apache ECharts). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("rank-chart");
    var source = document.getElementById("rank-data");
    if (!el || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var rows = data.rows.slice().reverse();  // largest at the top
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption({
      animation: false,
      grid: {left: 8, right: 56, top: 8, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"},
                valueFormatter: function (v) { return Number(v).toLocaleString("zh-CN") + " 公顷"; }},
      xAxis: {type: "value", axisLabel: {color: "#6b7686"}, splitLine: {lineStyle: {color: "#edf0f4"}}},
      yAxis: {type: "category", data: rows.map(function (r) { return r.name; }),
              axisTick: {show: false}, axisLine: {lineStyle: {color: "#c9d1dc"}},
              axisLabel: {color: "#485466"}},
      series: [{
        type: "bar", barMaxWidth: 16,
        data: rows.map(function (r) {
          return {value: r.area, itemStyle: {color: r.region === data.current ? "#1d5e3b" : "#9cc9ae",
                                              borderRadius: [0, 3, 3, 0]}};
        }),
        label: {show: true, position: "right", color: "#485466", fontSize: 11,
                formatter: function (p) { return Number(p.value).toFixed(1); }}
      }]
    });
    el.dataset.rendered = String(rows.length);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
