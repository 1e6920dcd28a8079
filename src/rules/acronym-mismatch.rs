use std::ops::Range;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kb::{EntityFacts, EntityId, FormKind, KnowledgeBase};
use crate::scan::Mention;

declare_rule! {
    /// ## What it flags
    /// An expansion and its parenthesised acronym ("Expansion (ACRONYM)" or
    /// "ACRONYM (Expansion)") that do not belong together:
    /// - the expansion is a known organization's (or a listed variant of it)
    ///   and the acronym is another's or none: "Islamic Organization for
    ///   Food Safety (OIC)" is the Islamic Organization for Food Security,
    ///   IOFS;
    /// - the acronym is known and the expansion nearly, but not exactly,
    ///   spells its name ("Organisation of the Islamic Cooperations (OIC)");
    /// - for pairs the knowledge base does not know, the acronym's letters
    ///   cannot be the initials of the expansion ("World Health Organization
    ///   (WTO)"). The knowledge base cannot vouch for these, so they are
    ///   reported as `info`.
    ///
    /// ## Why
    /// An acronym glued to the wrong name tells the reader the wrong
    /// organization, and every later use of the acronym inherits the error.
    ///
    /// ## Example
    /// ```text
    /// the establishment of the Islamic Organization for Food Safety (OIC)
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// the establishment of the Islamic Organization for Food Security (IOFS)
    /// ```
    /// The suggestion is the canonical pair. A known variant of the right
    /// organization with its right acronym is left to `name-variant`.
    ///
    /// ## Configure
    /// `name`, `aliases`, `variants` and `acronym` of an `[[organization]]`.
    pub struct AcronymMismatch;
}

static META: RuleMeta = RuleMeta {
    id: "acronym-mismatch",
    default_severity: Severity::Error,
    summary: "an expansion and a parenthesised acronym that do not belong together",
    documentation: AcronymMismatch::DOCUMENTATION,
};

/// Lowercase words allowed inside an expansion.
const CONNECTORS: &[&str] = &[
    "of", "for", "the", "and", "on", "in", "de", "des", "du", "la", "le", "to", "&",
];

/// How alike a written expansion must be to a known name to count as a
/// near miss of it (normalised Levenshtein similarity).
const NEAR_MISS: f64 = 0.85;

impl Rule for AcronymMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let text = context.text();
        // `(` is one ASCII byte, so the vectorised byte search finds the
        // same offsets as a search for the character, in a tenth of the
        // instructions over a whole document.
        for open in memchr::memchr_iter(b'(', text.as_bytes()) {
            let Some(close) = closing_parenthesis(text, open) else {
                continue;
            };
            let inner = open + 1..close;
            if is_acronym(&text[inner.clone()]) {
                let expansion_end = text[..open].trim_end().len();
                if expansion_end < open {
                    check_pair(context, expansion_end, inner, open..close + 1, true, out);
                }
            } else if let Some(acronym_start) = acronym_before(text, open) {
                let acronym = acronym_start..text[..open].trim_end().len();
                check_pair(
                    context,
                    close,
                    acronym,
                    acronym_start..close + 1,
                    false,
                    out,
                );
            }
        }
    }
}

