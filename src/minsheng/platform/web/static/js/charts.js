/* The chart kit: draws every <div data-chart="KIND"> with Apache ECharts
 * (static/vendor/echarts.min.js, loaded before this file; both come from the
 * `scripts()` macro of templates/_charts.html).
 *
 * Markup (the `chart(id, kind, data, label, height)` macro writes it):
 *   <div id="ID" class="chart" data-chart="KIND" data-chart-data="ID-data"
 *        role="img" aria-label="…" style="height: 280px"></div>
 *   <script type="application/json" id="ID-data">{…}</script>
 *
 * JSON contract by KIND (build it with minsheng.platform.web.charts; every text is
 * shown as given, so write it in Chinese; numbers are plain JSON numbers, null = none):
 *   bar    {"categories": ["渝中区", …], "series": [{"name": "金额", "values": [1, …],
 *                                                 "color": "#2163b0"}, …],
 *           "horizontal": false, "stack": false, "unit": "元", "digits": 0}
 *          horizontal: categories down the side, the first one at the top (rankings);
 *          stack: the series stacked into one bar per category, labelled with its total.
 *   line   {"categories": ["2024", "2025", …], "series": [{"name": …, "values": […]}, …],
 *           "target": 95, "target_label": "目标", "unit": "%", "digits": 1}
 *          target (optional): a dashed horizontal line at that value.
 *   gauge  {"value": 96.5, "name": "参保率", "target": 95, "unit": "%", "min": 0,
 *           "max": 100, "digits": 1}
 *          value null shows “—”; the arc beyond the target is tinted and marked.
 *   pie    {"items": [{"name": "城镇", "value": 12, "color": "#1d7a47"}, …], "unit": "人",
 *           "digits": 0}
 *   "color" (optional, series and slices): overrides the palette.
 *   unit: written after a value (“%” directly, others after a space); digits: decimals.
 *
 * Once drawn the element carries data-rendered="N" (N = categories, slices or 1 for a
 * gauge). Charts resize with the window and with their container; no animation.
 */
