#!/usr/bin/env python3
"""Compare `experiments train --json` with NumPy's own run on random configurations.

    cargo build -p experiments
    python3 scripts/compare_with_numpy.py --cases 40 --binary target/debug/experiments

For each random configuration (seed, iterations, hidden size or none, data set,
removed rows, learning rate, new input) it prints the largest relative error (and
absolute difference) over every weight and the prediction, and exits 1 if any exceeds --tolerance (1e-9).
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

from numpy_reference import FUNCTIONS, load_data, run


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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=30)
    p.add_argument("--binary", default="target/debug/experiments")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--random-seed", type=int, default=0)
    a = p.parse_args()
    rnd = random.Random(a.random_seed)
    folder = tempfile.mkdtemp(prefix="compare_with_numpy_")
    tables = [write_table(folder, f"table{n}.csv", n, rnd) for n in (6, 16)]
    worst = worst_abs = 0.0
    print("relative  absolute  configuration")
    for _ in range(a.cases):
        seed = rnd.randrange(2**32)
        iterations = rnd.choice([0, 1, 10, 500, 3000, 20000])
        hidden = rnd.choice([None, None, 1, 2, 3, 4, 8])
        data = rnd.choice([None, rnd.choice(FUNCTIONS), rnd.choice(tables)])
        n = len(load_data(data or "x1")[0])
        removed = tuple(sorted(rnd.sample(range(n), min(n - 1, rnd.choice([0, 0, 1, 2, 3])))))
        lr = rnd.choice([1.0, 0.5, 2.0, 0.1, 10.0])
        predict = rnd.choice([(1, 0, 0), (0, 1, 1), (1, 1, 0), (0.5, -1.0, 2.0)])
        cmd = [a.binary, "train", "--json", "--seed", str(seed), "--iterations", str(iterations),
               "--learning-rate", repr(lr), "--predict", ",".join(map(str, predict))]
        if hidden:
            cmd += ["--hidden", str(hidden)]
        if removed:
            cmd += ["--remove-rows", ",".join(map(str, removed))]
        if data:
            cmd += ["--data", data]
        ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        theirs = run(seed, iterations, hidden, removed, lr, predict, data or "x1")
        pairs = list(zip(flatten(ours["layers"]), flatten(theirs["layers"])))
        pairs.append((ours["prediction"], theirs["prediction"]))
        err = max(relative(x, y) for x, y in pairs)
        absolute = max(abs(x - y) for x, y in pairs)
        worst, worst_abs = max(worst, err), max(worst_abs, absolute)
        print(f"{err:9.2e} {absolute:9.2e}  {' '.join(cmd[2:]).replace(folder + os.sep, '')}")
    print(f"largest relative error: {worst:.2e} (tolerance {a.tolerance:.0e}); largest absolute difference: {worst_abs:.2e}")
    sys.exit(0 if worst <= a.tolerance else 1)


if __name__ == "__main__":
    main()
