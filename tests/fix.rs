//! `--fix` and `--diff`: what is applied, that a second run changes
//! nothing, that writes are atomic and keep permissions, that a file changed
//! on disk is left alone, and (by property test over generated documents)
//! that only the flagged spans change.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use common::{exit_code, factlint, repository_root, stderr, stdout};
use factlint::diagnostic::Diagnostic;
use factlint::document::{Document, Format};
use factlint::fix;
use factlint::kb::{KnowledgeBase, PackSource};
use factlint::lint::Linter;
use proptest::prelude::*;
use tempfile::TempDir;

const PACK: &str = r#"
[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
aliases = ["Abdrakhmanov"]
variants = ["Khairat Abdulrahmanov", "Abdurahmanov", "Abdulrahmanov"]
source = "https://example.org/abdrakhmanov"

[[organization]]
id = "oic"
name = "Organisation of Islamic Cooperation"
variants = [
  { form = "Organization of the Islamic Cooperation", replacement = "Organization of Islamic Cooperation" },
]
aliases = ["Organization of Islamic Cooperation"]
source = "https://example.org/oic"
"#;

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    let knowledge_base = KnowledgeBase::load(vec![PackSource {
        name: "pack.toml".to_owned(),
        text: PACK.to_owned(),
    }])
    .unwrap();
    let settings = factlint::lint::Settings {
        today: factlint::date::Date::parse_iso("2026-01-01").unwrap(),
        ..Default::default()
    };
    Linter::new(knowledge_base, settings).unwrap()
});

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

fn read(directory: &TempDir, name: &str) -> String {
    fs::read_to_string(directory.path().join(name)).unwrap()
}

const ARTICLE: &str = "Astana, 2024\nMr. Khairat Abdulrahmanov met the Organization of the Islamic Cooperation.\nLater Abdurahmanov left.\n";
const FIXED: &str = "Astana, 2024\nMr. Kairat Abdrakhmanov met the Organization of Islamic Cooperation.\nLater Abdrakhmanov left.\n";

