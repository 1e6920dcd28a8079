//! `--format json`: one object for the whole run, as in DESIGN.md.
//!
//! Findings are written by hand, in the layout serde_json's pretty printer
//! gives the whole object: a report holds thousands of findings, and
//! serialising each through serde, then re-indenting it, cost about a tenth
//! of a run. The tests hold the two layouts to each other.

use std::io::{self, Write};
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::lines::LineWalk;
use super::Summary;
use crate::diagnostic::Diagnostic;
use crate::lint::FileReport;

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
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
    let parts = json_file_parts(report);
    out.reserve(parts.iter().map(|part| part.len() + 2).sum());
    for part in parts {
        if !out.is_empty() && !part.is_empty() {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(&part);
    }
    Ok(())
}

/// [`write_json_file`]'s output in parts, each a run of whole elements
/// without a comma after the last: joined by commas (as the document joins
/// files), they are the file's elements. A large file's findings are
/// rendered in parts side by side, and a run writes the parts one after
/// another rather than copy them into one buffer first (68 MB of JSON for
/// 100 MB of news took 57 ms to copy).
pub fn json_file_parts(report: &FileReport) -> Vec<Vec<u8>> {
    let Ok(linted) = &report.outcome else {
        return Vec::new();
    };
    if linted.diagnostics.is_empty() {
        return Vec::new();
    }
    let text = &linted.document.source;
    // Every finding of the file names it: escaped once, copied after.
    let path = report.path.to_string_lossy();
    let mut escaped_path = Vec::with_capacity(path.len() + 2);
    write_string(&path, &mut escaped_path);
    let diagnostics = &linted.diagnostics;
    if diagnostics.len() <= ELEMENTS_PER_PART {
        let mut part = Vec::new();
        write_elements(
            diagnostics,
            text,
            LineWalk::at_start(),
            &escaped_path,
            &mut part,
        );
        return vec![part];
    }
    // Each part walks the text from its first finding; the walks to those
    // are found first, side by side.
    let firsts: Vec<usize> = diagnostics
        .chunks(ELEMENTS_PER_PART)
        .filter_map(|part| part.first().map(|first| first.span.start))
        .collect();
    let part_walks = LineWalk::to_each(text, &firsts);
    diagnostics
        .par_chunks(ELEMENTS_PER_PART)
        .with_max_len(1)
        .zip(part_walks)
        .map(|(diagnostics, walk)| {
            let mut part = Vec::new();
            write_elements(diagnostics, text, walk, &escaped_path, &mut part);
            part
        })
        .collect()
}

/// Findings of one file rendered in one piece of work, when the file has
/// more: about a megabyte of JSON.
const ELEMENTS_PER_PART: usize = 2048;

/// Bytes of a rendered finding besides its strings: keys, punctuation,
/// indentation and numbers. Enough that reserving with it rarely grows the
/// buffer again.
const ELEMENT_LAYOUT_BYTES: usize = 400;

/// Bytes of a rendered suggestion besides its replacement.
const SUGGESTION_LAYOUT_BYTES: usize = 120;