/// Checks one pair. For "Expansion (ACR)" `expansion_end` is where the
/// expansion ends; for "ACR (Expansion)" it is the closing parenthesis.
fn check_pair(
    context: &Context<'_>,
    expansion_end: usize,
    acronym: Range<usize>,
    pair_tail: Range<usize>,
    expansion_first: bool,
    out: &mut Vec<Diagnostic>,
) {
    let knowledge_base = context.knowledge_base;
    let text = context.text();
    let acronym_text = &text[acronym.clone()];
    let acronym_entity = mention_at(context.mentions, &acronym)
        .map(|mention| knowledge_base.forms[mention.form].entity);
    let expansion_mention = if expansion_first {
        mention_ending_at(context.mentions, expansion_end)
    } else {
        mention_at(
            context.mentions,
            &(after_parenthesis(text, pair_tail.start)..expansion_end),
        )
    };

    match (expansion_mention, acronym_entity) {
        (Some(expansion), acronym_entity) => {
            let form = &knowledge_base.forms[expansion.form];
            if matches!(
                form.kind,
                FormKind::Acronym | FormKind::Former { acronym: true, .. }
            ) {
                return;
            }
            let entity = form.entity;
            if acronym_entity == Some(entity) {
                // Right acronym; a variant expansion is name-variant's.
                return;
            }
            let Some(right_acronym) = current_acronym(knowledge_base, entity, &form.kind) else {
                return;
            };
            if acronym_entity.is_none() && right_acronym == acronym_text {
                return;
            }
            let expansion_text = match &form.kind {
                FormKind::Variant { replacement } => replacement.clone(),
                _ => form.text.clone(),
            };
            let span = if expansion_first {
                expansion.start..pair_tail.end
            } else {
                pair_tail.start..pair_tail.end
            };
            // Joined, not formatted: a fraction of the cost of format!.
            let replacement = if expansion_first {
                [&expansion_text, " (", &right_acronym, ")"].concat()
            } else {
                [&right_acronym, " (", &expansion_text, ")"].concat()
            };
            let entity_name = &knowledge_base.entity(entity).name;
            let mut diagnostic = Diagnostic::new(
                META.id,
                META.default_severity,
                span,
                [
                    "`",
                    acronym_text,
                    "` is not the acronym of the ",
                    entity_name,
                ]
                .concat(),
            )
            .with_label(["the ", entity_name, " is ", &right_acronym].concat())
            .with_entity(&knowledge_base.entity(entity).id)
            .with_replacement(replacement);
            if let Some(other) = acronym_entity {
                diagnostic = diagnostic.with_note(
                    [
                        "`",
                        acronym_text,
                        "` is the ",
                        &knowledge_base.entity(other).name,
                    ]
                    .concat(),
                );
            }
            out.push(diagnostic);
        }
        (None, Some(entity)) => {
            // A known acronym with an unknown expansion: a near miss of
            // the organization's name?
            let Some((written, best)) =
                near_miss_expansion(context, entity, expansion_end, expansion_first, &pair_tail)
            else {
                return;
            };
            let span = if expansion_first {
                written.start..pair_tail.end
            } else {
                pair_tail.clone()
            };
            let replacement = if expansion_first {
                format!("{best} ({acronym_text})")
            } else {
                format!("{acronym_text} ({best})")
            };
            let entity = knowledge_base.entity(entity);
            out.push(
                Diagnostic::new(
                    META.id,
                    META.default_severity,
                    span,
                    format!(
                        "`{}` is not the name of the {acronym_text}",
                        &text[written.clone()]
                    ),
                )
                .with_label(format!("nearly the {}", entity.name))
                .with_entity(&entity.id)
                .with_replacement(replacement),
            );
        }
        (None, None) => {
            let expansion = if expansion_first {
                expansion_words_before(text, expansion_end)
            } else {
                after_parenthesis(text, pair_tail.start)..expansion_end
            };
            let written = &text[expansion.clone()];
            // Two capitalised words are as often a person and a role
            // ("Ronald Evans (CAPCOM)") as an organization.
            if written
                .split_whitespace()
                .filter(|word| starts_upper(word))
                .count()
                < 3
            {
                return;
            }
            if could_be_initials(acronym_text, written)
                || initials_in_another_order(acronym_text, written)
            {
                return;
            }
            let span = if expansion_first {
                expansion.start..pair_tail.end
            } else {
                pair_tail.clone()
            };
            // Neither side is known: an acronym in another language's word
            // order or a code (an airport's) looks the same, so this is a
            // prompt to check, not an error.
            out.push(
                Diagnostic::new(
                    META.id,
                    Severity::Info,
                    span,
                    format!("`{acronym_text}` cannot be the initials of `{written}`"),
                )
                .with_label("acronym and expansion do not match")
                .with_note("neither is in the knowledge base; acronyms from another language and codes can look like this"),
            );
        }
    }
}

/// Mentions are sorted and do not overlap, so a binary search finds them.
fn mention_at<'m>(mentions: &'m [Mention], span: &Range<usize>) -> Option<&'m Mention> {
    let index = mentions.partition_point(|mention| mention.start < span.start);
    mentions
        .get(index)
        .filter(|mention| mention.start == span.start && mention.end == span.end)
}

fn mention_ending_at(mentions: &[Mention], end: usize) -> Option<&Mention> {
    let index = mentions.partition_point(|mention| mention.end < end);
    mentions.get(index).filter(|mention| mention.end == end)
}

/// The acronym to write for an organization, given the form of its name
/// that was used (a former name goes with its former acronym).
fn current_acronym(
    knowledge_base: &KnowledgeBase,
    entity: EntityId,
    kind: &FormKind,
) -> Option<String> {
    match (&knowledge_base.entity(entity).facts, kind) {
        (EntityFacts::Organization { former, .. }, FormKind::Former { index, .. }) => {
            former.get(*index).and_then(|name| name.acronym.clone())
        }
        (EntityFacts::Organization { acronym, .. }, _) => acronym.clone(),
        _ => None,
    }
}

