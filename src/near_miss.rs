//! Unknown spellings close to a known name: "Abdrahmanov", "Mohammed Khaled
//! Khiary".
//!
//! The knowledge base's name words (people's surnames and the words of
//! their full names, place names) are indexed once per run by their
//! [transliteration key](crate::transliteration) and by every key with one
//! letter deleted (a symmetric-delete index, as in SymSpell): a lookup costs
//! a dozen hash probes whatever the number of entities. Each distinct
//! capitalised word of a run is resolved once and remembered.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::kb::{EntityId, EntityKind, FormKind, KnowledgeBase, SurfaceForm};
use crate::scan::{is_word_char, Mention};
use crate::transliteration::key_into;

/// Settings for how close is close.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Most edits (Damerau-Levenshtein, on lowercased spellings) between a
    /// word and the name it is taken for.
    pub max_edits: usize,
    /// Shorter words are never near misses: too many short words are a
    /// letter away from some name.
    pub min_length: usize,
    /// Least Jaro-Winkler similarity.
    pub min_similarity: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            max_edits: 2,
            min_length: 5,
            min_similarity: 0.85,
        }
    }
}

/// A word of a known name.
#[derive(Debug, Clone)]
struct NameWord {
    word: String,
    /// Lowercased once here, not once per lookup that meets it.
    lower: String,
    /// In characters: edit distance is at least the difference in length,
    /// so most candidates are dismissed before it is computed.
    length: usize,
    entity: EntityId,
}

/// A full name (canonical or accepted) of a person, as words.
#[derive(Debug, Clone)]
struct FullName {
    words: Vec<String>,
    entity: EntityId,
}

/// A near miss found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub span: Range<usize>,
    pub entity: EntityId,
    /// The known spelling it is taken for.
    pub suggestion: String,
    /// Why it matched, for the note.
    pub reason: String,
}

/// Hashing keys and words is most of a lookup: a fast non-cryptographic
/// hash (foldhash, as hashbrown uses) with a fixed seed, since the inputs
/// are the user's own text and packs, not an attacker's.
type FastHash = foldhash::fast::FixedState;

/// The most distinct words a table of what words resolved to holds: past
/// it, words are resolved again each time, and memory stays bounded on an
/// archive of millions of distinct words.
const MOST_REMEMBERED_WORDS: usize = 1 << 20;

/// Tells one index's verdicts from another's in a thread's table.
static NEXT_INDEX_IDENTITY: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// What the thread has learned of each distinct capitalised word, for
    /// the index (identified as in [`NameIndex::identity`]) that decided it.
    /// One per thread: the same words come back in file after file, and a
    /// table of the thread's own is read without a lock. A search borrows
    /// it once, not once a word.
    static VERDICTS: RefCell<ThreadSearch> = RefCell::new(ThreadSearch::new());
}

/// What a thread's searches keep from one to the next.
struct ThreadSearch {
    /// The index `table` is about.
    identity: u64,
    table: WordTable,
    /// The spans of a search's capitalised words: one buffer a thread, not
    /// one grown afresh a file.
    words: Vec<Range<usize>>,
}

impl ThreadSearch {
    fn new() -> ThreadSearch {
        ThreadSearch {
            identity: u64::MAX,
            table: WordTable::default(),
            words: Vec::new(),
        }
    }
}

/// What a search has learned of one capitalised word.
#[derive(Debug, Clone, Copy)]
struct WordFacts {
    /// Whether it is a word of a known name (in `known_words`).
    known: bool,
    /// What it standing alone is taken for ([`NameIndex::verdict`]), once
    /// asked.
    verdict: Option<Option<(u32, usize)>>,
    /// What [`NameIndex::resolve`] said of it, once asked.
    resolved: Option<Option<(u32, usize)>>,
}

/// Capitalised words and what is known of them: a word is copied into the
/// table once, when new, and looked up once however many of its facts are
/// read or added.
type WordTable = HashMap<Box<str>, WordFacts, FastHash>;

pub struct NameIndex {
    words: Vec<NameWord>,
    /// Key hash (and hashes of the key with one letter deleted) to words.
    by_key: HashMap<u64, Vec<u32>, FastHash>,
    full_names: Vec<FullName>,
    /// Full names by their last word, so a run is compared only with the
    /// names it could be.
    full_names_by_last_word: HashMap<String, Vec<usize>, FastHash>,
    /// Every word of every surface form: a word that is itself part of a
    /// known name is never a near miss of another.
    known_words: HashSet<String, FastHash>,
    thresholds: Thresholds,
    /// Ordinary words, which are never names.
    is_common_word: fn(&str) -> bool,
    /// Distinct words already resolved in this run, sharded to keep
    /// threads from waiting on each other.
    resolved: Vec<Mutex<ResolvedWords>>,
    /// Which index this is, for the verdicts a thread remembers.
    identity: u64,
}

