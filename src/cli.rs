//! The command line: argument definitions and the `check` command's shell
//! (loading packs, walking paths, choosing a reporter, the exit code).

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::baseline::{Baseline, BaselineFile};
use crate::config::{self, Config};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover;
use crate::document::Document;
use crate::fix;
use crate::kb::{default_pack, load, KnowledgeBase};
use crate::lint::{FileReport, Linter, Settings};
use crate::progress::{self, Progress};
use crate::report::stream::StreamFormat;
use crate::report::{self, portable_path, Color, Summary};
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
    /// Lint files and directories (.txt, .md, .markdown, .html, .htm when walking).
    Check(CheckArgs),
    /// Print the settings in force: factlint.toml over the built-in
    /// defaults, as TOML.
    Config {
        /// Use this configuration file instead of looking for factlint.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// List every rule with its default severity and what it flags.
    Rules,
    /// Print a rule's documentation: what it flags, why, an example, how to
    /// fix and configure it.
    Explain {
        /// The rule id, as `factlint rules` lists it.
        rule: String,
    },
    /// Print a completion script for a shell, e.g.
    /// `factlint completions bash > ~/.local/share/bash-completion/completions/factlint`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Find names spelled more than one way and print them as
    /// knowledge-base entries (TOML) to check and paste into a pack.
    Discover(DiscoverArgs),
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Files and directories to read (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub packs: PackArgs,
}

/// Which knowledge-base packs to load; `check` and `discover` share them.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// Add a knowledge-base pack: a TOML file, or a directory of them.
    #[arg(long = "rules", value_name = "FILE_OR_DIR")]
    pub rules: Vec<PathBuf>,

    /// Do not load the embedded default pack.
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub packs: PackArgs,

    /// Use this configuration file instead of looking for factlint.toml in
    /// the working directory and its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run only these rules (comma-separated ids, or `all`); replaces the
    /// configuration's `select`, and its `ignore` for the rules named here.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids); added to the
    /// configuration's `ignore`.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when there is a finding of this severity or higher
    /// (default: the configuration's `fail-on`, else error).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

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

    /// Print findings only: no summary line, no progress bar, no notes.
    #[arg(long, short)]
    pub quiet: bool,

    /// Apply each suggestion that is the only one for its finding, then
    /// report the findings that are left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print what --fix would change as a unified diff; write nothing.
    #[arg(long)]
    pub diff: bool,

    /// Report only the findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in FILE, to adopt factlint on an existing
    /// archive, and report nothing.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["baseline", "fix", "diff"]
    )]
    pub write_baseline: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or_else(|| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Annotated source snippets, like rustc, and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[rule]: message`.
    Short,
    /// One JSON object for the whole run.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations.
    Github,
    /// reviewdog's diagnostic format, with suggested changes.
    Rdjson,
    /// One self-contained HTML page showing every finding in its article.
    Html,
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
        Command::Config { config } => match load_config(config.as_deref()) {
            Ok(config) => print_out(&config.to_toml()),
            Err(code) => code,
        },
        Command::Rules => {
            let mut out = String::new();
            for rule in crate::rules::RULES {
                let meta = rule.meta();
                out.push_str(&format!(
                    "{:<20} {:<8} {}\n",
                    meta.id,
                    meta.default_severity.as_str(),
                    meta.summary
                ));
            }
            print_out(&out)
        }
        Command::Explain { rule } => explain(&rule),
        Command::Completions { shell } => {
            let mut stdout = io::stdout();
            clap_complete::generate(shell, &mut Cli::command(), "factlint", &mut stdout);
            ExitCode::from(EXIT_CLEAN)
        }
        Command::Discover(args) => run_discover(&args),
    }
}

fn run_discover(args: &DiscoverArgs) -> ExitCode {
    let mut stderr = io::stderr().lock();
    let stderr_color = ColorChoice::Auto.resolve(io::stderr().is_terminal());
    let mut packs = if args.packs.no_default_rules {
        Vec::new()
    } else {
        default_pack::sources()
    };
    let (user_packs, pack_read_errors) = load::read_pack_paths(&args.packs.rules);
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
    let walked = walk::collect(&paths, &|_| true);
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
    // Not locked: the progress bar writes to stderr from worker threads.
    let mut stderr = io::stderr();
    let stderr_color = args.color.resolve(io::stderr().is_terminal());

    let config = match load_config(args.config.as_deref()) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let config = match layer_command_line(config, args) {
        Ok(config) => config,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut packs = if config.default_pack {
        default_pack::sources()
    } else {
        Vec::new()
    };
    let (user_packs, pack_read_errors) = load::read_pack_paths(&config.packs);
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
    let defaults = crate::near_miss::Thresholds::default();
    let settings_today = args.today.unwrap_or_else(Date::today);
    let settings = Settings {
        date: args.date,
        today: settings_today,
        near_miss: crate::near_miss::Thresholds {
            max_edits: config.near_miss.max_edits.unwrap_or(defaults.max_edits),
            min_length: config.near_miss.min_length.unwrap_or(defaults.min_length),
            min_similarity: config
                .near_miss
                .min_similarity
                .unwrap_or(defaults.min_similarity),
        },
        config: config.clone(),
    };
    let linter = match Linter::new(knowledge_base, settings) {
        // Never dropped: the process ends right after, and freeing a large
        // knowledge base piece by piece took half a second at 100,000
        // entities.
        Ok(linter) => std::mem::ManuallyDrop::new(linter),
        Err(error) => {
            let _ = writeln!(stderr, "error: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let baseline = match args.baseline.as_deref().map(load_baseline).transpose() {
        Ok(baseline) => baseline,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let walked = walk::collect(&paths, &|path| config.walk_includes(path));
    for (path, message) in &walked.errors {
        let _ = writeln!(stderr, "error: {}: {message}", path.display());
    }
    if let Some(format) = stream_format(args) {
        return check_streaming(
            args,
            &linter,
            &walked.files,
            format,
            baseline.as_ref(),
            !walked.errors.is_empty(),
            config.fail_on,
        );
    }
    let mut reports = lint_with_progress(&linter, &walked.files, args.quiet);
    let _ = report::write_read_errors(&reports, &mut stderr);
    let mut failed = !walked.errors.is_empty() || Summary::of(&reports).unreadable > 0;

    if let Some(path) = &args.write_baseline {
        let baseline = BaselineFile::from_reports(&reports);
        if let Err(error) = fix::write_atomically(path, baseline.to_json().as_bytes()) {
            let _ = writeln!(
                stderr,
                "error: {}: cannot write the baseline: {}",
                path.display(),
                walk::describe_io_error(&error)
            );
            return ExitCode::from(EXIT_ERROR);
        }
        if !args.quiet {
            let _ = writeln!(
                stderr,
                "factlint: recorded {} in {}",
                count(baseline.findings.len(), "finding"),
                path.display()
            );
        }
        return ExitCode::from(if failed { EXIT_ERROR } else { EXIT_CLEAN });
    }
    if let Some(baseline) = &baseline {
        say_known_findings(baseline.filter(&mut reports), args.quiet);
    }

    let (mut out, out_color) = match open_output(args) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let written = if args.diff {
        write_diffs(&linter, &reports, baseline.as_ref(), &mut out)
    } else {
        if args.fix {
            failed |= fix_files(&linter, &mut reports, baseline.as_ref(), args.quiet);
        }
        match args.format {
            OutputFormat::Human if args.quiet => {
                report::write_human_diagnostics(&reports, out_color, &mut out)
            }
            OutputFormat::Human => report::write_human(&reports, out_color, &mut out),
            OutputFormat::Short => report::write_short(&reports, &mut out),
            OutputFormat::Json => report::write_json(&reports, &mut out),
            OutputFormat::Sarif => report::write_sarif(&reports, &mut out),
            OutputFormat::Github => report::write_github(&reports, &mut out),
            OutputFormat::Rdjson => report::write_rdjson(&reports, &mut out),
            OutputFormat::Html => {
                let run = run_info(&paths, linter.knowledge_base(), args.date, settings_today);
                report::write_html(&reports, &run, &mut out)
            }
        }
    }
    .and_then(|()| out.flush());
    if let Err(error) = written {
        return report_not_written(&error);
    }
    exit_code(failed, &Summary::of(&reports), config.fail_on)
}

/// The configuration: `--config FILE`, else factlint.toml in the working
/// directory or its parents, else the defaults. Errors are printed with
/// their place in the file; the run ends with status 2.
fn load_config(explicit: Option<&Path>) -> Result<Config, ExitCode> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|directory| config::discover(&directory)),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    Config::load(&path).map_err(|failure| {
        let color = ColorChoice::Auto.resolve(io::stderr().is_terminal());
        let _ = io::stderr().write_all(report::config_errors::render(&failure, color).as_bytes());
        ExitCode::from(EXIT_ERROR)
    })
}

/// Command-line flags over the configuration file.
fn layer_command_line(mut config: Config, args: &CheckArgs) -> Result<Config, String> {
    for id in args.select.iter().chain(&args.ignore) {
        if id != "all" && crate::rules::by_id(id).is_none() {
            return Err(format!("unknown rule `{id}`; `factlint rules` lists them"));
        }
    }
    config.packs.extend(args.packs.rules.iter().cloned());
    if args.packs.no_default_rules {
        config.default_pack = false;
    }
    if !args.select.is_empty() {
        // The command line's selection is the last word: the file's
        // ignores do not apply to rules named on it.
        config.select = args.select.clone();
        config.ignore.retain(|id| !args.select.contains(id));
    }
    config.ignore.extend(args.ignore.iter().cloned());
    if let Some(fail_on) = args.fail_on {
        config.fail_on = fail_on.severity();
    }
    Ok(config)
}

/// `factlint explain RULE`: the rule's doc comment, as written.
fn explain(rule: &str) -> ExitCode {
    let Some(found) = crate::rules::by_id(rule) else {
        let known: Vec<&str> = crate::rules::RULES
            .iter()
            .map(|rule| rule.meta().id)
            .collect();
        let _ = writeln!(
            io::stderr(),
            "error: no rule `{rule}`; the rules are: {}",
            known.join(", ")
        );
        return ExitCode::from(EXIT_ERROR);
    };
    let meta = found.meta();
    let mut out = format!(
        "{} ({} by default): {}\n\n",
        meta.id,
        meta.default_severity.as_str(),
        meta.summary
    );
    for line in meta.documentation.lines() {
        // Doc comments keep the space after `///`.
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    print_out(&out)
}

