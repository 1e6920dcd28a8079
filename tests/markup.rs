//! Markup fixtures: every file in tests/fixtures/markup/ is linted with the
//! default pack, and its human and JSON output are snapshotted (each read
//! before it was accepted). A new rule adds its `<rule-id>.md` and
//! `<rule-id>.html` there; nothing here needs to change.
//!
//! Beyond the snapshots: every reported span is the exact bytes of the file
//! (the form a rule names, once markup is stripped and references decoded),
//! and every fixture's declared date is the one its markup gives.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use common::{factlint, repository_root, stdout};
use factlint::document::{self, html, Document, Format};
use serde::Deserialize;

const FIXTURES: &str = "tests/fixtures/markup";

/// The fixtures, sorted, as paths relative to the repository root.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repository_root().join(FIXTURES))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| Format::from_path(path).is_some())
        .map(|path| Path::new(FIXTURES).join(path.file_name().unwrap()))
        .collect();
    paths.sort();
    assert!(paths.len() >= 6, "fixtures missing from {FIXTURES}");
    paths
}

#[derive(Deserialize)]
struct Report {
    diagnostics: Vec<Finding>,
}

#[derive(Deserialize)]
struct Finding {
    rule: String,
    severity: String,
    message: String,
    start: usize,
    end: usize,
    text: String,
    suggestions: Vec<SuggestionSpan>,
    notes: Vec<String>,
}

#[derive(Deserialize)]
struct SuggestionSpan {
    start: usize,
    end: usize,
}

fn json_findings(path: &Path) -> Vec<Finding> {
    let output = factlint(
        &repository_root(),
        &[
            "check",
            "--today",
            "2026-01-01",
            "--format",
            "json",
            path.to_str().unwrap(),
        ],
    );
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    report.diagnostics
}

#[test]
fn human_and_json_output_per_fixture() {
    for path in fixtures() {
        let relative = path.to_str().unwrap();
        let human = factlint(
            &repository_root(),
            &[
                "check",
                "--today",
                "2026-01-01",
                "--color",
                "never",
                relative,
            ],
        );
        let json = factlint(
            &repository_root(),
            &[
                "check",
                "--today",
                "2026-01-01",
                "--format",
                "json",
                relative,
            ],
        );
        let name = path.file_name().unwrap().to_str().unwrap();
        insta::with_settings!({
            omit_expression => true,
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots/markup",
        }, {
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), stdout(&json));
        });
    }
}

/// What the reader sees of some file bytes: tags dropped, references
/// decoded, no-break spaces as spaces.
fn as_read(format: Format, bytes: &str) -> String {
    match format {
        Format::Html => html::parse(bytes).text,
        Format::Text | Format::Markdown => bytes.to_owned(),
    }
}

