// `experiments serve`'s page: reads the configuration from the fields (and a
// link's address), checks it against the server's limits (/api/limits) and
// says what is wrong beside the field, in the page's words; asks /api/train
// for the run with its snapshots as the learner types (debounced), keeping the
// last good run on screen and in the address bar; plays the snapshots and
// prints each frame's numbers (the server's own, exact, in `formatNumber`'s
// form); views.js draws the pictures.
"use strict";

const SNAPSHOTS = 200;
const SECONDS_AT_X1 = 4;
/** How long the page waits after the last keystroke before it trains. */
const DEBOUNCE_MS = 400;
const $ = (id) => document.getElementById(id);

const state = {
  functions: [], // [{name, separable, rows}]
  limits: null, // /api/limits
  table: null, // the learner's rows as typed, [[x1, x2, x3, y] as text, …], or null for a named function
  removed: [], // the 0-based rows left out, ascending
  linkErrors: {}, // field id → what is wrong with the link that opened the page, until that field changes
  run: null, // the last good run: /api/train's answer
  runText: "", // its text
  runRows: [], // the rows it was trained on, [[x1, x2, x3, y], …] as numbers
  runTable: null, // the table it was trained on (null for a named function)
  pos: 0, // the frame, fractional while playing
  playing: false,
  playWhenLoaded: false,
  replay: false, // the bias was switched: play the new run from its first frame once it has trained
  pending: 0, // the number of the latest request; older answers are dropped
  loading: false,
  shown: -1,
  picked: null, // the weight hovered or focused (an index into layers.flat(2))
  cursor: null, // the keyboard cursor on the surface, [x1, x2]
};

// ---- numbers as the learner types them --------------------------------------

