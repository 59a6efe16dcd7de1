#!/usr/bin/env python3
"""NumPy's own run of one perceptron-lab configuration, printed as JSON.

The one-layer model is the notebook's code, line for line; the two-layer model
follows the formulas in crates/perceptron/src/network.rs, with `--output-bias` a
bias b2 on the output unit (o = sigmoid(h @ W2 + b2), drawn after W2 from the
same stream; `layers` then gains a third matrix [[b2]], as `train --json`'s). The output has the
same keys as `cargo run -p experiments -- train --json` (`layers`, `prediction`,
`initial_layers`, `outputs`, `data`), so the two can be compared number by number:

    python3 scripts/numpy_reference.py --seed 3 --iterations 2000 --hidden 4 --remove-rows 1
    python3 scripts/numpy_reference.py --data xor --hidden 2
    python3 scripts/numpy_reference.py --data xor --hidden 2 --output-bias --seed 2
    python3 scripts/numpy_reference.py --data my_table.csv
    python3 scripts/compare_with_numpy.py        # many random configurations at once

Which exponential: the notebook's `np.exp` is not the same function on every
CPU. On a CPU with AVX-512 (NumPy 2.x: the X86_V4 target; 1.x: AVX512F /
AVX512_SKX) NumPy evaluates `np.exp` on float64 with its own SIMD code, which
differs from the C library's `exp` by 1 ulp on about 4.6 % of arguments in
[-1, 1] (NumPy 2.4.6; 23 % with 1.26.4), whatever the array's length or
layout; without AVX-512, or under `NPY_DISABLE_CPU_FEATURES=X86_V4` (2.x) or
`NPY_DISABLE_CPU_FEATURES="AVX512F AVX512_SKX"` (1.x), it calls the C
library's. The project matches the C library's (glibc's) exp, so by default
(`--exp libm`) this script evaluates every exponential with Python's
`math.exp` (the C library's `exp`), which makes its result the same on every
CPU; `--exp numpy` uses `np.exp` as this machine dispatches it. The output's
`numpy` object says which exp was used, what `np.exp` is here and in which
order this NumPy's BLAS sums `np.dot(x.T, delta)` (see `environment()`).

Needs only NumPy (`pip install numpy`); the project's tests do not use it.
"""
import argparse
import csv
import json
import math

import numpy as np

EXP_CHOICES = ("libm", "numpy")


def libm_exp(a):
    """`e**a` element by element with the C library's `exp` (Python's `math.exp`);
    +inf where it overflows, as `np.exp` gives."""
    a = np.asarray(a, dtype=float)
    try:
        return np.fromiter(map(math.exp, a.ravel().tolist()), float, a.size).reshape(a.shape)
    except OverflowError:
        return np.array([_exp_or_inf(v) for v in a.ravel().tolist()]).reshape(a.shape)


def _exp_or_inf(v):
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


EXP = {"libm": libm_exp, "numpy": np.exp}


def sigmoid(x, exp=np.exp):
    return 1.0 / (1 + exp(-x))


def sigmoid_prime(x):
    return x * (1 - x)


INPUTS = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
OUTPUTS = np.array([0, 1, 1, 0]).reshape(4, 1)

# The 16 Boolean functions f(x1, x2), numbered by their truth table (bit 3 is
# f(0,0), bit 2 f(0,1), bit 1 f(1,0), bit 0 f(1,1)), as in crates/perceptron/src/data.rs.
FUNCTIONS = ["false", "and", "x1-and-not-x2", "x1", "not-x1-and-x2", "x2", "xor", "or",
             "nor", "xnor", "not-x2", "x1-or-not-x2", "not-x1", "not-x1-or-x2", "nand", "true"]


