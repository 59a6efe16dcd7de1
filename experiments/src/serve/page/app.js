// `experiments serve`'s page: reads the configuration from the controls (and
// the address bar), asks /api/train for the run with its snapshots, and plays
// them. Surfaces are drawn with a forward pass here (o = σ(x·w), or
// h = σ(x·W1), o = σ(h·W2)); every number printed is the server's own.
"use strict";

const BLUE = [0, 114, 178], VERMILION = [213, 94, 0];
const PALETTE = [BLUE, VERMILION, [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [0, 0, 0]];
const SNAPSHOTS = 200;
const SECONDS_AT_X1 = 4;
const LO = -0.5, HI = 1.5;
const $ = (id) => document.getElementById(id);
const rgb = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;
const sigma = (z) => 1 / (1 + Math.exp(-z));

const state = {
  functions: [], // [{name, rows}]
  table: null, // the learner's rows [[x1, x2, x3, y], …], or null for a named function
  run: null, // /api/train's answer
  pos: 0, // the frame, fractional while playing
  playing: false,
  playWhenLoaded: false,
  pending: 0, // the number of the latest request; older answers are dropped
  loading: false,
  shown: -1,
};

// ---- configuration: controls <-> query -------------------------------------

function rowsOf() {
  if (state.table) return state.table;
  const f = state.functions.find((f) => f.name === $("data").value);
  return f ? f.rows : [];
}

function removedRows() {
  return [...document.querySelectorAll("#table-body input.use")].filter((c) => !c.checked).map((c) => Number(c.dataset.row));
}

/** The configuration as query parameters, in the API's names. */
function params() {
  const p = new URLSearchParams();
  if (state.table) p.set("rows", state.table.map((r) => r.join(",")).join(";"));
  else p.set("data", $("data").value);
  if ($("model").value) p.set("hidden", $("model").value);
  p.set("seed", $("seed").value.trim());
  p.set("iterations", $("iterations").value.trim());
  p.set("learning_rate", $("learning-rate").value.trim());
  const removed = removedRows();
  if (removed.length) p.set("remove_rows", removed.join(","));
  p.set("predict", $("predict").value.trim());
  return p;
}

function applyQuery(q) {
  if (q.get("rows")) {
    state.table = q.get("rows").split(";").map((r) => r.split(",").map(Number));
    $("data").value = "table";
  } else if (q.get("data")) {
    state.table = null;
    $("data").value = q.get("data");
  }
  const set = (id, key) => { if (q.get(key) !== null) $(id).value = q.get(key); };
  set("model", "hidden"); set("seed", "seed"); set("iterations", "iterations");
  set("learning-rate", "learning_rate"); set("predict", "predict");
  renderTable(q.get("remove_rows") ? q.get("remove_rows").split(",").map(Number) : []);
}

// ---- the table of rows ------------------------------------------------------

function renderTable(removed) {
  const body = $("table-body");
  body.textContent = "";
  rowsOf().forEach((row, i) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row"; th.textContent = i; tr.append(th);
    row.forEach((v, k) => {
      const td = document.createElement("td");
      const input = document.createElement("input");
      input.type = "text"; input.inputMode = "decimal"; input.value = v; input.disabled = !state.table;
      input.setAttribute("aria-label", `row ${i} ${["x1", "x2", "x3", "y"][k]}`);
      input.addEventListener("change", () => { state.table[i][k] = Number(input.value); changed(); });
      td.append(input); tr.append(td);
    });
    const use = document.createElement("input");
    use.type = "checkbox"; use.className = "use"; use.dataset.row = i; use.checked = !removed.includes(i);
    use.setAttribute("aria-label", `train on row ${i}`);
    use.addEventListener("change", changed);
    const td = document.createElement("td"); td.append(use); tr.append(td);
    const del = document.createElement("td");
    if (state.table) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = "×"; b.setAttribute("aria-label", `delete row ${i}`);
      b.addEventListener("click", () => { state.table.splice(i, 1); renderTable([]); changed(); });
      del.append(b);
    }
    tr.append(del);
    body.append(tr);
  });
}

/** Makes the rows the learner's own table (a copy of the function's) and adds `row`. */
function addRow(row) {
  if (!state.table) { state.table = rowsOf().map((r) => r.slice()); $("data").value = "table"; }
  if (state.table.length >= 16) { $("error").textContent = "a table has at most 16 rows"; return; }
  const removed = removedRows();
  state.table.push(row);
  renderTable(removed);
  changed();
}

// ---- fetching a run ---------------------------------------------------------

let timer = 0;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(load, 120);
}

