#!/usr/bin/env python3
"""Recompute a sample of studies F and G and the decision surfaces in NumPy, and
compare with the committed CSVs in results/.

Each run is the notebook's loop (`numpy_reference.run`, the C library's exp by
default), with every forward pass's largest error watched; the definitions are
those of experiments/src/sweep/study/{truth_tables,learning_rate,surfaces}.rs:

  F (truth_tables.csv): each of the 16 functions f(x1, x2) as targets on the
    notebook's rows, one layer and 3->H->1 (H = 1, 2, 3, 4, 8), min(--iterations,
    10000) steps at the sweep's learning rate. learned = every final output
    strictly on its target's side of 0.5; max_error = max |y - o|; settled_at =
    the first s with max |y - o_t| < 0.1 for every t >= s (o_t: the outputs of
    the weights after t updates, t = 0..N), empty if the final one is not below.
  G (learning_rate.csv, learning_rate_summary.csv): the notebook's rule, one
    layer and H = 2, 4, 8, rates 0.1 ... 100, ceil(K / rate) steps with
    K = min(--iterations, 20000); settled_at as above with 0.01; final_loss =
    1/2 sum (y - o)^2 of the final weights; from the run's loss at every step
    (trajectory.rs): rose_at (the first step raising L by more than 1e-9,
    relative) and flat_from (the first t from which every L is within 1 % of
    the final one); the outcome, the first that holds: settled; diverged (a
    weight not finite); plateau (flat_from <= N // 2 and |dL/dw| < 1e-3);
    descending.
    Each cell's counts, nearest-rank (lower) median and range of settled_at in
    the summary are recomputed from the CSV's rows, which NumPy's runs check.
  Surfaces (surfaces.csv): o(x1, x2) with x3 = 1 on the 41 x 41 grid of
    [-0.5, 1.5]^2, one layer and H = 4 on x1 and xor, seed 1, the sweep's
    --iterations and learning rate; compared at every grid point.
  Hidden units (hidden_units.csv, surfaces/hidden.rs): the H = 4 xor network of
    the surfaces, seed 1; each hidden unit's h_j = sigmoid(x . W1[:, j]) and the
    output on the four rows, the Boolean function each computes (1 where the
    value is above 0.5, named as FUNCTIONS) and W2[j]; compared row by row.

The sweep's --iterations and learning rate are read from results/manifest.json.
It prints one line per group and the disagreements, and exits 1 on any:
learned/outcome/settled_at must be equal, outputs, errors and losses within
--tolerance (relative, 1e-9; two-layer runs differ from NumPy's in the last
bits, see the README). A value beyond the tolerance on which NumPy disagrees
with itself beyond the tolerance too, when it sums np.dot(x.T, delta) from the
last row instead, is reported as chaotic (the run amplifies rounding, e.g. H = 8
at learning rate 50) and does not fail, as in compare_with_numpy.py.

    python3 scripts/numpy_studies.py                       # F seeds 0,1; G seed 0; all 4 surfaces (~3.5 min)
    python3 scripts/numpy_studies.py --f-seeds 0-7 --g-seeds 0-7   # every run of F and G (G alone: ~14 min)

Needs only NumPy; the project's tests do not use it.
"""
import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np

from numpy_reference import EXP, EXP_CHOICES, FUNCTIONS, environment, load_data, run, sigmoid

F_HIDDEN = [None, 1, 2, 3, 4, 8]  # truth_tables.rs: one layer, then HIDDEN
F_MAX_ITERATIONS, F_THETA = 10_000, 0.1
G_HIDDEN = [None, 2, 4, 8]  # learning_rate.rs
G_RATES = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
G_MAX_PRODUCT, G_THRESHOLD = 20_000, 0.01  # learning_rate/mod.rs
G_RISE, G_FLAT, G_GRADIENT = 1e-9, 0.01, 1e-3
S_GRID, S_SEED, S_HIDDEN = 41, 1, 4  # surfaces.rs
ROW_INPUTS = {"o_00": (0, 0), "o_11": (1, 1), "o_10": (1, 0), "o_01": (0, 1)}  # the notebook's row order


def model_label(hidden):
    return "one-layer" if hidden is None else f"two-layer H={hidden}"


def seeds_arg(text):
    """`0,1` or `0-7`."""
    out = []
    try:
        for part in text.split(","):
            lo, _, hi = part.partition("-")
            out += range(int(lo), int(hi or lo) + 1)
    except ValueError:
        out = []
    if not out:
        raise argparse.ArgumentTypeError(f"expected seeds like 0,1 or 0-7, got {text!r}")
    return out


