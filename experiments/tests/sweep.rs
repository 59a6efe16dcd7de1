//! `experiments sweep` at the edges of its flags: learning rates that overflow
//! the weights (no hang, no panic, no `inf` or 300-digit numbers in the report),
//! an empty cross-check sample, and bad input refused with one line and exit 2.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, scratch};

/// Runs `sweep` with `args` into a fresh folder; fails the test if it takes over
/// a minute (the seed plot's axis once looped forever on an infinite range).
fn sweep(name: &str, args: &[&str]) -> (Output, PathBuf) {
    let out = scratch(name);
    let mut child = bin()
        .arg("sweep")
        .args(args)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sweep {args:?} still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (child.wait_with_output().expect("output"), out)
}

#[track_caller]
fn succeeds(name: &str, args: &[&str]) -> PathBuf {
    let (output, out) = sweep(name, args);
    assert!(
        output.status.success(),
        "sweep {args:?}: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

#[test]
fn overflowing_learning_rates_finish() {
    // Issue 10, item 1: the seed plot's range became ±inf and plotters' key points looped.
    // Issue 23, item 3: landscape.csv held `inf` (the w3 axis of its grid
    // overflowed): no CSV cell, report or plot may hold inf or NaN.
    for (name, lr, seeds) in [("lr1e308", "1e308", "10"), ("lr1e307", "1e307", "10"), ("lr5e307", "5e307", "40")] {
        let out = succeeds(name, &["--learning-rate", lr, "--seeds", seeds, "--iterations", "100"]);
        for entry in fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let bad = |token: &str| {
                let t = token.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
                t == "inf" || t == "nan" || t == "infinity"
            };
            let tokens: Vec<&str> = match ext {
                "csv" => text.lines().flat_map(|l| l.split(',')).collect(),
                "md" | "svg" => text.split(|c: char| c.is_whitespace() || "<>\"=,()".contains(c)).collect(),
                _ => continue,
            };
            assert!(!tokens.iter().any(|t| bad(t)), "{path:?} holds inf or NaN at --learning-rate {lr}");
        }
        let _ = fs::remove_dir_all(out);
    }
}

#[test]
fn overflowing_two_layer_weights_draw_a_network() {
    // Issue 10, item 2: exit 101, `attempt to add with overflow` drawing the network's edges.
    let out =
        succeeds("net1e308", &["--seeds", "2", "--iterations", "200", "--hidden", "2", "--learning-rate", "1e308"]);
    assert!(fs::read_to_string(out.join("network.svg")).unwrap().starts_with("<svg"));
}

#[test]
fn huge_weights_give_a_finite_compact_report() {
    // Issue 10, item 3: the sd column read `inf`, weights were printed with 300 digits.
    for lr in ["1e155", "1e250", "1e306"] {
        let out = succeeds(&format!("report{lr}"), &["--learning-rate", lr, "--seeds", "20", "--iterations", "100"]);
        let report = fs::read_to_string(out.join("README.md")).unwrap();
        assert!(!report.contains("inf"), "--learning-rate {lr}: {report}");
        let longest =
            report.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).map(str::len).max().unwrap_or(0);
        assert!(longest <= 40, "--learning-rate {lr}: a number of {longest} characters in\n{report}");
        // The weights are huge indeed (else this test would prove nothing).
        let huge = report
            .as_bytes()
            .windows(5)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'e' && w[2..].iter().all(u8::is_ascii_digit) && w[2] != b'0');
        assert!(huge, "--learning-rate {lr}: no weight of 1e100 or more in\n{report}");
    }
}

#[test]
fn an_empty_crosscheck_keeps_its_header() {
    // Issue 10, item 9: `--crosscheck-seeds 0` wrote an empty crosscheck.csv.
    let out = succeeds("nocross", &["--seeds", "2", "--iterations", "10", "--hidden", "2", "--crosscheck-seeds", "0"]);
    let csv = fs::read_to_string(out.join("crosscheck.csv")).unwrap();
    assert_eq!(
        csv, "model,removed,seeds,iterations,records,max_abs_diff_weights,max_abs_diff_outputs\n",
        "a header and no rows"
    );
}

