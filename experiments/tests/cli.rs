//! The `experiments` binary as a user runs it: output, bad input, a small sweep
//! end to end, byte-identical results across thread counts, killed and
//! concurrent sweeps.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{bin, json, refused, run, scratch, start_long_sweep};

#[test]
fn train_json_reproduces_the_notebook() {
    // print(sigmoid(np.sum(weights*input_new)))  ->  0.9999877412862083  (the notebook's last cell)
    let v = json(&["train", "--json"]);
    assert_eq!(v["prediction"].as_f64(), Some(0.999_987_741_286_208_3));
    // weights after train_nn(..., NITER=50000, ...): [[11.30926129] [-0.20509237] [-5.45001623]]
    let w: Vec<f64> = v["layers"][0].as_array().unwrap().iter().map(|row| row[0].as_f64().unwrap()).collect();
    let printed: Vec<String> = w.iter().map(|x| format!("{x:.8}")).collect();
    assert_eq!(printed, ["11.30926129", "-0.20509237", "-5.45001623"]);
    let two = json(&["train", "--json", "--hidden", "3", "--iterations", "10"]);
    let shapes: Vec<(usize, usize)> = two["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m.as_array().unwrap().len(), m[0].as_array().unwrap().len()))
        .collect();
    assert_eq!(shapes, [(3, 3), (3, 1)]);
}

#[test]
fn train_text_shows_the_notebook_numbers() {
    let out = run(&["train"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in ["[-0.16595599]", "[11.30926129]", "Prediction for [1, 0, 0]: 0.9999877412862083"] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let file = scratch("not-a-folder");
    fs::write(&file, "x").unwrap();
    let file = file.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["frobnicate"], "unrecognized subcommand"),
        (&["train", "--frobnicate"], "--frobnicate"),
        (&[], "subcommand"),
        (&["train", "--seed", "abc"], "--seed"),
        (&["train", "--seed", "-1"], "--seed"),
        (&["train", "--seed", "4294967296"], "0..=4294967295"),
        (&["train", "--iterations", "1e3"], "--iterations"),
        (&["train", "--iterations", "-5"], "--iterations"),
        (&["train", "--iterations", "100000001"], "0..=100000000"),
        (&["train", "--hidden", "0"], "1..=1024"),
        (&["train", "--hidden", "100000000000"], "1..=1024"),
        (&["train", "--hidden", "two"], "--hidden"),
        (&["train", "--remove-rows", "0,1,2,3"], "cannot remove all 4 rows"),
        (&["train", "--remove-rows", "4"], "cannot remove row 4"),
        (&["train", "--remove-rows", "1,1"], "more than once"),
        (&["train", "--remove-rows", ""], "0..=3"),
        (&["train", "--remove-rows", "-1"], "--remove-rows"),
        (&["train", "--learning-rate", "0"], "positive finite"),
        (&["train", "--learning-rate", "-0.5"], "positive finite"),
        (&["train", "--learning-rate", "NaN"], "positive finite"),
        (&["train", "--learning-rate", "inf"], "positive finite"),
        (&["train", "--learning-rate", "-inf"], "positive finite"),
        (&["train", "--predict", "1,0"], "three finite numbers"),
        (&["train", "--predict", "1,0,0,1"], "three finite numbers"),
        (&["train", "--predict", "1,nan,0"], "three finite numbers"),
        (&["train", "--predict", "1,inf,0"], "three finite numbers"),
        (&["train", "--seed"], "--seed"),
        (&["sweep", "--seeds", "0"], "1..=100000"),
        (&["sweep", "--seeds", "many"], "--seeds"),
        (&["sweep", "--iterations", "0"], "1..=100000000"),
        (&["sweep", "--hidden", "4,0"], "1..=1024"),
        (&["sweep", "--hidden", "2,2"], "more than once"),
        (&["sweep", "--learning-rate", "0"], "positive finite"),
        (&["sweep", "--out", file], "is a file"),
        (&["sweep", "--crosscheck-seeds", "-1"], "0..=100000"),
        (&["sweep", "--crosscheck-iterations", "0"], "1..=100000000"),
        (&["check", "--tolerance", "-1"], "--tolerance"),
        (&["check", "--iterations", "x"], "--iterations"),
    ];
    for (args, needle) in cases {
        refused(args, 2, &[needle]);
    }
    fs::remove_file(file).unwrap();
}

#[test]
fn an_uncreatable_out_folder_is_a_runtime_error() {
    let file = scratch("blocker");
    fs::write(&file, "x").unwrap();
    let inside = file.join("results");
    refused(
        &["sweep", "--seeds", "1", "--iterations", "10", "--out", inside.to_str().unwrap()],
        1,
        &["cannot create the --out folder"],
    );
    fs::remove_file(&file).unwrap();
}

fn sweep(out: &Path, threads: usize, extra: &[&str]) {
    let status = bin()
        .args(["sweep", "--seeds", "4", "--iterations", "2000", "--out", out.to_str().unwrap()])
        .args(extra)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect()
}

#[test]
fn a_small_sweep_writes_every_file_and_agrees_with_train() {
    let out = scratch("small");
    sweep(&out, 2, &[]);
    for name in [
        "weights.csv",
        "errors.csv",
        "seeds.csv",
        "removal.csv",
        "removal_summary.csv",
        "convergence.csv",
        "sigmoid.svg",
        "network.svg",
        "errors.svg",
        "weights.svg",
        "seeds.svg",
        "removal.svg",
        "convergence.svg",
        "README.md",
        "manifest.json",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let removal = read_csv(&out.join("removal.csv"));
    assert_eq!(removal.len(), 14 * 4, "14 subsets × 4 seeds");
    let seeds = read_csv(&out.join("seeds.csv"));
    assert_eq!(seeds.len(), 4);
    // Every value agrees with `train` for the same configuration.
    for (row, args) in [
        (&seeds[2], vec!["--seed", "2"]),
        (
            removal.iter().find(|r| r["removed"] == "1+3" && r["seed"] == "3").unwrap(),
            vec!["--seed", "3", "--remove-rows", "1,3"],
        ),
    ] {
        let mut full = vec!["train", "--json", "--iterations", "2000"];
        full.extend(args);
        let v = json(&full);
        assert_eq!(row["prediction"].parse::<f64>().unwrap(), v["prediction"].as_f64().unwrap(), "{full:?}");
    }
    let convergence = read_csv(&out.join("convergence.csv"));
    let h4 = convergence.iter().find(|r| r["hidden"] == "4" && r["seed"] == "1").unwrap();
    let v = json(&["train", "--json", "--iterations", "2000", "--hidden", "4", "--seed", "1"]);
    assert_eq!(h4["prediction"].parse::<f64>().unwrap(), v["prediction"].as_f64().unwrap());
    let weights = read_csv(&out.join("weights.csv"));
    let last = weights.last().unwrap();
    let v = json(&["train", "--json", "--iterations", "2000"]);
    assert_eq!(last["iteration"], "2000");
    assert_eq!(last["w1"].parse::<f64>().unwrap(), v["layers"][0][0][0].as_f64().unwrap());
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // 4 seeds × (15 removal groups + 4 models) and study A's one run (network.svg draws it alone).
    assert_eq!(manifest["training_steps"].as_u64(), Some((4 * (15 + 4) + 1) * 2000));
    let report = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(report.contains("![removal](removal.svg)"));
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn results_are_byte_identical_with_1_2_and_4_threads() {
    let dirs: Vec<PathBuf> = [1, 2, 4].iter().map(|t| scratch(&format!("threads{t}"))).collect();
    for (dir, threads) in dirs.iter().zip([1, 2, 4]) {
        sweep(dir, threads, &["--hidden", "2,9"]);
    }
    let mut names: Vec<String> =
        fs::read_dir(&dirs[0]).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.retain(|n| n.ends_with(".csv") || n.ends_with(".svg") || n == "README.md");
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for name in &names {
        let first = fs::read(dirs[0].join(name)).unwrap();
        for dir in &dirs[1..] {
            assert!(first == fs::read(dir.join(name)).unwrap(), "{name} differs in {}", dir.display());
        }
    }
    for dir in dirs {
        fs::remove_dir_all(dir).unwrap();
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_killed_sweep_leaves_the_previous_results_intact_and_a_second_sweep_is_refused() {
    let out = scratch("killed");
    sweep(&out, 2, &[]);
    let before = snapshot(&out);
    let mut child = start_long_sweep(&out);
    // A second sweep into the same folder while the first runs: refused, one line, exit 1.
    refused(&["sweep", "--seeds", "1", "--iterations", "10", "--out", out.to_str().unwrap()], 1, &["another sweep"]);
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(before == snapshot(&out), "the previous results changed");
    let half_written: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".experiments-tmp."))
        .collect();
    // At most the table streamed while training (`removal.csv`), under the killed
    // sweep's own temporary name; the next sweep removes it.
    let ours = format!(".experiments-tmp.{}.removal.csv", child.id());
    assert!(half_written.iter().all(|n| *n == ours), "{half_written:?}");
    // The killed sweep's stale lock does not block the next one.
    sweep(&out, 2, &[]);
    assert!(!out.join(".sweep.lock").exists(), "the lock is released");
    assert!(!out.join(&ours).exists(), "the killed sweep's temporary is removed");
    let after: Vec<(String, Vec<u8>)> = snapshot(&out).into_iter().filter(|(n, _)| n != "manifest.json").collect();
    let expected: Vec<(String, Vec<u8>)> = before.into_iter().filter(|(n, _)| n != "manifest.json").collect();
    assert!(after == expected, "the same sweep gives the same files");
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn sigint_and_sigterm_leave_the_previous_results_and_no_trace() {
    // Issue 23, item 7: SIGINT 0.38 s into a sweep left some files new and the
    // rest old. Now a signal before the renames removes the temporaries and the
    // lock and exits 130 (SIGINT) or 143 (SIGTERM) with one line.
    let out = scratch("signals");
    sweep(&out, 2, &[]);
    let before = snapshot(&out);
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let child = bin()
            .args(["sweep", "--seeds", "20000", "--iterations", "50000", "--out", out.to_str().unwrap()])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while fs::read_to_string(out.join(".sweep.lock")).unwrap_or_default() != pid {
            assert!(std::time::Instant::now() < deadline, "the sweep never took its lock");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(300));
        let sent = std::time::Instant::now();
        assert!(std::process::Command::new("kill").args([signal, &pid]).status().unwrap().success());
        let output = child.wait_with_output().unwrap();
        assert!(sent.elapsed() < Duration::from_secs(15), "{signal} took {:?} to stop the sweep", sent.elapsed());
        assert_eq!(output.status.code(), Some(code), "{signal}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("stopped by SIG"), "{stderr}");
        assert!(before == snapshot(&out), "{signal}: the previous results changed");
        let left: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{signal}: temporaries or the lock left behind: {left:?}");
    }
    sweep(&out, 2, &[]);
    assert!(before == snapshot(&out), "a rerun succeeds and writes the same files");
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn train_text_and_json_show_the_output_bias() {
    // The bias is the third matrix: "Final weights b2:" in the text, [[b2]] in the JSON.
    let out = run(&["train", "--hidden", "2", "--output-bias", "--iterations", "10"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in ["two-layer H=2 with bias", "Initial weights b2:", "Final weights b2:"] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    let v = json(&["train", "--json", "--hidden", "2", "--output-bias", "--iterations", "10"]);
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    assert_eq!(layers[2].as_array().unwrap().len(), 1);
    refused(&["train", "--output-bias"], 2, &["--output-bias needs --hidden"]);
}