def check_seeds(rows, seeds, flag, csv_name):
    """Exit with one line if a seed is not in the CSV."""
    have = sorted({int(r["seed"]) for r in rows})
    missing = [s for s in seeds if s not in have]
    if missing:
        sys.exit(f"error: {flag}: seed {missing[0]} is not in {csv_name}, which has seeds {have[0]}..{have[-1]}")


class Watch:
    """The largest error of every forward pass, for `settled_at`, and the losses at given iterations."""

    def __init__(self, targets, theta, samples=()):
        self.y, self.theta, self.samples = targets, theta, set(samples)
        self.last_above, self.final_error, self.losses = None, None, {}

    def __call__(self, t, outputs):
        errors = self.y - outputs
        largest = float(np.max(np.abs(errors)))
        if not largest < self.theta:  # NaN counts as above
            self.last_above = t
        self.final_error = largest
        if t in self.samples:
            self.losses[t] = 0.5 * float(np.sum(errors * errors))

    def settled_at(self):
        if not self.final_error < self.theta:
            return None
        return 0 if self.last_above is None else self.last_above + 1


def log_spaced(points, total):
    """history.rs `Schedule::LogSpaced { points }.iterations(total)`."""
    ln_total = math.log(max(total, 1))
    last = max(points - 1, 1)
    ts = [0] + [math.floor(math.exp(ln_total * p / last) + 0.5) for p in range(points)] + [total]
    return sorted({min(t, total) for t in ts})


def forward(layers, points, exp):
    """The trained network's outputs on `points` ([n, 3])."""
    e = EXP[exp]
    h = np.asarray(points, dtype=float)
    for w in layers:
        h = sigmoid(np.dot(h, np.array(w)), e)
    return h.ravel()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def optional_int(text):
    return int(text) if text else None


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b)) if a != b else 0.0


class Tally:
    def __init__(self, tolerance):
        self.tolerance, self.checks, self.failures, self.chaotic, self.worst = tolerance, 0, [], [], 0.0

    def equal(self, what, ours, theirs):
        self.checks += 1
        if ours != theirs:
            self.failures.append(f"{what}: results/ {ours!r}, NumPy {theirs!r}")

    def close(self, what, ours, theirs, own_spread=None):
        """`ours` within the tolerance of `theirs`; if not, and `own_spread()` (how far
        NumPy's value moves when it sums np.dot(x.T, delta) from the last row) exceeds
        the tolerance too, the run amplifies rounding: counted as chaotic, not as a failure."""
        self.checks += 1
        rel = relative(ours, theirs)
        self.worst = max(self.worst, rel)
        if rel <= self.tolerance:
            return
        line = f"{what}: results/ {ours!r}, NumPy {theirs!r} (relative {rel:.1e}"
        spread = own_spread() if own_spread else 0.0
        if spread > self.tolerance:
            self.chaotic.append(f"{line}; NumPy's own spread {spread:.1e})")
        else:
            self.failures.append(line + ")")


def study_f(results, plan, seeds, exp, tally):
    steps = min(plan["iterations"], F_MAX_ITERATIONS)
    table = read_csv(os.path.join(results, "truth_tables.csv"))
    check_seeds(table, seeds, "--f-seeds", "truth_tables.csv")
    rows = {(r["model"], r["function"], int(r["seed"])): r for r in table}
    learned_count = {}
    for hidden in F_HIDDEN:
        for function in FUNCTIONS:
            for seed in seeds:
                key = (model_label(hidden), function, seed)
                row = rows[key]
                _, y = load_data(function)
                watch = Watch(y, F_THETA)
                out = run(seed, steps, hidden, (), plan["learning_rate"], (1, 0, 0), function, exp=exp, observe=watch)
                outputs = forward(out["layers"], [[a, b, 1] for a, b in ROW_INPUTS.values()], exp)
                targets = y.ravel().tolist()  # load_data's rows are in ROW_INPUTS order
                learned = all((o > 0.5) if t >= 0.5 else (o < 0.5) for o, t in zip(outputs, targets))
                name = f"F {key[0]} {function} seed {seed}"
                tally.equal(f"{name} learned", row["learned"] == "true", learned)
                tally.equal(f"{name} settled_at (max |y - o| < {F_THETA})", optional_int(row["settled_at"]),
                            watch.settled_at())

                def spread(i, hidden=hidden, function=function, seed=seed, outputs=outputs):
                    other = run(seed, steps, hidden, (), plan["learning_rate"], (1, 0, 0), function, exp=exp,
                                sum_order="reversed")
                    return relative(outputs[i], forward(other["layers"], [[a, b, 1] for a, b in ROW_INPUTS.values()],
                                                        exp)[i])

                tally.close(f"{name} max_error", float(row["max_error"]),
                            max(abs(t - o) for t, o in zip(targets, outputs)),
                            lambda: max(spread(i) for i in range(4)))
                for i, ((column, _), o) in enumerate(zip(ROW_INPUTS.items(), outputs)):
                    tally.close(f"{name} {column}", float(row[column]), float(o), lambda i=i: spread(i))
                learned_count[key[0]] = learned_count.get(key[0], 0) + learned
        print(f"F {model_label(hidden):16} {len(FUNCTIONS)} functions x seeds {seeds[0]}..{seeds[-1]}, "
              f"{steps} steps: NumPy learned {learned_count[model_label(hidden)]} of {len(FUNCTIONS) * len(seeds)}")