/// The first `…` quoted part of a message: the form a rule flagged.
fn quoted_form(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

#[test]
fn every_span_is_the_exact_bytes_of_the_file() {
    let mut checked = 0;
    for path in fixtures() {
        let source = std::fs::read_to_string(repository_root().join(&path)).unwrap();
        let format = Format::from_path(&path).unwrap();
        for finding in json_findings(&path) {
            let bytes = source
                .get(finding.start..finding.end)
                .unwrap_or_else(|| panic!("{}: span off a character boundary", path.display()));
            assert_eq!(bytes, finding.text, "{}", path.display());
            if finding.rule == "name-variant" {
                for suggestion in &finding.suggestions {
                    assert_eq!(
                        (suggestion.start, suggestion.end),
                        (finding.start, finding.end)
                    );
                }
                let form = quoted_form(&finding.message).unwrap();
                assert_eq!(
                    as_read(format, bytes),
                    form,
                    "{}: bytes {}..{} are not the flagged form",
                    path.display(),
                    finding.start,
                    finding.end
                );
                checked += 1;
            }
            if finding.rule == "unused-suppression" {
                assert!(bytes.contains("factlint"), "{bytes}");
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} name-variant findings checked"
    );
}

#[test]
fn quoted_findings_are_lowered_and_explained() {
    let findings = json_findings(Path::new("tests/fixtures/markup/quotations.md"));
    let quoted: Vec<&Finding> = findings
        .iter()
        .filter(|finding| {
            finding
                .notes
                .iter()
                .any(|note| note.contains("direct quotation"))
        })
        .collect();
    assert!(quoted.iter().all(|finding| finding.severity == "warning"));
    let quoted_texts: Vec<&str> = quoted.iter().map(|finding| finding.text.as_str()).collect();
    assert_eq!(
        quoted_texts,
        [
            "Khairat Abdulrahmanov",
            "Khalid Khiari",
            "Abdurahmanov",
            "Al-Dubaie",
            "Al-Dubaie"
        ]
    );
    // Outside quotation marks, including after an apostrophe: errors.
    let errors: Vec<&str> = findings
        .iter()
        .filter(|finding| finding.severity == "error")
        .map(|finding| finding.text.as_str())
        .collect();
    assert_eq!(errors, ["Abdurahmanov", "Al-Dubaie"]);
}

#[test]
fn quoted_and_markup_crossing_findings_are_not_fixable() {
    let root = repository_root();
    let linter = factlint::lint::Linter::new(
        factlint::kb::KnowledgeBase::load(factlint::kb::default_pack::sources()).unwrap(),
        fixed_today(),
    )
    .unwrap();
    let fixable = |name: &str| -> Vec<(String, bool)> {
        let path = root.join(FIXTURES).join(name);
        let source = document::read(&path).unwrap();
        let document = Document::new(source, Format::from_path(&path).unwrap());
        linter
            .lint(&document)
            .into_iter()
            .filter(|diagnostic| diagnostic.rule == "name-variant")
            .map(|diagnostic| {
                (
                    document.source[diagnostic.span].to_owned(),
                    diagnostic.fixable,
                )
            })
            .collect()
    };
    let quotations = fixable("quotations.md");
    assert!(quotations.contains(&("Khalid Khiari".to_owned(), false)));
    assert!(quotations.contains(&("Abdurahmanov".to_owned(), true)));
    let html = fixable("name-variant.html");
    assert!(html.contains(&("Khalid&nbsp;Khiari".to_owned(), false)));
    assert!(html.contains(&("Khairat <em>Abdulrahmanov".to_owned(), false)));
    assert!(html.contains(&("Al-Dubaie".to_owned(), true)));
}

#[test]
fn markup_declares_the_document_date() {
    let expected = [
        ("name-variant.md", "2024-06-28", "front matter"),
        ("suppressions.md", "2022-09-15", "front matter"),
        ("name-variant.html", "2024-07-22", "article:published_time"),
        ("quotations.html", "2025-07-24", "JSON-LD"),
        ("suppressions.html", "2020-11-29", "<time datetime>"),
        ("quotations.md", "", ""),
        ("suppressions.txt", "", ""),
    ];
    for (name, date, origin) in expected {
        let path = repository_root().join(FIXTURES).join(name);
        let source = document::read(&path).unwrap();
        let document = Document::new(source, Format::from_path(&path).unwrap());
        match &document.declared_date {
            None => assert_eq!(date, "", "{name}: no date found"),
            Some(declared) => {
                assert_eq!(declared.date.to_string(), date, "{name}");
                assert!(
                    declared.origin.contains(origin),
                    "{name}: {}",
                    declared.origin
                );
                // The offset points at the date as written.
                assert_eq!(
                    &document.source[declared.source_offset..declared.source_offset + 10],
                    date,
                    "{name}"
                );
            }
        }
    }
}

/// Pieces of Markdown, HTML and text that tokenizers trip over.
const PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&#",
    "&#x41;",
    "&#150;",
    ";",
    "<!--",
    "-->",
    "<p>",
    "</p>",
    "<br>",
    "<script>",
    "</script>",
    "<style>",
    "<title>",
    "<pre>",
    "</pre>",
    "<code>",
    "<b>",
    "</b>",
    "<a href=\"",
    "\">",
    "'",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "`",
    "```",
    "\n",
    "\r\n",
    "\n\n",
    "---",
    "+++",
    "...",
    "    ",
    " ",
    "Астана",
    "é",
    "Türkiye",
    "Abdurahmanov",
    "Khalid Khiari",
    "Khalid&nbsp;Khiari",
    "Al-Dubaie",
    "[",
    "](",
    ")",
    "![",
    "<http://x.org/",
    "https://example.org/Abdurahmanov",
    "*",
    "_",
    "#",
    "> ",
    "|",
    "- ",
    "1. ",
    "[^1]",
    "date: ",
    "2024-06-28",
    "date = ",
    "<time datetime=\"",
    "<meta property=\"article:published_time\" content=\"",
    "<script type=\"application/ld+json\">{\"datePublished\": \"",
    "factlint: disable-next-line",
    "<!-- factlint-disable-next-line -->",
    "<!-- factlint-disable name-variant -->",
    "<!-- factlint-enable -->",
    "factlint-enable x",
    "<template>",
    "</template>",
    "\u{FEFF}",
];

#[test]
fn random_markup_never_panics_and_spans_stay_in_the_file() {
    let linter = factlint::lint::Linter::new(
        factlint::kb::KnowledgeBase::load(factlint::kb::default_pack::sources()).unwrap(),
        fixed_today(),
    )
    .unwrap();
    // A fixed linear congruential generator: the same documents every run.
    let mut state: u64 = 0x5eed;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % bound
    };
    for _ in 0..1500 {
        let length = next(40);
        let source: String = (0..length).map(|_| PIECES[next(PIECES.len())]).collect();
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let document = Document::new(source.clone(), format);
            // Without a map (text; Markdown unless emphasis markers were
            // left out), the linted text keeps the file's layout.
            if document.source_map.is_none() {
                assert_eq!(document.text().len(), source.len(), "{source:?}");
            }
            for diagnostic in linter.lint(&document) {
                assert!(
                    source.get(diagnostic.span.clone()).is_some(),
                    "{format:?} {source:?}: {:?}",
                    diagnostic.span
                );
                for suggestion in &diagnostic.suggestions {
                    assert!(source.get(suggestion.span.clone()).is_some());
                }
            }
        }
    }
}

