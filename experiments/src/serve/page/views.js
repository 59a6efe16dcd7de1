// `experiments serve`'s views, drawn from one snapshot (its weights `layers`,
// inputs × outputs as `train --json` prints them, and the server's `flat` and
// `hidden` verdicts, the report's rules) and the run's snapshots: the decision
// surface and each hidden unit's (o = σ(x·w), or h = σ(x·W1), o = σ(h·W2 + b2),
// b2 only with the output bias,
// computed here for the picture only; the browser test checks this forward
// pass against the server's outputs), the network diagram, the weights table,
// and the loss and weight plots against the iteration. Every number printed
// goes through `formatNumber`. Loaded before app.js, whose `state` and `$` it
// reads. Colours: the report's Okabe–Ito palette; every colour cue has a
// shape cue beside it (filled and hollow points, dashed negative edges).
"use strict";

const BLUE = [0, 114, 178], VERMILION = [213, 94, 0];
// Okabe–Ito: one colour per hidden unit (up to 8).
const PALETTE = [BLUE, VERMILION, [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [0, 0, 0], [240, 228, 66]];
// The weight curves' dash per source node: x1 solid, x2 dashed, x3 dotted, a hidden unit (into o) dash-dot.
// The output bias b2 (from the constant 1 into o) long dashes.
const DASH = { x1: [], x2: [7, 4], x3: [2, 3], h: [10, 3, 2, 3], 1: [12, 4] };
const LO = -0.5, HI = 1.5;
const rgb = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const sigma = (z) => 1 / (1 + Math.exp(-z));

/**
 * An f64 as Rust's `{:?}` prints it, as `train` prints its data cells: the
 * shortest digits that read back to the same number (JavaScript and Rust
 * both print those), in decimal with at least one digit after the point
 * (`1.0`, `0.0001`), or as `2.537130684683896e-5` when |x| < 1e-4 (not 0) or
 * |x| ≥ 1e16; `-0.0`, `NaN`, `inf`, `-inf`. The one number format of the page.
 */
function formatNumber(x) {
  if (typeof x !== "number") return "not a number";
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e16) return x.toExponential().replace("e+", "e");
  const s = String(x);
  return s.includes(".") ? s : s + ".0";
}

/**
 * o(x) and the hidden units h(x) of `layers` at input `x` = [x1, x2, x3]:
 * one layer o = σ(x·w); two layers h = σ(x·W1), o = σ(h·W2), plus b2 (the
 * third matrix, [[b2]]) when the output unit has a bias.
 */
function forward(layers, x) {
  const w = layers[0];
  const h = w[0].map((_, j) => x[0] * w[0][j] + x[1] * w[1][j] + x[2] * w[2][j]).map(sigma);
  if (layers.length === 1) return { o: h[0], h: [] };
  const z = h.reduce((z, hj, j) => z + hj * layers[1][j][0], 0);
  return { o: sigma(layers.length === 3 ? z + layers[2][0][0] : z), h };
}

/** The names of the nodes: inputs, hidden units (1-based, as drawn), output. */
function nodeNames(layers) {
  const hidden = layers.length >= 2 ? layers[0][0].map((_, j) => `h${j + 1}`) : [];
  return { inputs: ["x1", "x2", "x3"], hidden, output: "o" };
}

/** Every weight of `layers` in `layers.flat(2)` order: its matrix, source and target node, and its names. */
function weightList(layers) {
  const { inputs, hidden } = nodeNames(layers);
  if (layers.length === 1) return inputs.map((x, i) => ({ l: 0, i, j: 0, from: x, to: "o", name: `w${i + 1}`, label: `w${i + 1} (${x}→o)`, csv: `w${i + 1}` }));
  const first = inputs.flatMap((x, i) => hidden.map((h, j) => ({ l: 0, i, j, from: x, to: h, name: `W1 ${x}→${h}`, label: `W1 ${x}→${h}`, csv: `W1_${x}_${h}` })));
  const second = hidden.map((h, j) => ({ l: 1, i: j, j: 0, from: h, to: "o", name: `W2 ${h}→o`, label: `W2 ${h}→o`, csv: `W2_${h}_o` }));
  const bias = layers.length === 3 ? [{ l: 2, i: 0, j: 0, from: "1", to: "o", name: "b2", label: "b2 (1→o, the output's bias)", csv: "b2" }] : [];
  return [...first, ...second, ...bias];
}

