//! `--format html` read as markup: escaping, one highlighted element per
//! diagnostic with the diagnostic's text, nothing loaded from elsewhere, and
//! `--output`. The same page is checked in a real browser by
//! tests/browser/ (see the README).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{exit_code, factlint, repository_root, stderr, stdout, workspace};
use tempfile::TempDir;

const PACK: &str = r#"
[[person]]
id = "kairat-abdrakhmanov"
name = "Kairat Abdrakhmanov"
aliases = ["Abdrakhmanov"]
variants = ["Khairat Abdulrahmanov", "Abdurahmanov"]
source = "https://example.org/abdrakhmanov"
"#;

/// Runs `factlint check` in `directory` with the test pack, writing the HTML
/// report to a file, and returns it.
fn html_report(directory: &Path, paths: &[&str]) -> String {
    let mut args = vec![
        "check",
        "--no-default-rules",
        "--rules",
        "pack.toml",
        "--format",
        "html",
        "--output",
        "report.html",
    ];
    args.extend_from_slice(paths);
    let output = factlint(directory, &args);
    assert!(exit_code(&output) <= 1, "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "the report goes to the file");
    fs::read_to_string(directory.join("report.html")).unwrap()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

/// The text of every `data-finding` element of the articles, concatenated
/// per finding in document order: what a browser's `textContent` gives.
fn highlighted_texts(html: &str) -> BTreeMap<usize, String> {
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    let mut rest = html;
    while let Some(start) = rest.find("<div class=\"article\">") {
        let article = &rest[start + "<div class=\"article\">".len()..];
        let end = article.find("</div>").expect("the article ends");
        let mut markup = &article[..end];
        let mut open: Vec<Option<usize>> = Vec::new();
        while !markup.is_empty() {
            if let Some(tag) = markup.strip_prefix('<') {
                let tag_end = tag.find('>').expect("tags close");
                let tag = &tag[..tag_end];
                if tag.starts_with('/') {
                    open.pop().expect("closing tags match opening ones");
                } else {
                    let finding = tag
                        .split("data-finding=\"")
                        .nth(1)
                        .and_then(|value| value.split('"').next())
                        .map(|value| value.parse::<usize>().unwrap());
                    if let Some(finding) = finding {
                        texts.entry(finding).or_default();
                    }
                    open.push(finding);
                }
                markup = &markup[tag_end + 2..];
            } else {
                let text_end = markup.find('<').unwrap_or(markup.len());
                let text = unescape(&markup[..text_end]);
                for finding in open.iter().flatten() {
                    texts.get_mut(finding).unwrap().push_str(&text);
                }
                markup = &markup[text_end..];
            }
        }
        assert!(open.is_empty(), "every element of the article is closed");
        rest = &article[end..];
    }
    texts
}

#[cfg(unix)]
#[test]
fn markup_in_the_text_and_the_file_name_is_shown_as_text() {
    // Directory separators supply the slashes of `</script>` and
    // `</textarea>`, which a file name alone cannot hold.
    let probe =
        "<script>window.__probe=1</script>\"><img src=x onerror=window.__probe=2>x</textarea>.txt";
    let text = "Probe <script>window.__probe=3</script>\n\
                \"><img src=x onerror=window.__probe=4> Mr. Abdurahmanov spoke.</textarea><textarea>\n\
                <b>bold</b> &amp; 'single' Abdurahmanov again.\n";
    let directory = workspace(&[("pack.toml", PACK), (probe, text)]);
    let html = html_report(directory.path(), &[probe]);

    assert_eq!(html.matches("<script").count(), 1, "only the page's own");
    for markup in ["<img", "<textarea", "</textarea", "<b>"] {
        assert!(
            !html.contains(markup),
            "`{markup}` is in the page as markup"
        );
    }
    let escaped_name = "&lt;script&gt;window.__probe=1&lt;/script&gt;&quot;&gt;&lt;img src=x \
                        onerror=window.__probe=2&gt;x&lt;/textarea&gt;.txt";
    assert!(
        html.matches(escaped_name).count() >= 3,
        "the file name is shown escaped in the header, the table and its section"
    );
    for escaped in [
        "&lt;script&gt;window.__probe=3&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=window.__probe=4&gt;",
        "&lt;/textarea&gt;&lt;textarea&gt;",
        "&lt;b&gt;bold&lt;/b&gt; &amp;amp; &#39;single&#39;",
    ] {
        assert!(html.contains(escaped), "{escaped} is not in the page");
    }
    // The findings next to the markup are still highlighted.
    let texts = highlighted_texts(&html);
    assert!(
        texts
            .values()
            .filter(|text| *text == "Abdurahmanov")
            .count()
            >= 2,
        "{texts:?}"
    );
}

#[test]
fn every_diagnostic_is_a_highlighted_element_with_its_text() {
    let root = repository_root();
    let directory = TempDir::new().unwrap();
    let report = directory.path().join("corpus.html");
    let json = factlint(&root, &["check", "--format", "json", "corpus"]);
    let html = factlint(
        &root,
        &[
            "check",
            "--format",
            "html",
            "--output",
            report.to_str().unwrap(),
            "corpus",
        ],
    );
    assert_eq!(exit_code(&html), exit_code(&json), "{}", stderr(&html));
    let html = fs::read_to_string(&report).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 10, "the corpus has findings");

    let texts = highlighted_texts(&html);
    assert_eq!(texts.len(), diagnostics.len(), "one finding per diagnostic");
    let mut nested = 0;
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        assert_eq!(
            texts.get(&index).map(String::as_str),
            diagnostic["text"].as_str(),
            "diagnostic {index}: {diagnostic}"
        );
        assert_eq!(
            html.matches(&format!("id=\"f-{index}\"")).count(),
            1,
            "diagnostic {index} has one focusable first element"
        );
        assert_eq!(
            html.matches(&format!(
                "<li id=\"d-{index}\" class=\"finding sev-{}\"",
                diagnostic["severity"].as_str().unwrap()
            ))
            .count(),
            1,
            "diagnostic {index} is listed under its article, with its severity"
        );
        let (start, end) = (&diagnostic["start"], &diagnostic["end"]);
        nested += diagnostics
            .iter()
            .filter(|other| {
                other["path"] == diagnostic["path"]
                    && other != &diagnostic
                    && other["start"].as_u64() <= start.as_u64()
                    && other["end"].as_u64() >= end.as_u64()
            })
            .count();
    }
    assert!(nested > 0, "the corpus exercises overlapping findings");
}

