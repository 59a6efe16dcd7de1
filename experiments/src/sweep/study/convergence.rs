//! Study D: one layer against 3→H→1 for each `--hidden` size, all rows, every
//! seed: `convergence.csv`, `convergence_curves.csv`, `convergence_summary.csv`,
//! `convergence.svg`.

use anyhow::Result;

use super::super::tables::{ConvergenceRow, CurveRow, convergence_rows, convergence_summary, curve_rows, to_csv};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Convergence;

impl Study for Convergence {
    fn name(&self) -> &'static str {
        "convergence"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let models = results.models();
        let curve_iterations = results.plan.curve_iterations();
        let curves: Vec<(String, Vec<CurveRow>)> = models
            .iter()
            .map(|&m| (m.label(), curve_rows(&m.label(), &results.model_runs(m), &curve_iterations)))
            .collect();
        let (runs_csv, summary) = {
            let per_model: Vec<Vec<ConvergenceRow>> =
                models.iter().map(|&m| convergence_rows(&results.model_runs(m))).collect();
            let summary: Vec<_> = models
                .iter()
                .zip(&per_model)
                .map(|(m, rows)| convergence_summary(&m.label(), &rows.iter().collect::<Vec<_>>()))
                .collect();
            (to_csv(&per_model.into_iter().flatten().collect::<Vec<_>>())?, summary)
        };
        let all_curves: Vec<&CurveRow> = curves.iter().flat_map(|(_, rows)| rows).collect();
        let files = vec![
            file("convergence.csv", runs_csv),
            file("convergence_curves.csv", to_csv(&all_curves)?),
            file("convergence_summary.csv", to_csv(&summary)?),
            file("convergence.svg", plots::convergence(&curves)?.into_bytes()),
        ];
        let mut section = String::new();
        report::convergence(&summary, &mut section);
        Ok(Rendered { files, section })
    }
}