async function load() {
  const p = params();
  history.replaceState(null, "", "?" + p.toString());
  $("share").href = location.href;
  const id = ++state.pending;
  state.loading = true;
  state.playing = false;
  document.body.removeAttribute("data-done");
  $("status").textContent = "training…";
  let answer, text = "";
  try {
    let response;
    if (state.table) {
      const body = Object.fromEntries([...p].filter(([k]) => k !== "rows"));
      body.rows = state.table;
      body.snapshots = SNAPSHOTS;
      response = await fetch("/api/train", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } else {
      p.set("snapshots", SNAPSHOTS);
      response = await fetch("/api/train?" + p.toString());
    }
    text = await response.text();
    answer = JSON.parse(text);
  } catch (e) {
    answer = { error: "the server did not answer (" + e + ")" };
  }
  if (id !== state.pending) return;
  state.loading = false;
  if (answer.error) {
    $("error").textContent = answer.error;
    $("status").textContent = state.run ? "not trained (see the message above); the views show the last run" : "";
    return;
  }
  $("error").textContent = "";
  state.run = answer;
  state.pos = 0;
  state.shown = -1;
  $("frame").max = answer.snapshots.length - 1;
  $("status").textContent = `${answer.model}, data ${answer.data}, seed ${answer.seed}, ${answer.iterations} iterations: ${answer.snapshots.length} frames`;
  downloads(text);
  if (state.playWhenLoaded) { state.playWhenLoaded = false; play(true); }
  show();
}

/** run.json: the server's own text of the `train --json` object (its answer
 * is that object with `,"snapshots":[…]` added last), so its bytes are the
 * command line's; snapshots.csv: one row per snapshot. */
function downloads(text) {
  const json = new Blob([text.slice(0, text.indexOf(',"snapshots":[')) + "}\n"], { type: "application/json" });
  const names = weightNames(state.run.layers);
  const lines = [["iteration", "loss", "largest_error", ...names].join(",")];
  for (const s of state.run.snapshots) lines.push([s.iteration, s.loss, s.largest_error, ...s.layers.flat(2)].join(","));
  const csv = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
  for (const [id, blob] of [["download-json", json], ["download-csv", csv]]) {
    const a = $(id);
    if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(blob);
  }
}

/** The names of `layers.flat(2)`, in the command line's names. */
function weightNames(layers) {
  if (layers.length === 1) return layers[0].map((_, i) => `w${i + 1}`);
  return [...layers[0].flatMap((r, i) => r.map((_, j) => `W1[${i}][${j}]`)), ...layers[1].map((_, j) => `W2[${j}]`)];
}

// ---- playback ---------------------------------------------------------------

function last() { return state.run ? state.run.snapshots.length - 1 : 0; }

function play(on) {
  if (!state.run || state.loading) { state.playWhenLoaded = on; return; }
  if (on && state.pos >= last()) state.pos = 0;
  state.playing = on;
  $("play").textContent = on ? "Pause" : "Play";
  previous = performance.now();
}

let previous = 0;
function tick(now) {
  requestAnimationFrame(tick);
  // A frame's time stamp may precede the click that started playing: never step back.
  const dt = Math.min(Math.max(now - previous, 0), 100) / 1000;
  previous = now;
  if (state.playing && state.run) {
    state.pos += dt * Number($("speed").value) * last() / SECONDS_AT_X1;
    if (state.pos >= last()) { state.pos = last(); play(false); }
  }
  show();
}

// ---- drawing ----------------------------------------------------------------

function show() {
  if (!state.run) return;
  const i = Math.floor(state.pos);
  if (i === state.shown) return;
  state.shown = i;
  const run = state.run, s = run.snapshots[i];
  $("frame").value = i;
  $("iteration").textContent = `${s.iteration} of ${run.iterations}`;
  $("loss").textContent = String(s.loss);
  $("largest-error").textContent = String(s.largest_error);
  $("weights").textContent = JSON.stringify(s.layers);
  $("predict-input").textContent = `[${run.predict.join(", ")}]`;
  $("prediction").textContent = String(run.prediction);
  $("exp").textContent = `${run.exp} (this server's exp for the sigmoid; train --json names the same)`;
  drawSurface(s.layers);
  drawHidden(s.layers);
  drawNetwork(s.layers);
  drawLoss(i);
  drawWeights(i);
  if (i === last() && !state.loading) document.body.dataset.done = "true";
  else document.body.removeAttribute("data-done");
}

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

/** Blue (0) through white (0.5) to vermilion (1); `strength` < 1 keeps the ends pale. */
function colour(v, strength = 0.9) {
  const t = Math.min(1, Math.abs(2 * v - 1)) * strength, c = v < 0.5 ? BLUE : VERMILION;
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

// ---- start ------------------------------------------------------------------

async function start() {
  const answer = await (await fetch("/api/functions")).json();
  state.functions = answer.functions;
  const select = $("data");
  for (const f of state.functions) select.append(new Option(f.name + (f.separable ? "" : " (not linearly separable)"), f.name));
  select.append(new Option("your table (edit below)", "table"));
  select.value = "x1";
  applyQuery(new URLSearchParams(location.search));
  select.addEventListener("change", () => {
    if (select.value === "table") state.table = state.table || rowsOf().map((r) => r.slice());
    else state.table = null;
    renderTable([]); changed();
  });
  for (const id of ["model", "seed", "iterations", "learning-rate", "predict"]) $(id).addEventListener("change", changed);
  $("add-row").addEventListener("click", () => addRow([0.5, 0.5, 1, Number($("new-target").value)]));
  $("play").addEventListener("click", () => play(!state.playing));
  $("step").addEventListener("click", () => { play(false); state.pos = Math.min(Math.floor(state.pos) + 1, last()); });
  $("end").addEventListener("click", () => { play(false); state.pos = last(); });
  $("reset").addEventListener("click", () => { play(false); state.pos = 0; });
  $("frame").addEventListener("input", () => { play(false); state.pos = Number($("frame").value); });
  $("surface").addEventListener("click", (e) => {
    const canvas = $("surface"), f = frame(canvas, 40), r = canvas.getBoundingClientRect();
    const cx = ((e.clientX - r.left) * canvas.width) / r.width, cy = ((e.clientY - r.top) * canvas.height) / r.height;
    const x1 = LO + ((cx - f.x0) / f.size) * (HI - LO), x2 = LO + (1 - (cy - f.y0) / f.size) * (HI - LO);
    if (x1 < LO || x1 > HI || x2 < LO || x2 > HI) return;
    const round = (v) => Math.round(v * 100) / 100;
    addRow([round(x1), round(x2), 1, Number($("new-target").value)]);
  });
  await load();
  requestAnimationFrame((now) => { previous = now; tick(now); });
}

start();
