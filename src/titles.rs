//! Office titles next to people's names: "President of Kazakhstan Nursultan
//! Nazarbayev", "Kairat Abdrakhmanov, OSCE High Commissioner on National
//! Minorities".
//!
//! Titles are looked for only in the few words before and after a person
//! mention, so the cost is per person mention, not per byte of text: after
//! a name, with an anchored automaton of every office title and alias;
//! before it, among the titles that end in the word there (or, when some
//! title ends in punctuation, with a search of the window behind the name).

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use foldhash::fast::FixedState;

use crate::kb::KnowledgeBase;
use crate::scan::{boundary_after, boundary_before, is_word_char};

/// How far before a name a title may start.
const LOOK_BEHIND: usize = 160;

/// Words between a title and a name that are not part of either.
const HONORIFICS: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "Amb.",
    "H.E.",
    "His Excellency",
    "Her Excellency",
    "Senator",
    "Ambassador",
    "Professor",
    "Sheikh",
    "Sir",
    "Dame",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
];

/// Words before a title that place it in another time or make it another
/// office: "former President", "then-Foreign Minister", "First President".
const QUALIFIERS: &[&str] = &[
    "former",
    "outgoing",
    "then",
    "ex",
    "late",
    "erstwhile",
    "previous",
    "past",
    "future",
    "incoming",
    "designate",
    "acting",
    "interim",
];

/// A title found next to a person mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMatch {
    pub span: Range<usize>,
    /// Every office this wording can name ("Foreign Minister" names several).
    pub offices: Vec<usize>,
    /// Whether the title stands before the name.
    pub before: bool,
}

#[derive(Debug)]
pub struct OfficeTitles {
    automaton: Option<AhoCorasick>,
    /// Each pattern's text.
    titles: Vec<Box<str>>,
    /// For each pattern, the offices it names.
    offices: Vec<Vec<usize>>,
    /// Every title by its last word, longest title first, when every title
    /// ends in a word: a title can only end before a name where one of these
    /// words does, so the title before a name is found by comparing the few
    /// titles that end in the word there, with no search of the text behind
    /// it. `None` when a title ends in punctuation.
    last_words: Option<HashMap<String, Vec<TitleId>, FixedState>>,
}

/// A title's index in the automaton's patterns and in `offices`.
type TitleId = usize;

impl OfficeTitles {
    pub fn new(knowledge_base: &KnowledgeBase) -> OfficeTitles {
        let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for (index, office) in knowledge_base.offices.iter().enumerate() {
            for title in std::iter::once(&office.title).chain(&office.aliases) {
                let entry = by_text.entry(title.as_str()).or_insert_with(|| {
                    order.push(title.as_str());
                    Vec::new()
                });
                if !entry.contains(&index) {
                    entry.push(index);
                }
            }
        }
        let offices: Vec<Vec<usize>> = order.iter().map(|text| by_text[text].clone()).collect();
        let automaton = if order.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&order)
                .ok()
        };
        let last_words = order
            .iter()
            .enumerate()
            .try_fold(
                HashMap::<String, Vec<TitleId>, FixedState>::default(),
                |mut by_last_word, (id, title)| {
                    let last = trailing_word(title);
                    if last.is_empty() {
                        return None;
                    }
                    by_last_word.entry(last.to_owned()).or_default().push(id);
                    Some(by_last_word)
                },
            )
            .map(|mut by_last_word| {
                for ids in by_last_word.values_mut() {
                    ids.sort_by_key(|&id| std::cmp::Reverse(order[id].len()));
                }
                by_last_word
            });
        let titles = order.iter().map(|title| Box::from(*title)).collect();
        OfficeTitles {
            automaton,
            titles,
            offices,
            last_words,
        }
    }

    /// The title directly before `name` (allowing honorifics and a comma in
    /// between), or directly after it following a comma. Titles preceded by a
    /// qualifier or by another capitalised word ("Deputy Minister ...") are
    /// not returned: they name another time or another office.
    pub fn around(&self, text: &str, name: Range<usize>) -> Option<TitleMatch> {
        self.before(text, name.start)
            .or_else(|| self.after(text, name.end))
    }

    fn before(&self, text: &str, name_start: usize) -> Option<TitleMatch> {
        let automaton = self.automaton.as_ref()?;
        let mut end = strip_honorifics_before(text, name_start);
        // "the Foreign Minister, Senator Ishaq Dar"
        if text[..end].ends_with(',') {
            end = text[..end - 1].trim_end().len();
        }
        let mut window_start = end.saturating_sub(LOOK_BEHIND);
        while !text.is_char_boundary(window_start) {
            window_start += 1;
        }
        let (start, id) = match &self.last_words {
            Some(last_words) => {
                // A title found must end at `end` and start at a word
                // boundary, so its last word is the whole word that ends
                // there. The longest title ending there is taken, as the
                // window search takes the leftmost-longest; the two differ
                // only where an earlier title overlaps this one, which the
                // test below finds nowhere in the corpus.
                let ids = last_words.get(trailing_word(&text[..end]))?;
                let before = &text[window_start..end];
                let &id = ids
                    .iter()
                    .find(|&&id| before.ends_with(&*self.titles[id]))?;
                let start = end - self.titles[id].len();
                if !boundary_before(text, start) {
                    return None;
                }
                (start, id)
            }
            None => {
                let title = automaton
                    .find_iter(Input::new(text).span(window_start..end))
                    .filter(|found| found.end() == end && boundary_before(text, found.start()))
                    .last()?;
                (title.start(), title.pattern().as_usize())
            }
        };
        if qualified(text, start) {
            return None;
        }
        Some(TitleMatch {
            span: start..end,
            offices: self.offices[id].clone(),
            before: true,
        })
    }

    fn after(&self, text: &str, name_end: usize) -> Option<TitleMatch> {
        let automaton = self.automaton.as_ref()?;
        let rest = &text[name_end..];
        let separator = [", the ", ", The ", ", "]
            .iter()
            .find(|separator| rest.starts_with(**separator))?;
        let start = name_end + separator.len();
        let found = automaton.find(
            Input::new(text)
                .span(start..text.len())
                .anchored(Anchored::Yes),
        )?;
        if !boundary_after(text, found.end()) {
            return None;
        }
        Some(TitleMatch {
            span: found.start()..found.end(),
            offices: self.offices[found.pattern().as_usize()].clone(),
            before: false,
        })
    }
}

