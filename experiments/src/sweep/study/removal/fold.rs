//! Study C's runs, folded while the shared training runs (`crate::sweep`'s
//! `train_groups` hands over each group of runs with rows removed as soon as it
//! is trained, in group order): each run becomes its `removal.csv` row, written
//! to a stream at once and never kept (14 rows per seed), and each group its
//! `removal_summary.csv` row and its count of runs that output 1 for everything.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::sweep::runs::{RunSummary, is_correct};
use crate::sweep::tables::{rows_label, to_csv_with_header};

/// What study C keeps of its runs, in group order.
pub struct Findings {
    /// One `removal_summary.csv` row per removed subset.
    pub summary: Vec<SummaryRow>,
    /// Per removed subset, its runs that output 1 for everything.
    pub all_ones: Vec<AllOnes>,
}

/// Folds the groups one at a time into their rows and [`Findings`].
pub struct Fold<'a, W: Write> {
    csv: csv::Writer<W>,
    /// No row written yet (the header comes with the first one, or at the end).
    empty: bool,
    /// The data set's full table (for the rows left and those with `x1 = 1`).
    table: &'a [([f64; 3], f64)],
    findings: Findings,
}

impl<'a, W: Write> Fold<'a, W> {
    /// A fold that writes `removal.csv` into `out`; `table` is the data set's full table.
    pub fn new(out: W, table: &'a [([f64; 3], f64)]) -> Self {
        Self {
            csv: csv::Writer::from_writer(out),
            empty: true,
            table,
            findings: Findings { summary: Vec::new(), all_ones: Vec::new() },
        }
    }

    /// Folds the runs of one group, all without the rows `removed`, in seed order.
    ///
    /// # Errors
    /// A row could not be written.
    pub fn group(&mut self, removed: &[usize], runs: &[RunSummary]) -> Result<()> {
        for run in runs {
            self.csv.serialize(RemovalRow::of(run))?;
            self.empty = false;
        }
        self.findings.summary.push(SummaryRow::of(removed, runs, self.table));
        self.findings.all_ones.push(AllOnes::of(removed, runs));
        Ok(())
    }

    /// The findings, and the stream `removal.csv` went to, flushed.
    ///
    /// # Errors
    /// The last rows could not be written.
    pub fn finish(self) -> Result<(Findings, W)> {
        let mut out = self.csv.into_inner().map_err(|e| e.into_error())?;
        if self.empty {
            // No subset to remove (a 1-row data set): the columns all the same.
            out.write_all(&to_csv_with_header::<RemovalRow>(&[])?)?;
        }
        Ok((self.findings, out))
    }
}

/// `removal.csv`: one row per removed subset and seed (one-layer model).
#[derive(Serialize, Default)]
struct RemovalRow {
    removed: String,
    seed: u32,
    /// Output for `[1, 0, 0]`.
    prediction: f64,
    correct: bool,
    /// Removed training rows predicted right (of `removed` rows).
    removed_correct: usize,
    /// Rule inputs with `x3 = 1` predicted right (of 4).
    rule_right_x3_1: usize,
    /// Rule inputs with `x3 = 0` predicted right (of 4).
    rule_right_x3_0: usize,
    /// `w1_final − w1_initial`.
    w1_change: f64,
    p_000: f64,
    p_001: f64,
    p_010: f64,
    p_011: f64,
    p_100: f64,
    p_101: f64,
    p_110: f64,
    p_111: f64,
    /// The step at which training stopped on a non-finite weight (empty: never).
    diverged_at: Option<u64>,
}

impl RemovalRow {
    fn of(r: &RunSummary) -> Self {
        let p = r.rule_predictions;
        let (initial, last) = r.weights();
        RemovalRow {
            removed: rows_label(&r.removed_rows()),
            seed: r.seed,
            prediction: r.prediction(),
            correct: is_correct(r.prediction(), 1.0),
            removed_correct: r.removed_correct.into(),
            rule_right_x3_1: r.rule_correct()[0],
            rule_right_x3_0: r.rule_correct()[1],
            w1_change: last[0] - initial[0],
            p_000: p[0],
            p_001: p[1],
            p_010: p[2],
            p_011: p[3],
            p_100: p[4],
            p_101: p[5],
            p_110: p[6],
            p_111: p[7],
            diverged_at: r.diverged_at,
        }
    }
}

/// `removal_summary.csv`: one row per removed subset, over all seeds.
#[derive(Serialize, Clone, Default)]
pub struct SummaryRow {
    pub removed: String,
    pub rows_left: usize,
    /// Kept rows with `x1 = 1`: the only rows that move `w1`.
    pub kept_rows_with_x1: usize,
    pub runs: usize,
    /// Share of seeds whose `[1, 0, 0]` prediction is right.
    pub share_correct: f64,
    pub mean_prediction: f64,
    pub min_prediction: f64,
    pub max_prediction: f64,
    /// Mean number of the 4 rule inputs with `x3 = 1` predicted right.
    pub mean_rule_right_x3_1: f64,
    /// Mean number of the 4 rule inputs with `x3 = 0` predicted right.
    pub mean_rule_right_x3_0: f64,
    /// Share of runs that predict every removed row right.
    pub share_runs_removed_right: f64,
    /// Share of the removed rows predicted right, over all runs.
    pub share_removed_rows_right: f64,
    /// Largest `|w1_final − w1_initial|` over seeds.
    pub max_abs_w1_change: f64,
}

