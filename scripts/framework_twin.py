#!/usr/bin/env python3
"""The notebook's TODO 4 in a real framework: the same perceptron trained with JAX autograd.

The notebook derives the update by hand ("error weighted derivative"):
    w += lr * X.T @ ((y - o) * o * (1 - o)),   o = sigmoid(X @ w)
which is gradient descent on the loss L = 1/2 * sum((y - o)**2). Here JAX
computes dL/dw itself (`jax.grad`), in float64, for the one-layer model
o = sigmoid(X @ w), w: (3, 1), and the two-layer model h = sigmoid(X @ W1),
o = sigmoid(h @ W2), W1: (3, H), W2: (H, 1), and the two-layer model with an
output bias, o = sigmoid(h @ W2 + b2), b2: (1, 1), from the same NumPy-drawn
initial weights (np.random.seed(s); uniform(-1, 1, (3, 1)), or (3, H) then
(H, 1), then (1, 1) for b2).
For each configuration it runs `experiments train --json` with the same flags
and prints, weight by weight, the Rust value, the JAX value and |difference|.

Why JAX and not PyTorch: `pip install "jax[cpu]"` installs about 380 MB
(jaxlib 349 MB, jax 31 MB, measured), while torch from PyPI pulls the CUDA
libraries by default (gigabytes); and `jax.grad` of a plain function reads like
the formula above. Not part of CI; the project's tests do not need Python.

    python3 -m venv /tmp/twin && /tmp/twin/bin/pip install numpy "jax[cpu]"
    cargo build -p experiments
    /tmp/twin/bin/python scripts/framework_twin.py            # 10 configurations, 50000 steps each
    /tmp/twin/bin/python scripts/framework_twin.py --iterations 2000 --binary target/debug/experiments
"""
import argparse
import json
import subprocess
import sys

import jax

jax.config.update("jax_enable_x64", True)  # float64, as NumPy and the Rust code
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from numpy_reference import load_data  # noqa: E402

# (data, hidden or None, output bias, seed, removed rows): the notebook's run, XOR
# with one and two layers, a few more hidden sizes and functions, and the output bias.
CASES = [
    ("x1", None, False, 1, ()),
    ("xor", None, False, 1, ()),
    ("nand", None, False, 5, (2,)),
    ("x1", 4, False, 1, ()),
    ("xor", 2, False, 2, ()),
    ("xnor", 8, False, 3, ()),
    ("x1", 1, True, 1, ()),
    ("xor", 2, True, 2, ()),
    ("x1", 4, True, 3, (1,)),
    ("xnor", 8, True, 4, ()),
]


def forward(layers, x):
    """o = sigmoid(X @ w), o = sigmoid(sigmoid(X @ W1) @ W2), or with [W1, W2, b2]
    o = sigmoid(sigmoid(X @ W1) @ W2 + b2)."""
    def sigmoid(z):
        return 1.0 / (1.0 + jnp.exp(-z))

    if len(layers) == 1:
        return sigmoid(x @ layers[0])
    z = sigmoid(x @ layers[0]) @ layers[1]
    return sigmoid(z + layers[2] if len(layers) == 3 else z)


def loss(layers, x, y):
    """L = 1/2 * sum((y - o)**2): its gradient is minus the notebook's update."""
    return 0.5 * jnp.sum((y - forward(layers, x)) ** 2)


def train(layers, x, y, lr, iterations):
    """Full-batch gradient descent w <- w - lr * dL/dw, gradient by jax.grad."""
    grad = jax.grad(loss)

    def step(_, layers):
        return [w - lr * g for w, g in zip(layers, grad(layers, x, y))]

    return jax.jit(lambda layers: jax.lax.fori_loop(0, iterations, step, layers))(layers)


def initial(seed, hidden, bias):
    np.random.seed(seed)
    if hidden is None:
        return [np.random.uniform(-1.0, 1.0, size=(3, 1))]
    w1 = np.random.uniform(-1.0, 1.0, size=(3, hidden))
    w2 = np.random.uniform(-1.0, 1.0, size=(hidden, 1))
    return [w1, w2] + ([np.random.uniform(-1.0, 1.0, size=(1, 1))] if bias else [])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--iterations", type=int, default=50000)
    p.add_argument("--learning-rate", type=float, default=1.0)
    p.add_argument("--binary", default=None, help="the experiments binary (default: cargo run -q -p experiments --)")
    a = p.parse_args()
    binary = [a.binary] if a.binary else ["cargo", "run", "-q", "-p", "experiments", "--"]
    worst = 0.0
    for data, hidden, bias, seed, removed in CASES:
        cmd = ["train", "--json", "--data", data, "--seed", str(seed), "--iterations", str(a.iterations),
               "--learning-rate", repr(a.learning_rate)]
        cmd += ["--hidden", str(hidden)] if hidden else []
        cmd += ["--output-bias"] if bias else []
        cmd += ["--remove-rows", ",".join(map(str, removed))] if removed else []
        ours = json.loads(subprocess.run(binary + cmd, check=True, capture_output=True, text=True).stdout)
        inputs, targets = load_data(data)
        keep = [r for r in range(len(inputs)) if r not in removed]
        x, y = jnp.asarray(inputs[keep], dtype=jnp.float64), jnp.asarray(targets[keep], dtype=jnp.float64)
        start = initial(seed, hidden, bias)
        assert [np.asarray(m).tolist() for m in start] == ours["initial_layers"], "different initial weights"
        layers = train([jnp.asarray(w) for w in start], x, y, a.learning_rate, a.iterations)
        print(f"{' '.join(cmd[2:])}")
        print(f"  {'weight':<9} {'Rust (train --json)':>24} {'JAX autograd':>24} {'|difference|':>12}")
        case_worst = 0.0
        for name, rust, twin in zip(("W1", "W2", "b2") if hidden else ("w",), ours["layers"], layers):
            for i, row in enumerate(np.asarray(twin)):
                for j, v in enumerate(row):
                    r = rust[i][j]
                    d = abs(r - float(v))
                    case_worst = max(case_worst, d)
                    print(f"  {name}[{i},{j}]{'':<3} {r:>24.17g} {float(v):>24.17g} {d:>12.3e}")
        print(f"  largest |difference|: {case_worst:.3e}")
        worst = max(worst, case_worst)
    print(f"largest |difference| over {len(CASES)} configurations, {a.iterations} iterations: {worst:.3e}")
    sys.exit(0)


if __name__ == "__main__":
    main()
