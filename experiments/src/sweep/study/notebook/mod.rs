//! Study A: the notebook's run (seed 1), recorded densely: `weights.csv`,
//! `errors.csv`, the sigmoid, the trained networks, the error and weight curves.

mod network;
mod plot;

use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, Config, NOTEBOOK_NEW_INPUT, Network, Schedule, Trained};
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::numbers::{fixed, shortest};
use crate::sweep::plan::Plan;
use crate::sweep::tables::to_csv;

static ABOUT: About = About {
    letter: Some('A'),
    title: "The notebook's run (seed 1)",
    description: "the notebook's run (seed 1)",
    files: &["weights.csv", "errors.csv", "sigmoid.svg", "network.svg", "errors.svg", "weights.svg"],
};

pub struct Notebook;

impl FromPlan for Notebook {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn counted_runs(&self, _plan: &Plan) -> usize {
        1
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let one = train(plan);
        let files = vec![
            ("weights.csv", to_csv(&weight_rows(&one))?),
            ("errors.csv", to_csv(&error_rows(&one, &plan.data.targets().to_vec()))?),
            ("sigmoid.svg", plot::sigmoid()?.into_bytes()),
            ("network.svg", network::network(&[("One layer 3→1 (seed 1)", &one.network)])?.into_bytes()),
            ("errors.svg", plot::errors(&one, &plan.data)?.into_bytes()),
            ("weights.svg", plot::weights(&one, plan.learning_rate)?.into_bytes()),
        ];
        let mut section = String::new();
        write_weights_and_figures(&one, plan, &mut section);
        Ok(Rendered { files, section })
    }
}

/// Trains the notebook's run (one layer, seed 1), recorded densely, on the
/// plan's data, iterations and learning rate.
pub fn train(plan: &Plan) -> Trained {
    let config = Config {
        seed: 1,
        iterations: plan.iterations,
        learning_rate: plan.learning_rate,
        architecture: Architecture::OneLayer,
        removed_rows: Vec::new(),
    }
    .check_on(&plan.data)
    .expect("the sweep's flags are checked");
    perceptron::train(&config, &Schedule::Plot { points: 250 })
}

/// `weights.csv`: the notebook's run, one row per recorded iteration.
#[derive(Serialize)]
struct WeightRow {
    iteration: u64,
    w1: f64,
    w2: f64,
    w3: f64,
}

fn weight_rows(run: &Trained) -> Vec<WeightRow> {
    run.history
        .records
        .iter()
        .map(|r| WeightRow { iteration: r.iteration, w1: r.weights[0], w2: r.weights[1], w3: r.weights[2] })
        .collect()
}

/// `errors.csv`: the notebook's run, one row per recorded iteration and training row.
#[derive(Serialize)]
struct ErrorRow {
    model: String,
    iteration: u64,
    row: usize,
    target: f64,
    output: f64,
    error: f64,
}

/// `targets`: `y` of the rows the run trained on, in their order.
fn error_rows(run: &Trained, targets: &[f64]) -> Vec<ErrorRow> {
    let model = run.network.architecture().label();
    run.history
        .records
        .iter()
        .flat_map(|r| {
            (0..r.outputs.len()).map(|i| ErrorRow {
                model: model.clone(),
                iteration: r.iteration,
                row: i,
                target: targets[i],
                output: r.outputs[i],
                error: r.errors[i],
            })
        })
        .collect()
}

