use std::ops::Range;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::{ascii_digit_bits, StandInRegex, HIGH_BITS};
use crate::document::sentences::{sentence_at, Sentence};
use crate::kb::{EntityFacts, EntityId, EntityKind, KnowledgeBase, MemberCountFact};
use crate::scan::Mention;

declare_rule! {
    /// ## What it flags
    /// A number attached to an organization's members that contradicts the
    /// knowledge base at the judged date: "56 OSCE member states" (the OSCE
    /// has had 57 participating States since 21 November 2012), "the
    /// 58-member body" for the OIC.
    ///
    /// ## Why
    /// Counts are copied from one organization's boilerplate into another's
    /// story. When the number and the word for the members fit another
    /// organization the text is about, the message names the likely mix-up.
    ///
    /// ## How it reads the text
    /// "56 OSCE member states", "57 participating States of the OSCE", "34
    /// member countries of the IOFS" name their organization; "the 57-member
    /// body" and "its 57 members" refer to the nearest organization named
    /// before them in the sentence. Counts are judged at the sentence's own
    /// date or the document's.
    ///
    /// ## Not flagged
    /// A count that was right at that date ("56 OSCE participating States"
    /// in 2010); one fewer than the total with a plain "countries" or
    /// "states" ("56 countries of the OIC": the others, as seen from one
    /// member); organizations without counts in the knowledge base.
    ///
    /// ## Example
    /// ```text
    /// Foreign Ministers of 56 OSCE member states addressed ... (OIC meeting, 2020)
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Foreign Ministers of the OIC member states addressed ...
    /// ```
    ///
    /// ## Configure
    /// `members = [{ count = 57, term = "participating States", from = ..., until = ... }]`
    /// and `member-term` on an `[[organization]]`.
    pub struct MemberCount;
}

static META: RuleMeta = RuleMeta {
    id: "member-count",
    default_severity: Severity::Error,
    summary: "a count of an organization's members that contradicts the knowledge base",
    documentation: MemberCount::DOCUMENTATION,
};

/// "56 OSCE member states", "57 participating States", "the 57-member".
static COUNT_PHRASE: StandInRegex = StandInRegex::new(|| {
    r"\b(?P<count>\d{1,3})(?:-member\b|(?: [A-Z][\w-]*){0,6} (?P<term>member states|member countries|member nations|participating States|participating states|members|countries|states|nations)\b)".to_owned()
});

/// One count claim in the text.
struct CountClaim {
    count: u32,
    span: Range<usize>,
    /// The word for the members, if the phrase has one.
    term: Option<String>,
    organization: EntityId,
}

impl Rule for MemberCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        let organization_mentions: Vec<&Mention> = context
            .mentions
            .iter()
            .filter(|mention| is_organization(knowledge_base, mention))
            .collect();
        // Mentions come in text order, so a sentence already read is the
        // last one read.
        let mut last_sentence: Option<Sentence> = None;
        // The organization the text is mostly about, for naming a mix-up;
        // counted once, not per claim.
        let subject = most_mentioned(
            organization_mentions
                .iter()
                .map(|mention| knowledge_base.forms[mention.form].entity),
        );
        for mention in &organization_mentions {
            // Most organizations are named more than once a sentence: the
            // sentence found for the first is the answer for the others.
            if last_sentence
                .as_ref()
                .is_some_and(|last| last.same_for.contains(&mention.start))
            {
                continue;
            }
            let found = sentence_at(context.text(), mention.start);
            if last_sentence
                .as_ref()
                .is_some_and(|last| last.range == found.range)
            {
                last_sentence = Some(found);
                continue;
            }
            let sentence = found.range.clone();
            last_sentence = Some(found);
            // Most sentences naming an organization hold no number at all:
            // no claim, and no need to find the sentence's other mentions.
            if !may_hold_digit(&context.text()[sentence.clone()]) {
                continue;
            }
            let first =
                organization_mentions.partition_point(|mention| mention.end <= sentence.start);
            let last =
                organization_mentions.partition_point(|mention| mention.start < sentence.end);
            let in_sentence = &organization_mentions[first..last.max(first)];
            for claim in claims_in(context, &sentence, in_sentence) {
                check_claim(context, &claim, &sentence, in_sentence, subject, out);
            }
        }
    }
}

/// Whether `text` may hold a character `\d` matches: an ASCII digit or a
/// non-ASCII number character. Read eight bytes at a time: only ASCII
/// digits and the lead bytes of non-ASCII characters are looked at one by
/// one, and most sentences naming an organization have neither.
fn may_hold_digit(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut chunk_start = 0;
    for chunk in chunks.by_ref() {
        let mut word_bytes = [0; 8];
        word_bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word_bytes);
        // Bytes from 0xC0 up (the lead bytes of characters of two bytes
        // or more) have their two top bits set.
        let lead_bytes = word & (word << 1) & HIGH_BITS;
        let mut candidates = ascii_digit_bits(word) | lead_bytes;
        while candidates != 0 {
            let index = chunk_start + (candidates.trailing_zeros() / 8) as usize;
            if is_digit_at(text, index) {
                return true;
            }
            candidates &= candidates - 1;
        }
        chunk_start += 8;
    }
    (chunk_start..bytes.len()).any(|index| is_digit_at(text, index))
}

