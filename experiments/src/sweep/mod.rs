//! `sweep`: the notebook's studies and its TODO list, run in parallel with rayon
//! and written to `--out` as CSVs, SVG plots, a Markdown report and a manifest.
//!
//! - A. the notebook's run (seed 1): sigmoid, network diagram, errors, weights;
//! - B. every seed `0..N`: final weights and the `[1, 0, 0]` prediction;
//! - C. each of the 14 non-empty proper subsets of rows removed, every seed;
//! - D. one layer against 3→H→1 for each `--hidden` size: convergence;
//! - E. a sample of those runs trained again with candle's autograd (`crosscheck`).
//! - F. all 16 truth tables × models × seeds (`study::truth_tables`), and the
//!   decision surfaces of one and two layers on `x1` and `xor` (`study::surfaces`).
//! - G. learning rates 0.1 to 100 × models × seeds: iterations to settle (`learning_rate`);
//! - the loss landscape L(w1, w3) of the notebook's run with its training path (`landscape`).
//!
//! Reproducibility: every run is a pure function of its configuration, jobs
//! are collected in a fixed order whatever the thread count, and summaries are
//! folded sequentially, so the CSVs and SVGs are byte-identical from run to run
//! and with any `RAYON_NUM_THREADS`.
//!
//! Parallelism: the jobs of the groups of runs (`runs::groups`, up to 8 seeds
//! a job) are trained in order, a window of jobs at a time, beside study E's
//! candle sample and beside the studies that read only the plan (F, G, the
//! surfaces and the landscape train their own runs, and render), all on one
//! rayon pool; then the other studies render, one after the other.
//!
//! Memory: each group is folded as soon as its last job is in, into what the
//! studies read: curve quantiles for a model on all rows, table rows and a
//! summary row for a removal. Only the fixed-size summaries of the runs on all
//! rows are kept to the end (studies B and D write one row per run and take
//! medians), and `removal.csv` (14 rows per seed) is streamed into its
//! temporary in `--out`. The files of the studies that train their own runs
//! (independent of `--seeds`, 1.9 MB by default) are held until the training
//! ends; every other file goes into its temporary as soon as it is rendered.
//! Every file is renamed into place only at the end, each atomically (see
//! `crate::output`).

mod numbers;
mod plan;
mod plots;
mod report;
mod runs;
mod stats;
mod study;
mod tables;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use perceptron::{Architecture, Config, Schedule};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::SweepArgs;
use crate::output::{AtomicFile, OutputLock, write_atomic};
pub use plan::{CURVE_POINTS, Plan};
use runs::RunSummary;
pub use study::help as studies_help;
use study::{Content, OutputFile, Study};
use tables::{CurveRow, RemovalSummaryRow};

/// The notebook's run (A), recorded densely.
pub struct NotebookStudy {
    pub one: perceptron::Trained,
    pub two: Option<perceptron::Trained>,
}

/// The runs of one model on all rows (study B reads the one-layer model's, D all).
pub struct ModelRuns {
    pub architecture: Architecture,
    /// One summary per seed, in seed order.
    pub runs: Vec<RunSummary>,
    /// The `convergence_curves.csv` rows of the model: quantiles over its runs,
    /// computed as soon as its group is trained (its curves are then dropped).
    pub curve: Vec<CurveRow>,
}

/// Study C, folded as each group of runs with rows removed is trained: no run
/// of it is kept.
pub struct RemovalFindings {
    /// `removal.csv` in group then seed order (14 rows per seed), whole; `None`
    /// when it was streamed into its temporary in `--out` (see [`Results::staged`]).
    pub csv: Option<Vec<u8>>,
    /// One `removal_summary.csv` row per removed subset, in group order.
    pub summary: Vec<RemovalSummaryRow>,
    /// Per removed subset, the runs that output 1 for everything (see
    /// `study::removal::everything_one`), in group order.
    pub everything_one: Vec<study::EverythingOne>,
}

/// Everything the files are made from.
pub struct Results {
    pub plan: Plan,
    pub notebook: NotebookStudy,
    /// The one-layer model, then each two-layer size, all rows.
    pub models: Vec<ModelRuns>,
    pub removal: RemovalFindings,
    /// Runs trained on the fast path for studies B–D.
    pub run_count: usize,
    /// Files written while training, by name, waiting for their rename.
    pub staged: Vec<(String, AtomicFile)>,
}

impl Results {
    /// The one-layer model's runs on all rows (study B).
    fn seed_runs(&self) -> Vec<&RunSummary> {
        self.model_runs(Architecture::OneLayer)
    }

    fn models(&self) -> Vec<Architecture> {
        self.models.iter().map(|m| m.architecture).collect()
    }