/// The run's initial and final weights, its prediction, and its figures.
fn write_weights_and_figures(one: &Trained, plan: &Plan, s: &mut String) {
    let init: Vec<f64> = one.initial.weights().collect();
    let fin: Vec<f64> = one.network.weights().collect();
    let p = one.network.predict(NOTEBOOK_NEW_INPUT);
    let _ = writeln!(
        s,
        "The activation function, and the decision threshold 0.5 that turns an output into a 0/1 answer:\n"
    );
    let _ = writeln!(
        s,
        "![sigmoid](sigmoid.svg)\n\n*To see:* σ is steepest at 0 and flat far from it, so a unit whose input is large barely moves.\n"
    );
    let _ = writeln!(s, "| weight | initial | after {} iterations |\n|---|---:|---:|", plan.iterations);
    for (k, name) in Network::weight_names(one.network.architecture()).iter().enumerate() {
        let _ = writeln!(s, "| {name} | {} | {} |", fixed(init[k], 8), fixed(fin[k], 8));
    }
    let _ = writeln!(s, "\nPrediction for `[1, 0, 0]`: **{p}** (learning rate {}).", shortest(plan.learning_rate));
    let notebook_data = plan.data.table() == perceptron::Dataset::notebook().table();
    if notebook_data && plan.iterations == 50_000 && plan.learning_rate == 1.0 {
        let _ = writeln!(
            s,
            "The notebook prints `0.9999877412862083` and weights `[11.30926129, -0.20509237, -5.45001623]`."
        );
    }
    let _ = writeln!(s, "{}\n", reading(&fin));
    let _ = writeln!(s, "![network](network.svg)\n\n*To see:* the widest edges: the inputs the output listens to.\n");
    let _ = writeln!(
        s,
        "The error of each training row (`errors.csv`) against the iteration on a log axis: the signed error (semi-log) and its size |y − o| (log–log):\n"
    );
    let _ = writeln!(
        s,
        "![errors](errors.svg)\n\n*To see:* on the log–log panel the errors end on straight lines: they keep shrinking and never reach 0.\n"
    );
    let _ = writeln!(s, "The notebook's TODO 1 asks for the weights against the iteration (`weights.csv`):\n");
    let _ =
        writeln!(s, "![weights](weights.svg)\n\n*To see:* w1 and the bias weight w3 keep moving apart to the end.\n");
}

/// What the final one-layer weights `w` say: which input weighs most, which
/// way it moves the output, and where the bias input puts an input whose x1
/// and x2 are 0.
fn reading(w: &[f64]) -> String {
    let largest = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest < 1e-6 {
        return format!(
            "Every final weight is within 1e-6 of 0 (largest |w| = {largest:.1e}): the output is 0.5 for every input, so the network decides nothing."
        );
    }
    let (k, other) = if w[1].abs() > w[0].abs() { (1, 0) } else { (0, 1) };
    let moves = if w[k] >= 0.0 { "raises" } else { "lowers" };
    let towards = if w[2] < 0.0 { "towards 0" } else { "towards 1" };
    format!(
        "Of the two inputs, x{} carries the larger final weight: w{} = {} against w{} = {}, so x{} = 1 {moves} the output most. The bias weight w3 = {} gives an input with x1 = x2 = 0 the output σ(w3) = {}, pushing it {towards}.",
        k + 1,
        k + 1,
        fixed(w[k], 3),
        other + 1,
        fixed(w[other], 3),
        k + 1,
        fixed(w[2], 3),
        fixed(perceptron::sigmoid(w[2]), 4),
    )
}

#[cfg(test)]
mod tests {
    use super::reading;

    #[test]
    fn the_reading_names_the_heavier_input_its_direction_and_the_bias() {
        // The notebook's final weights [11.30926129, -0.20509237, -5.45001623]; σ(-5.45) = 0.00428.
        let r = reading(&[11.30926129, -0.20509237, -5.45001623]);
        assert!(r.starts_with("Of the two inputs, x1 carries the larger final weight: w1 = 11.309 against w2 = -0.205, so x1 = 1 raises"), "{r}");
        assert!(r.ends_with("σ(w3) = 0.0043, pushing it towards 0."), "{r}");
        // Targets inverted (not-x1): w1 < 0 lowers the output, w3 > 0 pushes towards 1.
        let r = reading(&[-11.3, 0.2, 5.45]);
        assert!(r.contains("x1 = 1 lowers the output most") && r.ends_with("pushing it towards 1."), "{r}");
        // One layer on xor: weights near 1e-16 decide nothing.
        let r = reading(&[1e-16, -2e-16, 3e-17]);
        assert!(r.contains("the network decides nothing") && r.contains("2.0e-16"), "{r}");
    }
}
