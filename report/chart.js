// Draws every <svg class="chart"> from the JSON in #report-data, then marks it data-drawn="true".
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const NS = "http://www.w3.org/2000/svg"; // the SVG namespace name, not a resource to load
  const WIDTH = 1000;
  const STATUS_COLORS = ["#0067c5", "#d47b00", "#06893a"];
  const PALETTE = ["#0067c5", "#d47b00", "#06893a", "#c30000", "#8269a2", "#8c5a3c", "#d6569e", "#5f6b77",
    "#a2a300", "#00a3b4", "#66a3e0", "#f0ad5c", "#6cc17f", "#f08a8a", "#b9a6d2", "#c9a27e", "#f2a6cf",
    "#a8b0b8", "#d4d46a", "#7fd1db"];
  const SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function el(parent, tag, attrs = {}, text = undefined) {
    const node = document.createElementNS(NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }
  const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const label = (item) => (item.label_en && item.label_en !== item.label_no
    ? `${item.label_no} (${item.label_en})` : item.label_no);

  // Round tick values from 0 to at least max: steps of 1, 2 or 5 times a power of ten.
  function ticks(max) {
    const raw = Math.max(max, 1) / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw));
    const count = Math.ceil(Math.max(max, 1) / step);
    return Array.from({ length: count + 1 }, (_, i) => i * step);
  }

  // Horizontal bars: one row per item, one bar per slot (status); null = suppressed, absent = not printed.
  function bars(svg, rows, slots, valueText = fmt) {
    const left = 330, right = 110, top = slots.length > 1 ? 34 : 8, barH = 14, rowGap = 14;
    const rowH = slots.length * (barH + 2) + rowGap;
    const height = top + rows.length * rowH + 24;
    const values = rows.flatMap((row) => Object.values(row.values)).filter((v) => v !== null);
    const tick = ticks(Math.max(0, ...values));
    const x = (v) => left + (v / tick.at(-1)) * (WIDTH - left - right);
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    const axis = el(svg, "g", { class: "axis" });
    for (const t of tick) {
      el(axis, "line", { class: "grid", x1: x(t), x2: x(t), y1: top - 4, y2: height - 20 });
      el(axis, "text", { x: x(t), y: height - 6, "text-anchor": "middle" }, fmt(t));
    }
    if (slots.length > 1) {
      slots.forEach((slot, i) => {
        el(svg, "rect", { class: "legend-swatch", x: left + i * 220, y: 4, width: 12, height: 12, fill: slot.color });
        el(svg, "text", { class: "legend", x: left + i * 220 + 18, y: 14 }, slot.label);
      });
    }
    let drawn = 0;
    rows.forEach((row, r) => {
      const y0 = top + r * rowH;
      const mid = y0 + (rowH - rowGap) / 2;
      el(svg, "text", { class: "row-label", x: left - 10, y: mid - 2, "text-anchor": "end" }, row.label_no);
      if (row.label_en && row.label_en !== row.label_no) {
        el(svg, "text", { class: "label-en", x: left - 10, y: mid + 12, "text-anchor": "end" }, row.label_en);
      }
      slots.forEach((slot, i) => {
        if (!(slot.code in row.values)) return;
        const value = row.values[slot.code];
        const y = y0 + i * (barH + 2);
        if (value === null) {
          el(svg, "text", { class: "suppressed", x: left + 4, y: y + barH - 3, "data-key": row.key }, "* (1–3)");
          return;
        }
        const bar = el(svg, "rect", { class: "bar", x: left, y, width: Math.max(1, x(value) - left), height: barH,
          fill: row.color || slot.color, "data-key": row.key, "data-status": slot.code, "data-value": value });
        el(bar, "title", {}, `${label(row)}${slot.label ? ", " + slot.label : ""}: ${fmt(value)}`);
        el(svg, "text", { class: "value", x: x(value) + 5, y: y + barH - 3 }, valueText(value));
        drawn += 1;
      });
    });
    svg.dataset.bars = drawn;
  }

  // One line per series over data.months; a null month breaks the line, every value gets a dot.
  function lines(svg, series) {
    const months = data.months, n = months.length;
    const left = 70, legendX = 720, top = 16, lineH = 18;
    const legendRows = series.reduce((sum, s) => sum + (s.label_en && s.label_en !== s.label_no ? 2 : 1), 0);
    const plotW = legendX - 30 - left, plotH = Math.max(360, legendRows * lineH);
    const height = top + plotH + 40;
    const values = series.flatMap((s) => s.values).filter((v) => v !== null);
    const tick = ticks(Math.max(0, ...values));
    const x = (i) => (n === 1 ? left + plotW / 2 : left + (i * plotW) / (n - 1));
    const y = (v) => top + plotH - (v / tick.at(-1)) * plotH;
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    const axis = el(svg, "g", { class: "axis" });
    for (const t of tick) {
      el(axis, "line", { class: t ? "grid" : "baseline", x1: left, x2: left + plotW, y1: y(t), y2: y(t) });
      el(axis, "text", { x: left - 8, y: y(t) + 4, "text-anchor": "end" }, fmt(t));
    }
    const every = Math.ceil(n / 12);
    months.forEach((month, i) => {
      if (i % every) return;
      const [year, mm] = month.split("-");
      el(axis, "text", { x: x(i), y: top + plotH + 18, "text-anchor": "middle" }, SHORT[mm - 1]);
      el(axis, "text", { x: x(i), y: top + plotH + 32, "text-anchor": "middle" }, year);
    });
    let breaks = 0;
    for (const item of data.breaks) {
      const i = months.indexOf(item.month);
      if (i <= 0) continue;
      const bx = (x(i - 1) + x(i)) / 2;
      el(svg, "line", { class: "break", "data-month": item.month, x1: bx, x2: bx, y1: top, y2: top + plotH });
      el(svg, "text", { class: "break-label", x: bx + 5, y: top + 10 }, `Series break, ${item.name}`);
      breaks += 1;
    }
    let points = 0, ly = top;
    series.forEach((s, k) => {
      const color = PALETTE[k % PALETTE.length];
      const group = el(svg, "g", { class: "series-group", "data-key": s.key });
      let d = "";
      s.values.forEach((v, i) => {
        if (v === null) return;
        d += `${i > 0 && s.values[i - 1] !== null ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      });
      el(el(group, "path", { class: "series", "data-key": s.key, d, stroke: color }), "title", {}, label(s));
      s.values.forEach((v, i) => {
        if (v === null) return;
        const dot = el(group, "circle", { class: "point", "data-key": s.key, "data-month": months[i],
          cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: n === 1 ? 5 : 3, fill: color });
        el(dot, "title", {}, `${label(s)}, ${data.month_names[i]}: ${fmt(v)}`);
        points += 1;
      });
      el(svg, "line", { class: "legend-swatch", x1: legendX, x2: legendX + 18, y1: ly + 6, y2: ly + 6,
        stroke: color, "stroke-width": 3 });
      const empty = s.values.every((v) => v === null) ? " *" : "";
      el(svg, "text", { class: "legend", x: legendX + 24, y: ly + 10 }, s.label_no + empty);
      ly += lineH;
      if (s.label_en && s.label_en !== s.label_no) {
        el(svg, "text", { class: "label-en", x: legendX + 24, y: ly + 6 }, s.label_en);
        ly += lineH - 4;
      }
    });
    Object.assign(svg.dataset, { series: series.length, points, breaks });
  }

  const statusSlots = data.statuses.map((s, i) => ({ code: s.code, label: s.label_no, color: STATUS_COLORS[i] }));
  const share = (v) => (data.grand_total ? `${fmt(v)}  (${((100 * v) / data.grand_total).toFixed(1)} %)` : fmt(v));
  const draw = {
    "status-totals": (svg) => bars(svg,
      data.statuses.map((s, i) => ({ ...s, key: s.code, values: { n: s.participants }, color: STATUS_COLORS[i] })),
      [{ code: "n", label: "" }], share),
    "latest-tiltaksgruppe": (svg) => bars(svg, data.latest_tiltaksgruppe.groups, statusSlots),
    "series-tiltaksgruppe": (svg) => lines(svg, data.series_tiltaksgruppe),
    "series-fylke": (svg) => lines(svg, data.series_fylke),
  };
  for (const svg of document.querySelectorAll("svg.chart")) {
    draw[svg.dataset.chart](svg);
    svg.dataset.drawn = "true";
  }
})();