def load_data(data):
    """(inputs [n, 3], targets [n, 1]) for a function name or a CSV file `x1,x2,x3,y`."""
    if data in FUNCTIONS:
        k = FUNCTIONS.index(data)
        y = [(k >> (3 - (2 * int(x1) + int(x2)))) & 1 for x1, x2, _ in INPUTS]
        return INPUTS, np.array(y).reshape(4, 1)
    with open(data, newline="") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f) if r]
    assert rows[0] == ["x1", "x2", "x3", "y"], f"{data}: expected the header x1,x2,x3,y"
    table = np.array([[float(c) for c in r] for r in rows[1:]])
    return table[:, :3], table[:, 3:]


def environment():
    """What `np.exp` and `np.dot(x.T, delta)` are in this NumPy, measured.

    `np_exp_dispatch`: the SIMD target NumPy chose for float64 `np.exp` (NumPy >= 2:
    `numpy.lib.introspect.opt_func_info`; 1.x: whether AVX512F is enabled);
    `np_exp_equals_libm`: on how many of 4096 values in [-1, 1] `np.exp` equals the
    C library's `exp`; `dot_order`: how `np.dot(x.T, delta)` on the notebook's 4 rows
    sums the bias column, from 2000 random deltas: `sequential` ((t0+t1)+t2)+t3, as
    the project sums, or `pairs` (t0+t1)+(t2+t3), as OpenBLAS 0.3.31 does here.
    """
    probe = np.random.RandomState(0).uniform(-1.0, 1.0, 4096)
    agree = int(np.sum(np.exp(probe) == libm_exp(probe)))
    try:
        from numpy.lib.introspect import opt_func_info
        info = next(iter(opt_func_info(func_name="^exp$", signature="float64")["exp"].values()))
        dispatch = info["current"]
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_features__
        dispatch = "AVX512F" if __cpu_features__.get("AVX512F") else "no AVX512F (the C library's exp)"
    seq = pairs = 0
    deltas = np.random.RandomState(1).uniform(-0.3, 0.3, (2000, 4, 1))
    for d in deltas:
        got = np.dot(INPUTS.T, d)[2, 0]
        t0, t1, t2, t3 = (float(v) for v in d.ravel())
        seq += got == ((t0 + t1) + t2) + t3
        pairs += got == (t0 + t1) + (t2 + t3)
    order = "sequential" if seq == len(deltas) else "pairs" if pairs == len(deltas) else "other"
    return {
        "version": np.__version__,
        "np_exp_dispatch": dispatch,
        "np_exp_equals_libm": f"{agree}/{len(probe)}",
        "dot_order": order,
    }


SUM_ORDERS = ("numpy", "sequential", "reversed")


def x_t_dot(x, d, sum_order):
    """`np.dot(x.T, d)` (`sum_order="numpy"`), or the same sums taken row by row from
    row 0 (`"sequential"`, as the project takes them: a what-if for diagnosing a
    difference) or from the last row (`"reversed"`: another valid rounding, to
    measure how much a run amplifies rounding)."""
    if sum_order == "numpy":
        return np.dot(x.T, d)
    rows = range(x.shape[0]) if sum_order == "sequential" else reversed(range(x.shape[0]))
    out = np.zeros((x.shape[1], d.shape[1]))
    for i in rows:
        out += np.outer(x[i], d[i])
    return out