/// Whether the report is coloured: never in a file, on a terminal unless
/// `--color` says otherwise.
fn output_color(args: &CheckArgs) -> Color {
    args.color
        .resolve(args.output.is_none() && io::stdout().is_terminal())
}

/// Where the report goes (`--output` or stdout) and whether it is coloured.
fn open_output(args: &CheckArgs) -> Result<(Box<dyn Write>, Color), ExitCode> {
    let color = output_color(args);
    match &args.output {
        Some(path) => match File::create(path) {
            Ok(file) => Ok((
                Box::new(io::BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, file)),
                color,
            )),
            Err(error) => {
                let _ = writeln!(
                    io::stderr(),
                    "error: cannot write {}: {error}",
                    path.display()
                );
                Err(ExitCode::from(EXIT_ERROR))
            }
        },
        // A terminal shows each file's findings as they come; anything else
        // gets them in large writes, not one (or more) per file.
        None if io::stdout().is_terminal() => {
            Ok((Box::new(io::BufWriter::new(io::stdout().lock())), color))
        }
        None => Ok((
            Box::new(io::BufWriter::with_capacity(
                OUTPUT_BUFFER_BYTES,
                io::stdout().lock(),
            )),
            color,
        )),
    }
}

/// The report's buffer when it goes to a file or a pipe: an archive's JSON
/// report is tens of megabytes, written file by file in parts of a few
/// kilobytes each, one write call per part with the default 8 KB buffer.
const OUTPUT_BUFFER_BYTES: usize = 256 * 1024;

