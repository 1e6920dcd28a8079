//! The core: a compiled knowledge base plus the rules, applied to documents.
//! It prints nothing and exits nothing; the shell (`cli`) does that.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::document::dates::document_date;
use crate::document::{self, Document, Format, ReadError};
use crate::kb::KnowledgeBase;
use crate::near_miss::{NameIndex, Thresholds};
use crate::rules::name_inconsistent::{self, FileSpellings, Spelling};
use crate::rules::{Context, Rule, RULES};
use crate::scan::{Mention, Scanner, ScannerBuildError};
use crate::titles::OfficeTitles;

/// Run-wide settings the core needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--date`: judge every document at this date.
    pub date: Option<Date>,
    /// The date undated documents are judged at. The shell passes the real
    /// day; tests pass a fixed one.
    pub today: Date,
    pub near_miss: Thresholds,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            date: None,
            today: Date::today(),
            near_miss: Thresholds::default(),
        }
    }
}

/// Everything needed to lint documents, built once per run and shared
/// read-only across threads.
pub struct Linter {
    knowledge_base: KnowledgeBase,
    scanner: Scanner,
    titles: OfficeTitles,
    names: NameIndex,
    rules: Vec<&'static dyn Rule>,
    settings: Settings,
}

/// The outcome for one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given on the command line or found by the walker.
    pub path: PathBuf,
    pub outcome: Result<LintedFile, ReadError>,
}

#[derive(Debug)]
pub struct LintedFile {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// How the file writes each entity, for the run-wide consistency check.
    pub spellings: Vec<Spelling>,
}

impl Linter {
    pub fn new(
        knowledge_base: KnowledgeBase,
        settings: Settings,
    ) -> Result<Linter, ScannerBuildError> {
        let scanner = Scanner::new(&knowledge_base)?;
        let titles = OfficeTitles::new(&knowledge_base);
        let packs = knowledge_base.near_miss;
        let thresholds = Thresholds {
            max_edits: packs.max_edits.unwrap_or(settings.near_miss.max_edits),
            min_length: packs.min_length.unwrap_or(settings.near_miss.min_length),
            min_similarity: packs
                .min_similarity
                .unwrap_or(settings.near_miss.min_similarity),
        };
        let names = NameIndex::new(&knowledge_base, thresholds);
        Ok(Linter {
            knowledge_base,
            scanner,
            titles,
            names,
            rules: RULES.to_vec(),
            settings,
        })
    }

    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.knowledge_base
    }

    /// The mentions of known entities in a document's linted text.
    pub fn mentions(&self, document: &Document) -> Vec<Mention> {
        let mut mentions = Vec::new();
        let haystack = join_wrapped_lines(&document.text);
        self.scanner
            .scan(&haystack, 0..haystack.len(), &mut mentions);
        mentions
    }

    /// Lints one document: one scan, then every rule over its mentions.
    /// Diagnostics come back sorted by position.
    pub fn lint(&self, document: &Document) -> Vec<Diagnostic> {
        self.analyse(document).0
    }

    /// The diagnostics of a document and how it spells each entity.
    fn analyse(&self, document: &Document) -> (Vec<Diagnostic>, Vec<Spelling>) {
        let mentions = self.mentions(document);
        let date = document_date(document, self.settings.date, self.settings.today);
        let near_misses =
            self.names
                .find(&document.text, &mentions, &crate::wordlist::is_english_word);
        let context = Context::new(
            document,
            &self.knowledge_base,
            &mentions,
            &near_misses,
            &self.titles,
            &date,
        );
        let mut diagnostics = Vec::new();
        for rule in &self.rules {
            rule.check(&context, &mut diagnostics);
        }
        let mut spellings = name_inconsistent::spellings(&context);
        if document.source_map.is_some() {
            for diagnostic in &mut diagnostics {
                to_source_offsets(document, diagnostic);
            }
            for spelling in &mut spellings {
                spelling.span = document.source_span(spelling.span.clone());
            }
        }
        sort(&mut diagnostics);
        (diagnostics, spellings)
    }

    pub fn lint_file(&self, path: &Path, format: Format) -> FileReport {
        let outcome = document::read(path).map(|text| {
            let document = Document::new(text, format);
            let (diagnostics, spellings) = self.analyse(&document);
            LintedFile {
                document,
                diagnostics,
                spellings,
            }
        });
        FileReport {
            path: path.to_path_buf(),
            outcome,
        }
    }

    /// Lints files in parallel; reports come back in the order given, with
    /// the run-wide findings (one entity spelled differently in different
    /// files) added to the files that carry them.
    pub fn lint_files(&self, files: &[(PathBuf, Format)]) -> Vec<FileReport> {
        let mut reports: Vec<FileReport> = files
            .par_iter()
            .map(|(path, format)| self.lint_file(path, *format))
            .collect();
        self.add_run_findings(&mut reports);
        reports
    }

    fn add_run_findings(&self, reports: &mut [FileReport]) {
        let linted: Vec<(usize, FileSpellings<'_>)> = reports
            .iter()
            .enumerate()
            .filter_map(|(index, report)| {
                let linted = report.outcome.as_ref().ok()?;
                Some((
                    index,
                    FileSpellings {
                        path: &report.path,
                        source: &linted.document.source,
                        spellings: &linted.spellings,
                    },
                ))
            })
            .collect();
        let positions: Vec<usize> = linted.iter().map(|(index, _)| *index).collect();
        let spellings: Vec<FileSpellings<'_>> = linted.into_iter().map(|(_, file)| file).collect();
        let findings = name_inconsistent::across_files(&self.knowledge_base, &spellings);
        for (file, diagnostic) in findings {
            if let Ok(linted) = &mut reports[positions[file]].outcome {
                linted.diagnostics.push(diagnostic);
                sort(&mut linted.diagnostics);
            }
        }
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

/// Hard-wrapped text breaks names across lines ("United Nations Relief and
/// Works Agency\nfor Palestine Refugees"). The scanner sees a single line
/// break as a space, byte for byte, so offsets do not move; a blank line
/// still separates paragraphs.
fn join_wrapped_lines(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let wrapped = |index: usize| {
        bytes[index] == b'\n'
            && index > 0
            && !matches!(bytes[index - 1], b'\n' | b'\r')
            && bytes
                .get(index + 1)
                .is_some_and(|next| *next != b'\n' && *next != b'\r')
    };
    if !(0..bytes.len()).any(wrapped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let joined: Vec<u8> = (0..bytes.len())
        .map(|index| if wrapped(index) { b' ' } else { bytes[index] })
        .collect();
    // Replacing an ASCII byte by another keeps the text valid UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(joined).unwrap_or_else(|_| text.to_owned()))
}

/// Rules report offsets in the linted text; reports need file offsets.
fn to_source_offsets(document: &Document, diagnostic: &mut Diagnostic) {
    diagnostic.span = document.source_span(diagnostic.span.clone());
    for suggestion in &mut diagnostic.suggestions {
        suggestion.span = document.source_span(suggestion.span.clone());
    }
    for label in &mut diagnostic.secondary {
        label.span = document.source_span(label.span.clone());
    }
}