def g_samples(steps):
    """Every iteration 0..=N: study G reads the loss at every step."""
    return range(steps + 1)


def g_gradient_norm(layers, x, y, exp):
    """|dL/dw| for L = 1/2 sum (y - o)^2, from the chain rule written out here."""
    e = EXP[exp]
    if len(layers) == 1:
        w = np.array(layers[0])
        o = sigmoid(np.dot(x, w), e)
        grads = [-np.dot(x.T, (y - o) * o * (1 - o))]
    else:
        w1, w2 = np.array(layers[0]), np.array(layers[1])
        h = sigmoid(np.dot(x, w1), e)
        o = sigmoid(np.dot(h, w2), e)
        d2 = (y - o) * o * (1 - o)
        d1 = np.dot(d2, w2.T) * h * (1 - h)
        grads = [-np.dot(x.T, d1), -np.dot(h.T, d2)]
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads))


def g_rose_at(losses, steps):
    """trajectory.rs: the first step t with L_{t+1} > L_t (1 + G_RISE), or None."""
    return next((t for t in range(steps) if losses[t + 1] > losses[t] * (1 + G_RISE)), None)


def g_flat_from(losses, steps):
    """trajectory.rs: the first t from which every L_s is within G_FLAT (relative) of L_N."""
    last = losses[steps]
    far = [t for t in range(steps + 1) if abs(losses[t] - last) > G_FLAT * last]
    return far[-1] + 1 if far else 0


def g_outcome(at, diverged, losses, steps, gradient_norm):
    """The outcome rule (learning_rate/compute.rs `outcome`), from every step's loss {t: L_t}."""
    if at is not None:
        return "settled"
    if diverged:
        return "diverged"
    if g_flat_from(losses, steps) <= steps // 2 and gradient_norm < G_GRADIENT:
        return "plateau"
    return "descending"