/// Undated documents are judged at a fixed day, never the real one.
fn fixed_today() -> factlint::lint::Settings {
    factlint::lint::Settings {
        date: None,
        today: factlint::date::Date::parse_iso("2026-01-01").unwrap(),
        ..Default::default()
    }
}

/// Byte ranges of `source` between each `open` and the following `close`.
fn between(source: &str, open: &str, close: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(start) = source[from..].find(open).map(|index| from + index) {
        let end = source[start + open.len()..]
            .find(close)
            .map_or(source.len(), |index| {
                start + open.len() + index + close.len()
            });
        ranges.push(start..end);
        from = end;
    }
    ranges
}

/// Every rule has a Markdown and an HTML fixture named after it, which
/// draws its findings from prose and none from code, comments or scripts.
#[test]
fn every_rule_fires_in_markdown_and_html_prose_only() {
    for rule in factlint::rules::RULES {
        let id = rule.meta().id;
        for extension in ["md", "html"] {
            let path = PathBuf::from(format!("{FIXTURES}/{id}.{extension}"));
            let source = std::fs::read_to_string(repository_root().join(&path))
                .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
            let findings = json_findings(&path);
            assert!(
                findings.iter().any(|finding| finding.rule == id),
                "{}: no {id} finding",
                path.display()
            );
            let hidden = if extension == "md" {
                let mut hidden = between(&source, "```", "```");
                hidden.extend(between(&source, "`", "`"));
                hidden.extend(between(&source, "---\n", "---\n").into_iter().take(1));
                hidden
            } else {
                let mut hidden = between(&source, "<pre>", "</pre>");
                hidden.extend(between(&source, "<!--", "-->"));
                hidden.extend(between(&source, "<script>", "</script>"));
                hidden.extend(between(&source, "<style>", "</style>"));
                hidden.extend(between(&source, "<code>", "</code>"));
                hidden
            };
            // A suppression directive is a comment by design.
            for finding in findings
                .iter()
                .filter(|finding| finding.rule != "unused-suppression")
            {
                assert!(
                    !hidden
                        .iter()
                        .any(|range| range.start <= finding.start && finding.end <= range.end),
                    "{}: {} flagged `{}` in code, a comment or markup",
                    path.display(),
                    finding.rule,
                    finding.text
                );
            }
        }
    }
}

/// A name split by emphasis is still the name; the finding points at the
/// file's bytes, markup included, and is not fixed automatically (the fix
/// would drop the markup), while a name wholly inside emphasis is.
#[test]
fn names_split_by_emphasis_are_found() {
    let linter = factlint::lint::Linter::new(
        factlint::kb::KnowledgeBase::load(factlint::kb::default_pack::sources()).unwrap(),
        fixed_today(),
    )
    .unwrap();
    let source = "Mr. Abdu*rahmanov* met **Khalid** Khiari and *Abdurahmanov*.\n";
    let document = Document::new(source.to_owned(), Format::Markdown);
    let found: Vec<(&str, &str, bool)> = linter
        .lint(&document)
        .into_iter()
        .filter(|diagnostic| diagnostic.rule == "name-variant")
        .map(|diagnostic| {
            (
                diagnostic.rule,
                &source[diagnostic.span.clone()],
                diagnostic.fixable,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("name-variant", "Abdu*rahmanov", false),
            ("name-variant", "Khalid** Khiari", false),
            ("name-variant", "Abdurahmanov", true),
        ]
    );
}
