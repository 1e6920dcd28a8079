//! The scanner: one table over every surface form of every entity, run once
//! per document, producing [`Mention`]s.
//!
//! At each place a name can start, the scanner takes the longest form that
//! matches there and ends on a word boundary, then goes on after it. Forms
//! can only start and end between words or next to punctuation, so the
//! table holds each form and each of its prefixes that end at such a point,
//! keyed by their text: a lookup per word of the text, never per byte. This
//! is the same answer a leftmost-longest Aho-Corasick automaton followed by
//! boundary checks gives, and builds in a fraction of the time: with 100,000
//! entities (440,000 forms) the automaton took seconds to build, longer than
//! the scan of 100 MB of text.

use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;

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
    /// Every pattern, end to end; table entries are ranges of it.
    patterns: String,
    table: HashTable<Entry>,
    hasher: FixedHasher,
    /// Bytes a pattern can start with: every other byte of the text is
    /// skipped without a lookup.
    starts: [bool; 256],
    /// Pairs of bytes a pattern can start with, as a bit set (a pattern of
    /// one byte starts every pair with its byte first): most capitalised
    /// words are dismissed with one bit, without hashing.
    start_pairs: Box<[u64; 1024]>,
    /// The same for the first three bytes, hashed into a bit set that fits
    /// in a core's cache: "The", "Pre" and "Min" pass the pair test for
    /// "Thailand", "Press TV" and "Minsk", and fail here.
    start_triples: Box<[u64; TRIPLE_WORDS]>,
    /// The length in bytes of the longest pattern.
    longest: usize,
}

/// The hash is seeded with a constant so that runs are reproducible; the
/// keys are the knowledge base's own forms, not adversarial input.
type FixedHasher = foldhash::fast::FixedState;

