use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    factlint::cli::run(factlint::cli::Cli::parse())
}
