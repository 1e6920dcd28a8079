//! Baselines: `--write-baseline` records today's findings, `--baseline`
//! reports only new ones, and the record survives edits elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::Path;

use common::{exit_code, factlint, stderr, stdout};
use serde_json::Value;
use tempfile::TempDir;

const PACK: &str = r#"
[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
aliases = ["Abdrakhmanov"]
variants = ["Khairat Abdurahmanov", "Abdurahmanov"]
source = "https://example.org/abdrakhmanov"
"#;

const ARTICLE: &str = "OSCE visit\nMr. Khairat Abdurahmanov met the press.\nLater Mr. Abdurahmanov left, and Mr. Abdurahmanov said goodbye.\n";

/// A workspace with the test pack beside `files`.
fn workspace(files: &[(&str, &str)]) -> TempDir {
    let mut all = vec![("pack.toml", PACK)];
    all.extend_from_slice(files);
    common::workspace(&all)
}

fn check(directory: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["check", "--no-default-rules", "--rules", "pack.toml"];
    all.extend_from_slice(args);
    factlint(directory, &all)
}

/// The matched texts reported, from `--format json`.
fn reported(directory: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = check(directory, &all);
    let report: Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_baseline_records_rule_path_text_and_fingerprint() {
    let directory = workspace(&[("content/a.txt", ARTICLE)]);
    let output = check(
        directory.path(),
        &["--write-baseline", "baseline.json", "."],
    );
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "writing a baseline reports nothing");
    assert!(
        stderr(&output).contains("factlint: recorded 3 findings in baseline.json"),
        "{}",
        stderr(&output)
    );
    let baseline: Value =
        serde_json::from_str(&fs::read_to_string(directory.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    let findings = baseline["findings"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap(),
                finding["path"].as_str().unwrap(),
                finding["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("name-variant", "content/a.txt", "Khairat Abdurahmanov"),
            ("name-variant", "content/a.txt", "Abdurahmanov"),
            ("name-variant", "content/a.txt", "Abdurahmanov"),
        ]
    );
    let fingerprints: Vec<&str> = findings
        .iter()
        .map(|finding| finding["fingerprint"].as_str().unwrap())
        .collect();
    assert!(fingerprints.iter().all(|print| print.len() >= 16));
    assert_ne!(fingerprints[1], fingerprints[2], "told apart by context");
}

#[test]
fn only_findings_not_in_the_baseline_are_reported_after_edits_elsewhere() {
    let directory = workspace(&[("content/a.txt", ARTICLE)]);
    check(
        directory.path(),
        &["--write-baseline", "baseline.json", "."],
    );

    let quiet = check(directory.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(exit_code(&quiet), 0, "{}", stdout(&quiet));
    assert!(stdout(&quiet).contains("0 errors"), "{}", stdout(&quiet));
    assert!(
        stderr(&quiet).contains("3 findings recorded in the baseline not reported"),
        "{}",
        stderr(&quiet)
    );

    // Lines added above, a paragraph rewritten around the findings' words:
    // every old finding keeps its fingerprint.
    let edited = format!(
        "Updated 2 May.\n\n{}",
        ARTICLE
            .replace("met the press", "met the press in Vienna on Tuesday")
            .replace("OSCE visit", "An OSCE visit, revisited")
    );
    fs::write(directory.path().join("content/a.txt"), &edited).unwrap();
    assert!(reported(
        directory.path(),
        &["--baseline", "baseline.json", "content"]
    )
    .is_empty());

    // A new finding, and a repeat of a known one (same neighbouring words),
    // are reported.
    fs::write(
        directory.path().join("content/a.txt"),
        format!("{edited}Mr. Abdurahmanov left, again.\nKhairat Abdurahmanov, interviewed.\n"),
    )
    .unwrap();
    let new = reported(
        directory.path(),
        &["--baseline", "baseline.json", "content"],
    );
    assert_eq!(new, ["Abdurahmanov", "Khairat Abdurahmanov"]);
    let output = check(
        directory.path(),
        &["--baseline", "baseline.json", "content"],
    );
    assert_eq!(exit_code(&output), 1);

    // A new file is all new.
    fs::write(directory.path().join("content/b.txt"), "Abdurahmanov.\n").unwrap();
    let new = reported(
        directory.path(),
        &["--baseline", "baseline.json", "content/b.txt"],
    );
    assert_eq!(new, ["Abdurahmanov"]);
}

#[test]
fn fix_with_a_baseline_fixes_only_the_new_findings() {
    let directory = workspace(&[("a.txt", ARTICLE)]);
    check(
        directory.path(),
        &["--write-baseline", "baseline.json", "a.txt"],
    );
    let with_new = format!("{ARTICLE}Abdurahmanov again.\n");
    fs::write(directory.path().join("a.txt"), &with_new).unwrap();
    let output = check(
        directory.path(),
        &["--baseline", "baseline.json", "--fix", "a.txt"],
    );
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(directory.path().join("a.txt")).unwrap(),
        format!("{ARTICLE}Abdrakhmanov again.\n")
    );
}

#[test]
fn a_missing_or_broken_baseline_is_an_error_naming_it() {
    let directory = workspace(&[
        ("a.txt", ARTICLE),
        (
            "broken.json",
            "{\n  \"version\": 1,\n  \"findings\": [\n}\n",
        ),
    ]);
    let missing = check(directory.path(), &["--baseline", "nope.json", "a.txt"]);
    assert_eq!(exit_code(&missing), 2);
    assert_eq!(
        stderr(&missing),
        "error: nope.json: cannot read the baseline: no such file or directory\n"
    );
    assert_eq!(
        stdout(&missing),
        "",
        "nothing is reported without the baseline"
    );

    let broken = check(directory.path(), &["--baseline", "broken.json", "a.txt"]);
    assert_eq!(exit_code(&broken), 2);
    assert!(
        stderr(&broken).starts_with("error: broken.json: not a factlint baseline: ")
            && stderr(&broken).contains("(line 4, column 1)"),
        "{}",
        stderr(&broken)
    );

    fs::write(
        directory.path().join("future.json"),
        r#"{ "version": 9, "findings": [] }"#,
    )
    .unwrap();
    let future = check(directory.path(), &["--baseline", "future.json", "a.txt"]);
    assert_eq!(exit_code(&future), 2);
    assert!(
        stderr(&future).contains("baseline version 9 is not supported"),
        "{}",
        stderr(&future)
    );

    let both = check(
        directory.path(),
        &[
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
            "a.txt",
        ],
    );
    assert_eq!(exit_code(&both), 2);
}
