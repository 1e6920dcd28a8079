//! Reporters: one file per output format, all rendering the same
//! [`FileReport`]s. Line and column numbers are computed here, never in rules.

pub mod config_errors;
pub mod excerpt;
mod github;
mod html;
mod human;
mod json;
pub mod kb_errors;
pub mod lines;
mod rdjson;
mod sarif;
mod short;
pub mod stream;

use std::io::{self, Write};
use std::path::{Component, Path};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;

pub use github::write_github;
pub use html::{write_html, RunInfo};
pub use human::{write_human, write_human_diagnostics, write_summary, write_summary_line};
pub use json::{json_file_parts, write_json, write_json_document, write_json_file};
pub use rdjson::write_rdjson;
pub use sarif::write_sarif;
pub use short::write_short;

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read and linted.
    pub files: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        for report in reports {
            match &report.outcome {
                Ok(linted) => {
                    summary.files += 1;
                    summary.count(&linted.diagnostics);
                }
                Err(_) => summary.unreadable += 1,
            }
        }
        summary
    }

    /// Counts `diagnostics` in, by severity.
    pub fn count(&mut self, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Adds another part of the run.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.unreadable += other.unreadable;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// How many findings are at or above `threshold`.
    pub fn at_or_above(&self, threshold: Severity) -> usize {
        match threshold {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.errors + self.warnings + self.infos,
        }
    }
}

/// How to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Always,
    Never,
}

/// Writes the files that could not be read, one line each, naming the file.
pub fn write_read_errors(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        if let Err(error) = &report.outcome {
            writeln!(out, "error: {}: {error}", report.path.display())?;
        }
    }
    Ok(())
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// A path as CI services and review tools want it: relative paths without
/// `./` segments (GitHub matches annotations against repository paths), and
/// `/` as the separator on every platform.
pub fn portable_path(path: &Path) -> String {
    let mut parts = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            Component::Prefix(prefix) => parts.push(prefix.as_os_str().to_string_lossy()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(part) => parts.push(part.to_string_lossy()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// The message followed by the suggestion, for formats that have no field
/// of their own for it (annotations, code-scanning alerts).
pub fn message_with_help(diagnostic: &Diagnostic) -> String {
    match diagnostic.suggestions.as_slice() {
        [] => diagnostic.message.clone(),
        [only] => format!("{}\nhelp: write `{}`", diagnostic.message, only.replacement),
        many => {
            let choices: Vec<String> = many
                .iter()
                .map(|suggestion| format!("`{}`", suggestion.replacement))
                .collect();
            format!(
                "{}\nhelp: write one of {}",
                diagnostic.message,
                choices.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_paths_drop_current_directory_segments() {
        assert_eq!(portable_path(Path::new("./content/a.md")), "content/a.md");
        assert_eq!(portable_path(Path::new("content/./a.md")), "content/a.md");
        assert_eq!(portable_path(Path::new("../other/a.md")), "../other/a.md");
        assert_eq!(portable_path(Path::new("/srv/news/a.md")), "/srv/news/a.md");
        assert_eq!(portable_path(Path::new(".")), ".");
    }
}
