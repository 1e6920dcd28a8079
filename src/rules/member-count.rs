use std::ops::Range;

use foldhash::fast::FixedState;
use hashbrown::HashMap;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::{ascii_digit_bits, StandInRegex};
use crate::document::sentences::{sentence_at, Sentence, MAX_REACH};
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
        // Without an organization there is no claim: the text is not read.
        if organization_mentions.is_empty() {
            return;
        }
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
        let count_ends = count_ends(context.text());
        for mention in &organization_mentions {
            // Most organizations are named more than once a sentence: the
            // sentence found for the first is the answer for the others.
            if last_sentence
                .as_ref()
                .is_some_and(|last| last.same_for.contains(&mention.start))
            {
                continue;
            }
            // Most sentences naming an organization hold no count phrase:
            // one whose reach holds no count's end is skipped before its
            // sentence is looked for (a tenth of those in the benchmark's
            // news are looked for). A count starts in the sentence and ends
            // after its first digit, and the sentence lies within the
            // reach. A later mention then finds its sentence afresh, which,
            // were it this one, holds no count either.
            if !any_within(&count_ends, reach(mention.start)) {
                last_sentence = None;
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
            if !any_within(&count_ends, ends_of_counts_inside(&sentence)) {
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

/// Where a count that may start a [`COUNT_PHRASE`] ends, in text order:
/// the offset just after the digits of every "57-member" and of every "57"
/// followed, after up to six capitalised words, by a word for members. A
/// count phrase matches no count that is not here; some here are in no
/// count phrase (the words' ends are not checked).
fn count_ends(text: &str) -> Vec<usize> {
    const BLOCK: usize = 32;
    const WORD: usize = 8;
    let bytes = text.as_bytes();
    let is_digit_at = |index: usize| bytes.get(index).is_some_and(u8::is_ascii_digit);
    let mut ends = Vec::new();
    // Most blocks hold no digit. The test of a block is one reduction over
    // a fixed-size array, which the compiler turns into vector
    // instructions; in the blocks that have digits, eight bytes at a time
    // give the ends of runs of digits, the only bytes looked at one by one.
    let has_digit = |block: &[u8; BLOCK]| {
        block
            .iter()
            .fold(false, |any, byte| any | byte.is_ascii_digit())
    };
    let mut look_in = |block: &[u8; BLOCK], block_start: usize| {
        for (word_index, word) in block.chunks_exact(WORD).enumerate() {
            let mut word_bytes = [0; WORD];
            word_bytes.copy_from_slice(word);
            let digits = ascii_digit_bits(u64::from_le_bytes(word_bytes));
            if digits == 0 {
                continue;
            }
            let word_start = block_start + word_index * WORD;
            let digit_after = u64::from(is_digit_at(word_start + WORD)) << (8 * WORD - 1);
            let mut run_ends = digits & !((digits >> 8) | digit_after);
            while run_ends != 0 {
                let end = word_start + (run_ends.trailing_zeros() / 8) as usize + 1;
                if may_follow_count(&bytes[end..]) {
                    ends.push(end);
                }
                run_ends &= run_ends - 1;
            }
        }
    };
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut block_start = 0;
    for block in blocks.by_ref() {
        if let Ok(block) = block.try_into() {
            if has_digit(block) {
                look_in(block, block_start);
            }
        }
        block_start += BLOCK;
    }
    // The last, short block, padded with bytes that are not digits.
    let mut last = [0; BLOCK];
    last[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    look_in(&last, block_start);
    ends
}

/// Whether `rest`, what follows a count, may be the rest of a
/// [`COUNT_PHRASE`]: "-member", or up to six capitalised words and a word
/// for members, each after one space.
fn may_follow_count(rest: &[u8]) -> bool {
    const MEMBER_WORDS: [&[u8]; 5] = [
        b"member",
        b"participating",
        b"countries",
        b"states",
        b"nations",
    ];
    if rest.starts_with(b"-member") {
        return true;
    }
    let mut rest = rest;
    for words_between in 0..=MAX_CAPITALISED_WORDS {
        let Some(after_space) = rest.strip_prefix(b" ") else {
            return false;
        };
        if MEMBER_WORDS
            .iter()
            .any(|word| after_space.starts_with(word))
        {
            return true;
        }
        if words_between == MAX_CAPITALISED_WORDS
            || !after_space.first().is_some_and(u8::is_ascii_uppercase)
        {
            return false;
        }
        let word_length = memchr::memchr(b' ', after_space).unwrap_or(after_space.len());
        rest = &after_space[word_length..];
    }
    false
}

/// The most capitalised words [`COUNT_PHRASE`] allows between the count
/// and the word for members.
const MAX_CAPITALISED_WORDS: usize = 6;

/// Where the end of a count in the sentence around `offset` may be.
fn reach(offset: usize) -> Range<usize> {
    offset.saturating_sub(MAX_REACH)..offset + MAX_REACH
}

/// Where the end of a count inside `sentence` may be: after its first
/// digit, and before the rest of its phrase.
fn ends_of_counts_inside(sentence: &Range<usize>) -> Range<usize> {
    sentence.start + 1..sentence.end
}

/// Whether any of the sorted `offsets` is in `range`.
fn any_within(offsets: &[usize], range: Range<usize>) -> bool {
    let first = offsets.partition_point(|&offset| offset < range.start);
    offsets.get(first).is_some_and(|&offset| offset < range.end)
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
    // In order of first mention; found through a map, since a large
    // knowledge base puts thousands of organizations in one archive file.
    let mut counts: Vec<(EntityId, usize)> = Vec::new();
    let mut position: HashMap<EntityId, usize, FixedState> = HashMap::default();
    for entity in entities {
        let index = *position.entry(entity).or_insert_with(|| {
            counts.push((entity, 0));
            counts.len() - 1
        });
        counts[index].1 += 1;
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

    /// [`count_ends`] as a search forwards from every digit, with the
    /// words read as [`COUNT_PHRASE`] reads them up to the word for members.
    fn count_ends_forwards(text: &str) -> Vec<usize> {
        let shape = regex::Regex::new(
            r"^[0-9](?:-member|(?: [A-Z][^ ]*){0,6} (?:member|participating|countries|states|nations))",
        )
        .unwrap();
        (0..text.len())
            .filter(|&index| text.is_char_boundary(index) && shape.is_match(&text[index..]))
            .map(|index| index + 1)
            .collect()
    }

    /// Every count phrase [`claims_in`] would read in the sentence around
    /// `offset`: matches whose count is ASCII digits.
    fn counts_in_sentence_around(text: &str, offset: usize) -> Vec<Range<usize>> {
        let sentence = sentence_at(text, offset).range;
        let slice = &text[sentence.clone()];
        let (haystack, count_phrase) = COUNT_PHRASE.search(slice);
        count_phrase
            .captures_iter(&haystack)
            .filter_map(|captures| captures.name("count"))
            .filter(|count| slice[count.range()].parse::<u32>().is_ok())
            .map(|count| sentence.start + count.start()..sentence.start + count.end())
            .collect()
    }

    const COUNT_TEXT: &str = "([a-z ,.\\-]|\\n|57|1234|5|7 members|. 7-member|56-member| OSCE| Org-Wide| X|  |member states|members|participating States|countries|states|nations|[ÉéЖж’—\\u{a0}]|[٣२]| Mr\\. ){0,60}";

    proptest::proptest! {
        #[test]
        fn count_ends_are_the_forward_search_s(text in COUNT_TEXT) {
            proptest::prop_assert_eq!(count_ends(&text), count_ends_forwards(&text));
        }

        /// What lets the rule skip a mention: every count in the sentence
        /// around an offset ends at one of the [`count_ends`], within the
        /// reach looked at and inside the sentence.
        #[test]
        fn every_count_in_a_sentence_ends_where_the_rule_looks(text in COUNT_TEXT) {
            let ends = count_ends(&text);
            for offset in (0..=text.len()).filter(|&offset| text.is_char_boundary(offset)) {
                let sentence = sentence_at(&text, offset).range;
                for count in counts_in_sentence_around(&text, offset) {
                    proptest::prop_assert!(ends.contains(&count.end), "{count:?} at {offset}");
                    proptest::prop_assert!(reach(offset).contains(&count.end));
                    proptest::prop_assert!(ends_of_counts_inside(&sentence).contains(&count.end));
                }
            }
        }
    }

    /// Sentences longer than the reach, asked about at every offset: the
    /// counts (one digit, so each ends as early as one can) are found at
    /// the very edges of the reach.
    #[test]
    fn counts_are_found_in_long_sentences_at_the_edge_of_the_reach() {
        let filler = "word ".repeat(130);
        let text = format!("{filler}7 OSCE participating States {filler} and 6-member {filler}.");
        let ends = count_ends(&text);
        assert_eq!(ends.len(), 2);
        let mut counts_seen = 0;
        for offset in 0..=text.len() {
            for count in counts_in_sentence_around(&text, offset) {
                counts_seen += 1;
                assert!(ends.contains(&count.end));
                assert!(reach(offset).contains(&count.end), "{count:?} at {offset}");
            }
        }
        assert!(counts_seen > 2 * MAX_REACH, "{counts_seen}");
    }

    #[test]
    fn count_ends_are_the_forward_search_s_in_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_eq!(count_ends(&text), count_ends_forwards(&text));
        }
    }

    #[test]
    fn the_ascii_stand_in_finds_the_same_count_phrases_in_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_stand_in_finds_the_same(&COUNT_PHRASE, &text);
        }
    }
}
