//! Study C: the one-layer model without each of the 14 non-empty proper subsets
//! of training rows, every seed: `removal.csv`, `removal_summary.csv`, `removal.svg`.
//! (For a `--data` set of more than 4 rows: each single row removed.)
//!
//! The section also says when a "right" `[1, 0, 0]` is right only because the
//! network outputs more than 0.5 for every one of the 8 rule inputs
//! ([`everything_one`]): e.g. without rows 0 and 3 only targets 1 are left.

use std::fmt::Write;

use anyhow::Result;

use super::super::runs::RunSummary;
use super::super::tables::{rows_label, to_csv};
use super::super::{Results, plots, report};
use super::{Content, Rendered, Study, file};

pub struct Removal;

impl Study for Removal {
    fn name(&self) -> &'static str {
        "removal"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        // Folded while training (`super::super::train_groups`): no run is kept.
        let summary = &results.removal.summary;
        let files = vec![
            match &results.removal.csv {
                Some(bytes) => file("removal.csv", bytes.clone()),
                None => ("removal.csv".to_owned(), Content::Staged),
            },
            file("removal_summary.csv", to_csv(summary)?),
            file("removal.svg", plots::removal(summary)?.into_bytes()),
        ];
        let mut section = String::new();
        report::removal(results, summary, &mut section);
        explain(&results.removal.everything_one, results.plan.data.table(), &mut section);
        Ok(Rendered { files, section })
    }
}

/// Of `runs`, how many output more than 0.5 on the 7 rule inputs other than
/// `[0, 0, 0]` and at least 0.5 on `[0, 0, 0]` (one layer always gives it exactly
/// σ(0) = 0.5), and the smallest of those runs' 7 outputs (`None` if no run does).
pub fn everything_one(runs: &[&RunSummary]) -> (usize, Option<f64>) {
    let ones = |r: &&&RunSummary| r.rule_predictions[0] >= 0.5 && r.rule_predictions[1..].iter().all(|&p| p > 0.5);
    let all: Vec<&&RunSummary> = runs.iter().filter(ones).collect();
    let lowest = all.iter().flat_map(|r| r.rule_predictions[1..].to_vec()).min_by(f64::total_cmp);
    (all.len(), lowest)
}

/// One removed subset's [`everything_one`] count, folded while training: the
/// subset, the runs that output 1 for everything, the runs in the group, and
/// the lowest of their 7 outputs.
pub type EverythingOne = (Vec<usize>, usize, usize, Option<f64>);

fn explain(groups: &[EverythingOne], table: &[([f64; 3], f64)], s: &mut String) {
    let mut lines = Vec::new();
    for (subset, count, group_len, lowest) in groups {
        let Some(lowest) = lowest else { continue };
        let kept_targets: Vec<String> = (0..table.len())
            .filter(|r| !subset.contains(r))
            .map(|r| super::super::numbers::shortest(table[r].1))
            .collect();
        lines.push(format!(
            "- without rows {}: {count} of {} seeds output more than 0.5 on all 7 rule inputs other than `[0, 0, 0]` (lowest {lowest:.4}; `[0, 0, 0]` gets σ(0) = 0.5 or more); the kept targets are {}, so for these seeds `[1, 0, 0]` is \"right\" only because the network outputs 1 for everything.",
            rows_label(subset),
            group_len,
            kept_targets.join(", ")
        ));
    }
    if !lines.is_empty() {
        let _ = writeln!(s, "**Right for the wrong reason.**");
        for line in lines {
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::runs::mask;
    use perceptron::Architecture;

    fn run(predictions: [f64; 8]) -> RunSummary {
        RunSummary {
            architecture: Architecture::OneLayer,
            removed: mask(&[0, 3]),
            seed: 0,
            one_layer: Some(([0.0; 3], [0.0; 3])),
            rule_predictions: predictions,
            removed_correct: 0,
            loss: 0.0,
            diverged_at: None,
            final_max_error: 0.0,
            settled_at: [None, None],
        }
    }

    #[test]
    fn everything_one_needs_all_eight_above_half() {
        let ones = run([0.9, 0.8, 0.7, 0.6, 0.99, 0.95, 0.9, 0.97]);
        let one_low = run([0.9, 0.8, 0.5, 0.6, 0.99, 0.95, 0.9, 0.97]);
        // [0, 0, 0] at exactly σ(0) = 0.5 still counts: one layer cannot move it.
        let undecided = run([0.5, 0.8, 0.7, 0.65, 0.99, 0.95, 0.9, 0.97]);
        assert_eq!(everything_one(&[&ones, &one_low, &undecided]), (2, Some(0.6)));
        assert_eq!(everything_one(&[&one_low]), (0, None));
    }
}
