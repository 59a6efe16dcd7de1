//! Study F: what the output bias `b2` changes, from the runs. Each two-layer
//! size is trained on every function and seed without and with it; the seed
//! draws the same `W1` and `W2` both ways (`b2` after them), so the runs pair up
//! by (function, seed): a failure without the bias is *removed* when its pair
//! with the bias learns, *kept* when both fail, and *new* when only the pair
//! with the bias fails.

use perceptron::{Architecture, BooleanFunction};

use super::HIDDEN;
use super::claims::{functions_where, grouped, list};
use super::compute::Run;
use crate::sweep::model::{name, output_formula, output_input};

/// The study's statements on the bias: H = 1 with it, then each size's pairs.
pub fn claims(runs: &[Run]) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(h1(runs));
    let mut clean = Vec::new();
    for hidden in HIDDEN.into_iter().filter(|&h| h >= 2) {
        match pairs(runs, hidden) {
            Some(claim) if claim.is_empty() => clean.push(hidden.to_string()),
            Some(claim) => out.push(claim),
            None => {}
        }
    }
    if !clean.is_empty() {
        out.push(format!(
            "H = {}: every run learned, with and without the bias.",
            list(&clean.iter().map(String::as_str).collect::<Vec<_>>())
        ));
    }
    out
}

/// H = 1 with the bias: what it learned, against one layer's split by linear separability.
fn h1(runs: &[Run]) -> Option<String> {
    let m = Architecture::two_layer(1).with_output_bias(true);
    if !runs.iter().any(|r| r.architecture == m) {
        return None;
    }
    let never = functions_where(runs, m, |g| g.iter().all(|r| !r.learned));
    let always = functions_where(runs, m, |g| g.iter().all(|r| r.learned));
    let some: Vec<String> = BooleanFunction::ALL
        .into_iter()
        .filter_map(|f| {
            let g: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && r.function == f).collect();
            let k = g.iter().filter(|r| r.learned).count();
            (k > 0 && k < g.len()).then(|| format!("{f} on {k} of {}", g.len()))
        })
        .collect();
    let inseparable: Vec<&str> =
        BooleanFunction::ALL.into_iter().filter(|f| !f.is_linearly_separable()).map(BooleanFunction::name).collect();
    let separable = BooleanFunction::ALL.len() - inseparable.len();
    let mut s = format!(
        "{} (`{}`) learned {} of the 16 functions on every seed and never learned {} on any seed",
        capitalised(&name(m)),
        output_formula(m),
        always.len(),
        list(&never)
    );
    if some.is_empty() {
        s.push('.');
    } else {
        s.push_str(&format!("; on some seeds: {}.", some.join(", ")));
    }
    // How its failed runs end, against one layer's on the same functions.
    let ends = |arch: Architecture| -> Option<(f64, f64)> {
        let failed = runs.iter().filter(|r| r.architecture == arch && !r.learned && !never.is_empty());
        failed.fold(None, |range, r| {
            let (lo, hi) = range.unwrap_or((r.max_error, r.max_error));
            Some((lo.min(r.max_error), hi.max(r.max_error)))
        })
    };
    let ended = match (ends(m), ends(Architecture::OneLayer)) {
        (Some(biased), Some(one)) => format!(
            " Its runs that did not learn end with a largest error of {}, one layer's of {}.",
            span(biased),
            span(one)
        ),
        _ => String::new(),
    };
    if never == inseparable && always.len() == separable {
        s.push_str(&format!(
            " That is one layer's split exactly, where without the bias it learned only the constants: `{}` changes sign where h = σ(x·W) crosses −b2/v, and h grows with x·W, so the 1-side of 0.5 is one side of a line in (x1, x2), a half-plane as for one layer. The bias gives H = 1 one layer's power, not more.{ended}",
            output_input(m, "v·h")
        ));
    } else {
        s.push_str(&format!(
            " This is NOT one layer's split (not separable: {}); see `truth_tables_summary.csv`.",
            list(&inseparable)
        ));
    }
    Some(s)
}

/// One size's pairs: which failures without the bias it removes, keeps, and
/// adds; `Some("")` when no run failed either way, `None` when the size was not run.
fn pairs(runs: &[Run], hidden: usize) -> Option<String> {
    let (plain, biased) = (Architecture::two_layer(hidden), Architecture::two_layer(hidden).with_output_bias(true));
    let of = |m: Architecture| -> Vec<&Run> { runs.iter().filter(|r| r.architecture == m).collect() };
    let (without, with) = (of(plain), of(biased));
    if without.is_empty() || with.is_empty() {
        return None;
    }
    let twin = |r: &Run| with.iter().copied().find(|b| b.function == r.function && b.seed == r.seed);
    let failed: Vec<&Run> = without.iter().copied().filter(|r| !r.learned).collect();
    let removed: Vec<&Run> = failed.iter().copied().filter(|r| twin(r).is_some_and(|b| b.learned)).collect();
    let kept: Vec<&Run> = failed.iter().copied().filter(|r| twin(r).is_some_and(|b| !b.learned)).collect();
    let new: Vec<&Run> =
        without.iter().copied().filter(|r| r.learned).filter_map(|r| twin(r).filter(|b| !b.learned)).collect();
    let failed_with = with.iter().filter(|r| !r.learned).count();
    if failed.is_empty() && failed_with == 0 {
        return Some(String::new());
    }
    let stuck = failed.iter().filter(|r| r.stuck()).count();
    let stuck_removed = removed.iter().filter(|r| r.stuck()).count();
    let other_removed = removed.len() - stuck_removed;
    let mut s = format!(
        "{} against {}: {failed_with} of {} runs did not learn, against {} without the bias. Of those {}, the bias removed {} ({stuck_removed} of the {stuck} stuck near 0.5, {other_removed} of the {} others)",
        capitalised(&name(biased)),
        name(plain),
        with.len(),
        failed.len(),
        failed.len(),
        removed.len(),
        failed.len() - stuck,
    );
    let with_kept: Vec<&Run> = kept.iter().filter_map(|r| twin(r)).collect();
    if kept.is_empty() {
        s.push_str(" and kept none");
    } else {
        s.push_str(&format!("; it kept {}: {}", kept.len(), grouped(&with_kept)));
        if with_kept.iter().all(|r| r.stuck()) {
            s.push_str(
                ", with the bias stuck near 0.5 after these iterations (a plateau a longer run may still leave)",
            );
        }
    }
    if new.is_empty() {
        s.push_str("; no run failed only with it.");
    } else {
        s.push_str(&format!("; {} failed only with it: {}.", new.len(), grouped(&new)));
    }
    Some(s)
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `0.667` or `0.500–0.501`: a range of largest errors, three decimals.
fn span((lo, hi): (f64, f64)) -> String {
    let (lo, hi) = (format!("{lo:.3}"), format!("{hi:.3}"));
    if lo == hi { lo } else { format!("{lo}–{hi}") }
}
