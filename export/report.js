// heaptrace's html report: draws the growth chart from the data embedded
// in the page (zoom: drag across it, or the mouse wheel; double-click or
// "Reset zoom" to see the whole run) and sorts tables by a click on their
// headers. It loads nothing: the page works from a file, offline.
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
  var OTHER = "#c8c8c8";
  var HEIGHT = 380;
  var MARGIN = { left: 76, right: 24, top: 24, bottom: 40 };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // bytes as analyze.Bytes writes them: 512 B, 1.5 KiB, 3.92 MiB
  function fmtBytes(n) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var v = Math.abs(n), i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    var s = i === 0 ? String(v) : String(parseFloat(v.toFixed(2)));
    return (n < 0 ? "-" : "") + s + " " + units[i];
  }
  function fmtCount(n) { return Math.round(n).toLocaleString("en-US"); }
  function fmtShortCount(v) {
    var units = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(v) >= units[i][0]) return String(parseFloat((v / units[i][0]).toPrecision(6))) + units[i][1];
    }
    return String(parseFloat(v.toPrecision(6)));
  }

  // about five ticks at 1, 2, 2.5 or 5 times a power of ten of unit
  function ticks(lo, hi, unit) {
    if (!(hi > lo)) return [lo];
    var raw = (hi - lo) / unit / 5;
    var pow = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = pow;
    var ms = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < ms.length; i++) { if (ms[i] * pow >= raw) { step = ms[i] * pow; break; } }
    step *= unit;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
    return out;
  }
  function byteUnit(max) {
    var us = [[1073741824, "GiB"], [1048576, "MiB"], [1024, "KiB"]];
    for (var i = 0; i < us.length; i++) if (max >= 2 * us[i][0]) return us[i];
    return [1, "B"];
  }

  // the first index of sorted xs whose value is >= x
  function lowerBound(xs, x, key) {
    var lo = 0, hi = xs.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (key(xs[mid]) < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function Chart(root, data) {
    this.root = root;
    this.data = data;
    this.full = [0, Math.max(data.events, 1)];
    this.view = this.full.slice();
    // cumulative sums of the stacked series, bottom first
    this.cum = [];
    for (var k = 0; k < data.series.length; k++) {
      var row = data.series[k].bytes.slice();
      if (k > 0) for (var i = 0; i < row.length; i++) row[i] += this.cum[k - 1][i];
      this.cum.push(row);
    }
    this.svg = el("svg", { "class": "chart", role: "img", "aria-label": "requested bytes over the run" }, root);
    this.tip = document.createElement("div");
    this.tip.className = "tip";
    this.tip.hidden = true;
    root.appendChild(this.tip);
    this.legend();
    this.listen();
    this.render();
  }

  Chart.prototype.color = function (k) {
    return this.data.series[k].name === "other" ? OTHER : PALETTE[k % PALETTE.length];
  };

  Chart.prototype.legend = function () {
    var box = document.getElementById("chart-legend");
    if (!box) return;
    var add = function (color, name, line) {
      var item = document.createElement("span");
      item.className = "key";
      var sw = document.createElement("i");
      sw.className = line ? "swatch line" : "swatch";
      sw.style.background = color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(name));
      box.appendChild(item);
    };
    add("#000", "total", true);
    for (var k = this.data.series.length - 1; k >= 0; k--) add(this.color(k), this.data.series[k].name, false);
  };

  Chart.prototype.scales = function () {
    var w = Math.max(this.root.clientWidth, 320);
    var v = this.view, d = this.data, cum = this.cum;
    var ymax = 0;
    var i0 = Math.max(lowerBound(d.total, v[0], function (p) { return p[0]; }) - 1, 0);
    for (var i = i0; i < d.total.length; i++) {
      ymax = Math.max(ymax, d.total[i][1]);
      if (d.total[i][0] > v[1]) break;
    }
    if (cum.length > 0) {
      var top = cum[cum.length - 1];
      for (var j = 0; j < d.grid.length; j++) {
        if (d.grid[j] >= v[0] && d.grid[j] <= v[1]) ymax = Math.max(ymax, top[j]);
      }
    }
    ymax = Math.max(ymax * 1.12, 1);
    var pw = w - MARGIN.left - MARGIN.right, ph = HEIGHT - MARGIN.top - MARGIN.bottom;
    return {
      w: w, ymax: ymax,
      x: function (s) { return MARGIN.left + (s - v[0]) / (v[1] - v[0]) * pw; },
      y: function (b) { return MARGIN.top + ph - b / ymax * ph; },
      seq: function (px) { return v[0] + (px - MARGIN.left) / pw * (v[1] - v[0]); }
    };
  };

  Chart.prototype.render = function () {
    var svg = this.svg, d = this.data, v = this.view;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var s = this.scales();
    this.s = s;
    svg.setAttribute("width", s.w);
    svg.setAttribute("height", HEIGHT);
    svg.setAttribute("viewBox", "0 0 " + s.w + " " + HEIGHT);
    var defs = el("defs", {}, svg);
    var clip = el("clipPath", { id: "plot-area" }, defs);
    el("rect", { x: MARGIN.left, y: MARGIN.top, width: s.w - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom }, clip);

    // axes and grid
    var axes = el("g", { "class": "axes" }, svg);
    var unit = byteUnit(s.ymax);
    ticks(0, s.ymax, unit[0]).forEach(function (b) {
      el("line", { x1: MARGIN.left, x2: s.w - MARGIN.right, y1: s.y(b), y2: s.y(b), "class": "grid" }, axes);
      var t = el("text", { x: MARGIN.left - 6, y: s.y(b) + 4, "text-anchor": "end" }, axes);
      t.textContent = b === 0 ? "0" : String(parseFloat((b / unit[0]).toPrecision(6))) + " " + unit[1];
    });
    ticks(v[0], v[1], 1).forEach(function (q) {
      el("line", { x1: s.x(q), x2: s.x(q), y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, "class": "grid" }, axes);
      var t = el("text", { x: s.x(q), y: HEIGHT - MARGIN.bottom + 16, "text-anchor": "middle", "class": "xtick" }, axes);
      t.textContent = fmtShortCount(q);
    });
    var xl = el("text", { x: (MARGIN.left + s.w - MARGIN.right) / 2, y: HEIGHT - 6, "text-anchor": "middle", "class": "label" }, axes);
    xl.textContent = "event";

    var plotArea = el("g", { "clip-path": "url(#plot-area)" }, svg);
    // stacked areas, the highest first so that the lower ones cover it
    var lo = Math.max(lowerBound(d.grid, v[0], Number) - 1, 0);
    var hi = Math.min(lowerBound(d.grid, v[1], Number) + 1, d.grid.length);
    for (var k = this.cum.length - 1; k >= 0; k--) {
      var row = this.cum[k];
      if (hi - lo < 1) break;
      var path = "M" + s.x(d.grid[lo]) + "," + s.y(0);
      for (var i = lo; i < hi; i++) path += "L" + s.x(d.grid[i]) + "," + s.y(row[i]);
      path += "L" + s.x(d.grid[hi - 1]) + "," + s.y(0) + "Z";
      el("path", { d: path, fill: this.color(k), "class": "area", "data-type": d.series[k].name }, plotArea);
    }
    // the total, exact at its extremes
    if (d.total.length > 0) {
      var t0 = Math.max(lowerBound(d.total, v[0], function (p) { return p[0]; }) - 1, 0);
      var t1 = Math.min(lowerBound(d.total, v[1], function (p) { return p[0]; }) + 1, d.total.length);
      var line = "";
      for (var j = t0; j < t1; j++) line += (j === t0 ? "M" : "L") + s.x(d.total[j][0]) + "," + s.y(d.total[j][1]);
      el("path", { d: line, "class": "total" }, plotArea);
    }
    // the peak
    if (d.peak_seq >= v[0] && d.peak_seq <= v[1] && d.peak_seq > 0) {
      var px = s.x(d.peak_seq), py = s.y(d.peak_bytes);
      el("circle", { cx: px, cy: py, r: 4.5, "class": "peak" }, svg);
      var right = px > s.w * 0.6;
      var lab = el("text", { x: right ? px - 8 : px + 8, y: py - 8, "text-anchor": right ? "end" : "start", "class": "peak-label" }, svg);
      lab.textContent = "peak " + fmtBytes(d.peak_bytes) + " at event " + fmtCount(d.peak_seq);
    }
    this.sel = el("rect", { x: 0, y: MARGIN.top, width: 0, height: HEIGHT - MARGIN.top - MARGIN.bottom, "class": "selection", visibility: "hidden" }, svg);
    this.overlay = el("rect", { x: MARGIN.left, y: MARGIN.top, width: s.w - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom, "class": "overlay" }, svg);
    var range = document.getElementById("chart-range");
    if (range) range.textContent = "events " + fmtCount(Math.max(v[0], 1)) + " to " + fmtCount(v[1]);
  };

  // zoom shows events a..b (clamped to the run, at least 10 events wide)
  Chart.prototype.zoom = function (a, b) {
    var lo = Math.max(Math.min(a, b), this.full[0]), hi = Math.min(Math.max(a, b), this.full[1]);
    if (hi - lo < 10) {
      var mid = (lo + hi) / 2;
      lo = Math.max(mid - 5, this.full[0]);
      hi = Math.min(lo + 10, this.full[1]);
    }
    this.view = [lo, hi];
    this.render();
  };

  Chart.prototype.reset = function () { this.view = this.full.slice(); this.render(); };

  Chart.prototype.listen = function () {
    var self = this, start = null;
    var localX = function (ev) { return ev.clientX - self.svg.getBoundingClientRect().left; };
    this.svg.addEventListener("mousedown", function (ev) {
      if (ev.button !== 0) return;
      start = localX(ev);
      ev.preventDefault();
    });
    window.addEventListener("mousemove", function (ev) {
      if (start === null) { self.hover(ev); return; }
      var x = localX(ev);
      self.sel.setAttribute("visibility", "visible");
      self.sel.setAttribute("x", Math.min(start, x));
      self.sel.setAttribute("width", Math.abs(x - start));
    });
    window.addEventListener("mouseup", function (ev) {
      if (start === null) return;
      var x = localX(ev), a = start;
      start = null;
      self.sel.setAttribute("visibility", "hidden");
      if (Math.abs(x - a) > 4) self.zoom(self.s.seq(a), self.s.seq(x));
    });
    this.svg.addEventListener("dblclick", function () { self.reset(); });
    this.svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var at = self.s.seq(localX(ev)), f = ev.deltaY < 0 ? 0.8 : 1.25;
      self.zoom(at - (at - self.view[0]) * f, at + (self.view[1] - at) * f);
    }, { passive: false });
    this.svg.addEventListener("mouseleave", function () { self.tip.hidden = true; });
    window.addEventListener("resize", function () { self.render(); });
    var reset = document.getElementById("chart-reset");
    if (reset) reset.addEventListener("click", function () { self.reset(); });
  };

  // hover shows the total and the types at the event under the pointer
  Chart.prototype.hover = function (ev) {
    var d = this.data, r = this.svg.getBoundingClientRect();
    var x = ev.clientX - r.left, y = ev.clientY - r.top;
    if (x < MARGIN.left || x > r.width - MARGIN.right || y < MARGIN.top || y > HEIGHT - MARGIN.bottom || d.total.length === 0) {
      this.tip.hidden = true;
      return;
    }
    var seq = this.s.seq(x);
    var i = Math.min(Math.max(lowerBound(d.total, seq, function (p) { return p[0]; }) - 1, 0), d.total.length - 1);
    var lines = ["event " + fmtCount(d.total[i][0]) + ": " + fmtBytes(d.total[i][1]) + " in all"];
    if (d.grid.length > 0) {
      var g = Math.min(Math.max(lowerBound(d.grid, seq, Number) - 1, 0), d.grid.length - 1);
      lines.push("types at event " + fmtCount(d.grid[g]) + ":");
      for (var k = d.series.length - 1; k >= 0; k--) {
        if (d.series[k].bytes[g] > 0) lines.push("  " + d.series[k].name + " " + fmtBytes(d.series[k].bytes[g]));
      }
    }
    this.tip.textContent = lines.join("\n");
    this.tip.hidden = false;
    this.tip.style.left = Math.min(x + 14, r.width - 220) + "px";
    this.tip.style.top = (y + 14) + "px";
  };

  // sortable tables: a click on a header sorts by that column (numbers by
  // their data-v value), a second click reverses
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var desc = th.getAttribute("aria-sort") !== "descending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", desc ? "descending" : "ascending");
        var key = function (row) {
          var c = row.cells[col];
          var v = c.getAttribute("data-v");
          return v === null ? c.textContent : Number(v);
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return desc ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var root = document.getElementById("chart");
  if (root) window.heaptraceChart = new Chart(root, data);
  document.querySelectorAll("table.sortable").forEach(sortable);
})();