/// The formats written file by file while the run goes on. Fixing, diffs,
/// baselines being written and the HTML page need every file at once; the
/// SARIF and rdjson reporters collect too (a run of theirs is a pull
/// request, not an archive).
fn stream_format(args: &CheckArgs) -> Option<StreamFormat> {
    if args.fix || args.diff || args.write_baseline.is_some() {
        return None;
    }
    match args.format {
        OutputFormat::Human => Some(StreamFormat::Human {
            color: output_color(args),
            quiet: args.quiet,
        }),
        OutputFormat::Short => Some(StreamFormat::Short),
        OutputFormat::Json => Some(StreamFormat::Json),
        OutputFormat::Github => Some(StreamFormat::Github),
        OutputFormat::Sarif | OutputFormat::Rdjson | OutputFormat::Html => None,
    }
}

/// `check` for the streamed formats: lints and writes in one pass, holding
/// a chunk of files at a time.
fn check_streaming(
    args: &CheckArgs,
    linter: &Linter,
    files: &[(PathBuf, crate::document::Format)],
    format: StreamFormat,
    baseline: Option<&Baseline>,
    walk_failed: bool,
    fail_on: Severity,
) -> ExitCode {
    let mut stderr = io::stderr();
    let (mut out, _) = match open_output(args) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let progress = progress_bar(files.len(), args.quiet);
    let filter = selector(baseline);
    let written = report::stream::lint_and_write(
        linter,
        files,
        format,
        &filter,
        &|| progress.tick(),
        &mut io::stderr(),
        &mut out,
    )
    .and_then(|outcome| out.flush().map(|()| outcome));
    progress.finish();
    let outcome = match written {
        Ok(outcome) => outcome,
        Err(error) => return report_not_written(&error),
    };
    for path in &outcome.changed {
        let _ = writeln!(
            stderr,
            "error: {}: changed while factlint was running; its run-wide finding is not reported",
            path.display()
        );
    }
    if baseline.is_some() {
        say_known_findings(outcome.filtered, args.quiet);
    }
    let failed = walk_failed || outcome.summary.unreadable > 0 || !outcome.changed.is_empty();
    exit_code(failed, &outcome.summary, fail_on)
}

