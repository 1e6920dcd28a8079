//! Reporters: one file per output format, all rendering the same
//! [`FileReport`]s. Line and column numbers are computed here, never in rules.

pub mod excerpt;
mod html;
mod human;
mod json;
pub mod kb_errors;
pub mod lines;

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::lint::FileReport;

pub use html::{write_html, RunInfo};
pub use human::write_human;
pub use json::write_json;

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
                    for diagnostic in &linted.diagnostics {
                        match diagnostic.severity {
                            Severity::Error => summary.errors += 1,
                            Severity::Warning => summary.warnings += 1,
                            Severity::Info => summary.infos += 1,
                        }
                    }
                }
                Err(_) => summary.unreadable += 1,
            }
        }
        summary
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