#[test]
fn repeated_hidden_sizes_are_a_usage_error() {
    let (output, out) = sweep("dup", &["--seeds", "2", "--iterations", "10", "--hidden", "2,4,2"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr, "error: --hidden lists 2 more than once; expected distinct sizes in 1..=1024\n");
    assert!(!out.join("README.md").exists(), "nothing written");
}

/// Study G and the landscape: their files exist and their key claims hold.
#[test]
fn learning_rate_and_landscape_claims() {
    let out = g_sweep();
    let readme = fs::read_to_string(out.join("README.md")).expect("README.md");
    let section = g_section(&readme);
    // Small steps: rate × iterations to settle is constant (slope −1.00 on the
    // log–log points) at every rate at which no seed's loss rose.
    for model in ["one-layer", "two-layer H=2", "two-layer H=4", "two-layer H=8"] {
        let row = section.lines().find(|l| l.starts_with(&format!("| {model} |"))).expect(model);
        assert!(row.contains(" | -1.00 | "), "{row}");
    }
    // One layer at rate 10 settles before H = 8 at rate 1.
    assert!(section.contains("one-layer at rate 10 settles first"), "{section}");
    let summary = fs::read_to_string(out.join("learning_rate_summary.csv")).expect("summary");
    assert_eq!(summary.lines().count(), 1 + 4 * 10);
    // Issue 21: every rate gets ⌈20000 / rate⌉ iterations, and no cap is written as "never".
    assert!(!section.contains("never settle"), "{section}");
    let runs = g_runs(&out);
    let mut outcomes = std::collections::BTreeMap::new();
    for r in &runs {
        assert_eq!(r.num("iterations"), (20_000.0 / r.num("learning_rate")).ceil(), "{r:?}");
        let outcome = r.get("outcome");
        *outcomes.entry(outcome.to_owned()).or_insert(0) += 1;
        assert_eq!(outcome == "settled", !r.get("settled_at").is_empty(), "{r:?}");
        if outcome == "plateau" {
            // Flat over the whole second half, every step, with almost no gradient.
            assert!(r.num("flat_from") <= (r.num("iterations") / 2.0).floor() && r.num("gradient_norm") < 1e-3);
        }
    }
    assert!(outcomes.keys().all(|o| ["settled", "descending", "plateau", "diverged"].contains(&o.as_str())));
    assert_eq!(outcomes.values().sum::<usize>(), 320, "{outcomes:?}");
    assert!(section.contains("- *plateau*: L within 1 % of its final value at every step of the second half"));
    // The path ends at the notebook's final weights: the notebook prints
    // [[11.30926129] [-0.20509237] [-5.45001623]] after 50000 steps.
    let path = fs::read_to_string(out.join("landscape_path.csv")).expect("path");
    let last: Vec<f64> =
        path.lines().last().expect("a row").split(',').take(4).map(|v| v.parse().expect("number")).collect();
    assert_eq!(last[0], 50_000.0);
    for (got, want) in last[1..].iter().zip([11.30926129, -0.20509237, -5.45001623]) {
        assert!((got - want).abs() < 5e-9, "{got} vs {want}");
    }
    let grid = fs::read_to_string(out.join("landscape.csv")).expect("grid");
    assert_eq!(grid.lines().count(), 1 + 72 * 48);
}

/// One sweep shared by study G's tests (G trains its own 320 runs whatever
/// `--seeds`; 3 seeds make study D train H = 2 seed 2, which G's sentence on
/// dead hidden units refers to).
fn g_sweep() -> PathBuf {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| succeeds("study-g", &["--seeds", "3", "--crosscheck-seeds", "0"])).clone()
}

/// Study G's sweep: its folder, its report and `learning_rate.csv`'s rows.
fn g_report() -> (PathBuf, String, Vec<GRun>) {
    let out = g_sweep();
    let readme = fs::read_to_string(out.join("README.md")).expect("README.md");
    let runs = g_runs(&out);
    (out, readme, runs)
}

/// Study G's section of the report.
fn g_section(readme: &str) -> &str {
    let from = readme.find("## G.").expect("study G");
    let to = readme[from..].find("\n## ").map_or(readme.len(), |k| from + k);
    &readme[from..to]
}

/// One row of `learning_rate.csv`, by column name.
#[derive(Debug)]
struct GRun(std::collections::BTreeMap<String, String>);

impl GRun {
    fn get(&self, column: &str) -> &str {
        self.0.get(column).unwrap_or_else(|| panic!("no column {column}"))
    }

    fn num(&self, column: &str) -> f64 {
        self.get(column).parse().unwrap_or_else(|_| panic!("{column} = {:?} is not a number", self.get(column)))
    }

    /// `two-layer H=8 rate 50 seed 3`, as the report names a run.
    fn name(&self) -> String {
        // The CSV writes 50.0, the report 50 (Rust's shortest form of the rate).
        format!("{} rate {} seed {}", self.get("model"), self.num("learning_rate"), self.get("seed"))
    }
}

fn g_runs(out: &std::path::Path) -> Vec<GRun> {
    let text = fs::read_to_string(out.join("learning_rate.csv")).expect("learning_rate.csv");
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    text.lines()
        .skip(1)
        .map(|line| GRun(header.iter().map(|h| h.to_string()).zip(line.split(',').map(str::to_owned)).collect()))
        .collect()
}

/// The run the report names `name` (`two-layer H=4 rate 100 seed 5`).
fn g_run<'a>(runs: &'a [GRun], name: &str) -> &'a GRun {
    runs.iter().find(|r| r.name() == name).unwrap_or_else(|| panic!("no run {name}"))
}

/// The text between `before` and the next `after` in `s`.
fn between<'a>(s: &'a str, before: &str, after: &str) -> &'a str {
    let from = s.find(before).unwrap_or_else(|| panic!("{before:?} in {s}")) + before.len();
    let to = s[from..].find(after).unwrap_or_else(|| panic!("{after:?} after {before:?} in {s}"));
    &s[from..from + to]
}

