use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::date::Period;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::Judged;
use crate::kb::{EntityFacts, FormId, FormKind, KnowledgeBase, SurfaceForm};
use crate::scan::Mention;

declare_rule! {
    /// ## What it flags
    /// A place or organization name used at a date after it stopped being
    /// official: "Nur-Sultan" in a 2024 article (Astana again since 17
    /// September 2022), "Astana" for April 2019 (Nur-Sultan then),
    /// "Organisation of the Islamic Conference" after 28 June 2011, "ISESCO"
    /// after 30 January 2020.
    ///
    /// ## Why
    /// Renamed capitals, countries and organizations are the commonest
    /// factual slip in republished copy: the text was right when it was
    /// written and wrong by the time it ran.
    ///
    /// ## How the date is chosen
    /// A sentence that names its own date ("in Astana in September 2017") is
    /// judged at that date; every other mention at the document's date (see
    /// `--date`). A month is judged as a whole: a name is flagged only if it
    /// was out of date on every day of it.
    ///
    /// ## Not flagged
    /// Fixed names that keep an old form (Astana Process, Alma-Ata
    /// Declaration); explicit historical glosses ("formerly Alma-Ata",
    /// "Nur-Sultan (now Astana)"); a name correct at its date; a new name
    /// used for a time before the rename (a text may call a 2016 event
    /// "in Türkiye").
    ///
    /// ## Example
    /// ```text
    /// date 2024-06-28: The forum opened in Nur-Sultan.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// date 2024-06-28: The forum opened in Astana.
    /// ```
    ///
    /// ## Configure
    /// Names and their periods are data: `names` of a `[[place]]`, `former`
    /// of an `[[organization]]`, `fixed` for proper names that keep an old
    /// form.
    pub struct StaleName;
}

static META: RuleMeta = RuleMeta {
    id: "stale-name",
    default_severity: Severity::Warning,
    summary: "a place or organization name used outside the period it was official",
    documentation: StaleName::DOCUMENTATION,
};

/// Words just before a name that mark it as deliberately historical.
const GLOSSES_BEFORE: &[&str] = &[
    "formerly",
    "formerly known as",
    "formerly called",
    "previously",
    "previously known as",
    "then called",
    "then known as",
    "then named",
    "once called",
    "once known as",
    "originally",
    "originally called",
    "renamed from",
    "the former",
    "old name",
    "former name",
    "known until",
    "then-",
];

/// What may follow a name to gloss it as historical: "Nur-Sultan (now
/// Astana)".
const GLOSSES_AFTER: &[&str] = &[
    " (now ",
    ", now ",
    " (today ",
    " (renamed ",
    " (since renamed ",
    " (as it was then",
    " (then ",
];

impl Rule for StaleName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        // A finding judged at the document's date depends on its form
        // alone: a form's later ones copy the first (by its place in `out`).
        let mut first_at_document_date: HashMap<FormId, usize, FixedState> = HashMap::default();
        for mention in context.mentions {
            let form = &knowledge_base.forms[mention.form];
            let Some(accepted) = accepted_periods(knowledge_base, form) else {
                continue;
            };
            let judged = context.judged_at(mention.start);
            let when = judged.period();
            if accepted.iter().any(|period| period.overlaps(&when)) {
                continue;
            }
            // A name used before its first period is a current name applied
            // to the past, not a stale one.
            let start = judged.start();
            if !accepted
                .iter()
                .any(|period| period.until.is_some_and(|until| until <= start))
            {
                continue;
            }
            if is_glossed(context.text(), mention) {
                continue;
            }
            if matches!(judged, Judged::Document(_)) {
                if let Some(&first) = first_at_document_date.get(&mention.form) {
                    let copy = out[first].copy_at(mention.span());
                    out.push(copy);
                    continue;
                }
                first_at_document_date.insert(mention.form, out.len());
            }
            let entity = knowledge_base.entity(form.entity);
            let current = name_at(knowledge_base, form, start);
            // Said once, written into the message and the label. The words
            // are joined, not formatted: a fraction of the cost, paid for
            // every first finding in every file.
            let described = judged.describe();
            let message = match &current {
                Some(current) => [
                    "`",
                    &form.text,
                    "` was not the name in use ",
                    &described,
                    ": it was `",
                    current,
                    "`",
                ]
                .concat(),
                None => [
                    "`",
                    &form.text,
                    "` was no longer the name in use ",
                    &described,
                ]
                .concat(),
            };
            let official = accepted
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" and ");
            let mut diagnostic =
                Diagnostic::new(META.id, META.default_severity, mention.span(), message)
                    .with_label(["stale name ", &described].concat())
                    .with_entity(&entity.id)
                    .with_note(context.judged_note(&judged))
                    .with_note(
                        [
                            "`",
                            &form.text,
                            "` (",
                            entity.kind.as_str(),
                            " `",
                            &entity.id,
                            "`) was the name in use ",
                            &official,
                        ]
                        .concat(),
                    );
            match current {
                Some(current) => diagnostic = diagnostic.with_replacement(current),
                None => {
                    diagnostic =
                        diagnostic.with_note("the knowledge base has no name for that date")
                }
            }
            out.push(diagnostic);
        }
    }
}

/// When writing this form is right, if it is a dated name at all.
fn accepted_periods(knowledge_base: &KnowledgeBase, form: &SurfaceForm) -> Option<Vec<Period>> {
    match (&form.kind, &knowledge_base.entity(form.entity).facts) {
        (FormKind::Canonical, EntityFacts::Place { names }) => {
            let periods = || {
                names
                    .iter()
                    .filter(|name| name.name == form.text)
                    .map(|name| name.accepted())
            };
            // An undated name (a place that was never renamed) is never
            // stale. Most place mentions are of such names: they are ruled
            // out before a list is allocated for them.
            if periods().all(|period| period == Period::default()) {
                None
            } else {
                Some(periods().collect())
            }
        }
        (FormKind::Former { index, .. }, EntityFacts::Organization { former, .. }) => {
            former.get(*index).map(|name| vec![name.period])
        }
        _ => None,
    }
}

/// The name to write instead at `date`.
fn name_at(
    knowledge_base: &KnowledgeBase,
    form: &SurfaceForm,
    date: crate::date::Date,
) -> Option<String> {
    let entity = knowledge_base.entity(form.entity);
    match (&form.kind, &entity.facts) {
        (_, EntityFacts::Place { names }) => names
            .iter()
            .find(|name| name.period.contains(date))
            .map(|name| name.name.clone()),
        (FormKind::Former { acronym: true, .. }, EntityFacts::Organization { acronym, .. }) => {
            acronym.clone()
        }
        (_, EntityFacts::Organization { former, .. }) => Some(
            former
                .iter()
                .find(|name| name.period.contains(date))
                .map_or_else(|| entity.name.clone(), |name| name.name.clone()),
        ),
        _ => None,
    }
}

fn is_glossed(text: &str, mention: &Mention) -> bool {
    let mut window_start = mention.start.saturating_sub(40);
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    let before = text[window_start..mention.start]
        .trim_end_matches([' ', '(', ','])
        .to_lowercase();
    if GLOSSES_BEFORE.iter().any(|gloss| before.ends_with(gloss)) {
        return true;
    }
    let after = &text[mention.end..];
    GLOSSES_AFTER.iter().any(|gloss| after.starts_with(gloss))
}
