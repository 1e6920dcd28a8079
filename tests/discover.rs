//! `factlint discover` as a user meets it: the clusters it finds in the
//! sample corpus, and entries the knowledge-base loader accepts once their
//! source is filled in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::{exit_code, factlint, repository_root, stderr, stdout};
use factlint::kb::{KnowledgeBase, PackSource};

fn discover(args: &[&str]) -> String {
    let mut all = vec!["discover"];
    all.extend_from_slice(args);
    let output = factlint(&repository_root(), &all);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    stdout(&output)
}

/// The entry (from its `[[table]]` line to its `source`) whose name is `name`.
fn entry<'t>(toml: &'t str, name: &str) -> &'t str {
    let name_line = format!("name = \"{name}\"\n");
    let at = toml
        .find(&name_line)
        .unwrap_or_else(|| panic!("no entry for {name}:\n{toml}"));
    let start = toml[..at].rfind("[[").unwrap();
    let end = at + toml[at..].find("source = ").unwrap();
    &toml[start..end]
}

#[test]
fn finds_the_abdrakhmanov_and_khiari_clusters_in_the_corpus() {
    let out = discover(&["--no-default-rules", "corpus/"]);

    let abdrakhmanov = entry(&out, "Kairat Abdrakhmanov");
    assert!(
        abdrakhmanov.starts_with("[[person]]\nid = \"kairat-abdrakhmanov\"\n"),
        "{out}"
    );
    assert!(
        abdrakhmanov.contains("aliases = [\"Abdrakhmanov\"]\n"),
        "{out}"
    );
    assert!(
        abdrakhmanov.contains("variants = [\"Abdurahmanov\", \"Khairat Abdulrahmanov\"]\n"),
        "{out}"
    );
    assert!(
        out.contains("#   Khairat Abdulrahmanov (1): corpus/2022-09-15-icesco-osce.txt:3\n"),
        "{out}"
    );
    assert!(
        out.contains("#   Abdrakhmanov (4): corpus/2024-06-28-hcnm-oic-jeddah.txt:3, corpus/2024-06-28-hcnm-oic-jeddah.txt:7, corpus/2024-06-28-hcnm-oic-jeddah.txt:9 (x2)\n"),
        "{out}"
    );

    let khiari = entry(&out, "Mohamed Khaled Khiari");
    assert!(
        khiari.starts_with("[[person]]\nid = \"mohamed-khaled-khiari\"\n"),
        "{out}"
    );
    assert!(khiari.contains("aliases = [\"Khiari\"]\n"), "{out}");
    assert!(khiari.contains("variants = [\"Khalid Khiari\"]\n"), "{out}");
    assert!(
        out.contains("#   Khalid Khiari (1): corpus/2024-07-22-un-oic-meeting-astana.txt:9\n"),
        "{out}"
    );

    // Nothing else in the corpus is spelled two ways.
    assert_eq!(out.matches("\n[[").count(), 2, "{out}");
    assert!(out.starts_with("# factlint discover: 2 names spelled more than one way in 5 files.\n"));
}

#[test]
fn names_the_default_pack_knows_are_left_out() {
    let out = discover(&["corpus/"]);
    assert!(!out.contains("Abdrakhmanov"), "{out}");
    assert!(!out.contains("Khiari"), "{out}");
    assert_eq!(
        out,
        "# factlint discover: no name spelled more than one way in 5 files.\n"
    );
}

#[test]
fn the_entries_load_once_their_source_is_filled_in() {
    let out = discover(&["--no-default-rules", "corpus/"]);
    let empty_source = factlint::kb::KnowledgeBase::load(vec![PackSource {
        name: "discovered.toml".to_owned(),
        text: out.clone(),
    }]);
    let failure = empty_source.expect_err("an empty source is rejected");
    assert_eq!(failure.errors.len(), 2, "{:?}", failure.errors);

    let filled = out.replace("source = \"\"", "source = \"https://example.org/checked\"");
    let knowledge_base = KnowledgeBase::load(vec![PackSource {
        name: "discovered.toml".to_owned(),
        text: filled,
    }])
    .unwrap_or_else(|failure| panic!("{:?}", failure.errors));
    let khiari = knowledge_base
        .entity_by_id("mohamed-khaled-khiari")
        .expect("the Khiari entry");
    assert_eq!(khiari.name, "Mohamed Khaled Khiari");
    let forms: Vec<&str> = knowledge_base
        .forms
        .iter()
        .map(|form| form.text.as_str())
        .collect();
    for form in [
        "Kairat Abdrakhmanov",
        "Abdurahmanov",
        "Khalid Khiari",
        "Khiari",
    ] {
        assert!(forms.contains(&form), "{form} missing from {forms:?}");
    }
}