/// Issue 30, finding 1: G once looked for rises of L only in the second half
/// and reported none; every step shows the overshoot. The report's counts and
/// its example jump are read back from `learning_rate.csv`; no column or
/// legend entry that can only be zero is left.
#[test]
fn g_counts_every_rise_of_the_loss() {
    let (out, readme, runs) = g_report();
    let section = g_section(&readme);
    let rose = |r: &GRun| !r.get("rose_at").is_empty();
    let first: f64 = between(section, "From rate ", " on, ").parse().expect("a rate");
    let lowest = runs.iter().filter(|r| rose(r)).map(|r| r.num("learning_rate")).fold(f64::INFINITY, f64::min);
    assert_eq!(first, lowest);
    let counted = |from: f64| {
        let at: Vec<&GRun> = runs.iter().filter(|r| r.num("learning_rate") >= from).collect();
        format!("{} of {}", at.iter().filter(|r| rose(r)).count(), at.len())
    };
    assert!(section.contains(&format!("on, {} runs raised L at some step", counted(first))), "{section}");
    assert!(section.contains(&format!("at rates 50 and 100, {}.", counted(50.0))), "{section}");
    // The example, recomputed in NumPy by the review: one layer at
    // rate 100, seed 1, goes from L = 0.62 to L ≈ 1 on its first step.
    let one = g_run(&runs, "one-layer rate 100 seed 1");
    assert_eq!((one.get("rose_at"), one.get("peak_at")), ("0", "1"));
    assert!((one.num("loss_before_rise") - 0.62).abs() < 0.005 && one.num("peak_loss") > 0.9999, "{one:?}");
    // The largest one-step jump, as named, is the largest in the CSV.
    let jump = between(section, "The largest jump in one step: ", ". ");
    let (model, rest) = jump.split_once(" at rate ").expect("a model");
    let (rate, rest) = rest.split_once(", seed ").expect("a rate");
    let seed = rest.split(',').next().expect("a seed");
    let named = g_run(&runs, &format!("{model} rate {rate} seed {seed}"));
    let one_step = |r: &GRun| {
        (rose(r) && r.num("peak_at") == r.num("rose_at") + 1.0).then(|| r.num("peak_loss") - r.num("loss_before_rise"))
    };
    let largest = runs.iter().filter_map(one_step).fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(one_step(named), Some(largest));
    assert!(
        jump.ends_with(&format!(
            "from L = {:.3} at iteration {} to {:.3} at iteration {}",
            named.num("loss_before_rise"),
            named.get("rose_at"),
            named.num("peak_loss"),
            named.get("peak_at")
        )),
        "{jump}"
    );
    let rising: Vec<&GRun> = runs.iter().filter(|r| rose(r)).collect();
    let settled = rising.iter().filter(|r| r.get("outcome") == "settled").count();
    assert!(section.contains(&format!("{settled} of the {} runs that rose went on to settle", rising.len())));
    // Nothing that can only be zero: no oscillating or diverged column, no legend entry never drawn.
    let summary = fs::read_to_string(out.join("learning_rate_summary.csv")).expect("summary");
    let header = summary.lines().next().expect("a header");
    assert!(!header.contains("oscillating") && !header.contains("diverged"), "{header}");
    assert!(!section.contains("oscillating"), "{section}");
    let svg = fs::read_to_string(out.join("learning_rate.svg")).expect("svg");
    assert!(!svg.contains("oscillating") && !svg.contains("diverged"));
}

/// The plateau lines of G's "why the others did not settle" list.
fn plateau_lines(section: &str) -> Vec<&str> {
    section.lines().filter(|l| l.starts_with("- o ≈ (")).collect()
}

/// Issue 30, findings 2 and 4: each plateau line's "flat from iteration t at
/// the latest" is the named run's own, counted at every step, with that run's
/// share of its N; and the line with the largest t has the largest over all
/// plateau runs.
#[test]
fn g_flat_from_is_every_steps_and_one_runs() {
    let (_, readme, runs) = g_report();
    let section = g_section(&readme);
    let lines = plateau_lines(section);
    assert!(!lines.is_empty(), "{section}");
    let (mut listed, mut latest) = (0, 0.0f64);
    for line in &lines {
        let head = &line[..line.find(" run").expect("a count of runs")];
        let count: usize = head.rsplit(", ").next().and_then(|n| n.parse().ok()).expect("a count");
        listed += count;
        let t: f64 = between(line, "from iteration ", " at the latest").parse().expect("an iteration");
        let inside = between(line, " at the latest (", ")");
        let (name, share) = inside.split_once(", ").expect("a run and a share");
        let run = g_run(&runs, name);
        assert_eq!(run.get("outcome"), "plateau", "{line}");
        assert_eq!(run.num("flat_from"), t, "{line}");
        let percent = (100.0 * t / run.num("iterations")).round();
        assert_eq!(share, format!("{percent} % of its N"), "{line}");
        latest = latest.max(t);
    }
    let plateaus: Vec<&GRun> = runs.iter().filter(|r| r.get("outcome") == "plateau").collect();
    assert_eq!(listed, plateaus.len(), "every plateau run is in one line");
    assert_eq!(latest, plateaus.iter().map(|r| r.num("flat_from")).fold(0.0, f64::max));
    // The review's NumPy recomputation, every step: H = 4, rate 100, seed 5 has
    // L = 0.0023 at iteration 7, L ≈ 1 after, and is flat from iteration 100
    // (50 % of N); H = 2's (0, ½, ½, 0) runs are flat from 12372 at the latest.
    let zeros = lines.iter().find(|l| l.starts_with("- o ≈ (0, 0, 0, 0)")).expect("the (0, 0, 0, 0) line");
    assert!(
        zeros.contains("from iteration 100 at the latest (two-layer H=4 rate 100 seed 5, 50 % of its N)"),
        "{zeros}"
    );
    let halves = lines.iter().find(|l| l.starts_with("- o ≈ (0, ½, ½, 0)")).expect("the (0, ½, ½, 0) line");
    assert!(halves.contains("from iteration 12372 at the latest (two-layer H=2 rate 0.1 seed 2, 6 % of its N)"));
    assert!(!section.contains("fell by at least"), "{section}");
}

