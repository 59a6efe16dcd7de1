//! `sweep`: the notebook's studies and its TODO list, run in parallel with rayon
//! and written to `--out` as CSVs, SVG plots, a Markdown report and a manifest.
//! The studies are listed once, in `study::STUDIES`, each in its own module.
//!
//! Reproducibility: every run is a pure function of its configuration, jobs
//! are collected in a fixed order whatever the thread count, and summaries are
//! folded sequentially, so the CSVs and SVGs are byte-identical from run to run
//! and with any `RAYON_NUM_THREADS`.
//!
//! Parallelism: the jobs of the shared groups of runs (`runs::groups`, up to
//! 8 seeds a job) are trained in order, a window of jobs at a time, beside the
//! studies that read only the plan (`Study::OwnRuns`: they train their own
//! runs, and render), all on one rayon pool; then the other studies render,
//! one after the other, from the shared training's `study::Results`. This
//! runner names no study: it asks each `Study::Shared` for its fold.
//!
//! Memory: each group is given to the studies' folds as soon as its last job
//! is in (study C streams `removal.csv` into its temporary in `--out` and keeps
//! a summary row per removal; D keeps curve quantiles); only the fixed-size
//! summaries of the runs on all rows are kept to the end (studies B and D write
//! one row per run and take medians). The files of the studies that train
//! their own runs (independent of `--seeds`, 1.9 MB by default) are held until
//! the training ends; every other file goes into its temporary as soon as it
//! is rendered.
//!
//! Output: every file but the manifest goes through one `files::Files`, which
//! renames them all into place at the end, each atomically (see `crate::output`).

mod files;
mod model;
mod numbers;
mod plan;
mod plots;
mod report;
mod runs;
mod stats;
pub(crate) mod study;
mod tables;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use perceptron::Architecture;
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::SweepArgs;
use crate::output::{OutputLock, write_atomic};
use files::{Files, Stream};
use plan::Plan;
use runs::RunSummary;
pub use study::help as studies_help;
use study::{About, FromResults, Group, GroupFold, ModelRuns, Rendered, Results, STUDIES, Study};

/// The report's name in `--out`; it is written after every study's files.
const REPORT: &str = "README.md";

/// Runs `sweep`.
pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let plan = Plan::from_args(args)?;
    // From here a signal is an error like any other (temporaries and lock removed).
    crate::interrupt::catch()?;
    let lock = OutputLock::acquire(&args.out)?;
    let started = Instant::now();
    let mut files = Files::new(&args.out, study::declared_files().chain([REPORT]).collect());
    // The studies that read only the plan train and render while the shared training runs.
    let (trained, renderings) = rayon::join(|| compute(&plan, &files), || render_from_plan(&plan));
    let (results, streams) = trained?;
    for stream in streams {
        files.keep(stream)?;
    }
    let report = write_studies(&results, renderings, &mut files)?;
    files.write(REPORT, report.as_bytes())?;
    let run_count = results.run_count + counted_runs(&plan);
    let steps = run_count as u64 * plan.iterations;
    crate::interrupt::check(false)?;
    let hashes = files.commit()?;
    // Written last, once the files are in place: a set whose hashes all match
    // its manifest is one whole run.
    let manifest = manifest(&plan, args, &hashes, steps)?;
    write_atomic(&args.out, "manifest.json", &manifest)?;
    drop(lock);
    crate::interrupt::check(true)?;
    let count = hashes.len() + 1;
    let wall_seconds = started.elapsed().as_secs_f64();
    crate::console::stderr_line(&format!(
        "sweep: {} runs, {steps} training steps in {wall_seconds:.2} s; wrote {count} files to {}",
        run_count,
        crate::error::cut_path(&args.out)
    ));
    Ok(ExitCode::SUCCESS)
}

