//! The model's structure in the report's words, made from its [`Architecture`]:
//! the output unit's input (`h·W2`, or `h·W2 + b2` with the output bias), the
//! clause saying whether the output unit has a bias, and each model's recipe
//! for the report's head. No sentence of the report writes these itself, so a
//! sweep of biased models (`--output-bias`, or the biased half of studies D
//! and F) never says "no bias".

use perceptron::Architecture;

/// The output unit's input built on `product` (`h·W2`, `v·h`, …): `product`
/// itself, or `product + b2` when the output unit has a bias.
pub fn output_input(architecture: Architecture, product: &str) -> String {
    if architecture.output_bias() { format!("{product} + b2") } else { product.to_owned() }
}

/// `o = σ(h·W2)` or `o = σ(h·W2 + b2)` (one layer: `o = σ(X·w)`).
pub fn output_formula(architecture: Architecture) -> String {
    match architecture {
        Architecture::OneLayer => "o = σ(X·w)".to_owned(),
        Architecture::TwoLayer { .. } => format!("o = σ({})", output_input(architecture, "h·W2")),
    }
}

/// Whether the output unit has a bias, as a clause: `no bias on the output
/// unit` or `a bias b2 on the output unit`. (One layer's bias is its constant
/// third input, whose weight is w3.)
pub fn bias_clause(architecture: Architecture) -> &'static str {
    match architecture {
        Architecture::OneLayer => "the bias input x3 = 1 weighted by w3",
        Architecture::TwoLayer { output_bias: false, .. } => "no bias on the output unit",
        Architecture::TwoLayer { output_bias: true, .. } => "a bias b2 on the output unit",
    }
}

/// The model's name in the report's prose: `one layer`, `two-layer H = 2` or
/// `two-layer H = 2 with bias` (tables and CSVs use `Architecture::label`).
pub fn name(architecture: Architecture) -> String {
    match architecture {
        Architecture::OneLayer => "one layer".to_owned(),
        Architecture::TwoLayer { hidden, output_bias: false } => format!("two-layer H = {hidden}"),
        Architecture::TwoLayer { hidden, output_bias: true } => format!("two-layer H = {hidden} with bias"),
    }
}

/// How a run of `architecture` is made, as one line of the report's head
/// (the formulas of `perceptron::Network`; H stands for the hidden size).
pub fn recipe(architecture: Architecture) -> String {
    match architecture {
        Architecture::OneLayer => "One layer: `w` (3 × 1) is drawn; each iteration `o = σ(X·w)`, `δ = (y − o)·o·(1 − o)`, `w ← w + r·Xᵀδ` (the notebook's rule, r = 1).".to_owned(),
        Architecture::TwoLayer { output_bias, .. } => {
            let (name, draws, bias_step) = if output_bias {
                (
                    "Two layers with H hidden units and an output bias",
                    "`W1` (3 × H), then `W2` (H × 1), then `b2` (1 × 1) are drawn from the same stream (so `W1` and `W2` are those of the same seed without the bias)",
                    ", `b2 ← b2 + r·Σδ2`",
                )
            } else {
                ("Two layers with H hidden units", "`W1` (3 × H) is drawn, then `W2` (H × 1) from the same stream", "")
            };
            format!(
                "{name}: {draws}; `h = σ(X·W1)`, `{}` ({}); each iteration `δ2 = (y − o)·o·(1 − o)` and `δ1 = (δ2·W2ᵀ)·h·(1 − h)` with the old `W2`, then `W2 ← W2 + r·hᵀδ2`{bias_step} and `W1 ← W1 + r·Xᵀδ1`.",
                output_formula(architecture),
                bias_clause(architecture),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bias_is_said_only_where_the_model_has_it() {
        let plain = Architecture::two_layer(2);
        let biased = plain.with_output_bias(true);
        assert_eq!(output_formula(plain), "o = σ(h·W2)");
        assert_eq!(output_formula(biased), "o = σ(h·W2 + b2)");
        assert_eq!(output_input(biased, "v·h"), "v·h + b2");
        assert_eq!(bias_clause(plain), "no bias on the output unit");
        assert!(!recipe(biased).contains("no bias"), "{}", recipe(biased));
        assert!(recipe(biased).contains("`b2 ← b2 + r·Σδ2`"), "{}", recipe(biased));
        assert!(recipe(plain).contains("`o = σ(h·W2)` (no bias on the output unit)"), "{}", recipe(plain));
    }
}
