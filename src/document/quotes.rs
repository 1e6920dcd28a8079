//! Direct quotations in the linted text.
//!
//! A newsroom corrects its own copy, not a speaker's words: a finding inside
//! quotation marks is still reported, one severity lower, and never fixed
//! automatically. Block quotes are not treated as quotations: they are often
//! attributed speech, but as often an excerpt of a document that the
//! newsroom's style applies to.

use std::ops::Range;

/// Where an unclosed double quotation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paragraphs {
    /// Paragraphs are separated by blank lines (Markdown, HTML): an unclosed
    /// quotation runs to the end of its paragraph, the convention for a
    /// quotation that goes on in the next one.
    BlankLineSeparated,
    /// Plain text, where a paragraph is often a single line: an unclosed
    /// quotation runs to the end of its line.
    OnePerLine,
}

/// The inside of every quotation (without its marks), sorted, possibly
/// nested or overlapping.
pub fn quotations(text: &str, paragraphs: Paragraphs) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for block in blocks(text) {
        let chars: Vec<(usize, char)> = text[block.clone()]
            .char_indices()
            .map(|(offset, character)| (block.start + offset, character))
            .collect();
        let unclosed_end = |open: usize| match paragraphs {
            Paragraphs::BlankLineSeparated => block.end,
            Paragraphs::OnePerLine => text[open..block.end]
                .find('\n')
                .map_or(block.end, |end| open + end),
        };
        double_quotes(&chars, '“', '”', &unclosed_end, &mut found);
        double_quotes(&chars, '«', '»', &unclosed_end, &mut found);
        straight_double_quotes(&chars, &unclosed_end, &mut found);
        single_quotes(&chars, '‘', '’', &mut found);
        single_quotes(&chars, '\'', '\'', &mut found);
    }
    found.sort_by_key(|range| (range.start, range.end));
    found
}

/// True when `offset` is inside one of `quotations`.
pub fn is_quoted(quotations: &[Range<usize>], offset: usize) -> bool {
    quotations.iter().any(|quote| quote.contains(&offset))
}

/// Runs of text between blank lines: no quotation crosses one.
fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(block_start) = start.take() {
                blocks.push(block_start..offset);
            }
        } else if start.is_none() {
            start = Some(offset);
        }
        offset += line.len();
    }
    if let Some(block_start) = start {
        blocks.push(block_start..text.len());
    }
    blocks
}

/// Curly or angle quotes, whose opening and closing marks differ. An opening
/// mark while a quotation is open starts a new one: the previous paragraph
/// of a multi-paragraph quotation is left unclosed by convention.
fn double_quotes(
    chars: &[(usize, char)],
    opening: char,
    closing: char,
    unclosed_end: &dyn Fn(usize) -> usize,
    found: &mut Vec<Range<usize>>,
) {
    let mut open: Option<usize> = None;
    for &(offset, character) in chars {
        if character == opening {
            if let Some(start) = open {
                found.push(start..unclosed_end(start).min(offset));
            }
            open = Some(offset + character.len_utf8());
        } else if character == closing {
            if let Some(start) = open.take() {
                found.push(start..offset);
            }
        }
    }
    if let Some(start) = open {
        found.push(start..unclosed_end(start));
    }
}

/// `"…"`: a mark opens when it starts a word and closes otherwise.
fn straight_double_quotes(
    chars: &[(usize, char)],
    unclosed_end: &dyn Fn(usize) -> usize,
    found: &mut Vec<Range<usize>>,
) {
    let mut open: Option<usize> = None;
    for (index, &(offset, character)) in chars.iter().enumerate() {
        if character != '"' {
            continue;
        }
        match open.take() {
            Some(start) => found.push(start..offset),
            None if opens(chars, index) => open = Some(offset + 1),
            None => {}
        }
    }
    if let Some(start) = open {
        found.push(start..unclosed_end(start));
    }
}

