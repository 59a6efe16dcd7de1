// `experiments serve`'s page: reads the configuration from the controls (and
// the address bar), asks /api/train for the run with its snapshots, plays
// them, and prints each frame's numbers (the server's own, in full
// precision); views.js draws the pictures.
"use strict";

const SNAPSHOTS = 200;
const SECONDS_AT_X1 = 4;
const $ = (id) => document.getElementById(id);

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
  $("status").textContent = `${answer.model}, data ${answer.data}, seed ${answer.seed}, ${answer.iterations} iterations: ${answer.snapshots.length} frame${answer.snapshots.length === 1 ? "" : "s"}`;
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

// ---- showing a frame -------------------------------------------------------

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