/// A form, or a prefix of one that ends at a word boundary, or both.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Range of [`Scanner::patterns`] holding this text.
    start: u32,
    len: u32,
    /// The form spelled exactly this way, if any.
    form: Option<u32>,
    /// Whether some longer form starts with this text.
    extends: bool,
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

    /// Builds a scanner over plain patterns; pattern `i` is reported as form
    /// `i`. An empty pattern never matches; of two equal patterns, the first
    /// is reported.
    pub fn from_patterns(patterns: &[&str]) -> Result<Scanner, ScannerBuildError> {
        let total: usize = patterns.iter().map(|pattern| pattern.len()).sum();
        let too_large = || ScannerBuildError(format!("the forms take {total} bytes, over 4 GB"));
        if u32::try_from(total).is_err() || u32::try_from(patterns.len()).is_err() {
            return Err(too_large());
        }
        let mut scanner = Scanner {
            patterns: String::with_capacity(total),
            table: HashTable::with_capacity(patterns.len() * 2),
            hasher: FixedHasher::default(),
            starts: [false; 256],
            start_pairs: Box::new([0; 1024]),
            start_triples: Box::new([0; TRIPLE_WORDS]),
            longest: patterns
                .iter()
                .map(|pattern| pattern.len())
                .max()
                .unwrap_or(0),
        };
        let mut lone_bytes_set = [false; 256];
        for (form, pattern) in patterns.iter().enumerate() {
            let Some(&first) = pattern.as_bytes().first() else {
                continue;
            };
            scanner.starts[usize::from(first)] = true;
            let seconds = match pattern.as_bytes().get(1) {
                Some(&second) => second..=second,
                None => 0..=u8::MAX,
            };
            for second in seconds.clone() {
                let (word, bit) = pair_bit(first, second);
                scanner.start_pairs[word] |= bit;
            }
            // A pattern shorter than three bytes starts every triple its
            // bytes begin (the text's end reads as byte 0).
            let thirds = match pattern.as_bytes().get(2) {
                Some(&third) => third..=third,
                None => 0..=u8::MAX,
            };
            // A one-byte pattern sets 65,536 bits: once per byte is enough.
            let already_set = pattern.len() == 1
                && std::mem::replace(&mut lone_bytes_set[usize::from(first)], true);
            if !already_set {
                for second in seconds {
                    for third in thirds.clone() {
                        let (word, bit) = triple_bit(first, second, third);
                        scanner.start_triples[word] |= bit;
                    }
                }
            }
            let offset = scanner.patterns.len();
            scanner.patterns.push_str(pattern);
            let mut previous_is_word = false;
            for (index, character) in pattern.char_indices() {
                let is_word = is_word_char(character);
                if index > 0 && (!previous_is_word || !is_word) {
                    scanner.insert(offset, index, None);
                }
                previous_is_word = is_word;
            }
            scanner.insert(offset, pattern.len(), Some(form));
        }
        Ok(scanner)
    }

    /// Records `patterns[offset..offset + len]` as a prefix of a longer form,
    /// or, with `form`, as that form.
    fn insert(&mut self, offset: usize, len: usize, form: Option<FormId>) {
        // Both fit in u32: `from_patterns` checked the total length and count.
        let (start, len) = (offset as u32, len as u32);
        let form = form.map(|form| form as u32);
        let Scanner {
            patterns,
            table,
            hasher,
            ..
        } = self;
        let key = &patterns.as_bytes()[offset..offset + len as usize];
        let hash = hasher.hash_one(key);
        let text_of = |entry: &Entry| {
            &patterns.as_bytes()[entry.start as usize..(entry.start + entry.len) as usize]
        };
        if let Some(entry) = table.find_mut(hash, |entry| text_of(entry) == key) {
            match form {
                Some(_) => entry.form = entry.form.or(form),
                None => entry.extends = true,
            }
            return;
        }
        let entry = Entry {
            start,
            len,
            form,
            extends: form.is_none(),
        };
        table.insert_unique(hash, entry, |entry| hasher.hash_one(text_of(entry)));
    }

    /// The length in bytes of the longest form: no mention is longer.
    pub fn longest_form(&self) -> usize {
        self.longest
    }

    fn lookup(&self, key: &[u8]) -> Option<&Entry> {
        let patterns = self.patterns.as_bytes();
        self.table.find(self.hasher.hash_one(key), |entry| {
            &patterns[entry.start as usize..(entry.start + entry.len) as usize] == key
        })
    }

    /// Appends to `out`, in order, every whole-word mention that starts in
    /// `text[range]` when the scan starts at `range.start`; the last may end
    /// after `range.end`.
    pub fn scan(&self, text: &str, range: Range<usize>, out: &mut Vec<Mention>) {
        let bytes = text.as_bytes();
        let mut position = range.start;
        while position < range.end {
            // Patterns are UTF-8, so no pattern starts with a continuation
            // byte and every candidate is a character boundary.
            let Some(offset) = bytes[position..range.end]
                .iter()
                .position(|&byte| self.starts[usize::from(byte)])
            else {
                break;
            };
            let start = position + offset;
            let first = bytes[start];
            // A failed candidate moves the scan on by one character, not to
            // the end of its word: the next start byte inside the same word
            // costs a bit and a byte's check, cheaper than walking the word.
            let next = start + utf8_length(first);
            // Every form that matches here starts with these two bytes.
            // A line break that joins lines reads as a space here too.
            let byte_at = |index: usize| match bytes.get(index) {
                Some(b'\n') if joins_lines(bytes, index) => b' ',
                byte => byte.copied().unwrap_or(0),
            };
            let second = byte_at(start + 1);
            if !self.starts_pair(first, second) {
                position = next;
                continue;
            }
            let third = byte_at(start + 2);
            if !self.starts_triple(first, second, third) {
                position = next;
                continue;
            }
            let first_is_word = if first.is_ascii() {
                first.is_ascii_alphanumeric()
            } else {
                text[start..].chars().next().is_some_and(is_word_char)
            };
            // No mention starts inside a word.
            if first_is_word && !boundary_before(text, start) {
                position = next;
                continue;
            }
            match self.longest_at(text, start, text.len()) {
                Some((form, end)) => {
                    out.push(Mention { start, end, form });
                    position = end;
                }
                None => position = next,
            }
        }
    }

    fn starts_pair(&self, first: u8, second: u8) -> bool {
        let (word, bit) = pair_bit(first, second);
        self.start_pairs[word] & bit != 0
    }

    fn starts_triple(&self, first: u8, second: u8, third: u8) -> bool {
        let (word, bit) = triple_bit(first, second, third);
        self.start_triples[word] & bit != 0
    }

    /// The longest form at `start`, ending by `limit` on a word boundary.
    /// A line break that [joins lines](joins_lines) reads as a space.
    fn longest_at(&self, text: &str, start: usize, limit: usize) -> Option<(FormId, usize)> {
        let bytes = text.as_bytes();
        let mut longest = None;
        let mut end = start;
        // The text from `start` with its joining line breaks as spaces,
        // copied only once a name runs across one: most never do.
        let mut joined: Option<Vec<u8>> = None;
        while let Some(next) = next_break(text, end, limit) {
            // A line break is a character of its own: `end..next` is it.
            let joins = bytes[end] == b'\n' && joins_lines(bytes, end);
            if joins && joined.is_none() {
                joined = Some(bytes[start..end].to_vec());
            }
            if let Some(joined) = &mut joined {
                match joins {
                    true => joined.push(b' '),
                    false => joined.extend_from_slice(&bytes[end..next]),
                }
            }
            end = next;
            let key = joined.as_deref().unwrap_or(&bytes[start..end]);
            let Some(entry) = self.lookup(key) else {
                break;
            };
            if let Some(form) = entry.form {
                // A break is a word boundary unless the text goes on with a
                // word character after a form that ended in one.
                let ends_in_word = !boundary_before(text, end);
                if !ends_in_word || boundary_after(text, end) {
                    longest = Some((form as FormId, end));
                }
            }
            if !entry.extends {
                break;
            }
        }
        longest
    }
}