/// Issue 30, findings 3 and 4: a plateau is stated as where the run stopped,
/// and the runs that left one within their budget are named, with their
/// stretch, end and fold read back from `learning_rate.csv`.
#[test]
fn g_names_the_plateaus_runs_left() {
    let (_, readme, runs) = g_report();
    let section = g_section(&readme);
    assert!(section.contains("A longer run may still leave it."), "{section}");
    let claim = between(section, "A plateau need not be final. ", "\n");
    let left: Vec<&GRun> = runs
        .iter()
        .filter(|r| !r.get("stuck_loss").is_empty() && r.num("final_loss") < r.num("stuck_loss") / 2.0)
        .collect();
    assert!(claim.starts_with(&format!("{} runs sat within 1 %", left.len())), "{claim}");
    for r in &left {
        let at = format!(
            "{} (L ≈ {:.3} at iterations {}–{} of {}; ",
            r.name(),
            r.num("stuck_loss"),
            r.get("stuck_from"),
            r.get("stuck_to"),
            r.get("iterations")
        );
        assert!(claim.contains(&at), "{at} in {claim}");
    }
    // The review's example: H = 8, rate 50, seed 3 sits at L ≈ 1 from about
    // iteration 34 to 300, then escapes and ends at L = 1.8e-4.
    let h8 = g_run(&runs, "two-layer H=8 rate 50 seed 3");
    assert_eq!((h8.get("outcome"), h8.get("stuck_from")), ("descending", "34"));
    assert!((h8.num("final_loss") - 1.8e-4).abs() < 5e-6, "{h8:?}");
    // 0.9964 / 1.795e-4 = 5551: a 5,600-fold fall, to two significant digits.
    let fold = h8.num("stuck_loss") / h8.num("final_loss");
    assert!((5_550.0..5_650.0).contains(&fold), "{fold}");
    assert!(claim.contains("L = 1.8e-4 at N = 400, 5,600-fold lower, still falling"), "{claim}");
}

/// Issue 30, finding 7: G's H = 2 runs that end at o ≈ (0, ½, ½, 0) without
/// their loss ever rising are tied to study D's stuck seeds, with the hidden
/// outputs read back from the CSV.
#[test]
fn g_ties_the_calm_h2_plateau_to_d() {
    let (_, readme, runs) = g_report();
    let section = g_section(&readme);
    let seed2 = g_run(&runs, "two-layer H=2 rate 1 seed 2");
    assert_eq!((seed2.get("outcome"), seed2.get("rose_at")), ("plateau", ""));
    let hidden = format!("{:.1e}", seed2.num("largest_hidden_at_half"));
    let claim = between(section, "Not every plateau comes from a jump. ", "\n");
    assert!(
        claim.starts_with(&format!(
            "At rate 1 two-layer H=2 seed 2 never raised L, yet ended at o ≈ (0, ½, ½, 0) with every hidden unit at most {hidden} on the rows at ½: it is the first 20000 steps of study D's run of seed 2"
        )),
        "{claim}"
    );
    // D lists seed 2 among its stuck H = 2 seeds.
    assert!(readme.contains("**Stuck two-layer H = 2 runs.**"), "D's stuck seeds");
}

#[test]
fn data_xor_writes_every_file_and_names_the_data() {
    // Issue 12: `sweep --data` trains studies A–E on the given rows.
    let out = succeeds("xor", &["--data", "xor", "--seeds", "2", "--iterations", "200"]);
    let default_files = [
        "README.md",
        "convergence.csv",
        "convergence.svg",
        "convergence_curves.csv",
        "convergence_summary.csv",
        "crosscheck.csv",
        "errors.csv",
        "errors.svg",
        "manifest.json",
        "network.svg",
        "removal.csv",
        "removal.svg",
        "removal_summary.csv",
        "seeds.csv",
        "seeds.svg",
        "sigmoid.svg",
        "weights.csv",
        "weights.svg",
    ];
    for name in default_files {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("Training data (`--data`): `xor`, 4 rows"), "{readme}");
    assert!(readme.contains("--data xor"), "{readme}");
    // XOR's targets on the notebook's rows (0,0), (1,1), (1,0), (0,1): 0, 0, 1, 1.
    let errors = fs::read_to_string(out.join("errors.csv")).unwrap();
    let targets: Vec<&str> = errors.lines().skip(1).take(4).map(|l| l.split(',').nth(3).unwrap()).collect();
    assert_eq!(targets, ["0.0", "0.0", "1.0", "1.0"], "{errors}");
    // The candle twin trains on XOR too: its weights agree with the fast path.
    let crosscheck = fs::read_to_string(out.join("crosscheck.csv")).unwrap();
    for line in crosscheck.lines().skip(1) {
        let dw: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
        assert!(dw < 1e-9, "{line}");
    }
    let _ = fs::remove_dir_all(out);
}

