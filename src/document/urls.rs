//! Web addresses written as text. They are not prose: a name inside a URL
//! (`https://example.org/abdurahmanov-visit`) is part of an address that must
//! keep working, so it is blanked out of every format's linted text.

use std::ops::Range;

const PREFIXES: &[&str] = &["https://", "http://", "ftp://", "mailto:", "www."];

/// Replaces the URLs at `spans` (from [`spans`] on this text) with spaces,
/// byte for byte, so offsets and any source map stay valid.
pub fn blank_spans(text: &mut String, spans: Vec<Range<usize>>) {
    for span in spans {
        let spaces = " ".repeat(span.len());
        text.replace_range(span, &spaces);
    }
}

/// The URLs in `text`, as GitHub's autolinker reads them: from a scheme (or
/// `www.`) at the start of a word to the next space, quote or angle bracket,
/// less trailing punctuation and unbalanced closing brackets.
pub fn spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    // Where the previous URL ended: a scheme inside a URL starts nothing.
    let mut resume = 0;
    for start in prefix_starts(text.as_bytes()) {
        if start < resume {
            continue;
        }
        // A prefix is ASCII, so `start` is a character boundary.
        let rest = &text[start..];
        let prefix = PREFIXES
            .iter()
            .find(|prefix| starts_with_prefix(rest.as_bytes(), prefix));
        let at_word_start = text[..start]
            .chars()
            .next_back()
            .is_none_or(|before| !before.is_alphanumeric());
        if let (Some(prefix), true) = (prefix, at_word_start) {
            let length = rest.find(ends_url).unwrap_or(rest.len());
            let url = trim_trailing(&rest[..length]);
            if url.len() > prefix.len() {
                spans.push(start..start + url.len());
                resume = start + url.len();
            }
        }
    }
    spans
}

