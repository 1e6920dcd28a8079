//! The command line as a user meets it: exit codes, bad inputs, packs,
//! walking.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::Path;

use common::{exit_code, factlint, stderr, stdout};
use tempfile::TempDir;

const PACK: &str = r#"
[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
aliases = ["Abdrakhmanov"]
variants = ["Khairat Abdulrahmanov", "Abdurahmanov"]
source = "https://example.org/abdrakhmanov"
"#;

/// Files as byte strings, so a test can write bytes that are not UTF-8.
fn workspace(files: &[(&str, &[u8])]) -> TempDir {
    common::workspace(files)
}

fn check(directory: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["check", "--no-default-rules", "--rules", "pack.toml"];
    all.extend_from_slice(args);
    factlint(directory, &all)
}

#[test]
fn exit_code_is_0_without_findings_and_1_with_them() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        (
            "clean.txt",
            b"Kairat Abdrakhmanov met the press. Abdrakhmanov spoke.",
        ),
        ("flagged.txt", b"Mr. Abdurahmanov spoke."),
    ]);
    let clean = check(directory.path(), &["clean.txt"]);
    assert_eq!(exit_code(&clean), 0, "{}", stderr(&clean));
    assert!(stdout(&clean).contains("1 file checked: 0 errors"));

    let flagged = check(directory.path(), &["flagged.txt"]);
    assert_eq!(exit_code(&flagged), 1);
    let out = stdout(&flagged);
    assert!(out.contains("error[name-variant]"), "{out}");
    assert!(out.contains("flagged.txt:1:5"), "{out}");
    assert!(out.contains("help: write `Abdrakhmanov`"), "{out}");
}

#[test]
fn fail_on_sets_the_threshold() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        ("flagged.txt", b"Mr. Abdurahmanov spoke."),
    ]);
    for threshold in ["error", "warning", "info"] {
        let output = check(directory.path(), &["--fail-on", threshold, "flagged.txt"]);
        assert_eq!(exit_code(&output), 1, "--fail-on {threshold}");
    }
    let bad = check(directory.path(), &["--fail-on", "sometimes", "flagged.txt"]);
    assert_eq!(exit_code(&bad), 2);
}

#[test]
fn each_bad_input_is_named_and_the_other_files_are_still_linted() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        ("good.txt", b"Mr. Abdurahmanov spoke."),
        ("empty.txt", b""),
        ("binary.txt", b"GIF89a\0\0\x01"),
        ("latin1.txt", b"Caf\xe9 Abdurahmanov"),
    ]);
    let output = check(
        directory.path(),
        &[
            "missing.txt",
            "good.txt",
            "empty.txt",
            "binary.txt",
            "latin1.txt",
        ],
    );
    assert_eq!(exit_code(&output), 2);
    let errors = stderr(&output);
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 4, "{errors}");
    assert!(
        errors.contains("error: missing.txt: no such file or directory"),
        "{errors}"
    );
    assert!(
        errors.contains("error: empty.txt: file is empty"),
        "{errors}"
    );
    assert!(
        errors.contains("error: binary.txt: binary file"),
        "{errors}"
    );
    assert!(
        errors.contains("error: latin1.txt: not valid UTF-8: invalid byte at line 1, column 4"),
        "{errors}"
    );
    let out = stdout(&output);
    assert!(out.contains("good.txt:1:5"), "{out}");
    assert!(out.contains("3 files could not be read"), "{out}");
}

#[test]
fn an_unreadable_file_is_named() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        ("good.txt", b"Mr. Abdurahmanov."),
    ]);
    let locked = directory.path().join("locked.txt");
    fs::write(&locked, "Abdurahmanov").unwrap();
    let mut unreadable = locked.display().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_ok() {
            // Running as root, permissions do not stop reading; a file the
            // kernel refuses to read whole stands in for it.
            unreadable = "/proc/self/mem".to_owned();
        }
    }
    let output = check(directory.path(), &["good.txt", &unreadable]);
    assert_eq!(exit_code(&output), 2);
    let errors = stderr(&output);
    assert!(
        errors.starts_with(&format!("error: {unreadable}: cannot read file")),
        "{errors}"
    );
    assert!(stdout(&output).contains("good.txt:1:5"));
}

#[test]
fn walking_keeps_text_markdown_and_html_and_respects_gitignore() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        (".gitignore", b"drafts/\n"),
        ("content/a.md", b"Abdurahmanov"),
        ("content/b.markdown", b"Abdurahmanov"),
        ("content/c.txt", b"Abdurahmanov"),
        ("content/page.html", b"<p>Abdurahmanov</p>"),
        ("content/page2.htm", b"<p>Abdurahmanov</p>"),
        ("content/notes.rst", b"Abdurahmanov"),
        ("drafts/d.txt", b"Abdurahmanov"),
    ]);
    let output = check(directory.path(), &["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "./content/a.md",
            "./content/b.markdown",
            "./content/c.txt",
            "./content/page.html",
            "./content/page2.htm"
        ]
    );
    assert_eq!(report["summary"]["files"], 5);

    // Named explicitly, any file is linted.
    let explicit = check(directory.path(), &["--format", "json", "content/notes.rst"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&explicit)).unwrap();
    assert_eq!(report["diagnostics"][0]["path"], "content/notes.rst");
}