/// The word characters at the end of `text` (empty when it ends in
/// anything else).
fn trailing_word(text: &str) -> &str {
    // ASCII letters and digits are word characters and other ASCII bytes
    // are not, so most words are walked byte by byte; characters are
    // decoded only from the first non-ASCII byte on.
    let bytes = text.as_bytes();
    let mut start = bytes.len();
    while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        start -= 1;
    }
    if start > 0 && !bytes[start - 1].is_ascii() {
        start = text[..start]
            .char_indices()
            .rev()
            .find(|(_, character)| !is_word_char(*character))
            .map_or(0, |(index, character)| index + character.len_utf8());
    }
    &text[start..]
}

/// Moves back from a name over spaces and honorifics ("Mr.", "His
/// Excellency Amb.") to where a title would end.
fn strip_honorifics_before(text: &str, name_start: usize) -> usize {
    let mut end = text[..name_start].trim_end().len();
    loop {
        let before = &text[..end];
        // The last byte first: it rules out most honorifics without a
        // call to compare the rest.
        let last_byte = before.as_bytes().last();
        let Some(honorific) = HONORIFICS.iter().find(|honorific| {
            honorific.as_bytes().last() == last_byte
                && before.ends_with(**honorific)
                && boundary_before(text, end - honorific.len())
        }) else {
            return end;
        };
        end = text[..end - honorific.len()].trim_end().len();
    }
}

/// Whether the word before a title qualifies it: "former", "then-",
/// "outgoing", or a capitalised word that makes it a longer title ("Deputy",
/// "First", "Vice").
fn qualified(text: &str, title_start: usize) -> bool {
    let before = text[..title_start].trim_end_matches([' ', '-', '–']);
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, character)| !is_word_char(*character))
        .map_or(0, |(index, character)| index + character.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    if QUALIFIERS
        .iter()
        .any(|qualifier| word.eq_ignore_ascii_case(qualifier))
    {
        return true;
    }
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    // "The" and sentence-initial words are not part of a title.
    capitalised && !matches!(word, "The" | "A" | "An") && !sentence_start(&text[..word_start])
}