/** The colour and dash of weight `w` (an entry of `weightList`) in the weights plot. */
function weightStyle(w, two) {
  if (!two) return { colour: PALETTE[w.i], dash: DASH[w.from] };
  if (w.l === 2) return { colour: [0, 0, 0], dash: DASH[w.from], width: 2.6 };
  const unit = w.l === 0 ? w.j : w.i;
  return { colour: PALETTE[unit % PALETTE.length], dash: w.l === 0 ? DASH[w.from] : DASH.h, width: w.l === 0 ? 1.6 : 2.6 };
}

/** The plot area of a square surface canvas, and the maps to pixels and back. */
function frame(canvas, margin) {
  const size = canvas.width - margin - (margin > 10 ? 14 : 6);
  const px = (x) => margin + ((x - LO) / (HI - LO)) * size;
  const py = (y) => 6 + (1 - (y - LO) / (HI - LO)) * size;
  const x1 = (cx) => LO + ((cx - margin) / size) * (HI - LO);
  const x2 = (cy) => LO + (1 - (cy - 6) / size) * (HI - LO);
  return { size, px, py, x1, x2, x0: margin, y0: 6 };
}

/** Vermilion (0) through white (0.5) to blue (1), as in the report's surfaces; `strength` < 1 keeps the ends pale. */
function colour(v, strength = 0.9) {
  const t = Math.min(1, Math.abs(2 * v - 1)) * strength, c = v < 0.5 ? VERMILION : BLUE;
  return c.map((ch) => Math.round(255 + (ch - 255) * t));
}

/**
 * Fills `f`'s plot area with `value(x1, x2)` and, unless the server called
 * the surface `flat` (the report's rule: its range is below 1e-9, so any
 * contour is rounding noise), draws its 0.5 contour. Returns the number of
 * contour segments drawn.
 */
function paint(ctx, f, value, n, flat) {
  const grid = [];
  for (let r = 0; r <= n; r++) {
    grid.push([]);
    for (let c = 0; c <= n; c++) grid[r].push(value(LO + ((HI - LO) * c) / n, LO + ((HI - LO) * r) / n));
  }
  const cell = f.size / n;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    ctx.fillStyle = rgb(colour((grid[r][c] + grid[r][c + 1] + grid[r + 1][c] + grid[r + 1][c + 1]) / 4));
    ctx.fillRect(f.x0 + c * cell, f.y0 + f.size - (r + 1) * cell, cell + 0.6, cell + 0.6);
  }
  if (flat) return 0;
  // Marching squares at 0.5: each cell's crossings, joined in pairs.
  ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.beginPath();
  const at = (r1, c1, r2, c2) => {
    const a = grid[r1][c1], b = grid[r2][c2], t = (0.5 - a) / (b - a);
    return [f.px(LO + ((HI - LO) * (c1 + t * (c2 - c1))) / n), f.py(LO + ((HI - LO) * (r1 + t * (r2 - r1))) / n)];
  };
  let segments = 0;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    const edges = [[r, c, r, c + 1], [r, c + 1, r + 1, c + 1], [r + 1, c, r + 1, c + 1], [r, c, r + 1, c]];
    const points = edges.filter(([a, b, d, e]) => (grid[a][b] < 0.5) !== (grid[d][e] < 0.5)).map((e) => at(...e));
    for (let k = 0; k + 1 < points.length; k += 2) { ctx.moveTo(...points[k]); ctx.lineTo(...points[k + 1]); segments++; }
  }
  ctx.stroke();
  return segments;
}

/** A point of the data: filled for a target above 0.5, hollow below (a shape cue beside the colour); dashed when left out. */
function point(ctx, x, y, target, left) {
  ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.lineWidth = 5; ctx.strokeStyle = "#fff"; ctx.stroke();
  if (left) { ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.setLineDash([3, 2]); ctx.stroke(); ctx.setLineDash([]); return; }
  if (target > 0.5) {
    ctx.fillStyle = rgb(colour(target, 1)); ctx.fill();
    ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke();
  } else {
    // Hollow: a thick ring of the target's colour between two black lines, white inside.
    ctx.fillStyle = "#fff"; ctx.fill();
    ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke();
    ctx.beginPath(); ctx.arc(x, y, 4.5, 0, 2 * Math.PI); ctx.lineWidth = 2.5; ctx.strokeStyle = rgb(colour(target, 1)); ctx.stroke();
  }
}

