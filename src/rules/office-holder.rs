use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::date::Period;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::Judged;
use crate::kb::{EntityId, EntityKind, KnowledgeBase};

declare_rule! {
    /// ## What it flags
    /// A title from the knowledge base next to a person's name when the
    /// person did not hold that office at the date the sentence is judged at:
    /// "President of Kazakhstan Nursultan Nazarbayev" in a 2020 article
    /// (Nazarbayev left office on 20 March 2019), "Minister of Foreign
    /// Affairs Mr. Beibut Atamkulov" in late 2020.
    ///
    /// ## Why
    /// Titles go stale silently when copy is republished or reused, and a
    /// wrong title is a correction a newsroom has to print.
    ///
    /// ## How it decides
    /// The title may stand before the name (honorifics such as "Mr." or
    /// "His Excellency" in between are skipped) or after it following a
    /// comma. The person's roles in that office are compared with the judged
    /// date (the sentence's own date, or the document's). When the person
    /// never held the office, the finding is made only if the knowledge base
    /// knows who did hold it then. The note names the holder at that date and
    /// when this person held it.
    ///
    /// ## Not flagged
    /// Qualified titles: "former", "outgoing", "then-", "acting", and longer
    /// titles such as "First President" or "Deputy Minister"; titles the
    /// person held at that date; roles the knowledge base has no dates for.
    ///
    /// ## Example
    /// ```text
    /// Sunday, November 29th, 2020
    /// ... the steps taken by the President of Kazakhstan Nursultan Nazarbayev ...
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// ... the steps taken by the First President of Kazakhstan Nursultan Nazarbayev ...
    /// ```
    ///
    /// ## Configure
    /// Offices are `[[office]]` tables (title and aliases); who held them and
    /// when are the `roles` of each `[[person]]`.
    pub struct OfficeHolder;
}

static META: RuleMeta = RuleMeta {
    id: "office-holder",
    default_severity: Severity::Warning,
    summary: "a title attached to someone who did not hold it at that date",
    documentation: OfficeHolder::DOCUMENTATION,
};

impl Rule for OfficeHolder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        let text = context.text();
        // A finding judged at the document's date depends only on the
        // person, the title's words and the offices they name: later ones
        // copy the first (by its place in `out`).
        let mut first_at_document_date: FirstFindings<'_> = HashMap::default();
        for mention in context.mentions {
            let person = knowledge_base.forms[mention.form].entity;
            if knowledge_base.entity(person).kind != EntityKind::Person {
                continue;
            }
            let Some(title) = context.titles.around(text, mention.span()) else {
                continue;
            };
            let judged = context.judged_at(mention.start);
            let title_text = &text[title.span.clone()];
            let key = (person, title_text);
            if matches!(judged, Judged::Document(_)) {
                if let Some((offices, first)) = first_at_document_date.get(&key) {
                    if *offices == title.offices {
                        let mut copy = out[*first].copy_at(title.span.clone());
                        for label in &mut copy.secondary {
                            label.span = mention.span();
                        }
                        out.push(copy);
                        continue;
                    }
                }
            }
            let when = judged.period();
            let roles: Vec<(usize, Period)> = knowledge_base
                .roles(person)
                .iter()
                .filter(|role| title.offices.contains(&role.office))
                .map(|role| (role.office, role.period))
                .collect();
            let held_then = roles.iter().any(|(_, period)| period.overlaps(&when));
            if held_then {
                continue;
            }
            // The office this title names for this person: the one they held,
            // else the only office the wording can mean.
            let office = match (roles.first(), title.offices.as_slice()) {
                (Some((office, _)), _) => *office,
                (None, [only]) => *only,
                (None, _) => continue,
            };
            let holders_then = holders(knowledge_base, office, &when, person);
            if roles.is_empty() && holders_then.is_empty() {
                // Never known to hold it, and nobody known to hold it then:
                // the knowledge base is silent, so is the rule.
                continue;
            }
            let person_name = &knowledge_base.entity(person).name;
            let office_title = &knowledge_base.offices[office].title;
            // Said once, written into the message, the label and a note.
            // The words are joined, not formatted: a fraction of the cost,
            // paid for every first finding in every file.
            let described = judged.describe();
            let mut diagnostic = Diagnostic::new(
                META.id,
                META.default_severity,
                title.span.clone(),
                [person_name, " was not ", title_text, " ", &described].concat(),
            )
            .with_label(["not ", person_name, "'s title ", &described].concat())
            .with_secondary(mention.span(), "this person")
            .with_entity(&knowledge_base.entity(person).id)
            .with_note(context.judged_note(&judged));
            if roles.is_empty() {
                diagnostic = diagnostic.with_note(
                    [
                        "the knowledge base has no record of ",
                        person_name,
                        " as ",
                        office_title,
                    ]
                    .concat(),
                );
            } else {
                let periods: Vec<String> =
                    roles.iter().map(|(_, period)| period.to_string()).collect();
                diagnostic = diagnostic.with_note(
                    [
                        person_name,
                        " was ",
                        office_title,
                        " ",
                        &periods.join(" and "),
                    ]
                    .concat(),
                );
            }
            if holders_then.is_empty() {
                diagnostic = diagnostic.with_note(
                    [
                        "the knowledge base does not say who was ",
                        office_title,
                        " ",
                        &described,
                    ]
                    .concat(),
                );
            } else {
                let names: Vec<String> = holders_then
                    .iter()
                    .map(|(holder, period)| {
                        [
                            &knowledge_base.entity(*holder).name,
                            " (",
                            &period.to_string(),
                            ")",
                        ]
                        .concat()
                    })
                    .collect();
                diagnostic = diagnostic.with_note(
                    [&described, " the office was held by ", &names.join(" and ")].concat(),
                );
            }
            diagnostic = diagnostic.with_note(
                [
                    "help: if the sentence means an earlier time, say so (\"former ",
                    title_text,
                    "\", \"then-",
                    title_text,
                    "\") or give its date",
                ]
                .concat(),
            );
            if matches!(judged, Judged::Document(_)) {
                first_at_document_date
                    .entry(key)
                    .or_insert_with(|| (title.offices.clone(), out.len()));
            }
            out.push(diagnostic);
        }
    }
}

/// Of each person and title wording, the offices the wording names and the
/// first finding judged at the document's date.
type FirstFindings<'a> = HashMap<(EntityId, &'a str), (Vec<usize>, usize), FixedState>;

/// Who held `office` at some time in `when`, other than `except`.
fn holders(
    knowledge_base: &KnowledgeBase,
    office: usize,
    when: &Period,
    except: EntityId,
) -> Vec<(EntityId, Period)> {
    knowledge_base.office_holders[office]
        .iter()
        .filter(|(holder, period)| {
            *holder != except && period.overlaps(when) && *period != Period::default()
        })
        .copied()
        .collect()
}