#[test]
fn the_page_loads_nothing_from_elsewhere() {
    let root = repository_root();
    let directory = TempDir::new().unwrap();
    let report = directory.path().join("corpus.html");
    factlint(
        &root,
        &[
            "check",
            "--format",
            "html",
            "--output",
            report.to_str().unwrap(),
            "corpus",
        ],
    );
    let html = fs::read_to_string(&report).unwrap();
    let policy = html
        .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a Content-Security-Policy meta tag");
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(policy.contains("script-src 'sha256-"), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
    for attribute in [" src=\"", " href=\"", " srcset=\"", " action=\""] {
        for value in html.split(attribute).skip(1) {
            assert!(
                value.starts_with('#') || value.starts_with("data:"),
                "{attribute}{} points outside the page",
                &value[..value.len().min(60)]
            );
        }
    }
    // Addresses in notes (a fact's source) are text, never links.
    assert!(
        html.contains("source: https://"),
        "the corpus cites sources"
    );
    for (offset, _) in html.match_indices("http") {
        let before = &html[offset.saturating_sub(5)..offset];
        assert!(
            !before.ends_with("=\"") && !before.ends_with("='") && !before.ends_with("url("),
            "a URL in an attribute or style: {}",
            &html[offset.saturating_sub(40)..offset + 40]
        );
    }
    assert!(!html.contains("@import"));
}

#[test]
fn small_runs_open_files_with_findings_and_collapse_the_others() {
    let directory = workspace(&[
        ("pack.toml", PACK),
        ("clean.txt", "The minister spoke."),
        ("flagged.txt", "Mr. Abdurahmanov spoke."),
    ]);
    let html = html_report(directory.path(), &["clean.txt", "flagged.txt"]);
    let section = |path: &str| {
        let summary = format!("<summary><span class=\"path\">{path}</span>");
        let start = html.find(&summary).expect("a section per file");
        let opening = html[..start].rfind("<details").unwrap();
        html[opening..start].to_string()
    };
    assert!(
        !section("clean.txt").contains(" open"),
        "{}",
        section("clean.txt")
    );
    assert!(
        section("flagged.txt").contains(" open"),
        "{}",
        section("flagged.txt")
    );
    assert!(
        html.contains("1 finding in 1 of 2 files"),
        "the headline counts"
    );
}

#[test]
fn output_writes_every_format_to_the_file() {
    let directory = workspace(&[
        ("pack.toml", PACK),
        ("flagged.txt", "Mr. Abdurahmanov spoke."),
    ]);
    for (format, expected) in [
        ("human", "error[name-variant]"),
        ("json", "\"rule\": \"name-variant\""),
        ("html", "data-finding=\"0\""),
    ] {
        let file = format!("report.{format}");
        let output = factlint(
            directory.path(),
            &[
                "check",
                "--no-default-rules",
                "--rules",
                "pack.toml",
                "--format",
                format,
                "--output",
                &file,
                "flagged.txt",
            ],
        );
        assert_eq!(exit_code(&output), 1, "{format}: {}", stderr(&output));
        assert_eq!(stdout(&output), "", "{format}: nothing on stdout");
        let written = fs::read_to_string(directory.path().join(&file)).unwrap();
        assert!(written.contains(expected), "{format}: {written}");
        assert!(!written.contains('\u{1b}'), "{format}: no colour in a file");
    }

    let output = factlint(
        directory.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "pack.toml",
            "--output",
            "missing/report.txt",
            "flagged.txt",
        ],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("cannot write missing/report.txt"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unreadable_files_are_listed_with_their_error() {
    let directory = workspace(&[
        ("pack.toml", PACK),
        ("empty.txt", ""),
        ("flagged.txt", "Mr. Abdurahmanov spoke."),
    ]);
    let output = factlint(
        directory.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "pack.toml",
            "--format",
            "html",
            "--output",
            "report.html",
            "empty.txt",
            "flagged.txt",
        ],
    );
    assert_eq!(exit_code(&output), 2, "an unreadable file is an error");
    let html = fs::read_to_string(directory.path().join("report.html")).unwrap();
    assert!(html.contains("could not be read"), "{html}");
    assert!(
        html.contains("data-finding=\"0\""),
        "the other file is reported"
    );
}
