//! `experiments check` end to end: its JSON, its exit codes (0 all within the
//! tolerance, 1 some case beyond it, 2 a usage error).

mod common;

use common::{refused, run};

#[test]
fn short_check_agrees_and_reports_json() {
    // 2000 steps keep the test short (~1 s); `--tolerance 0` asks for bit-for-bit
    // agreement, so the exit code must follow whether any |Δw| is nonzero.
    let out = run(&["check", "--iterations", "2000", "--tolerance", "0", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object on stdout");
    assert_eq!(json["cases"], 19);
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 19);
    // The last five are the two-layer models with the output bias (H = 1, 2, 2, 4, 8).
    let biased: Vec<u64> =
        results.iter().filter(|r| r["output_bias"] == true).map(|r| r["hidden"].as_u64().unwrap()).collect();
    assert_eq!(biased, [1, 2, 2, 4, 8]);
    let max = json["max_abs_diff"].as_f64().expect("max_abs_diff is a number");
    // The default tolerance of `check`, 1e-9, holds at any rate.
    assert!(max <= 1e-9, "max |Δw| = {max:e}");
    let worst_case =
        json["results"].as_array().unwrap().iter().map(|r| r["max_abs_diff"].as_f64().unwrap()).fold(0.0, f64::max);
    assert_eq!(worst_case, max);
    let expected = if max == 0.0 { 0 } else { 1 };
    assert_eq!(
        out.status.code(),
        Some(expected),
        "max |Δw| = {max:e}, stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json["passed"], max == 0.0);
}

#[test]
fn bad_tolerance_is_a_usage_error() {
    for bad in ["-1", "nan", "inf", "x"] {
        refused(&["check", "--tolerance", bad], 2, &["--tolerance", "finite number ≥ 0"]);
    }
}
