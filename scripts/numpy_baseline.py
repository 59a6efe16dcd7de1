#!/usr/bin/env python3
"""NumPy's speed on the notebook's training loop, the baseline for the Rust benches.

Two workloads, 50000 full-batch steps each from `np.random.seed(1)`, `lr = 1`:

- one-layer: the notebook's `train_nn`, line for line (it also stores the
  errors of every step in `errors_data`, as the notebook does);
- two-layer H=4: the same loop with a hidden layer of 4 sigmoid units,
  the formulas of crates/perceptron/src/network.rs.

Each run is timed `--repeats` times; the script prints the median, min and max
nanoseconds per step, then the final weights in full precision, to set beside
the Rust runs of the same configuration:

    cargo run -p experiments -- train --json              # one-layer
    cargo run -p experiments -- train --hidden 4 --json   # two-layer H=4

The one-layer weights are the same bit for bit; the two-layer ones agree to
about 1e-15 (OpenBLAS sums the H-term dot products in its own order, see
crates/perceptron/tests/notebook.rs).

Some machines export OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE (pinning an old
kernel or cache size); with a current NumPy that can make it slower. For a
fair run, unset them, and compare with a run that keeps them:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/numpy_baseline.py
    python3 scripts/numpy_baseline.py     # as the environment is

The Rust side of the comparison (README, "Performance"):

    cargo bench --manifest-path benches/Cargo.toml --bench training -- 'run_50000|step/'

On a machine shared with other jobs, `--clock cpu` times by this thread's CPU
time (as the benches' `BENCH_CLOCK=cpu`), which other processes do not inflate.

Needs only NumPy (`pip install numpy`); the project's tests do not use it.
"""
import argparse
import os
import platform
import statistics
import time

import numpy as np

NITER = 50000
SEED = 1
HIDDEN = 4


# --- The notebook's code, as written there ---------------------------------


def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


def sigmoid_prime(x):
    return x * (1 - x)


def get_training_inputs():
    return np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])


def get_training_outputs():
    return np.array([0, 1, 1, 0]).reshape(4, 1)


def get_init_weights():
    """
    Initially, simply return random weights in [-1, 1)
    """
    return np.random.uniform(-1.0, 1.0, size=(3, 1))


def train_nn(training_inputs, training_outputs, initial_weights, niter, errors_data):
    w = initial_weights
    for ii in range(niter):
        # Forward propagation
        input_layer = training_inputs
        outputs = sigmoid(np.dot(input_layer, w))
        # Backward propagation
        errors = training_outputs - outputs
        deltaw = errors * sigmoid_prime(outputs)
        deltaw = np.dot(input_layer.T, deltaw)
        w += deltaw
        # Save errors for plotting later
        errors_data[ii] = errors.reshape((4,))
    return outputs, w


# --- The two-layer loop ------------------------------------------------------


def train_two_layer(x, y, w1, w2, niter, lr=1.0):
    for _ in range(niter):
        h = sigmoid(np.dot(x, w1))
        o = sigmoid(np.dot(h, w2))
        d2 = (y - o) * sigmoid_prime(o)
        d1 = np.dot(d2, w2.T) * sigmoid_prime(h)
        w2 += lr * np.dot(h.T, d2)
        w1 += lr * np.dot(x.T, d1)
    return w1, w2


# --- Timing ------------------------------------------------------------------


def one_layer():
    """The notebook's cell: seed, data, weights, then `train_nn` (only the loop is timed)."""
    np.random.seed(SEED)
    inputs_t = get_training_inputs()
    outputs_t = get_training_outputs()
    weights = get_init_weights()
    errors = np.zeros((NITER, 4))
    return lambda: train_nn(inputs_t, outputs_t, weights, NITER, errors)[1]


def two_layer():
    np.random.seed(SEED)
    x, y = get_training_inputs(), get_training_outputs()
    w1 = np.random.uniform(-1.0, 1.0, size=(3, HIDDEN))
    w2 = np.random.uniform(-1.0, 1.0, size=(HIDDEN, 1))
    return lambda: train_two_layer(x, y, w1, w2, NITER)


def measure(setup, repeats, clock):
    """ns/step of `repeats` fresh runs (set-up untimed), and the last run's weights."""
    times = []
    for _ in range(repeats):
        run = setup()
        start = clock()
        weights = run()
        times.append((clock() - start) / NITER)
    return times, weights


def blas_name():
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]
        return "{} {}".format(deps["blas"].get("name", "?"), deps["blas"].get("version", ""))
    except Exception:  # the config layout is not a stable API
        return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=5, help="timed runs per workload (default 5)")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall", help="wall time, or this thread's CPU time")
    a = p.parse_args()
    clock = time.perf_counter_ns if a.clock == "wall" else time.thread_time_ns

    overrides = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    print(f"NumPy {np.__version__} ({blas_name()}), Python {platform.python_version()}, {platform.machine()}")
    print(f"OpenBLAS overrides in the environment: {overrides or 'none'}")
    print(f"{NITER} steps, seed {SEED}, {a.repeats} runs each, {a.clock} clock; ns/step:")
    results = []
    for label, setup in [("one-layer (notebook)", one_layer), (f"two-layer H={HIDDEN}", two_layer)]:
        times, weights = measure(setup, a.repeats, clock)
        print(f"  {label:22s} median {statistics.median(times):8.0f}   min {min(times):8.0f}   max {max(times):8.0f}")
        results.append((label, weights))
    print("Final weights (W1 row-major, then W2):")
    for label, weights in results:
        flat = np.concatenate([np.asarray(w).ravel() for w in (weights if isinstance(weights, tuple) else (weights,))])
        print(f"  {label}: {[float(v) for v in flat]}")


if __name__ == "__main__":
    main()
