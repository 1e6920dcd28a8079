//! The command line: argument definitions and the `check` command's shell
//! (loading packs, walking paths, choosing a reporter, the exit code).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::diagnostic::Severity;
use crate::discover;
use crate::kb::{default_pack, load, KnowledgeBase};
use crate::lint::{Linter, Settings};
use crate::report::{self, Color, Summary};
use crate::walk;

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or input error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "factlint",
    version,
    about = "Checks editorial content for name and fact inconsistencies against a knowledge base"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (.txt, .md, .markdown when walking).
    Check(CheckArgs),
    /// Find names spelled more than one way and print them as
    /// knowledge-base entries (TOML) to check and paste into a pack.
    Discover(DiscoverArgs),
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Files and directories to read (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Add a knowledge-base pack whose names are already known: a TOML
    /// file, or a directory of them.
    #[arg(long = "rules", value_name = "FILE_OR_DIR")]
    pub rules: Vec<PathBuf>,

    /// Do not load the embedded default pack (so its names are discovered
    /// too).
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Add a knowledge-base pack: a TOML file, or a directory of them.
    #[arg(long = "rules", value_name = "FILE_OR_DIR")]
    pub rules: Vec<PathBuf>,

    /// Do not load the embedded default pack.
    #[arg(long)]
    pub no_default_rules: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Exit with 1 when there is a finding of this severity or higher.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Judge every document at this date (YYYY-MM-DD) instead of the date
    /// found in it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,

    /// The date undated documents are judged at (default: the system
    /// clock's today). For reproducible tests and archive runs.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, hide = true)]
    pub today: Option<Date>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or_else(|| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Annotated source snippets, like rustc.
    Human,
    /// One JSON object for the whole run.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn resolve(self, stream_is_terminal: bool) -> Color {
        match self {
            ColorChoice::Always => Color::Always,
            ColorChoice::Never => Color::Never,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                if stream_is_terminal && !no_color {
                    Color::Always
                } else {
                    Color::Never
                }
            }
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Discover(args) => discover(&args),
    }
}

fn discover(args: &DiscoverArgs) -> ExitCode {
    let mut stderr = io::stderr().lock();
    let stderr_color = ColorChoice::Auto.resolve(io::stderr().is_terminal());
    let mut packs = if args.no_default_rules {
        Vec::new()
    } else {
        default_pack::sources()
    };
    let (user_packs, pack_read_errors) = load::read_pack_paths(&args.rules);
    packs.extend(user_packs);
    if !pack_read_errors.is_empty() {
        for error in &pack_read_errors {
            let _ = writeln!(stderr, "error: {error}");
        }
        return ExitCode::from(EXIT_ERROR);
    }
    // With no pack at all there is nothing known to leave out.
    let linter = if packs.is_empty() {
        None
    } else {
        let knowledge_base = match KnowledgeBase::load(packs) {
            Ok(knowledge_base) => knowledge_base,
            Err(failure) => {
                let _ =
                    stderr.write_all(report::kb_errors::render(&failure, stderr_color).as_bytes());
                return ExitCode::from(EXIT_ERROR);
            }
        };
        match Linter::new(knowledge_base, Settings::default()) {
            Ok(linter) => Some(linter),
            Err(error) => {
                let _ = writeln!(stderr, "error: {error}");
                return ExitCode::from(EXIT_ERROR);
            }
        }
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let walked = walk::collect(&paths);
    for (path, message) in &walked.errors {
        let _ = writeln!(stderr, "error: {}: {message}", path.display());
    }
    let (discovery, read_errors) = discover::discover_files(&walked.files, linter.as_ref());
    for (path, error) in &read_errors {
        let _ = writeln!(stderr, "error: {}: {error}", path.display());
    }
    let files = walked.files.len() - read_errors.len();
    let text = discover::render_toml(&discovery.clusters(), files);
    let mut out = io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::from(EXIT_CLEAN);
        }
        let _ = writeln!(stderr, "error: cannot write the entries: {error}");
        return ExitCode::from(EXIT_ERROR);
    }
    if walked.errors.is_empty() && read_errors.is_empty() {
        ExitCode::from(EXIT_CLEAN)
    } else {
        ExitCode::from(EXIT_ERROR)
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let mut stderr = io::stderr().lock();
    let stderr_color = args.color.resolve(io::stderr().is_terminal());

    let mut packs = if args.no_default_rules {
        Vec::new()
    } else {
        default_pack::sources()
    };
    let (user_packs, pack_read_errors) = load::read_pack_paths(&args.rules);
    packs.extend(user_packs);
    if !pack_read_errors.is_empty() {
        for error in &pack_read_errors {
            let _ = writeln!(stderr, "error: {error}");
        }
        return ExitCode::from(EXIT_ERROR);
    }
    let knowledge_base = match KnowledgeBase::load(packs) {
        Ok(knowledge_base) => knowledge_base,
        Err(failure) => {
            let _ = stderr.write_all(report::kb_errors::render(&failure, stderr_color).as_bytes());
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let settings = Settings {
        date: args.date,
        today: args.today.unwrap_or_else(Date::today),
    };
    let linter = match Linter::new(knowledge_base, settings) {
        Ok(linter) => linter,
        Err(error) => {
            let _ = writeln!(stderr, "error: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let walked = walk::collect(&paths);
    for (path, message) in &walked.errors {
        let _ = writeln!(stderr, "error: {}: {message}", path.display());
    }
    let reports = linter.lint_files(&walked.files);
    let _ = report::write_read_errors(&reports, &mut stderr);

    let stdout = io::stdout();
    let stdout_color = args.color.resolve(stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        OutputFormat::Human => report::write_human(&reports, stdout_color, &mut out),
        OutputFormat::Json => report::write_json(&reports, &mut out),
    }
    .and_then(|()| out.flush());
    if let Err(error) = written {
        // A closed pipe (`factlint check | head`) is the reader's choice.
        if error.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::from(EXIT_CLEAN);
        }
        let _ = writeln!(stderr, "error: cannot write the report: {error}");
        return ExitCode::from(EXIT_ERROR);
    }

    let summary = Summary::of(&reports);
    if !walked.errors.is_empty() || summary.unreadable > 0 {
        ExitCode::from(EXIT_ERROR)
    } else if summary.at_or_above(args.fail_on.severity()) > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