/// Whether the character starting at byte `index` of `text` is one `\d`
/// matches. A byte inside a character is not one.
fn is_digit_at(text: &str, index: usize) -> bool {
    let byte = text.as_bytes()[index];
    byte.is_ascii_digit()
        || (byte >= 0xC0
            && text
                .get(index..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|character| !never_numeric(character) && character.is_numeric()))
}

/// Letters of the Latin blocks and the general punctuation (dashes, curly
/// quotes), the non-ASCII characters news text is mostly made of: none is
/// numeric, and `char::is_numeric` looks them up in a table.
fn never_numeric(character: char) -> bool {
    matches!(character, '\u{C0}'..='\u{24F}' | '\u{2000}'..='\u{206F}')
}

fn is_organization(knowledge_base: &KnowledgeBase, mention: &Mention) -> bool {
    let form = &knowledge_base.forms[mention.form];
    knowledge_base.entity(form.entity).kind == EntityKind::Organization
}

fn claims_in(
    context: &Context<'_>,
    sentence: &Range<usize>,
    organizations: &[&Mention],
) -> Vec<CountClaim> {
    let knowledge_base = context.knowledge_base;
    let text = context.text();
    let slice = &text[sentence.clone()];
    let mut claims = Vec::new();
    let (haystack, count_phrase) = COUNT_PHRASE.search(slice);
    for captures in count_phrase.captures_iter(&haystack) {
        let (Some(whole), Some(count)) = (captures.get(0), captures.name("count")) else {
            continue;
        };
        let Ok(count) = slice[count.range()].parse::<u32>() else {
            continue;
        };
        let span = sentence.start + whole.start()..sentence.start + whole.end();
        let entity_of = |mention: &&Mention| knowledge_base.forms[mention.form].entity;
        // An organization named inside the phrase, or right after it ("of
        // the IOFS"), or else the nearest one before it in the sentence.
        let inside = organizations
            .iter()
            .find(|mention| mention.start > span.start && mention.end <= span.end);
        let after = organizations.iter().find(|mention| {
            mention.start >= span.end
                && mention.start <= span.end + 12
                && matches!(text[span.end..mention.start].trim(), "of the" | "of")
        });
        let before = organizations
            .iter()
            .rev()
            .find(|mention| mention.end <= span.start && mention.start >= sentence.start);
        let Some(organization) = inside.or(after).or(before).map(entity_of) else {
            continue;
        };
        claims.push(CountClaim {
            count,
            span,
            term: captures
                .name("term")
                .map(|term| slice[term.range()].to_owned()),
            organization,
        });
    }
    claims
}

fn check_claim(
    context: &Context<'_>,
    claim: &CountClaim,
    sentence: &Range<usize>,
    organizations: &[&Mention],
    subject: Option<EntityId>,
    out: &mut Vec<Diagnostic>,
) {
    let knowledge_base = context.knowledge_base;
    let judged = context.judged_at(claim.span.start);
    let when = judged.period();
    let entity = knowledge_base.entity(claim.organization);
    let EntityFacts::Organization {
        members,
        member_term,
        ..
    } = &entity.facts
    else {
        return;
    };
    let counts: Vec<&MemberCountFact> = members
        .iter()
        .filter(|fact| fact.period.overlaps(&when))
        .collect();
    if counts.is_empty() || counts.iter().any(|fact| fact.count == claim.count) {
        return;
    }
    let generic = matches!(
        claim.term.as_deref(),
        Some("countries" | "states" | "nations")
    );
    if generic && counts.iter().any(|fact| fact.count == claim.count + 1) {
        // "56 countries of the OIC": the other members, seen from one.
        return;
    }
    let known: Vec<String> = counts
        .iter()
        .map(|fact| [&fact.count.to_string(), " ", &fact.term].concat())
        .collect();
    let name = display_name(knowledge_base, claim.organization);
    // Joined, not formatted: a fraction of the cost of format!.
    let count = claim.count.to_string();
    let mut diagnostic = Diagnostic::new(
        META.id,
        META.default_severity,
        claim.span.clone(),
        [
            "the ",
            &name,
            " had ",
            &known.join(" or "),
            " ",
            &judged.describe(),
            ", not ",
            &count,
        ]
        .concat(),
    )
    .with_label([&count, " does not match the ", &name].concat())
    .with_entity(&entity.id)
    .with_note(context.judged_note(&judged));
    if let Some(source) = counts.iter().find_map(|fact| fact.source.as_deref()) {
        diagnostic = diagnostic.with_note(["source: ", source].concat());
    }
    if let Some(mix_up) = likely_mix_up(
        context,
        claim,
        member_term.as_deref(),
        sentence,
        organizations,
        subject,
    ) {
        diagnostic =
            diagnostic.with_note(format!("the {name} has {}; {mix_up}", known.join(" or ")));
    }
    out.push(diagnostic);
}

