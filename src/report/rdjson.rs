//! `--format rdjson`: reviewdog's diagnostic format (the `DiagnosticResult`
//! message of its `reviewdog.proto`), with the suggestions, so `reviewdog
//! -f=rdjson -reporter=github-pr-review` posts them as suggested changes.
//!
//! reviewdog counts columns in UTF-8 bytes, from 1, and ends ranges
//! exclusively; not in characters as the other formats do.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::lines::LineIndex;
use super::portable_path;
use crate::diagnostic::Severity;
use crate::lint::FileReport;

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: &'a str,
    location: Location,
    severity: &'static str,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion<'a>>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    range: RdRange,
}

#[derive(Serialize)]
struct RdRange {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    range: RdRange,
    text: &'a str,
}

pub fn write_rdjson(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for report in reports {
        let Ok(linted) = &report.outcome else {
            continue;
        };
        let path = portable_path(&report.path);
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        for diagnostic in &linted.diagnostics {
            diagnostics.push(RdDiagnostic {
                message: &diagnostic.message,
                location: Location {
                    path: path.clone(),
                    range: range(text, &index, &diagnostic.span),
                },
                severity: match diagnostic.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                    Severity::Info => "INFO",
                },
                code: Code {
                    value: diagnostic.rule,
                },
                suggestions: diagnostic
                    .suggestions
                    .iter()
                    .map(|suggestion| Suggestion {
                        range: range(text, &index, &suggestion.span),
                        text: &suggestion.replacement,
                    })
                    .collect(),
            });
        }
    }
    let result = DiagnosticResult {
        source: Source { name: "factlint" },
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &result).map_err(io::Error::other)?;
    writeln!(out)
}

fn range(text: &str, index: &LineIndex, span: &Range<usize>) -> RdRange {
    RdRange {
        start: Position {
            line: index.position(text, span.start).line,
            column: index.byte_column(span.start),
        },
        end: Position {
            line: index.position(text, span.end).line,
            column: index.byte_column(span.end),
        },
    }
}
