//! `train`: one run, printed like the notebook (initial weights, outputs on the
//! training rows, final weights, the prediction for a new input) or as JSON.

use std::process::ExitCode;

use anyhow::Result;
use ndarray::Array2;
use perceptron::{Schedule, Trained, ValidConfig};
use serde::Serialize;

use crate::cli::TrainArgs;
use crate::format::matrix;
use crate::output::print_stdout;
use std::fmt::Write as _;

/// The `--json` object: the configuration and the run's results.
#[derive(Serialize)]
struct Report<'a> {
    model: String,
    /// The data set's name: a function (`x1`, `xor`, …) or the CSV file as given.
    data: &'a str,
    seed: u32,
    iterations: u64,
    learning_rate: f64,
    hidden: Option<usize>,
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
}

/// Runs `train`.
pub fn run(args: &TrainArgs) -> Result<ExitCode> {
    let data = args.model.data.load()?;
    let config: ValidConfig = match args.model.config().check_on(&data) {
        Ok(valid) => valid,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let run = perceptron::train(&config, &Schedule::Off);
    let input = args.model.predict.0;
    if let Some(t) = run.diverged_at {
        eprintln!(
            "warning: training diverged at iteration {t} (a weight would have become non-finite); results are from the weights before that step"
        );
    }
    if args.json {
        print_stdout(&format!("{}\n", serde_json::to_string(&report(&config, &run, input))?))?;
    } else {
        print_stdout(&text(&config, &run, input))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report<'a>(config: &'a ValidConfig, run: &Trained, input: [f64; 3]) -> Report<'a> {
    let c = config.config();
    let rows = |layers: Vec<Array2<f64>>| layers.iter().map(|m| m.outer_iter().map(|r| r.to_vec()).collect()).collect();
    Report {
        model: c.architecture.label(),
        data: config.dataset().name(),
        seed: c.seed,
        iterations: c.iterations,
        learning_rate: c.learning_rate,
        hidden: c.architecture.hidden(),
        removed_rows: &c.removed_rows,
        predict: input,
        initial_layers: rows(run.initial.layers()),
        layers: rows(run.network.layers()),
        outputs: run.network.forward(config.dataset().inputs()).to_vec(),
        loss: run.network.loss(config.dataset()),
        prediction: run.network.predict(input),
        diverged_at: run.diverged_at,
    }
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
    let _ = writeln!(out, "Training inputs:\n{}", matrix(data.inputs(), 0));
    let _ = writeln!(out, "Training outputs:\n{}", matrix(&column(data.targets().clone()), 0));
    for (name, layers) in [("Initial weights", run.initial.layers()), ("Final weights", run.network.layers())] {
        let names = ["W1", "W2"];
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
