//! Study C: the one-layer model without each of the 14 non-empty proper subsets
//! of training rows, every seed: `removal.csv`, `removal_summary.csv`, `removal.svg`.

use anyhow::Result;

use super::super::runs::removal_subsets;
use super::super::tables::{removal_row, removal_summary, to_csv, to_csv_iter};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Removal;

impl Study for Removal {
    fn name(&self) -> &'static str {
        "removal"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let subsets: Vec<Vec<usize>> = removal_subsets(results.plan.data.len()).into_iter().skip(1).collect();
        let runs = results.removal_runs();
        // 14 rows per seed: each built as it is serialised, never all held.
        let runs_csv = to_csv_iter(runs.iter().map(|r| removal_row(r)))?;
        let summary = removal_summary(&runs, &subsets, results.plan.data.table());
        let files = vec![
            file("removal.csv", runs_csv),
            file("removal_summary.csv", to_csv(&summary)?),
            file("removal.svg", plots::removal(&summary)?.into_bytes()),
        ];
        let mut section = String::new();
        report::removal(results, &summary, &mut section);
        Ok(Rendered { files, section })
    }
}