#[test]
fn data_file_with_six_rows_removes_single_rows() {
    let dir = scratch("six-rows-input");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("six.csv");
    fs::write(&csv, "x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n0,1,1,0\n0.5,0,1,1\n0,0.5,1,0\n").unwrap();
    let out = succeeds("six-rows", &["--data", csv.to_str().unwrap(), "--seeds", "2", "--iterations", "100"]);
    let summary = fs::read_to_string(out.join("removal_summary.csv")).unwrap();
    let removed: Vec<&str> = summary.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(removed, ["0", "1", "2", "3", "4", "5"]);
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("study C removes each single row only"), "{readme}");
    let _ = fs::remove_dir_all(out);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn two_sweeps_into_one_folder_write_the_same_manifest_which_hashes_every_file() {
    // The manifest held the wall time, so every run of the README's main job
    // changed the committed results/manifest.json. Now it holds only what the
    // flags determine, and each file's SHA-256 (checked here with coreutils).
    let args = ["--seeds", "3", "--iterations", "200", "--crosscheck-seeds", "1"];
    let out = succeeds("manifest_twice", &args);
    let first = fs::read(out.join("manifest.json")).unwrap();
    let again = bin().arg("sweep").args(args).arg("--out").arg(&out).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(String::from_utf8(first.clone()).unwrap(), fs::read_to_string(out.join("manifest.json")).unwrap());
    let manifest: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert!(manifest.get("wall_seconds").is_none() && manifest.get("threads").is_none(), "{manifest}");
    let files = manifest["files"].as_array().unwrap();
    let listed: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let mut on_disk: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "manifest.json" && !n.starts_with('.'))
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk, "the manifest lists every file");
    for f in files {
        let name = f["name"].as_str().unwrap();
        let sum = std::process::Command::new("sha256sum").arg(out.join(name)).output().expect("sha256sum");
        let hex = String::from_utf8(sum.stdout).unwrap();
        assert_eq!(f["sha256"].as_str(), hex.split_whitespace().next(), "{name}");
    }
}

#[test]
fn a_one_row_data_set_still_gets_every_csv_with_its_header() {
    // With one row there is nothing to remove: removal.csv and
    // removal_summary.csv were 0-byte files without their columns.
    let dir = scratch("one-row-input");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("one.csv");
    fs::write(&csv, "x1,x2,x3,y\n1,0,1,1\n").unwrap();
    let out = succeeds("one-row", &["--data", csv.to_str().unwrap(), "--seeds", "2", "--iterations", "100"]);
    for entry in fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = fs::read_to_string(&path).unwrap();
            let header = text.lines().next().unwrap_or("");
            assert!(header.split(',').count() > 1 && header.chars().any(char::is_alphabetic), "{path:?}: {text:?}");
        }
    }
    let removal = fs::read_to_string(out.join("removal.csv")).unwrap();
    assert!(removal.starts_with("removed,seed,prediction,"), "{removal:?}");
    let _ = fs::remove_dir_all(out);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_thousand_hidden_units_sweep_in_bounded_time() {
    // --hidden 1024 once did not finish in a minute (the helper's limit): the
    // network diagram's label placement is quadratic in the edges. network.svg
    // now draws the one-layer run only; the diagram's own limit is tested in
    // `notebook::network`, and the rest of the sweep must still finish.
    let started = Instant::now();
    let out =
        succeeds("hidden-1024", &["--hidden", "1024", "--seeds", "1", "--iterations", "10", "--crosscheck-seeds", "0"]);
    eprintln!("--hidden 1024: {:?}", started.elapsed());
    let _ = fs::remove_dir_all(out);
}

