//! `experiments`: the perceptron-lab command line.
//!
//! `main` only parses the command line and maps errors to exit codes; each
//! subcommand's work is in its own module (`train`, `check`, …) behind a `run` function.
//! Exit codes: 0 success, 1 runtime failure (I/O, a failed check), 2 usage error.

mod check;
mod cli;
mod console;
mod data;
mod error;
mod format;
mod output;
mod sweep;
mod train;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return cli::report_usage_error(&err),
    };
    let result = match cli.command {
        Command::Train(args) => train::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Sweep(args) => sweep::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One line: the error and its causes, outermost first.
            let causes: Vec<String> = err.chain().map(ToString::to_string).collect();
            console::stderr_line(&format!("error: {}", causes.join(": ")));
            ExitCode::from(error::exit_code(&err))
        }
    }
}
