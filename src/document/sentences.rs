//! Sentence boundaries, found around a position on demand.
//!
//! Rules ask "which sentence is this mention in?" only for the few mentions
//! they care about, so there is no sentence pass over the whole document.
//! The search is bounded, so a document that is one enormous line costs no
//! more per mention than a short one.

use std::ops::Range;

/// No sentence is looked for further than this from the mention; beyond
/// it, the text is treated as a sentence boundary.
const MAX_REACH: usize = 600;

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Amb", "St", "Jr", "Sr", "No", "Gen", "Col", "Lt", "Sen",
    "Rep", "Gov", "Hon", "Rev", "Sgt", "Capt", "Maj", "Mt", "vs", "etc", "Inc", "Ltd", "Co",
    "Corp", "Dept", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "e.g", "i.e", "H.E", "U.S", "U.N", "U.K",
];

/// The sentence holding `offset`.
pub fn sentence_around(text: &str, offset: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let low = floor_char_boundary(text, offset.saturating_sub(MAX_REACH));
    let high = floor_char_boundary(text, (offset + MAX_REACH).min(text.len()));

    // Only a line break or an ASCII stop can end a sentence, so only those
    // bytes are looked at; a stop beyond the nearest line break never counts.
    let line_start = memchr::memrchr(b'\n', &bytes[low..offset]).map(|index| low + index + 1);
    let mut start = line_start.unwrap_or(low);
    let stops_from = start;
    for index in memchr::memrchr3_iter(b'.', b'!', b'?', &bytes[stops_from..offset]) {
        let position = stops_from + index;
        if ends_sentence(text, position) {
            start = position + 1;
            break;
        }
    }
    let line_end = memchr::memchr(b'\n', &bytes[offset..high]).map(|index| offset + index);
    let mut end = line_end.unwrap_or(high);
    for index in memchr::memchr3_iter(b'.', b'!', b'?', &bytes[offset..end]) {
        let position = offset + index;
        if ends_sentence(text, position) {
            end = position + 1;
            break;
        }
    }
    // Leading spaces are not part of the sentence.
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    start..end.max(start)
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
    let word: &str = text[..position]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if ABBREVIATIONS.contains(&word) {
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
