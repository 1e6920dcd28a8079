//! Near-miss lookup cost as the knowledge base grows (issue #4, point 2).
//!
//! Run: `cargo bench --bench near_miss` (add `-- --quick` for one run of the
//! two smaller packs).
//!
//! Generates knowledge bases of 1,000, 10,000 and 100,000 people (plausible
//! romanised names, each with a surname alias), and one text of distinct
//! capitalised words that every pack must resolve: respellings of the first
//! thousand surnames (present in every pack) and names close to none. Each
//! run builds a fresh index, so every word is a cache miss and is looked up
//! once. It prints the median time per candidate word and its ratio to the
//! 1,000-entity pack: an index that scanned the entities would be ~100×
//! slower at 100,000; a symmetric-delete index stays flat.
//!
//! Why a bench target, not bench.py: the quantity is the cost of one lookup,
//! which a whole-process timing would bury under knowledge-base compile and
//! scanning; here the index is timed alone, on the library API.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use factlint::kb::{KnowledgeBase, PackSource};
use factlint::near_miss::{NameIndex, Thresholds};

const GIVEN_NAMES: &[&str] = &[
    "Kairat", "Aigerim", "Murat", "Dana", "Yerlan", "Saule", "Timur", "Aliya", "Rustam", "Zarina",
    "Omar", "Fatima", "Yusuf", "Leila", "Karim", "Nadia", "Ivan", "Olga", "Pavel", "Irina",
];
const SYLLABLES: &[&str] = &[
    "ab", "dra", "kha", "ma", "nu", "sul", "ta", "ka", "ri", "to", "mu", "na", "be", "sha", "lo",
    "ve", "di", "za", "qu", "ol", "an", "er", "ib", "us", "dar", "gul", "bek", "zhan", "tur",
    "sen",
];
const SURNAME_ENDINGS: &[&str] = &["ov", "ev", "yev", "enko", "ski", "ani", "ova", "in", "uly"];

/// splitmix64: deterministic across runs and platforms, no crate needed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        value ^ (value >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Distinct people, in a fixed order: a pack of N is the first N.
fn people(count: usize) -> Vec<(String, String)> {
    let mut random = Random(20_240_628);
    let mut taken = HashSet::new();
    let mut people = Vec::with_capacity(count);
    while people.len() < count {
        let mut surname = String::new();
        for _ in 0..2 + random.below(3) {
            surname.push_str(random.pick(SYLLABLES));
        }
        surname.push_str(random.pick(SURNAME_ENDINGS));
        let surname = capitalised(&surname);
        if taken.insert(surname.clone()) {
            people.push((format!("{} {surname}", random.pick(GIVEN_NAMES)), surname));
        }
    }
    people
}

fn pack(people: &[(String, String)]) -> PackSource {
    let mut text = String::with_capacity(people.len() * 100);
    for (index, (name, surname)) in people.iter().enumerate() {
        text.push_str(&format!(
            "[[person]]\nid = \"person-{index}\"\nname = \"{name}\"\naliases = [\"{surname}\"]\nsource = \"generated\"\n\n"
        ));
    }
    PackSource {
        name: format!("generated-{}.toml", people.len()),
        text,
    }
}

/// One letter of `word` replaced, deleted or doubled: an unlisted spelling.
fn respell(word: &str, random: &mut Random) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = 1 + random.below(chars.len() - 1);
    match random.below(3) {
        0 => chars[at] = ['a', 'e', 'i', 'o', 'u', 'k', 'h'][random.below(7)],
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}

/// Distinct capitalised words, each between lowercase words so that each is
/// a candidate of its own: half respell a surname of the smallest pack, half
/// are far from every name.
fn text(people: &[(String, String)], words: usize) -> (String, Vec<String>) {
    let mut random = Random(7);
    let known: HashSet<&str> = people.iter().map(|(_, surname)| surname.as_str()).collect();
    let mut seen = HashSet::new();
    let mut candidates = Vec::with_capacity(words);
    let mut text = String::new();
    while candidates.len() < words {
        let word = if seen.len() % 2 == 0 {
            let (_, surname) = &people[random.below(people.len().min(1_000))];
            respell(surname, &mut random)
        } else {
            let mut word = String::new();
            for _ in 0..6 + random.below(6) {
                word.push(char::from(b'a' + random.below(26) as u8));
            }
            capitalised(&word)
        };
        if !known.contains(word.as_str()) && seen.insert(word.clone()) {
            text.push_str("and ");
            text.push_str(&word);
            text.push_str(" met them. ");
            candidates.push(word);
        }
    }
    (text, candidates)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|argument| argument == "--quick");
    let (sizes, runs): (&[usize], usize) = if quick {
        (&[1_000, 10_000], 1)
    } else {
        (&[1_000, 10_000, 100_000], 5)
    };
    let everyone = people(*sizes.iter().max().unwrap_or(&1_000));
    let (text, words) = text(&everyone, 20_000);
    let candidates = words.len();
    println!(
        "near-miss lookup: {candidates} distinct candidate words, median of {runs} run(s), fresh index each run\n"
    );
    println!(
        "| entities | index build | lookups | per candidate | vs 1,000 | names compared per candidate | near misses |\n|---:|---:|---:|---:|---:|---:|---:|"
    );
    let mut baseline: Option<f64> = None;
    for &size in sizes {
        let knowledge_base = match KnowledgeBase::load(vec![pack(&everyone[..size])]) {
            Ok(knowledge_base) => knowledge_base,
            Err(failure) => {
                for error in failure.errors.iter().take(5) {
                    eprintln!("the generated pack does not load: {}", error.message);
                }
                std::process::exit(2);
            }
        };
        let (mut builds, mut lookups, mut found) = (Vec::new(), Vec::new(), 0);
        for _ in 0..runs {
            let started = Instant::now();
            let index = NameIndex::new(
                &knowledge_base,
                Thresholds::default(),
                factlint::wordlist::is_english_word,
            );
            builds.push(started.elapsed());
            let started = Instant::now();
            found = index.find(&text, &[], &knowledge_base.forms).len();
            lookups.push(started.elapsed());
        }
        let lookup = median(lookups);
        let index = NameIndex::new(
            &knowledge_base,
            Thresholds::default(),
            factlint::wordlist::is_english_word,
        );
        let compared: usize = words
            .iter()
            .map(|word| index.candidates_compared(word))
            .sum();
        let per_candidate = lookup.as_nanos() as f64 / candidates as f64;
        let ratio = per_candidate / *baseline.get_or_insert(per_candidate);
        println!(
            "| {size} | {:.1} ms | {:.1} ms | {:.2} µs | {ratio:.2}× | {:.1} | {found} |",
            median(builds).as_secs_f64() * 1e3,
            lookup.as_secs_f64() * 1e3,
            per_candidate / 1e3,
            compared as f64 / candidates as f64,
        );
    }
}
