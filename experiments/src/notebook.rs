//! One run configuration rendered as a notebook cell: a self-contained NumPy
//! script in the teaching notebook's own style (`sigmoid`, `sigmoid_prime`,
//! `get_training_inputs`, `get_training_outputs`, `get_init_weights`,
//! `train_nn`) that, run with NumPy alone, trains the same configuration —
//! seed, data, removed rows, hidden units, output bias, learning rate,
//! iterations — and prints the final weights and the prediction as one JSON
//! object with `train --json`'s keys (`layers`, `outputs`, `prediction`), every
//! number in its shortest round-trip form (Python's `repr(float)`, as
//! `train --json`'s `{:?}`-style numbers), so the two compare number by number.
//!
//! The arithmetic is the project's reference (see `perceptron::Network`):
//! ```text
//! one layer:  o = σ(X·w)                          w  += lr · Xᵀ((y − o) ⊙ o(1 − o))
//! two layers: h = σ(X·W1), o = σ(h·W2 [+ b2])     d2 = (y − o) ⊙ o(1 − o), d1 = (d2·W2ᵀ) ⊙ h(1 − h)
//!             W2 += lr · hᵀd2, [b2 += lr · Σ d2,] W1 += lr · Xᵀd1   (all from the weights before the step)
//! ```
//! with `X: [n, 3]`, `y: [n, 1]`, `w: [3, 1]`, `W1: [3, H]`, `W2: [H, 1]`,
//! `b2: [1, 1]`, and the initial weights NumPy's own draws after
//! `np.random.seed(seed)`, in the order `W1`, `W2`, `b2`.
//!
//! Exactness, so that the script prints `train --json`'s numbers bit for bit:
//! - `exp` is Python's `math.exp` (the C library's), element by element, as
//!   `scripts/numpy_reference.py` does: the project's `exp` is glibc's, and
//!   NumPy's `np.exp` is its own SIMD code on AVX-512 CPUs (1 ulp apart on
//!   some arguments);
//! - the matrix products are the script's `dot` (every sum term by term from
//!   0.0, in index order) instead of `np.dot`, whose BLAS kernels sum in
//!   another order or fuse multiply-adds; and `dot8` (ndarray's eight partial
//!   sums) where the project sums 8 terms or more that way.
//!
//! What stays apart: where inputs are not all whole numbers, the project's
//! first-layer products `X·W1`, `Xᵀd1` (two layers) may round `x·w + s` once
//! (a fused multiply-add, on CPUs with FMA), which Python 3.11's float
//! arithmetic cannot; those runs agree to round-off (`docs/NUMPY.md`).
//! `scripts/check_notebook_export.py` runs scripts against `train --json`.
//!
//! The renderer takes the checked configuration and the predict input only,
//! so any front end (the `train` flags, the server's request) can call it.

use std::fmt::Write as _;

use perceptron::{BooleanFunction, Dataset, ValidConfig};