/// Writes a subcommand's output; a closed pipe is the reader's choice.
fn print_out(text: &str) -> ExitCode {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_ERROR),
        _ => ExitCode::from(EXIT_CLEAN),
    }
}

/// Lints files in parallel, reports in the order given, with a progress bar
/// when a person is watching a long run.
fn lint_with_progress(
    linter: &Linter,
    files: &[(PathBuf, crate::document::Format)],
    quiet: bool,
) -> Vec<FileReport> {
    let progress = progress_bar(files.len(), quiet);
    let reports = linter.lint_files_with(files, &|| progress.tick());
    progress.finish();
    reports
}

/// A progress bar over `files`, shown when a person is watching.
fn progress_bar(files: usize, quiet: bool) -> Progress {
    let ci = std::env::var_os("CI");
    let wanted = progress::wanted(io::stderr().is_terminal(), ci.as_deref(), quiet);
    Progress::new(files, wanted)
}

/// How a report that could not be written ends the run: a closed pipe
/// (`factlint check | head`) is the reader's choice.
fn report_not_written(error: &io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::from(EXIT_CLEAN);
    }
    let _ = writeln!(io::stderr(), "error: cannot write the report: {error}");
    ExitCode::from(EXIT_ERROR)
}

/// Says how many findings the baseline kept out of the report.
fn say_known_findings(known: usize, quiet: bool) {
    if known > 0 && !quiet {
        let _ = writeln!(
            io::stderr(),
            "factlint: {} recorded in the baseline not reported",
            count(known, "finding")
        );
    }
}

