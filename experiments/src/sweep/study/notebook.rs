//! Study A: the notebook's run (seed 1), recorded densely: `weights.csv`,
//! `errors.csv`, the sigmoid, the trained networks, the error and weight curves.

use anyhow::Result;
use perceptron::Network;

use super::super::tables::{error_rows, to_csv, weight_rows};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Notebook;

impl Study for Notebook {
    fn name(&self) -> &'static str {
        "notebook"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let nb = &results.notebook;
        let mut nets = vec![("One layer 3→1 (seed 1)".to_owned(), &nb.one.network)];
        if let Some(two) = &nb.two {
            let hidden = two.network.architecture().hidden().unwrap_or(0);
            nets.push((format!("Two layers 3→{hidden}→1 (seed 1)"), &two.network));
        }
        let nets: Vec<(&str, &Network)> = nets.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        let files = vec![
            file("weights.csv", to_csv(&weight_rows(&nb.one))?),
            file("errors.csv", to_csv(&error_rows(&nb.one, &results.plan.data.targets().to_vec()))?),
            file("sigmoid.svg", plots::sigmoid()?.into_bytes()),
            file("network.svg", plots::network(&nets)?.into_bytes()),
            file("errors.svg", plots::errors(&nb.one)?.into_bytes()),
            file("weights.svg", plots::weights(&nb.one, results.plan.learning_rate)?.into_bytes()),
        ];
        let mut section = String::new();
        report::notebook(results, &mut section);
        Ok(Rendered { files, section })
    }
}