    fn model(&self, architecture: Architecture) -> &ModelRuns {
        self.models.iter().find(|m| m.architecture == architecture).expect("a swept model")
    }

    fn model_runs(&self, architecture: Architecture) -> Vec<&RunSummary> {
        self.model(architecture).runs.iter().collect()
    }
}

/// Runs `sweep`.
pub fn run(args: &SweepArgs) -> Result<ExitCode> {
    let plan = Plan::from_args(args)?;
    let lock = OutputLock::acquire(&args.out)?;
    let started = Instant::now();
    // The studies that read only the plan train and render while the shared training runs.
    let (results, early) = rayon::join(|| compute(&plan, Some(&args.out)), || render_own_runs(&plan));
    let mut results = results?;
    // Each file goes into its temporary as soon as it is rendered (the
    // `OwnRuns` studies' files, independent of `--seeds`, were held until
    // now); all are renamed into place at the end.
    let mut staged = std::mem::take(&mut results.staged);
    let mut names = Vec::new();
    render(&results, early, |(name, content)| {
        if let Content::Bytes(bytes) = content {
            let mut file = AtomicFile::create(&args.out, &name)?;
            file.write_all(&bytes).with_context(|| format!("writing '{}'", args.out.join(&name).display()))?;
            staged.push((name.clone(), file));
        }
        names.push(name);
        Ok(())
    })?;
    let steps = training_steps(&results);
    let wall_seconds = started.elapsed().as_secs_f64();
    let declared: Vec<&str> = study::declared_files().chain(["README.md"]).collect();
    anyhow::ensure!(names == declared, "the studies wrote {names:?}, not the files they declare, {declared:?}");
    let manifest = manifest(&plan, args, &names, steps, wall_seconds)?;
    for name in &names {
        let at = staged.iter().position(|(n, _)| n == name).expect("every rendered file is staged");
        staged.swap_remove(at).1.commit()?;
    }
    write_atomic(&args.out, "manifest.json", &manifest)?;
    drop(lock);
    crate::console::stderr_line(&format!(
        "sweep: {} runs, {steps} training steps in {wall_seconds:.2} s; wrote {} files to {}",
        results.run_count + 1 + usize::from(results.notebook.two.is_some()),
        names.len() + 1,
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// Trains everything, in parallel, with a progress bar on a terminal.
/// With `stage` (the locked `--out`), `removal.csv` is streamed into its
/// temporary there as its groups are trained; without, it is kept in memory.
///
/// # Errors
/// The streamed table could not be written.
pub fn compute(plan: &Plan, stage: Option<&Path>) -> Result<Results> {
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
    let (notebook, trained) = rayon::join(
        || NotebookStudy {
            one: perceptron::train(&notebook_config(Architecture::OneLayer), &dense),
            two: plan
                .diagram_hidden()
                .map(|hidden| perceptron::train(&notebook_config(Architecture::TwoLayer { hidden }), &Schedule::Ends)),
        },
        || train_groups(plan, &groups, stage, &progress),
    );
    progress.finish_and_clear();
    let Trained { models, removal, run_count, staged } = trained?;
    Ok(Results { plan: plan.clone(), notebook, models, removal, run_count, staged })
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
    stage: Option<&Path>,
    progress: &ProgressBar,
) -> Result<Trained> {
    let mut fold = GroupFold {
        curve_iterations: plan.curve_iterations(),
        models: Vec::new(),
        removal_csv: csv::Writer::from_writer(match stage {
            Some(dir) => Sink::Staged(AtomicFile::create(dir, "removal.csv")?),
            None => Sink::Memory(Vec::new()),
        }),
        removal_summary: Vec::new(),
        everything_one: Vec::new(),
        run_count: 0,
        table: plan.data.table(),
    };
    let mut jobs = groups.iter().enumerate().flat_map(|(g, (architecture, removed))| {
        runs::group_jobs(plan, *architecture, removed).into_iter().map(move |job| (g, job))
    });
    // The group being gathered (groups before it are folded): its index, runs and curves.
    let (mut current, mut runs, mut curves) = (0, Vec::new(), Vec::new());
    loop {
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
    let (csv, staged) = match fold.removal_csv.into_inner().map_err(|e| e.into_error())? {
        Sink::Memory(bytes) => (Some(bytes), Vec::new()),
        Sink::Staged(file) => (None, vec![("removal.csv".to_owned(), file)]),
    };
    Ok(Trained {
        models: fold.models,
        removal: RemovalFindings { csv, summary: fold.removal_summary, everything_one: fold.everything_one },
        run_count: fold.run_count,
        staged,
    })
}

/// What [`train_groups`] has folded so far.
struct GroupFold<'a> {
    curve_iterations: Vec<u64>,
    models: Vec<ModelRuns>,
    removal_csv: csv::Writer<Sink>,
    removal_summary: Vec<RemovalSummaryRow>,
    everything_one: Vec<study::EverythingOne>,
    run_count: usize,
    table: &'a [([f64; 3], f64)],
}

impl GroupFold<'_> {
    /// Folds one whole group: a model on all rows keeps its runs and its curve
    /// quantiles; a removal writes its `removal.csv` rows and summaries.
    fn group(
        &mut self,
        (architecture, removed): &(Architecture, Vec<usize>),
        runs: Vec<RunSummary>,
        curves: Vec<Vec<f64>>,
    ) -> Result<()> {
        self.run_count += runs.len();
        if removed.is_empty() {
            let curve = tables::curve_rows(&architecture.label(), &curves, &self.curve_iterations);
            self.models.push(ModelRuns { architecture: *architecture, runs, curve });
        } else {
            for run in &runs {
                self.removal_csv.serialize(tables::removal_row(run))?;
            }
            let runs: Vec<&RunSummary> = runs.iter().collect();
            self.removal_summary.extend(tables::removal_summary(&runs, std::slice::from_ref(removed), self.table));
            let (count, lowest) = study::everything_one(&runs);
            self.everything_one.push((removed.clone(), count, runs.len(), lowest));
        }
        Ok(())
    }
}

/// What [`train_groups`] returns.
struct Trained {
    models: Vec<ModelRuns>,
    removal: RemovalFindings,
    run_count: usize,
    staged: Vec<(String, AtomicFile)>,
}

/// Where a streamed table goes.
enum Sink {
    Memory(Vec<u8>),
    Staged(AtomicFile),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Memory(bytes) => bytes.write(buf),
            Sink::Staged(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Memory(_) => Ok(()),
            Sink::Staged(file) => file.flush(),
        }
    }
}

/// Steps of the fast path (the crosscheck's candle and fast-path replays are not counted).
fn training_steps(results: &Results) -> u64 {
    let runs = results.run_count as u64 + 1 + u64::from(results.notebook.two.is_some());
    runs * results.plan.iterations
}

/// Renders the [`Study::OwnRuns`] studies, in parallel (they train their own
/// runs): their renderings in the order of [`study::STUDIES`].
fn render_own_runs(plan: &Plan) -> Vec<Result<study::Rendered>> {
    study::STUDIES
        .par_iter()
        .filter_map(|study| match *study {
            Study::OwnRuns(study) => Some(study.render(plan).with_context(|| context(study.about()))),
            Study::Shared(_) => None,
        })
        .collect()
}

/// The context of a study's rendering error.
fn context(about: &study::About) -> String {
    format!("rendering study '{}'", about.title)
}

/// Every output file but the manifest, handed to `emit` one at a time: each
/// study's files in the order of [`study::STUDIES`] (a [`Study::OwnRuns`]
/// study's from `early`, what [`render_own_runs`] made; the others rendered
/// here, one at a time, from `results`), then `README.md` made of their sections.
///
/// # Errors
/// A study could not render, or `emit` failed.
pub fn render(
    results: &Results,
    early: Vec<Result<study::Rendered>>,
    mut emit: impl FnMut(OutputFile) -> Result<()>,
) -> Result<()> {
    let mut readme = report::header(&results.plan);
    let mut early = early.into_iter();
    for study in study::STUDIES {
        let rendered = match *study {
            Study::OwnRuns(_) => early.next().expect("render_own_runs renders every OwnRuns study")?,
            Study::Shared(study) => study.render(results).with_context(|| context(study.about()))?,
        };
        readme.push_str(&study.about().heading());
        for file in rendered.files {
            emit(file)?;
        }
        readme.push_str(&rendered.section);
    }
    debug_assert!(early.next().is_none(), "one early rendering per OwnRuns study");
    emit(("README.md".to_owned(), Content::Bytes(readme.into_bytes())))
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
    /// The fast path's exponential in this process: `inline-fma`, `inline-fma-avx2` or `libm`.
    exp: &'static str,
}

fn manifest(plan: &Plan, args: &SweepArgs, files: &[String], steps: u64, wall_seconds: f64) -> Result<Vec<u8>> {
    let command = format!("{} --out {}", plan.command(), args.out.display());
    let m = Manifest {
        program: "experiments",
        version: env!("CARGO_PKG_VERSION"),
        command,
        plan,
        out: args.out.display().to_string(),
        training_steps: steps,
        wall_seconds,
        threads: rayon::current_num_threads(),
        files: files.iter().map(String::as_str).collect(),
        exp: perceptron::exp::implementation(),
    };
    let mut bytes = serde_json::to_vec_pretty(&m)?;
    bytes.push(b'\n');
    Ok(bytes)
}