/// The exit code once the report is written.
fn exit_code(failed: bool, summary: &Summary, fail_on: Severity) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_ERROR)
    } else if summary.at_or_above(fail_on) > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

fn load_baseline(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "{}: cannot read the baseline: {}",
            path.display(),
            walk::describe_io_error(&error)
        )
    })?;
    Baseline::parse(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// The baseline filter as `fix` needs it: a fixed document's findings are
/// filtered like the ones first linted.
fn selector(
    baseline: Option<&Baseline>,
) -> impl Fn(&Path, &Document, Vec<Diagnostic>) -> Vec<Diagnostic> + Sync + '_ {
    move |path: &Path, document: &Document, mut diagnostics: Vec<Diagnostic>| {
        if let Some(baseline) = baseline {
            baseline.retain_new(&portable_path(path), &document.source, &mut diagnostics);
        }
        diagnostics
    }
}

/// Applies the fixes, writes the files, and leaves in each report the fixed
/// document and its remaining findings. Returns whether a write failed.
fn fix_files(
    linter: &Linter,
    reports: &mut [FileReport],
    baseline: Option<&Baseline>,
    quiet: bool,
) -> bool {
    let mut stderr = io::stderr();
    let plans = fix::plan(linter, reports, &selector(baseline));
    let mut failed = false;
    let (mut files, mut findings) = (0, 0);
    for (path, outcome) in fix::write(reports, plans) {
        let path = path.display();
        match outcome {
            fix::Outcome::Written { applied, converged } => {
                files += 1;
                findings += applied;
                if !converged {
                    let _ = writeln!(
                        stderr,
                        "warning: {path}: fixes kept producing new findings after {} passes; review the result",
                        fix::MAX_PASSES
                    );
                }
            }
            fix::Outcome::ChangedOnDisk => {
                let _ = writeln!(
                    stderr,
                    "warning: {path} changed since it was read; not fixed"
                );
            }
            fix::Outcome::Failed(error) => {
                failed = true;
                let _ = writeln!(
                    stderr,
                    "error: {path}: cannot write the fixed file: {}",
                    walk::describe_io_error(&error)
                );
            }
        }
    }
    if !quiet {
        let _ = writeln!(
            stderr,
            "factlint: fixed {} in {}",
            count(findings, "finding"),
            count(files, "file")
        );
    }
    failed
}

/// What `--fix` would do, as one unified diff per file.
fn write_diffs(
    linter: &Linter,
    reports: &[FileReport],
    baseline: Option<&Baseline>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let plans = fix::plan(linter, reports, &selector(baseline));
    for (report, plan) in reports.iter().zip(plans) {
        let (Ok(linted), Some(fixed)) = (&report.outcome, plan) else {
            continue;
        };
        let diff = fix::unified_diff(
            &portable_path(&report.path),
            &linted.document.source,
            &fixed.document.source,
        );
        out.write_all(diff.as_bytes())?;
    }
    Ok(())
}

fn count(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// What the HTML report's header says about the run.
fn run_info(
    paths: &[PathBuf],
    knowledge_base: &KnowledgeBase,
    date: Option<Date>,
    today: Date,
) -> report::RunInfo {
    let date_policy = match date {
        Some(date) => format!("every document judged at {date} (--date)"),
        None => {
            format!("each document's own date; undated documents judged at today's date, {today}")
        }
    };
    report::RunInfo {
        generated: now_utc(),
        paths: paths
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        packs: knowledge_base
            .packs
            .iter()
            .map(|pack| pack.name.clone())
            .collect(),
        date_policy,
    }
}

/// The current time as `YYYY-MM-DD HH:MM UTC`.
fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let day = Date::from_days_since_epoch((seconds / 86_400) as i64);
    let minutes = seconds % 86_400 / 60;
    format!("{day} {:02}:{:02} UTC", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
