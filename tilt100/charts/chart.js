// Draws every <svg class="chart"> from the JSON in #report-data, then marks it data-drawn="true".
// A value is {min, max, suppressed}: min == max where no suppressed cell (1-3 people) is in it;
// otherwise it is drawn as its range, never imputed.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const NS = "http://www.w3.org/2000/svg"; // the SVG namespace name, not a resource to load
  const WIDTH = 1000;
  const STATUS_COLORS = ["#0067c5", "#d47b00", "#06893a"];
  const TOTAL_COLOR = "#262626";
  const PALETTE = ["#0067c5", "#d47b00", "#06893a", "#c30000", "#8269a2", "#8c5a3c", "#d6569e", "#5f6b77",
    "#a2a300", "#00a3b4"];
  const SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const PEOPLE = "Participants (people on a measure in the month)";

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
  const exact = (v) => v.suppressed === 0;
  const cells = (n) => `${n} suppressed cell${n === 1 ? "" : "s"}`;
  // "1 234", or "1 232–1 238 (2 suppressed cells)": the range a sum with suppressed cells can be
  const valueText = (v) => (exact(v) ? fmt(v.min) : `${fmt(v.min)}–${fmt(v.max)} (${cells(v.suppressed)})`);

  // Round tick values from 0 to at least max: steps of 1, 2 or 5 times a power of ten.
  function ticks(max) {
    const raw = Math.max(max, 1) / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw));
    const count = Math.ceil(Math.max(max, 1) / step);
    return Array.from({ length: count + 1 }, (_, i) => i * step);
  }

  // Horizontal bars: one row per item, one bar per slot (status group); absent = not printed.
  // A value with suppressed cells: a solid bar to its least, a light bar on to its most, labelled with the range.
  function bars(svg, rows, slots, { note = (v) => valueText(v) } = {}) {
    const left = 330, right = 190, top = slots.length > 1 ? 34 : 8, barH = 14, rowGap = 14;
    const rowH = slots.length * (barH + 2) + rowGap;
    const plotBottom = top + rows.length * rowH;
    const height = plotBottom + 56;
    const values = rows.flatMap((row) => Object.values(row.values));
    const tick = ticks(Math.max(0, ...values.map((v) => v.max)));
    const x = (v) => left + (v / tick.at(-1)) * (WIDTH - left - right);
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    const axis = el(svg, "g", { class: "axis" });
    for (const t of tick) {
      el(axis, "line", { class: t ? "grid" : "baseline", x1: x(t), x2: x(t), y1: top - 4, y2: plotBottom });
      el(axis, "text", { x: x(t), y: plotBottom + 16, "text-anchor": "middle" }, fmt(t));
    }
    el(axis, "text", { class: "axis-title", x: (left + x(tick.at(-1))) / 2, y: plotBottom + 40,
      "text-anchor": "middle" }, PEOPLE);
    if (slots.length > 1) {
      slots.forEach((slot, i) => {
        el(svg, "rect", { class: "legend-swatch", x: left + i * 220, y: 4, width: 12, height: 12, fill: slot.color });
        el(svg, "text", { class: "legend", x: left + i * 220 + 18, y: 14 }, slot.label);
      });
    }
    let drawn = 0, ranges = 0;
    rows.forEach((row, r) => {
      const y0 = top + r * rowH;
      const mid = y0 + (rowH - rowGap) / 2;
      el(svg, "text", { class: "row-label", x: left - 10, y: mid - 2, "text-anchor": "end" }, row.label_no);
      if (row.label_en && row.label_en !== row.label_no) {
        el(svg, "text", { class: "label-en", x: left - 10, y: mid + 12, "text-anchor": "end" }, row.label_en);
      }
      slots.forEach((slot, i) => {
        if (!(slot.code in row.values)) return;
        const v = row.values[slot.code];
        const y = y0 + i * (barH + 2);
        const color = row.color || slot.color;
        const what = `${label(row)}${slot.label ? ", " + slot.label : ""}`;
        const bar = el(svg, "rect", { class: "bar", x: left, y, width: Math.max(exact(v) ? 1 : 0, x(v.min) - left),
          height: barH, fill: color, "data-key": row.key, "data-status": slot.code, "data-min": v.min,
          "data-max": v.max });
        el(bar, "title", {}, `${what}: ${valueText(v)}`);
        if (!exact(v)) {
          const range = el(svg, "rect", { class: "range", x: x(v.min), y, width: Math.max(2, x(v.max) - x(v.min)),
            height: barH, fill: color, "data-key": row.key, "data-min": v.min, "data-max": v.max });
          el(range, "title", {}, `${what}: between ${fmt(v.min)} and ${fmt(v.max)}, ${cells(v.suppressed)}`);
          ranges += 1;
        }
        el(svg, "text", { class: exact(v) ? "value" : "value range-label", x: x(v.max) + 5, y: y + barH - 3 },
          note(v));
        drawn += 1;
      });
    });
    Object.assign(svg.dataset, { bars: drawn, ranges });
  }

  // One series' marks over data.months: a line through the exact months, a dot on each, a vertical
  // stroke from least to most on a month whose sum has suppressed cells; a month with no value is a gap.
  function trace(group, s, x, y, color, r) {
    let d = "", points = 0, ranges = 0;
    s.values.forEach((v, i) => {
      if (v === null || !exact(v)) return;
      const prev = s.values[i - 1];
      d += `${prev && exact(prev) ? "L" : "M"}${x(i).toFixed(1)},${y(v.min).toFixed(1)}`;
    });
    el(el(group, "path", { class: "series", "data-key": s.key, d, stroke: color }), "title", {}, label(s));
    s.values.forEach((v, i) => {
      if (v === null) return;
      const month = data.month_names[i];
      if (exact(v)) {
        const dot = el(group, "circle", { class: "point", "data-key": s.key, "data-month": data.months[i],
          cx: x(i).toFixed(1), cy: y(v.min).toFixed(1), r, fill: color });
        el(dot, "title", {}, `${label(s)}, ${month}: ${fmt(v.min)}`);
        points += 1;
      } else {
        const stroke = el(group, "line", { class: "range", "data-key": s.key, "data-month": data.months[i],
          x1: x(i).toFixed(1), x2: x(i).toFixed(1), y1: y(v.min).toFixed(1), y2: (y(v.max) - 1).toFixed(1),
          stroke: color });
        el(stroke, "title", {}, `${label(s)}, ${month}: ${valueText(v)}`);
        ranges += 1;
      }
    });
    return { points, ranges };
  }

  // Month and year under the axis; `ends` puts only the first and last month, flush with the ends.
  function monthAxis(axis, x, yBase, every, ends = false) {
    const last = data.months.length - 1;
    data.months.forEach((month, i) => {
      if (ends ? i !== 0 && i !== last : i % every) return;
      const [year, mm] = month.split("-");
      const anchor = !ends ? "middle" : i === 0 ? "start" : "end";
      el(axis, "text", { x: x(i), y: yBase + 14, "text-anchor": anchor }, SHORT[mm - 1]);
      el(axis, "text", { x: x(i), y: yBase + 27, "text-anchor": anchor }, year);
    });
  }

  function breakMarks(parent, x, top, bottom, withLabel) {
    let n = 0;
    for (const item of data.breaks) {
      const i = data.months.indexOf(item.month);
      if (i <= 0) continue;
      const bx = (x(i - 1) + x(i)) / 2;
      el(parent, "line", { class: "break", "data-month": item.month, x1: bx, x2: bx, y1: top, y2: bottom });
      if (withLabel) el(parent, "text", { class: "break-label", x: bx + 5, y: top + 10 }, `Series break, ${item.name}`);
      n += 1;
    }
    return n;
  }

  // Lines over the months, each labelled at its end (no legend to match colours against).
  function lines(svg, series, colorOf = (s, k) => PALETTE[k % PALETTE.length]) {
    const n = data.months.length;
    const left = 80, plotW = 600, top = 16, plotH = 380;
    const height = top + plotH + 70;
    const tick = ticks(Math.max(0, ...series.flatMap((s) => s.values).filter(Boolean).map((v) => v.max)));
    const x = (i) => left + (i * plotW) / Math.max(1, n - 1);
    const y = (v) => top + plotH - (v / tick.at(-1)) * plotH;
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    const axis = el(svg, "g", { class: "axis" });
    for (const t of tick) {
      el(axis, "line", { class: t ? "grid" : "baseline", x1: left, x2: left + plotW, y1: y(t), y2: y(t) });
      el(axis, "text", { x: left - 8, y: y(t) + 4, "text-anchor": "end" }, fmt(t));
    }
    monthAxis(axis, x, top + plotH, Math.ceil(n / 12));
    el(axis, "text", { class: "axis-title", x: left + plotW / 2, y: height - 8, "text-anchor": "middle" }, "Month");
    el(axis, "text", { class: "axis-title", transform: `translate(16 ${top + plotH / 2}) rotate(-90)`,
      "text-anchor": "middle" }, PEOPLE);
    const breaks = breakMarks(svg, x, top, top + plotH, true);
    let points = 0, ranges = 0;
    const ends = [];
    series.forEach((s, k) => {
      const color = colorOf(s, k);
      const group = el(svg, "g", { class: "series-group", "data-key": s.key });
      const drawn = trace(group, s, x, y, color, 3);
      points += drawn.points;
      ranges += drawn.ranges;
      const last = s.values.findLastIndex((v) => v !== null);
      if (last >= 0) ends.push({ s, color, i: last, y: y((s.values[last].min + s.values[last].max) / 2) });
    });
    // direct labels at the line ends, pushed apart so that none overlaps, and back up from the foot of the
    // plot where the pushing ran past it (many lines ending low)
    ends.sort((a, b) => a.y - b.y);
    ends.forEach((end, k) => { if (k && end.y < ends[k - 1].y + 13) end.y = ends[k - 1].y + 13; });
    for (let k = ends.length - 1; k >= 0; k -= 1) {
      const limit = k === ends.length - 1 ? top + plotH : ends[k + 1].y - 13;
      if (ends[k].y > limit) ends[k].y = limit;
    }
    for (const end of ends) {
      el(svg, "line", { class: "leader", x1: x(end.i) + 4, x2: left + plotW + 14, y1: y((end.s.values[end.i].min
        + end.s.values[end.i].max) / 2), y2: end.y, stroke: end.color });
      const text = el(svg, "text", { class: "direct-label", "data-key": end.s.key, x: left + plotW + 18,
        y: end.y + 4, fill: end.color }, end.s.label_no);
      el(text, "title", {}, label(end.s));
    }
    Object.assign(svg.dataset, { series: series.length, points, ranges, breaks });
  }

  // Small multiples: one panel per series, in the report's order, each on its own scale from 0 (a small
  // county's changes show as clearly as a large one's; compare sizes by the figures, not the heights).
  function panels(svg, series) {
    const n = data.months.length, cols = 4;
    const left = 56, gapX = 56, panelW = (WIDTH - left - 10 - gapX * (cols - 1)) / cols;
    const top = 10, titleH = 18, plotH = 90, gapY = 44;
    const rows = Math.ceil(series.length / cols);
    const height = top + rows * (titleH + plotH + gapY) + 30;
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    let points = 0, ranges = 0, breaks = 0;
    series.forEach((s, k) => {
      const px = left + (k % cols) * (panelW + gapX);
      const py = top + Math.floor(k / cols) * (titleH + plotH + gapY) + titleH;
      const tick = ticks(Math.max(0, ...s.values.filter(Boolean).map((v) => v.max)));
      const x = (i) => px + (i * panelW) / Math.max(1, n - 1);
      const y = (v) => py + plotH - (v / tick.at(-1)) * plotH;
      const panel = el(svg, "g", { class: "panel", "data-key": s.key, "data-scale-max": tick.at(-1) });
      el(panel, "text", { class: "panel-title", x: px, y: py - 6 }, s.label_no.split(" - ")[0]);
      const axis = el(panel, "g", { class: "axis" });
      for (const t of [0, tick.at(-1) / 2, tick.at(-1)]) {
        el(axis, "line", { class: t ? "grid" : "baseline", x1: px, x2: px + panelW, y1: y(t), y2: y(t) });
        el(axis, "text", { x: px - 6, y: y(t) + 4, "text-anchor": "end" }, fmt(t));
      }
      monthAxis(axis, x, py + plotH, 1, true);
      const latest = s.values.at(-1);
      if (latest) el(panel, "text", { class: "panel-value", x: px + panelW, y: py - 6, "text-anchor": "end" },
        valueText(latest).replace(/ \(.*/, " *"));
      breaks = breakMarks(panel, x, py, py + plotH, false);
      const drawn = trace(panel, s, x, y, PALETTE[0], 2);
      points += drawn.points;
      ranges += drawn.ranges;
    });
    el(svg, "text", { class: "axis-title", transform: `translate(12 ${height / 2}) rotate(-90)`,
      "text-anchor": "middle" }, `${PEOPLE}, each panel its own scale`);
    el(svg, "text", { class: "axis-title", x: WIDTH / 2, y: height - 6, "text-anchor": "middle" }, "Month");
    Object.assign(svg.dataset, { series: series.length, panels: series.length, points, ranges, breaks });
  }

  const statusColor = Object.fromEntries(data.status_order.map((code, i) => [code, STATUS_COLORS[i]]));
  const statusSlots = data.statuses.map((s) => ({ code: s.key, label: s.label_no, color: statusColor[s.key] }));
  const share = (v) => (data.grand_total && exact(v)
    ? `${fmt(v.min)}  (${((100 * v.min) / data.grand_total).toFixed(1)} %)` : valueText(v));
  const byMax = (a, b) => b.value.max - a.value.max;
  const draw = {
    "status-totals": (svg) => bars(svg,
      [...data.statuses].sort(byMax).map((s) => ({ ...s, values: { n: s.value }, color: statusColor[s.key] })),
      [{ code: "n", label: "" }], { note: share }),
    "latest-tiltaksgruppe": (svg) => bars(svg, data.latest_tiltaksgruppe, statusSlots),
    "latest-fylke": (svg) => bars(svg, data.latest_fylke.map((f) => ({ ...f, values: { n: f.value } })),
      [{ code: "n", label: "", color: STATUS_COLORS[0] }]),
    "series-status": (svg) => lines(svg, data.series_status, (s) => statusColor[s.key] || TOTAL_COLOR),
    "series-tiltaksgruppe": (svg) => lines(svg, data.series_tiltaksgruppe),
    "series-fylke": (svg) => panels(svg, data.series_fylke_today),
  };
  for (const svg of document.querySelectorAll("svg.chart")) {
    draw[svg.dataset.chart](svg);
    svg.dataset.drawn = "true";
  }
})();
