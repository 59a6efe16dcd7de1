//! The sweep's `README.md`: each study with its plot, a short table, and
//! conclusions computed from this run's numbers (no sentence states a number
//! that was not computed here).

use std::fmt::Write;

use perceptron::{NOTEBOOK_NEW_INPUT, Network};

use super::Results;
use super::numbers::{fixed, mean_sd, min_max, shortest};
use super::tables::{ConvergenceSummaryRow, RemovalSummaryRow, SeedRow};

/// The weight tolerance of `experiments check` (its `--tolerance` default).
const CROSSCHECK_TOLERANCE: f64 = crate::check::DEFAULT_TOLERANCE;

fn percent(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn opt(v: Option<u64>) -> String {
    v.map_or_else(|| "never".to_owned(), |t| t.to_string())
}

/// The report's title and the command that made it.
pub fn header(plan: &super::Plan) -> String {
    let mut s = String::new();
    let hidden: Vec<String> = plan.hidden.iter().map(ToString::to_string).collect();
    let _ = writeln!(s, "# perceptron-lab sweep results\n");
    let _ = writeln!(
        s,
        "Made by `experiments sweep --data {} --seeds {} --iterations {} --hidden {} --learning-rate {}`.",
        plan.data.name(),
        plan.seeds,
        plan.iterations,
        hidden.join(","),
        shortest(plan.learning_rate)
    );
    let _ = writeln!(
        s,
        "Seeds are `0..{}`; every number below is computed from this run's CSV files in this folder.",
        plan.seeds
    );
    let data = &plan.data;
    let rows: Vec<String> = data
        .table()
        .iter()
        .map(|(x, y)| format!("({}, {}, {}) → {}", shortest(x[0]), shortest(x[1]), shortest(x[2]), shortest(*y)))
        .collect();
    let _ = writeln!(s, "Training data (`--data`): `{}`, {} rows: {}.", data.name(), data.len(), rows.join(", "));
    if data.table() != perceptron::Dataset::notebook().table() {
        let _ = writeln!(
            s,
            "This is not the notebook's table: the `[1, 0, 0]` prediction and the \"8 rule inputs\" \
             columns below still score the notebook's rule (output = x1), not this data set's targets."
        );
    }
    if data.len() > 4 {
        let _ = writeln!(s, "With more than 4 rows, study C removes each single row only.");
    }
    let _ = writeln!(s, "`manifest.json` holds the full configuration, the training steps and the wall time.\n");
    s
}

/// Study E's section.
pub fn crosscheck(results: &Results, s: &mut String) {
    let rows = &results.crosscheck;
    let _ = writeln!(s, "## E. The framework twin (TODO 4: \"an example using pytorch/tensorflow\")\n");
    let Some(first) = rows.first() else {
        let _ = writeln!(s, "Skipped (`--crosscheck-seeds 0`).\n");
        return;
    };
    let _ = writeln!(
        s,
        "The same networks trained again with candle, whose autograd computes ∂L/∂w of `L = ½ Σ (y − o)²`, from the same initial weights: seeds 0..{} of every model and removed subset above, over the first {} iterations, compared at {} log-spaced iterations (`crosscheck.csv`).\n",
        first.seeds.saturating_sub(1),
        first.iterations,
        first.records
    );
    let _ = writeln!(s, "| model | runs compared | largest \\|Δw\\| | largest \\|Δo\\| |\n|---|---:|---:|---:|");
    let mut models: Vec<&str> = rows.iter().map(|r| r.model.as_str()).collect();
    models.dedup();
    for model in &models {
        let group: Vec<_> = rows.iter().filter(|r| r.model == *model).collect();
        let runs: usize = group.iter().map(|r| r.seeds).sum();
        let dw = group.iter().map(|r| r.max_abs_diff_weights).fold(0.0, f64::max);
        let dout = group.iter().map(|r| r.max_abs_diff_outputs).fold(0.0, f64::max);
        let show = |v: f64| if v == 0.0 { "0 (bit for bit)".to_owned() } else { format!("{v:.1e}") };
        let _ = writeln!(s, "| {model} | {runs} | {} | {} |", show(dw), show(dout));
    }
    let worst = rows.iter().map(|r| r.max_abs_diff_weights).fold(0.0, f64::max);
    let exact = rows.iter().filter(|r| r.max_abs_diff_weights == 0.0).count();
    let verdict = if worst <= CROSSCHECK_TOLERANCE { "within" } else { "OUTSIDE" };
    let _ = writeln!(
        s,
        "\nThe largest weight difference is {worst:.1e}, {verdict} the tolerance {CROSSCHECK_TOLERANCE:.0e} of `experiments check`; {exact} of {} groups agree bit for bit.",
        rows.len()
    );
    let differing: Vec<&str> =
        models.iter().copied().filter(|m| rows.iter().any(|r| r.model == *m && r.max_abs_diff_weights > 0.0)).collect();
    let wide = |m: &str| m.strip_prefix("two-layer H=").and_then(|h| h.parse::<usize>().ok()).is_some_and(|h| h >= 8);
    if !differing.is_empty() && differing.iter().all(|m| wide(m)) {
        let _ = writeln!(
            s,
            "Only {} differ: for H ≥ 8 the core sums h·W2 with ndarray's eight partial sums and candle sums in order, so the last bits differ.",
            differing.join(", ")
        );
    } else if !differing.is_empty() {
        let _ = writeln!(s, "Models that differ at all: {}.", differing.join(", "));
    }
    let _ = writeln!(s);
}

/// Study A's section.
pub fn notebook(results: &Results, s: &mut String) {
    let nb = &results.notebook;
    let plan = &results.plan;
    let init: Vec<f64> = nb.one.initial.weights().collect();
    let fin: Vec<f64> = nb.one.network.weights().collect();
    let p = nb.one.network.predict(NOTEBOOK_NEW_INPUT);
    let _ = writeln!(s, "## A. The notebook's run (seed 1)\n");
    let _ = writeln!(
        s,
        "The activation function, and the decision threshold 0.5 that turns an output into a 0/1 answer:\n"
    );
    let _ = writeln!(s, "![sigmoid](sigmoid.svg)\n");
    let _ = writeln!(s, "| weight | initial | after {} iterations |\n|---|---:|---:|", plan.iterations);
    for (k, name) in Network::weight_names(nb.one.network.architecture()).iter().enumerate() {
        let _ = writeln!(s, "| {name} | {} | {} |", fixed(init[k], 8), fixed(fin[k], 8));
    }
    let _ = writeln!(s, "\nPrediction for `[1, 0, 0]`: **{p}** (learning rate {}).", shortest(plan.learning_rate));
    if plan.iterations == 50_000 && plan.learning_rate == 1.0 {
        let _ = writeln!(
            s,
            "The notebook prints `0.9999877412862083` and weights `[11.30926129, -0.20509237, -5.45001623]`."
        );
    }
    let (big, _) =
        fin.iter().enumerate().fold((0, 0.0f64), |(i, m), (k, w)| if w.abs() > m { (k, w.abs()) } else { (i, m) });
    let _ = writeln!(
        s,
        "The largest final weight is w{} = {}: the network has learned to follow input x{}, while the bias weight w3 = {} pushes inputs without it towards 0.\n",
        big + 1,
        fixed(fin[big], 3),
        big + 1,
        fixed(fin[2], 3)
    );
    let _ = writeln!(s, "![network](network.svg)\n");
    let _ =
        writeln!(s, "The error of each training row (`errors.csv`), on linear and log–log axes as in the notebook:\n");
    let _ = writeln!(s, "![errors](errors.svg)\n");
    let _ = writeln!(s, "TODO 1, the weights against the iteration (`weights.csv`):\n");
    let _ = writeln!(s, "![weights](weights.svg)\n");
}

/// Study B's section.
pub fn seeds(results: &Results, rows: &[SeedRow], s: &mut String) {
    let n = rows.len();
    let _ = writeln!(s, "## B. Every seed (\"what happens if you comment `np.random.seed`?\")\n");
    let _ = writeln!(s, "![seeds](seeds.svg)\n");
    let _ = writeln!(s, "| quantity | mean | sd | min | max |\n|---|---:|---:|---:|---:|");
    type Column = (&'static str, fn(&SeedRow) -> f64);
    let columns: [Column; 5] = [
        ("w1", |r| r.w1),
        ("w2", |r| r.w2),
        ("w3 (bias)", |r| r.w3),
        ("prediction for [1, 0, 0]", |r| r.prediction),
        ("final loss", |r| r.loss),
    ];
    for (name, f) in columns {
        let v: Vec<f64> = rows.iter().map(f).collect();
        let (mean, sd) = mean_sd(&v);
        let (lo, hi) = min_max(&v);
        let _ = writeln!(s, "| {name} | {} | {sd:.2e} | {} | {} |", fixed(mean, 6), fixed(lo, 6), fixed(hi, 6));
    }
    let right = rows.iter().filter(|r| r.correct).count();
    let all_rule = rows.iter().filter(|r| r.rule_correct == 8).count();
    let predictions: Vec<f64> = rows.iter().map(|r| r.prediction).collect();
    let (lo, hi) = min_max(&predictions);
    let _ = writeln!(
        s,
        "\n{right} of {n} seeds predict `[1, 0, 0]` right (between {lo:.6} and {hi:.6}); {all_rule} of {n} get all 8 inputs of the rule right."
    );
    let one = results.seed_runs();
    let undecided = one.iter().filter(|r| r.rule_predictions[0] == 0.5).count();
    if undecided > 0 {
        let _ = writeln!(
            s,
            "For {undecided} of {n} seeds the input `[0, 0, 0]` gets exactly σ(0) = 0.5: with every input 0, no weight reaches the output, so one layer cannot decide it (counted wrong)."
        );
    }
    let _ = writeln!(
        s,
        "The seed changes the path, not the destination: the spread of the final weights is the sd column above, and the initial weights are in `seeds.csv`.\n"
    );
}

/// Study C's section.
pub fn removal(results: &Results, rows: &[RemovalSummaryRow], s: &mut String) {
    let _ = writeln!(s, "## C. Training rows removed (TODO 2: \"remove one, remove more\")\n");
    let _ = writeln!(
        s,
        "Rows: 0 = `[0,0,1]→0`, 1 = `[1,1,1]→1`, 2 = `[1,0,1]→1`, 3 = `[0,1,1]→0`. One layer, every seed, each of the 14 non-empty proper subsets removed.\n"
    );
    let _ = writeln!(s, "![removal](removal.svg)\n");
    let _ = writeln!(
        s,
        "| removed | rows left | kept rows with x1 = 1 | [1,0,0] right | mean prediction | min | max | rule inputs right (of 8) | removed rows right |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.4} | {:.4} | {:.4} | {:.2} | {} |",
            r.removed,
            r.rows_left,
            r.kept_rows_with_x1,
            percent(r.share_correct),
            r.mean_prediction,
            r.min_prediction,
            r.max_prediction,
            r.mean_rule_correct,
            percent(r.share_removed_correct)
        );
    }
    let broken: Vec<&RemovalSummaryRow> = rows.iter().filter(|r| r.share_correct < 1.0).collect();
    let survive = rows.len() - broken.len();
    let _ = writeln!(s, "\nThe prediction for `[1, 0, 0]` is σ(w1): its other inputs are 0.");
    let _ = writeln!(s, "It survives in every seed for {survive} of the {} removals.", rows.len());
    let frozen = frozen_removals(rows);
    if !frozen.is_empty() {
        let names: Vec<&str> = frozen.iter().map(|r| r.removed.as_str()).collect();
        let largest = frozen.iter().map(|r| r.max_abs_w1_change).fold(0.0, f64::max);
        let _ = writeln!(
            s,
            "It breaks when {} {} removed: then no kept row has x1 = 1, so the w1 entry of the update Xᵀδ is always 0 and w1 never moves (largest |change| over all seeds: {}).",
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" },
            shortest(largest)
        );
        let shares: Vec<String> =
            frozen.iter().map(|r| format!("{} for {}", percent(r.share_correct), r.removed)).collect();
        let _ = writeln!(
            s,
            "The answer then keeps the sign of the random initial w1: right only for the seeds that start with w1 > 0 ({}).",
            shares.join(", ")
        );
    }
    let other: Vec<&&RemovalSummaryRow> = broken.iter().filter(|r| r.kept_rows_with_x1 > 0).collect();
    if other.is_empty() {
        let _ = writeln!(
            s,
            "Whenever a row with x1 = 1 is kept, its target is 1, so its δ is positive and w1 only grows: every seed then ends right."
        );
    } else {
        let names: Vec<String> =
            other.iter().map(|r| format!("{} ({})", r.removed, percent(r.share_correct))).collect();
        let _ = writeln!(
            s,
            "With a row with x1 = 1 kept, w1 only grows, yet some seeds are still wrong after {} iterations for: {}.",
            results.plan.iterations,
            names.join(", ")
        );
    }
    let full: Vec<&RemovalSummaryRow> = rows.iter().filter(|r| r.mean_rule_correct >= 8.0).collect();
    let names: Vec<&str> = full.iter().map(|r| r.removed.as_str()).collect();
    if names.is_empty() {
        let _ = writeln!(
            s,
            "No removal lets every seed get all 8 inputs of the rule right (training on all rows does not either, see B)."
        );
    } else {
        let _ = writeln!(s, "Every seed gets all 8 inputs of the rule right only when removing {}.", names.join(", "));
    }
    let hardest = hardest_removals(rows);
    if let Some(w) = hardest.first() {
        let hardest: Vec<&str> = hardest.iter().map(|r| r.removed.as_str()).collect();
        let _ = writeln!(
            s,
            "The hardest {} for the rule: {} ({:.2} of 8 inputs right on average).\n",
            if hardest.len() == 1 { "removal" } else { "removals, tied," },
            hardest.join(", "),
            w.mean_rule_correct
        );
    }
}

/// The removals that break `[1, 0, 0]` for some seed because no kept row has
/// `x1 = 1`, so `w1` never moves.
pub fn frozen_removals(rows: &[RemovalSummaryRow]) -> Vec<&RemovalSummaryRow> {
    rows.iter().filter(|r| r.share_correct < 1.0 && r.kept_rows_with_x1 == 0).collect()
}

/// The removals with the fewest rule inputs right on average (all of them when tied), in table order.
pub fn hardest_removals(rows: &[RemovalSummaryRow]) -> Vec<&RemovalSummaryRow> {
    let least = rows.iter().map(|r| r.mean_rule_correct).min_by(f64::total_cmp);
    rows.iter().filter(|r| Some(r.mean_rule_correct) == least).collect()
}

/// Study D's section.
pub fn convergence(rows: &[ConvergenceSummaryRow], s: &mut String) {
    let _ = writeln!(s, "## D. A second layer (TODO 3: \"compare the convergence\")\n");
    let _ = writeln!(
        s,
        "All rows, every seed, the same learning rate. The curve is the largest training error `max |y − o|` over the four rows.\n"
    );
    let _ = writeln!(s, "![convergence](convergence.svg)\n");
    let _ = writeln!(
        s,
        "| model | runs | settled below 0.05 | lower median iterations | settled below 0.01 | lower median iterations | lower median final loss | rule inputs right (of 8) | [1,0,0] right | diverged |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {:.3e} | {:.2} | {} | {} |",
            r.model,
            r.runs,
            r.reached_0_05,
            opt(r.median_iterations_to_0_05),
            r.reached_0_01,
            opt(r.median_iterations_to_0_01),
            r.median_final_loss,
            r.mean_rule_correct,
            percent(r.share_correct),
            r.diverged
        );
    }
    let fastest = rows.iter().filter_map(|r| r.median_iterations_to_0_01.map(|t| (t, r))).min_by_key(|(t, _)| *t);
    let best_loss = rows.iter().min_by(|a, b| a.median_final_loss.total_cmp(&b.median_final_loss));
    let _ = writeln!(s);
    if let Some((t, r)) = fastest {
        let _ = writeln!(
            s,
            "Fastest to a largest error below 0.01 (lower median over the seeds that got there): {} after {t} iterations.",
            r.model
        );
    }
    if let Some(r) = best_loss {
        let _ = writeln!(s, "Lowest lower-median final loss: {} ({:.3e}).", r.model, r.median_final_loss);
    }
    let base = rows.first().and_then(|o| o.median_iterations_to_0_01);
    if let Some(o) = rows.first() {
        let _ = writeln!(s, "- {}: {} of {} runs settled below 0.01.", o.model, o.reached_0_01, o.runs);
    }
    for r in rows.iter().skip(1) {
        match (r.median_iterations_to_0_01, base) {
            (Some(t2), Some(t1)) => {
                let _ = writeln!(
                    s,
                    "- {}: {:.2}× the one-layer iterations to settle below 0.01 ({} of {} runs settled).",
                    r.model,
                    t2 as f64 / t1 as f64,
                    r.reached_0_01,
                    r.runs
                );
            }
            _ => {
                let _ = writeln!(s, "- {}: {} of {} runs settled below 0.01.", r.model, r.reached_0_01, r.runs);
            }
        }
    }
    let _ = writeln!(
        s,
        "\n\"Iterations\" to a threshold θ is the iteration from which the largest error stays below θ until the end of training, with every step checked (`convergence.csv`); the curves are sampled at {} log-spaced iterations (`convergence_curves.csv`).\n",
        super::CURVE_POINTS
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(removed: &str, kept_rows_with_x1: usize, share_correct: f64, mean_rule_correct: f64) -> RemovalSummaryRow {
        RemovalSummaryRow {
            removed: removed.to_owned(),
            rows_left: 2,
            kept_rows_with_x1,
            runs: 10,
            share_correct,
            mean_prediction: 0.5,
            min_prediction: 0.1,
            max_prediction: 0.9,
            mean_rule_correct,
            share_removed_correct: 0.0,
            max_abs_w1_change: 0.0,
        }
    }

    #[test]
    fn frozen_means_wrong_somewhere_and_no_row_with_x1() {
        let rows = [row("0", 2, 1.0, 7.0), row("1+2", 0, 0.6, 4.0), row("0+3", 2, 0.9, 6.0), row("1+2+3", 0, 1.0, 5.0)];
        let names: Vec<&str> = frozen_removals(&rows).iter().map(|r| r.removed.as_str()).collect();
        assert_eq!(names, ["1+2"]);
    }

    #[test]
    fn hardest_keeps_ties_in_order() {
        let rows = [row("0", 2, 1.0, 7.0), row("1+2", 0, 0.6, 4.0), row("0+3", 2, 0.9, 6.0), row("2", 1, 1.0, 4.0)];
        let names: Vec<&str> = hardest_removals(&rows).iter().map(|r| r.removed.as_str()).collect();
        assert_eq!(names, ["1+2", "2"]);
        assert!(hardest_removals(&[]).is_empty());
    }
}
