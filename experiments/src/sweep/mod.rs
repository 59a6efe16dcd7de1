//! `sweep`: the notebook's studies and its TODO list, run in parallel with rayon
//! and written to `--out` as CSVs, SVG plots, a Markdown report and a manifest.
//! The studies are listed once, in `study::STUDIES`, each in its own module.
//!
//! Reproducibility: every run is a pure function of its configuration, jobs
//! are collected in a fixed order whatever the thread count, and summaries are
//! folded sequentially, so the CSVs and SVGs are byte-identical from run to run
//! and with any `RAYON_NUM_THREADS`.
//!
//! Parallelism: the jobs of the groups of runs (`runs::groups`, up to 8 seeds
//! a job) are trained in order, a window of jobs at a time, beside the studies
//! that read only the plan (`Study::OwnRuns`: they train their own runs, and
//! render), all on one rayon pool; then the other studies render, one after
//! the other, from the shared training's [`Results`].
//!
//! Memory: each group is folded as soon as its last job is in, into what the
//! studies read: curve quantiles for a model on all rows, table rows and a
//! summary row for a removal. Only the fixed-size summaries of the runs on all
//! rows are kept to the end (studies B and D write one row per run and take
//! medians), and `removal.csv` (14 rows per seed) is streamed into its
//! temporary in `--out`. The files of the studies that train their own runs
//! (independent of `--seeds`, 1.9 MB by default) are held until the training
//! ends; every other file goes into its temporary as soon as it is rendered.
//!
//! Output: every file but the manifest goes through one `files::Files`, which
//! renames them all into place at the end, each atomically (see `crate::output`).

mod files;
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
pub use plan::{CURVE_POINTS, Plan};
use runs::RunSummary;
pub use study::help as studies_help;
use study::{About, FromResults, Rendered, STUDIES, Study, convergence, notebook, removal};

/// The report's name in `--out`; it is written after every study's files.
const REPORT: &str = "README.md";

/// The runs of one model on all rows (study B reads the one-layer model's, D all).
pub struct ModelRuns {
    pub architecture: Architecture,
    /// One summary per seed, in seed order.
    pub runs: Vec<RunSummary>,
    /// The `convergence_curves.csv` rows of the model: quantiles over its runs,
    /// computed as soon as its group is trained (its curves are then dropped).
    pub curve: Vec<convergence::CurveRow>,
}

/// What the shared training found, for the studies that render from it
/// ([`Study::Shared`]).
pub struct Results {
    pub plan: Plan,
    /// Study A's runs.
    pub notebook: notebook::Runs,
    /// The one-layer model, then each two-layer size, all rows.
    pub models: Vec<ModelRuns>,
    /// Study C, folded while training: no run of it is kept.
    pub removal: removal::Findings,
    /// Runs trained on the fast path for studies B–D.
    pub run_count: usize,
}

impl Results {
    /// The one-layer model's runs on all rows (study B).
    fn seed_runs(&self) -> Vec<&RunSummary> {
        self.runs_of(Architecture::OneLayer)
    }

    /// The swept models, in [`Results::models`] order.
    fn architectures(&self) -> Vec<Architecture> {
        self.models.iter().map(|m| m.architecture).collect()
    }

    /// The runs and curve of one swept model.
    fn model(&self, architecture: Architecture) -> &ModelRuns {
        self.models.iter().find(|m| m.architecture == architecture).expect("a swept model")
    }

    /// The runs of one swept model, in seed order.
    fn runs_of(&self, architecture: Architecture) -> Vec<&RunSummary> {
        self.model(architecture).runs.iter().collect()
    }
}

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
    let (results, removal_csv) = trained?;
    files.keep(removal_csv)?;
    let report = write_studies(&results, renderings, &mut files)?;
    files.write(REPORT, report.as_bytes())?;
    let steps = training_steps(&results);
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
        results.run_count + results.notebook.count(),
        crate::error::cut_path(&args.out)
    ));
    Ok(ExitCode::SUCCESS)
}

/// Trains everything the [`Study::Shared`] studies read, in parallel, with a
/// progress bar on a terminal; study C streams `removal.csv` into `files` as
/// its groups are trained, and the stream comes back with the results, to be
/// kept.
///
/// # Errors
/// The streamed table could not be written.
fn compute(plan: &Plan, files: &Files) -> Result<(Results, Stream)> {
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
    let (notebook, trained) = rayon::join(|| notebook::train(plan), || train_groups(plan, &groups, files, &progress));
    progress.finish_and_clear();
    let Trained { models, removal, removal_csv, run_count } = trained?;
    Ok((Results { plan: plan.clone(), notebook, models, removal, run_count }, removal_csv))
}

/// Jobs trained in parallel between two folds in [`train_groups`]: enough
/// that the threads rarely wait for the last job of a window (a group has
/// `⌈seeds / LANES⌉` jobs, 13 by default), few enough that a window's outcomes
/// stay small.
const WINDOW: usize = 64;

/// Trains the groups' jobs in order, [`WINDOW`] jobs at a time in parallel
/// (a window may span groups), and folds each group into what the studies read
/// as soon as its last job is in: memory holds one group's runs and curves at a
/// time, not all of them (the jobs come back in order whatever the thread count).
fn train_groups(
    plan: &Plan,
    groups: &[(Architecture, Vec<usize>)],
    files: &Files,
    progress: &ProgressBar,
) -> Result<Trained> {
    let table = plan.data.table();
    let mut fold = GroupFold {
        curve_iterations: plan.curve_iterations(),
        models: Vec::new(),
        removal: removal::fold(files, table)?,
        run_count: 0,
    };
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
        let outcomes: Vec<_> = window
            .par_iter()
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
    let (removal, removal_csv) = fold.removal.finish()?;
    Ok(Trained { models: fold.models, removal, removal_csv, run_count: fold.run_count })
}

/// What [`train_groups`] has folded so far.
struct GroupFold<'a> {
    curve_iterations: Vec<u64>,
    models: Vec<ModelRuns>,
    removal: removal::Fold<'a, Stream>,
    run_count: usize,
}

impl GroupFold<'_> {
    /// Folds one whole group: a model on all rows keeps its runs and its curve
    /// quantiles; a removal goes to study C's fold.
    fn group(
        &mut self,
        (architecture, removed): &(Architecture, Vec<usize>),
        mut runs: Vec<RunSummary>,
        curves: Vec<Vec<f64>>,
    ) -> Result<()> {
        self.run_count += runs.len();
        if removed.is_empty() {
            // Kept to the end: without the slack of the pushes that built it
            // (up to as much again, 100 MB at 10⁵ seeds).
            runs.shrink_to_fit();
            let curve = convergence::curve_rows(&architecture.label(), &curves, &self.curve_iterations);
            self.models.push(ModelRuns { architecture: *architecture, runs, curve });
        } else {
            self.removal.group(removed, &runs)?;
        }
        Ok(())
    }
}

/// What [`train_groups`] returns.
struct Trained {
    models: Vec<ModelRuns>,
    removal: removal::Findings,
    removal_csv: Stream,
    run_count: usize,
}

/// Steps of the fast path (the crosscheck's candle and fast-path replays are not counted).
fn training_steps(results: &Results) -> u64 {
    let runs = (results.run_count + results.notebook.count()) as u64;
    runs * results.plan.iterations
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