/// Trains the shared groups of runs the [`Study::Shared`] studies read, with
/// a progress bar on a terminal, each group given to every such study's
/// [`GroupFold`] as soon as it is complete; the files the folds streamed into
/// `files` come back with the results, to be kept.
///
/// # Errors
/// A fold could not open or write its streamed file.
fn compute(plan: &Plan, files: &Files) -> Result<(Results, Vec<Stream>)> {
    let groups = runs::groups(plan);
    let total = groups.len() as u64 * u64::from(plan.seeds) * plan.iterations;
    let progress = if std::io::stderr().is_terminal() { ProgressBar::new(total) } else { ProgressBar::hidden() };
    progress.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {percent:>3}% {human_pos}/{human_len} steps, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    progress.set_prefix("sweep");
    let mut folds = Vec::new();
    for study in STUDIES {
        if let Study::Shared(study) = study
            && let Some(fold) = study.fold(plan, files)?
        {
            folds.push(fold);
        }
    }
    let trained = train_groups(plan, &groups, folds, &progress);
    progress.finish_and_clear();
    let Trained { models, folded, streams, run_count } = trained?;
    Ok((Results { plan: plan.clone(), models, folded, run_count }, streams))
}

/// Runs of `plan.iterations` steps that the [`Study::OwnRuns`] studies count in the manifest.
fn counted_runs(plan: &Plan) -> usize {
    STUDIES
        .iter()
        .map(|s| match s {
            Study::OwnRuns(study) => study.counted_runs(plan),
            Study::Shared(_) => 0,
        })
        .sum()
}

/// Jobs trained in parallel between two folds in [`train_groups`]: enough
/// that the threads rarely wait for the last job of a window (a group has
/// `⌈seeds / LANES⌉` jobs, 13 by default), few enough that a window's outcomes
/// stay small.
const WINDOW: usize = 64;

/// Trains the groups' jobs in order, [`WINDOW`] jobs at a time in parallel
/// (a window may span groups), and gives each group to `folds` as soon as its
/// last job is in: memory holds one group's runs and curves at a time, not all
/// of them (the jobs come back in order whatever the thread count). The runs
/// of the models on all rows are kept.
fn train_groups<'a>(
    plan: &Plan,
    groups: &[(Architecture, Vec<usize>)],
    folds: Vec<Box<dyn GroupFold + 'a>>,
    progress: &ProgressBar,
) -> Result<Trained> {
    let mut fold = GroupsFold { models: Vec::new(), folds, run_count: 0 };
    let mut jobs = groups.iter().enumerate().flat_map(|(g, (architecture, removed))| {
        runs::group_jobs(plan, *architecture, removed).into_iter().map(move |job| (g, job))
    });
    // The group being gathered (groups before it are folded): its index, runs and curves.
    let (mut current, mut runs, mut curves) = (0, Vec::new(), Vec::new());
    loop {
        crate::interrupt::check(false)?;
        let window: Vec<(usize, runs::Job)> = jobs.by_ref().take(WINDOW).collect();
        if window.is_empty() {
            break;
        }
        // One job per task: rayon otherwise splits a window into a few
        // pieces, one per thread, and a thread that comes free from the studies
        // training their own runs finds nothing left to take; the last window
        // then ran on one thread alone (0.15 s of a 0.9 s sweep).
        let outcomes: Vec<_> = window
            .par_iter()
            .with_max_len(1)
            .map(|(_, job)| {
                let out = runs::run_job(job, plan);
                progress.inc(job.seeds.len() as u64 * plan.iterations);
                out
            })
            .collect();
        for ((g, _), (summaries, job_curves)) in window.iter().zip(outcomes) {
            while current < *g {
                fold.group(&groups[current], std::mem::take(&mut runs), std::mem::take(&mut curves))?;
                current += 1;
            }
            runs.extend(summaries);
            curves.extend(job_curves);
        }
    }
    while current < groups.len() {
        fold.group(&groups[current], std::mem::take(&mut runs), std::mem::take(&mut curves))?;
        current += 1;
    }
    let (mut folded, mut streams) = (Vec::new(), Vec::new());
    for f in fold.folds {
        let (kept, stream) = f.finish()?;
        folded.push(kept);
        streams.extend(stream);
    }
    Ok(Trained { models: fold.models, folded, streams, run_count: fold.run_count })
}

/// What [`train_groups`] has folded so far.
struct GroupsFold<'a> {
    models: Vec<ModelRuns>,
    folds: Vec<Box<dyn GroupFold + 'a>>,
    run_count: usize,
}

