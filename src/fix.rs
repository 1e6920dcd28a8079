//! Applying suggestions safely.
//!
//! `--fix` applies a suggestion only when it is the only one for its
//! finding and the finding is fixable (not, say, inside a quotation).
//! Overlapping edits are resolved the same way every time: the leftmost
//! wins, and at the same start the longer. The fixed text is linted again
//! and fixed again until nothing changes, so a second `--fix` has nothing
//! left to do. Files are written atomically (a temporary file in the same
//! directory, renamed over the original, permissions kept) and only if they
//! still hold exactly the bytes that were linted.

use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::lint::{FileReport, Linter};

/// How many lint-and-fix rounds one run makes before giving up on a file
/// whose fixes keep producing new findings.
pub const MAX_PASSES: usize = 10;

/// One replacement of a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

/// The suggestion `--fix` may apply for a diagnostic: its only one, when
/// the diagnostic is fixable.
pub fn fixable_suggestion(diagnostic: &Diagnostic) -> Option<Edit> {
    match diagnostic.suggestions.as_slice() {
        [only] if diagnostic.fixable => Some(Edit {
            span: only.span.clone(),
            replacement: only.replacement.clone(),
        }),
        _ => None,
    }
}

/// The edits to apply to `source`, sorted and without overlaps. Edits that
/// change nothing or do not fit the text (out of range, inside a
/// character) are dropped.
pub fn edits(source: &str, diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut candidates: Vec<Edit> = diagnostics
        .iter()
        .filter_map(fixable_suggestion)
        .filter(|edit| {
            source
                .get(edit.span.clone())
                .is_some_and(|current| current != edit.replacement)
        })
        .collect();
    candidates.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
            .then(a.replacement.cmp(&b.replacement))
    });
    let mut chosen: Vec<Edit> = Vec::with_capacity(candidates.len());
    for edit in candidates {
        let overlaps = chosen.last().is_some_and(|last| {
            edit.span.start < last.span.end
                // Two insertions at one point would depend on their order.
                || (edit.span.start == last.span.start && edit.span.is_empty())
        });
        if !overlaps {
            chosen.push(edit);
        }
    }
    chosen
}

/// `source` with `edits` (sorted, not overlapping, as [`edits`] returns
/// them) applied in one pass.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut fixed = String::with_capacity(source.len());
    let mut copied = 0;
    for edit in edits {
        fixed.push_str(&source[copied..edit.span.start]);
        fixed.push_str(&edit.replacement);
        copied = edit.span.end;
    }
    fixed.push_str(&source[copied..]);
    fixed
}

/// A document after fixing.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed document.
    pub document: Document,
    /// Its findings (none of them fixable, unless `converged` is false).
    pub diagnostics: Vec<Diagnostic>,
    /// How many edits were applied over all passes.
    pub applied: usize,
    /// False when fixes still applied after [`MAX_PASSES`] passes.
    pub converged: bool,
}

/// Fixes a document until no fixable finding is left. Each pass lints the
/// fixed text as a file at `path`, so per-path rule settings still apply.
/// `select` chooses the findings that count (the baseline filter); it sees
/// the document each round's findings belong to.
pub fn fix_document(
    linter: &Linter,
    path: &Path,
    document: &Document,
    diagnostics: Vec<Diagnostic>,
    select: &dyn Fn(&Document, Vec<Diagnostic>) -> Vec<Diagnostic>,
) -> Option<Fixed> {
    let mut current: Option<Document> = None;
    let mut diagnostics = diagnostics;
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let source = current
            .as_ref()
            .map_or(&document.source, |fixed| &fixed.source);
        let edits = edits(source, &diagnostics);
        if edits.is_empty() {
            return current.map(|document| Fixed {
                document,
                diagnostics,
                applied,
                converged: true,
            });
        }
        applied += edits.len();
        let fixed = Document::new(apply(source, &edits), document.format);
        diagnostics = select(&fixed, linter.lint_at(&fixed, path));
        current = Some(fixed);
    }
    let converged = current
        .as_ref()
        .is_none_or(|fixed| edits(&fixed.source, &diagnostics).is_empty());
    current.map(|document| Fixed {
        document,
        diagnostics,
        applied,
        converged,
    })
}

/// Chooses, from a file's findings, those that count (the baseline
/// filter): it is given the path and the document the findings belong to.
pub type Select<'a> = dyn Fn(&Path, &Document, Vec<Diagnostic>) -> Vec<Diagnostic> + Sync + 'a;

/// Fixes every linted file in memory, in parallel; `None` where there is
/// nothing to fix (or the file could not be read).
pub fn plan(linter: &Linter, reports: &[FileReport], select: &Select<'_>) -> Vec<Option<Fixed>> {
    reports
        .par_iter()
        .map(|report| {
            let linted = report.outcome.as_ref().ok()?;
            fix_document(
                linter,
                &report.path,
                &linted.document,
                linted.diagnostics.clone(),
                &|document, diagnostics| select(&report.path, document, diagnostics),
            )
        })
        .collect()
}

/// What became of one file's fixes.
#[derive(Debug)]
pub enum Outcome {
    Written {
        applied: usize,
        converged: bool,
    },
    /// The file no longer holds the bytes that were linted; it was left alone.
    ChangedOnDisk,
    Failed(io::Error),
}

