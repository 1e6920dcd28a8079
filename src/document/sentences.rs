//! Sentence boundaries, found around a position on demand.
//!
//! Rules ask "which sentence is this mention in?" only for the few mentions
//! they care about, so there is no sentence pass over the whole document.
//! The search is bounded, so a document that is one enormous line costs no
//! more per mention than a short one.

use std::ops::Range;

/// No sentence is looked for further than this from the mention; beyond
/// it, the text is treated as a sentence boundary.
pub(crate) const MAX_REACH: usize = 600;

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Amb", "St", "Jr", "Sr", "No", "Gen", "Col", "Lt", "Sen",
    "Rep", "Gov", "Hon", "Rev", "Sgt", "Capt", "Maj", "Mt", "vs", "etc", "Inc", "Ltd", "Co",
    "Corp", "Dept", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "e.g", "i.e", "H.E", "U.S", "U.N", "U.K",
];

/// The longest word before a full stop that may leave the sentence open,
/// in bytes: one of the [`ABBREVIATIONS`], or an initial, one character
/// (at most four bytes). A longer word ends the sentence.
const LONGEST_OPEN_WORD: usize = {
    let mut longest = char::MAX.len_utf8();
    let mut index = 0;
    while index < ABBREVIATIONS.len() {
        if ABBREVIATIONS[index].len() > longest {
            longest = ABBREVIATIONS[index].len();
        }
        index += 1;
    }
    longest
};

/// The sentence holding an offset, and the offsets it is also the answer
/// for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// What [`sentence_around`] answers.
    pub range: Range<usize>,
    /// Offsets from the one asked about on for which [`sentence_around`]
    /// gives this same answer: up to the sentence's end, and as long as
    /// its start stays within reach. Only the offset asked about when the
    /// reach cut the sentence, since then the answer moves with the offset.
    pub same_for: Range<usize>,
}

/// The sentence holding `offset`.
pub fn sentence_around(text: &str, offset: usize) -> Range<usize> {
    sentence_at(text, offset).range
}

/// The sentence holding `offset`, with the offsets after it that share it,
/// so that a caller going through mentions in text order finds each
/// sentence once.
pub fn sentence_at(text: &str, offset: usize) -> Sentence {
    let bytes = text.as_bytes();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let low = floor_char_boundary(text, offset.saturating_sub(MAX_REACH));
    let high = floor_char_boundary(text, (offset + MAX_REACH).min(text.len()));

    // Only a line break or an ASCII stop can end a sentence, so only those
    // bytes are looked at: from the offset out to the nearest stop, then
    // for a line break only between the offset and that stop, so neither
    // search reads past the sentence's end to the edge of the reach.
    let mut start = low;
    let mut searched_to = offset;
    loop {
        let stop =
            memchr::memrchr3(b'.', b'!', b'?', &bytes[low..searched_to]).map(|index| low + index);
        let gap_start = stop.map_or(low, |position| position + 1);
        if let Some(index) = memchr::memrchr(b'\n', &bytes[gap_start..searched_to]) {
            start = gap_start + index + 1;
            break;
        }
        match stop {
            Some(position) if ends_sentence(text, position) => {
                start = position + 1;
                break;
            }
            Some(position) => searched_to = position,
            None => break,
        }
    }
    let mut searched_from = offset;
    let (end, end_found) = loop {
        let stop = memchr::memchr3(b'.', b'!', b'?', &bytes[searched_from..high])
            .map(|index| searched_from + index);
        let gap_end = stop.unwrap_or(high);
        if let Some(index) = memchr::memchr(b'\n', &bytes[searched_from..gap_end]) {
            break (searched_from + index, true);
        }
        match stop {
            Some(position) if ends_sentence(text, position) => break (position + 1, true),
            Some(position) => searched_from = position + 1,
            None => break (high, high == text.len()),
        }
    };
    // A start at `low` is where the reach ran out, unless that is the
    // start of the text; an offset further on reaches further back.
    let start_found = start > low || low == 0;
    // A later offset still sees the same start while the character that
    // makes it (the line break or stop before it) is within its reach, and
    // the same end while it is before that end.
    let same_until = if start_found && end_found {
        end.min(start + MAX_REACH).max(offset + 1)
    } else {
        offset + 1
    };
    // Leading spaces are not part of the sentence.
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    Sentence {
        range: start..end.max(start),
        same_for: offset..same_until,
    }
}

