//! `--format json`: one object for the whole run, as in DESIGN.md.

use std::io::{self, Write};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::lines::LineIndex;
use super::Summary;
use crate::lint::FileReport;

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
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
    let mut diagnostics = Vec::new();
    for report in reports {
        write_json_file(report, &mut diagnostics)?;
    }
    write_json_document(
        &Summary::of(reports),
        &mut std::iter::once(diagnostics),
        out,
    )
}

/// One file's diagnostics as elements of the `diagnostics` array, exactly
/// as they appear in the whole document (pretty-printed, indented, joined
/// by commas), so a run can render files apart and join them.
pub fn write_json_file(report: &FileReport, out: &mut Vec<u8>) -> io::Result<()> {
    let Ok(linted) = &report.outcome else {
        return Ok(());
    };
    if linted.diagnostics.is_empty() {
        return Ok(());
    }
    let text = &linted.document.source;
    let index = LineIndex::new(text);
    let path = report.path.display().to_string();
    if linted.diagnostics.len() <= ELEMENTS_PER_PART {
        return write_elements(&linted.diagnostics, text, &index, &path, out);
    }
    // A large file's findings are rendered in parts side by side; a part
    // ends without a comma, so joining them with one is the same output.
    let starts = index.starts();
    let parts: Vec<io::Result<Vec<u8>>> = linted
        .diagnostics
        .par_chunks(ELEMENTS_PER_PART)
        .map(|diagnostics| {
            let mut part = Vec::new();
            let index = LineIndex::from_starts(Arc::clone(&starts));
            write_elements(diagnostics, text, &index, &path, &mut part)?;
            Ok(part)
        })
        .collect();
    for part in parts {
        let part = part?;
        if !out.is_empty() && !part.is_empty() {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(&part);
    }
    Ok(())
}

/// Findings of one file rendered in one piece of work, when the file has
/// more: about a megabyte of JSON.
const ELEMENTS_PER_PART: usize = 2048;

fn write_elements(
    diagnostics: &[crate::diagnostic::Diagnostic],
    text: &str,
    index: &LineIndex,
    path: &str,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let mut pretty = Vec::new();
    for diagnostic in diagnostics {
        let start = index.position(text, diagnostic.span.start);
        let end = index.position(text, diagnostic.span.end);
        let element = JsonDiagnostic {
            path,
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
        };
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        pretty.clear();
        serde_json::to_writer_pretty(&mut pretty, &element).map_err(io::Error::other)?;
        // Strings are escaped, so every line break is the printer's own.
        for line in pretty.split(|byte| *byte == b'\n') {
            if !out.is_empty() && out.last() != Some(&b'\n') {
                out.push(b'\n');
            }
            out.extend_from_slice(ELEMENT_INDENT);
            out.extend_from_slice(line);
        }
    }
    Ok(())
}

/// Array elements sit two levels deep: the object, then `diagnostics`.
const ELEMENT_INDENT: &[u8] = b"    ";

/// The whole document around rendered files (from [`write_json_file`]),
/// laid out as serde_json's pretty printer lays out the whole object.
pub fn write_json_document(
    summary: &Summary,
    files: &mut dyn Iterator<Item = Vec<u8>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let header = JsonSummary {
        files: summary.files,
        errors: summary.errors,
        warnings: summary.warnings,
        infos: summary.infos,
    };
    let summary = serde_json::to_string_pretty(&header).map_err(io::Error::other)?;
    write!(
        out,
        "{{\n  \"version\": 1,\n  \"summary\": {},\n  \"diagnostics\": [",
        summary.replace('\n', "\n  ")
    )?;
    let mut empty = true;
    for file in files.filter(|file| !file.is_empty()) {
        out.write_all(if empty { b"\n" } else { b",\n" })?;
        out.write_all(&file)?;
        empty = false;
    }
    out.write_all(if empty { b"]\n}\n" } else { b"\n  ]\n}\n" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::document::{Document, Format};
    use crate::lint::LintedFile;

    #[test]
    fn a_file_rendered_in_parts_is_the_file_rendered_whole() {
        let line = "Kairat Abdurahmanov met Nur-Sultan’s mayor.\n";
        let source = line.repeat(3 * ELEMENTS_PER_PART + 7);
        let diagnostics: Vec<Diagnostic> = (0..3 * ELEMENTS_PER_PART + 7)
            .map(|number| {
                let start = number * line.len() + 7;
                Diagnostic::new(
                    "name-variant",
                    Severity::Warning,
                    start..start + "Abdurahmanov".len(),
                    format!("finding {number}"),
                )
                .with_note("a \"quoted\" note")
            })
            .collect();
        let document = Document::new(source.clone(), Format::Text);
        let mut whole = Vec::new();
        write_elements(
            &diagnostics,
            &source,
            &LineIndex::new(&source),
            "news.txt",
            &mut whole,
        )
        .unwrap();
        let report = FileReport {
            path: "news.txt".into(),
            outcome: Ok(LintedFile {
                document,
                diagnostics,
                spellings: Vec::new(),
            }),
        };
        let mut in_parts = Vec::new();
        write_json_file(&report, &mut in_parts).unwrap();
        assert_eq!(
            String::from_utf8(in_parts).unwrap(),
            String::from_utf8(whole.clone()).unwrap()
        );
        let array = format!("[{}]", String::from_utf8(whole).unwrap());
        let parsed: serde_json::Value = serde_json::from_str(&array).unwrap();
        assert_eq!(
            parsed.as_array().map(Vec::len),
            Some(3 * ELEMENTS_PER_PART + 7)
        );
        assert_eq!(parsed[ELEMENTS_PER_PART + 1]["line"], ELEMENTS_PER_PART + 2);
    }
}