def g_summary(results, table, tally):
    """Each cell of learning_rate_summary.csv against its rows in learning_rate.csv:
    counts per outcome, nearest-rank quantiles of settled_at (a run that did not
    settle counted as infinite) and the lower median final loss."""
    summary = read_csv(os.path.join(results, "learning_rate_summary.csv"))
    for cell in summary:
        rows = [r for r in table if (r["model"], r["learning_rate"]) == (cell["model"], cell["learning_rate"])]
        name = f"G summary {cell['model']} rate {cell['learning_rate']}"
        for outcome in ("settled", "descending", "plateau"):
            tally.equal(f"{name} {outcome}", int(cell[outcome]), sum(r["outcome"] == outcome for r in rows))
        tally.equal(f"{name} rose", int(cell["rose"]), sum(r["rose_at"] != "" for r in rows))
        times = sorted(math.inf if r["settled_at"] == "" else int(r["settled_at"]) for r in rows)

        def nearest_rank(q):
            value = times[min(max(math.ceil(q * len(times)), 1), len(times)) - 1]
            return None if value == math.inf else value

        for column, q in (("fastest_seed", 0.0), ("lower_quartile", 0.25), ("lower_median", 0.5),
                          ("upper_quartile", 0.75), ("slowest_seed", 1.0)):
            tally.equal(f"{name} {column}_settles_at", optional_int(cell[f"{column}_settles_at"]), nearest_rank(q))
        losses = sorted(float(r["final_loss"]) for r in rows)
        tally.equal(f"{name} lower_median_final_loss", float(cell["lower_median_final_loss"]),
                    losses[(len(losses) + 1) // 2 - 1])
    return summary


def study_g(results, plan, seeds, exp, tally):
    table = read_csv(os.path.join(results, "learning_rate.csv"))
    check_seeds(table, seeds, "--g-seeds", "learning_rate.csv")
    rows = {(r["model"], float(r["learning_rate"]), int(r["seed"])): r for r in table}
    x, y = load_data("x1")
    product = min(plan["iterations"], G_MAX_PRODUCT)
    for hidden in G_HIDDEN:
        settled, outcomes = [], {}
        for rate in G_RATES:
            at_rate = []
            steps = math.ceil(product / rate)
            samples = g_samples(steps)
            for seed in seeds:
                key = (model_label(hidden), rate, seed)
                row = rows[key]
                watch = Watch(y, G_THRESHOLD, samples)
                out = run(seed, steps, hidden, (), rate, (1, 0, 0), "x1", exp=exp, observe=watch)
                weights = np.concatenate([np.ravel(w) for w in out["layers"]])
                diverged = not np.all(np.isfinite(weights))
                final_loss = watch.losses[steps]
                at = watch.settled_at()
                gradient_norm = g_gradient_norm(out["layers"], x, y, exp)
                outcome = g_outcome(at, diverged, watch.losses, steps, gradient_norm)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                name = f"G {key[0]} rate {rate} seed {seed}"
                tally.equal(f"{name} iterations", int(row["iterations"]), steps)
                tally.equal(f"{name} settled_at (max |y - o| < {G_THRESHOLD})", optional_int(row["settled_at"]), at)
                tally.equal(f"{name} outcome", row["outcome"], outcome)
                tally.equal(f"{name} rose_at", optional_int(row["rose_at"]), g_rose_at(watch.losses, steps))
                tally.equal(f"{name} flat_from", int(row["flat_from"]), g_flat_from(watch.losses, steps))

                def other_run(seed=seed, steps=steps, rate=rate, hidden=hidden, samples=samples):
                    other = Watch(y, G_THRESHOLD, samples)
                    o = run(seed, steps, hidden, (), rate, (1, 0, 0), "x1", exp=exp, sum_order="reversed", observe=other)
                    return other, o

                tally.close(f"{name} final_loss", float(row["final_loss"]), final_loss,
                            lambda: relative(final_loss, other_run()[0].losses[steps]))
                tally.close(f"{name} gradient_norm", float(row["gradient_norm"]), gradient_norm,
                            lambda: relative(gradient_norm, g_gradient_norm(other_run()[1]["layers"], x, y, exp)))
                for i, column in enumerate(ROW_INPUTS):
                    tally.close(f"{name} {column}", float(row[column]), float(out["outputs"][i]),
                                lambda i=i: relative(out["outputs"][i], other_run()[1]["outputs"][i]))
                at_rate.append("-" if at is None else str(at))
            settled.append(f"{rate:g}:{'/'.join(at_rate)}")
        print(f"G {model_label(hidden):16} seeds {seeds[0]}..{seeds[-1]}, NumPy's outcomes "
              f"{', '.join(f'{n} {o}' for o, n in sorted(outcomes.items()))}; iterations to settle "
              f"(rate:iterations per seed, - not within its N) {' '.join(settled)}")
    summary = g_summary(results, table, tally)
    have = sorted({int(r["seed"]) for r in table})
    scope = "every seed's run recomputed" if set(have) <= set(seeds) else f"NumPy recomputed seeds {seeds}"
    print(f"G summary: {len(summary)} cells recomputed from learning_rate.csv's rows ({scope})")


def surfaces(results, plan, exp, tally):
    rows = read_csv(os.path.join(results, "surfaces.csv"))
    coords = [(i - 10) / 20 for i in range(S_GRID)]
    points = [[a, b, 1.0] for a in coords for b in coords]
    panel = 0
    for function in ("x1", "xor"):
        for hidden in (None, S_HIDDEN):
            panel += 1
            out = run(S_SEED, plan["iterations"], hidden, (), plan["learning_rate"], (1, 0, 0), function, exp=exp)
            values = forward(out["layers"], points, exp)
            ours = [r for r in rows if int(r["panel"]) == panel]
            tally.equal(f"surface panel {panel} model and function", {(r["model"], r["function"]) for r in ours},
                        {(model_label(hidden), function)})
            for r, v, p in zip(ours, values, points):
                tally.equal(f"surface panel {panel} grid point", (float(r["x1"]), float(r["x2"])), (p[0], p[1]))
                tally.close(f"surface panel {panel} o({r['x1']}, {r['x2']})", float(r["output"]), float(v))
            centre = values[points.index([0.5, 0.5, 1.0])]
            print(f"surface {panel}: {model_label(hidden)} on {function}, {len(values)} points; NumPy o(0.5, 0.5) = "
                  f"{centre:.6f}, o(1, 0) = {values[points.index([1.0, 0.0, 1.0])]:.6f}")


def hidden_units(results, plan, exp, tally):
    """hidden_units.csv: the functions the hidden units of the surfaces' H = 4 xor network compute."""
    rows = read_csv(os.path.join(results, "hidden_units.csv"))
    e = EXP[exp]
    out = run(S_SEED, plan["iterations"], S_HIDDEN, (), plan["learning_rate"], (1, 0, 0), "xor", exp=exp)
    w1, w2 = np.array(out["layers"][0]), np.array(out["layers"][1])
    x = np.array([[a, b, 1.0] for a, b in ROW_INPUTS.values()])
    h = sigmoid(np.dot(x, w1), e)  # [4, H], rows in ROW_INPUTS order
    o = sigmoid(np.dot(h, w2), e).ravel()
    units = [(str(j), h[:, j], float(w2[j, 0])) for j in range(S_HIDDEN)] + [("output", o, None)]
    names = []
    for unit, values, weight in units:
        above = {inputs: v > 0.5 for inputs, v in zip(ROW_INPUTS.values(), values)}
        # The truth table f(0,0) f(0,1) f(1,0) f(1,1) as the index into FUNCTIONS (bit 3 is f(0,0)).
        k = sum(int(above[inputs]) << (3 - i) for i, inputs in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]))
        names.append(f"{unit}: {FUNCTIONS[k]}")
        ours = [r for r in rows if r["unit"] == unit]
        tally.equal(f"hidden unit {unit} rows", [(float(r["x1"]), float(r["x2"])) for r in ours],
                    [(float(a), float(b)) for a, b in ROW_INPUTS.values()])
        for r, v in zip(ours, values):
            what = f"hidden unit {unit} at ({r['x1']}, {r['x2']})"
            tally.close(f"{what} value", float(r["value"]), float(v))
            tally.equal(f"{what} above_half", r["above_half"] == "true", bool(v > 0.5))
            tally.equal(f"{what} function", r["function"], FUNCTIONS[k])
            if weight is None:
                tally.equal(f"{what} w2", r["w2"], "")
            else:
                tally.close(f"{what} w2", float(r["w2"]), weight)
    print(f"hidden units of {model_label(S_HIDDEN)} on xor, seed {S_SEED}: NumPy's functions {', '.join(names)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", default="results", help="the folder of the sweep to check (default results)")
    p.add_argument("--f-seeds", type=seeds_arg, default=seeds_arg("0,1"), help="study F seeds, e.g. 0,1 or 0-7")
    p.add_argument("--g-seeds", type=seeds_arg, default=seeds_arg("0"), help="study G seeds, e.g. 0 or 0-7")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--exp", choices=EXP_CHOICES, default="libm", help="as numpy_reference.py (default libm)")
    a = p.parse_args()
    try:
        with open(os.path.join(a.results, "manifest.json")) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: cannot read {os.path.join(a.results, 'manifest.json')} (expected a sweep's output folder): {e}")
    plan = manifest["plan"]
    if plan["data"] != "x1":
        sys.exit(f"error: {a.results} was swept with --data {plan['data']}; F, G and the surfaces use their own data, "
                 f"but this script expects the default sweep")
    env = environment()
    print(f"NumPy {env['version']}, exp = {a.exp}; checking {a.results}/ ({manifest['command']})")
    tally = Tally(a.tolerance)
    start = time.time()
    study_f(a.results, plan, a.f_seeds, a.exp, tally)
    study_g(a.results, plan, a.g_seeds, a.exp, tally)
    surfaces(a.results, plan, a.exp, tally)
    hidden_units(a.results, plan, a.exp, tally)
    for line in tally.chaotic[:40]:
        print("CHAOTIC", line)
    for line in tally.failures[:40]:
        print("DIFFERS", line)
    print(f"{tally.checks} values compared in {time.time() - start:.0f} s: {len(tally.failures)} differ, "
          f"{len(tally.chaotic)} chaotic "
          f"(equal: learned, settled_at, outcome; within {a.tolerance:.0e}: outputs, errors, losses, "
          f"largest relative difference {tally.worst:.1e})")
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
