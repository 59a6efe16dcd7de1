#!/usr/bin/env python3
"""Run `experiments train --numpy`'s scripts with NumPy and compare what they print
with `experiments train --json`, number by number, bit for bit.

    cargo build -p experiments
    python3 scripts/check_notebook_export.py --binary target/debug/experiments

For each configuration below it renders the script (`train --numpy FLAGS`), runs it
with this Python (NumPy only), runs `train --json FLAGS`, and compares `layers`,
`outputs` and `prediction` as doubles (`==` on every number, and the sign of zero).
Verdicts:

  exact   every number identical;
  fma     two layers on inputs that are not all whole numbers, where experiments may
          round the first layer's `x*w + s` once (a fused multiply-add, on CPUs with
          FMA) and Python cannot: allowed within --tolerance (absolute, 1e-9);
  FAIL    anything else (a difference in an `exact` case, or beyond the tolerance).

It exits 1 if any case FAILs. Needs NumPy; the project's tests do not.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

# (flags, whether every input (training rows and --predict) is a whole number)
CASES = [
    ([], True),  # the notebook itself: 50000 steps
    (["--data", "xor", "--iterations", "3000"], True),
    (["--data", "nand", "--seed", "5", "--remove-rows", "2", "--iterations", "3000"], True),
    (["--seed", "42", "--remove-rows", "1,2", "--learning-rate", "2.5", "--iterations", "2000"], True),
    (["--hidden", "1", "--seed", "3", "--iterations", "2000"], True),
    (["--hidden", "2", "--data", "xor", "--seed", "2", "--iterations", "5000"], True),
    (["--hidden", "4", "--iterations", "5000"], True),
    (["--hidden", "8", "--seed", "7", "--remove-rows", "2", "--learning-rate", "0.5", "--iterations", "3000"], True),
    (["--hidden", "3", "--data", "xnor", "--seed", "9", "--iterations", "2000", "--predict", "0,1,1"], True),
    (["--hidden", "2", "--data", "or", "--iterations", "1000", "--predict", "0.5,-1,2"], False),
    (["--data", "TABLE9", "--seed", "11", "--iterations", "1500", "--predict", "0.25,0.75,1"], False),
    (["--hidden", "1", "--data", "TABLE9", "--seed", "12", "--iterations", "1500"], False),
    (["--hidden", "3", "--data", "TABLE9", "--seed", "13", "--remove-rows", "0,4", "--iterations", "1500"], False),
    (["--hidden", "8", "--data", "BINARY10", "--seed", "14", "--iterations", "1500"], True),
    (["--hidden", "1", "--data", "BINARY10", "--seed", "15", "--iterations", "1500"], True),
    (["--hidden", "2", "--output-bias", "--data", "xor", "--seed", "2", "--iterations", "5000"], True),
    (["--hidden", "1", "--output-bias", "--iterations", "5000"], True),
    (["--hidden", "8", "--output-bias", "--data", "xnor", "--seed", "4", "--iterations", "2000"], True),
    (["--hidden", "1", "--output-bias", "--data", "BINARY10", "--seed", "16", "--iterations", "1500"], True),
    (["--hidden", "4", "--output-bias", "--data", "TABLE9", "--seed", "17", "--iterations", "1500"], False),
]


def tables(folder):
    """Two CSV data sets: 9 rows of fractional inputs and targets, 10 rows of 0/1 inputs."""
    paths = {}
    with open(os.path.join(folder, "table9.csv"), "w") as f:
        f.write("x1,x2,x3,y\n")
        for i in range(9):
            f.write(f"{(i * 0.37) % 1.3 - 0.4!r},{(i * 0.61) % 1.1!r},1,{(i % 3) / 2!r}\n")
    paths["TABLE9"] = f.name
    with open(os.path.join(folder, "binary10.csv"), "w") as f:
        f.write("x1,x2,x3,y\n")
        for i in range(10):
            f.write(f"{i % 2},{(i // 2) % 2},1,{(i * 7 % 5) % 2}\n")
    paths["BINARY10"] = f.name
    return paths


def numbers(report):
    """layers, outputs and prediction, flattened, in one order."""
    flat = [v for m in report["layers"] for row in m for v in row]
    return flat + list(report["outputs"]) + [report["prediction"]]


def same(a, b):
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default="target/debug/experiments")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--no-bias", action="store_true", help="skip the --output-bias cases")
    a = p.parse_args()
    folder = tempfile.mkdtemp(prefix="check_notebook_export_")
    paths = tables(folder)
    verdicts = {}
    worst = 0.0
    print(f"{'different':>9}  {'max |diff|':>10}  verdict  flags")
    for flags, whole in CASES:
        if a.no_bias and "--output-bias" in flags:
            continue
        flags = [paths.get(f, f) for f in flags]

        def experiments(*extra):
            return subprocess.run([a.binary, "train", *flags, *extra], check=True, capture_output=True, text=True).stdout

        script = os.path.join(folder, "notebook.py")
        with open(script, "w") as f:
            f.write(experiments("--numpy"))
        printed = subprocess.run([sys.executable, script], check=True, capture_output=True, text=True).stdout
        theirs, ours = json.loads(printed), json.loads(experiments("--json"))
        x, y = numbers(theirs), numbers(ours)
        assert len(x) == len(y), f"{flags}: {len(x)} numbers printed, train --json has {len(y)}"
        different = sum(not same(u, v) for u, v in zip(x, y))
        largest = max(abs(u - v) for u, v in zip(x, y))
        worst = max(worst, largest)
        two_layer = "--hidden" in flags
        if different == 0:
            verdict = "exact"
        elif two_layer and not whole and largest <= a.tolerance:
            verdict = "fma"
        else:
            verdict = "FAIL"
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        shown = " ".join(flags).replace(folder + os.sep, "")
        print(f"{different:>4}/{len(x):<4}  {largest:10.3e}  {verdict:7}  {shown}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
    print(f"{sum(verdicts.values())} cases: {counts}; largest |difference| {worst:.3e}")
    sys.exit(1 if "FAIL" in verdicts else 0)


if __name__ == "__main__":
    main()