impl SummaryRow {
    /// The row of the runs without the rows `subset`; `table` is the data set's full table.
    fn of(subset: &[usize], group: &[RunSummary], table: &[([f64; 3], f64)]) -> Self {
        let n = group.len() as f64;
        let predictions: Vec<f64> = group.iter().map(RunSummary::prediction).collect();
        SummaryRow {
            removed: rows_label(subset),
            rows_left: table.len() - subset.len(),
            kept_rows_with_x1: (0..table.len()).filter(|r| !subset.contains(r) && table[*r].0[0] == 1.0).count(),
            runs: group.len(),
            share_correct: group.iter().filter(|r| is_correct(r.prediction(), 1.0)).count() as f64 / n,
            mean_prediction: predictions.iter().sum::<f64>() / n,
            min_prediction: predictions.iter().copied().fold(f64::INFINITY, f64::min),
            max_prediction: predictions.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            mean_rule_right_x3_1: group.iter().map(|r| r.rule_correct()[0] as f64).sum::<f64>() / n,
            mean_rule_right_x3_0: group.iter().map(|r| r.rule_correct()[1] as f64).sum::<f64>() / n,
            share_runs_removed_right: group.iter().filter(|r| usize::from(r.removed_correct) == subset.len()).count()
                as f64
                / n,
            share_removed_rows_right: group.iter().map(|r| f64::from(r.removed_correct)).sum::<f64>()
                / (n * subset.len().max(1) as f64),
            max_abs_w1_change: group
                .iter()
                .map(|r| {
                    let (initial, last) = r.weights();
                    (last[0] - initial[0]).abs()
                })
                .fold(0.0, f64::max),
        }
    }
}

/// The runs of one removed subset that output 1 for everything: more than 0.5
/// on the 7 rule inputs other than `[0, 0, 0]` and at least 0.5 on `[0, 0, 0]`
/// (one layer always gives it exactly σ(0) = 0.5). For them a "right"
/// `[1, 0, 0]` is right for the wrong reason.
#[derive(Debug, PartialEq)]
pub struct AllOnes {
    /// The removed rows.
    pub removed: Vec<usize>,
    /// How many runs output 1 for everything, of `runs`.
    pub count: usize,
    pub runs: usize,
    /// The smallest of those runs' 7 outputs (`None` if no run does).
    pub lowest: Option<f64>,
}

impl AllOnes {
    fn of(removed: &[usize], runs: &[RunSummary]) -> Self {
        let ones = |r: &&RunSummary| r.rule_predictions[0] >= 0.5 && r.rule_predictions[1..].iter().all(|&p| p > 0.5);
        let all: Vec<&RunSummary> = runs.iter().filter(ones).collect();
        let lowest = all.iter().flat_map(|r| r.rule_predictions[1..].to_vec()).min_by(f64::total_cmp);
        AllOnes { removed: removed.to_vec(), count: all.len(), runs: runs.len(), lowest }
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
    fn all_ones_needs_all_eight_above_half() {
        let ones = run([0.9, 0.8, 0.7, 0.6, 0.99, 0.95, 0.9, 0.97]);
        let one_low = run([0.9, 0.8, 0.5, 0.6, 0.99, 0.95, 0.9, 0.97]);
        // [0, 0, 0] at exactly σ(0) = 0.5 still counts: one layer cannot move it.
        let undecided = run([0.5, 0.8, 0.7, 0.65, 0.99, 0.95, 0.9, 0.97]);
        let found = AllOnes::of(&[0, 3], &[ones, one_low.clone(), undecided]);
        assert_eq!(found, AllOnes { removed: vec![0, 3], count: 2, runs: 3, lowest: Some(0.6) });
        assert_eq!(AllOnes::of(&[0, 3], &[one_low]).lowest, None);
    }

    #[test]
    fn the_fold_streams_one_row_per_run_and_keeps_one_summary_per_group() {
        let table = perceptron::Dataset::notebook().table().to_vec();
        let mut fold = Fold::new(Vec::new(), &table);
        fold.group(&[0, 3], &[run([0.9; 8]), run([0.1; 8])]).unwrap();
        let (findings, csv) = fold.finish().unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), 1 + 2, "{csv}");
        assert!(csv.lines().nth(1).unwrap().starts_with("0+3,0,0.9,true,"), "{csv}");
        let [summary] = &findings.summary[..] else { panic!("one summary row") };
        assert_eq!((summary.rows_left, summary.kept_rows_with_x1, summary.runs), (2, 2, 2));
        assert_eq!(summary.share_correct, 0.5);
        assert_eq!(findings.all_ones[0].count, 1);
    }
}
