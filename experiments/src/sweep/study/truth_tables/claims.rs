//! Study F's conclusions, computed from its runs: what one layer cannot learn
//! (and whether that is exactly the non-linearly-separable functions), why
//! H = 1 learns only the constants, and which two-layer seeds get stuck.

use std::fmt::Write;

use perceptron::{Architecture, BooleanFunction};

use super::HIDDEN;
use super::compute::Run;
use crate::sweep::numbers::fixed;

/// Names as a readable list: `a, b and c`.
fn list(names: &[&str]) -> String {
    match names {
        [] => "none".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn functions_where(runs: &[Run], m: Architecture, pred: impl Fn(&[&Run]) -> bool) -> Vec<&'static str> {
    BooleanFunction::ALL
        .into_iter()
        .filter(|&f| {
            let g: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && r.function == f).collect();
            !g.is_empty() && pred(&g)
        })
        .map(BooleanFunction::name)
        .collect()
}

/// The one-layer conclusion: which functions no seed learned, and whether that
/// set is exactly the non-linearly-separable ones.
pub fn one_layer_claim(runs: &[Run]) -> String {
    let m = Architecture::OneLayer;
    let never = functions_where(runs, m, |g| g.iter().all(|r| !r.learned));
    let always = functions_where(runs, m, |g| g.iter().all(|r| r.learned));
    let inseparable: Vec<&str> =
        BooleanFunction::ALL.into_iter().filter(|f| !f.is_linearly_separable()).map(BooleanFunction::name).collect();
    let separable = BooleanFunction::ALL.len() - inseparable.len();
    let mut s = format!(
        "One layer never learned {} on any seed, and learned {} of the 16 functions on every seed. ",
        list(&never),
        always.len()
    );
    if never == inseparable && always.len() == separable {
        let _ = write!(
            s,
            "That is exactly the split by linear separability: no line a·x1 + b·x2 + c = 0 puts the 1s of {} on one \
             side and the 0s on the other, and the one-layer output σ(w1·x1 + w2·x2 + w3) is on the 1-side of 0.5 \
             exactly where w1·x1 + w2·x2 + w3 > 0, a half-plane; every other function is separable and was learned.",
            list(&inseparable)
        );
    } else {
        let _ = write!(
            s,
            "This does NOT match linear separability (not separable: {}); see `truth_tables_summary.csv`.",
            list(&inseparable)
        );
    }
    s
}

/// The H = 1 conclusion: the learned functions, and how many runs had every
/// output on one side of 0.5 (with the range of outputs).
pub fn h1_claim(runs: &[Run]) -> Option<String> {
    let m = Architecture::two_layer(1);
    let group: Vec<&Run> = runs.iter().filter(|r| r.architecture == m).collect();
    if group.is_empty() {
        return None;
    }
    let learned: Vec<String> = BooleanFunction::ALL
        .into_iter()
        .filter_map(|f| {
            let g: Vec<&&Run> = group.iter().filter(|r| r.function == f).collect();
            let k = g.iter().filter(|r| r.learned).count();
            (k > 0).then(|| format!("{} on {k} of {} seeds", f.name(), g.len()))
        })
        .collect();
    let same = group.iter().filter(|r| r.same_side()).count();
    let mixed: Vec<&&Run> = group.iter().filter(|r| !r.function_is_constant() && r.learned).collect();
    let mut s = format!(
        "Two layers with H = 1 learned {}. In {same} of its {} runs all four outputs lie on the same \
         side of 0.5. The reason is the notebook's construction: the output unit has no bias input, so \
         o = σ(v·h) with one hidden output h = σ(x·W) ∈ (0, 1); v·h has the sign of v on every row, so every \
         row's output is on the same side of 0.5 and only the constant functions (false, true) can be learned.",
        list(&learned.iter().map(String::as_str).collect::<Vec<_>>()),
        group.len()
    );
    let rule: Vec<f64> = group.iter().filter(|r| r.function == BooleanFunction::X1).flat_map(|r| r.outputs).collect();
    if !rule.is_empty() {
        let (lo, hi) = rule.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &o| (l.min(o), h.max(o)));
        let _ = write!(
            s,
            " On the notebook's rule x1 (targets 0, 1, 1, 0), its outputs on the four rows over all seeds lie in \
             [{}, {}].",
            fixed(lo, 4),
            fixed(hi, 4)
        );
    }
    if !mixed.is_empty() {
        let _ = write!(s, " Yet {} runs learned a non-constant function: check the study.", mixed.len());
    }
    Some(s)
}

