//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` lists every registered rule (from
//! [`RULES`], with its doc comment as help) and any other rule id a finding
//! carries. Each result has a message, one physical location with a region,
//! the suggestions as SARIF fixes, and a `partialFingerprints` entry that
//! survives edits elsewhere in the file (the baseline fingerprint), so code
//! scanning keeps tracking an alert while the article around it changes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::lines::LineIndex;
use super::{message_with_help, portable_path};
use crate::baseline::fingerprints;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::rules::RULES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where relative artifact URIs are rooted: the directory factlint ran in,
/// which in CI is the repository checkout.
const SOURCE_ROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "factlint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Our columns count characters, not UTF-16 code units (SARIF's default).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    invocations: [Invocation; 1],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    region: Region<'a>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    /// SARIF's end column is the column after the region, as ours is.
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region<'a>,
    inserted_content: Snippet<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [NotificationLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: ArtifactOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnly {
    artifact_location: ArtifactLocation,
}

pub fn write_sarif(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut rules = registered_rules();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let artifact = artifact_location(&report.path);
        let linted = match &report.outcome {
            Ok(linted) => linted,
            Err(error) => {
                notifications.push(Notification {
                    level: "error",
                    message: Text {
                        text: error.to_string(),
                    },
                    locations: [NotificationLocation {
                        physical_location: ArtifactOnly {
                            artifact_location: artifact,
                        },
                    }],
                });
                continue;
            }
        };
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        let prints = fingerprints(text, &linted.diagnostics);
        for (diagnostic, fingerprint) in linted.diagnostics.iter().zip(prints) {
            let rule_index = rule_index(&mut rules, diagnostic);
            let fixes = diagnostic
                .suggestions
                .iter()
                .map(|suggestion| Fix {
                    description: Text {
                        text: format!("write `{}`", suggestion.replacement),
                    },
                    artifact_changes: [ArtifactChange {
                        artifact_location: artifact.clone(),
                        replacements: [Replacement {
                            deleted_region: region(text, &index, &suggestion.span, false),
                            inserted_content: Snippet {
                                text: &suggestion.replacement,
                            },
                        }],
                    }],
                })
                .collect();
            results.push(SarifResult {
                rule_id: diagnostic.rule,
                rule_index,
                level: level(diagnostic.severity),
                message: Text {
                    text: message_with_help(diagnostic),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact.clone(),
                        region: region(text, &index, &diagnostic.span, true),
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
                fixes,
            });
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "factlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            invocations: [Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

fn registered_rules() -> Vec<RuleDescriptor> {
    RULES
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            let documentation = unindent(meta.documentation);
            RuleDescriptor {
                id: meta.id.to_owned(),
                short_description: Text {
                    text: sentence(meta.summary),
                },
                full_description: Text {
                    text: first_section(&documentation).unwrap_or_else(|| sentence(meta.summary)),
                },
                help: Help {
                    text: documentation.clone(),
                    markdown: documentation,
                },
                default_configuration: Configuration {
                    level: level(meta.default_severity),
                },
            }
        })
        .collect()
}

/// The index of the diagnostic's rule in `rules`, adding a plain descriptor
/// for a rule the registry does not list (a pack-defined house-style rule).
fn rule_index(rules: &mut Vec<RuleDescriptor>, diagnostic: &Diagnostic) -> usize {
    if let Some(index) = rules.iter().position(|rule| rule.id == diagnostic.rule) {
        return index;
    }
    let description = format!("findings of the `{}` rule", diagnostic.rule);
    rules.push(RuleDescriptor {
        id: diagnostic.rule.to_owned(),
        short_description: Text {
            text: sentence(&description),
        },
        full_description: Text {
            text: sentence(&description),
        },
        help: Help {
            text: sentence(&description),
            markdown: sentence(&description),
        },
        default_configuration: Configuration {
            level: level(diagnostic.severity),
        },
    });
    rules.len() - 1
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region<'a>(
    text: &'a str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
    with_snippet: bool,
) -> Region<'a> {
    let start = index.position(text, span.start);
    let end = index.position(text, span.end);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        snippet: text
            .get(span.clone())
            .filter(|_| with_snippet)
            .map(|text| Snippet { text }),
    }
}

fn artifact_location(path: &std::path::Path) -> ArtifactLocation {
    let portable = portable_path(path);
    if let Some(absolute) = portable.strip_prefix('/') {
        ArtifactLocation {
            uri: format!("file:///{}", percent_encode(absolute)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(&portable),
            uri_base_id: Some(SOURCE_ROOT),
        }
    }
}

/// A path as a URI reference: unreserved characters and `/` stay, every
/// other byte is percent-encoded (so spaces, `#`, `?` and non-ASCII letters
/// cannot change the URI's meaning).
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Doc comments come with the space after `///` on every line.
fn unindent(documentation: &str) -> String {
    let lines: Vec<&str> = documentation
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    lines.join("\n").trim().to_owned()
}

/// The text of the documentation's first section (under its first heading),
/// as one paragraph.
fn first_section(documentation: &str) -> Option<String> {
    let body: Vec<&str> = documentation
        .lines()
        .map(str::trim)
        .skip_while(|line| !line.starts_with('#'))
        .skip(1)
        .take_while(|line| !line.starts_with('#'))
        .filter(|line| !line.is_empty())
        .collect();
    (!body.is_empty()).then(|| body.join(" "))
}

/// Code scanning shows descriptions as sentences.
fn sentence(text: &str) -> String {
    let mut characters = text.chars();
    let mut sentence: String = match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    };
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative_ones_are_rooted() {
        let relative = artifact_location(std::path::Path::new("./news/Астана 2024#1.md"));
        assert_eq!(
            relative.uri,
            "news/%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0%202024%231.md"
        );
        assert_eq!(relative.uri_base_id, Some(SOURCE_ROOT));
        let absolute = artifact_location(std::path::Path::new("/srv/news/a.md"));
        assert_eq!(absolute.uri, "file:///srv/news/a.md");
        assert_eq!(absolute.uri_base_id, None);
    }

    #[test]
    fn descriptions_come_from_the_doc_comment() {
        let documentation =
            unindent(" ## What it flags\n A known\n variant.\n\n ## Why\n Because.\n");
        assert_eq!(
            first_section(&documentation).as_deref(),
            Some("A known variant.")
        );
        assert!(documentation.starts_with("## What it flags\nA known"));
        assert_eq!(sentence("a known spelling"), "A known spelling.");
    }
}
