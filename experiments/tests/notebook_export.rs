//! `train --numpy` as a user runs it: the script's text for a few
//! configurations (its parameters, its data, its model, its exactness helpers,
//! its printing). Running the scripts with NumPy against `train --json` is
//! `scripts/check_notebook_export.py` (the project's tests do not need Python).

mod common;

use std::fs;

use common::{refused, run, scratch};

/// The script `train --numpy ARGS` prints (the run must succeed).
#[track_caller]
fn script(args: &[&str]) -> String {
    let mut all = vec!["train", "--numpy"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.status.success(), "{all:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{all:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every needle is a whole line of `text` (leading spaces included).
#[track_caller]
fn has_lines(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.lines().any(|l| l == *needle), "no line {needle:?} in\n{text}");
    }
}

/// No line of `text` holds `needle`.
#[track_caller]
fn lacks(text: &str, needle: &str) {
    assert!(!text.contains(needle), "{needle:?} found in\n{text}");
}

#[test]
fn two_layer_xor_script() {
    let s = script(&["--hidden", "2", "--data", "xor", "--seed", "2", "--iterations", "5000"]);
    has_lines(
        &s,
        &[
            "#!/usr/bin/env python3",
            "import numpy as np",
            "SEED = 2",
            "NITER = 5000",
            "HIDDEN = 2",
            "LEARNING_RATE = 1.0",
            "REMOVED_ROWS = []  # 0-based rows of the table left out of training",
            // The notebook's sigmoid, with the C library's exp (the project's).
            "    return 1.0/(1 + exp(-x))",
            "            return math.exp(v)",
            "    return x*(1-x)",
            // The notebook's rows; xor's targets f(0,0), f(1,1), f(1,0), f(0,1).
            "    return np.array([[0, 0, 1],",
            "                     [0, 1, 1]])",
            "    return np.array([0, 0, 1, 1]).reshape(4, 1)",
            // NumPy's draws, W1 then W2, and the step (deltas from the old weights).
            "    W1 = np.random.uniform(-1.0, 1.0, size=(3, HIDDEN))",
            "    W2 = np.random.uniform(-1.0, 1.0, size=(HIDDEN, 1))",
            "        hidden = sigmoid(dot(input_layer, W1))",
            "        outputs = sigmoid(dot(hidden, W2))",
            "        d2 = errors*sigmoid_prime(outputs)",
            "        d1 = dot(d2, W2.T)*sigmoid_prime(hidden)",
            "        W2 += LEARNING_RATE*dot(hidden.T, d2)",
            "        W1 += LEARNING_RATE*dot(input_layer.T, d1)",
            "np.random.seed(SEED)",
            "inputs_t = np.delete(get_training_inputs(), REMOVED_ROWS, axis=0)",
            "W1, W2 = train_nn(inputs_t, outputs_t, W1, W2, NITER)",
            "input_new = np.array([1, 0, 0]).reshape(1, 3)",
            "prediction = forward(input_new, W1, W2)[0, 0]",
            "    \"prediction\": float(prediction),",
        ],
    );
    assert!(s.contains("`experiments train --seed 2 --iterations 5000 --hidden 2 --data xor --learning-rate 1.0"));
    // No BLAS product, no np.exp: their last bits are not the project's.
    lacks(&s, "= np.dot(");
    lacks(&s, "(np.exp(");
    lacks(&s, "dot8");
    lacks(&s, "b2");
}

#[test]
fn two_layer_xor_with_output_bias_script() {
    let s = script(&["--hidden", "2", "--output-bias", "--data", "xor", "--seed", "2"]);
    has_lines(
        &s,
        &[
            "NITER = 50000",
            // b2: one more draw of the same stream, after W2.
            "    W2 = np.random.uniform(-1.0, 1.0, size=(HIDDEN, 1))",
            "    b2 = np.random.uniform(-1.0, 1.0, size=(1, 1))",
            "        outputs = sigmoid(dot(hidden, W2) + b2)",
            "        d1 = dot(d2, W2.T)*sigmoid_prime(hidden)",
            "        W2 += LEARNING_RATE*dot(hidden.T, d2)",
            "        b2 += LEARNING_RATE*np.sum(d2)",
            "        W1 += LEARNING_RATE*dot(input_layer.T, d1)",
            "W1, W2, b2 = get_init_weights()",
            "W1, W2, b2 = train_nn(inputs_t, outputs_t, W1, W2, b2, NITER)",
            "prediction = forward(input_new, W1, W2, b2)[0, 0]",
            // `layers` gains the third matrix [[b2]], as `train --json`'s.
            "layers = [W1, W2, b2]",
        ],
    );
    assert!(s.contains("--hidden 2 --output-bias --data xor"), "{s}");
    assert!(s.contains("two-layer H=2 with bias, data xor, seed 2"), "{s}");
    refused(&["train", "--numpy", "--output-bias"], 2, &["--output-bias needs --hidden"]);
}

#[test]
fn the_notebook_run_is_the_notebooks_code() {
    let s = script(&[]);
    has_lines(
        &s,
        &[
            "SEED = 1",
            "NITER = 50000",
            "    return np.array([0, 1, 1, 0]).reshape(4, 1)",
            "    return np.random.uniform(-1.0, 1.0, size=(3, 1))",
            "        outputs = sigmoid(dot(input_layer, w))",
            "        errors = training_outputs - outputs",
            "        deltaw = errors*sigmoid_prime(outputs)",
            "        deltaw = dot(input_layer.T, deltaw)",
            "        w += LEARNING_RATE*deltaw",
            "prediction = sigmoid(dot(input_new, weights))[0, 0]",
        ],
    );
    lacks(&s, "HIDDEN");
}

#[test]
fn eight_hidden_units_sum_in_eight_lanes() {
    // ndarray sums h·W2 over H ≥ 8 terms in eight partial sums; so does the script.
    let s = script(&["--hidden", "8", "--remove-rows", "2", "--learning-rate", "0.5", "--predict", "0.5,-1,2"]);
    has_lines(
        &s,
        &[
            "def dot8(a, b):",
            "        outputs = sigmoid(dot8(hidden, W2))",
            "        W2 += LEARNING_RATE*dot(hidden.T, d2)",
            "LEARNING_RATE = 0.5",
            "REMOVED_ROWS = [2]  # 0-based rows of the table left out of training",
            "input_new = np.array([0.5, -1, 2]).reshape(1, 3)",
        ],
    );
}

#[test]
fn a_csv_table_is_inlined_exactly() {
    let dir = scratch("notebook-export");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.csv");
    fs::write(&file, "x1,x2,x3,y\n0.1,1,1,0.25\n-2.5,0,1e-7,1\n").unwrap();
    let s = script(&["--data", file.to_str().unwrap(), "--iterations", "10"]);
    // Every value in its shortest round-trip form, so Python reads the same doubles.
    has_lines(
        &s,
        &[
            "    return np.array([[0.1, 1, 1],",
            "                     [-2.5, 0, 1e-7]])",
            "    return np.array([0.25, 1]).reshape(2, 1)",
        ],
    );
    assert!(s.contains(&format!("The rows (x1, x2, x3) of {}.", file.display())));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn numpy_and_json_are_one_or_the_other() {
    refused(&["train", "--numpy", "--json"], 2, &["--numpy", "--json"]);
    // A bad configuration is refused as `train` refuses it, before any script.
    refused(&["train", "--numpy", "--remove-rows", "4"], 2, &["row 4"]);
}
