//! `experiments`: the perceptron-lab command line.
//!
//! `main` only parses the command line, starts the thread pool and maps errors
//! to exit codes; each subcommand's work is in its own module (`train`, `check`,
//! …) behind a `run` function. Exit codes: 0 success, 1 runtime failure (I/O, a
//! failed check, threads that cannot start), 2 usage error. Nothing here or below
//! writes with `eprintln!`/`println!` (they panic on a closed or full stream):
//! stderr goes through `console::stderr_line`, stdout through `output::print_stdout`.

#![deny(clippy::print_stderr, clippy::print_stdout)]

mod check;
mod cli;
mod compare;
mod console;
mod data;
mod error;
mod format;
mod interrupt;
mod notebook;
mod output;
mod request;
mod serve;
mod sha256;
mod sweep;
mod threads;
mod train;

use std::process::ExitCode;

use cli::{ClapOutcome, Cli, Command};

fn main() -> ExitCode {
    let parsed = cli::command(&sweep::studies_help())
        .try_get_matches()
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let result = match parsed {
        // An unknown PERCEPTRON_EXP is refused, not silently taken as libm.
        Ok(cli) => match perceptron::exp::requested() {
            Ok(_) => dispatch(cli),
            Err(unknown) => Err(error::UsageError::new(format!(
                "PERCEPTRON_EXP='{}': {}",
                error::cut(&unknown.value),
                perceptron::exp::UnknownExp::ACCEPTED
            ))
            .into()),
        },
        Err(err) => match cli::clap_outcome(err) {
            ClapOutcome::Stdout(text) => output::print_stdout(&text).map(|()| ExitCode::SUCCESS),
            ClapOutcome::Usage(usage) => Err(usage.into()),
        },
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One line: the error and its causes, outermost first. Values are
            // escaped where they are echoed; escaping the whole line as well
            // keeps a cause that quotes one (an OS error naming a path) on it.
            let causes: Vec<String> = err.chain().map(ToString::to_string).collect();
            console::stderr_line(&format!("error: {}", error::escaped(&causes.join(": "))));
            ExitCode::from(error::exit_code(&err))
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Train(args) => train::run(&args),
        Command::Check(args) => {
            threads::start_pool()?;
            check::run(&args)
        }
        Command::Sweep(args) => {
            threads::start_pool()?;
            sweep::run(&args)
        }
        Command::Serve(args) => serve::run(&args),
    }
}
