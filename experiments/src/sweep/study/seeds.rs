//! Study B: every seed `0..N` of the one-layer model on all rows: `seeds.csv`,
//! `seeds.svg` and the spread of the final weights.

use anyhow::Result;

use super::super::tables::{seed_rows, to_csv};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Seeds;

impl Study for Seeds {
    fn name(&self) -> &'static str {
        "seeds"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let rows = seed_rows(&results.seed_runs());
        let files = vec![
            file("seeds.csv", to_csv(&rows)?),
            file("seeds.svg", plots::seeds(&rows, results.plan.iterations)?.into_bytes()),
        ];
        let mut section = String::new();
        report::seeds(results, &rows, &mut section);
        Ok(Rendered { files, section })
    }
}
