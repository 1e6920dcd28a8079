//! Baselines, for adopting factlint on an archive that already has findings:
//! `--write-baseline FILE` records today's findings, `--baseline FILE` then
//! reports only the findings that are not in it.
//!
//! A finding is recorded by rule, path, matched text and a fingerprint. The
//! fingerprint hashes the rule, the matched text and the word on either side
//! of it, so edits elsewhere in the file (even elsewhere in the same
//! paragraph) leave it unchanged; line numbers and offsets are deliberately
//! not part of it. When one file has the same fingerprint several times, the
//! second and later get `-2`, `-3`, ... appended, so a baseline with two
//! copies of a finding hides two, and a third copy added later is reported.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::lint::FileReport;
use crate::report::portable_path;

/// The baseline file's format version.
const VERSION: u32 = 1;

/// A baseline file: the findings known when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    /// The path as [`portable_path`] writes it, so a baseline written from
    /// `factlint check .` also serves `factlint check content/`.
    pub path: String,
    /// The matched text, for the people who read the baseline.
    pub text: String,
    pub fingerprint: String,
}

/// A loaded baseline, ready to filter findings.
#[derive(Debug, Default)]
pub struct Baseline {
    known: BTreeSet<(String, String, String)>,
}

/// A baseline file that could not be used.
#[derive(Debug)]
pub struct BaselineError {
    pub message: String,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl BaselineFile {
    /// Today's findings, in report order.
    pub fn from_reports(reports: &[FileReport]) -> BaselineFile {
        let mut findings = Vec::new();
        for report in reports {
            let Ok(linted) = &report.outcome else {
                continue;
            };
            let path = portable_path(&report.path);
            let source = &linted.document.source;
            let prints = fingerprints(source, &linted.diagnostics);
            for (diagnostic, fingerprint) in linted.diagnostics.iter().zip(prints) {
                findings.push(Entry {
                    rule: diagnostic.rule.to_owned(),
                    path: path.clone(),
                    text: source
                        .get(diagnostic.span.clone())
                        .unwrap_or_default()
                        .to_owned(),
                    fingerprint,
                });
            }
        }
        BaselineFile {
            version: VERSION,
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing plain strings and numbers cannot fail.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

impl Baseline {
    /// Parses a baseline file's text; errors give the line and column.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|error| BaselineError {
            message: format!(
                "not a factlint baseline: {} (line {}, column {})",
                strip_position(&error.to_string()),
                error.line(),
                error.column()
            ),
        })?;
        if file.version != VERSION {
            return Err(BaselineError {
                message: format!(
                    "baseline version {} is not supported (this factlint writes version {VERSION})",
                    file.version
                ),
            });
        }
        Ok(Baseline {
            known: file
                .findings
                .into_iter()
                .map(|entry| (entry.path, entry.rule, entry.fingerprint))
                .collect(),
        })
    }

    /// Keeps the findings of `path` that are not in the baseline; returns
    /// how many were dropped.
    pub fn retain_new(&self, path: &str, source: &str, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let prints = fingerprints(source, diagnostics);
        let before = diagnostics.len();
        let mut prints = prints.into_iter();
        diagnostics.retain(|diagnostic| {
            let fingerprint = prints.next().unwrap_or_default();
            !self
                .known
                .contains(&(path.to_owned(), diagnostic.rule.to_owned(), fingerprint))
        });
        before - diagnostics.len()
    }

    /// Drops known findings from every report; returns how many were dropped.
    pub fn filter(&self, reports: &mut [FileReport]) -> usize {
        let mut dropped = 0;
        for report in reports {
            let path = portable_path(&report.path);
            if let Ok(linted) = &mut report.outcome {
                dropped += self.retain_new(&path, &linted.document.source, &mut linted.diagnostics);
            }
        }
        dropped
    }
}

/// serde_json appends " at line L column C", which the caller words itself.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |index| &message[..index])
}

/// One fingerprint per diagnostic of one file, in the same order.
pub fn fingerprints(source: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|diagnostic| {
            let hash = fingerprint_hash(diagnostic.rule, source, diagnostic.span.clone());
            let count = seen.entry(hash).or_insert(0);
            *count += 1;
            if *count == 1 {
                format!("{hash:016x}")
            } else {
                format!("{hash:016x}-{count}")
            }
        })
        .collect()
}

fn fingerprint_hash(rule: &str, source: &str, span: Range<usize>) -> u64 {
    let text = source.get(span.clone()).unwrap_or_default();
    let before = source.get(..span.start).unwrap_or_default();
    let after = source.get(span.end..).unwrap_or_default();
    let mut hash = Fnv1a::new();
    for part in [
        rule,
        text,
        &previous_word(before).to_lowercase(),
        &next_word(after).to_lowercase(),
    ] {
        hash.write(part.as_bytes());
        // A separator no part contains keeps ("ab", "c") apart from ("a", "bc").
        hash.write(&[0x1f]);
    }
    hash.finish()
}

/// The last word of `text` on its last line, skipping punctuation and spaces.
fn previous_word(text: &str) -> &str {
    let line = text.rsplit('\n').next().unwrap_or_default();
    let trimmed = line.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(trimmed.len(), |(index, _)| index);
    &trimmed[start..]
}

/// The first word of `text` on its first line, skipping punctuation and spaces.
fn next_word(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or_default();
    let trimmed = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = trimmed
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(trimmed.len(), |(index, _)| index);
    &trimmed[..end]
}

/// FNV-1a, 64 bits: fingerprints are stored in files, so the hash must not
/// change between Rust releases, which `std`'s `DefaultHasher` may.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn finding(source: &str, needle: &str, nth: usize) -> Diagnostic {
        let start = source.match_indices(needle).nth(nth).unwrap().0;
        Diagnostic::new(
            "name-variant",
            Severity::Error,
            start..start + needle.len(),
            "m",
        )
    }

    #[test]
    fn neighbouring_words_skip_punctuation_and_stop_at_the_line() {
        assert_eq!(previous_word("Mr. Khairat, "), "Khairat");
        assert_eq!(previous_word("first line\n"), "");
        assert_eq!(next_word("’s office"), "s");
        assert_eq!(next_word(", Астана и"), "Астана");
        assert_eq!(next_word(""), "");
    }

    #[test]
    fn the_hash_is_stable_across_releases() {
        // The published FNV-1a test vector; a different value would
        // invalidate every baseline users have written.
        let mut hash = Fnv1a::new();
        hash.write(b"foobar");
        assert_eq!(hash.finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_survive_edits_elsewhere_and_number_repeats() {
        let before = "Intro.\nMr. Abdurahmanov spoke. Later Mr. Abdurahmanov left.\n";
        let after =
            "A new first line.\nIntro, longer now.\nMr. Abdurahmanov spoke at length. Later Mr. Abdurahmanov left.\n";
        let prints_before = fingerprints(
            before,
            &[
                finding(before, "Abdurahmanov", 0),
                finding(before, "Abdurahmanov", 1),
            ],
        );
        let prints_after = fingerprints(
            after,
            &[
                finding(after, "Abdurahmanov", 0),
                finding(after, "Abdurahmanov", 1),
            ],
        );
        assert_eq!(prints_before, prints_after);
        // "spoke" and "left" tell the two apart.
        assert_ne!(prints_before[0], prints_before[1]);

        let twice = "Mr. Abdurahmanov said. Mr. Abdurahmanov said.";
        let prints = fingerprints(
            twice,
            &[
                finding(twice, "Abdurahmanov", 0),
                finding(twice, "Abdurahmanov", 1),
            ],
        );
        assert_eq!(prints[1], format!("{}-2", prints[0]));
    }
}
