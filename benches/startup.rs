//! Where start-up goes with a large knowledge base (issue #7, point 2).
//!
//! Run: `cargo bench --bench startup -- [PACK.toml] [RUNS]`; the pack defaults
//! to `target/bench/packs/entities-100000.toml` (written by
//! `benches/bench.py`), runs to 3.
//!
//! Times each start-up phase alone, on the library API, and prints the
//! median: parsing the TOML, compiling it (parse + validation), building the
//! scanner, the near-miss index and the office titles, building the whole
//! `Linter` (which builds those three, in parallel where it can), and
//! dropping it. A whole-process timing (bench.py) says how long start-up is;
//! this says which part to work on.

use std::time::{Duration, Instant};

use factlint::kb::{load, KnowledgeBase, PackSource};
use factlint::lint::{Linter, Settings};
use factlint::near_miss::{NameIndex, Thresholds};
use factlint::scan::Scanner;
use factlint::titles::OfficeTitles;

fn main() {
    // `cargo bench` passes `--bench`; everything else is ours.
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with("--"))
        .collect();
    let path = arguments
        .first()
        .map_or("target/bench/packs/entities-100000.toml", String::as_str);
    let runs: usize = arguments
        .get(1)
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(3);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error} (run benches/bench.py first, or name a pack)");
            std::process::exit(2);
        }
    };
    let source = || PackSource {
        name: path.to_owned(),
        text: text.clone(),
    };
    let load = || match KnowledgeBase::load(vec![source()]) {
        Ok(knowledge_base) => knowledge_base,
        Err(failure) => {
            for error in failure.errors.iter().take(5) {
                eprintln!("{path}: the pack does not load: {}", error.message);
            }
            std::process::exit(2);
        }
    };
    let knowledge_base = load();
    println!(
        "{path}: {} entities, {} forms; median of {runs} run(s)\n",
        knowledge_base.entities.len(),
        knowledge_base.forms.len()
    );
    println!("| phase | seconds |\n|---|---:|");
    let phase = |name: &str, work: &mut dyn FnMut() -> Duration| {
        let mut times: Vec<Duration> = (0..runs).map(|_| work()).collect();
        times.sort();
        println!("| {name} | {:.3} |", times[times.len() / 2].as_secs_f64());
    };
    phase("parse TOML (kb::load::parse_pack)", &mut || {
        let started = Instant::now();
        let parsed = load::parse_pack(0, &text);
        let elapsed = started.elapsed();
        drop(parsed);
        elapsed
    });
    phase("load: parse + compile (KnowledgeBase::load)", &mut || {
        let source = source();
        let started = Instant::now();
        let loaded = KnowledgeBase::load(vec![source]);
        let elapsed = started.elapsed();
        drop(loaded);
        elapsed
    });
    phase("Scanner::new", &mut || {
        let started = Instant::now();
        let scanner = Scanner::new(&knowledge_base);
        let elapsed = started.elapsed();
        drop(scanner);
        elapsed
    });
    phase("NameIndex::new", &mut || {
        let started = Instant::now();
        let names = NameIndex::new(
            &knowledge_base,
            Thresholds::default(),
            factlint::wordlist::is_english_word,
        );
        let elapsed = started.elapsed();
        drop(names);
        elapsed
    });
    phase("OfficeTitles::new", &mut || {
        let started = Instant::now();
        let titles = OfficeTitles::new(&knowledge_base);
        let elapsed = started.elapsed();
        drop(titles);
        elapsed
    });
    let mut drops = Vec::new();
    phase("Linter::new", &mut || {
        let knowledge_base = load();
        let started = Instant::now();
        let linter = Linter::new(knowledge_base, Settings::default());
        let elapsed = started.elapsed();
        let dropped = Instant::now();
        drop(linter);
        drops.push(dropped.elapsed());
        elapsed
    });
    drops.sort();
    println!(
        "| drop(Linter) | {:.3} |",
        drops[drops.len() / 2].as_secs_f64()
    );
}