/// The script for `config` (its data set as checked, removed rows included)
/// and the new input `predict`.
pub fn render(config: &ValidConfig, predict: [f64; 3]) -> String {
    let c = config.config();
    let data = config.dataset();
    let hidden = c.architecture.hidden();
    let bias = c.architecture.output_bias();
    let mut s = String::new();
    let _ = writeln!(s, "#!/usr/bin/env python3");
    let _ = writeln!(s, "\"\"\"One perceptron-lab run as a notebook cell: {}.", describe(config));
    let _ = writeln!(s);
    let _ = writeln!(s, "Exported by `experiments {}`;", command_line(config, predict));
    let _ = writeln!(s, "`experiments train --json` with the same flags prints the same numbers.");
    let _ = writeln!(s, "Needs NumPy only: python3 notebook.py");
    let _ = writeln!(s, "\"\"\"");
    let _ = writeln!(s, "import json");
    let _ = writeln!(s, "import math");
    let _ = writeln!(s);
    let _ = writeln!(s, "import numpy as np");
    let _ = writeln!(s);
    let _ = writeln!(s, "SEED = {}", c.seed);
    let _ = writeln!(s, "NITER = {}", c.iterations);
    if let Some(h) = hidden {
        let _ = writeln!(s, "HIDDEN = {h}");
    }
    let _ = writeln!(s, "LEARNING_RATE = {:?}", c.learning_rate);
    let removed: Vec<String> = c.removed_rows.iter().map(ToString::to_string).collect();
    let _ = writeln!(s, "REMOVED_ROWS = [{}]  # 0-based rows of the table left out of training", removed.join(", "));
    s.push_str(SIGMOID);
    // ndarray's order for a sum of 8 terms or more, where experiments takes it.
    let (hw2, htd2) = match hidden {
        Some(h) => (if h >= 8 { "dot8" } else { "dot" }, if h == 1 && data.len() >= 8 { "dot8" } else { "dot" }),
        None => ("dot", "dot"),
    };
    if hw2 == "dot8" || htd2 == "dot8" {
        s.push_str(DOT8);
    }
    s.push_str(&data_functions(data));
    let model = match hidden {
        None => ONE_LAYER,
        Some(_) if bias => TWO_LAYER_BIAS,
        Some(_) => TWO_LAYER,
    };
    // Σ d2 row by row from 0.0, as experiments sums it: np.sum does so below 8
    // rows, and adds 8 rows or more pairwise.
    let sum_d2 = if data.len() < 8 { "np.sum(d2)" } else { "dot(np.ones((1, len(d2))), d2)  # np.sum(d2), row by row" };
    s.push_str(&model.replace("DOT_HW2", hw2).replace("DOT_HTD2", htd2).replace("SUM_D2", sum_d2));
    let _ = writeln!(s);
    let _ = writeln!(s);
    let _ = writeln!(s);
    let _ = writeln!(s, "np.random.seed(SEED)");
    let _ = writeln!(s, "inputs_t = np.delete(get_training_inputs(), REMOVED_ROWS, axis=0)");
    let _ = writeln!(s, "outputs_t = np.delete(get_training_outputs(), REMOVED_ROWS, axis=0)");
    let new = predict.map(number).join(", ");
    // The model's weights as the script names them, and its output for inputs `x`.
    let (params, layers, output): (&str, &str, fn(&str, &str) -> String) = match (hidden, bias) {
        (None, _) => ("weights", "[weights]", |x, _| format!("sigmoid(dot({x}, weights))")),
        (Some(_), false) => ("W1, W2", "[W1, W2]", |x, params| format!("forward({x}, {params})")),
        (Some(_), true) => ("W1, W2, b2", "[W1, W2, b2]", |x, params| format!("forward({x}, {params})")),
    };
    let _ = writeln!(s, "{params} = get_init_weights()");
    let _ = writeln!(s, "{params} = train_nn(inputs_t, outputs_t, {params}, NITER)");
    let _ = writeln!(s, "input_new = np.array([{new}]).reshape(1, 3)");
    let _ = writeln!(s, "prediction = {}[0, 0]", output("input_new", params));
    let _ = writeln!(s, "layers = {layers}");
    let _ = writeln!(s, "outputs = {}", output("inputs_t", params));
    s.push_str(PRINT);
    s
}

/// `two-layer H=2, data xor, seed 2, 50000 iterations, learning rate 1`.
fn describe(config: &ValidConfig) -> String {
    let c = config.config();
    let mut d = format!(
        "{}, data {}, seed {}, {} iterations, learning rate {:?}",
        c.architecture.label(),
        comment_safe(config.dataset().name()),
        c.seed,
        c.iterations,
        c.learning_rate
    );
    if !c.removed_rows.is_empty() {
        let rows: Vec<String> = c.removed_rows.iter().map(ToString::to_string).collect();
        let _ = write!(d, ", rows {} removed", rows.join(", "));
    }
    d
}

/// The `train` flags of this run, ending in `--numpy`.
fn command_line(config: &ValidConfig, predict: [f64; 3]) -> String {
    let c = config.config();
    let mut flags = format!("train --seed {} --iterations {}", c.seed, c.iterations);
    if let Some(h) = c.architecture.hidden() {
        let _ = write!(flags, " --hidden {h}");
    }
    if c.architecture.output_bias() {
        flags.push_str(" --output-bias");
    }
    let _ = write!(flags, " --data {}", comment_safe(config.dataset().name()));
    if !c.removed_rows.is_empty() {
        let rows: Vec<String> = c.removed_rows.iter().map(ToString::to_string).collect();
        let _ = write!(flags, " --remove-rows {}", rows.join(","));
    }
    let _ = write!(flags, " --learning-rate {:?}", c.learning_rate);
    let _ = write!(flags, " --predict {}", predict.map(|v| format!("{v:?}")).join(","));
    flags.push_str(" --numpy");
    flags
}

