#!/usr/bin/env python3
"""Compare `experiments train --json` with NumPy's own run on random configurations.

    cargo build -p experiments
    python3 scripts/compare_with_numpy.py --cases 40 --binary target/debug/experiments

For each random configuration (seed, iterations, hidden size or none, removed
rows, learning rate, new input) it prints the largest relative error over every
weight and the prediction, and exits 1 if any exceeds --tolerance (1e-9).
Needs NumPy; the project's tests do not.
"""
import argparse
import json
import random
import subprocess
import sys

from numpy_reference import run


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
    worst = 0.0
    for _ in range(a.cases):
        seed = rnd.randrange(2**32)
        iterations = rnd.choice([0, 1, 10, 500, 3000, 20000])
        hidden = rnd.choice([None, None, 1, 2, 3, 4, 8])
        removed = tuple(sorted(rnd.sample(range(4), rnd.choice([0, 0, 1, 2, 3]))))
        lr = rnd.choice([1.0, 0.5, 2.0, 0.1, 10.0])
        predict = rnd.choice([(1, 0, 0), (0, 1, 1), (1, 1, 0), (0.5, -1.0, 2.0)])
        cmd = [a.binary, "train", "--json", "--seed", str(seed), "--iterations", str(iterations),
               "--learning-rate", repr(lr), "--predict", ",".join(map(str, predict))]
        if hidden:
            cmd += ["--hidden", str(hidden)]
        if removed:
            cmd += ["--remove-rows", ",".join(map(str, removed))]
        ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        theirs = run(seed, iterations, hidden, removed, lr, predict)
        pairs = list(zip(flatten(ours["layers"]), flatten(theirs["layers"])))
        pairs.append((ours["prediction"], theirs["prediction"]))
        err = max(relative(x, y) for x, y in pairs)
        worst = max(worst, err)
        print(f"{err:9.2e}  {' '.join(cmd[2:])}")
    print(f"largest relative error: {worst:.2e} (tolerance {a.tolerance:.0e})")
    sys.exit(0 if worst <= a.tolerance else 1)


if __name__ == "__main__":
    main()