const SHARDS: usize = 16;

/// A word and what it resolved to: the index word and the edit distance.
type ResolvedWords = HashMap<Box<str>, Option<(u32, usize)>, FastHash>;

fn hash_of(text: &str) -> u64 {
    FastHash::default().hash_one(text)
}

/// The key and the key with each letter deleted, as hashes.
fn probe_hashes(key: &str, out: &mut Vec<u64>) {
    out.clear();
    out.push(hash_of(key));
    let mut buffer = String::with_capacity(key.len());
    for (index, character) in key.char_indices() {
        buffer.clear();
        buffer.push_str(&key[..index]);
        buffer.push_str(&key[index + character.len_utf8()..]);
        out.push(hash_of(&buffer));
    }
}

impl NameIndex {
    /// `is_common_word` tells ordinary words (in any case), which are never
    /// names.
    pub fn new(
        knowledge_base: &KnowledgeBase,
        thresholds: Thresholds,
        is_common_word: fn(&str) -> bool,
    ) -> NameIndex {
        // Sized up front, and keys copied only when new: with 100,000
        // entities, growing the tables and copying every word of every form
        // was most of the cost of building the index.
        let forms = knowledge_base.forms.len();
        let mut index = NameIndex {
            words: Vec::with_capacity(forms / 4),
            by_key: HashMap::with_capacity_and_hasher(forms * 2, FastHash::default()),
            full_names: Vec::with_capacity(forms / 4),
            full_names_by_last_word: HashMap::with_capacity_and_hasher(
                forms / 4,
                FastHash::default(),
            ),
            known_words: HashSet::with_capacity_and_hasher(forms, FastHash::default()),
            thresholds,
            is_common_word,
            resolved: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            identity: NEXT_INDEX_IDENTITY.fetch_add(1, Ordering::Relaxed),
        };
        let mut seen: HashSet<(&str, EntityId), FastHash> =
            HashSet::with_capacity_and_hasher(forms / 4, FastHash::default());
        let mut key = String::new();
        let mut hashes = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for form in &knowledge_base.forms {
            words.clear();
            words.extend(form.text.split_whitespace());
            for word in &words {
                if !index.known_words.contains(*word) {
                    index.known_words.insert((*word).to_owned());
                }
            }
            let entity = knowledge_base.entity(form.entity);
            let accepted = matches!(form.kind, FormKind::Canonical | FormKind::Alias);
            if !accepted || entity.kind == EntityKind::Organization {
                continue;
            }
            if entity.kind == EntityKind::Person && words.len() >= 2 {
                if let Some(last) = words.last() {
                    let full_name = index.full_names.len();
                    match index.full_names_by_last_word.get_mut(*last) {
                        Some(names) => names.push(full_name),
                        None => {
                            index
                                .full_names_by_last_word
                                .insert((*last).to_owned(), vec![full_name]);
                        }
                    }
                }
                index.full_names.push(FullName {
                    words: words.iter().map(|word| (*word).to_owned()).collect(),
                    entity: form.entity,
                });
            }
            // People are found by their surname (a given name alone is weak
            // evidence, and shared by many); places by their one-word names.
            let indexed = match (entity.kind, words.last()) {
                (EntityKind::Person, Some(last)) => Some(*last),
                (_, Some(only)) if words.len() == 1 => Some(*only),
                _ => None,
            };
            if let Some(word) = indexed {
                if word.chars().count() < thresholds.min_length || !seen.insert((word, form.entity))
                {
                    continue;
                }
                let id = index.words.len() as u32;
                let lower = word.to_lowercase();
                index.words.push(NameWord {
                    word: word.to_owned(),
                    length: lower.chars().count(),
                    lower,
                    entity: form.entity,
                });
                key_into(word, &mut key);
                probe_hashes(&key, &mut hashes);
                for hash in &hashes {
                    let entry = index.by_key.entry(*hash).or_default();
                    if !entry.contains(&id) {
                        entry.push(id);
                    }
                }
            }
        }
        index
    }

    /// The known name word `word` is a near miss of, with the edit distance.
    fn resolve(&self, word: &str) -> Option<(u32, usize)> {
        remembered(&self.resolved, word, || self.lookup(word))
    }