def run(seed, iterations, hidden=None, remove_rows=(), learning_rate=1.0, predict=(1, 0, 0), data="x1",
        exp="libm", sum_order="numpy", observe=None, output_bias=False):
    """One configuration. `exp`: "libm" (the C library's exp, as the project) or
    "numpy" (`np.exp` as dispatched here); `sum_order`: one of SUM_ORDERS (see
    `x_t_dot`); `output_bias`: a bias b2 on the output unit (two layers only);
    `observe(t, outputs)`, if given, is
    called with every forward pass's outputs on the training rows, t = 0..iterations
    (t < iterations: the pass inside the loop, with the weights after t updates)."""
    observe = observe or (lambda t, outputs: None)
    inputs, targets = load_data(data)
    keep = [r for r in range(len(inputs)) if r not in remove_rows]
    x, y = inputs[keep], targets[keep]
    np.random.seed(seed)
    new = np.array(predict, dtype=float).reshape(1, 3)
    e = EXP[exp]
    with np.errstate(over="ignore"):
        if hidden is None:
            w = np.random.uniform(-1.0, 1.0, size=(3, 1))
            initial = [w.copy()]
            for t in range(iterations):
                outputs = sigmoid(np.dot(x, w), e)
                observe(t, outputs)
                errors = y - outputs
                deltaw = errors * sigmoid_prime(outputs)
                deltaw = x_t_dot(x, deltaw, sum_order)
                w += learning_rate * deltaw
            layers = [w]
            outputs = sigmoid(np.dot(x, w), e)
            prediction = sigmoid(np.dot(new, w), e)[0, 0]
        else:
            w1 = np.random.uniform(-1.0, 1.0, size=(3, hidden))
            w2 = np.random.uniform(-1.0, 1.0, size=(hidden, 1))
            # The output bias: one more draw of the same stream, after W2 (0 and no update without it).
            b2 = np.random.uniform(-1.0, 1.0, size=(1, 1)) if output_bias else np.zeros((1, 1))
            initial = [w1.copy(), w2.copy()] + ([b2.copy()] if output_bias else [])
            for t in range(iterations):
                h = sigmoid(np.dot(x, w1), e)
                o = sigmoid(np.dot(h, w2) + b2, e)
                observe(t, o)
                d2 = (y - o) * sigmoid_prime(o)
                d1 = np.dot(d2, w2.T) * sigmoid_prime(h)
                w2 += learning_rate * np.dot(h.T, d2)
                if output_bias:
                    b2 += learning_rate * np.sum(d2)
                w1 += learning_rate * x_t_dot(x, d1, sum_order)
            layers = [w1, w2] + ([b2] if output_bias else [])
            outputs = sigmoid(np.dot(sigmoid(np.dot(x, w1), e), w2) + b2, e)
            prediction = sigmoid(np.dot(sigmoid(np.dot(new, w1), e), w2) + b2, e)[0, 0]
    observe(iterations, outputs)
    return {
        "initial_layers": [m.tolist() for m in initial],
        "layers": [m.tolist() for m in layers],
        "outputs": outputs.ravel().tolist(),
        "prediction": float(prediction),
        "data": data,
        "numpy": {"exp": exp, "sum_order": sum_order},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--iterations", type=int, default=50000)
    p.add_argument("--hidden", type=int, default=None)
    p.add_argument("--output-bias", action="store_true", help="a bias b2 on the output unit (needs --hidden)")
    p.add_argument("--remove-rows", default="")
    p.add_argument("--learning-rate", type=float, default=1.0)
    p.add_argument("--predict", default="1,0,0")
    p.add_argument("--data", default="x1", help="NAME (one of the 16 functions) or FILE.csv, as `train --data`")
    p.add_argument("--exp", choices=EXP_CHOICES, default="libm",
                   help="libm: the C library's exp, as the project (default); numpy: np.exp as this CPU dispatches it")
    p.add_argument("--sum-order", choices=SUM_ORDERS, default="numpy",
                   help="numpy: np.dot(x.T, delta) (default); sequential: the same sums row by row from row 0, "
                        "as the project; reversed: from the last row")
    a = p.parse_args()
    if a.output_bias and a.hidden is None:
        p.error("--output-bias needs --hidden (the one-layer perceptron's bias is its third input)")
    removed = tuple(int(r) for r in a.remove_rows.split(",") if r)
    predict = tuple(float(v) for v in a.predict.split(","))
    out = run(a.seed, a.iterations, a.hidden, removed, a.learning_rate, predict, a.data, a.exp, a.sum_order,
              output_bias=a.output_bias)
    out["numpy"].update(environment())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
