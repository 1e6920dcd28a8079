//! The rules, one file each, and the registry that lists them.
//!
//! A rule reads the document's mentions (found once by the scanner) and the
//! knowledge base, and appends diagnostics. Rules hold no state, so one
//! instance serves every thread.

// Rule files are named by rule id, so a newcomer finds `name-variant` in
// `src/rules/name-variant.rs` and its fixtures in `tests/fixtures/name-variant/`.
#[path = "acronym-mismatch.rs"]
mod acronym_mismatch;
#[path = "member-count.rs"]
mod member_count;
#[path = "member-term.rs"]
mod member_term;
#[path = "mixed-script.rs"]
mod mixed_script;
#[path = "name-inconsistent.rs"]
pub mod name_inconsistent;
#[path = "name-near-miss.rs"]
mod name_near_miss;
#[path = "name-variant.rs"]
mod name_variant;
#[path = "office-holder.rs"]
mod office_holder;
#[path = "stale-name.rs"]
mod stale_name;
#[path = "unused-suppression.rs"]
mod unused_suppression;

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::{self, DocumentDate, Judged};
use crate::document::sentences::sentence_around;
use crate::document::Document;
use crate::kb::KnowledgeBase;
use crate::near_miss::NearMiss;
use crate::scan::Mention;
use crate::titles::OfficeTitles;

pub use acronym_mismatch::AcronymMismatch;
pub use member_count::MemberCount;
pub use member_term::MemberTerm;
pub use mixed_script::MixedScript;
pub use name_inconsistent::NameInconsistent;
pub use name_near_miss::NameNearMiss;
pub use name_variant::NameVariant;
pub use office_holder::OfficeHolder;
pub use stale_name::StaleName;
pub use unused_suppression::{unused as unused_suppression, UnusedSuppression};

/// Declares a rule's unit struct and keeps its doc comment available at run
/// time as `DOCUMENTATION`, so `factlint explain` and the code never drift.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const DOCUMENTATION: &'static str = concat!($($doc, "\n"),*);
        }
    };
}
pub(crate) use declare_rule;

/// What the registry knows about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable kebab-case id, also the file name and the fixture name.
    pub id: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// The rule's doc comment.
    pub documentation: &'static str,
}

/// Everything a rule may look at for one document.
pub struct Context<'a> {
    pub document: &'a Document,
    pub knowledge_base: &'a KnowledgeBase,
    pub mentions: &'a [Mention],
    /// Unknown spellings close to known names.
    pub near_misses: &'a [NearMiss],
    pub titles: &'a OfficeTitles,
    /// The date temporal rules judge at, unless a sentence names its own.
    pub document_date: &'a DocumentDate,
    /// Lines of the file, for notes.
    source_lines: LineCursor,
    /// Sentences already read, by start: their end and the date they name.
    /// Several rules ask about the same sentences.
    sentences: RefCell<BTreeMap<usize, (usize, Vec<dates::NamedDate>)>>,
    /// What `name-inconsistent` and the run-wide spellings both read.
    spelling_occurrences: OnceCell<Vec<name_inconsistent::Occurrence<'a>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        document: &'a Document,
        knowledge_base: &'a KnowledgeBase,
        mentions: &'a [Mention],
        near_misses: &'a [NearMiss],
        titles: &'a OfficeTitles,
        document_date: &'a DocumentDate,
    ) -> Context<'a> {
        Context {
            document,
            knowledge_base,
            mentions,
            near_misses,
            titles,
            document_date,
            source_lines: LineCursor::default(),
            sentences: RefCell::new(BTreeMap::new()),
            spelling_occurrences: OnceCell::new(),
        }
    }

    /// The linted text.
    pub fn text(&self) -> &'a str {
        self.document.text()
    }

    /// The time a mention at `offset` is judged at: the date its sentence
    /// names, or else the document's date.
    pub fn judged_at(&self, offset: usize) -> Judged<'a> {
        match self.sentence_date(offset) {
            Some(named) => Judged::Sentence(named),
            None => Judged::Document(self.document_date),
        }
    }

    /// The date the sentence around `offset` names nearest to it; each
    /// sentence is found and read once.
    fn sentence_date(&self, offset: usize) -> Option<dates::NamedDate> {
        let known = self
            .sentences
            .borrow()
            .range(..=offset)
            .next_back()
            .filter(|(_, (end, _))| offset < *end)
            .map(|(_, (_, named))| named.clone());
        if let Some(named) = known {
            return dates::nearest(named, offset);
        }
        let text = self.text();
        let sentence: Range<usize> = sentence_around(text, offset);
        let named = dates::sentence_dates(text, sentence.clone());
        if !sentence.is_empty() {
            self.sentences
                .borrow_mut()
                .insert(sentence.start, (sentence.end, named.clone()));
        }
        dates::nearest(named, offset)
    }

    /// The note that says what a temporal diagnostic judged at.
    pub fn judged_note(&self, judged: &Judged<'_>) -> String {
        // Lines are the file's: for HTML the linted text has other lines.
        let source = &self.document.source;
        judged.note(&|offset| {
            self.source_lines
                .line(source, self.document.source_span(offset..offset).start)
        })
    }
}