/// Another organization whose word for its members is the one this phrase
/// uses, named in the sentence or the one the document is mostly about.
fn likely_mix_up(
    context: &Context<'_>,
    claim: &CountClaim,
    own_term: Option<&str>,
    sentence: &Range<usize>,
    organizations: &[&Mention],
    subject: Option<EntityId>,
) -> Option<String> {
    let term = claim.term.as_deref()?;
    if own_term.is_some_and(|own| own.eq_ignore_ascii_case(term)) {
        return None;
    }
    let knowledge_base = context.knowledge_base;
    let fits = |entity: EntityId| {
        entity != claim.organization
            && matches!(&knowledge_base.entity(entity).facts,
                EntityFacts::Organization { member_term: Some(other), .. } if other.eq_ignore_ascii_case(term))
    };
    let entity_of = |mention: &&Mention| knowledge_base.forms[mention.form].entity;
    let in_sentence = organizations
        .iter()
        .filter(|mention| mention.start >= sentence.start && mention.end <= sentence.end)
        .map(entity_of)
        .find(|entity| fits(*entity));
    let (other, scope) = match in_sentence {
        Some(entity) => (entity, "this sentence"),
        None => (subject.filter(|entity| fits(*entity))?, "this text"),
    };
    let when = context.judged_at(claim.span.start).period();
    let counts: Vec<String> = match &knowledge_base.entity(other).facts {
        EntityFacts::Organization { members, .. } => members
            .iter()
            .filter(|fact| fact.period.overlaps(&when))
            .map(|fact| format!("{} {}", fact.count, fact.term))
            .collect(),
        _ => Vec::new(),
    };
    let other_name = display_name(knowledge_base, other);
    Some(if counts.is_empty() {
        format!("the {other_name}, which {scope} is about, calls its members {term}")
    } else {
        format!(
            "the {other_name}, which {scope} is about, has {}",
            counts.join(" or ")
        )
    })
}

fn most_mentioned(entities: impl Iterator<Item = EntityId>) -> Option<EntityId> {
    let mut counts: Vec<(EntityId, usize)> = Vec::new();
    for entity in entities {
        match counts.iter_mut().find(|(known, _)| *known == entity) {
            Some((_, count)) => *count += 1,
            None => counts.push((entity, 1)),
        }
    }
    // Ties go to the organization named first.
    let best = counts.iter().map(|(_, count)| *count).max()?;
    counts
        .into_iter()
        .find(|(_, count)| *count == best)
        .map(|(entity, _)| entity)
}

/// The acronym if there is one ("the OSCE"), else the name.
pub(crate) fn display_name(knowledge_base: &KnowledgeBase, entity: EntityId) -> String {
    let entity = knowledge_base.entity(entity);
    match &entity.facts {
        EntityFacts::Organization {
            acronym: Some(acronym),
            ..
        } => acronym.clone(),
        _ => entity.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::dates::tests::assert_stand_in_finds_the_same;

    proptest::proptest! {
        #[test]
        fn the_ascii_stand_in_finds_the_same_count_phrases(
            text in "([a-z0-9 ,.\\-]|57|56-member| OSCE| Org-Wide|member states|participating States|countries|[ÉéЖж_’—\\u{0301}\\u{a0}]|[٣२]){0,40}",
        ) {
            assert_stand_in_finds_the_same(&COUNT_PHRASE, &text);
        }
    }

    proptest::proptest! {
        #[test]
        fn may_hold_digit_agrees_with_a_search_for_digits(text in "([a-z .]|[0-9]|[é—٣²½Ⅲ]){0,80}") {
            let expected = text.chars().any(|c| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()));
            proptest::prop_assert_eq!(may_hold_digit(&text), expected);
        }
    }

    #[test]
    fn characters_said_never_to_be_numeric_are_not() {
        for character in ('\u{C0}'..='\u{24F}').chain('\u{2000}'..='\u{206F}') {
            assert!(
                never_numeric(character) && !character.is_numeric(),
                "{character:?}"
            );
        }
    }

    #[test]
    fn may_hold_digit_agrees_with_a_search_for_digits_in_the_corpus() {
        for text in crate::test_texts::corpus() {
            for line in text.lines() {
                let expected = line
                    .chars()
                    .any(|c| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()));
                assert_eq!(may_hold_digit(line), expected, "{line:?}");
            }
        }
    }

    #[test]
    fn the_ascii_stand_in_finds_the_same_count_phrases_in_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_stand_in_finds_the_same(&COUNT_PHRASE, &text);
        }
    }
}