/// Writes the planned fixes, in parallel: waiting for each file to reach
/// the disk one after the other made fixing an archive take minutes. A
/// report whose file was written takes the fixed document and its remaining
/// findings; the others keep what was linted. Outcomes come in report order.
pub fn write(reports: &mut [FileReport], plans: Vec<Option<Fixed>>) -> Vec<(PathBuf, Outcome)> {
    reports
        .par_iter_mut()
        .zip(plans)
        .filter_map(|(report, plan)| {
            let (Ok(linted), Some(fixed)) = (&mut report.outcome, plan) else {
                return None;
            };
            let outcome = match write_if_unchanged(
                &report.path,
                linted.document.source.as_bytes(),
                fixed.document.source.as_bytes(),
            ) {
                Ok(()) => {
                    linted.document = fixed.document;
                    linted.diagnostics = fixed.diagnostics;
                    Outcome::Written {
                        applied: fixed.applied,
                        converged: fixed.converged,
                    }
                }
                Err(WriteError::Changed) => Outcome::ChangedOnDisk,
                Err(WriteError::Io(error)) => Outcome::Failed(error),
            };
            Some((report.path.clone(), outcome))
        })
        .collect()
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file no longer holds the bytes that were linted.
    Changed,
    Io(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> WriteError {
        WriteError::Io(error)
    }
}

/// Replaces the file at `path` with `contents`, but only if it still holds
/// exactly `expected`.
pub fn write_if_unchanged(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), WriteError> {
    let target = resolve_symlink(path)?;
    if fs::read(&target)? != expected {
        return Err(WriteError::Changed);
    }
    write_atomically(&target, contents)?;
    Ok(())
}

/// Writes `contents` to a temporary file beside `path` and renames it over
/// `path`, so a reader sees the old file or the new one, never half of one.
/// An existing file's permissions (and, on Unix, owner) are kept.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = resolve_symlink(path)?;
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = fs::metadata(&target).ok();
    let mut temporary = tempfile::Builder::new()
        .prefix(".factlint-")
        .suffix(".tmp")
        .tempfile_in(&directory)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    if let Some(metadata) = &existing {
        fs::set_permissions(temporary.path(), metadata.permissions())?;
        keep_owner(temporary.path(), metadata);
    }
    temporary.persist(&target).map_err(|error| error.error)?;
    Ok(())
}

/// A symbolic link is fixed through: its target is rewritten and the link
/// stays a link.
fn resolve_symlink(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(unix)]
fn keep_owner(path: &Path, metadata: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Only root may give a file away; for anyone else the new file is
    // already theirs, so a failure here changes nothing.
    let _ = std::os::unix::fs::chown(path, Some(metadata.uid()), Some(metadata.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_path: &Path, _metadata: &fs::Metadata) {}

/// A unified diff of one file's fix, with `a/` and `b/` prefixes as git
/// writes them.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Suggestion};

    fn replace(span: Range<usize>, replacement: &str) -> Diagnostic {
        Diagnostic::new("name-variant", Severity::Error, span, "m").with_replacement(replacement)
    }

    #[test]
    fn only_single_fixable_suggestions_are_applied() {
        let source = "aaa bbb ccc";
        let mut quoted = replace(0..3, "AAA");
        quoted.fixable = false;
        let ambiguous = replace(4..7, "BBB").with_suggestion(Suggestion {
            replacement: "Bbb".to_owned(),
            span: 4..7,
        });
        let plain = replace(8..11, "CCC");
        let chosen = edits(source, &[quoted, ambiguous, plain]);
        assert_eq!(apply(source, &chosen), "aaa bbb CCC");
    }

    #[test]
    fn overlaps_keep_the_leftmost_then_the_longest_whatever_the_input_order() {
        let source = "Khairat Abdulrahmanov spoke";
        let whole = replace(0..21, "Kairat Abdrakhmanov");
        let surname = replace(8..21, "Abdrakhmanov");
        let first_name = replace(0..7, "Kairat");
        for order in [
            vec![whole.clone(), surname.clone(), first_name.clone()],
            vec![surname.clone(), first_name.clone(), whole.clone()],
            vec![first_name.clone(), surname.clone(), whole.clone()],
        ] {
            let chosen = edits(source, &order);
            assert_eq!(apply(source, &chosen), "Kairat Abdrakhmanov spoke");
            assert_eq!(chosen.len(), 1);
        }
        // Touching spans do not overlap.
        let chosen = edits(source, &[first_name, surname]);
        assert_eq!(chosen.len(), 2);
    }

    #[test]
    fn edits_that_do_not_fit_the_text_are_dropped() {
        let source = "Астана";
        let inside_a_character = replace(1..3, "x");
        let past_the_end = replace(4..40, "x");
        let no_change = replace(0..2, "А");
        assert!(edits(source, &[inside_a_character, past_the_end, no_change]).is_empty());
    }

    #[test]
    fn atomic_writes_keep_permissions_and_follow_links() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            let link = directory.path().join("link.txt");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            write_if_unchanged(&link, b"old", b"new").unwrap();
            assert!(fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(fs::read_to_string(&path).unwrap(), "new");
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert!(matches!(
            write_if_unchanged(&path, b"something else", b"newer"),
            Err(WriteError::Changed)
        ));
        let leftovers: Vec<_> = fs::read_dir(directory.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .filter(|name| name.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn the_diff_names_the_file_and_shows_the_change() {
        let diff = unified_diff(
            "a.txt",
            "one\nMr. Abdurahmanov\nthree\n",
            "one\nMr. Abdrakhmanov\nthree\n",
        );
        assert!(
            diff.starts_with("--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n"),
            "{diff}"
        );
        assert!(
            diff.contains("-Mr. Abdurahmanov\n+Mr. Abdrakhmanov\n"),
            "{diff}"
        );
    }
}