#[test]
fn output_is_sorted_and_identical_from_run_to_run() {
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("pack.toml".to_owned(), PACK.as_bytes().to_vec())];
    for index in (0..40).rev() {
        files.push((
            format!("articles/{index:02}.txt"),
            b"Abdurahmanov and Khairat Abdulrahmanov".to_vec(),
        ));
    }
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    let directory = workspace(&borrowed);
    let first = stdout(&check(directory.path(), &["--format", "json", "articles"]));
    let second = stdout(&check(directory.path(), &["--format", "json", "articles"]));
    assert_eq!(first, second);
    let report: serde_json::Value = serde_json::from_str(&first).unwrap();
    let keys: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["start"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let variants = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "name-variant")
        .count();
    assert_eq!(variants, 80);
}

#[test]
fn json_matches_the_design_schema() {
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        ("a.txt", "Астана: Mr. Abdurahmanov.\n".as_bytes()),
    ]);
    let output = check(directory.path(), &["--format", "json", "a.txt"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let expected = serde_json::json!({
        "version": 1,
        "summary": { "files": 1, "errors": 1, "warnings": 0, "infos": 0 },
        "diagnostics": [{
            "path": "a.txt", "rule": "name-variant", "severity": "error",
            "message": "`Abdurahmanov` is a variant spelling of Kairat Abdrakhmanov",
            "start": 18, "end": 30, "line": 1, "column": 13, "end_line": 1, "end_column": 25,
            "text": "Abdurahmanov", "entity": "kairat-abdrakhmanov",
            "suggestions": [{ "replacement": "Abdrakhmanov", "start": 18, "end": 30 }],
            "notes": ["Kairat Abdrakhmanov (person `kairat-abdrakhmanov`): `Abdurahmanov` is listed as a variant of `Abdrakhmanov` in pack.toml"]
        }]
    });
    assert_eq!(report, expected);
}

#[test]
fn a_pack_directory_and_the_default_pack_can_be_combined_or_dropped() {
    let directory = workspace(&[
        (
            "packs/extra.toml",
            PACK.replace("kairat-abdrakhmanov", "someone-else")
                .replace("Kairat Abdrakhmanov", "Someone Else")
                .replace("Abdrakhmanov\"", "Else\"")
                .replace(
                    "\"Khairat Abdulrahmanov\", \"Abdurahmanov\"",
                    "\"Somone Else\"",
                )
                .as_bytes(),
        ),
        ("a.txt", b"Somone Else met Khairat Abdulrahmanov."),
    ]);
    let with_default = factlint(
        directory.path(),
        &["check", "--rules", "packs", "--format", "json", "a.txt"],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&with_default)).unwrap();
    assert_eq!(report["summary"]["errors"], 2, "{}", stderr(&with_default));
    let without_default = factlint(
        directory.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "packs",
            "--format",
            "json",
            "a.txt",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&without_default)).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["diagnostics"][0]["text"], "Somone Else");
}

#[test]
fn a_missing_pack_is_an_error() {
    let directory = workspace(&[("a.txt", b"text")]);
    let output = factlint(
        directory.path(),
        &["check", "--rules", "nope.toml", "a.txt"],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("error: nope.toml: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn near_miss_thresholds_are_settable_per_pack() {
    let strict = format!("{PACK}\n[near-miss]\nmax-edits = 1\nmin-length = 5\n");
    let directory = workspace(&[
        ("pack.toml", PACK.as_bytes()),
        ("strict.toml", strict.as_bytes()),
        ("a.txt", b"Abdrahmanov and Abdrahmanow spoke."),
    ]);
    let count = |pack: &str| {
        let output = factlint(
            directory.path(),
            &[
                "check",
                "--no-default-rules",
                "--rules",
                pack,
                "--format",
                "json",
                "a.txt",
            ],
        );
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "name-near-miss")
            .count()
    };
    assert_eq!(count("pack.toml"), 2);
    assert_eq!(count("strict.toml"), 1);
    let bad = workspace(&[
        ("bad.toml", b"[near-miss]\nmax-edit = 1\n"),
        ("a.txt", b"x"),
    ]);
    let output = factlint(
        bad.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "bad.toml",
            "a.txt",
        ],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("unknown field `max-edit`"),
        "{}",
        stderr(&output)
    );
}
