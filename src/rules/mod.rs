//! The rules, one file each, and the registry that lists them.
//!
//! A rule reads the document's mentions (found once by the scanner) and the
//! knowledge base, and appends diagnostics. Rules hold no state, so one
//! instance serves every thread.

// Rule files are named by rule id, so a newcomer finds `name-variant` in
// `src/rules/name-variant.rs` and its fixtures in `tests/fixtures/name-variant/`.
#[path = "name-variant.rs"]
mod name_variant;
#[path = "unused-suppression.rs"]
mod unused_suppression;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::kb::KnowledgeBase;
use crate::scan::Mention;

pub use name_variant::NameVariant;
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
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, sorted by id.
pub static RULES: &[&dyn Rule] = &[&NameVariant, &UnusedSuppression];

pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().id == id)
}

#[cfg(test)]
mod tests {
    use super::RULES;

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
