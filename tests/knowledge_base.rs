//! Pack validation: every error at once, each pointing at its line.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::{exit_code, factlint, stderr};
use factlint::kb::{default_pack, KnowledgeBase, PackSource};

const BROKEN_PACK: &str = r#"[[person]]
id = "first-person"
name = "Khaled Khiari"
source = "https://example.org/a"

[[person]]
id = "second-person"
name = "Khaled Khiari"
source = "https://example.org/b"

[[person]]
id = "nameless"
name = ""
source = "https://example.org/c"

[[person]]
id = "typo-in-key"
name = "Someone"
nmae = "Someone"
source = "https://example.org/d"

[[organization]]
id = "bad-value"
name = "Some Organization"
members = [{ count = "many", term = "member states" }]
source = "https://example.org/e"

[[place]]
id = "inverted"
names = [{ name = "Oldtown", from = 2020-01-01, until = 2019-01-01 }]
source = "https://example.org/f"

[[place]]
id = "overlapping"
names = [
  { name = "Astana", from = 1998-05-06, until = 2019-03-23 },
  { name = "Nur-Sultan", from = 2019-03-01, until = 2022-09-17 },
]
source = "https://example.org/g"
"#;

fn load(text: &str) -> Result<KnowledgeBase, factlint::kb::LoadFailure> {
    KnowledgeBase::load(vec![PackSource {
        name: "broken.toml".to_owned(),
        text: text.to_owned(),
    }])
}

#[test]
fn the_default_pack_is_valid() {
    let knowledge_base = KnowledgeBase::load(default_pack::sources()).expect("default pack loads");
    assert!(knowledge_base.entities.len() > 20);
    for entity in &knowledge_base.entities {
        assert!(
            !entity.source.trim().is_empty(),
            "{} has no source",
            entity.id
        );
    }
}

#[test]
fn every_error_is_reported_at_once_with_its_line() {
    let failure = load(BROKEN_PACK).expect_err("the pack is invalid");
    let messages: Vec<&str> = failure
        .errors
        .iter()
        .map(|error| error.message.as_str())
        .collect();
    assert_eq!(failure.errors.len(), 6, "{messages:#?}");
    let rendered = factlint::report::kb_errors::render(&failure, factlint::report::Color::Never);
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_form_with_two_meanings_in_one_entity_is_an_error() {
    let failure = load(
        r#"[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
aliases = ["Abdurahmanov"]
variants = ["Abdurahmanov"]
source = "s"
"#,
    )
    .expect_err("contradictory");
    assert_eq!(failure.errors.len(), 1);
    assert!(
        failure.errors[0].message.contains("two meanings"),
        "{}",
        failure.errors[0].message
    );
}

#[test]
fn unknown_tables_unknown_offices_and_syntax_errors_are_reported() {
    let failure = load("[[persons]]\nid = \"x\"\n").expect_err("unknown table");
    assert!(failure.errors[0]
        .message
        .contains("unknown table `persons`"));

    let failure = load(
        "[[person]]\nid = \"x\"\nname = \"X Y\"\nroles = [{ office = \"nowhere\" }]\nsource = \"s\"\n",
    )
    .expect_err("unknown office");
    assert!(failure.errors[0]
        .message
        .contains("unknown office `nowhere`"));

    let failure = load("[[person]\nid = \n").expect_err("syntax");
    assert!(!failure.errors.is_empty());
    assert!(failure.errors.iter().all(|error| error.span.is_some()));
}

#[test]
fn the_cli_exits_2_and_points_into_the_pack() {
    let directory = tempfile::TempDir::new().unwrap();
    std::fs::write(directory.path().join("broken.toml"), BROKEN_PACK).unwrap();
    std::fs::write(directory.path().join("a.txt"), "Khaled Khiari").unwrap();
    let output = factlint(
        directory.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "broken.toml",
            "a.txt",
        ],
    );
    assert_eq!(exit_code(&output), 2);
    let errors = stderr(&output);
    assert!(errors.contains("┌─ broken.toml:8:8"), "{errors}");
    assert!(
        errors.contains("the knowledge base has 6 errors; nothing was linted"),
        "{errors}"
    );
}

fn default_linter() -> factlint::lint::Linter {
    let settings = factlint::lint::Settings {
        date: None,
        today: factlint::date::Date::parse_iso("2026-01-01").unwrap(),
        ..Default::default()
    };
    factlint::lint::Linter::new(
        KnowledgeBase::load(default_pack::sources()).unwrap(),
        settings,
    )
    .unwrap()
}

#[test]
fn the_given_name_nursultan_is_the_person_not_the_city() {
    let linter = default_linter();
    let document = factlint::document::Document::new(
        "President Nursultan Nazarbayev visited Nur-Sultan.".to_owned(),
        factlint::document::Format::Text,
    );
    let knowledge_base = linter.knowledge_base();
    let mentions: Vec<(String, &str)> = linter
        .mentions(&document)
        .iter()
        .map(|mention| {
            let form = &knowledge_base.forms[mention.form];
            (
                document.text()[mention.span()].to_owned(),
                knowledge_base.entity(form.entity).id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        mentions,
        [
            ("Nursultan Nazarbayev".to_owned(), "nursultan-nazarbayev"),
            ("Nur-Sultan".to_owned(), "astana")
        ]
    );
}

#[test]
fn accepted_aliases_are_never_flagged() {
    let linter = default_linter();
    let text = "Khaled Khiari, Mohamed Khaled Khiari and Khiari; the Organization of Islamic Cooperation \
                and the Organisation of Islamic Cooperation; the Organization for Security and Cooperation in Europe \
                and the Organization for Security and Co-operation in Europe; Tokaev; Petropavlovsk; Czech Republic.";
    let document =
        factlint::document::Document::new(text.to_owned(), factlint::document::Format::Text);
    let diagnostics = linter.lint(&document);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

/// Every surface form of the default pack, in running text, at the start of
/// a sentence and inside a longer sentence: never a near miss.
#[test]
fn a_known_surface_form_never_produces_a_near_miss() {
    let linter = default_linter();
    let knowledge_base = linter.knowledge_base();
    for form in &knowledge_base.forms {
        for text in [
            format!("{} met the press.", form.text),
            format!(
                "Officials said that {} had arrived, and {} left.",
                form.text, form.text
            ),
        ] {
            let document =
                factlint::document::Document::new(text.clone(), factlint::document::Format::Text);
            let near_misses: Vec<_> = linter
                .lint(&document)
                .into_iter()
                .filter(|diagnostic| diagnostic.rule == "name-near-miss")
                .collect();
            assert!(near_misses.is_empty(), "{text}: {near_misses:#?}");
        }
    }
}
