//! `train`: one run, printed like the notebook (initial weights, outputs on the
//! training rows, final weights, the prediction for a new input) or as JSON.
//!
//! Every printed number is finite. The prediction is `σ(z)`, `z = Σ_k x_k·w_k`
//! (one layer; two layers: `h = σ(x·W1)`, `z = Σ_j h_j·W2_j`, `+ b2` with the
//! output bias); it is printed only
//! when the bound `Σ |x_k|·|w_k|` of every weighted sum on the way is finite, so
//! that `z` is a finite number whatever order the sum is taken in (otherwise
//! `+∞ − ∞` would make it NaN). Beyond that bound the input is refused with one
//! line (exit 2): `--predict` and the weights it meets are too large for f64.

use std::process::ExitCode;

use anyhow::{Result, bail};
use perceptron::{Network, Schedule, Trained, ValidConfig};
use serde::Serialize;

use crate::cli::TrainArgs;
use crate::console;
use crate::error::UsageError;
use crate::format::{exact_matrix, matrix};
use crate::output::print_stdout;
use std::fmt::Write as _;

/// The `--json` object: the configuration and the run's results (also the body
/// of `serve`'s `/api/train`, which adds its snapshots).
#[derive(Serialize)]
pub struct Report<'a> {
    model: String,
    /// The data set's name: a function (`x1`, `xor`, …) or the CSV file as given.
    data: &'a str,
    seed: u32,
    iterations: u64,
    learning_rate: f64,
    hidden: Option<usize>,
    /// The output unit has a bias `b2` (then `layers` holds a third `[1, 1]` matrix, `[[b2]]`).
    output_bias: bool,
    removed_rows: &'a [usize],
    predict: [f64; 3],
    /// Initial weight matrices, inputs × outputs.
    initial_layers: Vec<Vec<Vec<f64>>>,
    /// Final weight matrices, inputs × outputs.
    layers: Vec<Vec<Vec<f64>>>,
    /// Outputs of the final weights on the training rows.
    outputs: Vec<f64>,
    /// `½ Σ (y − o)²` on the training rows.
    loss: f64,
    /// The network's output for `predict`.
    prediction: f64,
    /// The step at which training stopped because a weight would become non-finite.
    diverged_at: Option<u64>,
    /// The fast path's exponential in this process: `inline-fma`, `inline-fma-avx2` or `libm` (`perceptron::exp::implementation`).
    exp: &'static str,
}

