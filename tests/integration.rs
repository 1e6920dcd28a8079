//! What CI and installation rely on: the pre-commit hooks file, the
//! commands the README shows, completions, --help and --version, --quiet,
//! and a progress bar that never reaches a log.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;

use clap::Parser;
use common::{exit_code, factlint, repository_root, stderr, stdout};
use factlint::cli::Cli;
use tempfile::TempDir;

const PACK: &str = r#"
[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
variants = ["Abdurahmanov"]
source = "https://example.org/abdrakhmanov"
"#;

#[test]
fn pre_commit_hooks_run_factlint_on_articles_only() {
    let hooks = fs::read_to_string(repository_root().join(".pre-commit-hooks.yaml")).unwrap();
    for expected in [
        "- id: factlint\n",
        "  entry: factlint check\n",
        "- id: factlint-fix\n",
        "  entry: factlint check --fix\n",
    ] {
        assert!(hooks.contains(expected), "missing `{expected}`");
    }
    assert_eq!(hooks.matches("  language: rust\n").count(), 2);
    let patterns: Vec<&str> = hooks
        .lines()
        .filter_map(|line| line.strip_prefix("  files: "))
        .collect();
    assert_eq!(patterns.len(), 2);
    for pattern in patterns {
        let files = regex::Regex::new(pattern).unwrap();
        for linted in ["a.txt", "news/b.md", "c.markdown", "d.text"] {
            assert!(files.is_match(linted), "{pattern} skips {linted}");
        }
        for skipped in ["page.html", "Cargo.toml", "notes.md.bak"] {
            assert!(!files.is_match(skipped), "{pattern} takes {skipped}");
        }
    }
    // The entries name commands that exist.
    Cli::try_parse_from(["factlint", "check", "--fix", "a.md"]).unwrap();
}

/// Every `factlint ...` command in the README's code blocks parses, so the
/// documentation cannot drift from the flags.
#[test]
fn the_commands_in_the_readme_are_accepted() {
    let readme = fs::read_to_string(repository_root().join("README.md")).unwrap();
    let mut in_code = false;
    let mut checked = 0;
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let Some(start) = line.find("factlint ") else {
            continue;
        };
        let command = &line[start..];
        // Stop at a comment, a redirection, a pipe or the end of a YAML
        // value; keep the words before.
        let end = command.find(['#', '>', '|']).unwrap_or(command.len());
        let words: Vec<&str> = command[..end].split_whitespace().collect();
        if words.len() < 2 || !["check", "completions", "--help", "--version"].contains(&words[1]) {
            continue;
        }
        if let Err(error) = Cli::try_parse_from(&words) {
            // --help and --version "fail" by printing; they are still accepted.
            assert!(
                matches!(
                    error.kind(),
                    clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
                ),
                "README: `{}`: {error}",
                command.trim()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} commands found");
}

#[test]
fn completions_cover_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = factlint(&repository_root(), &["completions", shell]);
        assert_eq!(exit_code(&output), 0, "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for word in ["factlint", "check", "completions", "write-baseline"] {
            assert!(script.contains(word), "{shell} completions lack `{word}`");
        }
        // Elvish and PowerShell scripts complete flags, not their values.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(
                script.contains("sarif"),
                "{shell} completions lack the formats"
            );
        }
    }
    let unknown = factlint(&repository_root(), &["completions", "tcsh"]);
    assert_eq!(exit_code(&unknown), 2);
}

#[test]
fn help_and_version() {
    let version = factlint(&repository_root(), &["--version"]);
    assert_eq!(exit_code(&version), 0);
    assert_eq!(
        stdout(&version),
        format!("factlint {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = factlint(&repository_root(), &["check", "--help"]);
    assert_eq!(exit_code(&help), 0);
    let text = stdout(&help);
    for word in [
        "--fix",
        "--diff",
        "--baseline",
        "--write-baseline",
        "--quiet",
        "sarif",
        "github",
        "rdjson",
        "short",
    ] {
        assert!(text.contains(word), "check --help lacks `{word}`");
    }
}

#[test]
fn quiet_prints_findings_and_nothing_else() {
    let directory = TempDir::new().unwrap();
    fs::write(directory.path().join("pack.toml"), PACK).unwrap();
    fs::write(directory.path().join("a.txt"), "Mr. Abdurahmanov spoke.\n").unwrap();
    let args = ["check", "--no-default-rules", "--rules", "pack.toml"];

    let loud = factlint(directory.path(), &[&args[..], &["a.txt"]].concat());
    assert!(stdout(&loud).contains("factlint: 1 file checked"));
    let quiet = factlint(directory.path(), &[&args[..], &["-q", "a.txt"]].concat());
    assert_eq!(exit_code(&quiet), 1);
    assert!(stdout(&quiet).contains("error[name-variant]"));
    assert!(!stdout(&quiet).contains("factlint:"), "{}", stdout(&quiet));

    let fixed = factlint(
        directory.path(),
        &[&args[..], &["--quiet", "--fix", "a.txt"]].concat(),
    );
    assert_eq!(exit_code(&fixed), 0);
    assert_eq!(stdout(&fixed), "");
    assert_eq!(stderr(&fixed), "");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let directory = TempDir::new().unwrap();
    fs::write(directory.path().join("pack.toml"), PACK).unwrap();
    for index in 0..150 {
        fs::write(
            directory.path().join(format!("{index:03}.txt")),
            "Nothing here.\n",
        )
        .unwrap();
    }
    let output = factlint(
        directory.path(),
        &["check", "--no-default-rules", "--rules", "pack.toml", "."],
    );
    assert_eq!(exit_code(&output), 0);
    assert_eq!(stderr(&output), "");
    assert!(stdout(&output).contains("150 files checked"));
}