/** A decimal number as the command line reads one (`1`, `-0.5`, `.5`, `2e-3`), or NaN. */
function number(text) {
  const t = String(text).trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

/** A whole number written with digits only, or NaN. */
function whole(text) {
  const t = String(text).trim();
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

// ---- configuration: fields <-> request ---------------------------------------

function functionRows(name) {
  const f = state.functions.find((f) => f.name === name);
  return f ? f.rows : null;
}

/** The rows shown in the table: the learner's (as typed) or the function's. */
function rowsShown() {
  return state.table || (functionRows($("data").value) || []).map((r) => r.map(String));
}

/**
 * The fields read and checked: `errors` maps a field's id to what is wrong,
 * in the page's words; otherwise `query` (for the address bar), `request`
 * (the API call) and `rows` (the rows trained on).
 */
function readConfig() {
  const errors = { ...state.linkErrors };
  const L = state.limits;
  const q = new URLSearchParams();
  const body = {};
  let rows = null;
  if (state.table) {
    rows = state.table.map((r) => r.map(number));
    const bad = [];
    rows.forEach((r, i) => r.forEach((v, k) => {
      const name = ["x1", "x2", "x3", "y"][k];
      if (!Number.isFinite(v)) bad.push(`row ${i}, ${name}: type a number, such as 0.5`);
      else if (k === 3 && (v < 0 || v > 1)) bad.push(`row ${i}, y: a target is between 0 and 1`);
    }));
    if (rows.length === 0) bad.push("the table is empty: add a row, or choose a function");
    if (bad.length) errors.table = bad.slice(0, 2).join("; ") + (bad.length > 2 ? `; and ${bad.length - 2} more` : "") + ".";
    q.set("rows", state.table.map((r) => r.map((c) => c.trim()).join(",")).join(";"));
    body.rows = rows;
  } else if (!errors.data) {
    q.set("data", $("data").value);
    body.data = $("data").value;
    rows = functionRows($("data").value);
  }
  const hidden = $("model").value;
  if (hidden) { q.set("hidden", hidden); body.hidden = hidden; }
  // The output bias is a two-layer model's: off (and not sent) for one layer.
  if (hidden && $("output-bias").checked) { q.set("output_bias", "true"); body.output_bias = true; }
  const lr = number($("learning-rate").value);
  if (!(lr > 0 && Number.isFinite(lr))) errors["learning-rate"] = "The learning rate is a positive number, such as 1 or 0.5.";
  const seed = whole($("seed").value);
  if (!(seed <= L.max_seed)) errors.seed = `The seed is a whole number from 0 to ${L.max_seed} (NumPy's seeds).`;
  const iterations = whole($("iterations").value);
  if (!(iterations <= L.max_iterations)) errors.iterations = `Iterations: a whole number from 0 to ${L.max_iterations} (the server's limit for one run).`;
  const predict = $("predict").value.split(",").map(number);
  if (predict.length !== 3 || !predict.every(Number.isFinite)) errors.predict = "Three numbers separated by commas, such as 1,0,1.";
  if (rows && !errors.table) {
    if (state.removed.some((r) => r >= rows.length)) {
      errors.table = `Row ${state.removed.find((r) => r >= rows.length)} cannot be left out: the data has rows 0 to ${rows.length - 1}.`;
    } else if (state.removed.length >= rows.length) errors.table = "Keep at least one row to train on: tick one.";
  }
  for (const [key, id, value] of [["seed", "seed", seed], ["iterations", "iterations", iterations], ["learning_rate", "learning-rate", $("learning-rate").value.trim()]]) {
    q.set(key, String(value)); body[key] = id === "learning-rate" ? value : String(value);
  }
  if (state.removed.length) { q.set("remove_rows", state.removed.join(",")); body.remove_rows = state.removed; }
  q.set("predict", $("predict").value.split(",").map((v) => v.trim()).join(","));
  body.predict = q.get("predict");
  body.snapshots = SNAPSHOTS;
  return { errors, query: q.toString(), body, rows: rows && rows.map((r) => r.slice()), table: state.table && rows };
}

/** Shows each field's message beside it (and clears the others). */
function showErrors(errors) {
  for (const element of document.querySelectorAll(".field-error")) {
    const id = element.dataset.for, message = errors[id] || "";
    element.textContent = message;
    const field = $(id);
    if (field) field.setAttribute("aria-invalid", message ? "true" : "false");
  }
}

/**
 * Fills the fields from a link's query. A value the page cannot show in its
 * field (a data set that is not one of the 16 functions, a model outside one
 * layer and 1 to `max_hidden` hidden units, an unknown parameter) is not
 * replaced by another: it is named beside its field and nothing trains until
 * the learner chooses.
 */
function applyQuery(q) {
  const L = state.limits, link = {};
  const known = [...L.fields, "rows"]; // the query's names (/api/limits), and the page's own table
  const unknown = [...q.keys()].filter((k) => !known.includes(k));
  if (unknown.length) link.data = `The link has a parameter the page does not know: ${unknown.join(", ")}. Choose the data set to go on.`;
  if (q.get("rows") !== null) {
    state.table = q.get("rows").split(";").map((r) => r.split(","));
    if (state.table.length > L.max_rows || state.table.some((r) => r.length !== 4)) {
      link.table = `The link's table is not 1 to ${L.max_rows} rows of four numbers x1, x2, x3, y.`;
      state.table = state.table.slice(0, L.max_rows).map((r) => [...r, "", "", "", ""].slice(0, 4));
    }
    $("data").value = "table";
  } else if (q.get("data") !== null) {
    const name = q.get("data");
    if (functionRows(name)) $("data").value = name;
    else {
      link.data = `The link asks for data "${name}", which is none of the 16 functions. Choose one, or your own table.`;
      $("data").selectedIndex = -1; // blank, so that any choice is a change
    }
  }
  const hidden = q.get("hidden");
  if (hidden !== null) {
    const h = whole(hidden);
    if (h >= 1 && h <= L.max_hidden) $("model").value = String(h);
    else {
      link.model = `The link asks for hidden=${hidden}; the page trains one layer or 1 to ${L.max_hidden} hidden units. Choose a model.`;
      $("model").selectedIndex = -1;
    }
  }
  const bias = q.get("output_bias");
  if (bias !== null) {
    if (bias === "true" || bias === "false") $("output-bias").checked = bias === "true";
    else link["output-bias"] = `The link asks for output_bias=${bias}; it is true or false. Tick or untick the box.`;
    if (bias === "true" && hidden === null) {
      link["output-bias"] = "The link asks for output_bias=true with one layer, whose bias is its constant input x3. Choose a two-layer model, or untick the box.";
    }
  }
  const set = (id, key) => { if (q.get(key) !== null) $(id).value = q.get(key); };
  set("seed", "seed"); set("iterations", "iterations"); set("learning-rate", "learning_rate"); set("predict", "predict");
  const removed = q.get("remove_rows");
  if (removed) {
    const rows = removed.split(",").map(whole);
    if (rows.every(Number.isFinite) && new Set(rows).size === rows.length) state.removed = rows.sort((a, b) => a - b);
    else link.table = `The link leaves out rows "${removed}": expected distinct row numbers such as 1,2.`;
  }
  state.linkErrors = link;
}

// ---- the table of rows ------------------------------------------------------

/** Re-draws the table (after a change of its shape: a row added or deleted, another data set). */
function renderTable() {
  const body = $("table-body");
  body.textContent = "";
  rowsShown().forEach((row, i) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row"; th.textContent = i; tr.append(th);
    row.forEach((v, k) => {
      const td = document.createElement("td");
      const input = document.createElement("input");
      input.type = "text"; input.inputMode = "decimal"; input.value = v; input.readOnly = !state.table;
      input.setAttribute("aria-label", `row ${i} ${["x1", "x2", "x3", "y"][k]}`);
      input.addEventListener("input", () => {
        if (!state.table) return;
        state.table[i][k] = input.value;
        if (k === 2) markPlane(tr, i);
        changed();
      });
      td.append(input); tr.append(td);
    });
    const use = document.createElement("input");
    use.type = "checkbox"; use.className = "use"; use.checked = !state.removed.includes(i);
    use.setAttribute("aria-label", `train on row ${i}`);
    use.addEventListener("change", () => {
      state.removed = use.checked ? state.removed.filter((r) => r !== i) : [...state.removed, i].sort((a, b) => a - b);
      delete state.linkErrors.table;
      changed();
    });
    const td = document.createElement("td"); td.append(use); tr.append(td);
    const del = document.createElement("td");
    if (state.table) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = "×"; b.setAttribute("aria-label", `delete row ${i}`);
      b.addEventListener("click", () => deleteRow(i));
      del.append(b);
    }
    tr.append(del);
    body.append(tr);
    markPlane(tr, i);
  });
}