/// A name (a CSV path as given) fit for a docstring: control characters,
/// quotes and backslashes replaced by `?`.
fn comment_safe(name: &str) -> String {
    name.chars().map(|ch| if ch.is_control() || ch == '"' || ch == '\\' { '?' } else { ch }).collect()
}

/// A Python number literal reading back to exactly `v`: a whole number as an
/// integer (the notebook's `[0, 0, 1]`), anything else (and `-0.0`) in its
/// shortest round-trip form (`0.25`, `1e-7`).
fn number(v: f64) -> String {
    let whole = v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 && !(v == 0.0 && v.is_sign_negative());
    if whole { format!("{}", v as i64) } else { format!("{v:?}") }
}

/// `get_training_inputs` and `get_training_outputs` for the data set's whole
/// table (the removed rows are left out by the caller): the notebook's own for
/// its rule `x1`, its rows with another function's targets, or a CSV file's rows.
fn data_functions(data: &Dataset) -> String {
    let table = data.table();
    let function = BooleanFunction::from_name(data.name()).filter(|f| f.dataset().table() == table);
    let mut s = String::new();
    s.push_str("\n\ndef get_training_inputs():\n");
    let rows: Vec<String> = table.iter().map(|(x, _)| format!("[{}]", x.map(number).join(", "))).collect();
    match function {
        Some(_) => s.push_str("    \"\"\"The notebook's four rows (x1, x2, x3), x3 = 1 the bias input.\"\"\"\n"),
        None => {
            let _ = writeln!(s, "    \"\"\"The rows (x1, x2, x3) of {}.\"\"\"", comment_safe(data.name()));
        }
    }
    let _ = writeln!(s, "    return np.array([{}])", rows.join(",\n                     "));
    s.push_str("\n\ndef get_training_outputs():\n");
    let targets: Vec<String> = table.iter().map(|&(_, y)| number(y)).collect();
    match function {
        Some(BooleanFunction::X1) => {}
        Some(f) => {
            let _ = writeln!(
                s,
                "    \"\"\"{}(x1, x2) on the notebook's rows (0,0), (1,1), (1,0), (0,1), instead of its x1.\"\"\"",
                f.name()
            );
        }
        None => {
            let _ = writeln!(s, "    \"\"\"The targets y of {}.\"\"\"", comment_safe(data.name()));
        }
    }
    let _ = writeln!(s, "    return np.array([{}]).reshape({}, 1)", targets.join(", "), table.len());
    s
}

const SIGMOID: &str = r#"

def exp(x):
    """e**x element by element with the C library's exp (Python's math.exp), +inf
    where it overflows. The notebook writes np.exp; on a CPU with AVX-512, NumPy
    evaluates np.exp with its own SIMD code, which differs from the C library's
    exp in the last bit on some arguments. experiments uses glibc's exp, so this
    script uses math.exp, to get the same bits as experiments on every CPU."""
    def one(v):
        try:
            return math.exp(v)
        except OverflowError:
            return math.inf
    return np.vectorize(one, otypes=[float])(x)


def sigmoid(x):
    return 1.0/(1 + exp(-x))


def sigmoid_prime(x):
    """The derivative of the sigmoid, from its output x = sigmoid(z)."""
    return x*(1-x)


def dot(a, b):
    """np.dot(a, b) with every sum taken term by term from 0.0 in index order, as
    experiments (Rust's ndarray) takes it. np.dot hands the product to the BLAS
    library, whose kernels may sum in another order or fuse a multiply and an add
    into one rounding: the last bit of a sum can then differ, and the training
    steps carry that difference into the last digits of the weights."""
    out = np.zeros((a.shape[0], b.shape[1]))
    for k in range(a.shape[1]):
        out = out + a[:, k:k+1]*b[k:k+1, :]
    return out
"#;

/// `dot8`, rendered only where a sum of 8 terms or more is taken in ndarray's
/// `unrolled_dot` order (`h·W2` with `H ≥ 8`, `hᵀd2` with `H = 1` on 8 rows or
/// more; see `perceptron::fast`'s two-layer step).
const DOT8: &str = r#"


