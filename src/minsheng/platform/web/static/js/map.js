/* Site maps (templates/_map.html): polygons drawn with Apache ECharts from GeoJSON
 * (lon/lat), no tiles.
 *
 * <div class="eco-map" data-src="/api/v1/ecology/features"> ... </div>    all layers
 * <div class="eco-map" data-features-id="site-geo"> ... </div>              inline JSON
 * <div class="eco-map" data-draw-target="f-geometry"> ... </div>            draw a polygon
 *
 * Each feature carries properties {id, layer, name, detail, href, region, area_ha}. A legend with
 * check boxes (data-layers) shows and hides layers; a click on a polygon opens its page.
 * data-outlines-id names inline outlines drawn beneath the sites (layer "district": a dashed,
 * labelled outline). A scale bar (.eco-scale) follows zoom and pan: a round length (1, 2 or
 * 5 × 10ⁿ metres) measured on the ground at the centre of the view.
 */
(function () {
  "use strict";

  var COLOURS = {
    zone: ["rgba(46, 160, 67, .22)", "#2ea043"],
    land: ["rgba(214, 170, 40, .45)", "#b8860b"],
    sand: ["rgba(142, 102, 201, .5)", "#6f42c1"],
    mine_operating: ["rgba(208, 72, 54, .75)", "#a1281b"],
    mine_suspended: ["rgba(230, 126, 34, .75)", "#b35c00"],
    mine_closed: ["rgba(110, 118, 129, .75)", "#4b535d"],
    mine_abandoned: ["rgba(150, 96, 60, .75)", "#6d4424"],
    restored: ["rgba(32, 134, 88, .8)", "#155d3b"],
    green: ["rgba(76, 175, 80, .75)", "#2e7d32"],
    stack: ["rgba(52, 112, 196, .75)", "#1d4f91"],
    site: ["rgba(33, 99, 176, .35)", "#1a4f8f"],
    overlap: ["rgba(46, 160, 67, .22)", "#2ea043"],
    draft: ["rgba(240, 160, 40, .35)", "#d97706"],
    district: ["rgba(29, 107, 74, .04)", "#1d6b4a", "dashed"],
    extent: ["rgba(0, 0, 0, 0)", "rgba(0, 0, 0, 0)"]
  };
  var EARTH_RADIUS_M = 6371008.8;
  var serial = 0;

  function colour(layer) {
    return COLOURS[layer] || COLOURS.site;
  }

  function visible(collection, hidden) {
    return {
      type: "FeatureCollection",
      features: collection.features.filter(function (f) {
        return !hidden[f.properties.layer];
      })
    };
  }

  function centreLatitude(collection) {
    var sum = 0, n = 0;
    collection.features.forEach(function (f) {
      var rings = f.geometry.type === "Polygon" ? [f.geometry.coordinates[0]]
        : f.geometry.coordinates.map(function (p) { return p[0]; });
      rings.forEach(function (ring) {
        ring.forEach(function (pt) { sum += pt[1]; n += 1; });
      });
    });
    return n ? sum / n : 30;
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function render(el, chart, collection, hidden, extraSeries) {
    var shown = visible(collection, hidden);
    var name = el.dataset.mapName;
    shown.features.forEach(function (f) { f.properties.name = f.properties.id; });
    if (!shown.features.length) {
      shown = {type: "FeatureCollection", features: []};
    }
    echarts.registerMap(name, shown);
    var regions = shown.features.map(function (f) {
      var c = colour(f.properties.layer);
      if (c[2]) {  // an outline: dashed, labelled, barely filled, even under the pointer
        var text = {show: true, formatter: String(f.properties.label || ""), color: c[1],
                    fontSize: 13, fontWeight: 600};
        return {
          name: f.properties.id,
          itemStyle: {areaColor: c[0], borderColor: c[1], borderWidth: 1.5, borderType: c[2]},
          label: text,
          emphasis: {itemStyle: {areaColor: c[0], borderColor: c[1], borderWidth: 2,
                                 borderType: c[2]}, label: text}
        };
      }
      return {
        name: f.properties.id,
        itemStyle: {areaColor: c[0], borderColor: c[1], borderWidth: 1},
        emphasis: {itemStyle: {areaColor: c[1], borderColor: "#0f2f57", borderWidth: 1.5},
                   label: {show: false}}
      };
    });
    var lat = centreLatitude(shown.features.length ? shown : collection);
    var option = {
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (p) {
          var f = byId[p.name];
          if (!f) return "";
          var props = f.properties;
          return "<strong>" + escapeHtml(props.label || props.name) + "</strong><br>" +
            escapeHtml(props.detail || "") +
            (props.area_ha != null ? "<br>面积 " + Number(props.area_ha).toLocaleString("zh-CN") +
              " 公顷" : "");
        }
      },
      geo: {
        map: name,
        roam: true,
        aspectScale: Math.cos(lat * Math.PI / 180),
        scaleLimit: {min: 0.5, max: 400},
        zoom: 1,
        layoutCenter: ["50%", "50%"],
        layoutSize: "94%",
        itemStyle: {areaColor: "#dfe6ee", borderColor: "#8aa0b8"},
        label: {show: false},
        emphasis: {label: {show: false}},
        select: {disabled: true},
        regions: regions
      },
      series: extraSeries || []
    };
    var byId = {};
    shown.features.forEach(function (f) { byId[f.properties.id] = f; });
    chart.setOption(option, true);
    el.dataset.renderedFeatures = String(shown.features.length);
  }

  function keepLabels(collection) {
    collection.features.forEach(function (f, i) {
      var p = f.properties = f.properties || {};
      if (!p.id) p.id = "f" + i;
      if (p.label == null) p.label = p.name;
      if (!p.layer) p.layer = "site";
    });
    return collection;
  }

  function legend(el, collection, hidden, redraw) {
    var box = el.parentElement.querySelector("[data-layers]");
    if (!box) return;
    var labels = JSON.parse(box.dataset.layers || "{}");
    var counts = {};
    collection.features.forEach(function (f) {
      counts[f.properties.layer] = (counts[f.properties.layer] || 0) + 1;
    });
    box.innerHTML = "";
    Object.keys(labels).forEach(function (layer) {
      if (!counts[layer]) return;
      var c = colour(layer);
      var label = document.createElement("label");
      label.className = "eco-legend-item";
      label.innerHTML = '<input type="checkbox" checked data-layer="' + layer + '">' +
        '<span class="eco-swatch" style="background:' + c[0] + ";border-color:" + c[1] +
        (c[2] ? ";border-style:" + c[2] : "") + '"></span>' + escapeHtml(labels[layer]) +
        ' <span class="muted">' + counts[layer] + "</span>";
      box.appendChild(label);
    });
    box.addEventListener("change", function (event) {
      var input = event.target;
      if (!(input instanceof HTMLInputElement)) return;
      hidden[input.dataset.layer] = !input.checked;
      redraw();
    });
  }

  function groundDistance(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function roundLength(metres) {
    var power = Math.pow(10, Math.floor(Math.log(metres) / Math.LN10));
    var best = power;
    [1, 2, 5].forEach(function (n) { if (n * power <= metres) best = n * power; });
    return best;
  }

  function scaleBar(el, chart) {
    var box = el.querySelector(".eco-scale");
    if (!box) return;
    var x = chart.getWidth() / 2, y = chart.getHeight() / 2, span = 100;
    var a = chart.convertFromPixel("geo", [x - span / 2, y]);
    var b = chart.convertFromPixel("geo", [x + span / 2, y]);
    var metres = a && b ? groundDistance(a, b) : NaN;
    if (!isFinite(metres) || metres <= 0) {
      box.hidden = true;
      return;
    }
    var perPixel = metres / span;
    var length = roundLength(perPixel * 120);
    var pixels = Math.round(length / perPixel);
    box.querySelector(".eco-scale-bar").style.width = pixels + "px";
    box.querySelector(".eco-scale-label").textContent =
      length >= 1000 ? (length / 1000) + " 公里" : length + " 米";
    box.dataset.metres = String(length);
    box.dataset.pixels = String(pixels);
    box.hidden = false;
  }

  function drawPad(el, chart, collection, hidden) {
    var target = document.getElementById(el.dataset.drawTarget);
    var points = [];
    var scope = el.closest(".geo-field") || document;
    var status = scope.querySelector("[data-draw-status]");
    function series() {
      var closed = points.length > 2 ? points.concat([points[0]]) : points;
      return [
        {type: "lines", coordinateSystem: "geo", polyline: true, silent: true,
         lineStyle: {color: "#d97706", width: 2}, data: closed.length > 1 ? [{coords: closed}] : []},
        {type: "scatter", coordinateSystem: "geo", silent: true, symbolSize: 7,
         itemStyle: {color: "#d97706", borderColor: "#fff", borderWidth: 1}, data: points}
      ];
    }
    function say(text) { if (status) status.textContent = text; }
    function redraw() { chart.setOption({series: series()}); }
    chart.getZr().on("click", function (e) {
      if (!el.classList.contains("is-drawing")) return;
      var pt = chart.convertFromPixel("geo", [e.offsetX, e.offsetY]);
      if (!pt) return;
      points.push([Math.round(pt[0] * 1e7) / 1e7, Math.round(pt[1] * 1e7) / 1e7]);
      redraw();
      say("已取 " + points.length + " 个顶点" + (points.length > 2 ? "，可点“完成”" : ""));
    });
    var tools = scope.querySelector("[data-draw-tools]");
    if (!tools) return;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-draw]");
      if (!button) return;
      event.preventDefault();
      var action = button.dataset.draw;
      if (action === "start") {
        points = [];
        el.classList.add("is-drawing");
        redraw();
        say("在图上依次点击多边形的顶点（可滚轮缩放、拖动平移）");
      } else if (action === "undo") {
        points.pop();
        redraw();
        say("已取 " + points.length + " 个顶点");
      } else if (action === "finish") {
        if (points.length < 3) { say("至少需要 3 个顶点"); return; }
        var ring = points.concat([points[0]]);
        target.value = JSON.stringify({type: "Polygon", coordinates: [ring]});
        el.classList.remove("is-drawing");
        target.dispatchEvent(new Event("input", {bubbles: true}));
        say("已写入 GeoJSON（" + points.length + " 个顶点），提交后由服务器校验并计算面积");
      } else if (action === "preview") {
        preview(el, chart, collection, hidden, target, say);
      }
    });
    target.addEventListener("input", function () {
      if (!el.classList.contains("is-drawing")) preview(el, chart, collection, hidden, target);
    });
  }

  function preview(el, chart, collection, hidden, target, say) {
    var parsed;
    try {
      parsed = JSON.parse(target.value);
    } catch (err) {
      if (say) say("GeoJSON 无法解析：" + err.message);
      return;
    }
    if (parsed && parsed.type === "Feature") parsed = parsed.geometry;
    if (!parsed || (parsed.type !== "Polygon" && parsed.type !== "MultiPolygon")) {
      if (say) say("应为 Polygon 或 MultiPolygon");
      return;
    }
    var withDraft = {type: "FeatureCollection", features: collection.features.concat([{
      type: "Feature", geometry: parsed,
      properties: {id: "draft", layer: "draft", name: "新绘制范围", label: "新绘制范围"}}])};
    render(el, chart, withDraft, hidden);
    if (say) say("已预览；提交后由服务器校验并计算面积");
  }

  function start(el) {
    if (typeof echarts === "undefined") return;
    serial += 1;
    el.dataset.mapName = "eco-map-" + serial;
    var canvas = el.querySelector(".eco-map-canvas") || el;
    var chart = echarts.init(canvas, null, {renderer: "canvas"});
    var hidden = {};
    function go(collection) {
      if (el.dataset.outlinesId) {
        var outlines = JSON.parse(document.getElementById(el.dataset.outlinesId).textContent);
        collection.features = outlines.features.concat(collection.features);
      }
      keepLabels(collection);
      var redraw = function () { render(el, chart, collection, hidden); };
      legend(el, collection, hidden, redraw);
      redraw();
      chart.on("click", function (params) {
        var f = collection.features.filter(function (x) { return x.properties.id === params.name; })[0];
        if (f && f.properties.href && !el.classList.contains("is-drawing")) {
          window.location.href = f.properties.href;
        }
      });
      if (el.dataset.drawTarget) drawPad(el, chart, collection, hidden);
      chart.on("finished", function () { scaleBar(el, chart); });
      scaleBar(el, chart);
      el.classList.add("is-ready");
      var reset = el.parentElement.querySelector("[data-map-reset]");
      if (reset) reset.addEventListener("click", function (e) { e.preventDefault(); redraw(); });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    if (el.dataset.featuresId) {
      go(JSON.parse(document.getElementById(el.dataset.featuresId).textContent));
    } else if (el.dataset.src) {
      fetch(el.dataset.src, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(go)
        .catch(function () { el.classList.add("is-failed"); });
    }
  }

  function fileToTextarea(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.geojsonTarget) {
      return;
    }
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var target = document.getElementById(input.dataset.geojsonTarget);
      target.value = String(reader.result || "");
      target.dispatchEvent(new Event("input", {bubbles: true}));
    };
    reader.readAsText(file, "utf-8");
  }

  document.addEventListener("change", fileToTextarea);
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".eco-map"), start);
  });
})();