impl GroupsFold<'_> {
    /// Gives one whole group to every fold; a model on all rows keeps its runs.
    fn group(
        &mut self,
        (architecture, removed): &(Architecture, Vec<usize>),
        mut runs: Vec<RunSummary>,
        curves: Vec<Vec<f64>>,
    ) -> Result<()> {
        self.run_count += runs.len();
        let group = Group { architecture: *architecture, removed, runs: &runs, curves: &curves };
        for fold in &mut self.folds {
            fold.group(&group)?;
        }
        if removed.is_empty() {
            // Kept to the end: without the slack of the pushes that built it
            // (up to as much again, 100 MB at 10⁵ seeds).
            runs.shrink_to_fit();
            self.models.push(ModelRuns { architecture: *architecture, runs });
        }
        Ok(())
    }
}

/// What [`train_groups`] returns.
struct Trained {
    models: Vec<ModelRuns>,
    folded: Vec<Box<dyn std::any::Any + Send + Sync>>,
    streams: Vec<Stream>,
    run_count: usize,
}

/// A study's rendering: made from the plan alone while the shared training
/// ran ([`Study::OwnRuns`]), or still to make from its [`Results`].
enum Rendering {
    Done(&'static About, Result<Rendered>),
    Pending(&'static dyn FromResults),
}

/// Renders the [`Study::OwnRuns`] studies, in parallel (they train their own
/// runs); one [`Rendering`] per study of [`STUDIES`], in its order.
fn render_from_plan(plan: &Plan) -> Vec<Rendering> {
    STUDIES
        .par_iter()
        .map(|study| match *study {
            Study::OwnRuns(study) => Rendering::Done(study.about(), study.render(plan)),
            Study::Shared(study) => Rendering::Pending(study),
        })
        .collect()
}

/// Writes every study's files into `files`, one study at a time in the order
/// of `renderings` (those still pending rendered now from `results`), and
/// returns the report: its header, then each study's heading and section.
///
/// # Errors
/// A study could not render, or a file could not be written.
fn write_studies(results: &Results, renderings: Vec<Rendering>, files: &mut Files) -> Result<String> {
    let mut report = report::header(&results.plan);
    for rendering in renderings {
        let (about, rendered) = match rendering {
            Rendering::Done(about, rendered) => (about, rendered),
            Rendering::Pending(study) => (study.about(), study.render(results)),
        };
        let rendered = rendered.with_context(|| format!("rendering study '{}'", about.title))?;
        for (name, bytes) in rendered.files {
            files.write(name, &bytes)?;
        }
        report.push_str(&about.heading());
        report.push_str(&rendered.section);
    }
    Ok(report)
}

/// `manifest.json`: only what the run's configuration determines, so that two
/// sweeps with the same flags write the same bytes (the time it took goes to
/// the terminal).
#[derive(Serialize)]
struct Manifest<'a> {
    program: &'static str,
    version: &'static str,
    command: String,
    plan: &'a Plan,
    out: String,
    /// Training steps over all runs (runs × iterations).
    training_steps: u64,
    /// The fast path's exponential in this process: `inline-fma`, `inline-fma-avx2` or `libm`.
    exp: &'static str,
    /// Every other file of the run, in the order written, with its SHA-256.
    files: Vec<FileHash<'a>>,
}

#[derive(Serialize)]
struct FileHash<'a> {
    name: &'a str,
    sha256: String,
}

/// The manifest of the files committed, with the SHA-256 of each (hashed as
/// it was written: no file is read back or held whole for it).
fn manifest(plan: &Plan, args: &SweepArgs, hashes: &[(&'static str, String)], steps: u64) -> Result<Vec<u8>> {
    let command = format!("{} --out {}", plan.command(), plan::shell_quoted(&args.out.display().to_string()));
    let files = hashes.iter().map(|(name, sha256)| FileHash { name, sha256: sha256.clone() }).collect();
    let m = Manifest {
        program: "experiments",
        version: env!("CARGO_PKG_VERSION"),
        command,
        plan,
        out: args.out.display().to_string(),
        training_steps: steps,
        exp: perceptron::exp::implementation(),
        files,
    };
    let mut bytes = serde_json::to_vec_pretty(&m)?;
    bytes.push(b'\n');
    Ok(bytes)
}