/** A diamond around (x, y), leaving a point there visible: the prediction's input. */
function diamond(ctx, x, y) {
  const r = 13;
  for (const [w, c] of [[5, "#fff"], [2, "#000"]]) {
    ctx.lineWidth = w; ctx.strokeStyle = c; ctx.beginPath();
    ctx.moveTo(x - r, y); ctx.lineTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.closePath(); ctx.stroke();
  }
}

/** A plus sign with a white halo at (x, y): the keyboard cursor. */
function cross(ctx, x, y) {
  const r = 6;
  for (const [w, c] of [[4, "#fff"], [1.5, "#000"]]) {
    ctx.lineWidth = w; ctx.strokeStyle = c; ctx.beginPath();
    ctx.moveTo(x - r, y); ctx.lineTo(x + r, y); ctx.moveTo(x, y - r); ctx.lineTo(x, y + r); ctx.stroke();
  }
}

const SURFACE_MARGIN = 40;

/** The decision surface of snapshot `s`, with the run's rows, the prediction's input and the cursor. */
function drawSurface(s) {
  const canvas = $("surface"), ctx = canvas.getContext("2d"), f = frame(canvas, SURFACE_MARGIN);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const segments = paint(ctx, f, (x1, x2) => forward(s.layers, [x1, x2, 1]).o, 110, s.flat);
  canvas.dataset.contour = s.flat ? "none: flat" : `${segments} segments`;
  ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(f.x0, f.y0, f.size, f.size);
  ctx.fillStyle = "#000"; ctx.font = "12px sans-serif";
  for (const t of [-0.5, 0, 0.5, 1, 1.5]) {
    ctx.textAlign = "center"; ctx.fillText(t, f.px(t), f.y0 + f.size + 17);
    ctx.textAlign = "right"; ctx.fillText(t, f.x0 - 4, f.py(t) + 4);
  }
  ctx.textAlign = "center"; ctx.fillText("x1", f.px(0.5), f.y0 + f.size + 32);
  ctx.save(); ctx.translate(10, f.py(0.5)); ctx.rotate(-Math.PI / 2); ctx.fillText("x2", 0, 0); ctx.restore();
  if (s.flat) {
    ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(f.x0 + 4, f.y0 + 4, 232, 20);
    ctx.fillStyle = "#000"; ctx.textAlign = "left"; ctx.fillText("flat: o = 0.5 up to rounding, no line", f.x0 + 8, f.y0 + 18);
  }
  const removed = state.run.removed_rows;
  const off = [];
  state.runRows.forEach((row, i) => {
    if (row[2] !== 1) { off.push(i); return; }
    point(ctx, f.px(row[0]), f.py(row[1]), row[3], removed.includes(i));
  });
  const p = state.run.predict;
  const inside = (v) => v >= LO && v <= HI;
  if (p[2] === 1 && inside(p[0]) && inside(p[1])) diamond(ctx, f.px(p[0]), f.py(p[1]));
  if (state.cursor) cross(ctx, f.px(state.cursor[0]), f.py(state.cursor[1]));
  $("off-plane").textContent = off.length ? `Not drawn, off the plane x3 = 1: row${off.length > 1 ? "s" : ""} ${off.join(", ")}.` : "";
}

/** Each hidden unit's own surface, named by what it computes (the server's, the report's rule). */
function drawHidden(s) {
  const box = $("hidden-units"), layers = s.layers;
  $("hidden-figure").hidden = layers.length === 1;
  if (layers.length === 1) return;
  const h = layers[0][0].length;
  if (box.children.length !== h) {
    box.textContent = "";
    for (let j = 0; j < h; j++) {
      const d = document.createElement("figure");
      const c = document.createElement("canvas");
      c.width = 100; c.height = 100;
      const p = document.createElement("figcaption");
      d.append(c, p); box.append(d);
    }
  }
  [...box.children].forEach((d, j) => {
    const c = d.children[0], ctx = c.getContext("2d"), f = frame(c, 6), unit = s.hidden[j];
    const segments = paint(ctx, f, (x1, x2) => sigma(x1 * layers[0][0][j] + x2 * layers[0][1][j] + layers[0][2][j]), 40, unit.flat);
    c.dataset.contour = unit.flat ? "none: flat" : `${segments} segments`;
    ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(f.x0, f.y0, f.size, f.size);
    c.setAttribute("aria-label", `hidden unit h${j + 1}, computes ${unit.function}`);
    d.children[1].textContent = `h${j + 1}: ${unit.function}`;
    d.children[1].style.borderTop = `4px solid ${rgb(PALETTE[j % PALETTE.length])}`;
  });
}