#[test]
fn a_folder_in_place_of_a_file_fails_before_anything_is_replaced() {
    // A directory where surfaces.csv goes failed the sweep after 18 files had
    // been replaced, leaving --out mixing two runs. Now it fails before the
    // first rename: every old file is byte for byte as it was.
    let out = succeeds("folder-in-place", &["--seeds", "2", "--iterations", "100", "--crosscheck-seeds", "1"]);
    fs::remove_file(out.join("surfaces.csv")).unwrap();
    fs::create_dir(out.join("surfaces.csv")).unwrap();
    let snapshot = |dir: &PathBuf| {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&out);
    let failed = bin()
        .args(["sweep", "--seeds", "3", "--iterations", "120", "--crosscheck-seeds", "1", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("surfaces.csv") && stderr.contains("it is a folder"), "{stderr}");
    assert!(snapshot(&out) == before, "every file of the previous run is untouched, and no temporary is left");
    let _ = fs::remove_dir_all(out);
}

#[test]
fn the_printed_command_can_be_pasted_back_into_a_shell() {
    // "Made by" in the report and `command` in the manifest printed paths as
    // they are, so a path with a space or a backquote could not be pasted back.
    let dir = scratch("odd paths");
    let data_dir = dir.join("it's `odd` $HOME");
    fs::create_dir_all(&data_dir).unwrap();
    let data = data_dir.join("my data.csv");
    fs::write(&data, "x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n1,0,1,1\n").unwrap();
    let out = dir.join("out dir");
    let args = ["--data", data.to_str().unwrap(), "--seeds", "1", "--iterations", "10", "--crosscheck-seeds", "0"];
    let status = bin().arg("sweep").args(args).arg("--out").arg(&out).output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let command = manifest["command"].as_str().unwrap();
    let script = format!("set -- {command}; for a in \"$@\"; do printf '%s\\n' \"$a\"; done");
    let words = std::process::Command::new("sh").arg("-c").arg(&script).output().unwrap();
    let words: Vec<String> = String::from_utf8(words.stdout).unwrap().lines().map(str::to_owned).collect();
    let after = |flag: &str| words.iter().position(|w| w == flag).map(|i| words[i + 1].clone());
    assert_eq!(after("--data").as_deref(), data.to_str(), "{command}");
    assert_eq!(after("--out").as_deref(), out.to_str(), "{command}");
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    let plan_part = command.split(" --out ").next().unwrap();
    assert!(readme.contains(&format!("Made by `` {plan_part} ``.")), "{}", readme.lines().nth(2).unwrap_or(""));
    let _ = fs::remove_dir_all(&dir);
}

/// The default sweep (100 seeds, 50000 iterations) without the candle sample,
/// shared by the tests of studies D and F's comparison with the output bias.
fn default_sweep() -> PathBuf {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| succeeds("bias-default", &["--crosscheck-seeds", "0"])).clone()
}

/// The section of the report whose heading starts with `## {letter}.`.
fn section_of(readme: &str, letter: char) -> &str {
    let from = readme.find(&format!("## {letter}.")).unwrap_or_else(|| panic!("study {letter}"));
    let to = readme[from..].find("\n## ").map_or(readme.len(), |k| from + k);
    &readme[from..to]
}

/// A CSV of `out`, one [`GRun`] (a row by column name) per line.
fn csv_rows(out: &std::path::Path, name: &str) -> Vec<GRun> {
    let text = fs::read_to_string(out.join(name)).unwrap_or_else(|_| panic!("{name}"));
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    text.lines()
        .skip(1)
        .map(|line| GRun(header.iter().map(|h| h.to_string()).zip(line.split(',').map(str::to_owned)).collect()))
        .collect()
}

