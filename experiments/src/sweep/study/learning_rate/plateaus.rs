//! Where study G's plateau runs sit: their final outputs rounded to 0, ½ or 1
//! (`pattern`), which rows are at ½ or saturated on the wrong side, whether the
//! loss rose first, the loss, gradient and hidden outputs there, from when the
//! loss was flat (every step), and in which cells and seeds.

use super::compute::{Cell, Findings, Outcome, Run};
use super::{FLAT, NEAR, RATES};
use crate::sweep::numbers::shortest;
use crate::sweep::stats::min_max;

/// `x` as `1.2e-5` (or `0`).
pub(super) fn sci(x: f64) -> String {
    if x == 0.0 { "0".to_owned() } else { format!("{x:.1e}") }
}

/// Seeds as `1, 4, 6`.
pub(super) fn seeds(runs: &[&Run]) -> String {
    runs.iter().map(|r| r.seed.to_string()).collect::<Vec<_>>().join(", ")
}

/// Final outputs as `(0, ½, ½, 0)`: 0, ½ or 1 when within [`NEAR`], else two decimals.
pub fn pattern(outputs: [f64; 4]) -> String {
    let one = |o: f64| {
        if o.abs() < NEAR {
            "0".to_owned()
        } else if (o - 0.5).abs() < NEAR {
            "½".to_owned()
        } else if (1.0 - o).abs() < NEAR {
            "1".to_owned()
        } else {
            format!("{o:.2}")
        }
    };
    format!("({})", outputs.map(one).join(", "))
}