/** The weights of this frame as a table: one layer, a row of w1..w3; two layers, a row per hidden unit (and one for b2). */
function drawWeightsTable(s) {
  const table = $("weights"), layers = s.layers, list = weightList(layers), values = layers.flat(2);
  const shape = `${layers.length}:${layers[0][0].length}`;
  if (table.dataset.shape !== shape) {
    table.dataset.shape = shape;
    table.textContent = "";
    const head = table.createTHead().insertRow(), body = table.createTBody();
    const th = (row, text, scope) => { const c = document.createElement("th"); c.scope = scope; c.textContent = text; row.append(c); return c; };
    const cell = (row, k) => {
      const c = row.insertCell();
      c.tabIndex = 0; c.dataset.weight = k; c.title = list[k].label; c.setAttribute("aria-label", list[k].label);
      for (const e of ["mouseenter", "focus"]) c.addEventListener(e, () => pick(k));
      c.addEventListener("mouseleave", () => unpick(k)); c.addEventListener("blur", () => unpick(k));
    };
    if (layers.length === 1) {
      th(head, "", "col"); list.forEach((w) => th(head, `${w.from}→o (${w.name})`, "col"));
      const row = body.insertRow(); th(row, "o", "row"); list.forEach((_, k) => cell(row, k));
    } else {
      const h = layers[0][0].length;
      for (const t of ["", "from x1 (W1)", "from x2 (W1)", "from x3 (W1)", "to o (W2)"]) th(head, t, "col");
      for (let j = 0; j < h; j++) {
        const row = body.insertRow(); th(row, `h${j + 1}`, "row");
        for (let i = 0; i < 3; i++) cell(row, i * h + j);
        cell(row, 3 * h + j);
      }
      if (layers.length === 3) {
        const row = body.insertRow(); th(row, "1 (b2)", "row");
        for (let i = 0; i < 3; i++) row.insertCell();
        cell(row, 4 * h);
      }
    }
  }
  table.querySelectorAll("td[data-weight]").forEach((c) => { c.textContent = formatNumber(values[Number(c.dataset.weight)]); });
}

/** The weight `k` is hovered or focused: the plot highlights its curve and the readouts name it. */
function pick(k) { state.picked = k; showPicked(); drawWeights(state.shown); }
function unpick(k) { if (state.picked === k) { state.picked = null; showPicked(); drawWeights(state.shown); } }

/** The readout of the picked weight (or edge), with this frame's value: kept up to date while playing. */
function showPicked() {
  const out = $("edge-value");
  if (state.picked === null || !state.run) { out.textContent = "Hover or focus an edge, a cell of the table or the weights plot for a weight's name and value."; return; }
  const s = state.run.snapshots[state.shown], w = weightList(s.layers)[state.picked];
  out.textContent = `${w.label} = ${formatNumber(s.layers.flat(2)[state.picked])} at iteration ${s.iteration}`;
}

const SVG = "http://www.w3.org/2000/svg";
/**
 * The network: built once per shape (so that focus on an edge survives
 * playback), its edges' colour (sign), dash (negative) and thickness (|w|)
 * updated each frame.
 */
