//! Ordinary English words, to tell a capitalised common word ("Safety",
//! "Process", a sentence's first word) from a proper name ("Khiari").
//!
//! The list is `rules/english-words.txt` (origin and licence in
//! `rules/english-words.README`): lowercase SCOWL words only, so nothing in
//! it is a proper name. It is embedded in the binary, sorted, one word a
//! line, and searched as it is: a lookup lowercases into a stack buffer and
//! bisects the text's bytes, with no allocation and nothing built first.
//!
//! Building a hash set of the 65,000 words cost about 16.7 million
//! instructions (callgrind), a run's whole share of near-miss lookups a
//! hundred times over: a run looks up a few thousand distinct words, each a
//! bisection of about twenty steps.

const WORD_FILE: &str = include_str!("../rules/english-words.txt");

/// Longer than the longest word in the list (22 letters), so a word that
/// does not fit cannot be in it.
const LONGEST_WORD: usize = 32;

/// Whether the sorted lines of `list` (each ending at a line break or at the
/// end, trailing white space ignored) hold `word`. Each step reads the line
/// around the middle of what is left, so only a few bytes either side.
fn sorted_lines_hold(list: &[u8], word: &[u8]) -> bool {
    // `list[low..high]` starts and ends at line boundaries.
    let mut low = 0;
    let mut high = list.len();
    while low < high {
        let middle = low + (high - low) / 2;
        let start = list[low..middle]
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(low, |before| low + before + 1);
        let end = list[middle..high]
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(high, |after| middle + after);
        match list[start..end].trim_ascii_end().cmp(word) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => low = end + 1,
            std::cmp::Ordering::Greater => high = start,
        }
    }
    false
}

/// Whether `word` is an ordinary English word, ignoring case ("Minister",
/// "minister" and "MINISTER" all are). Proper names, words with letters
/// outside ASCII, and anything that is not a single word are not.
pub fn is_english_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > LONGEST_WORD {
        return false;
    }
    let mut buffer = [0u8; LONGEST_WORD];
    for (slot, byte) in buffer.iter_mut().zip(bytes) {
        if !byte.is_ascii_alphabetic() {
            return false;
        }
        *slot = byte.to_ascii_lowercase();
    }
    sorted_lines_hold(WORD_FILE.as_bytes(), &buffer[..bytes.len()])
}

/// How many words the list holds (for measurements and tests).
pub fn word_count() -> usize {
    WORD_FILE
        .lines()
        .filter(|line| !line.trim_end().is_empty())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_words_whatever_their_case() {
        for word in [
            "Safety",
            "minister",
            "Organization",
            "Organisation",
            "Process",
            "MINISTER",
            "a",
            "I",
        ] {
            assert!(is_english_word(word), "{word}");
        }
    }

    #[test]
    fn proper_names_are_not_words() {
        for name in [
            "Abdrahmanov",
            "Khiari",
            "Nazarbayev",
            "Astana",
            "Monday",
            "Kazakhstan",
        ] {
            assert!(!is_english_word(name), "{name}");
        }
    }

    #[test]
    fn anything_but_one_ascii_word_is_not_a_word() {
        for text in [
            "",
            "J",
            "safety first",
            "co-operation",
            "minister's",
            "café",
            "Астана",
            "a".repeat(LONGEST_WORD + 1).as_str(),
        ] {
            assert!(!is_english_word(text), "{text:?}");
        }
    }

    /// What the list held as a hash set before it was bisected in place.
    fn reference_set() -> std::collections::HashSet<&'static [u8]> {
        WORD_FILE
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.is_empty())
            .map(str::as_bytes)
            .collect()
    }

    #[test]
    fn bisecting_the_list_finds_every_word_of_it_and_nothing_else() {
        let set = reference_set();
        for word in &set {
            assert!(sorted_lines_hold(WORD_FILE.as_bytes(), word), "{word:?}");
            // Its neighbours in order: a letter more, a letter less, a
            // letter changed.
            for altered in [
                [*word, b"a"].concat(),
                [*word, b"z"].concat(),
                word[..word.len() - 1].to_vec(),
                [&word[..word.len() - 1], b"{"].concat(),
                [b"`", &word[1..]].concat(),
            ] {
                assert_eq!(
                    sorted_lines_hold(WORD_FILE.as_bytes(), &altered),
                    set.contains(altered.as_slice()),
                    "{altered:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn bisecting_sorted_lines_agrees_with_a_set_of_them(
            words in proptest::collection::btree_set("[a-d]{1,4}", 0..40),
            word in "[a-d]{1,5}",
            trailing in "( |\r)?",
            final_break in proptest::bool::ANY,
        ) {
            let mut list = words
                .iter()
                .map(|line| format!("{line}{trailing}"))
                .collect::<Vec<_>>()
                .join("\n");
            if final_break {
                list.push('\n');
            }
            proptest::prop_assert_eq!(
                sorted_lines_hold(list.as_bytes(), word.as_bytes()),
                words.contains(&word)
            );
        }
    }

    #[test]
    fn the_list_is_sorted_lowercase_ascii_without_duplicates() {
        let words: Vec<&str> = WORD_FILE.lines().collect();
        assert!(words.len() > 60_000, "{} words", words.len());
        assert_eq!(word_count(), words.len());
        for pair in words.windows(2) {
            assert!(pair[0] < pair[1], "{:?} before {:?}", pair[0], pair[1]);
        }
        for word in &words {
            assert!(
                !word.is_empty()
                    && word.len() <= LONGEST_WORD
                    && word.bytes().all(|byte| byte.is_ascii_lowercase()),
                "{word:?}"
            );
        }
    }
}
