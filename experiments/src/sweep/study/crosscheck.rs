//! Study E: the framework twin (computed in `sweep::crosscheck`): `crosscheck.csv`
//! (its header even when `--crosscheck-seeds 0` leaves it without rows).

use anyhow::Result;

use super::super::tables::to_csv_with_header;
use super::super::{Results, report};
use super::{Rendered, Study, file};

pub struct Crosscheck;

impl Study for Crosscheck {
    fn name(&self) -> &'static str {
        "crosscheck"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let files = vec![file("crosscheck.csv", to_csv_with_header(&results.crosscheck)?)];
        let mut section = String::new();
        report::crosscheck(results, &mut section);
        Ok(Rendered { files, section })
    }
}
