//! Study C: the one-layer model without each of the 14 non-empty proper subsets
//! of training rows, every seed: `removal.csv`, `removal_summary.csv`, `removal.svg`.

use anyhow::Result;

use super::super::tables::to_csv;
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
        Ok(Rendered { files, section })
    }
}
