//! The scanner: one Aho-Corasick automaton over every surface form of every
//! entity, run once per document, producing [`Mention`]s.
//!
//! The automaton finds leftmost-longest matches; whole-word checks happen
//! after each hit, because the automaton knows nothing of word boundaries.
//! When the longest form at a position ends inside a word ("Nursultan
//! Nazarbayevs"), the scanner falls back to the longest shorter form that is a
//! word-aligned prefix of it, from a table computed once at build time, so no
//! text is ever searched twice.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use crate::kb::{FormId, KnowledgeBase};

/// One occurrence of a surface form in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub form: FormId,
}

impl Mention {
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The compiled matcher. Built once per run, shared read-only by all threads.
#[derive(Debug)]
pub struct Scanner {
    automaton: Option<AhoCorasick>,
    /// For each form, the longest other form that is a prefix of it ending at
    /// a word boundary inside it.
    shorter_prefix: Vec<Option<FormId>>,
    lengths: Vec<usize>,
    needs_start_boundary: Vec<bool>,
    needs_end_boundary: Vec<bool>,
}

#[derive(Debug)]
pub struct ScannerBuildError(String);

impl std::fmt::Display for ScannerBuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot build the name matcher: {}", self.0)
    }
}

impl std::error::Error for ScannerBuildError {}

impl Scanner {
    pub fn new(knowledge_base: &KnowledgeBase) -> Result<Scanner, ScannerBuildError> {
        let patterns: Vec<&str> = knowledge_base
            .forms
            .iter()
            .map(|form| form.text.as_str())
            .collect();
        Scanner::from_patterns(&patterns)
    }

    /// Builds a scanner over plain patterns; pattern `i` is reported as form `i`.
    pub fn from_patterns(patterns: &[&str]) -> Result<Scanner, ScannerBuildError> {
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(automaton_kind(patterns))
                    .build(patterns)
                    .map_err(|error| ScannerBuildError(error.to_string()))?,
            )
        };
        let index: HashMap<&str, FormId> = patterns
            .iter()
            .enumerate()
            .map(|(form, text)| (*text, form))
            .collect();
        let shorter_prefix = patterns
            .iter()
            .map(|pattern| longest_word_aligned_prefix(pattern, &index))
            .collect();
        let needs_start_boundary = patterns
            .iter()
            .map(|pattern| pattern.chars().next().is_some_and(is_word_char))
            .collect();
        let needs_end_boundary = patterns
            .iter()
            .map(|pattern| pattern.chars().next_back().is_some_and(is_word_char))
            .collect();
        Ok(Scanner {
            automaton,
            shorter_prefix,
            lengths: patterns.iter().map(|pattern| pattern.len()).collect(),
            needs_start_boundary,
            needs_end_boundary,
        })
    }

    /// Appends every whole-word mention in `text[range]` to `out`, in order.
    pub fn scan(&self, text: &str, range: Range<usize>, out: &mut Vec<Mention>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let mut position = range.start;
        while position < range.end {
            let input = Input::new(text).span(position..range.end);
            let Some(found) = automaton.find(input) else {
                break;
            };
            let start = found.start();
            let mut form = found.pattern().as_usize();
            if self.needs_start_boundary[form] && !boundary_before(text, start) {
                // Inside a word: no mention can start before this word ends.
                position = end_of_word(text, start).max(start + 1);
                position = next_char_boundary(text, position);
                continue;
            }
            let mut end = found.end();
            loop {
                if !self.needs_end_boundary[form] || boundary_after(text, end) {
                    out.push(Mention { start, end, form });
                    position = end;
                    break;
                }
                match self.shorter_prefix[form] {
                    Some(prefix) => {
                        end = start + self.lengths[prefix];
                        form = prefix;
                    }
                    None => {
                        position = next_char_boundary(text, start + 1);
                        break;
                    }
                }
            }
        }
    }
}

/// A DFA scans with 1.6 times fewer instructions than the NFA aho-corasick
/// picks by itself for more than 100 patterns (benches/bench.py, default
/// pack), but costs a full transition table per state, and there is a state
/// per pattern byte at most: worth it up to a few hundred entities, a few
/// megabytes of table.
const DFA_PATTERN_BYTES: usize = 16 * 1024;

fn automaton_kind(patterns: &[&str]) -> Option<AhoCorasickKind> {
    let pattern_bytes: usize = patterns.iter().map(|pattern| pattern.len()).sum();
    (pattern_bytes <= DFA_PATTERN_BYTES).then_some(AhoCorasickKind::DFA)
}

fn longest_word_aligned_prefix(pattern: &str, index: &HashMap<&str, FormId>) -> Option<FormId> {
    let mut best = None;
    let mut previous: Option<char> = None;
    for (offset, character) in pattern.char_indices() {
        if offset > 0 {
            // A prefix ending here is a whole word when the text goes on with
            // a non-word character, or the prefix itself ends in one.
            let aligned = !is_word_char(character) || previous.is_some_and(|c| !is_word_char(c));
            if aligned {
                if let Some(&form) = index.get(&pattern[..offset]) {
                    best = Some(form);
                }
            }
        }
        previous = Some(character);
    }
    best
}