/** Marks row `i` as off the drawn plane when its x3 is not 1 (the surface is drawn at x3 = 1). */
function markPlane(tr, i) {
  const off = number(rowsShown()[i][2]) !== 1;
  tr.classList.toggle("off-plane", off);
  tr.title = off ? `row ${i}: x3 is not 1, so the row is off the drawn plane x3 = 1 and not drawn on the surface` : "";
  const x3 = tr.querySelectorAll("input")[2];
  if (x3) x3.setAttribute("aria-description", off ? "off the drawn plane" : "");
}

/** Deletes row `i`; the other left-out rows stay left out (those after it move up by one). */
function deleteRow(i) {
  state.table.splice(i, 1);
  state.removed = state.removed.filter((r) => r !== i).map((r) => (r > i ? r - 1 : r));
  delete state.linkErrors.table;
  renderTable();
  changed();
}

/** Makes the rows the learner's own table (a copy of the function's) and adds `row`. */
function addRow(row) {
  if (!state.table) { state.table = rowsShown().map((r) => r.slice()); $("data").value = "table"; delete state.linkErrors.data; }
  if (state.table.length >= state.limits.max_rows) {
    showErrors({ ...readConfig().errors, table: `A table has at most ${state.limits.max_rows} rows: delete one first.` });
    return;
  }
  state.table.push(row.map(String));
  renderTable();
  changed();
}

// ---- fetching a run ---------------------------------------------------------

let timer = 0;
/** A field changed: train once the learner pauses typing. */
function changed(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  timer = setTimeout(load, delay);
}

/** Which field a server refusal is about, and the page's words for it. */
function refusal(message) {
  if (/not finite numbers|overflow in the weighted sums/.test(message)) return ["learning-rate", "At this learning rate the weights overflow: try a smaller one."];
  if (/cannot predict/.test(message)) return ["predict", "This input times the trained weights is too large for a number: try smaller values."];
  const fields = [[/output.bias/, "output-bias"], [/learning.rate/, "learning-rate"], [/'seed'|--seed/, "seed"], [/iterations/, "iterations"], [/hidden/, "model"], [/predict/, "predict"], [/rows|row \d/, "table"]];
  const found = fields.find(([re]) => re.test(message));
  return [found ? found[1] : "data", `The server did not train this: ${message}`];
}