/// Runs `train`.
pub fn run(args: &TrainArgs) -> Result<ExitCode> {
    let config = args.run.checked(args.run.data.load()?)?;
    let input = args.run.predict.0;
    if args.numpy {
        print_stdout(&crate::notebook::render(&config, input))?;
        return Ok(ExitCode::SUCCESS);
    }
    let run = trained(&config, input, &Schedule::Off)?;
    if let Some(t) = run.diverged_at {
        console::stderr_line(&format!(
            "warning: training diverged at iteration {t} (a weight would have become non-finite); results are from the weights before that step"
        ));
    }
    if args.json {
        print_stdout(&format!("{}\n", serde_json::to_string(&report(&config, &run, input))?))?;
    } else {
        print_stdout(&text(&config, &run, input))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Trains `config`, recording on `schedule` (which changes no bit of the
/// result), and refuses a run whose printed numbers would not be finite.
///
/// # Errors
/// A [`UsageError`] for a `--predict` input that overflows with the weights
/// (see the module doc); an error for outputs that are not finite.
pub fn trained(config: &ValidConfig, input: [f64; 3], schedule: &Schedule) -> Result<Trained> {
    let run = perceptron::train(config, schedule);
    check_prediction(&run.network, input, config.config().learning_rate)?;
    let outputs = run.network.forward(config.dataset().inputs());
    if outputs.iter().chain([&run.network.loss(config.dataset())]).any(|v| !v.is_finite()) {
        bail!(
            "the outputs on the training rows are not finite numbers (an overflow in the weighted sums); try a smaller --learning-rate"
        );
    }
    Ok(run)
}

/// Refuses an input whose weighted sums could overflow (see the module doc).
///
/// # Errors
/// A [`UsageError`] naming the input when `Σ |x_k|·|w_k|` is not finite for the
/// first layer or (two layers) `Σ |W2_j| (+ |b2|)` is not finite.
fn check_prediction(network: &perceptron::Network, input: [f64; 3], learning_rate: f64) -> Result<()> {
    let layers = network.layers();
    let first = &layers[0];
    let bound_first = first.columns().into_iter().map(|w| w.iter().zip(input).map(|(w, x)| (w * x).abs()).sum::<f64>());
    // The output's sum `Σ_j h_j·W2_j (+ b2)`, `0 < h_j < 1`: at most `Σ_j |W2_j| (+ |b2|)`.
    let bound_rest =
        (layers.len() > 1).then(|| layers[1..].iter().flat_map(|m| m.iter()).map(|w| w.abs()).sum::<f64>());
    if bound_first.chain(bound_rest).all(f64::is_finite) {
        return Ok(());
    }
    let shown: Vec<String> = input.iter().map(|v| format!("{v:e}")).collect();
    Err(UsageError::new(format!(
        "cannot predict [{}]: a weighted sum of the input and the trained weights (largest |w| = {:e}, --learning-rate {learning_rate:e}) exceeds the largest f64 (~1.8e308), so the output would not be a number; expected --predict values whose products with the weights stay finite",
        shown.join(", "),
        layers.iter().flat_map(|m| m.iter()).fold(0.0_f64, |m, w| m.max(w.abs())),
    ))
    .into())
}

/// The `--json` object of a run of `config`.
pub fn report<'a>(config: &'a ValidConfig, run: &Trained, input: [f64; 3]) -> Report<'a> {
    let c = config.config();
    Report {
        model: c.architecture.label(),
        data: config.dataset().name(),
        seed: c.seed,
        iterations: c.iterations,
        learning_rate: c.learning_rate,
        hidden: c.architecture.hidden(),
        output_bias: c.architecture.output_bias(),
        removed_rows: &c.removed_rows,
        predict: input,
        initial_layers: rows(&run.initial),
        layers: rows(&run.network),
        outputs: run.network.forward(config.dataset().inputs()).to_vec(),
        loss: run.network.loss(config.dataset()),
        prediction: run.network.predict(input),
        diverged_at: run.diverged_at,
        exp: perceptron::exp::implementation(),
    }
}

/// A network's weight matrices (inputs × outputs) as rows of numbers.
pub fn rows(network: &Network) -> Vec<Vec<Vec<f64>>> {
    network.layers().iter().map(|m| m.outer_iter().map(|r| r.to_vec()).collect()).collect()
}

fn text(config: &ValidConfig, run: &Trained, input: [f64; 3]) -> String {
    let mut out = String::new();
    let c = config.config();
    let data = config.dataset();
    let column = |v: ndarray::Array1<f64>| v.insert_axis(ndarray::Axis(1));
    let rows: Vec<String> = data.rows().iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "{}, data {}, seed {}, {} iterations, learning rate {}, training rows {}",
        c.architecture.label(),
        data.name(),
        c.seed,
        c.iterations,
        c.learning_rate,
        rows.join(", ")
    );
    let _ = writeln!(out, "Training inputs:\n{}", exact_matrix(data.inputs()));
    let _ = writeln!(out, "Training outputs:\n{}", exact_matrix(&column(data.targets().clone())));
    for (name, layers) in [("Initial weights", run.initial.layers()), ("Final weights", run.network.layers())] {
        let names = ["W1", "W2", "b2"];
        for (i, m) in layers.iter().enumerate() {
            let which = if layers.len() > 1 { format!(" {}", names[i]) } else { String::new() };
            let _ = writeln!(out, "{name}{which}:\n{}", matrix(m, 8));
        }
    }
    let _ = writeln!(
        out,
        "Results after training (outputs on the training rows):\n{}",
        matrix(&column(run.network.forward(data.inputs())), 8)
    );
    let shown: Vec<String> = input.iter().map(|v| format!("{v}")).collect();
    let _ = writeln!(out, "Prediction for [{}]: {}", shown.join(", "), run.network.predict(input));
    out
}