/// Letters, digits and combining marks continue a word; hyphens, apostrophes,
/// spaces and punctuation end one. So "Astana-based" and "OSCE’s" mention
/// Astana and the OSCE, while "UNESCO" does not mention the UN.
pub fn is_word_char(character: char) -> bool {
    character.is_alphanumeric() || is_combining_mark(character)
}

fn is_combining_mark(character: char) -> bool {
    matches!(character,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

pub fn boundary_before(text: &str, offset: usize) -> bool {
    text[..offset]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

pub fn boundary_after(text: &str, offset: usize) -> bool {
    text[offset..]
        .chars()
        .next()
        .is_none_or(|c| !is_word_char(c))
}

fn end_of_word(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(text.len(), |(offset, _)| start + offset)
}

fn next_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The surface forms found in `text`, as strings.
    fn found(patterns: &[&str], text: &str) -> Vec<String> {
        let scanner = Scanner::from_patterns(patterns).unwrap();
        let mut mentions = Vec::new();
        scanner.scan(text, 0..text.len(), &mut mentions);
        mentions
            .iter()
            .map(|mention| text[mention.span()].to_owned())
            .collect()
    }

    #[test]
    fn longest_form_wins_over_a_shorter_one_inside_it() {
        let patterns = ["Nursultan", "Nursultan Nazarbayev", "Nazarbayev"];
        assert_eq!(
            found(
                &patterns,
                "President Nursultan Nazarbayev spoke in Nursultan."
            ),
            ["Nursultan Nazarbayev", "Nursultan"]
        );
    }

    #[test]
    fn a_name_inside_a_longer_word_is_not_a_mention() {
        let patterns = ["UN", "Astana", "OIC"];
        assert!(found(&patterns, "UNESCO and Astanaville and STOIC and bUN").is_empty());
        assert_eq!(found(&patterns, "UN"), ["UN"]);
    }

    #[test]
    fn hyphens_and_apostrophes_end_words() {
        let patterns = ["OSCE", "Astana", "UN", "OIC", "Nur-Sultan", "Sultan"];
        assert_eq!(
            found(
                &patterns,
                "the OSCE’s and OSCE's staff, Astana-based UN-OIC talks in Nur-Sultan"
            ),
            ["OSCE", "OSCE", "Astana", "UN", "OIC", "Nur-Sultan"]
        );
    }

    #[test]
    fn unicode_letters_are_word_characters() {
        let patterns = ["Astana", "Türkiye"];
        assert!(found(&patterns, "ÄAstana Astanaé Astanaж").is_empty());
        assert_eq!(
            found(&patterns, "«Türkiye» and Türkiye."),
            ["Türkiye", "Türkiye"]
        );
        // A combining accent continues the word: "Astana\u{301}" is not "Astana".
        assert!(found(&patterns, "Astana\u{301}").is_empty());
    }

    #[test]
    fn falls_back_to_a_shorter_form_when_the_longest_ends_inside_a_word() {
        let patterns = ["Nursultan", "Nursultan Nazarbayev"];
        assert_eq!(found(&patterns, "Nursultan Nazarbayevich"), ["Nursultan"]);
        let patterns = ["Astana", "Astana Process"];
        assert_eq!(found(&patterns, "Astana Processing Plant"), ["Astana"]);
    }

    #[test]
    fn overlapping_candidates_after_a_rejected_match_are_still_found() {
        // "Nur Sultan" fails at "Sultanate"; "Sultanate" itself is a form.
        let patterns = ["Nur Sultan", "Sultanate"];
        assert_eq!(found(&patterns, "Nur Sultanate"), ["Sultanate"]);
    }

    #[test]
    fn forms_ending_in_punctuation_need_no_boundary_after_them() {
        let patterns = ["Salim M. AlMalik", "Dr."];
        assert_eq!(
            found(&patterns, "Dr.Salim M. AlMalik"),
            ["Dr.", "Salim M. AlMalik"]
        );
    }

    #[test]
    fn scans_only_the_given_range_and_stays_on_char_boundaries() {
        let patterns = ["OIC"];
        let text = "ЖOIC OIC жж OIC";
        let scanner = Scanner::from_patterns(&patterns).unwrap();
        let mut mentions = Vec::new();
        scanner.scan(text, 0..text.len() - 4, &mut mentions);
        assert_eq!(mentions.len(), 1);
        assert_eq!(&text[mentions[0].span()], "OIC");
        assert_eq!(mentions[0].start, "ЖOIC ".len());
    }

    #[test]
    fn a_large_knowledge_base_finds_the_same_mentions() {
        // Past DFA_PATTERN_BYTES the scanner uses an NFA: same semantics.
        let filler: Vec<String> = (0..2_000).map(|index| format!("Filler {index}")).collect();
        let mut patterns = vec!["Nursultan", "Nursultan Nazarbayev", "Astana", "Nur Sultan"];
        patterns.extend(filler.iter().map(String::as_str));
        assert_eq!(automaton_kind(&patterns), None);
        assert_eq!(
            found(
                &patterns,
                "Nursultan Nazarbayevich in Astana-based Nur Sultanate, Filler 12."
            ),
            ["Nursultan", "Astana", "Filler 12"]
        );
    }

    #[test]
    fn no_patterns_no_mentions() {
        assert!(found(&[], "anything").is_empty());
    }
}
