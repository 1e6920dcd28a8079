use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kb::{FormId, FormKind};

declare_rule! {
    /// ## What it flags
    /// A person, organization or place written with a spelling that the
    /// knowledge base lists as a known variant of its canonical name.
    ///
    /// ## Why
    /// One person spelled three ways in one newsroom's copy ("Kairat
    /// Abdrakhmanov", "Khairat Abdulrahmanov", "Abdurahmanov") reads as three
    /// people, breaks search and archives, and is the first thing a reader
    /// from that country notices.
    ///
    /// ## Example
    /// ```text
    /// Mr. Khairat Abdulrahmanov, High Commissioner on National Minorities
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Mr. Kairat Abdrakhmanov, High Commissioner on National Minorities
    /// ```
    /// A full-name variant is replaced by the full canonical name, a surname
    /// variant by the canonical surname ("Abdurahmanov" becomes
    /// "Abdrakhmanov"). Accepted aliases ("Khaled Khiari" for Mohamed Khaled
    /// Khiari, "Organization" for "Organisation") are never flagged.
    ///
    /// ## Fix
    /// The suggestion is the only one for the finding, so `--fix` applies it.
    ///
    /// ## Configure
    /// Add spellings to an entity's `variants` (or, to accept one, to its
    /// `aliases`) in a pack loaded with `--rules`.
    pub struct NameVariant;
}

static META: RuleMeta = RuleMeta {
    id: "name-variant",
    default_severity: Severity::Error,
    summary: "a known non-canonical spelling of a person, organization or place",
    documentation: NameVariant::DOCUMENTATION,
};

impl Rule for NameVariant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        // A finding depends on the form alone: a form's later mentions copy
        // its first finding (by its place in `out`), as stale-name and
        // office-holder do. A map, not a list: a document may name
        // thousands of variant forms (the benchmark's prefix corner names
        // 10,000).
        let mut first_finding: HashMap<FormId, usize, FixedState> = HashMap::default();
        for mention in context.mentions {
            let form = &knowledge_base.forms[mention.form];
            let FormKind::Variant { replacement } = &form.kind else {
                continue;
            };
            if let Some(&first) = first_finding.get(&mention.form) {
                let copy = out[first].copy_at(mention.span());
                out.push(copy);
                continue;
            }
            first_finding.insert(mention.form, out.len());
            let entity = knowledge_base.entity(form.entity);
            // Joined, not formatted: a fraction of the cost, paid for the
            // first finding of each form in each file.
            let message = ["`", &form.text, "` is a variant spelling of ", &entity.name].concat();
            let note = [
                &entity.name,
                " (",
                entity.kind.as_str(),
                " `",
                &entity.id,
                "`): `",
                &form.text,
                "` is listed as a variant of `",
                replacement,
                "` in ",
                &knowledge_base.packs[form.pack].name,
            ]
            .concat();
            out.push(
                Diagnostic::new(META.id, META.default_severity, mention.span(), message)
                    .with_label("not the canonical spelling")
                    .with_entity(&entity.id)
                    .with_replacement(replacement)
                    .with_note(note),
            );
        }
    }
}
