//! `sweep`: the notebook's studies and its TODO list, run in parallel with rayon
//! and written to `--out` as CSVs, SVG plots, a Markdown report and a manifest.
//!
//! - A. the notebook's run (seed 1): sigmoid, network diagram, errors, weights;
//! - B. every seed `0..N`: final weights and the `[1, 0, 0]` prediction;
//! - C. each of the 14 non-empty proper subsets of rows removed, every seed;
//! - D. one layer against 3→H→1 for each `--hidden` size: convergence;
//! - E. a sample of those runs trained again with candle's autograd (`crosscheck`).
//!
//! Reproducibility: every run is a pure function of its configuration, jobs
//! are collected in a fixed order whatever the thread count, and summaries are
//! folded sequentially, so the CSVs and SVGs are byte-identical from run to run
//! and with any `RAYON_NUM_THREADS`. Everything is computed in memory first;
//! only then are the files written, each atomically (see `crate::output`).

mod crosscheck;
mod numbers;
mod plots;
mod report;
mod runs;
mod study;
mod tables;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use perceptron::{Architecture, Config, Dataset, Schedule, Trained};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::SweepArgs;
use crate::error::UsageError;
use crate::output::{OutputLock, write_atomic};
use runs::RunSummary;

/// Points of the log-spaced schedule behind convergence curves and thresholds.
pub const CURVE_POINTS: usize = 80;

/// What the sweep runs.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// Seeds `0..seeds`.
    pub seeds: u32,
    pub iterations: u64,
    /// Two-layer hidden sizes.
    pub hidden: Vec<usize>,
    /// The training data of every study (`--data`; the notebook's four rows by default).
    #[serde(serialize_with = "data_name")]
    pub data: Dataset,
    pub learning_rate: f64,
    /// Study E's sample: seeds `0..min(seeds, crosscheck_seeds)`, the first
    /// `min(iterations, crosscheck_iterations)` steps.
    pub crosscheck_seeds: u32,
    pub crosscheck_iterations: u64,
}

impl Plan {
    /// The iterations at which convergence curves are sampled.
    pub fn curve_iterations(&self) -> Vec<u64> {
        Schedule::LogSpaced { points: CURVE_POINTS }.iterations(self.iterations)
    }

    /// The two-layer size drawn in the network diagram: 4 if swept, else the largest.
    fn diagram_hidden(&self) -> Option<usize> {
        if self.hidden.contains(&4) { Some(4) } else { self.hidden.iter().copied().max() }
    }
}

/// A plan's data set, in the manifest: its name.
fn data_name<S: serde::Serializer>(data: &Dataset, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(data.name())
}

/// The notebook's run (A), recorded densely.
pub struct NotebookStudy {
    pub one: Trained,
    pub two: Option<Trained>,
}

/// Everything the files are made from.
pub struct Results {
    pub plan: Plan,
    pub notebook: NotebookStudy,
    /// The summaries of each job's runs, in job order (kept per job: flattening
    /// would hold two copies of 1.9 million summaries at 10⁵ seeds).
    pub runs: Vec<Vec<RunSummary>>,
    pub crosscheck: Vec<crosscheck::CrosscheckRow>,
}

impl Results {
    /// Every run, in job order.
    pub fn all_runs(&self) -> impl Iterator<Item = &RunSummary> {
        self.runs.iter().flatten()
    }

    fn one_layer(&self, removed: &[usize]) -> Vec<&RunSummary> {
        self.all_runs()
            .filter(|r| r.architecture == Architecture::OneLayer && r.removed == runs::mask(removed))
            .collect()
    }

    fn removal_runs(&self) -> Vec<&RunSummary> {
        self.all_runs().filter(|r| r.architecture == Architecture::OneLayer && r.removed != 0).collect()
    }

    fn models(&self) -> Vec<Architecture> {
        let mut models = vec![Architecture::OneLayer];
        models.extend(self.plan.hidden.iter().map(|&hidden| Architecture::TwoLayer { hidden }));
        models
    }

    fn model_runs(&self, architecture: Architecture) -> Vec<&RunSummary> {
        self.all_runs().filter(|r| r.architecture == architecture && r.removed == 0).collect()
    }
}