/// Writes the findings as array elements, each indented as an element of
/// the document's `diagnostics` array and preceded by a comma unless `out`
/// is empty; `path` is the file's path already written as a JSON string.
/// Lines and columns are found walking the text from `walk`, which is
/// cheapest when the findings are in order of their start (as files'
/// findings are sorted), and right in any order.
fn write_elements(
    diagnostics: &[Diagnostic],
    text: &str,
    mut walk: LineWalk,
    path: &[u8],
    out: &mut Vec<u8>,
) {
    out.reserve(
        diagnostics
            .iter()
            .map(|diagnostic| rendered_size_hint(diagnostic, path))
            .sum(),
    );
    for diagnostic in diagnostics {
        // The end is walked to from the start, not kept: the next finding
        // may start before this one ends.
        walk = walk.to(text, diagnostic.span.start);
        let start = walk.position();
        let end = walk.to(text, diagnostic.span.end).position();
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    {\n      \"path\": ");
        out.extend_from_slice(path);
        out.extend_from_slice(b",\n      \"rule\": ");
        write_string(diagnostic.rule, out);
        out.extend_from_slice(b",\n      \"severity\": ");
        write_string(diagnostic.severity.as_str(), out);
        out.extend_from_slice(b",\n      \"message\": ");
        write_string(&diagnostic.message, out);
        out.extend_from_slice(b",\n      \"start\": ");
        write_number(diagnostic.span.start, out);
        out.extend_from_slice(b",\n      \"end\": ");
        write_number(diagnostic.span.end, out);
        out.extend_from_slice(b",\n      \"line\": ");
        write_number(start.line, out);
        out.extend_from_slice(b",\n      \"column\": ");
        write_number(start.column, out);
        out.extend_from_slice(b",\n      \"end_line\": ");
        write_number(end.line, out);
        out.extend_from_slice(b",\n      \"end_column\": ");
        write_number(end.column, out);
        out.extend_from_slice(b",\n      \"text\": ");
        write_string(&text[diagnostic.span.clone()], out);
        out.extend_from_slice(b",\n      \"entity\": ");
        match &diagnostic.entity {
            Some(entity) => write_string(entity, out),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\n      \"suggestions\": [");
        for (number, suggestion) in diagnostic.suggestions.iter().enumerate() {
            out.extend_from_slice(if number == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(b"        {\n          \"replacement\": ");
            write_string(&suggestion.replacement, out);
            out.extend_from_slice(b",\n          \"start\": ");
            write_number(suggestion.span.start, out);
            out.extend_from_slice(b",\n          \"end\": ");
            write_number(suggestion.span.end, out);
            out.extend_from_slice(b"\n        }");
        }
        if !diagnostic.suggestions.is_empty() {
            out.extend_from_slice(b"\n      ");
        }
        out.extend_from_slice(b"],\n      \"notes\": [");
        for (number, note) in diagnostic.notes.iter().enumerate() {
            out.extend_from_slice(if number == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(b"        ");
            write_string(note, out);
        }
        if !diagnostic.notes.is_empty() {
            out.extend_from_slice(b"\n      ");
        }
        out.extend_from_slice(b"]\n    }");
    }
}

/// About the bytes [`write_elements`] writes for `diagnostic`, to reserve
/// them at once rather than grow the buffer (and copy it) as it fills.
fn rendered_size_hint(diagnostic: &Diagnostic, path: &[u8]) -> usize {
    ELEMENT_LAYOUT_BYTES
        + path.len()
        + diagnostic.message.len()
        + 2 * diagnostic.span.len()
        + diagnostic.entity.as_ref().map_or(0, String::len)
        + diagnostic
            .suggestions
            .iter()
            .map(|suggestion| SUGGESTION_LAYOUT_BYTES + suggestion.replacement.len())
            .sum::<usize>()
        + diagnostic
            .notes
            .iter()
            .map(|note| note.len() + 12)
            .sum::<usize>()
}

fn write_number(number: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// `value` as a JSON string, escaped exactly as serde_json escapes: `"` and
/// `\`, the control characters below U+0020 (the usual five by letter, the
/// rest as `\u00xx` in lower-case hex), and nothing else.
fn write_string(value: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = value.as_bytes();
    // Bytes before `copied` are in `out`; runs that need no escaping are
    // copied in one piece when an escape (or the end) is reached.
    let mut copied = 0;
    let mut at = 0;
    while let Some(word) = bytes[at..].first_chunk::<8>() {
        if any_byte_needs_escaping(u64::from_le_bytes(*word)) {
            escape_bytes(bytes, at..at + 8, &mut copied, out);
        }
        at += 8;
    }
    if at < bytes.len() {
        // The last few bytes are tested as a word too, rather than one by
        // one: the word that ends the string (its first bytes already
        // tested), or in a short string the bytes padded with spaces.
        let last_word = match bytes.last_chunk::<8>() {
            Some(word) => *word,
            None => {
                let mut padded = [b' '; 8];
                padded[..bytes.len()].copy_from_slice(bytes);
                padded
            }
        };
        if any_byte_needs_escaping(u64::from_le_bytes(last_word)) {
            escape_bytes(bytes, at..bytes.len(), &mut copied, out);
        }
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Escapes the bytes of `range` that need it, first copying the bytes from
/// `copied` up to each of them.
fn escape_bytes(bytes: &[u8], range: Range<usize>, copied: &mut usize, out: &mut Vec<u8>) {
    for at in range {
        let byte = bytes[at];
        if needs_escaping(byte) {
            out.extend_from_slice(&bytes[*copied..at]);
            write_escape(byte, out);
            *copied = at + 1;
        }
    }
}

fn needs_escaping(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes of `word` needs escaping, eight at a time:
/// the classic bit tricks for "has a byte less than n" and "has a zero
/// byte", which are exact as to whether there is one (if not which).
fn any_byte_needs_escaping(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let has_zero_byte = |value: u64| value.wrapping_sub(ONES) & !value & HIGH_BITS;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
    let quote = has_zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero_byte(word ^ (ONES * u64::from(b'\\')));
    below_space | quote | backslash != 0
}

fn write_escape(byte: u8, out: &mut Vec<u8>) {
    let letter = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0C => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX_DIGITS[usize::from(byte >> 4)],
                HEX_DIGITS[usize::from(byte & 0xF)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', letter]);
}

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
    use crate::diagnostic::{Severity, Suggestion};
    use crate::document::{Document, Format};
    use crate::lint::LintedFile;

    /// The findings as serde_json renders them, as this module once did:
    /// the reference the hand-written layout and escaping must match.
    mod serde_reference {
        use serde::Serialize;

        use crate::diagnostic::Diagnostic;
        use crate::report::lines::LineIndex;

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

        /// The elements joined and indented as in the whole document.
        pub fn elements(diagnostics: &[Diagnostic], text: &str, path: &str) -> String {
            let index = LineIndex::new(text);
            let mut out = Vec::new();
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
                let pretty = serde_json::to_vec_pretty(&element).unwrap();
                let lines: Vec<&[u8]> = pretty.split(|byte| *byte == b'\n').collect();
                for (number, line) in lines.iter().enumerate() {
                    if number > 0 {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(b"    ");
                    out.extend_from_slice(line);
                }
            }
            String::from_utf8(out).unwrap()
        }
    }

    /// Characters that serde_json escapes, or that a careless escaper might:
    /// every ASCII character, the line and paragraph separators JavaScript
    /// chokes on, and characters of two, three and four bytes.
    fn tricky_characters() -> Vec<char> {
        let mut characters: Vec<char> = (0..=0x7F_u8).map(char::from).collect();
        characters.extend(['\u{80}', 'é', '’', '\u{2028}', '\u{2029}', '\u{FEFF}', '😀']);
        characters
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // At every position of a whole word, of the word that ends a
        // string and of a string shorter than a word, so that each way of
        // testing bytes meets each character.
        for character in tricky_characters() {
            for (before, after) in (0..20).flat_map(|before| [(before, 0), (before, 9)]) {
                for filler in ["a", "Ж"] {
                    let value =
                        format!("{}{character}{}", filler.repeat(before), "z".repeat(after));
                    let mut written = Vec::new();
                    write_string(&value, &mut written);
                    assert_eq!(
                        String::from_utf8(written).unwrap(),
                        serde_json::to_string(&value).unwrap(),
                        "{value:?}"
                    );
                }
            }
        }
        let everything: String = tricky_characters().into_iter().collect();
        let mut written = Vec::new();
        write_string(&everything, &mut written);
        assert_eq!(
            String::from_utf8(written).unwrap(),
            serde_json::to_string(&everything).unwrap()
        );
    }

    #[test]
    fn findings_are_laid_out_as_serde_json_lays_them_out() {
        let tricky: String = tricky_characters().into_iter().collect();
        let source = format!("Астана \"quoted\" \\ back\tslash\r\nline\u{2028}two {tricky}\n");
        let quoted = source.find("\"quoted\"").unwrap();
        let whole_line = 0..source.find('\n').unwrap();
        let diagnostics = vec![
            Diagnostic::new("name-variant", Severity::Error, 0..12, "plain"),
            Diagnostic::new(
                "name-variant",
                Severity::Warning,
                quoted..quoted + 8,
                format!("a {tricky} message"),
            )
            .with_entity(format!("entity {tricky}"))
            .with_replacement(format!("“{tricky}”"))
            .with_note(tricky.clone())
            .with_note(""),
            Diagnostic::new("office-holder", Severity::Info, whole_line, "")
                .with_suggestion(Suggestion {
                    replacement: String::new(),
                    span: 3..5,
                })
                .with_suggestion(Suggestion {
                    replacement: "\u{2028}".into(),
                    span: 0..source.len(),
                })
                .with_note("one")
                .with_note("two\nlines"),
            Diagnostic::new("member-count", Severity::Error, 0..source.len(), "all"),
            Diagnostic::new(
                "member-count",
                Severity::Error,
                source.len()..source.len(),
                "",
            ),
        ];
        let path = format!("dir/{tricky}.txt");
        let mut escaped_path = Vec::new();
        write_string(&path, &mut escaped_path);
        let mut written = Vec::new();
        write_elements(
            &diagnostics,
            &source,
            LineWalk::at_start(),
            &escaped_path,
            &mut written,
        );
        assert_eq!(
            String::from_utf8(written).unwrap(),
            serde_reference::elements(&diagnostics, &source, &path)
        );
    }

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
        let whole = serde_reference::elements(&diagnostics, &source, "news.txt");
        let document = Document::new(source.clone(), Format::Text);
        let report = FileReport {
            path: "news.txt".into(),
            outcome: Ok(LintedFile {
                document,
                diagnostics,
                spellings: Default::default(),
            }),
        };
        let mut in_parts = Vec::new();
        write_json_file(&report, &mut in_parts).unwrap();
        assert_eq!(String::from_utf8(in_parts).unwrap(), whole);
        let array = format!("[{whole}]");
        let parsed: serde_json::Value = serde_json::from_str(&array).unwrap();
        assert_eq!(
            parsed.as_array().map(Vec::len),
            Some(3 * ELEMENTS_PER_PART + 7)
        );
        assert_eq!(parsed[ELEMENTS_PER_PART + 1]["line"], ELEMENTS_PER_PART + 2);
    }
}
