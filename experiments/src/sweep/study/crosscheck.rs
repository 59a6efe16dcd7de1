//! Study E: the framework twin (computed in `sweep::crosscheck`): `crosscheck.csv`
//! (its header even when `--crosscheck-seeds 0` leaves it without rows).

use std::fmt::Write;

use anyhow::Result;

use super::super::Results;
use super::super::tables::to_csv_with_header;
use super::{FromResults, Rendered, file};

pub struct Crosscheck;

impl FromResults for Crosscheck {
    fn name(&self) -> &'static str {
        "crosscheck"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let files = vec![file("crosscheck.csv", to_csv_with_header(&results.crosscheck)?)];
        let mut section = String::new();
        section_e(results, &mut section);
        Ok(Rendered { files, section })
    }
}

/// The weight tolerance of `experiments check` (its `--tolerance` default).
const CROSSCHECK_TOLERANCE: f64 = crate::check::DEFAULT_TOLERANCE;

/// Study E's section.
fn section_e(results: &Results, s: &mut String) {
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