    /// What a capitalised word standing alone is taken for: the known name
    /// word it is a near miss of, with the edit distance, or nothing.
    /// Remembered in `table`.
    fn verdict(&self, word: &str, table: &mut WordTable) -> Option<(u32, usize)> {
        // Most words are short: decided before any lookup. A word of fewer
        // bytes than the least length has fewer characters too.
        if word.len() < self.thresholds.min_length {
            return None;
        }
        let decide = |known: bool| {
            let never_a_near_miss = word.chars().count() < self.thresholds.min_length
                || is_acronym_like(word)
                || known
                || (self.is_common_word)(word)
                || has_look_alike_script(word);
            if never_a_near_miss {
                None
            } else {
                self.resolve(word)
            }
        };
        match table.get_mut(word) {
            Some(facts) => *facts.verdict.get_or_insert_with(|| decide(facts.known)),
            None => {
                let known = self.known_words.contains(word);
                let verdict = decide(known);
                remember(
                    table,
                    word,
                    WordFacts {
                        known,
                        verdict: Some(verdict),
                        resolved: None,
                    },
                );
                verdict
            }
        }
    }

    /// The surname a run of words ending in `word` is compared on: `word`
    /// itself if it is a word of a known name, else the known name word it
    /// resolves to, unless `inside_mention` (asked only then) says it is
    /// part of a known mention. Remembered in `table`.
    fn surname_for<'a>(
        &'a self,
        word: &'a str,
        inside_mention: impl FnOnce() -> bool,
        table: &mut WordTable,
    ) -> Option<&'a str> {
        let surname = |resolved: Option<(u32, usize)>| {
            resolved.map(|(id, _)| self.words[id as usize].word.as_str())
        };
        match table.get_mut(word) {
            Some(facts) if facts.known => Some(word),
            Some(facts) => {
                if inside_mention() {
                    return None;
                }
                surname(*facts.resolved.get_or_insert_with(|| self.resolve(word)))
            }
            None => {
                let known = self.known_words.contains(word);
                let mut facts = WordFacts {
                    known,
                    verdict: None,
                    resolved: None,
                };
                let found = if known {
                    Some(word)
                } else if inside_mention() {
                    None
                } else {
                    let resolved = self.resolve(word);
                    facts.resolved = Some(resolved);
                    surname(resolved)
                };
                remember(table, word, facts);
                found
            }
        }
    }

    fn lookup(&self, word: &str) -> Option<(u32, usize)> {
        let mut best: Option<(u32, usize, f64)> = None;
        self.each_candidate(word, |id, lower, length| {
            let candidate = &self.words[id as usize];
            // Cheapest tests first; all must hold, so the order changes
            // nothing but the time.
            if candidate.length.abs_diff(length) > self.thresholds.max_edits {
                return;
            }
            let edits = strsim::damerau_levenshtein(lower, &candidate.lower);
            if edits == 0 || edits > self.thresholds.max_edits {
                return;
            }
            let similarity = strsim::jaro_winkler(lower, &candidate.lower);
            // Inflected forms are words of their own, and a lone word must
            // be a respelling as written, not only by key (Indies is not
            // India, Turks is not Türkiye).
            if similarity < self.thresholds.min_similarity
                || is_derived_form(lower, &candidate.lower)
                || !crate::discover::lone_word_is_respelling(word, &candidate.word)
            {
                return;
            }
            let better = best.is_none_or(|(_, best_edits, best_similarity)| {
                (edits, -similarity) < (best_edits, -best_similarity)
            });
            if better {
                best = Some((id, edits, similarity));
            }
        });
        best.map(|(id, edits, _)| (id, edits))
    }

    /// Calls `visit` once for each index word that shares `word`'s key, or
    /// the key with one letter deleted (either side), with `word`
    /// lowercased and its length in characters.
    fn each_candidate(&self, word: &str, mut visit: impl FnMut(u32, &str, usize)) {
        let mut key = String::new();
        key_into(word, &mut key);
        let mut hashes = Vec::new();
        probe_hashes(&key, &mut hashes);
        let lower = word.to_lowercase();
        let length = lower.chars().count();
        // A word sits in several of the probed buckets; compare it once.
        let mut seen: Vec<u32> = Vec::new();
        for hash in &hashes {
            for &id in self.by_key.get(hash).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.contains(&id) {
                    seen.push(id);
                    visit(id, &lower, length);
                }
            }
        }
    }

    /// How many known name words a lookup of `word` compares it with: the
    /// figure that must not grow with the knowledge base (benchmarks and
    /// tests read it).
    pub fn candidates_compared(&self, word: &str) -> usize {
        let mut count = 0;
        self.each_candidate(word, |_, _, _| count += 1);
        count
    }

    /// Near misses in `text` outside the known `mentions`. `is_common_word`
    /// tells ordinary English words, which are never names.
    pub fn find(&self, text: &str, mentions: &[Mention], forms: &[SurfaceForm]) -> Vec<NearMiss> {
        self.find_in(text, 0..text.len(), mentions, forms)
    }

    /// [`NameIndex::find`] for the words that start in `text[range]`. A
    /// range that starts and ends at a line break finds what the whole text
    /// finds there: no word or run of words crosses a line break, so large
    /// documents are searched a piece at a time, in parallel.
    pub fn find_in(
        &self,
        text: &str,
        range: Range<usize>,
        mentions: &[Mention],
        forms: &[SurfaceForm],
    ) -> Vec<NearMiss> {
        VERDICTS.with(|verdicts| {
            let mut borrowed = verdicts.try_borrow_mut();
            let mut own = None;
            // Only a search inside a search finds the thread's taken.
            let search = match borrowed.as_deref_mut() {
                Ok(search) => search,
                Err(_) => own.insert(ThreadSearch::new()),
            };
            let ThreadSearch {
                identity,
                table,
                words,
            } = search;
            if *identity != self.identity {
                *identity = self.identity;
                table.clear();
            }
            capitalised_words_into(text, range.clone(), words);
            self.find_with_table(text, range, words, mentions, forms, table)
        })
    }

    /// [`NameIndex::find_in`] over the capitalised `words` that start in
    /// `range`, with what is known of words in `table`.
    fn find_with_table(
        &self,
        text: &str,
        range: Range<usize>,
        words: &[Range<usize>],
        mentions: &[Mention],
        forms: &[SurfaceForm],
        table: &mut WordTable,
    ) -> Vec<NearMiss> {
        let mut found = Vec::new();
        let mut next_mention = mentions.partition_point(|mention| mention.end <= range.start);
        let mut index = 0;
        while index < words.len() {
            // A run of capitalised words separated by single spaces.
            let mut end = index + 1;
            while end < words.len()
                && words[end].start == words[end - 1].end + 1
                && text.as_bytes()[words[end - 1].end] == b' '
            {
                end += 1;
            }
            let run = &words[index..end];
            index = end;
            // Skip words inside known mentions.
            while next_mention < mentions.len() && mentions[next_mention].end <= run[0].start {
                next_mention += 1;
            }
            let inside_mention = |span: &Range<usize>| {
                mentions[next_mention..]
                    .iter()
                    .take_while(|mention| mention.start < span.end)
                    .any(|mention| mention.start < span.end && span.start < mention.end)
            };
            // A surname written as a known variant still anchors a full name:
            // "Khairat Abdurahmanov" is a near miss of "Kairat Abdrakhmanov".
            let variant_surname = |span: &Range<usize>| {
                mentions[next_mention..]
                    .iter()
                    .take_while(|mention| mention.start < span.end)
                    .find(|mention| mention.start == span.start && mention.end == span.end)
                    .and_then(|mention| match &forms[mention.form].kind {
                        FormKind::Variant { replacement } => replacement.split_whitespace().last(),
                        _ => None,
                    })
            };
            if let Some(full) =
                self.full_name_near_miss(text, run, &inside_mention, &variant_surname, table)
            {
                found.push(full);
                continue;
            }
            for span in run {
                let word = &text[span.clone()];
                if inside_mention(span) {
                    continue;
                }
                if let Some((id, edits)) = self.verdict(word, table) {
                    let known = &self.words[id as usize];
                    let plural = if edits == 1 { "" } else { "s" };
                    let reason = if crate::transliteration::key(word)
                        == crate::transliteration::key(&known.word)
                    {
                        format!(
                            "`{word}` is {edits} edit{plural} from `{}`, and the same name once romanisation differences are set aside",
                            known.word
                        )
                    } else {
                        format!("`{word}` is {edits} edit{plural} from `{}`", known.word)
                    };
                    found.push(NearMiss {
                        span: span.clone(),
                        entity: known.entity,
                        suggestion: known.word.clone(),
                        reason,
                    });
                }
            }
        }
        found
    }

    /// A run of 2+ words each equal or close to the words of one known full
    /// name, at least one of them not equal. The run may contain a mention
    /// only as its last word (the surname alone is an accepted form:
    /// "Khalid Khiari").
    fn full_name_near_miss<'a>(
        &'a self,
        text: &'a str,
        run: &[Range<usize>],
        inside_mention: &dyn Fn(&Range<usize>) -> bool,
        variant_surname: &dyn Fn(&Range<usize>) -> Option<&'a str>,
        table: &mut WordTable,
    ) -> Option<NearMiss> {
        let (last_span, rest) = run.split_last()?;
        if rest.is_empty() || rest.iter().any(inside_mention) {
            return None;
        }
        let surname = match variant_surname(last_span) {
            Some(surname) => surname,
            None => self.surname_for(
                &text[last_span.clone()],
                || inside_mention(last_span),
                table,
            )?,
        };
        let candidates = self.full_names_by_last_word.get(surname)?;
        let mut known_key = String::new();
        let mut word_key = String::new();
        for name in candidates.iter().map(|&index| &self.full_names[index]) {
            if name.words.len() != run.len() {
                continue;
            }
            let mut differing = 0;
            let close = name.words.iter().zip(run).all(|(known, span)| {
                let word = &text[span.clone()];
                if known == word {
                    return true;
                }
                differing += 1;
                key_into(known, &mut known_key);
                key_into(word, &mut word_key);
                let edits =
                    strsim::damerau_levenshtein(&known.to_lowercase(), &word.to_lowercase());
                known_key == word_key
                    || (edits <= self.thresholds.max_edits
                        && word.chars().count() >= self.thresholds.min_length)
            });
            if close && differing > 0 {
                let span = run[0].start..last_span.end;
                return Some(NearMiss {
                    span: span.clone(),
                    entity: name.entity,
                    suggestion: name.words.join(" "),
                    reason: format!(
                        "each word of `{}` is close to `{}`, allowing for romanisation",
                        &text[span],
                        name.words.join(" ")
                    ),
                });
            }
        }
        None
    }
}