function drawNetwork(s) {
  const svg = $("network"), layers = s.layers, list = weightList(layers);
  const shape = `${layers.length}:${layers[0][0].length}`;
  const sizes = [3, ...layers.slice(0, 2).map((m) => m[0].length)];
  const W = Number(svg.getAttribute("width")), H = Number(svg.getAttribute("height"));
  const x = (l) => 60 + (l * (W - 100)) / (sizes.length - 1), y = (l, i) => (H * (i + 0.5)) / sizes[l];
  // The output bias: a node "1" above o, its edge b2 straight down into o.
  const top = [x(sizes.length - 1), 18], ends = (w) => (w.l === 2
    ? [top[0], top[1] + 13, x(sizes.length - 1), y(sizes.length - 1, 0) - 13]
    : [x(w.l), y(w.l, w.i), x(w.l + 1), y(w.l + 1, w.j)]);
  if (svg.dataset.shape !== shape) {
    svg.dataset.shape = shape;
    svg.textContent = "";
    list.forEach((w, k) => {
      const line = document.createElementNS(SVG, "line");
      const [x1, y1, x2, y2] = ends(w);
      Object.entries({ x1, y1, x2, y2, tabindex: 0, "data-weight": k }).forEach(([a, v]) => line.setAttribute(a, v));
      line.append(document.createElementNS(SVG, "title"));
      for (const e of ["mouseenter", "focus"]) line.addEventListener(e, () => pick(k));
      line.addEventListener("mouseleave", () => unpick(k)); line.addEventListener("blur", () => unpick(k));
      svg.append(line);
    });
    const names = nodeNames(layers), labels = [names.inputs.map((n, i) => (i === 2 ? "x3 = 1" : n)), ...(layers.length >= 2 ? [names.hidden] : []), ["o"]];
    const node = (cx, cy, label, anchor) => {
      const c = document.createElementNS(SVG, "circle");
      Object.entries({ cx, cy, r: 13, fill: "#fff", stroke: "#000", "stroke-width": 1.5 }).forEach(([a, v]) => c.setAttribute(a, v));
      const t = document.createElementNS(SVG, "text");
      Object.entries({ x: anchor === "end" ? cx - 17 : cx, y: cy + 4, "text-anchor": anchor, "font-size": 12 }).forEach(([a, v]) => t.setAttribute(a, v));
      t.textContent = label;
      svg.append(c, t);
    };
    sizes.forEach((n, l) => { for (let i = 0; i < n; i++) node(x(l), y(l, i), labels[l][i], l === 0 ? "end" : "middle"); });
    if (layers.length === 3) node(top[0], top[1], "1", "middle");
  }
  const values = layers.flat(2);
  const scale = state.run.scale;
  svg.querySelectorAll("line").forEach((line) => {
    const k = Number(line.dataset.weight), w = values[k], text = `${list[k].label} = ${formatNumber(w)}`;
    line.setAttribute("stroke", rgb(w >= 0 ? BLUE : VERMILION, 0.85));
    line.setAttribute("stroke-dasharray", w >= 0 ? "" : "6 3");
    line.setAttribute("stroke-width", 0.8 + (9 * Math.abs(w)) / scale);
    line.setAttribute("aria-label", text);
    line.firstChild.textContent = text;
  });
}