/// `‘…’` and `'…'`, telling quotation marks from apostrophes: a mark opens
/// only before a letter at the start of a word, and closes only at the end of
/// a word ("OSCE’s" and "don't" hold apostrophes, "members’ rights" may close
/// a quotation). An unclosed single quotation is dropped: it was most likely
/// an apostrophe.
fn single_quotes(
    chars: &[(usize, char)],
    opening: char,
    closing: char,
    found: &mut Vec<Range<usize>>,
) {
    let mut open: Option<usize> = None;
    for (index, &(offset, character)) in chars.iter().enumerate() {
        if let Some(start) = open {
            if character == closing && closes(chars, index) {
                found.push(start..offset);
                open = None;
                continue;
            }
        }
        let next_is_letter = chars
            .get(index + 1)
            .is_some_and(|(_, next)| next.is_alphabetic());
        if open.is_none() && character == opening && next_is_letter && opens(chars, index) {
            open = Some(offset + character.len_utf8());
        }
    }
}

/// A mark opens when nothing word-like precedes it and something follows.
fn opens(chars: &[(usize, char)], index: usize) -> bool {
    let before = index
        .checked_sub(1)
        .and_then(|previous| chars.get(previous))
        .map(|&(_, character)| character);
    let after = chars.get(index + 1).map(|&(_, character)| character);
    let starts_word = before
        .is_none_or(|character| character.is_whitespace() || "([{—–-/“‘«\"'".contains(character));
    starts_word && after.is_some_and(|character| !character.is_whitespace())
}

/// A closing single mark ends a word: it follows a non-space and is not
/// followed by a letter or digit.
fn closes(chars: &[(usize, char)], index: usize) -> bool {
    let before = index
        .checked_sub(1)
        .and_then(|previous| chars.get(previous))
        .map(|&(_, character)| character);
    let after = chars.get(index + 1).map(|&(_, character)| character);
    before.is_some_and(|character| !character.is_whitespace())
        && after.is_none_or(|character| !character.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str, paragraphs: Paragraphs) -> Vec<&str> {
        quotations(text, paragraphs)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    fn quoted_blocks(text: &str) -> Vec<&str> {
        quoted(text, Paragraphs::BlankLineSeparated)
    }

    #[test]
    fn curly_straight_and_angle_double_quotes() {
        assert_eq!(
            quoted_blocks("He said “Khalid Khiari is here” and \"so is Abdurahmanov\" «Астана»."),
            ["Khalid Khiari is here", "so is Abdurahmanov", "Астана"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotations() {
        assert!(
            quoted_blocks("The OSCE’s work and the members’ rights, don't, rock 'n' roll").len()
                <= 1
        );
        assert!(quoted_blocks("The OSCE’s work, the OIC’s too.").is_empty());
        assert!(quoted_blocks("It's the OIC's.").is_empty());
        assert_eq!(
            quoted_blocks("He called it ‘a new chapter’, and 'a good one'."),
            ["a new chapter", "a good one"]
        );
        assert_eq!(
            quoted_blocks("“She said ‘the OSCE’s role’ matters”"),
            ["She said ‘the OSCE’s role’ matters", "the OSCE’s role"]
        );
    }

    #[test]
    fn inch_marks_and_lone_quotes_open_nothing() {
        assert!(quoted_blocks("A 12\" screen.").is_empty());
        assert!(quoted_blocks("A ' b").is_empty());
    }

    #[test]
    fn unclosed_quotation_runs_to_the_end_of_its_paragraph() {
        let text =
            "“First paragraph of a quote,\nstill quoted.\n\n“Second part,” he said. Not quoted.";
        assert_eq!(
            quoted_blocks(text),
            [
                "First paragraph of a quote,\nstill quoted.\n",
                "Second part,"
            ]
        );
        let one_per_line = "“Unclosed here.\nNot quoted.\n“Again,” he said.";
        assert_eq!(
            quoted(one_per_line, Paragraphs::OnePerLine),
            ["Unclosed here.", "Again,"]
        );
    }

    #[test]
    fn a_quotation_does_not_cross_a_blank_line() {
        assert!(quoted_blocks("He said \"\n\nnothing").is_empty());
        assert_eq!(quoted_blocks("a “b\n\nc” d"), ["b\n"]);
    }

    #[test]
    fn is_quoted_tests_containment() {
        let text = "x “abc” y";
        let found = quotations(text, Paragraphs::OnePerLine);
        assert!(is_quoted(&found, text.find('a').unwrap()));
        assert!(!is_quoted(&found, text.find('y').unwrap()));
    }
}