/// Failed runs grouped by function: `and seeds 1, 2; xor seeds 5, 6`, with the
/// range of their largest errors.
fn grouped(failed: &[&Run]) -> String {
    let mut parts = Vec::new();
    for f in BooleanFunction::ALL {
        let seeds: Vec<String> = failed.iter().filter(|r| r.function == f).map(|r| r.seed.to_string()).collect();
        if !seeds.is_empty() {
            let word = if seeds.len() == 1 { "seed" } else { "seeds" };
            parts.push(format!("{f} {word} {}", seeds.join(", ")));
        }
    }
    let (lo, hi) =
        failed.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), r| (l.min(r.max_error), h.max(r.max_error)));
    let range =
        if fixed(lo, 3) == fixed(hi, 3) { fixed(lo, 3) } else { format!("{}–{}", fixed(lo, 3), fixed(hi, 3)) };
    format!("{} (largest error {range})", parts.join("; "))
}

/// What the two-layer models with H ≥ 2 learned and which seeds got stuck.
pub fn two_layer_claims(runs: &[Run]) -> Vec<String> {
    let mut out = Vec::new();
    for hidden in HIDDEN.into_iter().filter(|&h| h >= 2) {
        let m = Architecture::two_layer(hidden);
        if !runs.iter().any(|r| r.architecture == m) {
            continue;
        }
        let all = functions_where(runs, m, |g| g.iter().all(|r| r.learned));
        let never = functions_where(runs, m, |g| g.iter().all(|r| !r.learned));
        let failed: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && !r.learned).collect();
        let total = runs.iter().filter(|r| r.architecture == m).count();
        let mut s = format!("H = {hidden}: learned {} of the 16 functions on every seed", all.len());
        if failed.is_empty() {
            s.push('.');
        } else {
            if !never.is_empty() {
                let _ = write!(s, "; never learned on any seed: {}", list(&never));
            }
            let _ = write!(s, "; {} of {total} runs did not learn", failed.len());
            let stuck: Vec<&Run> = failed.iter().copied().filter(|r| r.stuck()).collect();
            let other: Vec<&Run> = failed.iter().copied().filter(|r| !r.stuck()).collect();
            if !stuck.is_empty() {
                let _ = write!(s, ". Stuck near 0.5: {}", grouped(&stuck));
            }
            if !other.is_empty() {
                let _ = write!(s, ". Other failures: {}", grouped(&other));
            }
            s.push('.');
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::study::truth_tables::compute::tests::{run, separable_split};

    #[test]
    fn one_layer_claim_names_the_inseparable_functions() {
        let c = one_layer_claim(&separable_split());
        assert!(c.starts_with("One layer never learned xor and xnor on any seed, and learned 14 of"), "{c}");
        assert!(c.contains("exactly the split by linear separability"), "{c}");
    }

    #[test]
    fn one_layer_claim_reports_a_mismatch() {
        let mut runs = separable_split();
        // `and` fails on its one seed: the run no longer matches separability.
        runs[1] = run(BooleanFunction::And, Architecture::OneLayer, 0, [0.5; 4]);
        let c = one_layer_claim(&runs);
        assert!(c.contains("never learned and, xor and xnor"), "{c}");
        assert!(c.contains("does NOT match"), "{c}");
    }

    #[test]
    fn h1_claim_counts_same_side_runs() {
        let h1 = Architecture::two_layer(1);
        let runs = vec![
            run(BooleanFunction::True, h1, 0, [0.9; 4]),
            run(BooleanFunction::X1, h1, 0, [0.51, 0.6, 0.6, 0.51]),
            run(BooleanFunction::Xor, h1, 1, [0.4, 0.6, 0.4, 0.4]),
        ];
        let c = h1_claim(&runs).expect("H = 1 runs");
        assert!(c.starts_with("Two layers with H = 1 learned true on 1 of 1 seeds. In 2 of its 3 runs"), "{c}");
        assert!(c.contains("over all seeds lie in [0.5100, 0.6000]."), "{c}");
        assert!(h1_claim(&separable_split()).is_none());
    }

    #[test]
    fn two_layer_claims_list_stuck_seeds() {
        let h2 = Architecture::two_layer(2);
        let runs = vec![
            run(BooleanFunction::Xor, h2, 0, [0.1, 0.1, 0.9, 0.9]),
            run(BooleanFunction::Xor, h2, 3, [0.5, 0.5, 0.9, 0.9]),
            run(BooleanFunction::Xor, h2, 4, [0.95, 0.05, 0.9, 0.9]),
        ];
        let c = two_layer_claims(&runs);
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0],
            "H = 2: learned 0 of the 16 functions on every seed; 2 of 3 runs did not learn. Stuck near 0.5: xor seed 3 (largest error 0.500). Other failures: xor seed 4 (largest \
             error 0.950)."
        );
    }
}