/** Axes of a line plot: log x over the snapshots' iterations ≥ 1, and `y`. */
function axes(canvas, yRange, yLog, yLabel) {
  const ctx = canvas.getContext("2d"), m = { l: 62, r: 10, t: 8, b: 36 };
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const w = canvas.width - m.l - m.r, h = canvas.height - m.t - m.b;
  const N = Math.max(state.run.iterations, 10);
  const px = (t) => m.l + (Math.log10(Math.max(t, 1)) / Math.log10(N)) * w;
  const [lo, hi] = yLog ? yRange.map(Math.log10) : yRange;
  const py = (v) => m.t + (1 - ((yLog ? Math.log10(v) : v) - lo) / (hi - lo || 1)) * h;
  ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(m.l, m.t, w, h);
  ctx.fillStyle = "#000"; ctx.font = "12px sans-serif"; ctx.textAlign = "center";
  for (let e = 0; e <= Math.log10(N); e++) ctx.fillText(e === 0 ? "1" : `1e${e}`, px(10 ** e), m.t + h + 14);
  ctx.fillText("iteration (log; 0 drawn at 1)", m.l + w / 2, m.t + h + 29);
  ctx.textAlign = "right";
  const ticks = yLog ? [...Array(Math.floor(hi) - Math.ceil(lo) + 1).keys()].map((k) => 10 ** (Math.ceil(lo) + k))
    : niceTicks(lo, hi);
  for (const v of ticks.filter((_, k, a) => a.length < 9 || k % 2 === 0)) ctx.fillText(yLog ? `1e${Math.round(Math.log10(v))}` : String(Number(v.toPrecision(6))), m.l - 4, py(v) + 4);
  ctx.save(); ctx.translate(12, m.t + h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center"; ctx.fillText(yLabel, 0, 0); ctx.restore();
  return { ctx, px, py, m, w, h };
}

/** Round numbers (1, 2 or 5 × 10^k apart) from lo to hi. */
function niceTicks(lo, hi) {
  const raw = (hi - lo) / 5, p = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((k) => k * p).find((k) => k >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

function series(a, values, colour, dash, width = 2) {
  const { ctx, px, py } = a;
  ctx.strokeStyle = rgb(colour); ctx.lineWidth = width; ctx.setLineDash(dash); ctx.beginPath();
  state.run.snapshots.forEach((s, k) => (k ? ctx.lineTo : ctx.moveTo).call(ctx, px(s.iteration), py(values[k])));
  ctx.stroke(); ctx.setLineDash([]);
}

function marker(a, i) {
  const { ctx, px, m, h } = a, t = state.run.snapshots[i].iteration;
  ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(px(t), m.t); ctx.lineTo(px(t), m.t + h); ctx.stroke();
}

/** An HTML key under a plot (never over its data): a short line in each item's colour and dash, and its name. */
function key(element, items) {
  const signature = JSON.stringify(items);
  if (element.dataset.items === signature) return;
  element.dataset.items = signature;
  element.textContent = "";
  for (const [label, c, dash, width] of items) {
    const span = document.createElement("span");
    const line = document.createElementNS(SVG, "svg");
    line.setAttribute("width", 26); line.setAttribute("height", 10); line.setAttribute("aria-hidden", "true");
    const l = document.createElementNS(SVG, "line");
    Object.entries({ x1: 1, y1: 5, x2: 25, y2: 5, stroke: rgb(c), "stroke-width": width || 2, "stroke-dasharray": dash.join(" ") }).forEach(([a, v]) => l.setAttribute(a, v));
    line.append(l); span.append(line, document.createTextNode(" " + label));
    element.append(span);
  }
}

function drawLoss(i) {
  const s = state.run.snapshots, loss = s.map((x) => x.loss), err = s.map((x) => x.largest_error);
  const pos = [...loss, ...err].filter((v) => v > 0);
  const lo = Math.max(Math.min(...pos, 1), 1e-300), hi = Math.max(...pos, 1e-300);
  const a = axes($("loss-plot"), [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))], true, "loss, largest error");
  series(a, loss.map((v) => Math.max(v, lo)), BLUE, []);
  series(a, err.map((v) => Math.max(v, lo)), VERMILION, [6, 4]);
  marker(a, i);
  key($("loss-key"), [["loss ½Σ(y − o)²", BLUE, []], ["largest error max|y − o|", VERMILION, [6, 4]]]);
}

/** The weights plot's axes and curves' pixels, kept for naming the curve under the pointer. */
let weightsGeometry = null;

function drawWeights(i) {
  if (!state.run || i < 0) return;
  const s = state.run.snapshots, flat = s.map((x) => x.layers.flat(2));
  const all = flat.flat(), lo = Math.min(...all, 0), hi = Math.max(...all, 0);
  const a = axes($("weights-plot"), [lo, hi === lo ? lo + 1 : hi], false, "weight");
  const layers = s[0].layers, list = weightList(layers), two = layers.length >= 2;
  list.forEach((w, k) => {
    const st = weightStyle(w, two), picked = state.picked === k;
    series(a, flat.map((v) => v[k]), st.colour, st.dash, picked ? 4.5 : state.picked === null ? st.width || 2 : 1);
  });
  marker(a, i);
  weightsGeometry = { a, flat };
  const items = two
    ? [...layers[0][0].map((_, j) => [`into/from h${j + 1}`, PALETTE[j % PALETTE.length], [], 3]), ["from x1", [80, 80, 80], DASH.x1], ["from x2", [80, 80, 80], DASH.x2], ["from x3", [80, 80, 80], DASH.x3], ["h→o (W2)", [80, 80, 80], DASH.h, 2.6], ...(layers.length === 3 ? [["1→o (b2)", [0, 0, 0], DASH[1], 2.6]] : [])]
    : list.map((w) => [`${w.name} (${w.from}→o)`, weightStyle(w, false).colour, weightStyle(w, false).dash]);
  key($("weights-key"), items);
}

/** The weight whose curve is nearest the canvas point (cx, cy), at the snapshot nearest cx. */
function curveAt(cx, cy) {
  if (!weightsGeometry) return null;
  const { a, flat } = weightsGeometry, s = state.run.snapshots;
  let best = 0, bestDx = Infinity;
  s.forEach((x, k) => { const dx = Math.abs(a.px(x.iteration) - cx); if (dx < bestDx) { bestDx = dx; best = k; } });
  let pick = null, bestDy = 12;
  flat[best].forEach((v, k) => { const dy = Math.abs(a.py(v) - cy); if (dy < bestDy) { bestDy = dy; pick = k; } });
  return pick;
}
