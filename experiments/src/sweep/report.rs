//! The head of the sweep's `README.md`: the title, the command that made it and
//! the training data. Each study writes its own section after it (its plot, a
//! short table, and conclusions computed from this run's numbers: no sentence
//! states a number that was not computed here); [`table`] writes a Markdown
//! table of typed rows.

use std::fmt::Write;

use perceptron::Architecture;

use super::model::recipe;
use super::numbers::shortest;

/// The report's title and the command that made it.
pub fn header(plan: &super::plan::Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# perceptron-lab sweep results\n");
    // A command holding a backquote (in a quoted path) needs a longer code span.
    let command = plan.command();
    let _ = if command.contains('`') {
        writeln!(s, "Made by `` {command} ``.")
    } else {
        writeln!(s, "Made by `{command}`.")
    };
    let _ = writeln!(
        s,
        "Seeds are 0–{}; every number below is computed from this run (its CSV files are in this folder; a few lessons train a run of it again to read its final weights); the reasoning around them is fixed text.",
        plan.seeds - 1
    );
    let data = &plan.data;
    let rows: Vec<String> = data
        .table()
        .iter()
        .map(|(x, y)| format!("({}, {}, {}) → {}", shortest(x[0]), shortest(x[1]), shortest(x[2]), shortest(*y)))
        .collect();
    let count = if data.len() == 1 { "1 row".to_owned() } else { format!("{} rows", data.len()) };
    let _ = writeln!(s, "Training data (`--data`): `{}`, {count}: {}.", data.name(), rows.join(", "));
    if data.table() != perceptron::Dataset::notebook().table() {
        let _ = writeln!(
            s,
            "This is not the notebook's table: the `[1, 0, 0]` prediction and the rule-input \
             columns below still score the notebook's rule (output = x1), not this data set's targets."
        );
    }
    if data.len() > 4 {
        let _ = writeln!(s, "With more than 4 rows, study C removes each single row only.");
    }
    let _ = writeln!(
        s,
        "`manifest.json` holds the full configuration, the number of training steps and each file's SHA-256.\n"
    );
    let _ = writeln!(s, "{OPENING}\n");
    let _ = writeln!(s, "{}", models(plan));
    s
}

/// What the notebook showed, and where the report takes each question up, in
/// the order of its sections (letters name the studies, as in `sweep --help`).
const OPENING: &str = "**What you just saw, and where it is taken up.** The notebook trains one sigmoid unit with its \"error weighted derivative\" rule and prints the weights and a prediction. Below, in reading order: the run itself, its weights and errors step by step, and the loss landscape it walks down, which shows why the weights never stop growing (A); what the seed changes (B); which training rows the prediction needs (C); the learning rate, what small and large steps do (G); a second layer (D); which of the 16 rules of two inputs each model can learn (F), with their decision surfaces and what the hidden units compute; and, as an appendix, the same runs in an autograd framework, which checks that the rule is gradient descent on L = ½ Σ (y − o)² (E).";

/// How every run is made, so that a reader can rebuild any of them from the
/// report alone: each model's recipe (`super::model::recipe`, the formulas of
/// `perceptron::Network`), and which studies train which two-layer model.
fn models(plan: &super::plan::Plan) -> String {
    let plain = Architecture::two_layer(1);
    let biased = plain.with_output_bias(true);
    let (usual, other) = if plan.output_bias { (biased, plain) } else { (plain, biased) };
    let mut s = format!(
        "**How the runs are made.** Inputs `X` (n × 3, the third column the constant bias input x3), targets `y`, σ(z) = 1/(1 + e^(−z)), learning rate r; a seed seeds NumPy's generator (`np.random.seed`), which draws every weight uniform in [−1, 1), row by row, as `2·random − 1` (the notebook's `2 * np.random.random((3, 1)) - 1`).\n- {}\n- {}\n- {} Studies D and F train every two-layer size both ways, from the same seeds, to compare; the other studies' two-layer models are {}{}.\n",
        recipe(Architecture::OneLayer),
        recipe(usual),
        recipe(other),
        if plan.output_bias { "those with the bias" } else { "those without it" },
        if plan.output_bias { " (`--output-bias`)" } else { " (`--output-bias` gives them the bias)" },
    );
    s.push_str(RULE_INPUTS);
    s
}

/// The rule inputs, as every study counts them.
const RULE_INPUTS: &str = "- Rule inputs: the 8 binary inputs (x1, x2, x3), scored against the notebook's rule, output = x1. They are counted apart: the 4 with x3 = 1 are of the training rows' kind; the 4 with x3 = 0 switch the bias input off, so one layer outputs σ(w1·x1 + w2·x2) there, exactly σ(0) = 0.5 at `[0, 0, 0]` (undecided, counted wrong) whatever its weights.\n";

/// One column of a Markdown table: its header, and its cell of a row.
pub type Column<R> = (&'static str, fn(&R) -> String);

/// A Markdown table of `rows`: the header row, the alignment row (the first
/// `left` columns left-aligned, the others right-aligned), then one line per row.
pub fn table<R>(s: &mut String, columns: &[Column<R>], left: usize, rows: &[R]) {
    let headers: Vec<&str> = columns.iter().map(|(header, _)| *header).collect();
    let aligns: String = (0..columns.len()).map(|k| if k < left { "---|" } else { "---:|" }).collect();
    let _ = writeln!(s, "| {} |\n|{aligns}", headers.join(" | "));
    for row in rows {
        let cells: Vec<String> = columns.iter().map(|(_, cell)| cell(row)).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_aligns_its_first_columns_left_and_the_rest_right() {
        let columns: [Column<(&str, f64)>; 2] = [("name", |r| r.0.to_owned()), ("value", |r| format!("{:.2}", r.1))];
        let mut s = String::new();
        table(&mut s, &columns, 1, &[("a", 0.5), ("b", 2.0)]);
        assert_eq!(s, "| name | value |\n|---|---:|\n| a | 0.50 |\n| b | 2.00 |\n");
    }
}