/// Whether the stop (`.`, `!` or `?`) at `position` ends a sentence: it is
/// followed by a space and does not close an abbreviation or an initial.
fn ends_sentence(text: &str, position: usize) -> bool {
    let stop = text.as_bytes()[position];
    // The stop is one ASCII byte, so the next character starts right after it.
    let after = &text[position + 1..];
    let mut rest = after.chars();
    match rest.next() {
        None => return true,
        Some(next) if next.is_whitespace() => {}
        // A closing quote or bracket after the stop: the sentence ends.
        Some('"' | '”' | '’' | ')') => return true,
        Some(_) => return false,
    }
    if stop != b'.' {
        return true;
    }
    // The word before the stop, read back no further than a word that may
    // leave the sentence open.
    let before = &text[..position];
    let mut word_start = 0;
    for (index, character) in before.char_indices().rev() {
        if character.is_whitespace() || character == '(' {
            word_start = index + character.len_utf8();
            break;
        }
        if position - index > LONGEST_OPEN_WORD {
            return true;
        }
    }
    let word = &before[word_start..];
    if is_abbreviation(word) {
        return false;
    }
    // "Salim M. AlMalik": a single capital letter is an initial.
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next()) {
        if first.is_uppercase() {
            return false;
        }
    }
    true
}