/// The name of `entity` closest to the words written as its expansion, if
/// they are a near miss of it.
fn near_miss_expansion(
    context: &Context<'_>,
    entity: EntityId,
    expansion_end: usize,
    expansion_first: bool,
    pair_tail: &Range<usize>,
) -> Option<(Range<usize>, String)> {
    let knowledge_base = context.knowledge_base;
    let text = context.text();
    let names: Vec<&str> = knowledge_base
        .forms_of(entity)
        .filter(|form| matches!(form.kind, FormKind::Canonical | FormKind::Alias))
        .map(|form| form.text.as_str())
        .filter(|name| name.contains(' '))
        .collect();
    // Lowercased once, not once per candidate.
    let lowercase_names: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
    let candidates: Vec<Range<usize>> = if expansion_first {
        let run = expansion_words_before(text, expansion_end);
        // Try each suffix of the capitalised run: the expansion may start
        // after some words that belong to the sentence.
        word_starts(text, run.clone())
            .into_iter()
            .map(|start| start..run.end)
            .collect()
    } else {
        std::iter::once(after_parenthesis(text, pair_tail.start)..expansion_end).collect()
    };
    let mut best: Option<(f64, Range<usize>, &str)> = None;
    for candidate in candidates {
        let written = text[candidate.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        for (name, lowercase_name) in names.iter().zip(&lowercase_names) {
            let score = strsim::normalized_levenshtein(&written, lowercase_name);
            if (NEAR_MISS..1.0).contains(&score)
                && best.as_ref().is_none_or(|(top, _, _)| score > *top)
            {
                best = Some((score, candidate.clone(), name));
            }
        }
    }
    best.map(|(_, span, name)| (span, name.to_owned()))
}

/// The run of capitalised words (and connectors) ending at `end`.
fn expansion_words_before(text: &str, end: usize) -> Range<usize> {
    let mut start = end;
    for (words, word) in text[..end].split([' ', '\n']).rev().enumerate() {
        let clean = word.trim_matches(|c: char| c == ',' || c == '"' || c == '“' || c == '”');
        let capitalised = starts_upper(clean);
        if (!capitalised && !CONNECTORS.contains(&clean)) || word.is_empty() || words >= 12 {
            break;
        }
        start -= word.len() + usize::from(start != end);
    }
    let mut start = start.min(end);
    // An expansion does not start with a connector, nor with the article
    // that opens a sentence ("The World Health Organization (WHO)").
    for connector in CONNECTORS.iter().chain(&["The"]) {
        // The connector and a space, compared in place rather than built
        // as a string per connector and call.
        let rest = &text.as_bytes()[start..end];
        if rest.starts_with(connector.as_bytes()) && rest.get(connector.len()) == Some(&b' ') {
            start += connector.len() + 1;
        }
    }
    start.min(end)..end
}

fn word_starts(text: &str, run: Range<usize>) -> Vec<usize> {
    let mut starts = vec![run.start];
    for (index, _) in text[run.clone()].match_indices(' ') {
        starts.push(run.start + index + 1);
    }
    starts
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "OIC", "UNRWA", "ICESCO", "G20": 2 to 10 characters, mostly capitals.
fn is_acronym(text: &str) -> bool {
    let length = text.chars().count();
    (2..=10).contains(&length)
        && text
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&' || c == '-')
        && text.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The start of an acronym standing right before `open` ("OIC (").
fn acronym_before(text: &str, open: usize) -> Option<usize> {
    let end = text[..open].trim_end().len();
    if end == open {
        return None;
    }
    let start = text[..end]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '&' || *c == '-'))
        .map_or(0, |(index, c)| index + c.len_utf8());
    is_acronym(&text[start..end]).then_some(start)
}

/// Where the text inside the first `(` at or after `from` starts.
fn after_parenthesis(text: &str, from: usize) -> usize {
    text[from..]
        .find('(')
        .map_or(from, |index| from + index + 1)
}

/// The `)` closing the `(` at `open`, on the same line and not too far.
fn closing_parenthesis(text: &str, open: usize) -> Option<usize> {
    let end = floor_boundary(text, (open + 160).min(text.len()));
    let rest = text.get(open + 1..end)?;
    let close = rest.find([')', '(', '\n'])?;
    (rest.as_bytes()[close] == b')').then_some(open + 1 + close)
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Whether the acronym's letters can be read, in order, from the
/// expansion's words (or parts of hyphenated words): each word used gives
/// its initial and may give further letters of itself in order ("ASEAN"
/// takes S and E from "Southeast", "ICESCO" I and C from "Islamic"); words
/// may be skipped. Lenient: it only rules out the impossible.
fn could_be_initials(acronym: &str, expansion: &str) -> bool {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<Vec<char>> = expansion
        .split([' ', '-'])
        .filter(|word| !word.is_empty())
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    readable(&letters, &words)
}

/// Every letter of the acronym starts some word of the expansion: an
/// acronym from the organization's own language, in its word order
/// ("People's Movement for the Liberation of Angola (MPLA)").
fn initials_in_another_order(acronym: &str, expansion: &str) -> bool {
    let initials: Vec<char> = expansion
        .split([' ', '-'])
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_lowercase)
        .collect();
    acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .all(|letter| initials.contains(&letter))
}

fn readable(letters: &[char], words: &[Vec<char>]) -> bool {
    let Some((first, _)) = letters.split_first() else {
        return true;
    };
    words.iter().enumerate().any(|(index, word)| {
        if word.first() != Some(first) {
            return false;
        }
        // Take the initial, then as many following letters from this word
        // as the acronym goes on with, trying every split.
        let mut taken = 1;
        let mut position = 1;
        loop {
            if readable(&letters[taken..], &words[index + 1..]) {
                return true;
            }
            let Some(next) = letters.get(taken) else {
                return false;
            };
            match word[position..].iter().position(|c| c == next) {
                Some(offset) => {
                    position += offset + 1;
                    taken += 1;
                }
                None => return false,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_test_is_lenient_but_rules_out_the_impossible() {
        assert!(could_be_initials("WHO", "World Health Organization"));
        assert!(could_be_initials(
            "UNRWA",
            "United Nations Relief and Works Agency for Palestine Refugees in the Near East"
        ));
        assert!(could_be_initials("DG", "Director-General"));
        assert!(could_be_initials(
            "FAO",
            "Food and Agriculture Organization"
        ));
        assert!(!could_be_initials("WTO", "World Health Organization"));
        assert!(!could_be_initials(
            "OIC",
            "Islamic Organization for Food Safety"
        ));
        assert!(!could_be_initials(
            "XYZ",
            "Food and Agriculture Organization"
        ));
    }

    #[test]
    fn recognises_acronyms() {
        assert!(is_acronym("OIC"));
        assert!(is_acronym("OIC-2025") && !is_acronym("G20"));
        assert!(!is_acronym("Jeddah"));
        assert!(!is_acronym("A"));
        assert!(is_acronym("UNRWA"));
    }

    /// The expansion search as it was when it built each connector and a
    /// space as a string: kept to show the in-place comparison agrees.
    fn expansion_words_before_by_format(text: &str, end: usize) -> Range<usize> {
        let mut start = end;
        for (words, word) in text[..end].split([' ', '\n']).rev().enumerate() {
            let clean = word.trim_matches(|c: char| c == ',' || c == '"' || c == '“' || c == '”');
            let capitalised = starts_upper(clean);
            if (!capitalised && !CONNECTORS.contains(&clean)) || word.is_empty() || words >= 12 {
                break;
            }
            start -= word.len() + usize::from(start != end);
        }
        let mut start = start.min(end);
        for connector in CONNECTORS.iter().chain(&["The"]) {
            let prefix = format!("{connector} ");
            if text[start..end].starts_with(&prefix) {
                start += prefix.len();
            }
        }
        start.min(end)..end
    }

    proptest::proptest! {
        #[test]
        fn the_expansion_search_agrees_with_the_one_that_built_prefixes(
            text in "(of |for |the |and |The |de |la |to |& |World |Health |Organization |[a-zA-Zé,\"“” ]|\n){0,30}",
        ) {
            for end in (0..=text.len()).filter(|end| text.is_char_boundary(*end)) {
                proptest::prop_assert_eq!(
                    expansion_words_before(&text, end),
                    expansion_words_before_by_format(&text, end)
                );
            }
        }
    }

    #[test]
    fn the_byte_search_finds_every_opening_parenthesis() {
        for text in crate::test_texts::corpus() {
            let by_byte: Vec<usize> = memchr::memchr_iter(b'(', text.as_bytes()).collect();
            let by_char: Vec<usize> = text.match_indices('(').map(|(index, _)| index).collect();
            assert_eq!(by_byte, by_char);
        }
    }

    #[test]
    fn finds_the_capitalised_run_before_a_parenthesis() {
        let text = "the role of the World Health Organization (WHO) in";
        let end = text.find(" (").unwrap();
        assert_eq!(
            &text[expansion_words_before(text, end)],
            "World Health Organization"
        );
        let text = "hosted by the Islamic Organization for Food Security (IOFS).";
        let end = text.find(" (").unwrap();
        assert_eq!(
            &text[expansion_words_before(text, end)],
            "Islamic Organization for Food Security"
        );
    }
}
