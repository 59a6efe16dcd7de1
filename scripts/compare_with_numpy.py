#!/usr/bin/env python3
"""Compare `experiments train --json` with NumPy's own run on random configurations.

    cargo build -p experiments
    python3 scripts/compare_with_numpy.py --cases 40 --binary target/debug/experiments

For each random configuration (seed, iterations, hidden size or none, output
bias or not (two layers, one in two), data set, removed rows, learning rate, new input) it prints the largest relative error (and
absolute difference) over every weight and the prediction, and a verdict:

  exact        bit for bit; required of one-layer runs whose inputs are all 0 or 1
               (every product x*delta is then exact, so only exp and the order of
               the sums could differ);
  within       within --tolerance (1e-9, relative): the other runs, where OpenBLAS's
               fused multiply-adds round differently;
  chaotic      beyond --tolerance, and NumPy disagrees with itself beyond --tolerance
               when it takes the sums of np.dot(x.T, delta) from the last row instead
               (its own rounding spread, printed): the run amplifies any rounding
               difference (learning rate 10 on a table that cannot be fitted, where
               1e-16 grows to 1e-2 in 50 steps), so no agreement can be asked of it;
               it is counted apart and does not fail (the spread is NumPy's alone);
  FAIL         anything else. For a one-layer FAIL it reruns NumPy with the sums of
               np.dot(x.T, delta) taken row by row from row 0 (as the project takes
               them) and says whether that explains it ("sum order"); with
               --exp numpy it first tries the C library's exp ("exp").

It exits 1 if any case FAILs. NumPy's exp is the C library's (`--exp libm`, the
default, as the project); `--exp numpy` uses np.exp as this CPU dispatches it
(on AVX-512 CPUs NumPy's own SIMD exp, which differs from the C library's by 1
ulp on some arguments; see numpy_reference.py). The first line says which exp
NumPy used, what np.exp is here and how this NumPy's BLAS orders the sums.
The data set is the default (x1), one of the 16 functions, or one of two CSV
files written to a temporary folder (6 and 16 rows, random inputs and targets
in [0, 1]), each with probability 1/3. Needs NumPy; the project's tests do not.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

from numpy_reference import EXP_CHOICES, FUNCTIONS, environment, load_data, run


def write_table(folder, name, rows, rnd):
    """A CSV data set of `rows` random rows; values printed with repr, so both programs read the same doubles."""
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write("x1,x2,x3,y\n")
        for _ in range(rows):
            x = [rnd.choice([0.0, 1.0, rnd.uniform(-2, 2)]) for _ in range(2)] + [1.0]
            f.write(",".join(map(repr, x + [rnd.choice([0.0, 1.0, rnd.random()])])) + "\n")
    return path


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300) if a != b else 0.0


def flatten(layers):
    return [v for m in layers for row in m for v in row]


def largest(a, b):
    """(largest relative error, largest absolute difference) over the weights and the prediction."""
    pairs = list(zip(flatten(a["layers"]), flatten(b["layers"]))) + [(a["prediction"], b["prediction"])]
    return max(relative(x, y) for x, y in pairs), max(abs(x - y) for x, y in pairs)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=30)
    p.add_argument("--binary", default="target/debug/experiments")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--random-seed", type=int, default=0)
    p.add_argument("--exp", choices=EXP_CHOICES, default="libm",
                   help="NumPy's exp: libm (the C library's, as the project; default) or numpy (np.exp as dispatched here)")
    a = p.parse_args()
    rnd = random.Random(a.random_seed)
    folder = tempfile.mkdtemp(prefix="compare_with_numpy_")
    tables = [write_table(folder, f"table{n}.csv", n, rnd) for n in (6, 16)]
    env = environment()
    print(f"NumPy {env['version']}: exp = {a.exp} (np.exp here: {env['np_exp_dispatch']}, equal to the C library's "
          f"exp on {env['np_exp_equals_libm']} probes); np.dot(x.T, delta) on 4 rows sums {env['dot_order']}")
    worst = worst_abs = 0.0
    verdicts = {}
    print("relative  absolute  verdict  configuration")
    for _ in range(a.cases):
        seed = rnd.randrange(2**32)
        iterations = rnd.choice([0, 1, 10, 500, 3000, 20000])
        hidden = rnd.choice([None, None, 1, 2, 3, 4, 8])
        bias = bool(hidden) and rnd.random() < 0.5
        data = rnd.choice([None, rnd.choice(FUNCTIONS), rnd.choice(tables)])
        inputs = load_data(data or "x1")[0]
        n = len(inputs)
        removed = tuple(sorted(rnd.sample(range(n), min(n - 1, rnd.choice([0, 0, 1, 2, 3])))))
        lr = rnd.choice([1.0, 0.5, 2.0, 0.1, 10.0])
        predict = rnd.choice([(1, 0, 0), (0, 1, 1), (1, 1, 0), (0.5, -1.0, 2.0)])
        cmd = [a.binary, "train", "--json", "--seed", str(seed), "--iterations", str(iterations),
               "--learning-rate", repr(lr), "--predict", ",".join(map(str, predict))]
        if hidden:
            cmd += ["--hidden", str(hidden)]
        if bias:
            cmd += ["--output-bias"]
        if removed:
            cmd += ["--remove-rows", ",".join(map(str, removed))]
        if data:
            cmd += ["--data", data]
        ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        config = (seed, iterations, hidden, removed, lr, predict, data or "x1")
        theirs = run(*config, exp=a.exp, output_bias=bias)
        err, absolute = largest(ours, theirs)
        worst, worst_abs = max(worst, err), max(worst_abs, absolute)
        kept = [r for r in range(n) if r not in removed]
        binary = all(v in (0.0, 1.0) for v in inputs[kept].ravel())
        note = ""
        if err == 0:
            verdict = "exact"
        elif hidden is None and binary:
            verdict = "FAIL"
            if a.exp != "libm" and largest(ours, run(*config, exp="libm", output_bias=bias))[0] == 0:
                note = "  (exp: identical with the C library's exp)"
            elif largest(ours, run(*config, exp=a.exp, sum_order="sequential", output_bias=bias))[0] == 0:
                note = "  (sum order: identical when NumPy sums np.dot(x.T, delta) row by row)"
        elif err <= a.tolerance:
            verdict = "within"
        else:
            spread = largest(theirs, run(*config, exp=a.exp, sum_order="reversed", output_bias=bias))[0]
            verdict = "chaotic" if spread > a.tolerance else "FAIL"
            note = f"  (NumPy's own spread {spread:.2e})"
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        print(f"{err:9.2e} {absolute:9.2e}  {verdict:7}  {' '.join(cmd[2:]).replace(folder + os.sep, '')}{note}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
    print(f"{a.cases} cases: {counts}; largest relative error {worst:.2e} (tolerance {a.tolerance:.0e}), "
          f"largest absolute difference {worst_abs:.2e}")
    sys.exit(1 if "FAIL" in verdicts else 0)


if __name__ == "__main__":
    main()
