//! Placeholder until the shipped English word list lands (branch
//! `discover`): a handful of capitalised words common in news copy.

pub fn is_english_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "later",
        "the",
        "minister",
        "foreign",
        "affairs",
        "president",
        "meeting",
    ];
    WORDS.iter().any(|known| known.eq_ignore_ascii_case(word))
}