async function load() {
  const config = readConfig();
  showErrors(config.errors);
  const wrong = Object.keys(config.errors).length;
  if (wrong) {
    $("status").textContent = state.run
      ? "Not trained: see the marked field. The views show the last good run."
      : "Nothing trained yet: see the marked field.";
    return;
  }
  const id = ++state.pending;
  state.loading = true;
  play(false);
  document.body.removeAttribute("data-done");
  $("status").textContent = "training…";
  let answer, text = "";
  try {
    const response = config.table
      ? await fetch("/api/train", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(config.body) })
      : await fetch("/api/train?" + config.query + "&snapshots=" + SNAPSHOTS);
    text = await response.text();
    answer = JSON.parse(text);
  } catch (e) {
    answer = { error: null, unreachable: String(e) };
  }
  if (id !== state.pending) return;
  state.loading = false;
  if (answer.unreachable || answer.error) {
    state.replay = false;
    if (answer.unreachable) {
      $("status").textContent = `The server did not answer (${answer.unreachable}): is experiments serve still running? The views show the last good run.`;
    } else {
      const [field, words] = refusal(answer.error);
      showErrors({ [field]: words });
      $("status").textContent = state.run ? "Not trained: see the marked field. The views show the last good run." : "Nothing trained: see the marked field.";
    }
    return;
  }
  state.run = answer;
  state.runText = text;
  state.runRows = config.rows;
  state.runTable = config.table;
  state.run.scale = Math.max(...answer.snapshots.flatMap((s) => s.layers.flat(2)).map(Math.abs), 1e-9);
  state.pos = 0;
  state.shown = -1;
  // The address bar holds the last good run only.
  history.replaceState(null, "", "?" + config.query);
  $("share").href = location.href;
  $("frame").max = answer.snapshots.length - 1;
  $("status").textContent = `${answer.model}, data ${answer.data}, seed ${answer.seed}, ${answer.iterations} iterations, learning rate ${formatNumber(answer.learning_rate)}: ${answer.snapshots.length} frame${answer.snapshots.length === 1 ? "" : "s"}`;
  predictionLabel();
  downloads();
  notebookLink(config);
  if (state.playWhenLoaded || state.replay) { state.playWhenLoaded = state.replay = false; play(true); }
  show();
}

/** The prediction's label: its input, and whether it lies on the drawn plane. */
function predictionLabel() {
  const p = state.run.predict;
  $("predict-input").textContent = `[${p.map(String).join(", ")}]`;
  const inside = (v) => v >= LO && v <= HI;
  $("predict-where").textContent = p[2] === 1
    ? (inside(p[0]) && inside(p[1]) ? "◇ on the drawn plane" : "on the plane x3 = 1, outside the drawn square")
    : `off the drawn plane (x3 = ${p[2]})` + (p[2] === 0 ? ": the bias input is off" + (state.run.layers.length === 1 && p[0] === 1 && p[1] === 0 ? ", so o = σ(w1)" : "") : "");
}

/**
 * run.json: the server's own text of the `train --json` object (its answer is
 * that object with `,"snapshots":[…]` added last), so that its bytes are the
 * command line's; for a table, `"rows"` is added last, so the file alone
 * reproduces the run. snapshots.csv: one row per snapshot, weights named as
 * on the network.
 */
function downloads() {
  let json = state.runText.slice(0, state.runText.indexOf(',"snapshots":['));
  if (state.runTable) json += `,"rows":${JSON.stringify(state.runTable)}`;
  const names = weightList(state.run.layers).map((w) => w.csv);
  const lines = [["iteration", "loss", "largest_error", "prediction", ...names].join(",")];
  for (const s of state.run.snapshots) lines.push([s.iteration, s.loss, s.largest_error, s.prediction, ...s.layers.flat(2)].map((v) => (typeof v === "number" && !Number.isInteger(v) ? formatNumber(v) : v)).join(","));
  const blobs = [["download-json", new Blob([json + "}\n"], { type: "application/json" })], ["download-csv", new Blob([lines.join("\n") + "\n"], { type: "text/csv" })]];
  for (const [id, blob] of blobs) {
    const a = $(id);
    if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(blob);
  }
}