def dot8(a, b):
    """dot(a, b) with each sum taken as ndarray sums a dot product of two
    contiguous vectors: eight running sums over the terms in chunks of eight,
    added as (s0+s4), (s1+s5), (s2+s6), (s3+s7) to 0.0, then the remaining terms
    one by one. Below 8 terms it is dot(a, b)."""
    K = a.shape[1]
    chunks = K//8
    s = [np.zeros((a.shape[0], b.shape[1])) for _ in range(8)]
    for c in range(chunks):
        for u in range(8):
            k = 8*c + u
            s[u] = s[u] + a[:, k:k+1]*b[k:k+1, :]
    out = np.zeros((a.shape[0], b.shape[1]))
    for u in range(4):
        out = out + (s[u] + s[u + 4])
    for k in range(8*chunks, K):
        out = out + a[:, k:k+1]*b[k:k+1, :]
    return out
"#;

const ONE_LAYER: &str = r#"

def get_init_weights():
    """Random weights in [-1, 1)."""
    return np.random.uniform(-1.0, 1.0, size=(3, 1))


def train_nn(training_inputs, training_outputs, w, niter):
    for ii in range(niter):
        # Forward propagation
        input_layer = training_inputs
        outputs = sigmoid(dot(input_layer, w))
        # Backward propagation
        errors = training_outputs - outputs
        deltaw = errors*sigmoid_prime(outputs)
        deltaw = dot(input_layer.T, deltaw)
        w += LEARNING_RATE*deltaw
    return w"#;

const TWO_LAYER: &str = r#"

def get_init_weights():
    """Random weights in [-1, 1): W1 (3, HIDDEN), then W2 (HIDDEN, 1), from one stream."""
    W1 = np.random.uniform(-1.0, 1.0, size=(3, HIDDEN))
    W2 = np.random.uniform(-1.0, 1.0, size=(HIDDEN, 1))
    return W1, W2


def forward(input_layer, W1, W2):
    hidden = sigmoid(dot(input_layer, W1))
    return sigmoid(DOT_HW2(hidden, W2))


def train_nn(training_inputs, training_outputs, W1, W2, niter):
    for ii in range(niter):
        # Forward propagation
        input_layer = training_inputs
        hidden = sigmoid(dot(input_layer, W1))
        outputs = sigmoid(DOT_HW2(hidden, W2))
        # Backward propagation: both deltas from the weights before the step
        errors = training_outputs - outputs
        d2 = errors*sigmoid_prime(outputs)
        d1 = dot(d2, W2.T)*sigmoid_prime(hidden)
        W2 += LEARNING_RATE*DOT_HTD2(hidden.T, d2)
        W1 += LEARNING_RATE*dot(input_layer.T, d1)
    return W1, W2"#;

const TWO_LAYER_BIAS: &str = r#"

def get_init_weights():
    """Random weights in [-1, 1): W1 (3, HIDDEN), then W2 (HIDDEN, 1), then the
    output unit's bias b2 (1, 1), from one stream."""
    W1 = np.random.uniform(-1.0, 1.0, size=(3, HIDDEN))
    W2 = np.random.uniform(-1.0, 1.0, size=(HIDDEN, 1))
    b2 = np.random.uniform(-1.0, 1.0, size=(1, 1))
    return W1, W2, b2


def forward(input_layer, W1, W2, b2):
    hidden = sigmoid(dot(input_layer, W1))
    return sigmoid(DOT_HW2(hidden, W2) + b2)


def train_nn(training_inputs, training_outputs, W1, W2, b2, niter):
    for ii in range(niter):
        # Forward propagation
        input_layer = training_inputs
        hidden = sigmoid(dot(input_layer, W1))
        outputs = sigmoid(DOT_HW2(hidden, W2) + b2)
        # Backward propagation: every delta from the weights before the step
        errors = training_outputs - outputs
        d2 = errors*sigmoid_prime(outputs)
        d1 = dot(d2, W2.T)*sigmoid_prime(hidden)
        W2 += LEARNING_RATE*DOT_HTD2(hidden.T, d2)
        b2 += LEARNING_RATE*SUM_D2
        W1 += LEARNING_RATE*dot(input_layer.T, d1)
    return W1, W2, b2"#;

const PRINT: &str = r#"
# Every digit of every double (json writes repr(float), the shortest form that
# reads back to the same number), under the keys of `experiments train --json`.
print(json.dumps({
    "layers": [m.tolist() for m in layers],
    "outputs": outputs.ravel().tolist(),
    "prediction": float(prediction),
}))
"#;
