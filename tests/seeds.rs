//! The corpus against ../shared/seed_expectations.toml (copied into
//! tests/fixtures): every expected finding a rule covers is reported, and
//! nothing inside a trap is flagged. Plus one snapshot per article of the
//! human and the JSON output, each read against the expectations before it
//! was accepted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::ops::Range;

use common::{factlint, repository_root, stdout};
use serde::Deserialize;

/// Seed file names and what they are called in corpus/.
const CORPUS: &[(&str, &str)] = &[
    ("000_8a58ad2c0665b73d.txt", "2024-06-28-hcnm-oic-jeddah.txt"),
    ("001_c0f851bfca1251d8.txt", "2022-09-15-icesco-osce.txt"),
    (
        "002_f6d9b5c341739c2d.txt",
        "2024-07-22-un-oic-meeting-astana.txt",
    ),
    (
        "003_671a1079044ebab9.txt",
        "2020-11-29-kazakhstan-oic-cfm.txt",
    ),
    (
        "004_c5ddfa300ff11e9a.txt",
        "2025-07-24-un-oic-security-council.txt",
    ),
];

/// Finding kinds of seed_expectations.toml and the rules that report them.
/// Kinds not listed here ("other") have no rule.
const RULES_FOR_KIND: &[(&str, &[&str])] = &[
    ("name-variant", &["name-variant"]),
    ("org-mixup", &["member-count"]),
    // A known variant of the right organization is name-variant's finding.
    ("acronym-mismatch", &["acronym-mismatch", "name-variant"]),
    ("office-holder", &["office-holder"]),
    ("stale-place-name", &["stale-name"]),
];

/// Expected findings no rule covers yet, with the reason.
const NOT_YET_COVERED: &[(&str, &str)] = &[(
    "the work of the NGO",
    "calling an intergovernmental body an NGO needs organization types in the knowledge base",
)];

/// Undated articles are judged at this day, never the real one.
const TODAY: &str = "2026-11-22";

#[derive(Deserialize)]
struct Expectations {
    seed: Vec<Seed>,
}

#[derive(Deserialize)]
struct Seed {
    file: String,
    findings: Vec<Expected>,
    traps: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    text: String,
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize)]
struct Report {
    diagnostics: Vec<Finding>,
}

#[derive(Deserialize)]
struct Finding {
    path: String,
    rule: String,
    start: usize,
    end: usize,
    text: String,
}

fn expectations() -> Expectations {
    let text =
        std::fs::read_to_string(repository_root().join("tests/fixtures/seed_expectations.toml"))
            .unwrap();
    toml::from_str(&text).unwrap()
}

fn corpus_name(seed_file: &str) -> &'static str {
    CORPUS
        .iter()
        .find(|(seed, _)| *seed == seed_file)
        .map(|(_, corpus)| *corpus)
        .unwrap_or_else(|| panic!("no corpus file for seed {seed_file}"))
}

fn json_findings() -> Vec<Finding> {
    let output = factlint(
        &repository_root(),
        &["check", "--format", "json", "corpus/"],
    );
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    report.diagnostics
}

fn span_of(text: &str, needle: &str) -> Range<usize> {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the article"));
    start..start + needle.len()
}

#[test]
fn corpus_is_the_seeds_byte_for_byte() {
    let seeds = repository_root().join("../shared/seeds");
    if !seeds.is_dir() {
        // A clone without shared/ beside it: nothing to compare with.
        return;
    }
    for (seed, corpus) in CORPUS {
        let original = std::fs::read(seeds.join(seed)).unwrap();
        let copy = std::fs::read(repository_root().join("corpus").join(corpus)).unwrap();
        assert!(
            original == copy,
            "corpus/{corpus} differs from seeds/{seed}"
        );
    }
}

#[test]
fn expected_findings_are_reported_with_their_rule() {
    let findings = json_findings();
    for seed in expectations().seed {
        let path = format!("corpus/{}", corpus_name(&seed.file));
        let text = std::fs::read_to_string(repository_root().join(&path)).unwrap();
        for expected in &seed.findings {
            let Some((_, rules)) = RULES_FOR_KIND
                .iter()
                .find(|(kind, _)| *kind == expected.kind)
            else {
                continue;
            };
            if NOT_YET_COVERED
                .iter()
                .any(|(text, _)| *text == expected.text)
            {
                continue;
            }
            let wanted = span_of(&text, &expected.text);
            let hit = findings.iter().any(|finding| {
                finding.path == path
                    && rules.contains(&finding.rule.as_str())
                    && finding.start >= wanted.start
                    && finding.end <= wanted.end
            });
            assert!(
                hit,
                "{path}: expected a {} finding inside `{}`",
                expected.kind, expected.text
            );
        }
    }
}

#[test]
fn nothing_inside_a_trap_is_flagged() {
    let findings = json_findings();
    for seed in expectations().seed {
        let path = format!("corpus/{}", corpus_name(&seed.file));
        let text = std::fs::read_to_string(repository_root().join(&path)).unwrap();
        for trap in &seed.traps {
            let trap_span = span_of(&text, &trap.text);
            for finding in findings.iter().filter(|finding| finding.path == path) {
                let overlaps = finding.start < trap_span.end && trap_span.start < finding.end;
                assert!(
                    !overlaps,
                    "{path}: {} flagged `{}` inside the trap `{}`",
                    finding.rule, finding.text, trap.text
                );
            }
        }
    }
}

#[test]
fn human_and_json_output_per_article() {
    for (_, corpus) in CORPUS {
        let path = format!("corpus/{corpus}");
        let human = factlint(
            &repository_root(),
            &["check", "--today", TODAY, "--color", "never", &path],
        );
        let json = factlint(
            &repository_root(),
            &["check", "--today", TODAY, "--format", "json", &path],
        );
        let name = corpus.trim_end_matches(".txt");
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), stdout(&json));
        });
    }
}

/// seed_expectations.toml's `cross_document` entries: one finding per
/// entity, naming every file and form.
#[test]
fn cross_document_spellings_are_reported_once_per_entity() {
    let output = factlint(
        &repository_root(),
        &["check", "--today", TODAY, "--format", "json", "corpus/"],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let across: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["rule"] == "name-inconsistent"
                && d["message"].as_str().unwrap().contains("across files")
        })
        .collect();
    for (entity, files) in [
        (
            "kairat-abdrakhmanov",
            [
                "2024-06-28-hcnm-oic-jeddah.txt",
                "2022-09-15-icesco-osce.txt",
            ],
        ),
        (
            "khaled-khiari",
            [
                "2024-07-22-un-oic-meeting-astana.txt",
                "2025-07-24-un-oic-security-council.txt",
            ],
        ),
    ] {
        let findings: Vec<_> = across.iter().filter(|d| d["entity"] == entity).collect();
        assert_eq!(findings.len(), 1, "{entity}: {findings:#?}");
        let notes = findings[0]["notes"].to_string();
        for file in files {
            assert!(
                notes.contains(file),
                "{entity}: {notes} does not name {file}"
            );
        }
    }
}