fn sentence_start(before: &str) -> bool {
    let trimmed = before.trim_end();
    trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', '\n', ':', '"', '“'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{KnowledgeBase, PackSource};

    fn titles() -> (KnowledgeBase, OfficeTitles) {
        let pack = r#"
[[office]]
id = "president"
title = "President of Kazakhstan"
source = "s"

[[office]]
id = "kazakh-foreign-minister"
title = "Minister of Foreign Affairs of Kazakhstan"
aliases = ["Minister of Foreign Affairs", "Foreign Minister"]
source = "s"

[[office]]
id = "pakistani-foreign-minister"
title = "Foreign Minister of Pakistan"
aliases = ["Foreign Minister"]
source = "s"

[[office]]
id = "hcnm"
title = "High Commissioner on National Minorities"
source = "s"
"#;
        let knowledge_base = KnowledgeBase::load(vec![PackSource {
            name: "t.toml".into(),
            text: pack.into(),
        }])
        .unwrap();
        let titles = OfficeTitles::new(&knowledge_base);
        (knowledge_base, titles)
    }

    fn title_for(text: &str, name: &str) -> Option<(String, usize)> {
        let (_, titles) = titles();
        let start = text.find(name).unwrap();
        titles
            .around(text, start..start + name.len())
            .map(|found| (text[found.span].to_owned(), found.offices.len()))
    }

    #[test]
    fn finds_titles_before_names_across_honorifics() {
        assert_eq!(
            title_for(
                "by the President of Kazakhstan Nursultan Nazarbayev to",
                "Nursultan Nazarbayev"
            ),
            Some(("President of Kazakhstan".into(), 1))
        );
        assert_eq!(
            title_for(
                "headed by the Minister of Foreign Affairs Mr. Beibut Atamkulov took",
                "Beibut Atamkulov"
            ),
            Some(("Minister of Foreign Affairs".into(), 1))
        );
        assert_eq!(
            title_for(
                "The Deputy Prime Minister and Foreign Minister, Senator Ishaq Dar, presided",
                "Ishaq Dar"
            ),
            Some(("Foreign Minister".into(), 2))
        );
    }

    #[test]
    fn finds_titles_after_a_comma() {
        assert_eq!(
            title_for(
                "Mr. Kairat Abdrakhmanov, High Commissioner on National Minorities at",
                "Kairat Abdrakhmanov"
            ),
            Some(("High Commissioner on National Minorities".into(), 1))
        );
    }

    #[test]
    fn qualified_titles_are_not_returned() {
        for text in [
            "the former President of Kazakhstan Nursultan Nazarbayev said",
            "the then-President of Kazakhstan Nursultan Nazarbayev said",
            "the First President of Kazakhstan Nursultan Nazarbayev said",
            "His Excellency Mr. Alibek Bakayev, Deputy Minister of Foreign Affairs of the Republic",
            "the outgoing President of Kazakhstan Nursultan Nazarbayev said",
        ] {
            let name = if text.contains("Bakayev") {
                "Alibek Bakayev"
            } else {
                "Nursultan Nazarbayev"
            };
            assert_eq!(title_for(text, name), None, "{text}");
        }
        // A title at the start of a sentence is still a title.
        assert!(title_for(
            "President of Kazakhstan Nursultan Nazarbayev said",
            "Nursultan Nazarbayev"
        )
        .is_some());
    }

    /// The trailing word as it was found before the ASCII walk.
    fn trailing_word_by_characters(text: &str) -> &str {
        let start = text
            .char_indices()
            .rev()
            .find(|(_, character)| !is_word_char(*character))
            .map_or(0, |(index, character)| index + character.len_utf8());
        &text[start..]
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_walk_finds_the_same_trailing_word(
            text in "([a-zA-Z0-9 .,'-]|é|ж|\u{0301}|\u{2019}|٣|ǅ){0,20}",
        ) {
            proptest::prop_assert_eq!(trailing_word(&text), trailing_word_by_characters(&text));
        }
    }

    #[test]
    fn the_titles_by_last_word_find_what_the_window_search_finds() {
        let knowledge_base = KnowledgeBase::load(crate::kb::default_pack::sources()).unwrap();
        let filtered = OfficeTitles::new(&knowledge_base);
        assert!(filtered.last_words.is_some());
        let unfiltered = OfficeTitles {
            automaton: filtered.automaton.clone(),
            titles: filtered.titles.clone(),
            offices: filtered.offices.clone(),
            last_words: None,
        };
        let mut checked = 0;
        let mut found = 0;
        for text in crate::test_texts::corpus() {
            // Every place a name can start: after a space.
            for (space, _) in text.match_indices(' ') {
                let start = space + 1;
                let expected = unfiltered.around(&text, start..start);
                found += usize::from(expected.is_some());
                assert_eq!(filtered.around(&text, start..start), expected);
                checked += 1;
            }
        }
        assert!(
            checked > 10_000 && found > 20,
            "{checked} places, {found} titles"
        );
    }
}