/// Issue 29, item 4 (study D): the report's comparison of each two-layer
/// size without and with the output bias, read back from `convergence.csv`.
#[test]
fn d_compares_the_output_bias_from_its_runs() {
    let out = default_sweep();
    let readme = fs::read_to_string(out.join("README.md")).expect("README.md");
    let d = section_of(&readme, 'D');
    let runs = csv_rows(&out, "convergence.csv");
    let of = |hidden: &str, bias: &str| -> Vec<&GRun> {
        runs.iter().filter(|r| r.get("hidden") == hidden && r.get("output_bias") == bias).collect()
    };
    let settled = |rs: &[&GRun]| rs.iter().filter(|r| !r.get("iterations_to_0_05").is_empty()).count();
    let stuck = |rs: &[&GRun]| -> Vec<String> {
        rs.iter().filter(|r| r.get("iterations_to_0_05").is_empty()).map(|r| r.get("seed").to_owned()).collect()
    };
    for h in ["1", "2", "4", "8"] {
        let (without, with) = (of(h, "false"), of(h, "true"));
        assert_eq!((without.len(), with.len()), (100, 100), "H = {h}");
        // The table's row: settled below 0.05 without, then with.
        let row = format!("| {h} | {} of 100 | {} of 100 | ", settled(&without), settled(&with));
        assert!(d.contains(&row), "{row} in {d}");
    }
    // H = 1: without the bias no run settles (every output on one side of
    // 0.5); with it, the report's counts are the CSV's.
    let (h1, h1b) = (of("1", "false"), of("1", "true"));
    let x3_1 = |rs: &[&GRun]| rs.iter().filter(|r| r.get("rule_right_x3_1") == "4").count();
    let claim = format!(
        "With b2, {} of 100 runs settle below 0.05 (without: {}), {} put the 4 rule inputs with x3 = 1 on the right side of 0.5 (without: {})",
        settled(&h1b),
        settled(&h1),
        x3_1(&h1b),
        x3_1(&h1)
    );
    assert!(d.contains(&claim), "{claim} in {d}");
    let all8 = h1b.iter().filter(|r| r.get("rule_right_x3_1") == "4" && r.get("rule_right_x3_0") == "4").count();
    assert!(d.contains(&format!("{all8} of 100 runs with b2 have all 8 right")), "{d}");
    // The stuck H = 2 seeds without the bias (2 and 65 in the committed
    // results) and what each becomes with it, from the same W1 and W2.
    let (h2, h2b) = (of("2", "false"), of("2", "true"));
    let stuck2 = stuck(&h2);
    assert_eq!(stuck2, ["2", "65"], "the stuck seeds the issue asks about");
    let mut freed = 0;
    for seed in &stuck2 {
        let twin = h2b.iter().find(|r| r.get("seed") == seed).expect("the same seed with b2");
        let at = twin.get("iterations_to_0_05");
        if at.is_empty() {
            assert!(d.contains(&format!("seed {seed} never settles either")), "{d}");
        } else {
            freed += 1;
            assert!(d.contains(&format!("seed {seed} settles below 0.05 from iteration {at}")), "{d}");
        }
    }
    assert!(d.contains(&format!("The bias freed {freed} of {}.", stuck2.len())), "{d}");
    // What remains: the sentence holds only if every biased run settled.
    let biased: Vec<&GRun> = runs.iter().filter(|r| r.get("output_bias") == "true").collect();
    let all_settle = format!("all {} two-layer runs with b2 settle below 0.05", biased.len());
    assert_eq!(d.contains(&all_settle), settled(&biased) == biased.len(), "{d}");
    // "It slows H = …" names exactly the sizes whose lower median iteration to
    // settle below 0.01 (over the runs that did) is higher with b2 than without.
    let lower_median = |rs: &[&GRun]| -> Option<u64> {
        let mut it: Vec<u64> = rs
            .iter()
            .filter(|r| !r.get("iterations_to_0_01").is_empty())
            .map(|r| r.get("iterations_to_0_01").parse().unwrap())
            .collect();
        it.sort_unstable();
        (!it.is_empty()).then(|| it[(it.len() - 1) / 2])
    };
    let slower: Vec<String> = ["1", "2", "4", "8"]
        .into_iter()
        .filter(|h| match (lower_median(&of(h, "true")), lower_median(&of(h, "false"))) {
            (Some(with), Some(without)) => with > without,
            (None, Some(_)) => true,
            _ => false,
        })
        .map(|h| format!("H = {h}"))
        .collect();
    let speed = if slower.is_empty() {
        "Nor does it slow any size".to_owned()
    } else {
        format!("It slows {} down:", slower.join(", "))
    };
    assert!(d.contains(&speed), "{speed} in {d}");
    // Σδ2 at seed 2's plateau: rows 1, 2 at o ≈ 0.49996 (target 1) give
    // 2 × 0.5·0.5·0.5 = 0.25, rows 0, 3 at o ≈ 0.0034 (target 0) about −3e-5 each:
    // the table's column reads 0.2500 (4 decimals).
    let table_row = d.lines().find(|l| l.starts_with("| 2 | (1, 1, 1) and (1, 0, 1)")).expect("seed 2's row");
    assert!(table_row.ends_with("| 0.2500 |"), "{table_row}");
    // Every claim about the bias-free model names it; none of the biased model says "no bias".
    assert!(d.contains("**Why two-layer H = 1 cannot learn the rule.** With no bias on the output unit, `o = σ(v·h)`"));
    let h1_bias = between(d, "**Two-layer H = 1 with bias, against", "\n");
    assert!(!h1_bias.contains("no bias") && h1_bias.contains("`v·h + b2`"), "{h1_bias}");
}