/// Whether `word` is one of the [`ABBREVIATIONS`]. Written out as one
/// `match`, which compares a word's length and bytes, where a search of the
/// list compared the word with each of its 47 entries in turn; a test keeps
/// the two the same.
fn is_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Prof"
            | "Amb"
            | "St"
            | "Jr"
            | "Sr"
            | "No"
            | "Gen"
            | "Col"
            | "Lt"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Hon"
            | "Rev"
            | "Sgt"
            | "Capt"
            | "Maj"
            | "Mt"
            | "vs"
            | "etc"
            | "Inc"
            | "Ltd"
            | "Co"
            | "Corp"
            | "Dept"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "e.g"
            | "i.e"
            | "H.E"
            | "U.S"
            | "U.N"
            | "U.K"
    )
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence<'a>(text: &'a str, needle: &str) -> &'a str {
        let offset = text.find(needle).unwrap();
        &text[sentence_around(text, offset)]
    }

    /// The character-by-character search this module used before it
    /// looked only at stops and line breaks: kept to show the two agree.
    mod reference {
        use super::super::{floor_char_boundary, ABBREVIATIONS, MAX_REACH};
        use std::ops::Range;

        pub fn sentence_around(text: &str, offset: usize) -> Range<usize> {
            let offset = floor_char_boundary(text, offset.min(text.len()));
            let low = floor_char_boundary(text, offset.saturating_sub(MAX_REACH));
            let high = floor_char_boundary(text, (offset + MAX_REACH).min(text.len()));
            let mut start = low;
            for (index, character) in text[low..offset].char_indices().rev() {
                let position = low + index;
                if character == '\n' {
                    start = position + 1;
                    break;
                }
                if ends_sentence(text, position, character) {
                    start = position + character.len_utf8();
                    break;
                }
            }
            let mut end = high;
            for (index, character) in text[offset..high].char_indices() {
                let position = offset + index;
                if character == '\n' {
                    end = position;
                    break;
                }
                if ends_sentence(text, position, character) {
                    end = position + character.len_utf8();
                    break;
                }
            }
            while start < end && text.as_bytes()[start].is_ascii_whitespace() {
                start += 1;
            }
            start..end.max(start)
        }

        fn ends_sentence(text: &str, position: usize, character: char) -> bool {
            if !matches!(character, '.' | '!' | '?') {
                return false;
            }
            match text[position + 1..].chars().next() {
                None => return true,
                Some(next) if next.is_whitespace() => {}
                Some('"' | '”' | '’' | ')') => return true,
                Some(_) => return false,
            }
            if character != '.' {
                return true;
            }
            let word: &str = text[..position]
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or("");
            if ABBREVIATIONS.contains(&word) {
                return false;
            }
            let mut letters = word.chars();
            if let (Some(first), None) = (letters.next(), letters.next()) {
                if first.is_uppercase() {
                    return false;
                }
            }
            true
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_character_by_character_search(
            text in "([a-zA-Z0-9 ]|[.!?]|\\n|\\r|[\"”’)(]|Mr|Dr|H\\.E|U\\.S|\\u{85}|\\u{2003}|Ас|—){0,1500}",
            offsets in proptest::collection::vec(0usize..2000, 1..20),
        ) {
            for offset in offsets {
                proptest::prop_assert_eq!(
                    sentence_around(&text, offset),
                    reference::sentence_around(&text, offset)
                );
            }
        }
    }

    #[test]
    fn agrees_with_the_character_by_character_search_on_the_corpus() {
        for text in crate::test_texts::corpus() {
            for offset in (0..=text.len()).step_by(3) {
                assert_eq!(
                    sentence_around(&text, offset),
                    reference::sentence_around(&text, offset)
                );
            }
        }
    }

    /// Asserts that every offset a sentence claims to be the answer for
    /// gets that answer from [`sentence_around`].
    fn assert_same_for_holds(text: &str, offsets: impl Iterator<Item = usize>) {
        for offset in offsets {
            let sentence = sentence_at(text, offset);
            assert_eq!(sentence.range, sentence_around(text, offset));
            for later in sentence.same_for.clone() {
                assert_eq!(
                    sentence_around(text, later),
                    sentence.range,
                    "asked at {offset}, reused at {later} in {text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_sentence_is_the_answer_for_every_offset_it_claims(
            text in "([a-zA-Z0-9 ]|[.!?]|\n|[\"”’)(]|Mr|H\\.E|\u{2003}|Ас|—){0,400}",
            offsets in proptest::collection::vec(0usize..420, 1..8),
        ) {
            assert_same_for_holds(&text, offsets.into_iter());
        }
    }

    #[test]
    fn a_sentence_is_the_answer_for_every_offset_it_claims_on_the_corpus_and_long_lines() {
        let no_stops = "word ".repeat(1_000);
        let no_line_breaks = "A sentence of some length ends here. ".repeat(100);
        let long_sentence = format!("Short one. {}end. Next one.", "long ".repeat(300));
        // Longer than the reach but shorter than twice it: both ends found
        // from its middle, and its start out of reach a little further on.
        let sentence_longer_than_the_reach =
            format!("Short one. {}end. Next one.", "long ".repeat(180));
        let abbreviations = "Mr. Dr. H.E. U.S. St. Sept. A. B. C. ".repeat(60);
        let adversarial = [
            no_stops,
            no_line_breaks,
            long_sentence,
            sentence_longer_than_the_reach,
            abbreviations,
        ];
        for text in crate::test_texts::corpus().iter().chain(&adversarial) {
            assert_same_for_holds(text, (0..=text.len()).step_by(97));
        }
    }

    #[test]
    fn a_sentence_cut_by_the_reach_is_reused_for_no_other_offset() {
        let text = "word ".repeat(1_000);
        let sentence = sentence_at(&text, 2_000);
        assert_eq!(sentence.same_for, 2_000..2_001);
        let text = format!("Short one. {}", "word ".repeat(1_000));
        assert_eq!(sentence_at(&text, 20).same_for, 20..21);
        let text = "Short one. Another short one.\nNext line.";
        assert_eq!(sentence_at(text, 12).same_for, 12..29);
    }

    #[test]
    fn the_abbreviation_match_is_the_list() {
        for abbreviation in ABBREVIATIONS {
            assert!(is_abbreviation(abbreviation), "{abbreviation}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_abbreviation_match_agrees_with_a_search_of_the_list(
            word in "(M|D|S|J|N|G|C|L|R|H|I|U|e|i|v|\\.|[a-z]){0,5}",
        ) {
            proptest::prop_assert_eq!(is_abbreviation(&word), ABBREVIATIONS.contains(&word.as_str()));
        }
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_abbreviations_or_initials() {
        let text = "The delegation was headed by Mr. Beibut Atamkulov. Dr. Salim M. AlMalik spoke. Then Astana!";
        assert_eq!(
            sentence(text, "Atamkulov"),
            "The delegation was headed by Mr. Beibut Atamkulov."
        );
        assert_eq!(sentence(text, "AlMalik"), "Dr. Salim M. AlMalik spoke.");
        assert_eq!(sentence(text, "Astana"), "Then Astana!");
    }

    #[test]
    fn a_line_break_ends_a_sentence() {
        let text = "Headline about Astana\nFirst line of the body.";
        assert_eq!(sentence(text, "Astana"), "Headline about Astana");
        assert_eq!(sentence(text, "body"), "First line of the body.");
    }

    #[test]
    fn the_search_is_bounded_on_enormous_lines() {
        let text = format!(
            "{} Astana {}",
            "word ".repeat(10_000),
            "word ".repeat(10_000)
        );
        let range = sentence_around(&text, text.find("Astana").unwrap());
        assert!(range.len() <= 2 * MAX_REACH + 1);
    }

    #[test]
    fn multibyte_text_stays_on_char_boundaries() {
        let text = "Астана — столица. Түркия.";
        for offset in 0..=text.len() {
            let range = sentence_around(text, offset);
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
}
