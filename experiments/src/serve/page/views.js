// `experiments serve`'s views, drawn from one snapshot's weights (`layers`,
// inputs × outputs, as `train --json` prints them) and the run's snapshots:
// the decision surface and each hidden unit's (o = σ(x·w), or h = σ(x·W1),
// o = σ(h·W2), computed here for the picture only), the network diagram, and
// the loss and weight plots against the iteration. Loaded before app.js, whose
// `state` and `$` it reads. Colours: the report's Okabe–Ito palette.
"use strict";

const BLUE = [0, 114, 178], VERMILION = [213, 94, 0];
const PALETTE = [BLUE, VERMILION, [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [0, 0, 0]];
const LO = -0.5, HI = 1.5;
const rgb = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const sigma = (z) => 1 / (1 + Math.exp(-z));

/** o(x) and the hidden units h(x) of `layers` at input `x` = [x1, x2, x3]. */
function forward(layers, x) {
  const w = layers[0];
  const h = w[0].map((_, j) => x[0] * w[0][j] + x[1] * w[1][j] + x[2] * w[2][j]).map(sigma);
  if (layers.length === 1) return { o: h[0], h: [] };
  return { o: sigma(h.reduce((z, hj, j) => z + hj * layers[1][j][0], 0)), h };
}

/** The plot area of a square surface canvas, and the maps to pixels. */
function frame(canvas, margin) {
  const size = canvas.width - margin - (margin > 10 ? 14 : 6);
  const px = (x) => margin + ((x - LO) / (HI - LO)) * size;
  const py = (y) => 6 + (1 - (y - LO) / (HI - LO)) * size;
  return { size, px, py, x0: margin, y0: 6 };
}

/** Vermilion (0) through white (0.5) to blue (1), as in the report's surfaces; `strength` < 1 keeps the ends pale. */
function colour(v, strength = 0.9) {
  const t = Math.min(1, Math.abs(2 * v - 1)) * strength, c = v < 0.5 ? VERMILION : BLUE;
  return c.map((ch) => Math.round(255 + (ch - 255) * t));
}

/** Fills `f`'s plot area with `value(x1, x2)` and draws its 0.5 contour. */
function paint(ctx, f, value, n) {
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
  // Marching squares at 0.5: each cell's crossings, joined in pairs.
  ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.beginPath();
  const at = (r1, c1, r2, c2) => {
    const a = grid[r1][c1], b = grid[r2][c2], t = (0.5 - a) / (b - a);
    return [f.px(LO + ((HI - LO) * (c1 + t * (c2 - c1))) / n), f.py(LO + ((HI - LO) * (r1 + t * (r2 - r1))) / n)];
  };
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    const edges = [[r, c, r, c + 1], [r, c + 1, r + 1, c + 1], [r + 1, c, r + 1, c + 1], [r, c, r + 1, c]];
    const points = edges.filter(([a, b, d, e]) => (grid[a][b] < 0.5) !== (grid[d][e] < 0.5)).map((e) => at(...e));
    for (let k = 0; k + 1 < points.length; k += 2) { ctx.moveTo(...points[k]); ctx.lineTo(...points[k + 1]); }
  }
  ctx.stroke();
}

function drawSurface(layers) {
  const canvas = $("surface"), ctx = canvas.getContext("2d"), f = frame(canvas, 40);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  paint(ctx, f, (x1, x2) => forward(layers, [x1, x2, 1]).o, 110);
  ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(f.x0, f.y0, f.size, f.size);
  ctx.fillStyle = "#000"; ctx.font = "12px sans-serif";
  for (const t of [-0.5, 0, 0.5, 1, 1.5]) {
    ctx.textAlign = "center"; ctx.fillText(t, f.px(t), f.y0 + f.size + 17);
    ctx.textAlign = "right"; ctx.fillText(t, f.x0 - 4, f.py(t) + 4);
  }
  ctx.textAlign = "center"; ctx.fillText("x1", f.px(0.5), f.y0 + f.size + 33);
  ctx.save(); ctx.translate(10, f.py(0.5)); ctx.rotate(-Math.PI / 2); ctx.fillText("x2", 0, 0); ctx.restore();
  const removed = state.run.removed_rows;
  rowsOf().forEach((row, i) => {
    // A white ring outside a black one: visible on either colour of the surface.
    ctx.beginPath(); ctx.arc(f.px(row[0]), f.py(row[1]), 7, 0, 2 * Math.PI);
    ctx.lineWidth = 5; ctx.strokeStyle = "#fff"; ctx.stroke();
    ctx.lineWidth = 2; ctx.strokeStyle = "#000";
    if (removed.includes(i)) { ctx.setLineDash([3, 2]); ctx.stroke(); ctx.setLineDash([]); return; }
    ctx.fillStyle = rgb(colour(row[3], 1));
    ctx.fill(); ctx.stroke();
  });
}