/// Whether the line break at `index` of `bytes` joins two lines of one
/// paragraph. Hard-wrapped text breaks names across lines ("United Nations
/// Relief and Works Agency\nfor Palestine Refugees"): the scanner reads
/// such a break as a space. A blank line, a carriage return or the text's
/// end keeps it a break. No form starts with a space (the knowledge base
/// refuses one), so no mention starts at such a break.
fn joins_lines(bytes: &[u8], index: usize) -> bool {
    index > 0
        && !matches!(bytes[index - 1], b'\n' | b'\r')
        && bytes
            .get(index + 1)
            .is_some_and(|next| *next != b'\n' && *next != b'\r')
}

/// The next place after `from`, up to `limit`, where a form could end or
/// continue: after a non-word character, or between a word character and a
/// non-word one (or the end of the text). Forms are keyed at the same places.
fn next_break(text: &str, from: usize, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (is_word, length) = word_char_at(text, from)?;
    let mut after = from + length;
    if is_word {
        loop {
            // ASCII letters and digits, most of any word, in a tight loop.
            while bytes.get(after).is_some_and(u8::is_ascii_alphanumeric) {
                after += 1;
            }
            match word_char_at(text, after) {
                Some((true, next_length)) => after += next_length,
                _ => break,
            }
        }
    }
    (after <= limit).then_some(after)
}

/// Whether the character at `offset` is a word character, and its length;
/// `None` at the end of the text. ASCII, most of any text, is decided
/// without decoding.
fn word_char_at(text: &str, offset: usize) -> Option<(bool, usize)> {
    let byte = *text.as_bytes().get(offset)?;
    if byte.is_ascii() {
        return Some((byte.is_ascii_alphanumeric(), 1));
    }
    let character = text[offset..].chars().next()?;
    Some((is_word_char(character), character.len_utf8()))
}

/// Letters, digits and combining marks continue a word; hyphens, apostrophes,
/// spaces and punctuation end one. So "Astana-based" and "OSCE’s" mention
/// Astana and the OSCE, while "UNESCO" does not mention the UN.
pub fn is_word_char(character: char) -> bool {
    // General punctuation (curly quotes, dashes, special spaces) is most of
    // the non-ASCII text of news that is not letters, and holds no letter,
    // digit or combining mark (a test checks every one): answered without
    // the Unicode tables, which cost about 250 instructions a lookup.
    if GENERAL_PUNCTUATION.contains(&character) {
        return false;
    }
    character.is_alphanumeric() || is_combining_mark(character)
}

/// The Unicode block of curly quotes, dashes and special spaces.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