/// What `cache` holds for `word`, or else what `decide` says, then held.
fn remembered(
    cache: &[Mutex<ResolvedWords>],
    word: &str,
    decide: impl FnOnce() -> Option<(u32, usize)>,
) -> Option<(u32, usize)> {
    let shard = &cache[(hash_of(word) as usize) % cache.len()];
    if let Ok(held) = shard.lock() {
        if let Some(found) = held.get(word) {
            return *found;
        }
    }
    let found = decide();
    if let Ok(mut held) = shard.lock() {
        if held.len() < MOST_REMEMBERED_WORDS / SHARDS {
            held.insert(word.into(), found);
        }
    }
    found
}

/// Adds `word` and its `facts` to `table` while it has room: past
/// [`MOST_REMEMBERED_WORDS`], words are decided again each time.
fn remember(table: &mut WordTable, word: &str, facts: WordFacts) {
    if table.len() < MOST_REMEMBERED_WORDS {
        table.insert(word.into(), facts);
    }
}

/// "Syrian", "Kazakhstani", "Abdrakhmanov's": a known name with an ending
/// (demonyms, plurals, adjectives) is a word of its own, not a misspelling.
fn is_derived_form(word: &str, known: &str) -> bool {
    let stem = known.trim_end_matches(['a', 'e', 'i', 'o', 'u', 'y']);
    word.len() > known.len()
        && (word.starts_with(known)
            || (stem.len() >= 4 && word.starts_with(stem) && word.len() > stem.len() + 1))
}