function drawHidden(layers) {
  const box = $("hidden-units");
  $("hidden-figure").hidden = layers.length === 1;
  if (layers.length === 1) return;
  const h = layers[0][0].length;
  if (box.children.length !== h) {
    box.textContent = "";
    for (let j = 0; j < h; j++) {
      const d = document.createElement("div");
      const c = document.createElement("canvas");
      c.width = 110; c.height = 110; c.setAttribute("aria-label", `hidden unit ${j + 1}`);
      const p = document.createElement("div");
      d.append(c, p); box.append(d);
    }
  }
  [...box.children].forEach((d, j) => {
    const c = d.children[0], ctx = c.getContext("2d"), f = frame(c, 6);
    paint(ctx, f, (x1, x2) => sigma(x1 * layers[0][0][j] + x2 * layers[0][1][j] + layers[0][2][j]), 40);
    ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(f.x0, f.y0, f.size, f.size);
    d.children[1].textContent = `h${j + 1}: W2 = ${layers[1][j][0].toFixed(3)}`;
  });
}

const SVG = "http://www.w3.org/2000/svg";
function drawNetwork(layers) {
  const svg = $("network");
  svg.textContent = "";
  const sizes = [3, ...layers.map((m) => m[0].length)];
  const names = [["x1", "x2", "x3 = 1"], ...(layers.length === 2 ? [layers[0][0].map((_, j) => `h${j + 1}`)] : []), ["o"]];
  const W = 380, H = 300, x = (l) => 70 + (l * (W - 110)) / (sizes.length - 1);
  const y = (l, i) => (H * (i + 0.5)) / sizes[l];
  const all = state.run.snapshots.flatMap((s) => s.layers.flat(2)).map(Math.abs);
  const scale = Math.max(...all, 1e-9);
  layers.forEach((m, l) => m.forEach((row, i) => row.forEach((w, j) => {
    const line = document.createElementNS(SVG, "line");
    const name = layers.length === 1 ? `w${i + 1}` : `W${l + 1}[${i}][${j}]`;
    const text = `${name} = ${w}`;
    Object.entries({ x1: x(l), y1: y(l, i), x2: x(l + 1), y2: y(l + 1, j), stroke: rgb(w >= 0 ? BLUE : VERMILION, 0.85), "stroke-width": 0.8 + (9 * Math.abs(w)) / scale, tabindex: 0, "aria-label": text })
      .forEach(([k, v]) => line.setAttribute(k, v));
    const title = document.createElementNS(SVG, "title");
    title.textContent = text; line.append(title);
    const say = () => { $("edge-value").textContent = text; };
    line.addEventListener("mouseenter", say); line.addEventListener("focus", say);
    svg.append(line);
  })));
  sizes.forEach((n, l) => { for (let i = 0; i < n; i++) {
    const c = document.createElementNS(SVG, "circle");
    Object.entries({ cx: x(l), cy: y(l, i), r: 14, fill: "#fff", stroke: "#000", "stroke-width": 1.5 }).forEach(([k, v]) => c.setAttribute(k, v));
    const t = document.createElementNS(SVG, "text");
    Object.entries({ x: l === 0 ? x(l) - 18 : x(l), y: y(l, i) + 4, "text-anchor": l === 0 ? "end" : "middle", "font-size": 12 }).forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = names[l][i];
    svg.append(c, t);
  } });
}