/// Finds lines by counting line breaks on from the last offset asked
/// about: rules ask in text order, so a rule reads the file up to its last
/// finding once, where an index of every line was built per rule.
#[derive(Debug)]
struct LineCursor {
    /// The last offset asked about, and its 1-based line.
    last: Cell<(usize, usize)>,
}

impl Default for LineCursor {
    fn default() -> LineCursor {
        LineCursor {
            last: Cell::new((0, 1)),
        }
    }
}

impl LineCursor {
    /// The 1-based line of `text` holding byte `offset`.
    fn line(&self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        let line_breaks = |range: Range<usize>| memchr::memchr_iter(b'\n', &bytes[range]).count();
        let (last_offset, last_line) = self.last.get();
        let line = if offset >= last_offset {
            last_line + line_breaks(last_offset..offset)
        } else {
            last_line - line_breaks(offset..last_offset)
        };
        self.last.set((offset, line));
        line
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, sorted by id.
pub static RULES: &[&dyn Rule] = &[
    &AcronymMismatch,
    &MemberCount,
    &MemberTerm,
    &MixedScript,
    &NameInconsistent,
    &NameNearMiss,
    &NameVariant,
    &OfficeHolder,
    &StaleName,
    &UnusedSuppression,
];

pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().id == id)
}

#[cfg(test)]
mod tests {
    use super::{LineCursor, RULES};
    use crate::report::lines::LineIndex;

    fn assert_lines_agree_with_the_line_index(text: &str, offsets: &[usize]) {
        let index = LineIndex::new(text);
        let cursor = LineCursor::default();
        for &offset in offsets {
            assert_eq!(
                cursor.line(text, offset),
                index.line_of(offset) + 1,
                "{offset} in {text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_line_cursor_agrees_with_the_line_index(
            text in "([a-z ]|\n|\r\n|é){0,80}",
            offsets in proptest::collection::vec(0usize..100, 0..20),
        ) {
            assert_lines_agree_with_the_line_index(&text, &offsets);
        }
    }

    #[test]
    fn the_line_cursor_agrees_with_the_line_index_on_the_corpus() {
        for text in crate::test_texts::corpus() {
            let forwards: Vec<usize> = (0..=text.len() + 3).step_by(37).collect();
            let backwards: Vec<usize> = forwards.iter().rev().copied().collect();
            let jumping: Vec<usize> = forwards
                .iter()
                .map(|offset| (offset * 7_919) % (text.len() + 5))
                .collect();
            for offsets in [forwards, backwards, jumping] {
                assert_lines_agree_with_the_line_index(&text, &offsets);
            }
        }
    }

    #[test]
    fn registry_is_sorted_and_ids_are_unique() {
        let ids: Vec<&str> = RULES.iter().map(|rule| rule.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn every_rule_file_is_named_after_its_id() {
        for rule in RULES {
            let file = format!(
                "{}/src/rules/{}.rs",
                env!("CARGO_MANIFEST_DIR"),
                rule.meta().id
            );
            assert!(std::path::Path::new(&file).exists(), "missing {file}");
            assert!(!rule.meta().documentation.trim().is_empty());
        }
    }
}
