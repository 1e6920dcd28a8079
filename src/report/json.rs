//! `--format json`: one object for the whole run, as in DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;

use super::lines::LineIndex;
use super::Summary;
use crate::lint::FileReport;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: String,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
    entity: Option<&'a str>,
    suggestions: Vec<JsonSuggestion<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    replacement: &'a str,
    start: usize,
    end: usize,
}

pub fn write_json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(reports);
    let mut diagnostics = Vec::new();
    for report in reports {
        let Ok(linted) = &report.outcome else {
            continue;
        };
        if linted.diagnostics.is_empty() {
            continue;
        }
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        let path = report.path.display().to_string();
        for diagnostic in &linted.diagnostics {
            let start = index.position(text, diagnostic.span.start);
            let end = index.position(text, diagnostic.span.end);
            diagnostics.push(JsonDiagnostic {
                path: path.clone(),
                rule: diagnostic.rule,
                severity: diagnostic.severity.as_str(),
                message: &diagnostic.message,
                start: diagnostic.span.start,
                end: diagnostic.span.end,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                text: &text[diagnostic.span.clone()],
                entity: diagnostic.entity.as_deref(),
                suggestions: diagnostic
                    .suggestions
                    .iter()
                    .map(|suggestion| JsonSuggestion {
                        replacement: &suggestion.replacement,
                        start: suggestion.span.start,
                        end: suggestion.span.end,
                    })
                    .collect(),
                notes: &diagnostic.notes,
            });
        }
    }
    let report = Report {
        version: 1,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}
