//! Study D: one layer against 3→H→1 for each `--hidden` size, all rows, every
//! seed: `convergence.csv`, `convergence_curves.csv`, `convergence_summary.csv`,
//! `convergence.svg`.

use anyhow::Result;

use super::super::tables::{CurveRow, convergence_rows, convergence_summary, to_csv};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Convergence;

impl Study for Convergence {
    fn name(&self) -> &'static str {
        "convergence"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let models = results.models();
        let curves: Vec<(String, Vec<CurveRow>)> =
            models.iter().map(|&m| (m.label(), results.model(m).curve.clone())).collect();
        // One model's rows at a time (10⁵ seeds: 10⁵ rows each), never all models'.
        let mut runs_csv = csv::Writer::from_writer(Vec::new());
        let mut summary = Vec::new();
        for &m in &models {
            let rows = convergence_rows(&results.model_runs(m));
            for row in &rows {
                runs_csv.serialize(row)?;
            }
            summary.push(convergence_summary(&m.label(), &rows.iter().collect::<Vec<_>>()));
        }
        let runs_csv = runs_csv.into_inner()?;
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
