#!/usr/bin/env python3
"""NumPy's own run of one perceptron-lab configuration, printed as JSON.

The one-layer model is the notebook's code, line for line; the two-layer model
follows the formulas in crates/perceptron/src/network.rs. The output has the
same keys as `cargo run -p experiments -- train --json` (`layers`, `prediction`,
`initial_layers`, `outputs`, `data`), so the two can be compared number by number:

    python3 scripts/numpy_reference.py --seed 3 --iterations 2000 --hidden 4 --remove-rows 1
    python3 scripts/numpy_reference.py --data xor --hidden 2
    python3 scripts/numpy_reference.py --data my_table.csv
    python3 scripts/compare_with_numpy.py        # many random configurations at once

Needs only NumPy (`pip install numpy`); the project's tests do not use it.
"""
import argparse
import csv
import json

import numpy as np


def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


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


def run(seed, iterations, hidden=None, remove_rows=(), learning_rate=1.0, predict=(1, 0, 0), data="x1"):
    inputs, targets = load_data(data)
    keep = [r for r in range(len(inputs)) if r not in remove_rows]
    x, y = inputs[keep], targets[keep]
    np.random.seed(seed)
    new = np.array(predict, dtype=float).reshape(1, 3)
    with np.errstate(over="ignore"):
        if hidden is None:
            w = np.random.uniform(-1.0, 1.0, size=(3, 1))
            initial = [w.copy()]
            for _ in range(iterations):
                outputs = sigmoid(np.dot(x, w))
                errors = y - outputs
                deltaw = errors * sigmoid_prime(outputs)
                deltaw = np.dot(x.T, deltaw)
                w += learning_rate * deltaw
            layers = [w]
            outputs = sigmoid(np.dot(x, w))
            prediction = sigmoid(np.dot(new, w))[0, 0]
        else:
            w1 = np.random.uniform(-1.0, 1.0, size=(3, hidden))
            w2 = np.random.uniform(-1.0, 1.0, size=(hidden, 1))
            initial = [w1.copy(), w2.copy()]
            for _ in range(iterations):
                h = sigmoid(np.dot(x, w1))
                o = sigmoid(np.dot(h, w2))
                d2 = (y - o) * sigmoid_prime(o)
                d1 = np.dot(d2, w2.T) * sigmoid_prime(h)
                w2 += learning_rate * np.dot(h.T, d2)
                w1 += learning_rate * np.dot(x.T, d1)
            layers = [w1, w2]
            outputs = sigmoid(np.dot(sigmoid(np.dot(x, w1)), w2))
            prediction = sigmoid(np.dot(sigmoid(np.dot(new, w1)), w2))[0, 0]
    return {
        "initial_layers": [m.tolist() for m in initial],
        "layers": [m.tolist() for m in layers],
        "outputs": outputs.ravel().tolist(),
        "prediction": float(prediction),
        "data": data,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--iterations", type=int, default=50000)
    p.add_argument("--hidden", type=int, default=None)
    p.add_argument("--remove-rows", default="")
    p.add_argument("--learning-rate", type=float, default=1.0)
    p.add_argument("--predict", default="1,0,0")
    p.add_argument("--data", default="x1", help="NAME (one of the 16 functions) or FILE.csv, as `train --data`")
    a = p.parse_args()
    removed = tuple(int(r) for r in a.remove_rows.split(",") if r)
    predict = tuple(float(v) for v in a.predict.split(","))
    print(json.dumps(run(a.seed, a.iterations, a.hidden, removed, a.learning_rate, predict, a.data)))


if __name__ == "__main__":
    main()
