use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

declare_rule! {
    /// ## What it flags
    /// A capitalised word, or a run of capitalised words, that is not a
    /// known spelling but is close to one: "Abdrahmanov" for Abdrakhmanov,
    /// "Mohammed Khaled Khiary" for Mohamed Khaled Khiari. Lists of variants
    /// are never complete; this catches the ones nobody listed.
    ///
    /// ## Why
    /// Romanised Arabic, Turkic and Slavic names are misspelled in ways no
    /// list foresees, and each misspelling splits an archive and misnames a
    /// person.
    ///
    /// ## How close is close
    /// A word is compared with people's surnames and one-word place names
    /// through a transliteration-aware key (kh/h, q/k, dh/d, ou/u, y/i/j,
    /// doubled letters, -ev/-yev/-iev, Mohamed/Mohammed/Muhammad, short-vowel
    /// swaps, al-/el-, hyphens and spaces), then confirmed by
    /// Damerau-Levenshtein distance (at most 2 edits by default) and
    /// Jaro-Winkler similarity (at least 0.85). A run of words is a near miss
    /// of a full name when every word is equal or close to the name's word in
    /// the same place.
    ///
    /// ## Not flagged
    /// Ordinary English words (an embedded word list), words of any known
    /// name, all-capital acronyms, words shorter than 5 letters, words far
    /// from every name.
    ///
    /// ## Example
    /// ```text
    /// Abdrahmanov discussed conflict prevention.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Abdrakhmanov discussed conflict prevention.
    /// ```
    ///
    /// ## Configure
    /// List a real spelling as an alias (accepted) or a variant (flagged)
    /// in a pack; thresholds are `max-edits` and `min-length` under
    /// `[near-miss]` in the project configuration.
    pub struct NameNearMiss;
}

static META: RuleMeta = RuleMeta {
    id: "name-near-miss",
    default_severity: Severity::Warning,
    summary: "an unknown spelling close to a known name",
    documentation: NameNearMiss::DOCUMENTATION,
};

impl Rule for NameNearMiss {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        for near_miss in context.near_misses {
            let entity = knowledge_base.entity(near_miss.entity);
            let written = &context.text()[near_miss.span.clone()];
            out.push(
                Diagnostic::new(
                    META.id,
                    META.default_severity,
                    near_miss.span.clone(),
                    format!("`{written}` looks like a misspelling of {}", entity.name),
                )
                .with_label(format!("close to `{}`", near_miss.suggestion))
                .with_entity(&entity.id)
                .with_replacement(near_miss.suggestion.clone())
                .with_note(format!(
                    "{} ({} `{}`): {}",
                    entity.name,
                    entity.kind.as_str(),
                    entity.id,
                    near_miss.reason
                ))
                .with_note(format!(
                    "help: if `{written}` is right, add it to the entity's `aliases`; if it is another name, add that to the knowledge base"
                )),
            );
        }
    }
}
