//! factlint.toml as a user meets it: discovery, layering, strictness, each
//! setting, and the `config`, `rules` and `explain` subcommands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use common::{exit_code, factlint, stderr, stdout, workspace};

const ARTICLE: &str = "date 2024-06-28\nThe forum opened in Nur-Sultan with Mr. Abdurahmanov.\n";

/// Rule ids reported, from `--format json`.
fn rules_reported(directory: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--today", "2026-01-01", "--format", "json"];
    all.extend_from_slice(args);
    let output = factlint(directory, &all);
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{}",
                diagnostic["rule"].as_str().unwrap(),
                diagnostic["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn without_a_file_the_defaults_apply() {
    let directory = workspace(&[("a.txt", ARTICLE)]);
    assert_eq!(
        rules_reported(directory.path(), &["a.txt"]),
        ["stale-name:warning", "name-variant:error"]
    );
}

#[test]
fn the_file_is_found_in_a_parent_and_layers_under_the_command_line() {
    let directory = workspace(&[
        ("factlint.toml", "ignore = [\"name-variant\"]\nfail-on = \"warning\"\n\n[severity]\nstale-name = \"error\"\n"),
        ("content/news/a.txt", ARTICLE),
    ]);
    let nested = directory.path().join("content/news");
    assert_eq!(rules_reported(&nested, &["a.txt"]), ["stale-name:error"]);
    // The command line wins: select replaces, ignore adds, fail-on overrides.
    assert_eq!(
        rules_reported(&nested, &["--select", "name-variant,stale-name", "a.txt"]),
        ["stale-name:error", "name-variant:error"]
    );
    assert!(rules_reported(&nested, &["--ignore", "stale-name", "a.txt"]).is_empty());
    let output = factlint(
        &nested,
        &[
            "check",
            "--today",
            "2026-01-01",
            "--ignore",
            "stale-name",
            "a.txt",
        ],
    );
    assert_eq!(exit_code(&output), 0);
    let output = factlint(&nested, &["check", "--today", "2026-01-01", "a.txt"]);
    assert_eq!(exit_code(&output), 1);
}

#[test]
fn per_path_ignores_include_exclude_and_undated() {
    let directory = workspace(&[
        (
            "site.toml",
            "include = [\"content/**\"]\nexclude = [\"content/archive/**\"]\nundated = \"skip\"\n\n[[per-path]]\npaths = [\"content/history/**\"]\nignore = [\"stale-name\"]\n",
        ),
        ("content/news/a.txt", ARTICLE),
        ("content/history/b.txt", ARTICLE),
        ("content/archive/c.txt", ARTICLE),
        ("content/news/undated.txt", "The forum opened in Akmola with Mr. Abdurahmanov.\n"),
        ("drafts/d.txt", ARTICLE),
    ]);
    let output = factlint(
        directory.path(),
        &[
            "check",
            "--config",
            "site.toml",
            "--today",
            "2026-01-01",
            "--format",
            "json",
            ".",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["path"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "./content/history/b.txt name-variant",
            "./content/news/a.txt stale-name",
            "./content/news/a.txt name-variant",
            // Undated and `undated = "skip"`: no stale-name for Akmola.
            "./content/news/undated.txt name-variant",
        ]
    );
    // A file named explicitly is linted whatever the globs say.
    let output = factlint(
        directory.path(),
        &[
            "check",
            "--config",
            "site.toml",
            "--format",
            "json",
            "drafts/d.txt",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn packs_and_near_miss_thresholds_come_from_the_file() {
    let directory = workspace(&[
        (
            "factlint.toml",
            "packs = [\"house/pack.toml\"]\ndefault-pack = false\n\n[near-miss]\nmax-edits = 1\n",
        ),
        (
            "house/pack.toml",
            "[[person]]\nid = \"someone-else\"\nname = \"Someone Else\"\nvariants = [\"Somone Else\"]\nsource = \"https://example.org\"\n",
        ),
        ("a.txt", "Somone Else met Mr. Abdurahmanov."),
    ]);
    assert_eq!(
        rules_reported(directory.path(), &["a.txt"]),
        ["name-variant:error"]
    );
}

#[test]
fn unknown_keys_wrong_types_and_unknown_rules_are_errors_pointing_at_the_file() {
    for (text, expected) in [
        (
            "select = [\"all\"]\nignroe = [\"stale-name\"]\n",
            "factlint.toml:2:1",
        ),
        ("fail-on = 3\n", "factlint.toml:1:11"),
        ("ignore = [\"stale-names\"]\n", "unknown rule `stale-names`"),
    ] {
        let directory = workspace(&[("factlint.toml", text), ("a.txt", ARTICLE)]);
        let output = factlint(directory.path(), &["check", "a.txt"]);
        assert_eq!(exit_code(&output), 2, "{text}");
        let errors = stderr(&output);
        assert!(errors.contains(expected), "{text}: {errors}");
        assert!(errors.contains("nothing was linted"), "{errors}");
    }
    let directory = workspace(&[("a.txt", ARTICLE)]);
    let output = factlint(
        directory.path(),
        &["check", "--select", "no-such-rule", "a.txt"],
    );
    assert_eq!(exit_code(&output), 2);
    let output = factlint(
        directory.path(),
        &["check", "--config", "missing.toml", "a.txt"],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(stderr(&output).contains("missing.toml"));
}

#[test]
fn config_prints_the_settings_in_force() {
    let directory = workspace(&[(
        "factlint.toml",
        "fail-on = \"info\"\n\n[severity]\nstale-name = \"error\"\n",
    )]);
    let output = factlint(directory.path(), &["config"]);
    assert_eq!(exit_code(&output), 0);
    let text = stdout(&output);
    assert!(text.contains("fail-on = \"info\""), "{text}");
    assert!(text.contains("stale-name = \"error\""), "{text}");
    assert!(text.contains("name-variant = \"error\""), "{text}");
    // What it prints is itself a valid configuration.
    let again = workspace(&[("factlint.toml", &text)]);
    let output = factlint(again.path(), &["config"]);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_documentation() {
    let directory = workspace::<&str>(&[]);
    let output = factlint(directory.path(), &["rules"]);
    let listing = stdout(&output);
    for rule in factlint::rules::RULES {
        let meta = rule.meta();
        assert!(
            listing.contains(meta.id) && listing.contains(meta.summary),
            "{listing}"
        );
    }
    let output = factlint(directory.path(), &["explain", "stale-name"]);
    assert_eq!(exit_code(&output), 0);
    let text = stdout(&output);
    assert!(
        text.starts_with("stale-name (warning by default)"),
        "{text}"
    );
    assert!(
        text.contains("## What it flags") && text.contains("## Example"),
        "{text}"
    );
    assert!(
        !text.contains("\n ## "),
        "doc comment indentation is removed: {text}"
    );
    let output = factlint(directory.path(), &["explain", "stale-names"]);
    assert_eq!(exit_code(&output), 2);
    assert!(stderr(&output).contains("no rule `stale-names`"));
}

/// `--fix` lints each fixed text again; those passes must honour per-path
/// ignores too, or a later pass fixes (and reports) what a rule the file's
/// path switches off found.
#[test]
fn fixing_keeps_per_path_ignores() {
    let directory = workspace(&[
        (
            "factlint.toml",
            "[[per-path]]\npaths = [\"history/**\"]\nignore = [\"stale-name\"]\n",
        ),
        ("history/b.txt", ARTICLE),
    ]);
    let output = factlint(
        directory.path(),
        &[
            "check",
            "--today",
            "2026-01-01",
            "--fix",
            "--format",
            "json",
            "history",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"stale-name"), "{rules:?}");
    let fixed = std::fs::read_to_string(directory.path().join("history/b.txt")).unwrap();
    assert_eq!(
        fixed,
        "date 2024-06-28\nThe forum opened in Nur-Sultan with Mr. Abdrakhmanov.\n"
    );
}
