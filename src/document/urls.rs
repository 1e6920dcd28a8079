//! Web addresses written as text. They are not prose: a name inside a URL
//! (`https://example.org/abdurahmanov-visit`) is part of an address that must
//! keep working, so it is blanked out of every format's linted text.

use std::ops::Range;

const PREFIXES: &[&str] = &["https://", "http://", "ftp://", "mailto:", "www."];

/// Replaces every URL in `text` with spaces (byte for byte, so offsets and
/// any source map stay valid).
pub fn blank(text: &mut String) {
    for span in spans(text) {
        let spaces = " ".repeat(span.len());
        text.replace_range(span, &spaces);
    }
}

/// The URLs in `text`, as GitHub's autolinker reads them: from a scheme (or
/// `www.`) at the start of a word to the next space, quote or angle bracket,
/// less trailing punctuation and unbalanced closing brackets.
pub fn spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    let mut skip_until = 0;
    for (offset, character) in text.char_indices() {
        let at_word_start = previous.is_none_or(|before| !before.is_alphanumeric());
        previous = Some(character);
        if offset < skip_until || !at_word_start || !character.is_ascii_alphabetic() {
            continue;
        }
        let rest = &text[offset..];
        let Some(prefix) = PREFIXES.iter().find(|prefix| {
            rest.as_bytes()
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
        }) else {
            continue;
        };
        let length = rest.find(ends_url).unwrap_or(rest.len());
        let url = trim_trailing(&rest[..length]);
        if url.len() > prefix.len() {
            spans.push(offset..offset + url.len());
            skip_until = offset + url.len();
        }
    }
    spans
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
        blank(&mut text);
        assert_eq!(text.len(), length);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Go", "to", "now"]
        );
    }
}
