//! One fixture directory per rule, named by rule id:
//! `tests/fixtures/<rule-id>/positive.txt` must draw at least one finding
//! of that rule, `no-false-positive.txt` none. The human output of every
//! fixture is snapshotted (and was read before it was accepted).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::{factlint, repository_root, stdout};
use factlint::rules::RULES;

/// Undated fixtures are judged at this day, never the real one.
const TODAY: &str = "2026-01-01";

fn findings_of(rule: &str, path: &str) -> Vec<serde_json::Value> {
    let output = factlint(
        &repository_root(),
        &["check", "--today", TODAY, "--format", "json", path],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["rule"] == rule)
        .cloned()
        .collect()
}

#[test]
fn every_rule_has_fixtures() {
    for rule in RULES {
        let id = rule.meta().id;
        if id == "unused-suppression" {
            continue;
        }
        for case in ["positive.txt", "no-false-positive.txt"] {
            let path = repository_root().join("tests/fixtures").join(id).join(case);
            assert!(path.exists(), "missing fixture {}", path.display());
        }
    }
}

#[test]
fn positive_fixtures_fire_and_negative_ones_stay_quiet() {
    for rule in RULES {
        let id = rule.meta().id;
        let positive = format!("tests/fixtures/{id}/positive.txt");
        let negative = format!("tests/fixtures/{id}/no-false-positive.txt");
        if !repository_root().join(&positive).exists() {
            continue;
        }
        assert!(
            !findings_of(id, &positive).is_empty(),
            "{positive} draws no {id} finding"
        );
        let false_positives = findings_of(id, &negative);
        assert!(
            false_positives.is_empty(),
            "{negative}: {false_positives:#?}"
        );
    }
}

#[test]
fn fixture_snapshots() {
    for rule in RULES {
        let id = rule.meta().id;
        for case in ["positive", "no-false-positive"] {
            let path = format!("tests/fixtures/{id}/{case}.txt");
            if !repository_root().join(&path).exists() {
                continue;
            }
            let output = factlint(
                &repository_root(),
                &["check", "--today", TODAY, "--color", "never", &path],
            );
            insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false, snapshot_path => "snapshots/rules" }, {
                insta::assert_snapshot!(format!("{id}.{case}"), stdout(&output));
            });
        }
    }
}