/**
 * notebook.py: the same request as a self-contained NumPy script
 * (/api/notebook.py, `train --numpy`'s text): a link to it for a named
 * function, the script fetched with the table for a table of the learner's.
 */
async function notebookLink(config) {
  const a = $("download-notebook");
  if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
  if (!config.table) { a.href = "/api/notebook.py?" + config.query; return; }
  a.removeAttribute("href");
  const response = await fetch("/api/notebook.py", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(config.body) });
  if (response.ok) a.href = URL.createObjectURL(await response.blob());
}

// ---- playback ---------------------------------------------------------------

function last() { return state.run ? state.run.snapshots.length - 1 : 0; }

function play(on) {
  if (on && (!state.run || state.loading)) { state.playWhenLoaded = true; return; }
  if (on && state.pos >= last()) state.pos = 0;
  state.playing = on;
  if (!on) state.playWhenLoaded = false;
  $("play").textContent = on ? "Pause" : "Play";
  $("play").setAttribute("aria-pressed", on ? "true" : "false");
  if (on) document.body.dataset.playing = "true"; else document.body.removeAttribute("data-playing");
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

function show(force) {
  if (!state.run) return;
  const i = Math.floor(state.pos);
  if (i === state.shown && !force) return;
  state.shown = i;
  const run = state.run, s = run.snapshots[i];
  $("frame").value = i;
  $("frame").setAttribute("aria-valuetext", `iteration ${s.iteration}`);
  $("iteration").textContent = `${s.iteration} of ${run.iterations}`;
  $("loss").textContent = formatNumber(s.loss);
  $("largest-error").textContent = formatNumber(s.largest_error);
  $("prediction").textContent = formatNumber(s.prediction);
  $("exp").textContent = `${run.exp} (this server's exp for the sigmoid; train --json names the same)`;
  drawSurface(s);
  surfaceReadout();
  drawHidden(s);
  drawNetwork(s);
  drawWeightsTable(s);
  drawLoss(i);
  drawWeights(i);
  showPicked();
  if (i === last() && !state.loading) document.body.dataset.done = "true";
  else document.body.removeAttribute("data-done");
}

/** The surface's readout: o at the pointer or the keyboard cursor, from the page's own forward pass. */
let pointer = null;
function surfaceReadout() {
  const at = pointer || state.cursor;
  const out = $("surface-value");
  if (!at || !state.run) { out.textContent = "point at the surface (or focus it, arrow keys)"; return; }
  const o = forward(state.run.snapshots[state.shown].layers, [at[0], at[1], 1]).o;
  out.textContent = `o(${formatNumber(at[0])}, ${formatNumber(at[1])}) = ${formatNumber(o)}`;
}

/** The plane point under a mouse event on the surface, rounded to 0.01, or null outside the square. */
function planeAt(e) {
  const canvas = $("surface"), f = frame(canvas, SURFACE_MARGIN), r = canvas.getBoundingClientRect();
  const cx = ((e.clientX - r.left) * canvas.width) / r.width, cy = ((e.clientY - r.top) * canvas.height) / r.height;
  const round = (v) => Math.round(v * 100) / 100;
  const x1 = round(f.x1(cx)), x2 = round(f.x2(cy));
  return x1 < LO || x1 > HI || x2 < LO || x2 > HI ? null : [x1, x2];
}

// ---- start ------------------------------------------------------------------

function listen() {
  const select = $("data");
  // The function last chosen: "your table" starts as a copy of its rows.
  let chosen = functionRows(select.value) ? select.value : "x1";
  select.addEventListener("change", () => {
    delete state.linkErrors.data;
    if (select.value === "table") state.table = state.table || functionRows(chosen).map((r) => r.map(String));
    else { state.table = null; chosen = select.value; }
    state.removed = [];
    delete state.linkErrors.table;
    renderTable(); changed(0);
  });
  $("model").addEventListener("change", () => { delete state.linkErrors.model; biasControl(); changed(0); });
  // Switching the bias replays the same seed (every other field kept) from its first frame.
  $("output-bias").addEventListener("change", () => { delete state.linkErrors["output-bias"]; state.replay = true; changed(0); });
  for (const id of ["seed", "iterations", "learning-rate", "predict"]) $(id).addEventListener("input", () => changed());
  $("notebook-input").addEventListener("click", () => { $("predict").value = "1,0,0"; changed(0); });
  $("plane-input").addEventListener("click", () => { $("predict").value = "1,0,1"; changed(0); });
  $("add-row").addEventListener("click", () => addRow([0.5, 0.5, 1, number($("new-target").value)]));
  $("play").addEventListener("click", () => play(!state.playing));
  $("step").addEventListener("click", () => { play(false); state.pos = Math.min(Math.floor(state.pos) + 1, last()); });
  $("end").addEventListener("click", () => { play(false); state.pos = last(); });
  $("reset").addEventListener("click", () => { play(false); state.pos = 0; });
  $("frame").addEventListener("input", () => { play(false); state.pos = Number($("frame").value); });
  // Space plays and pauses, unless a field or a button has the key.
  document.addEventListener("keydown", (e) => {
    if (e.key !== " " || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.target.closest && e.target.closest("input, select, textarea, button, a")) return;
    e.preventDefault();
    play(!state.playing);
  });
  const surface = $("surface");
  surface.addEventListener("click", (e) => {
    const at = planeAt(e);
    if (at) addRow([at[0], at[1], 1, number($("new-target").value)]);
  });
  surface.addEventListener("mousemove", (e) => { pointer = planeAt(e); surfaceReadout(); });
  surface.addEventListener("mouseleave", () => { pointer = null; surfaceReadout(); });
  surface.addEventListener("focus", () => { state.cursor = state.cursor || [0.5, 0.5]; show(true); });
  surface.addEventListener("blur", () => { state.cursor = null; show(true); });
  surface.addEventListener("keydown", (e) => {
    const moves = { ArrowLeft: [-0.05, 0], ArrowRight: [0.05, 0], ArrowUp: [0, 0.05], ArrowDown: [0, -0.05] };
    if (moves[e.key] && state.cursor) {
      e.preventDefault();
      const clamp = (v) => Math.min(HI, Math.max(LO, Math.round(v * 100) / 100));
      state.cursor = [clamp(state.cursor[0] + moves[e.key][0]), clamp(state.cursor[1] + moves[e.key][1])];
      show(true);
    } else if (e.key === "Enter" && state.cursor) addRow([state.cursor[0], state.cursor[1], 1, number($("new-target").value)]);
  });
  const plot = $("weights-plot");
  const toCanvas = (e) => { const r = plot.getBoundingClientRect(); return [((e.clientX - r.left) * plot.width) / r.width, ((e.clientY - r.top) * plot.height) / r.height]; };
  plot.addEventListener("mousemove", (e) => { const k = curveAt(...toCanvas(e)); if (k !== state.picked) { state.picked = k; showPicked(); drawWeights(state.shown); } });
  plot.addEventListener("mouseleave", () => { state.picked = null; showPicked(); drawWeights(state.shown); });
  plot.addEventListener("focus", () => { if (state.picked === null) pick(0); });
  plot.addEventListener("blur", () => { state.picked = null; showPicked(); drawWeights(state.shown); });
  plot.addEventListener("keydown", (e) => {
    if (!state.run || !["ArrowUp", "ArrowDown"].includes(e.key)) return;
    e.preventDefault();
    const n = state.run.layers.flat(2).length;
    pick(((state.picked ?? 0) + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
  });
}

/** The bias box is for two layers only: disabled (and so not sent) for one layer. */
function biasControl() {
  $("output-bias").disabled = !$("model").value;
}

async function start() {
  const [functions, limits] = await Promise.all([fetch("/api/functions").then((r) => r.json()), fetch("/api/limits").then((r) => r.json())]);
  state.functions = functions.functions;
  state.limits = limits;
  const select = $("data");
  for (const f of state.functions) select.append(new Option(f.name + (f.separable ? "" : " (not linearly separable)"), f.name));
  select.append(new Option("your table (edit below)", "table"));
  select.value = "x1";
  const model = $("model");
  for (let h = 1; h <= limits.max_hidden; h++) model.append(new Option(`two layers 3→${h}→1`, String(h)));
  // The controls' bounds are the server's (/api/limits), not written in the page.
  [$("new-target").min, $("new-target").max] = limits.target_range.map(String);
  applyQuery(new URLSearchParams(location.search));
  biasControl();
  renderTable();
  listen();
  await load();
  requestAnimationFrame((now) => { previous = now; tick(now); });
}

start();