/// A Latin word with Cyrillic or Greek look-alikes is `mixed-script`'s.
fn has_look_alike_script(word: &str) -> bool {
    word.chars()
        .any(|c| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{052F}'))
}

/// "OIC", "UNRWA": acronyms are not names to spell-check.
fn is_acronym_like(word: &str) -> bool {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

/// [`capitalised_words_into`] a new list, for tests.
#[cfg(test)]
fn capitalised_words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    capitalised_words_into(text, range, &mut words);
    words
}

/// Spans of words that start with an uppercase letter, into `words`
/// (cleared first). Hyphenated words ("Al-Dubaie") stay whole; the
/// possessive "’s" is left out.
///
/// This reads all of `text[range]`, so it looks at every byte only to see
/// whether a capital letter can start there (an ASCII capital, or the first
/// byte of any other character), 64 bytes at a time; whether a word starts
/// there is decided at those bytes alone. Words that start in the range are
/// found; the text around it is read to tell where they start and end.
fn capitalised_words_into(text: &str, range: Range<usize>, words: &mut Vec<Range<usize>>) {
    const BLOCK: usize = 64;
    let bytes = &text.as_bytes()[range.clone()];
    words.clear();
    // Where the last word found ends: a word holds no other word.
    let mut resume = range.start;
    // Exact blocks, so the test of a whole block is vectorised (a
    // micro-benchmark on 2 MB of the benchmark text, 16-byte blocks: 0.9 ms,
    // against 1.6 ms with blocks of any length and 1.5 ms for the plain
    // loop). 64 bytes, as many as a 64-bit mask of candidates holds, run the
    // loop a quarter as often: 9.9 million fewer instructions (callgrind)
    // on 10 MB than 16.
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut block_start = range.start;
    for block in blocks.by_ref() {
        let candidates = capital_candidates(block);
        // A block with no capital costs one test.
        if candidates != 0 {
            push_capitalised_words(text, block_start, candidates, &mut resume, words);
        }
        block_start += BLOCK;
    }
    let tail = blocks.remainder();
    push_capitalised_words(
        text,
        block_start,
        capital_candidates(tail),
        &mut resume,
        words,
    );
}

/// Bit `i` set for each byte `i` of `block` (at most 64) that may start a
/// capital.
fn capital_candidates(block: &[u8]) -> u64 {
    let mut words = block.chunks_exact(8);
    let mut mask = 0u64;
    let mut shift = 0;
    for word in words.by_ref() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        mask |= u64::from(capital_candidates_in_eight(u64::from_le_bytes(eight))) << shift;
        shift += 8;
    }
    for (index, &byte) in words.remainder().iter().enumerate() {
        mask |= u64::from(may_start_capital(byte)) << (shift + index);
    }
    mask
}