/// Runs `sweep`.
pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let mut hidden = args.hidden.clone();
    hidden.sort_unstable();
    if let Some(w) = hidden.windows(2).find(|w| w[0] == w[1]) {
        let message = format!(
            "--hidden lists {} more than once; expected distinct sizes in 1..={}",
            w[0],
            perceptron::MAX_HIDDEN
        );
        return Err(UsageError::new(message).into());
    }
    if args.out.exists() && !args.out.is_dir() {
        let message =
            format!("--out '{}' is a file; expected a folder (created if missing) (see --help)", args.out.display());
        return Err(UsageError::new(message).into());
    }
    let data = args.data.load()?;
    let plan = Plan {
        seeds: args.seeds,
        iterations: args.iterations,
        hidden,
        data,
        learning_rate: args.learning_rate,
        crosscheck_seeds: args.crosscheck_seeds,
        crosscheck_iterations: args.crosscheck_iterations,
    };
    let lock = OutputLock::acquire(&args.out)?;
    let started = Instant::now();
    let results = compute(&plan)?;
    let files = render(&results)?;
    let steps = training_steps(&results);
    let wall_seconds = started.elapsed().as_secs_f64();
    let manifest = manifest(&plan, args, &files, steps, wall_seconds)?;
    for (name, bytes) in files.iter().chain([&("manifest.json".to_owned(), manifest)]) {
        write_atomic(&args.out, name, bytes)?;
    }
    drop(lock);
    crate::console::stderr_line(&format!(
        "sweep: {} runs, {steps} training steps in {wall_seconds:.2} s; wrote {} files to {}",
        results.all_runs().count() + 1 + usize::from(results.notebook.two.is_some()),
        files.len() + 1,
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// Trains everything, in parallel, with a progress bar on a terminal.
pub fn compute(plan: &Plan) -> Result<Results> {
    let jobs = runs::jobs(plan);
    let total: u64 = jobs.iter().map(|j| j.seeds.len() as u64 * plan.iterations).sum();
    let progress = if std::io::stderr().is_terminal() { ProgressBar::new(total) } else { ProgressBar::hidden() };
    progress.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {percent:>3}% {human_pos}/{human_len} steps, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    progress.set_prefix("sweep");
    let notebook_config = |architecture| {
        Config {
            seed: 1,
            iterations: plan.iterations,
            learning_rate: plan.learning_rate,
            architecture,
            removed_rows: Vec::new(),
        }
        .check_on(&plan.data)
        .expect("the sweep's flags are checked")
    };
    let dense = Schedule::Plot { points: 250 };
    let ((notebook, runs), crosscheck) = rayon::join(
        || {
            rayon::join(
                || NotebookStudy {
                    one: perceptron::train(&notebook_config(Architecture::OneLayer), &dense),
                    two: plan.diagram_hidden().map(|hidden| {
                        perceptron::train(&notebook_config(Architecture::TwoLayer { hidden }), &Schedule::Ends)
                    }),
                },
                || {
                    jobs.par_iter()
                        .map(|job| {
                            let out = runs::run_job(job, plan);
                            progress.inc(job.seeds.len() as u64 * plan.iterations);
                            out
                        })
                        .collect::<Vec<_>>()
                },
            )
        },
        || crosscheck::run(plan),
    );
    progress.finish_and_clear();
    let crosscheck = crosscheck?;
    Ok(Results { plan: plan.clone(), notebook, runs, crosscheck })
}

/// Steps of the fast path (the crosscheck's candle and fast-path replays are not counted).
fn training_steps(results: &Results) -> u64 {
    let runs = results.all_runs().count() as u64 + 1 + u64::from(results.notebook.two.is_some());
    runs * results.plan.iterations
}

/// Every output file but the manifest, as `(name, bytes)`: each study's files
/// in the order of [`study::STUDIES`], then `README.md` made of their sections.
pub fn render(results: &Results) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut readme = report::header(&results.plan);
    for study in study::STUDIES {
        let rendered = study.render(results).with_context(|| format!("rendering study {}", study.name()))?;
        files.extend(rendered.files);
        readme.push_str(&rendered.section);
    }
    files.push(("README.md".to_owned(), readme.into_bytes()));
    Ok(files)
}

#[derive(Serialize)]
struct Manifest<'a> {
    program: &'static str,
    version: &'static str,
    command: String,
    plan: &'a Plan,
    out: String,
    /// Training steps over all runs (runs × iterations).
    training_steps: u64,
    wall_seconds: f64,
    threads: usize,
    files: Vec<&'a str>,
}

fn manifest(
    plan: &Plan,
    args: &SweepArgs,
    files: &[(String, Vec<u8>)],
    steps: u64,
    wall_seconds: f64,
) -> Result<Vec<u8>> {
    let hidden: Vec<String> = plan.hidden.iter().map(ToString::to_string).collect();
    let command = format!(
        "experiments sweep --data {} --seeds {} --iterations {} --hidden {} --learning-rate {} --out {}",
        plan.data.name(),
        plan.seeds,
        plan.iterations,
        hidden.join(","),
        numbers::shortest(plan.learning_rate),
        args.out.display()
    );
    let m = Manifest {
        program: "experiments",
        version: env!("CARGO_PKG_VERSION"),
        command,
        plan,
        out: args.out.display().to_string(),
        training_steps: steps,
        wall_seconds,
        threads: rayon::current_num_threads(),
        files: files.iter().map(|(n, _)| n.as_str()).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&m)?;
    bytes.push(b'\n');
    Ok(bytes)
}