/// The rows `(0,0), (1,1), (1,0), (0,1)` (the notebook's order, targets 0, 1, 1, 0)
/// whose outputs sit at ½ and those saturated on the wrong side (within [`NEAR`]),
/// as `rows (1,1), (1,0) at ½; rows (0,1) saturated wrong`, or `None` if none.
pub fn where_rows(outputs: [f64; 4]) -> Option<String> {
    const ROWS: [(&str, f64); 4] = [("(0,0)", 0.0), ("(1,1)", 1.0), ("(1,0)", 1.0), ("(0,1)", 0.0)];
    let pick = |keep: &dyn Fn(f64, f64) -> bool| -> Vec<&str> {
        ROWS.iter().zip(outputs).filter(|((_, y), o)| keep(*y, *o)).map(|((name, _), _)| *name).collect()
    };
    let half = pick(&|_, o| (o - 0.5).abs() < NEAR);
    let wrong = pick(&|y, o| (y - o).abs() > 1.0 - NEAR);
    let mut parts = Vec::new();
    if !half.is_empty() {
        parts.push(format!("rows {} at ½", half.join(", ")));
    }
    if !wrong.is_empty() {
        parts.push(format!("rows {} saturated wrong", wrong.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// One line per place where plateau runs sit (their final outputs' [`pattern`]),
/// in order of first appearance: how many, whether their loss rose first, the
/// loss range and the largest gradient norm, the largest hidden output on the
/// rows at ½ (two layers), the run flat last (every step) and the cells and seeds.
pub fn plateau_claims(f: &Findings) -> Vec<String> {
    let mut groups: Vec<(String, Vec<(&Cell, &Run)>)> = Vec::new();
    for c in &f.cells {
        for r in c.per_seed.iter().filter(|r| r.outcome == Outcome::Plateau) {
            let key = pattern(r.outputs());
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.1.push((c, r)),
                None => groups.push((key, vec![(c, r)])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, runs)| {
            let (l_lo, l_hi) = min_max(&runs.iter().map(|p| p.1.final_loss).collect::<Vec<_>>());
            let (_, g_hi) = min_max(&runs.iter().map(|p| p.1.gradient_norm).collect::<Vec<_>>());
            let last = runs.iter().copied().fold(runs[0], |a, b| if b.1.flat_from > a.1.flat_from { b } else { a });
            let rows = where_rows(runs[0].1.outputs()).map_or_else(String::new, |w| format!(" ({w})"));
            let calm: Vec<(&Cell, &Run)> = runs.iter().copied().filter(|p| p.1.rose_at.is_none()).collect();
            let rose = match calm.len() {
                0 if runs.len() == 1 => "its L rose first".to_owned(),
                0 => "L rose first in every one".to_owned(),
                k => format!("L rose first in {}, never in {}", runs.len() - k, places(&calm)),
            };
            let hidden: Vec<f64> = runs.iter().filter_map(|p| p.1.largest_hidden_at_half).collect();
            let hidden = if !hidden.is_empty() && hidden.len() == runs.len() {
                format!("; every hidden unit at most {} on the rows at ½", sci(min_max(&hidden).1))
            } else {
                String::new()
            };
            format!(
                "o ≈ {key}{rows}, {} run{}, {rose}: L = {l_lo:.6}–{l_hi:.6}, ‖∂L/∂w‖ ≤ {}{hidden}; flat (within {} % of the final L at every step) from iteration {} at the latest ({} rate {} seed {}, {} % of its N): {}.",
                runs.len(),
                if runs.len() == 1 { "" } else { "s" },
                sci(g_hi),
                shortest(FLAT * 100.0),
                last.1.flat_from,
                last.0.model.label(),
                shortest(last.0.rate),
                last.1.seed,
                (100.0 * last.1.flat_from as f64 / last.0.iterations.max(1) as f64).round(),
                places(&runs)
            )
        })
        .collect()
}

/// Where `runs` (in cell order) are: per model, its cells, consecutive rates with
/// the same seeds merged (`two-layer H=2 rates 0.1–20 seed 2, rate 50 seed 2, 4`).
pub(super) fn places(runs: &[(&Cell, &Run)]) -> String {
    // (model, first rate, last rate, seeds), one per cell first.
    let mut cells: Vec<(String, f64, f64, String)> = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let c = runs[k].0;
        let same: Vec<&Run> = runs[k..].iter().take_while(|p| std::ptr::eq(p.0, c)).map(|p| p.1).collect();
        k += same.len();
        let (model, seeds) = (c.model.label(), seeds(&same));
        // Merge with the previous cell if it is the model's previous rate with the same seeds.
        let previous = RATES.iter().position(|&r| r == c.rate).and_then(|i| i.checked_sub(1)).map(|i| RATES[i]);
        match cells.last_mut() {
            Some(last) if last.0 == model && last.3 == seeds && Some(last.2) == previous => last.2 = c.rate,
            _ => cells.push((model, c.rate, c.rate, seeds)),
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (model, a, b, seeds) in cells {
        let rates =
            if a == b { format!("rate {}", shortest(a)) } else { format!("rates {}–{}", shortest(a), shortest(b)) };
        if model == current {
            out.last_mut().expect("a model's first cell was pushed").push_str(&format!(", {rates} seed {seeds}"));
        } else {
            out.push(format!("{model} {rates} seed {seeds}"));
            current = model;
        }
    }
    out.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_round_only_what_is_near() {
        assert_eq!(pattern([0.0055, 0.4999, 0.4999, 0.0054]), "(0, ½, ½, 0)");
        assert_eq!(pattern([0.5003, 0.9935, 0.9973, 0.5]), "(½, 1, 1, ½)");
        assert_eq!(pattern([0.006, 0.9890, 0.98, 0.02]), "(0, 0.99, 0.98, 0.02)");
        assert_eq!(where_rows([0.0055, 0.4999, 0.4999, 0.0054]).as_deref(), Some("rows (1,1), (1,0) at ½"));
        assert_eq!(where_rows([0.0, 0.0, 0.0, 0.0]).as_deref(), Some("rows (1,1), (1,0) saturated wrong"));
        assert_eq!(where_rows([0.5, 1.0, 1.0, 0.995]).as_deref(), Some("rows (0,0) at ½; rows (0,1) saturated wrong"));
        assert_eq!(where_rows([0.0, 1.0, 1.0, 0.0]), None);
    }
}