/// [`may_start_capital`] for eight bytes at once (the first in the low
/// byte), as eight bits: the byte-wise range test on a word and a multiply
/// that gathers each byte's top bit, about a third of the instructions of
/// testing the bytes one by one.
fn capital_candidates_in_eight(word: u64) -> u32 {
    let low_bits = word & !HIGH_BITS;
    // Top bit of each byte: at least 'A', above 'Z', both among ASCII bytes.
    let from_a = low_bits + ONES * u64::from(0x80 - b'A');
    let beyond_z = low_bits + ONES * u64::from(0x80 - b'Z' - 1);
    let ascii_capital = from_a & !beyond_z & !word & HIGH_BITS;
    // 0xC0 and above: the two top bits set.
    let leading_byte = word & (word << 1) & HIGH_BITS;
    let flags = (ascii_capital | leading_byte) >> 7;
    // Byte i's flag is bit 8i; the multiply moves it to bit 56 + i.
    ((flags.wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32
}

/// An ASCII capital, or the first byte of a character that may be one.
fn may_start_capital(byte: u8) -> bool {
    byte.is_ascii_uppercase() || byte >= 0xC0
}

/// Adds the capitalised words that start at the `candidates` of a block
/// (bit `i` set: the byte of `text` at `block_start + i` may start a
/// capital) and not before `resume`, moving `resume` past each.
fn push_capitalised_words(
    text: &str,
    block_start: usize,
    mut candidates: u64,
    resume: &mut usize,
    words: &mut Vec<Range<usize>>,
) {
    while candidates != 0 {
        let index = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        let start = block_start + index;
        if start < *resume {
            continue;
        }
        let byte = text.as_bytes()[start];
        let character = if byte.is_ascii() {
            // `may_start_capital` let only ASCII capitals through.
            char::from(byte)
        } else {
            let character = character_at(text, start);
            if !character.is_uppercase() {
                continue;
            }
            character
        };
        let joined_to_previous = match start.checked_sub(1).map(|before| text.as_bytes()[before]) {
            None => false,
            // Most words follow a space: decided on the byte.
            Some(before) if before.is_ascii() => {
                before.is_ascii_alphanumeric() || before == b'-' || before == b'\''
            }
            Some(_) => character_before(text, start)
                .is_some_and(|before| is_word_character(before) || is_joiner(before)),
        };
        if joined_to_previous {
            continue;
        }
        let end = word_end(text, start + character.len_utf8());
        words.push(start..end);
        *resume = end;
    }
}

/// Where the word that continues at `offset` ends: word characters, and
/// joiners followed by a capital ("Al-Dubaie", "O'Brien", not "OSCE’s").
fn word_end(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        offset = ascii_alphanumeric_end(bytes, offset);
        let Some(&byte) = bytes.get(offset) else {
            break;
        };
        // Past the ASCII letters and digits, an ASCII byte continues the
        // word only as a joiner: most words end at a space or a stop, decided
        // on the byte.
        if byte.is_ascii() && byte != b'-' && byte != b'\'' {
            break;
        }
        let next = if byte.is_ascii() {
            char::from(byte)
        } else {
            character_at(text, offset)
        };
        let after = offset + next.len_utf8();
        let continues = is_word_character(next)
            || (is_joiner(next) && text[after..].chars().next().is_some_and(char::is_uppercase));
        if !continues {
            break;
        }
        offset = after;
    }
    offset
}

/// Where the ASCII letters and digits from `offset` end, most of any word:
/// eight bytes at a time while eight remain (a word is read in one or two
/// steps, not one step and three tests a byte), then byte by byte.
fn ascii_alphanumeric_end(bytes: &[u8], mut offset: usize) -> usize {
    while let Some(eight) = bytes.get(offset..offset + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(eight);
        let others = !ascii_alphanumerics_in_eight(u64::from_le_bytes(word)) & HIGH_BITS;
        if others != 0 {
            // The first byte is the low byte: its flag is the lowest bit.
            return offset + (others.trailing_zeros() / 8) as usize;
        }
        offset += 8;
    }
    while bytes.get(offset).is_some_and(u8::is_ascii_alphanumeric) {
        offset += 1;
    }
    offset
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The top bit of each byte of `word` that is an ASCII letter or digit:
/// byte-wise range tests on a word, as in [`capital_candidates_in_eight`].
fn ascii_alphanumerics_in_eight(word: u64) -> u64 {
    let low_bits = word & !HIGH_BITS;
    // Setting bit 5 folds 'A'..='Z' onto 'a'..='z' and moves no other byte
    // into that range.
    let folded = low_bits | (ONES * 0x20);
    let from_a = folded + ONES * u64::from(0x80 - b'a');
    let beyond_z = folded + ONES * u64::from(0x80 - b'z' - 1);
    let from_0 = low_bits + ONES * u64::from(0x80 - b'0');
    let beyond_9 = low_bits + ONES * u64::from(0x80 - b'9' - 1);
    ((from_a & !beyond_z) | (from_0 & !beyond_9)) & !word & HIGH_BITS
}

fn is_joiner(character: char) -> bool {
    matches!(character, '-' | '\'' | '’')
}

/// The character that ends just before byte `offset`.
fn character_before(text: &str, offset: usize) -> Option<char> {
    let byte = *text.as_bytes().get(offset.checked_sub(1)?)?;
    if byte.is_ascii() {
        Some(char::from(byte))
    } else {
        text[..offset].chars().next_back()
    }
}

/// [`is_word_char`] with the ASCII answer first.
fn is_word_character(character: char) -> bool {
    if character.is_ascii() {
        character.is_ascii_alphanumeric()
    } else {
        is_word_char(character)
    }
}

/// The character starting at byte `offset`, which must be a character
/// boundary.
fn character_at(text: &str, offset: usize) -> char {
    text[offset..].chars().next().unwrap_or('\0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{default_pack, KnowledgeBase};
    use crate::scan::Scanner;

    fn near_misses(text: &str) -> Vec<(String, String)> {
        let knowledge_base = KnowledgeBase::load(default_pack::sources()).unwrap();
        let scanner = Scanner::new(&knowledge_base).unwrap();
        let mut mentions = Vec::new();
        scanner.scan(text, 0..text.len(), &mut mentions);
        let common = |word: &str| matches!(word, "Later" | "The" | "Minister" | "Foreign");
        let index = NameIndex::new(&knowledge_base, Thresholds::default(), common);
        index
            .find(text, &mentions, &knowledge_base.forms)
            .into_iter()
            .map(|found| (text[found.span].to_owned(), found.suggestion))
            .collect()
    }

    #[test]
    fn finds_unlisted_spellings_of_surnames_and_full_names() {
        assert_eq!(
            near_misses("Later, Abdrahmanov spoke with Mohammed Khaled Khiary."),
            [
                ("Abdrahmanov".to_owned(), "Abdrakhmanov".to_owned()),
                (
                    "Mohammed Khaled Khiary".to_owned(),
                    "Mohamed Khaled Khiari".to_owned()
                )
            ]
        );
    }

    #[test]
    fn known_forms_short_words_and_acronyms_are_left_alone() {
        assert!(near_misses("Kairat Abdrakhmanov met Khiari and the OSCE in Astana.").is_empty());
        assert!(near_misses("The Minister met Tokayev. UNRWA, OSCE and IOFS agreed.").is_empty());
    }

    /// What `verdict` decided before it kept facts in a table.
    fn reference_verdict(index: &NameIndex, word: &str) -> Option<(u32, usize)> {
        let never_a_near_miss = word.chars().count() < index.thresholds.min_length
            || is_acronym_like(word)
            || index.known_words.contains(word)
            || (index.is_common_word)(word)
            || has_look_alike_script(word);
        if never_a_near_miss {
            None
        } else {
            index.lookup(word)
        }
    }

    #[test]
    fn remembered_facts_are_what_deciding_afresh_says() {
        let knowledge_base = KnowledgeBase::load(default_pack::sources()).unwrap();
        let index = NameIndex::new(
            &knowledge_base,
            Thresholds::default(),
            crate::wordlist::is_english_word,
        );
        let mut table = WordTable::default();
        let corpus = crate::test_texts::corpus();
        // Twice: the second pass reads what the first remembered, and each
        // word is asked for in both orders (surname first, verdict first).
        for _ in 0..2 {
            for text in &corpus {
                for span in capitalised_words(text, 0..text.len()) {
                    let word = &text[span];
                    let expected_surname = if index.known_words.contains(word) {
                        Some(word)
                    } else {
                        index
                            .lookup(word)
                            .map(|(id, _)| index.words[id as usize].word.as_str())
                    };
                    let verdict_first = index.verdict(word, &mut table);
                    assert_eq!(verdict_first, reference_verdict(&index, word), "{word}");
                    assert_eq!(
                        index.surname_for(word, || false, &mut table),
                        expected_surname
                    );
                    // Inside a mention, only a known word is a surname.
                    let known = index.known_words.contains(word).then_some(word);
                    assert_eq!(index.surname_for(word, || true, &mut table), known);
                    let mut fresh = WordTable::default();
                    assert_eq!(
                        index.surname_for(word, || false, &mut fresh),
                        expected_surname
                    );
                    assert_eq!(index.verdict(word, &mut fresh), verdict_first, "{word}");
                }
            }
        }
    }

    #[test]
    fn derived_forms_of_names_are_words_of_their_own() {
        assert!(
            near_misses("Syrian refugees and Kazakhstani officials met Turkish ones.").is_empty()
        );
    }

    /// The character-by-character search `capitalised_words` replaced:
    /// kept to show the two agree.
    fn reference_capitalised_words(text: &str) -> Vec<Range<usize>> {
        let mut words = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut previous: Option<char> = None;
        while let Some((start, character)) = chars.next() {
            let at_word_start =
                previous.is_none_or(|c| !is_word_char(c) && c != '-' && c != '\'' && c != '’');
            previous = Some(character);
            if !(at_word_start && character.is_uppercase()) {
                continue;
            }
            let mut end = start + character.len_utf8();
            while let Some(&(offset, next)) = chars.peek() {
                let joins = next == '-' || next == '\'' || next == '’';
                if is_word_char(next) {
                    end = offset + next.len_utf8();
                } else if joins {
                    let after = text[offset + next.len_utf8()..].chars().next();
                    if !after.is_some_and(char::is_uppercase) {
                        break;
                    }
                    end = offset + next.len_utf8();
                } else {
                    break;
                }
                previous = Some(next);
                chars.next();
            }
            words.push(start..end);
        }
        words
    }

    proptest::proptest! {
        #[test]
        fn capitalised_words_agree_with_the_character_by_character_search(
            text in "([a-zA-Z0-9 ,.]|[-'’]|Al-Dubaie|O'Brien|OSCE’s|[ÄÖÜéßАаΕσİǅⅢⒶ]|\\u{0301}|\\u{20D0}|\\u{2003}|—|_){0,200}",
        ) {
            proptest::prop_assert_eq!(
                capitalised_words(&text, 0..text.len()),
                reference_capitalised_words(&text)
            );
        }
    }

    #[test]
    fn capitalised_words_agree_with_the_character_by_character_search_on_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_eq!(
                capitalised_words(&text, 0..text.len()),
                reference_capitalised_words(&text)
            );
        }
    }

    #[test]
    fn eight_bytes_at_once_flag_the_bytes_one_by_one_does() {
        for first in 0..=u8::MAX {
            for other in [
                0, b' ', b'@', b'A', b'Z', b'[', b'a', 0x7F, 0x80, 0xBF, 0xC0, 0xFF,
            ] {
                for position in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[position] = first;
                    let expected = bytes.iter().enumerate().fold(0, |mask, (index, &byte)| {
                        mask | u32::from(may_start_capital(byte)) << index
                    });
                    assert_eq!(
                        capital_candidates_in_eight(u64::from_le_bytes(bytes)),
                        expected,
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn eight_bytes_at_once_find_letters_and_digits_as_bytes_one_by_one_do() {
        for first in 0..=u8::MAX {
            for other in [
                0, b'/', b'0', b'9', b':', b'@', b'A', b'Z', b'[', b'`', b'a',
            ]
            .into_iter()
            .chain([b'z', b'{', 0x7F, 0x80, 0xC1, 0xDA, 0xE1, 0xFA, 0xFF])
            {
                for position in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[position] = first;
                    let expected = bytes.iter().enumerate().fold(0, |mask, (index, &byte)| {
                        mask | u64::from(byte.is_ascii_alphanumeric()) << (8 * index + 7)
                    });
                    assert_eq!(
                        ascii_alphanumerics_in_eight(u64::from_le_bytes(bytes)),
                        expected,
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn letters_and_digits_end_where_the_byte_by_byte_loop_ends(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![b'a'..=b'z', b'A'..=b'Z', b'0'..=b'9', proptest::num::u8::ANY],
                0..40,
            ),
            start in 0usize..40,
        ) {
            let start = start.min(bytes.len());
            let mut expected = start;
            while bytes.get(expected).is_some_and(u8::is_ascii_alphanumeric) {
                expected += 1;
            }
            proptest::prop_assert_eq!(ascii_alphanumeric_end(&bytes, start), expected);
        }
    }

    #[test]
    fn capitalised_words_keep_hyphens_but_not_possessives() {
        let text = "Al-Dubaie met the OSCE’s head and O'Brien.";
        let words: Vec<&str> = capitalised_words(text, 0..text.len())
            .into_iter()
            .map(|span| &text[span])
            .collect();
        assert_eq!(words, ["Al-Dubaie", "OSCE", "O'Brien"]);
    }
}
