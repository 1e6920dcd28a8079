//! Findings as plain data. Rendering them is the reporters' business.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A replacement for a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub replacement: String,
    pub span: Range<usize>,
}

/// A secondary place in the same document the finding refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The bytes the finding is about.
    pub span: Range<usize>,
    /// A few words under the underlined span.
    pub label: String,
    /// The id of the entity the finding is about, if any.
    pub entity: Option<String>,
    pub suggestions: Vec<Suggestion>,
    pub notes: Vec<String>,
    pub secondary: Vec<Label>,
}