/** Axes of a line plot: log x over the snapshots' iterations ≥ 1, and `y`. */
function axes(canvas, yRange, yLog, yLabel) {
  const ctx = canvas.getContext("2d"), m = { l: 62, r: 10, t: 8, b: 40 };
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const w = canvas.width - m.l - m.r, h = canvas.height - m.t - m.b;
  const N = Math.max(state.run.iterations, 10);
  const px = (t) => m.l + (Math.log10(Math.max(t, 1)) / Math.log10(N)) * w;
  const [lo, hi] = yLog ? yRange.map(Math.log10) : yRange;
  const py = (v) => m.t + (1 - ((yLog ? Math.log10(v) : v) - lo) / (hi - lo || 1)) * h;
  ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(m.l, m.t, w, h);
  ctx.fillStyle = "#000"; ctx.font = "12px sans-serif"; ctx.textAlign = "center";
  for (let e = 0; e <= Math.log10(N); e++) ctx.fillText(e === 0 ? "1" : `1e${e}`, px(10 ** e), m.t + h + 14);
  ctx.fillText("iteration (log; 0 drawn at 1)", m.l + w / 2, m.t + h + 30);
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

function series(a, values, colour, dash) {
  const { ctx, px, py } = a;
  ctx.strokeStyle = rgb(colour); ctx.lineWidth = 2; ctx.setLineDash(dash); ctx.beginPath();
  state.run.snapshots.forEach((s, k) => (k ? ctx.lineTo : ctx.moveTo).call(ctx, px(s.iteration), py(values[k])));
  ctx.stroke(); ctx.setLineDash([]);
}

function marker(a, i) {
  const { ctx, px, m, h } = a, t = state.run.snapshots[i].iteration;
  ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(px(t), m.t); ctx.lineTo(px(t), m.t + h); ctx.stroke();
}

function legend(a, items, left) {
  const { ctx, m, w } = a;
  ctx.font = "12px sans-serif"; ctx.textAlign = "left";
  items.forEach(([label, c, dash], k) => {
    const y = m.t + 14 + 16 * k, x = left ? m.l + 8 : m.l + w - 150;
    ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(x - 4, y - 11, 150, 16);
    ctx.strokeStyle = rgb(c); ctx.lineWidth = 2; ctx.setLineDash(dash); ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x + 22, y - 4); ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "#000"; ctx.fillText(label, x + 28, y);
  });
}

function drawLoss(i) {
  const s = state.run.snapshots, loss = s.map((x) => x.loss), err = s.map((x) => x.largest_error);
  const pos = [...loss, ...err].filter((v) => v > 0);
  const lo = Math.max(Math.min(...pos, 1), 1e-300), hi = Math.max(...pos, 1e-300);
  const a = axes($("loss-plot"), [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))], true, "loss, largest error");
  series(a, loss.map((v) => Math.max(v, lo)), BLUE, []);
  series(a, err.map((v) => Math.max(v, lo)), VERMILION, [6, 4]);
  marker(a, i);
  legend(a, [["loss", BLUE, []], ["largest error", VERMILION, [6, 4]]]);
}

function drawWeights(i) {
  const s = state.run.snapshots, flat = s.map((x) => x.layers.flat(2));
  const all = flat.flat(), lo = Math.min(...all, 0), hi = Math.max(...all, 0);
  const a = axes($("weights-plot"), [lo, hi === lo ? lo + 1 : hi], false, "weight");
  const names = weightNames(s[0].layers), two = s[0].layers.length === 2, h = two ? s[0].layers[0][0].length : 0;
  names.forEach((_, k) => series(a, flat.map((w) => w[k]), two ? (k < 3 * h ? BLUE : VERMILION) : PALETTE[k], two && k >= 3 * h ? [6, 4] : []));
  marker(a, i);
  legend(a, two ? [["W1 (3×H)", BLUE, []], ["W2 (H×1)", VERMILION, [6, 4]]] : names.map((n, k) => [n, PALETTE[k], []]), true);
}
