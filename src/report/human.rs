//! The default format: rustc-style snippets through codespan-reporting.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Config};

use super::excerpt::Excerpt;
use super::lines::LineIndex;
use super::{plural, Color, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;

/// The snippets followed by the one-line summary.
pub fn write_human(reports: &[FileReport], color: Color, out: &mut dyn Write) -> io::Result<()> {
    write_human_diagnostics(reports, color, out)?;
    write_summary_line(reports, out)
}

/// The snippets alone (what `--quiet` prints).
pub fn write_human_diagnostics(
    reports: &[FileReport],
    color: Color,
    out: &mut dyn Write,
) -> io::Result<()> {
    let config = Config::default();
    for report in reports {
        let Ok(linted) = &report.outcome else {
            continue;
        };
        if linted.diagnostics.is_empty() {
            continue;
        }
        let name = report.path.display().to_string();
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        for diagnostic in &linted.diagnostics {
            let mut buffer = match color {
                Color::Always => Buffer::ansi(),
                Color::Never => Buffer::no_color(),
            };
            let mut spans = vec![diagnostic.span.clone()];
            spans.extend(diagnostic.secondary.iter().map(|label| label.span.clone()));
            let excerpt = Excerpt::new(&name, text, &index, &spans);
            let snippet = to_snippet(diagnostic, &excerpt);
            term::emit_to_write_style(&mut buffer, &config, &excerpt, &snippet)
                .map_err(io::Error::other)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

/// `factlint: 5 files checked: 4 errors, 0 warnings, 0 infos`.
pub fn write_summary_line(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    write_summary(&Summary::of(reports), out)
}

/// [`write_summary_line`] from counts kept while the run went on.
pub fn write_summary(summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let mut line = format!(
        "factlint: {} checked: {}, {}, {}",
        plural(summary.files, "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
    );
    if summary.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            plural(summary.unreadable, "file")
        ));
    }
    writeln!(out, "{line}")
}

fn to_snippet(diagnostic: &Diagnostic, excerpt: &Excerpt<'_>) -> Snippet<()> {
    let severity = match diagnostic.severity {
        Severity::Error => SnippetSeverity::Error,
        Severity::Warning => SnippetSeverity::Warning,
        Severity::Info => SnippetSeverity::Note,
    };
    let mut labels =
        vec![Label::primary((), excerpt.map(&diagnostic.span)).with_message(&diagnostic.label)];
    labels.extend(
        diagnostic.secondary.iter().map(|label| {
            Label::secondary((), excerpt.map(&label.span)).with_message(&label.message)
        }),
    );
    let mut notes = Vec::new();
    match diagnostic.suggestions.as_slice() {
        [] => {}
        [only] => notes.push(format!("help: write `{}`", only.replacement)),
        many => {
            let choices: Vec<String> = many
                .iter()
                .map(|s| format!("`{}`", s.replacement))
                .collect();
            notes.push(format!("help: write one of {}", choices.join(", ")));
        }
    }
    // Rules write advice as a note starting with "help: "; it is shown as
    // such, everything else as a note.
    notes.extend(diagnostic.notes.iter().map(|note| {
        if note.starts_with("help: ") {
            note.clone()
        } else {
            format!("note: {note}")
        }
    }));
    Snippet::new(severity)
        .with_code(diagnostic.rule)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}
