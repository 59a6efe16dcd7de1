//! A property test over the whole `train` surface: any flag combination the
//! parser accepts, including learning rates from 1e-300 to f64::MAX and
//! `--predict` values up to ±f64::MAX, either prints only finite numbers (exit 0)
//! or exits non-zero with exactly one `error: …` line and nothing on stdout.
//!
//! The binary is run for each case (`CARGO_BIN_EXE_experiments`); iterations stay
//! ≤ 300 and hidden sizes ≤ 64 so 64 cases take a few seconds.

mod common;

use proptest::prelude::*;

/// Learning rates: ordinary, tiny, huge, and the extremes.
fn learning_rate() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.01..10.0_f64,
        (1e-300..1e-200_f64),
        (1e300..f64::MAX),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
    ]
}

/// One `--predict` component: small, huge, tiny, zero, the extremes.
fn component() -> impl Strategy<Value = f64> {
    prop_oneof![
        -10.0..10.0_f64,
        -f64::MAX..f64::MAX,
        (1e300..f64::MAX).prop_map(|v| -v),
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(0.0),
        Just(-0.0),
        Just(5e-324),
    ]
}

/// Every number-like token of `text` (digits with signs, points and exponents).
fn numbers(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit() || "+-.".contains(c)))
        .collect()
}

/// Every number in a JSON value is finite (serde_json writes NaN/inf as `null`).
fn assert_finite_json(v: &serde_json::Value, path: &str) {
    match v {
        serde_json::Value::Null => {
            assert!(path.ends_with("hidden") || path.ends_with("diverged_at"), "null at {path}")
        }
        serde_json::Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{n} at {path}"),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, x)| assert_finite_json(x, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().for_each(|(k, x)| assert_finite_json(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn train_prints_finite_numbers_or_one_error_line(
        seed in any::<u32>(),
        iterations in prop_oneof![0..300_u64, Just(1_u64)],
        hidden in proptest::option::of(prop_oneof![1..8_usize, Just(64_usize)]),
        removed in proptest::sample::subsequence(vec![0_usize, 1, 2, 3], 0..=3),
        learning_rate in learning_rate(),
        predict in [component(), component(), component()],
        json in any::<bool>(),
    ) {
        let mut args = vec![
            "train".to_owned(),
            format!("--seed={seed}"),
            format!("--iterations={iterations}"),
            format!("--learning-rate={learning_rate:e}"),
            format!("--predict={:e},{:e},{:e}", predict[0], predict[1], predict[2]),
        ];
        if let Some(h) = hidden {
            args.push(format!("--hidden={h}"));
        }
        if !removed.is_empty() {
            let rows: Vec<String> = removed.iter().map(ToString::to_string).collect();
            args.push(format!("--remove-rows={}", rows.join(",")));
        }
        if json {
            args.push("--json".to_owned());
        }
        let out = common::bin().args(&args).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if out.status.success() {
            // At most the divergence warning on stderr.
            prop_assert!(stderr.lines().all(|l| l.starts_with("warning: training diverged")), "{args:?}: {stderr}");
            if json {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_finite_json(&v, "");
                prop_assert!(v["prediction"].as_f64().is_some_and(|p| (0.0..=1.0).contains(&p)));
            } else {
                for token in numbers(&stdout) {
                    let value: Result<f64, _> = token.trim_end_matches('.').parse();
                    // Tokens like `3→1` or `1,` are split off above; anything numeric must be finite.
                    if let Ok(value) = value {
                        prop_assert!(value.is_finite(), "{args:?}: {token}");
                    }
                }
                let lower = stdout.to_lowercase();
                prop_assert!(!lower.contains("nan") && !lower.contains("inf"), "{args:?}:\n{stdout}");
            }
        } else {
            prop_assert!(out.status.code().is_some_and(|c| c == 1 || c == 2), "{args:?}: {:?}", out.status);
            prop_assert_eq!(stderr.lines().count(), 1, "{:?}: {}", args, stderr);
            prop_assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
            prop_assert!(stdout.is_empty(), "{args:?}: {stdout}");
        }
    }
}
