use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

declare_rule! {
    /// ## What it flags
    /// A suppression directive that silences nothing: a
    /// `<!-- factlint-disable-next-line RULE -->` whose next line has no
    /// `RULE` finding, a `<!-- factlint-disable RULE -->` region without one,
    /// a `factlint: disable-next-line RULE` line in a text file with nothing
    /// below it to silence, or a `factlint-enable` that closes no region.
    ///
    /// ## Why
    /// Suppressions outlive the text they were written for: the name gets
    /// corrected, the paragraph is cut, and the directive stays, ready to hide
    /// the next real finding in its place. Reporting the stale ones gets them
    /// cleaned up.
    ///
    /// ## Example
    /// ```text
    /// <!-- factlint-disable-next-line name-variant -->
    /// Kairat Abdrakhmanov met the delegation.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Kairat Abdrakhmanov met the delegation.
    /// ```
    ///
    /// ## Fix
    /// None: deleting a comment is left to the editor.
    ///
    /// ## Configure
    /// Only suppressions of rules that ran are checked, so turning a rule off
    /// does not make its suppressions look stale.
    pub struct UnusedSuppression;
}

static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    default_severity: Severity::Info,
    summary: "a suppression directive that suppresses nothing",
    documentation: UnusedSuppression::DOCUMENTATION,
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing: whether a suppression was used is known only after every
    /// other rule has run and the linter has dropped what it silences, so
    /// `lint::Linter` reports these itself. The rule is registered so that it
    /// is documented, listed, and can be selected, ignored or re-levelled
    /// like any other.
    fn check(&self, _context: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// The finding for a suppression that silenced nothing.
pub fn unused(suppression: &crate::document::Suppression) -> Diagnostic {
    use crate::document::suppress::DirectiveKind;
    let rule = suppression.rule.as_deref();
    let (message, label) = match (suppression.kind, rule) {
        (DirectiveKind::DisableNextLine, Some(rule)) => (
            format!("unused suppression: no `{rule}` finding on the next line"),
            "suppresses nothing",
        ),
        (DirectiveKind::DisableNextLine, None) => (
            "unused suppression: no finding on the next line".to_owned(),
            "suppresses nothing",
        ),
        (DirectiveKind::Disable, Some(rule)) => (
            format!("unused suppression: no `{rule}` finding in the region it disables"),
            "suppresses nothing",
        ),
        (DirectiveKind::Disable, None) => (
            "unused suppression: no finding in the region it disables".to_owned(),
            "suppresses nothing",
        ),
        (DirectiveKind::Enable, Some(rule)) => (
            format!("`factlint-enable {rule}` closes no `factlint-disable {rule}`"),
            "enables nothing",
        ),
        (DirectiveKind::Enable, None) => (
            "`factlint-enable` closes no `factlint-disable`".to_owned(),
            "enables nothing",
        ),
    };
    let mut diagnostic = Diagnostic::new(
        META.id,
        META.default_severity,
        suppression.directive.clone(),
        message,
    )
    .with_label(label);
    if let Some(rule) = rule {
        if super::by_id(rule).is_none() {
            diagnostic = diagnostic.with_note(format!("factlint has no built-in rule `{rule}`"));
        }
    }
    if suppression.kind == DirectiveKind::DisableNextLine {
        diagnostic = diagnostic
            .with_note("remove the directive, or move it above the line it was meant for");
    }
    diagnostic
}