#[test]
fn fix_applies_the_suggestions_and_a_second_fix_changes_nothing() {
    let directory = workspace(&[("a.txt", ARTICLE)]);
    let first = check(directory.path(), &["--fix", "a.txt"]);
    assert_eq!(exit_code(&first), 0, "{}", stderr(&first));
    assert_eq!(read(&directory, "a.txt"), FIXED);
    assert!(
        stderr(&first).contains("factlint: fixed 3 findings in 1 file"),
        "{}",
        stderr(&first)
    );
    // What is left is reported, and nothing is left.
    assert!(
        stdout(&first).contains("1 file checked: 0 errors"),
        "{}",
        stdout(&first)
    );

    let second = check(directory.path(), &["--fix", "a.txt"]);
    assert_eq!(exit_code(&second), 0);
    assert_eq!(read(&directory, "a.txt"), FIXED);
    assert!(stderr(&second).contains("fixed 0 findings in 0 files"));

    // Linted again, the file shows none of the fixed findings.
    let again = check(directory.path(), &["--format", "json", "a.txt"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

#[test]
fn a_file_with_nothing_to_fix_is_not_rewritten() {
    let directory = workspace(&[("a.txt", ARTICLE), ("b.txt", "Nothing to fix here.\n")]);
    let before = fs::metadata(directory.path().join("b.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let output = check(directory.path(), &["--fix", "a.txt", "b.txt"]);
    assert_eq!(exit_code(&output), 0);
    let after = fs::metadata(directory.path().join("b.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "a file with nothing to fix is not rewritten");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let directory = workspace(&[("news/a.txt", ARTICLE)]);
    let output = check(directory.path(), &["--diff", "./news/a.txt"]);
    assert_eq!(exit_code(&output), 1, "the findings are still there");
    assert_eq!(read(&directory, "news/a.txt"), ARTICLE);
    assert_eq!(
        stdout(&output),
        "--- a/news/a.txt\n\
         +++ b/news/a.txt\n\
         @@ -1,3 +1,3 @@\n \
         Astana, 2024\n\
         -Mr. Khairat Abdulrahmanov met the Organization of the Islamic Cooperation.\n\
         -Later Abdurahmanov left.\n\
         +Mr. Kairat Abdrakhmanov met the Organization of Islamic Cooperation.\n\
         +Later Abdrakhmanov left.\n"
    );
    let conflicting = check(directory.path(), &["--diff", "--fix", "news/a.txt"]);
    assert_eq!(exit_code(&conflicting), 2);
}

#[test]
fn the_corpus_fixes_cleanly_and_only_flagged_spans_change() {
    let directory = TempDir::new().unwrap();
    let corpus = repository_root().join("corpus");
    for entry in fs::read_dir(&corpus).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), directory.path().join(entry.file_name())).unwrap();
    }
    let before = factlint(directory.path(), &["check", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&before)).unwrap();
    // Findings with one suggestion are fixed; the others (a wrong count, a
    // stale title) are for a person to rewrite.
    let fixable: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["suggestions"].as_array().unwrap().len() == 1)
        .collect();
    assert!(!fixable.is_empty());

    let fixed = factlint(directory.path(), &["check", "--fix", "."]);
    assert_ne!(exit_code(&fixed), 2, "{}", stderr(&fixed));
    assert!(stderr(&fixed).contains("fixed "), "{}", stderr(&fixed));
    let after = factlint(directory.path(), &["check", "--format", "json", "."]);
    let after: serde_json::Value = serde_json::from_str(&stdout(&after)).unwrap();
    let left: Vec<&serde_json::Value> = after["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["suggestions"].as_array().unwrap().len() == 1)
        .collect();
    assert!(left.is_empty(), "left after --fix: {left:#?}");

    for entry in fs::read_dir(&corpus).unwrap() {
        let entry = entry.unwrap();
        let original = fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("./{name}");
        let spans: Vec<(usize, usize, String)> = fixable
            .iter()
            .filter(|diagnostic| diagnostic["path"] == path.as_str())
            .map(|diagnostic| {
                let suggestion = &diagnostic["suggestions"][0];
                (
                    suggestion["start"].as_u64().unwrap() as usize,
                    suggestion["end"].as_u64().unwrap() as usize,
                    suggestion["replacement"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        // Where suggestions overlap, which one applies first is the fix
        // engine's choice; elsewhere the result is exactly the replacements.
        let overlapping = spans
            .iter()
            .enumerate()
            .any(|(index, a)| spans[index + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1));
        if overlapping {
            continue;
        }
        let expected = replace_spans(&original, &spans);
        let actual = fs::read_to_string(directory.path().join(&name)).unwrap();
        assert_eq!(actual, expected, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn writes_are_atomic_and_keep_permissions() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let directory = workspace(&[("a.txt", ARTICLE)]);
    let path = directory.path().join("a.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let inode_before = fs::metadata(&path).unwrap().ino();
    let output = check(directory.path(), &["--fix", "a.txt"]);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
    // A new inode: the file was replaced by a rename, not rewritten in place.
    assert_ne!(metadata.ino(), inode_before);
    let names: Vec<String> = fs::read_dir(directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn a_file_changed_after_it_was_read_is_left_alone() {
    let directory = workspace(&[("a.txt", ARTICLE)]);
    let path = directory.path().join("a.txt");
    let mut reports = vec![LINTER.lint_file(&path, Format::Text)];
    let edited = format!("{ARTICLE}A line someone added meanwhile.\n");
    fs::write(&path, &edited).unwrap();

    let plans = fix::plan(&LINTER, &reports, &|_, _, diagnostics| diagnostics);
    let outcomes = fix::write(&mut reports, plans);
    assert_eq!(outcomes.len(), 1);
    assert!(
        matches!(outcomes[0].1, fix::Outcome::ChangedOnDisk),
        "{outcomes:?}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    // The report still describes what was linted.
    let linted = reports[0].outcome.as_ref().unwrap();
    assert_eq!(linted.document.source, ARTICLE);
    let variants = linted
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.rule == "name-variant")
        .count();
    assert_eq!(variants, 3);
}

#[test]
fn a_file_that_cannot_be_read_back_is_not_written() {
    let directory = workspace(&[("a.txt", ARTICLE)]);
    let path = directory.path().join("a.txt");
    let mut reports = vec![LINTER.lint_file(&path, Format::Text)];
    // The file is replaced by a directory: reading it to compare fails.
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
    let plans = fix::plan(&LINTER, &reports, &|_, _, diagnostics| diagnostics);
    let outcomes = fix::write(&mut reports, plans);
    assert!(
        matches!(outcomes[0].1, fix::Outcome::Failed(_)),
        "{outcomes:?}"
    );
}

/// `text` with each `(start, end, replacement)` applied; written apart from
/// `fix::apply` so the property below checks the fixer against a model.
/// The text with the replacements applied; of overlapping ones the
/// leftmost, then the longest, wins, as in the fix engine.
fn replace_spans(text: &str, spans: &[(usize, usize, String)]) -> String {
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|span| (span.0, std::cmp::Reverse(span.1)));
    let mut out = String::new();
    let mut position = 0;
    for (start, end, replacement) in sorted {
        if start < position {
            continue;
        }
        out.push_str(&text[position..start]);
        out.push_str(&replacement);
        position = end;
    }
    out.push_str(&text[position..]);
    out
}

fn fix_text(text: &str) -> (String, Vec<Diagnostic>) {
    let document = Document::new(text.to_owned(), Format::Text);
    let diagnostics = LINTER.lint(&document);
    match fix::fix_document(
        &LINTER,
        std::path::Path::new("article.txt"),
        &document,
        diagnostics.clone(),
        &|_, found| found,
    ) {
        Some(fixed) => {
            assert!(fixed.converged);
            (fixed.document.source.to_string(), fixed.diagnostics)
        }
        None => (text.to_owned(), diagnostics),
    }
}

/// Pieces of generated documents: variants, canonical forms and aliases,
/// words, punctuation that does and does not end a word, line breaks,
/// non-ASCII letters.
const PIECES: &[&str] = &[
    "Abdurahmanov",
    "Abdulrahmanov",
    "Khairat Abdulrahmanov",
    "Khairat",
    "Kairat Abdrakhmanov",
    "Abdrakhmanov",
    "Organization of the Islamic Cooperation",
    "Organization of Islamic Cooperation",
    "Islamic",
    "the",
    "said",
    "Астана",
    "é",
    "’s",
    " ",
    " ",
    " ",
    ", ",
    ".",
    "-",
    "(",
    ")",
    "\n",
    "\r\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fixing_twice_equals_fixing_once_and_only_flagged_spans_change(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)
    ) {
        let text: String = pieces.concat();
        let document = Document::new(text.clone(), Format::Text);
        // Findings without a suggestion (one entity spelled two ways) are
        // not fixes; they go away with the variants they point at.
        let flagged: Vec<(usize, usize, String)> = LINTER
            .lint(&document)
            .iter()
            .filter(|diagnostic| !diagnostic.suggestions.is_empty())
            .map(|diagnostic| {
                prop_assert_eq!(diagnostic.suggestions.len(), 1);
                let suggestion = &diagnostic.suggestions[0];
                Ok((suggestion.span.start, suggestion.span.end, suggestion.replacement.clone()))
            })
            .collect::<Result<_, _>>()?;

        let (once, left) = fix_text(&text);
        prop_assert_eq!(&once, &replace_spans(&text, &flagged));
        let unfixed: Vec<&Diagnostic> = left.iter().filter(|diagnostic| !diagnostic.suggestions.is_empty()).collect();
        prop_assert!(unfixed.is_empty(), "left after fixing: {:?}", unfixed);
        let (twice, _) = fix_text(&once);
        prop_assert_eq!(twice, once);
    }
}