/// Issue 29, item 4 (study F): which truth tables each size learns without
/// and with the output bias, read back from `truth_tables.csv`.
#[test]
fn f_compares_the_output_bias_from_its_runs() {
    let out = default_sweep();
    let readme = fs::read_to_string(out.join("README.md")).expect("README.md");
    let f = section_of(&readme, 'F');
    let runs = csv_rows(&out, "truth_tables.csv");
    let model = |label: &str| -> Vec<&GRun> { runs.iter().filter(|r| r.get("model") == label).collect() };
    // H = 1 with the bias: the functions learned on every seed and on none.
    let h1b = model("two-layer H=1 with bias");
    assert_eq!(h1b.len(), 16 * 8);
    assert!(h1b.iter().all(|r| r.get("output_bias") == "true"));
    let functions: std::collections::BTreeSet<&str> = h1b.iter().map(|r| r.get("function")).collect();
    let every = |pick: bool| -> Vec<&str> {
        functions
            .iter()
            .copied()
            .filter(|func| {
                h1b.iter().filter(|r| r.get("function") == *func).all(|r| (r.get("learned") == "true") == pick)
            })
            .collect()
    };
    let (always, never) = (every(true), every(false));
    assert!(
        f.contains(&format!("learned {} of the 16 functions on every seed and never learned", always.len())),
        "{f}"
    );
    // The report says H = 1 with b2 splits as one layer does: never xor and
    // xnor, every separable function on every seed; the CSV must agree.
    let one_layer_split = f.contains("That is one layer's split exactly");
    let separable_always = always.len() == 14
        && always
            .iter()
            .all(|func| h1b.iter().any(|r| r.get("function") == *func && r.get("linearly_separable") == "true"));
    let mut never_sorted = never.clone();
    never_sorted.sort_unstable();
    assert_eq!(one_layer_split, separable_always && never_sorted == ["xnor", "xor"], "{f}");
    assert!(one_layer_split, "the committed run: H = 1 with the bias learns exactly the 14 separable functions");
    // How the runs that did not learn end: the range of their largest errors,
    // H = 1 with b2 against one layer, three decimals.
    let span = |rs: &[&GRun]| -> String {
        let errors: Vec<f64> = rs.iter().filter(|r| r.get("learned") == "false").map(|r| r.num("max_error")).collect();
        let lo = format!("{:.3}", errors.iter().copied().fold(f64::INFINITY, f64::min));
        let hi = format!("{:.3}", errors.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        if lo == hi { lo } else { format!("{lo}–{hi}") }
    };
    let ends = format!(
        "Its runs that did not learn end with a largest error of {}, one layer's of {}.",
        span(&h1b),
        span(&model("one-layer"))
    );
    assert!(f.contains(&ends), "{ends} in {f}");
    // H = 2 and 3: the pairs by (function, seed), removed, kept and new.
    for h in [2, 3] {
        let (without, with) = (model(&format!("two-layer H={h}")), model(&format!("two-layer H={h} with bias")));
        let twin = |r: &GRun| {
            with.iter()
                .find(|b| b.get("function") == r.get("function") && b.get("seed") == r.get("seed"))
                .expect("the same function and seed with b2")
        };
        let failed: Vec<&&GRun> = without.iter().filter(|r| r.get("learned") == "false").collect();
        let removed = failed.iter().filter(|r| twin(r).get("learned") == "true").count();
        let new = without.iter().filter(|r| r.get("learned") == "true" && twin(r).get("learned") == "false").count();
        let failed_with = with.iter().filter(|r| r.get("learned") == "false").count();
        let claim = format!(
            "Two-layer H = {h} with bias against two-layer H = {h}: {failed_with} of 128 runs did not learn, against {} without the bias. Of those {}, the bias removed {removed} (",
            failed.len(),
            failed.len()
        );
        assert!(f.contains(&claim), "{claim} in {f}");
        let tail =
            if new == 0 { "no run failed only with it.".to_owned() } else { format!("{new} failed only with it: ") };
        assert!(between(f, &claim, "\n").contains(&tail), "{f}");
    }
    // The table's "H=1 + b2" column is the summary's count per function.
    let summary = csv_rows(&out, "truth_tables_summary.csv");
    let header = f.lines().find(|l| l.starts_with("| function |")).expect("the table");
    let column = header.split(" | ").position(|c| c == "H=1 + b2").expect("the H=1 + b2 column");
    for row in summary.iter().filter(|r| r.get("model") == "two-layer H=1 with bias") {
        let line = f.lines().find(|l| l.starts_with(&format!("| {} |", row.get("function")))).expect("a row");
        assert_eq!(line.split(" | ").nth(column), Some(format!("{}/8", row.get("learned")).as_str()), "{line}");
    }
}

/// `--output-bias`: the studies that do not compare train their two-layer
/// models with the bias, and the report says so, never "no bias" about them.
#[test]
fn output_bias_gives_the_other_studies_the_bias() {
    let out =
        succeeds("output-bias", &["--output-bias", "--seeds", "3", "--iterations", "300", "--crosscheck-seeds", "0"]);
    let readme = fs::read_to_string(out.join("README.md")).expect("README.md");
    let manifest = fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("--output-bias") && manifest.contains("\"output_bias\": true"), "{manifest}");
    assert!(readme.contains("the other studies' two-layer models are those with the bias (`--output-bias`)"));
    // G and the surfaces train the biased models only.
    let g = csv_rows(&out, "learning_rate.csv");
    assert!(g.iter().filter(|r| r.get("model") != "one-layer").all(|r| r.get("model").ends_with("with bias")));
    let surfaces = fs::read_to_string(out.join("surfaces.csv")).expect("surfaces.csv");
    assert!(surfaces.contains("two-layer H=4 with bias") && !surfaces.contains("two-layer H=4,"), "surfaces");
    // "no bias" appears only in the head's recipe of the bias-free model (D and F
    // train it) and in the studies that compare (D, F), never elsewhere.
    let head = readme.split("\n## ").next().expect("the head");
    assert!(head.contains("`o = σ(h·W2)` (no bias on the output unit)") && head.contains("`o = σ(h·W2 + b2)`"));
    for (letter, section) in readme.split("\n## ").enumerate().skip(1) {
        let compares = section.starts_with("D.") || section.starts_with("F.");
        if !compares {
            assert!(!section.contains("no bias"), "section {letter}: {section}");
        }
    }
    let help = bin().args(["sweep", "--help"]).output().expect("help");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--output-bias") && help.contains("Studies D and F train each two-layer size both ways"));
    let _ = fs::remove_dir_all(out);
}
