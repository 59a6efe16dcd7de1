//! The head of the sweep's `README.md`: the title, the command that made it and
//! the training data. Each study writes its own section after it (its plot, a
//! short table, and conclusions computed from this run's numbers: no sentence
//! states a number that was not computed here).

use std::fmt::Write;

use super::numbers::shortest;

/// The report's title and the command that made it.
pub fn header(plan: &super::Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# perceptron-lab sweep results\n");
    let _ = writeln!(s, "Made by `{}`.", plan.command());
    let _ = writeln!(
        s,
        "Seeds are `0..{}`; every number below is computed from this run's CSV files in this folder.",
        plan.seeds
    );
    let data = &plan.data;
    let rows: Vec<String> = data
        .table()
        .iter()
        .map(|(x, y)| format!("({}, {}, {}) → {}", shortest(x[0]), shortest(x[1]), shortest(x[2]), shortest(*y)))
        .collect();
    let _ = writeln!(s, "Training data (`--data`): `{}`, {} rows: {}.", data.name(), data.len(), rows.join(", "));
    if data.table() != perceptron::Dataset::notebook().table() {
        let _ = writeln!(
            s,
            "This is not the notebook's table: the `[1, 0, 0]` prediction and the \"8 rule inputs\" \
             columns below still score the notebook's rule (output = x1), not this data set's targets."
        );
    }
    if data.len() > 4 {
        let _ = writeln!(s, "With more than 4 rows, study C removes each single row only.");
    }
    let _ = writeln!(s, "`manifest.json` holds the full configuration, the training steps and the wall time.\n");
    s
}
