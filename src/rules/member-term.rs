use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kb::EntityFacts;

declare_rule! {
    /// ## What it flags
    /// The wrong collective word for an organization's members, where the
    /// organization has its own: "OSCE member states" (the OSCE's members are
    /// "participating States").
    ///
    /// ## Why
    /// The OSCE's own term is a deliberate one, and house style in
    /// diplomatic reporting follows it. "Member states" is common loose
    /// usage, so this is information, not an error.
    ///
    /// ## Example
    /// ```text
    /// the 57 OSCE member states
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// the 57 OSCE participating States
    /// ```
    ///
    /// ## Configure
    /// `member-term = "participating States"` on an `[[organization]]`.
    pub struct MemberTerm;
}

static META: RuleMeta = RuleMeta {
    id: "member-term",
    default_severity: Severity::Info,
    summary: "the wrong collective term for an organization's members",
    documentation: MemberTerm::DOCUMENTATION,
};

/// Generic words for members that an organization may replace by its own.
const GENERIC_TERMS: &[&str] = &[
    "member states",
    "member countries",
    "member nations",
    "member-states",
];

impl Rule for MemberTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        let text = context.text();
        for mention in context.mentions {
            let form = &knowledge_base.forms[mention.form];
            let entity = knowledge_base.entity(form.entity);
            let EntityFacts::Organization {
                member_term: Some(own_term),
                ..
            } = &entity.facts
            else {
                continue;
            };
            let after = &text[mention.end..];
            let possessive = ["'s ", "’s ", " "]
                .iter()
                .find(|joint| after.starts_with(**joint))
                .map_or(0, |joint| joint.len());
            if possessive == 0 {
                continue;
            }
            let rest = &after[possessive..];
            let Some(term) = GENERIC_TERMS.iter().find(|term| {
                rest.get(..term.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(term))
                    && crate::scan::boundary_after(rest, term.len())
            }) else {
                continue;
            };
            if term.eq_ignore_ascii_case(own_term) {
                continue;
            }
            let start = mention.end + possessive;
            let span = start..start + term.len();
            let name = super::member_count::display_name(knowledge_base, form.entity);
            out.push(
                Diagnostic::new(
                    META.id,
                    META.default_severity,
                    span,
                    ["the ", &name, " calls its members ", own_term].concat(),
                )
                .with_label(["the ", &name, "'s own term is ", own_term].concat())
                .with_entity(&entity.id)
                .with_replacement(own_term.clone()),
            );
        }
    }
}