/// Every offset where one of [`PREFIXES`] starts, in order. Each prefix
/// ends in `:` or `.` a few bytes in, so only those bytes (rare next to
/// letters) are looked at, with memchr.
fn prefix_starts(bytes: &[u8]) -> Vec<usize> {
    if bytes.len() < SEARCHED_SIDE_BY_SIDE_FROM {
        let mut starts = Vec::new();
        push_prefix_starts(bytes, 0..bytes.len(), &mut starts);
        return starts;
    }
    // Every sentence's full stop is an anchor: a large text's are looked at
    // in parts side by side (100 MB of news took 16-25 ms on one thread).
    use rayon::prelude::*;
    let parts: Vec<Vec<usize>> = (0..bytes.len().div_ceil(SEARCH_PART_BYTES))
        .into_par_iter()
        .with_max_len(1)
        .map(|part| {
            let start = part * SEARCH_PART_BYTES;
            let mut starts = Vec::new();
            push_prefix_starts(
                bytes,
                start..(start + SEARCH_PART_BYTES).min(bytes.len()),
                &mut starts,
            );
            starts
        })
        .collect();
    let mut starts: Vec<usize> = parts.into_iter().flatten().collect();
    // Parts meet where a prefix's start and anchor may fall either side.
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Texts at least this long are searched in parts side by side.
const SEARCHED_SIDE_BY_SIDE_FROM: usize = 1 << 20;

/// The bytes of one part of a text searched side by side.
const SEARCH_PART_BYTES: usize = 1 << 20;

/// Adds to `starts` where the prefixes whose anchors are in `anchors` start.
fn push_prefix_starts(bytes: &[u8], anchors: Range<usize>, starts: &mut Vec<usize>) {
    let first_anchor = anchors.start;
    for anchor in memchr::memchr2_iter(b':', b'.', &bytes[anchors]) {
        let anchor = first_anchor + anchor;
        for prefix in PREFIXES {
            let Some(anchor_index) = prefix.bytes().position(|byte| byte == bytes[anchor]) else {
                continue;
            };
            if let Some(start) = anchor.checked_sub(anchor_index) {
                if starts_with_prefix(&bytes[start..], prefix) {
                    starts.push(start);
                }
            }
        }
    }
    // A prefix's anchor is within six bytes of its start, so the order is
    // only locally wrong.
    starts.sort_unstable();
    starts.dedup();
}

fn starts_with_prefix(bytes: &[u8], prefix: &str) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn ends_url(character: char) -> bool {
    character.is_whitespace()
        || matches!(
            character,
            '<' | '>' | '"' | '`' | '“' | '”' | '‘' | '«' | '»' | '|'
        )
}

fn trim_trailing(mut url: &str) -> &str {
    loop {
        let Some(last) = url.chars().next_back() else {
            return url;
        };
        let unbalanced =
            |open: char, close: char| url.matches(close).count() > url.matches(open).count();
        let trim = match last {
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~' | '’' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            _ => false,
        };
        if !trim {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        spans(text).into_iter().map(|span| &text[span]).collect()
    }

    /// The byte-by-byte search this module used before it looked only at
    /// `:` and `.`: kept to show the two agree.
    fn reference_spans(text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut spans = Vec::new();
        let mut offset = 0;
        while offset < bytes.len() {
            if !matches!(
                bytes[offset].to_ascii_lowercase(),
                b'h' | b'f' | b'm' | b'w'
            ) {
                offset += 1;
                continue;
            }
            let rest = &text[offset..];
            let prefix = PREFIXES.iter().find(|prefix| {
                rest.as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
            });
            let at_word_start = text[..offset]
                .chars()
                .next_back()
                .is_none_or(|before| !before.is_alphanumeric());
            if let (Some(prefix), true) = (prefix, at_word_start) {
                let length = rest.find(ends_url).unwrap_or(rest.len());
                let url = trim_trailing(&rest[..length]);
                if url.len() > prefix.len() {
                    spans.push(offset..offset + url.len());
                    offset += url.len();
                    continue;
                }
            }
            offset += 1;
        }
        spans
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_byte_by_byte_search(
            text in "(https?://|HTTP://|ftp://|FTP:|mailto:|MailTo:|www\\.|WWW\\.|wWw|[hHfmwW.:/ ()\\[\\]!,?'’*_~<>\"“”«»|`a-z0-9]|é|Аs|\\u{2003}){0,300}",
        ) {
            proptest::prop_assert_eq!(spans(&text), reference_spans(&text));
        }
    }

    #[test]
    fn agrees_with_the_byte_by_byte_search_on_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_eq!(spans(&text), reference_spans(&text));
        }
    }

    #[test]
    fn a_large_text_searched_in_parts_agrees_with_the_byte_by_byte_search() {
        // Past the size searched in parts, with URLs at every offset modulo
        // a few bytes, so some straddle the parts' edges.
        let mut text = String::new();
        for index in 0..80_000 {
            text.push_str(&"x".repeat(index % 7));
            text.push_str(" see https://osce.org/a, www.oic-oci.org. Done.\n");
        }
        assert!(text.len() > SEARCHED_SIDE_BY_SIDE_FROM + 2 * SEARCH_PART_BYTES);
        let found = spans(&text);
        assert_eq!(found.len(), 160_000);
        assert_eq!(found, reference_spans(&text));
    }

    #[test]
    fn finds_urls_without_trailing_punctuation() {
        assert_eq!(
            urls("See https://osce.org/hcnm/Abdurahmanov. Or (www.oic-oci.org/x), “http://a.b/c”."),
            [
                "https://osce.org/hcnm/Abdurahmanov",
                "www.oic-oci.org/x",
                "http://a.b/c"
            ]
        );
        assert_eq!(
            urls("https://en.wikipedia.org/wiki/Astana_(city) and mailto:press@osce.org!"),
            [
                "https://en.wikipedia.org/wiki/Astana_(city)",
                "mailto:press@osce.org"
            ]
        );
    }

    #[test]
    fn words_that_only_contain_a_scheme_are_not_urls() {
        assert!(urls("awww. shttp://x https:// www. Astana").is_empty());
    }

    #[test]
    fn blanking_keeps_the_byte_length() {
        let mut text = "Go to https://example.org/Астана now".to_owned();
        let length = text.len();
        let found = spans(&text);
        blank_spans(&mut text, found);
        assert_eq!(text.len(), length);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Go", "to", "now"]
        );
    }
}