fn is_combining_mark(character: char) -> bool {
    matches!(character,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

pub fn boundary_before(text: &str, offset: usize) -> bool {
    // An ASCII byte before is a whole character: decided without decoding.
    match offset.checked_sub(1).map(|before| text.as_bytes()[before]) {
        None => true,
        Some(byte) if byte.is_ascii() => !byte.is_ascii_alphanumeric(),
        Some(_) => text[..offset]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c)),
    }
}

pub fn boundary_after(text: &str, offset: usize) -> bool {
    word_char_at(text, offset).is_none_or(|(is_word, _)| !is_word)
}

/// Where a pair of bytes sits in [`Scanner::start_pairs`]: the word, and
/// the bit in it.
fn pair_bit(first: u8, second: u8) -> (usize, u64) {
    let index = usize::from(first) << 8 | usize::from(second);
    (index / 64, 1 << (index % 64))
}

/// Words in [`Scanner::start_triples`]: 2^18 bits, 32 KB.
const TRIPLE_WORDS: usize = 1 << 12;

/// Where three bytes hash to in [`Scanner::start_triples`]: the word, and
/// the bit in it. A multiplicative hash: the top bits of the product mix
/// all three bytes.
fn triple_bit(first: u8, second: u8, third: u8) -> (usize, u64) {
    let bytes = u32::from(first) << 16 | u32::from(second) << 8 | u32::from(third);
    let index = (bytes.wrapping_mul(0x9E37_79B1) >> (32 - 18)) as usize;
    (index / 64, 1 << (index % 64))
}