(function () {
  "use strict";

  var PALETTE = ["#2163b0", "#1d7a47", "#d08a12", "#8a4fbb", "#0f8b8d", "#b42318", "#6b7686"];
  var TEXT = "#485466", MUTED = "#6b7686", GRID = "#edf0f4", AXIS = "#c9d1dc";
  var OK = "#1d7a47", BAD = "#b42318", TRACK = "#e8edf3", ZONE = "#d5ecdd";
  var charts = [];

  function suffix(unit) {
    if (!unit) return "";
    return unit === "%" ? "%" : " " + unit;
  }

  function format(value, digits, unit) {
    if (value === null || value === undefined || isNaN(Number(value))) return "—";
    return Number(value).toLocaleString("zh-CN", {
      minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0
    }) + suffix(unit);
  }

  /* Axis labels: large figures in 万 / 亿. */
  function compact(value) {
    var v = Number(value), a = Math.abs(v);
    if (a >= 1e8) return trim(v / 1e8) + "亿";
    if (a >= 1e4) return trim(v / 1e4) + "万";
    return v.toLocaleString("zh-CN", {maximumFractionDigits: 2});
  }

  /* A target is written without decimals when it is a whole number (目标 95%). */
  function whole(value, digits) { return Number.isInteger(Number(value)) ? 0 : digits; }

  function trim(v) { return v.toLocaleString("zh-CN", {maximumFractionDigits: 2}); }

  /* The next "nice" number at or above x (1, 2, 2.5, 5 × 10^n). */
  function niceCeil(x) {
    if (x <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(x)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= x) return steps[i] * p;
    return 10 * p;
  }

  function colour(s, i) { return s.color || PALETTE[i % PALETTE.length]; }

  function legend(d) {
    return d.series.length > 1
      ? {top: 0, left: "center", itemWidth: 12, itemHeight: 8, textStyle: {color: TEXT}}
      : {show: false};
  }

  /* A stacked bar's label: the sum of its series at that category. */
  function total(d, index) {
    return d.series.reduce(function (sum, s) { return sum + (Number(s.values[index]) || 0); }, 0);
  }

  /* Whether series `at` carries a stacked bar's label at `index`: the outermost segment
     with a figure (the last series where every segment is zero). */
  function outermost(d, at, index) {
    for (var j = d.series.length - 1; j > at; j--) {
      var v = d.series[j].values[index];
      if (v !== null && v !== undefined && Number(v) !== 0) return false;
    }
    var own = d.series[at].values[index];
    return (own !== null && own !== undefined && Number(own) !== 0) || at === d.series.length - 1;
  }

  function bar(d) {
    var horizontal = !!d.horizontal, several = d.series.length > 1;
    var categoryAxis = {
      type: "category", data: d.categories, inverse: horizontal,
      axisTick: {show: false}, axisLine: {lineStyle: {color: AXIS}},
      axisLabel: {color: TEXT, interval: 0, hideOverlap: !horizontal}
    };
    var valueAxis = {
      type: "value", minInterval: d.digits ? 0 : 1, axisLabel: {color: MUTED, formatter: compact},
      splitLine: {lineStyle: {color: GRID}}
    };
    return {
      legend: legend(d),
      grid: {left: 8, right: horizontal ? 72 : 16, top: several ? 32 : 16, bottom: 8,
             containLabel: true},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"},
                valueFormatter: function (v) { return format(v, d.digits, d.unit); }},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: d.series.map(function (s, i) {
        return {
          type: "bar", name: s.name, data: s.values, barMaxWidth: several && !d.stack ? 14 : 22,
          stack: d.stack ? "total" : undefined,
          itemStyle: {color: colour(s, i)},
          label: {show: true, position: horizontal ? "right" : "top",
                  color: TEXT, fontSize: 11,
                  formatter: function (p) {
                    if (!d.stack) return format(p.value, d.digits, "");
                    return outermost(d, i, p.dataIndex) ? format(total(d, p.dataIndex), d.digits, "") : "";
                  }}
        };
      })
    };
  }

  function line(d) {
    var hasTarget = d.target !== null && d.target !== undefined;
    var top = null;
    d.series.forEach(function (s) {
      s.values.forEach(function (v) { if (v !== null && (top === null || v > top)) top = v; });
    });
    var yAxis = {type: "value", minInterval: d.digits ? 0 : 1,
                 axisLabel: {color: MUTED, formatter: compact},
                 splitLine: {lineStyle: {color: GRID}}};
    if (hasTarget && (top === null || d.target >= top)) yAxis.max = niceCeil(d.target * 1.05);
    return {
      legend: legend(d),
      grid: {left: 8, right: 24, top: d.series.length > 1 ? 32 : 20, bottom: 8,
             containLabel: true},
      tooltip: {trigger: "axis",
                valueFormatter: function (v) { return format(v, d.digits, d.unit); }},
      xAxis: {type: "category", data: d.categories, boundaryGap: false,
              axisTick: {show: false}, axisLine: {lineStyle: {color: AXIS}},
              axisLabel: {color: TEXT, hideOverlap: true}},
      yAxis: yAxis,
      series: d.series.map(function (s, i) {
        var out = {type: "line", name: s.name, data: s.values, connectNulls: false,
                   symbol: "circle", symbolSize: 6,
                   itemStyle: {color: colour(s, i)}, lineStyle: {width: 2, color: colour(s, i)}};
        if (hasTarget && i === 0) {
          out.markLine = {
            silent: true, symbol: "none",
            lineStyle: {type: "dashed", color: BAD, width: 1.5},
            label: {position: "insideEndTop", color: BAD,
                    formatter: (d.target_label || "目标") + " " +
                               format(d.target, whole(d.target, d.digits), d.unit)},
            data: [{yAxis: d.target}]
          };
        }
        return out;
      })
    };
  }

  function gauge(d) {
    var min = d.min === null || d.min === undefined ? 0 : d.min;
    var max = d.max === null || d.max === undefined ? 100 : d.max;
    var hasValue = d.value !== null && d.value !== undefined;
    var hasTarget = d.target !== null && d.target !== undefined;
    var reached = hasValue && hasTarget && d.value >= d.target;
    var shared = {type: "gauge", min: min, max: max, startAngle: 210, endAngle: -30,
                  radius: "95%", center: ["50%", "60%"], splitNumber: 5};
    var at = hasTarget ? Math.min(Math.max((d.target - min) / (max - min), 0), 1) : 1;
    var dial = Object.assign({}, shared, {
      progress: {show: hasValue, width: 14, itemStyle: {
        color: hasTarget ? (reached ? OK : BAD) : PALETTE[0]}},
      axisLine: {lineStyle: {width: 14, color: hasTarget ? [[at, TRACK], [1, ZONE]] : [[1, TRACK]]}},
      axisTick: {show: false},
      splitLine: {distance: -14, length: 14, lineStyle: {color: "#fff", width: 2}},
      axisLabel: {distance: 18, color: MUTED, fontSize: 10},
      pointer: {show: false}, anchor: {show: false},
      title: {offsetCenter: [0, "74%"], color: MUTED, fontSize: 12},
      detail: {offsetCenter: [0, "8%"], fontSize: 24, fontWeight: 600, color: TEXT,
               formatter: function () { return hasValue ? format(d.value, d.digits, d.unit) : "—"; }},
      data: [{value: hasValue ? d.value : min,
              name: d.name + (hasTarget ? "（目标 " + format(d.target, whole(d.target, d.digits), d.unit) + "）" : "")}]
    });
    var series = [dial];
    if (hasTarget) {
      series.push(Object.assign({}, shared, {
        axisLine: {show: false}, axisTick: {show: false}, splitLine: {show: false},
        axisLabel: {show: false}, progress: {show: false}, anchor: {show: false},
        title: {show: false}, detail: {show: false},
        pointer: {icon: "rect", length: "18%", width: 3, offsetCenter: [0, "-70%"],
                  itemStyle: {color: BAD}},
        data: [{value: d.target}]
      }));
    }
    return {series: series};
  }

  function pie(d) {
    return {
      color: PALETTE,
      legend: {bottom: 0, left: "center", itemWidth: 12, itemHeight: 8, textStyle: {color: TEXT}},
      tooltip: {trigger: "item", formatter: function (p) {
        return p.name + "：" + format(p.value, d.digits, d.unit) + "（" + p.percent + "%）";
      }},
      series: [{type: "pie", radius: ["38%", "66%"], center: ["50%", "45%"],
                data: d.items.map(function (item) {
                  return item.color ? {name: item.name, value: item.value,
                                       itemStyle: {color: item.color}} : item;
                }),
                label: {color: TEXT, formatter: "{b}\n{d}%"}}]
    };
  }

  var KINDS = {bar: bar, line: line, gauge: gauge, pie: pie};

  function count(kind, d) {
    if (kind === "gauge") return 1;
    if (kind === "pie") return d.items.length;
    return d.categories.length;
  }

  function draw(el) {
    if (el.dataset.rendered) return;
    var kind = el.dataset.chart, build = KINDS[kind];
    var source = document.getElementById(el.dataset.chartData || el.id + "-data");
    if (!build || !source) return;
    var data = JSON.parse(source.textContent);
    var option = build(data);
    option.animation = false;
    option.textStyle = {fontFamily: getComputedStyle(document.body).fontFamily};
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(option);
    charts.push(chart);
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    }
    el.dataset.rendered = String(count(kind, data));
  }

  function drawWithin(root) {
    if (typeof echarts === "undefined" || !root || !root.querySelectorAll) return;
    if (root.matches && root.matches("[data-chart]")) draw(root);
    Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawWithin(document.body); });
  // Content an HTMX swap brings (the payroll result fragment polls until the run ends).
  document.addEventListener("htmx:load", function (event) { drawWithin(event.target); });
  window.addEventListener("resize", function () {
    charts = charts.filter(function (chart) {
      if (chart.isDisposed() || !document.body.contains(chart.getDom())) {
        if (!chart.isDisposed()) chart.dispose();
        return false;
      }
      chart.resize();
      return true;
    });
  });
})();
