//! Helpers shared by the integration tests of `experiments` (each test file
//! declares `mod common;`): running the binary, scratch folders, reading its
//! JSON, checking a refusal (one `error: …` line, an exit code, nothing on
//! stdout), and starting a long sweep that holds the `--out` lock.

// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `experiments` binary built for these tests, not yet run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_experiments"))
}

/// Runs the binary with `args` and collects its output.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// Runs the binary with `args`, which must succeed, and parses its one JSON object.
#[track_caller]
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// A path in the temporary folder, unique to this test process and `name`,
/// with anything left there by an earlier run removed (nothing is created).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("perceptron-lab-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_file(&dir);
    dir
}

/// Exit `code`, nothing on stdout, exactly one `error: …` line holding every
/// needle, and no panic; returns the line (with its newline).
#[track_caller]
pub fn one_line(out: &Output, code: i32, needles: &[&str]) -> String {
    checked_line("", out, code, needles)
}

/// Runs the binary with `args` and checks its refusal as [`one_line`] does,
/// within 10 s (a refusal comes before any training).
#[track_caller]
pub fn refused(args: &[&str], code: i32, needles: &[&str]) -> String {
    let started = Instant::now();
    let line = checked_line(&format!("{args:?}: "), &run(args), code, needles);
    assert!(started.elapsed() < Duration::from_secs(10), "{args:?} took {:?}", started.elapsed());
    line
}

#[track_caller]
fn checked_line(context: &str, out: &Output, code: i32, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{context}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{context}expected one line, got {stderr}");
    assert!(stderr.starts_with("error: "), "{context}{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{context}'{needle}' not in {stderr}");
    }
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{context}{stderr}");
    assert!(out.stdout.is_empty(), "{context}wrote to stdout: {}", String::from_utf8_lossy(&out.stdout));
    stderr
}

/// Starts a sweep into `out` that runs for minutes, and returns once it holds
/// the lock on `out` (`.sweep.lock` names its PID).
pub fn start_long_sweep(out: &Path) -> Child {
    let child = bin()
        .args(["sweep", "--seeds", "20000", "--iterations", "50000", "--out", out.to_str().unwrap()])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    while fs::read_to_string(out.join(".sweep.lock")).unwrap_or_default() != pid {
        assert!(Instant::now() < deadline, "the sweep never took its lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}