/// The length of the UTF-8 character that starts with `first`.
fn utf8_length(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the word that starts at `start` ends.
    fn end_of_word(text: &str, start: usize) -> usize {
        // ASCII letters and digits, most of any word, without decoding.
        let bytes = text.as_bytes();
        let mut end = start;
        while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            end += 1;
        }
        if bytes.get(end).is_none_or(u8::is_ascii) {
            return end;
        }
        text[end..]
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(text.len(), |(offset, _)| end + offset)
    }

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
    fn prefixes_that_are_not_forms_lead_on_to_longer_forms() {
        let patterns = ["Salim M. AlMalik", "Salim"];
        assert_eq!(
            found(&patterns, "Salim M. Al, Salim M. AlMalik."),
            ["Salim", "Salim M. AlMalik"]
        );
    }

    #[test]
    fn equal_patterns_report_the_first() {
        let scanner = Scanner::from_patterns(&["OIC", "OIC"]).unwrap();
        let mut mentions = Vec::new();
        scanner.scan("OIC", 0..3, &mut mentions);
        assert_eq!(
            mentions,
            [Mention {
                start: 0,
                end: 3,
                form: 0
            }]
        );
    }

    #[test]
    fn equal_one_byte_patterns_are_found() {
        assert_eq!(found(&["A", "A", "I"], "x A y I."), ["A", "I"]);
    }

    #[test]
    fn empty_patterns_never_match() {
        assert_eq!(found(&["", "OIC"], "a OIC b"), ["OIC"]);
    }

    /// The scanner as it was before the table: a leftmost-longest
    /// automaton, then boundary checks with a fallback to the longest
    /// word-aligned prefix. The table must find exactly what it found.
    fn automaton_scan(patterns: &[&str], text: &str) -> Vec<Mention> {
        use aho_corasick::{AhoCorasick, Input, MatchKind};
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap();
        let longest_prefix = |pattern: &str| {
            let mut best = None;
            let mut previous: Option<char> = None;
            for (offset, character) in pattern.char_indices() {
                if offset > 0
                    && (!is_word_char(character) || previous.is_some_and(|c| !is_word_char(c)))
                {
                    if let Some(form) = patterns.iter().position(|p| *p == &pattern[..offset]) {
                        best = Some(form);
                    }
                }
                previous = Some(character);
            }
            best
        };
        let ends_in_word = |pattern: &str| pattern.chars().next_back().is_some_and(is_word_char);
        let starts_in_word = |pattern: &str| pattern.chars().next().is_some_and(is_word_char);
        let mut out = Vec::new();
        let mut position = 0;
        while position < text.len() {
            let Some(found) = automaton.find(Input::new(text).span(position..text.len())) else {
                break;
            };
            let start = found.start();
            let mut form = found.pattern().as_usize();
            if starts_in_word(patterns[form]) && !boundary_before(text, start) {
                position = end_of_word(text, start).max(start + 1);
                while !text.is_char_boundary(position) {
                    position += 1;
                }
                continue;
            }
            let mut end = found.end();
            loop {
                if !ends_in_word(patterns[form]) || boundary_after(text, end) {
                    out.push(Mention { start, end, form });
                    position = end;
                    break;
                }
                match longest_prefix(patterns[form]) {
                    Some(prefix) => {
                        end = start + patterns[prefix].len();
                        form = prefix;
                    }
                    None => {
                        position = start + 1;
                        while !text.is_char_boundary(position) {
                            position += 1;
                        }
                        break;
                    }
                }
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn finds_what_the_automaton_found(
            patterns in proptest::collection::hash_set("[AbŽ .'-]{1,6}", 1..8),
            text in "[AbŽ .'\u{301}-]{0,40}",
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let scanner = Scanner::from_patterns(&patterns).unwrap();
            let mut mentions = Vec::new();
            scanner.scan(&text, 0..text.len(), &mut mentions);
            proptest::prop_assert_eq!(mentions, automaton_scan(&patterns, &text));
        }
    }

    /// `text` with every line break that joins lines made a space, byte
    /// by byte: the copy the scanner once searched instead of the text.
    /// The rule is written out again here, not taken from `joins_lines`,
    /// so that a mistake in it shows.
    fn joined_copy(text: &str) -> String {
        let bytes = text.as_bytes();
        let is_break = |byte: Option<&u8>| matches!(byte, Some(b'\n' | b'\r'));
        let joined: Vec<u8> = (0..bytes.len())
            .map(|index| {
                let joins = bytes[index] == b'\n'
                    && index > 0
                    && !is_break(bytes.get(index - 1))
                    && index + 1 < bytes.len()
                    && !is_break(bytes.get(index + 1));
                if joins {
                    b' '
                } else {
                    bytes[index]
                }
            })
            .collect();
        String::from_utf8(joined).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn a_wrapped_text_has_the_mentions_of_its_joined_copy(
            // As the knowledge base accepts them: no form starts or ends
            // with a space.
            patterns in proptest::collection::hash_set("[Ab]([Ab ]{0,5}[Ab])?", 1..8),
            text in "([Ab é]|\n|\r){0,40}",
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let scanner = Scanner::from_patterns(&patterns).unwrap();
            let (mut in_text, mut in_copy) = (Vec::new(), Vec::new());
            scanner.scan(&text, 0..text.len(), &mut in_text);
            let copy = joined_copy(&text);
            scanner.scan(&copy, 0..copy.len(), &mut in_copy);
            proptest::prop_assert_eq!(in_text, in_copy);
        }
    }

    #[test]
    fn a_name_wrapped_across_lines_is_found_but_not_across_a_blank_line() {
        let patterns = ["United Nations Relief and Works Agency"];
        let scanner = Scanner::from_patterns(&patterns).unwrap();
        let mut mentions = Vec::new();
        let text = "the United Nations\nRelief and Works Agency\r\nsaid";
        scanner.scan(text, 0..text.len(), &mut mentions);
        assert_eq!(mentions.len(), 1);
        assert_eq!(
            &text[mentions[0].span()],
            "United Nations\nRelief and Works Agency"
        );
        // Were every line break a space, the blank line would read as the
        // two spaces of this (odd but accepted) form.
        let scanner = Scanner::from_patterns(&["United Nations  Relief and Works Agency"]).unwrap();
        for kept_apart in [
            "United Nations\n\nRelief and Works Agency",
            "United Nations\r\nRelief and Works Agency",
        ] {
            let mut mentions = Vec::new();
            scanner.scan(kept_apart, 0..kept_apart.len(), &mut mentions);
            assert!(mentions.is_empty(), "{kept_apart:?}");
        }
    }

    #[test]
    fn general_punctuation_holds_no_word_character() {
        for character in GENERAL_PUNCTUATION {
            assert!(
                !character.is_alphanumeric() && !is_combining_mark(character),
                "{character:?}"
            );
        }
    }

    #[test]
    fn no_patterns_no_mentions() {
        assert!(found(&[], "anything").is_empty());
    }
}
