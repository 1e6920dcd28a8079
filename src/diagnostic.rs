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
    /// Whether `--fix` may apply the suggestions. False for findings inside a
    /// direct quotation (a speaker's words are not the newsroom's to change)
    /// and for spans whose file bytes are not the linted text (a name split
    /// by a tag or written with an entity), where a replacement would
    /// rewrite markup.
    pub fixable: bool,
}

impl Diagnostic {
    /// A finding with no suggestion, note or secondary label yet; add them
    /// with the `with_*` methods. Rules build diagnostics this way so that new
    /// fields never break them.
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            span,
            label: String::new(),
            entity: None,
            suggestions: Vec::new(),
            notes: Vec::new(),
            secondary: Vec::new(),
            fixable: true,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_entity(mut self, entity: impl Into<String>) -> Diagnostic {
        self.entity = Some(entity.into());
        self
    }

    /// A replacement for the diagnostic's own span.
    pub fn with_replacement(mut self, replacement: impl Into<String>) -> Diagnostic {
        self.suggestions.push(Suggestion {
            replacement: replacement.into(),
            span: self.span.clone(),
        });
        self
    }

    pub fn with_suggestion(mut self, suggestion: Suggestion) -> Diagnostic {
        self.suggestions.push(suggestion);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// The same finding at `span`: its suggestions for the whole span move
    /// with it. Rules whose findings read the same for many mentions (a
    /// form, judged at the document's date) copy the first: formatting its
    /// words again for each was most of their time on long documents.
    pub fn copy_at(&self, span: Range<usize>) -> Diagnostic {
        let mut copy = self.clone();
        for suggestion in &mut copy.suggestions {
            if suggestion.span == self.span {
                suggestion.span = span.clone();
            }
        }
        copy.span = span;
        copy
    }

    pub fn with_secondary(mut self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}
