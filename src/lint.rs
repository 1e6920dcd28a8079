//! The core: a compiled knowledge base plus the rules, applied to documents.
//! It prints nothing and exits nothing; the shell (`cli`) does that.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, Undated};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::dates::document_date;
use crate::document::{self, quotes, Document, Format, ReadError};
use crate::kb::KnowledgeBase;
use crate::near_miss::{NameIndex, NearMiss, Thresholds};
use crate::rules::name_inconsistent::{self, DocumentSpellings, RunSpellings};
use crate::rules::{self, Context, Rule, RULES};
use crate::scan::{Mention, Scanner, ScannerBuildError};
use crate::titles::OfficeTitles;

/// Rules that judge facts at a date; with `undated = "skip"` they leave
/// undated documents alone.
const TEMPORAL_RULES: &[&str] = &["member-count", "office-holder", "stale-name"];

/// Run-wide settings the core needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--date`: judge every document at this date.
    pub date: Option<Date>,
    /// The date undated documents are judged at. The shell passes the real
    /// day; tests pass a fixed one.
    pub today: Date,
    pub near_miss: Thresholds,
    /// Rule selection, severities and the undated-document policy from
    /// `factlint.toml` and the command line.
    pub config: Config,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            date: None,
            today: Date::today(),
            near_miss: Thresholds::default(),
            config: Config::default(),
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
    /// Documents longer than this are linted in pieces in parallel:
    /// [`PIECE_BYTES`], except in tests that make many small pieces.
    piece_bytes: usize,
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
    pub spellings: DocumentSpellings,
}

impl Linter {
    pub fn new(
        knowledge_base: KnowledgeBase,
        settings: Settings,
    ) -> Result<Linter, ScannerBuildError> {
        let packs = knowledge_base.near_miss;
        let thresholds = Thresholds {
            max_edits: packs.max_edits.unwrap_or(settings.near_miss.max_edits),
            min_length: packs.min_length.unwrap_or(settings.near_miss.min_length),
            min_similarity: packs
                .min_similarity
                .unwrap_or(settings.near_miss.min_similarity),
        };
        // Independent, and each a large part of start-up with a large
        // knowledge base: built side by side.
        let (scanner, (titles, names)) = rayon::join(
            || Scanner::new(&knowledge_base),
            || {
                (
                    OfficeTitles::new(&knowledge_base),
                    NameIndex::new(
                        &knowledge_base,
                        thresholds,
                        crate::wordlist::is_english_word,
                    ),
                )
            },
        );
        let scanner = scanner?;
        Ok(Linter {
            knowledge_base,
            scanner,
            titles,
            names,
            rules: RULES.to_vec(),
            settings,
            piece_bytes: PIECE_BYTES,
        })
    }

    /// Lints documents longer than `piece_bytes` in pieces of about that
    /// size, as it does those over [`PIECE_BYTES`]; the findings must be the
    /// same whatever the size (tests use small pieces to check that).
    #[cfg(test)]
    fn with_piece_bytes(mut self, piece_bytes: usize) -> Linter {
        self.piece_bytes = piece_bytes.max(1);
        self
    }

    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.knowledge_base
    }

    /// The mentions of known entities in a document's linted text.
    pub fn mentions(&self, document: &Document) -> Vec<Mention> {
        let pieces = pieces(document.text(), self.piece_bytes);
        self.scan(document, &pieces, false).0
    }

    /// The mentions in a document cut into `pieces` (from [`pieces`]) and,
    /// if `near_misses` is set, the near misses of known names outside
    /// them. Both are found in one pass over each piece, side by side, so a
    /// piece is read for its near misses while it is still in cache.
    fn scan(
        &self,
        document: &Document,
        pieces: &[Range<usize>],
        near_misses: bool,
    ) -> (Vec<Mention>, Vec<NearMiss>) {
        let text = document.text();
        let near_misses_in = |piece: Range<usize>, mentions: &[Mention]| {
            if near_misses {
                self.names
                    .find_in(text, piece, mentions, &self.knowledge_base.forms)
            } else {
                Vec::new()
            }
        };
        if pieces.len() == 1 {
            let mut mentions = Vec::with_capacity(expected_mentions(text.len()));
            self.scanner.scan(text, 0..text.len(), &mut mentions);
            let near_misses = near_misses_in(0..text.len(), &mentions);
            return (mentions, near_misses);
        }
        // A piece starts after a line break, which reads as no word
        // character: the scan of a piece starts as a scan of the whole text
        // would there.
        // One piece a job: left to itself, rayon hands each thread runs of
        // pieces, and a thread that finished its run early sat idle while
        // the other scanned the rest of its own (20 ms of 100 MB).
        let found: Vec<(Vec<Mention>, Vec<NearMiss>)> = pieces
            .par_iter()
            .with_max_len(1)
            .map(|piece| {
                let mut mentions = Vec::with_capacity(expected_mentions(piece.len()));
                self.scanner.scan(text, piece.clone(), &mut mentions);
                let near_misses = near_misses_in(piece.clone(), &mentions);
                (mentions, near_misses)
            })
            .collect();
        // Sized once: growing them as pieces are added copied every
        // mention found so far at each doubling.
        let mut mentions = Vec::with_capacity(found.iter().map(|(found, _)| found.len()).sum());
        let mut all_near_misses =
            Vec::with_capacity(found.iter().map(|(_, found)| found.len()).sum());
        // A scan of the whole text reaches a piece's start in the state a
        // scan of the piece starts in, unless a mention crosses into it: a
        // name wrapped at the line break (read as a space). Then the piece
        // is scanned again from where that mention ends, and its near
        // misses are looked for again outside the mentions now found in it.
        for (piece, (found_mentions, found_near_misses)) in pieces.iter().zip(found) {
            let resume = mentions.last().map_or(0, |mention: &Mention| mention.end);
            if resume <= piece.start {
                mentions.extend(found_mentions);
                all_near_misses.extend(found_near_misses);
                continue;
            }
            if resume < piece.end {
                self.scanner.scan(text, resume..piece.end, &mut mentions);
            }
            all_near_misses.extend(near_misses_in(piece.clone(), &mentions));
        }
        (mentions, all_near_misses)
    }

    /// Lints one document: one scan, then every rule over its mentions.
    /// Diagnostics come back sorted by position.
    pub fn lint(&self, document: &Document) -> Vec<Diagnostic> {
        self.analyse(document, None).0
    }

    /// [`Linter::lint`] for a document read from `path`, so per-path rule
    /// settings apply.
    pub fn lint_at(&self, document: &Document, path: &Path) -> Vec<Diagnostic> {
        self.analyse(document, Some(path)).0
    }

    /// Whether a rule runs on a document from `path`.
    fn rule_runs(&self, rule: &str, path: Option<&Path>, undated: bool) -> bool {
        let config = &self.settings.config;
        let skipped_as_undated =
            undated && config.undated == Undated::Skip && TEMPORAL_RULES.contains(&rule);
        !skipped_as_undated && config.rule_enabled(rule, path.unwrap_or(Path::new("")))
    }

    /// The diagnostics of a document and how it spells each entity.
    fn analyse(
        &self,
        document: &Document,
        path: Option<&Path>,
    ) -> (Vec<Diagnostic>, DocumentSpellings) {
        let date = document_date(document, self.settings.date, self.settings.today);
        let undated = date.origin == crate::document::dates::DateOrigin::Today;
        // The candidate scan reads every capitalised word: skip it when no
        // rule that uses near misses runs.
        let wants_near_misses = ["name-near-miss", "name-inconsistent"]
            .iter()
            .any(|rule| self.rule_runs(rule, path, undated));
        let pieces = pieces(document.text(), self.piece_bytes);
        let scan = || self.scan(document, &pieces, wants_near_misses);
        let (mentions, near_misses) = if pieces.len() > 1 {
            // A large document's quotations (read only after its rules)
            // are found on one thread while the scan of its pieces goes on
            // around them, not before it on one thread alone.
            rayon::join(|| document.quotations(), scan).1
        } else {
            scan()
        };
        let context = || {
            Context::new(
                document,
                &self.knowledge_base,
                &mentions,
                &near_misses,
                &self.titles,
                &date,
            )
        };
        let running: Vec<&dyn Rule> = self
            .rules
            .iter()
            .copied()
            .filter(|rule| self.rule_runs(rule.meta().id, path, undated))
            .collect();
        let check = |rule: &dyn Rule, context: &Context<'_>, out: &mut Vec<Diagnostic>| {
            let before = out.len();
            rule.check(context, out);
            if let Some(&severity) = self.settings.config.severity.get(rule.meta().id) {
                for diagnostic in &mut out[before..] {
                    diagnostic.severity = severity;
                }
            }
        };
        let mut diagnostics = Vec::new();
        // By length, not by pieces: a long file that is one line cannot be
        // cut, but its rules can still run side by side.
        let small = document.text().len() <= self.piece_bytes;
        // The context the spellings are read from at the end; a small
        // document's rules run on it too.
        let mut shared_context = context();
        if small {
            for rule in running {
                check(rule, &shared_context, &mut diagnostics);
            }
        } else {
            // The rules are independent of one another: on a large document
            // they run side by side, each with its own context (a context
            // caches sentence dates and is not shared across threads). The
            // spelling occurrences are found once, as one more piece of
            // work, and lent to `name-inconsistent` and the spellings.
            let mut running = running;
            running.sort_by_key(|rule| heaviness_rank(rule.meta().id));
            let mut found: Vec<Vec<Diagnostic>> = running.iter().map(|_| Vec::new()).collect();
            let mut occurrences = None;
            let (context, check) = (&context, &check);
            // First in, first out: each thread takes the heaviest work left,
            // so the threads finish close together.
            rayon::scope_fifo(|scope| {
                let mut occurrences = Some(&mut occurrences);
                for (rule, out) in running.into_iter().zip(found.iter_mut()) {
                    let wants_occurrences = rule.meta().id == rules::NameInconsistent.meta().id;
                    match occurrences.take_if(|_| wants_occurrences) {
                        Some(occurrences) => scope.spawn_fifo(move |_| {
                            let context = context();
                            *occurrences = Some(name_inconsistent::spelling_occurrences(&context));
                            check(rule, &context, out);
                        }),
                        None => scope.spawn_fifo(move |_| check(rule, &context(), out)),
                    }
                }
                if let Some(occurrences) = occurrences {
                    scope.spawn_fifo(move |_| {
                        *occurrences = Some(name_inconsistent::spelling_occurrences(&context()));
                    });
                }
            });
            if let Some(occurrences) = occurrences {
                shared_context = shared_context.with_spelling_occurrences(occurrences);
            }
            // Moved, not `concat`enated: that clones every diagnostic. Into
            // a list sized once: collected from `flatten`, whose size hint
            // is nothing, it was copied at every doubling (90,000 findings
            // of 250 bytes in 100 MB of news).
            diagnostics = Vec::with_capacity(found.iter().map(Vec::len).sum());
            for rule_diagnostics in found {
                diagnostics.extend(rule_diagnostics);
            }
        }
        // The shared context holds the spellings already, if
        // `name-inconsistent` ran on it or they were lent from it.
        let context = shared_context;
        let mut spellings = name_inconsistent::spellings(&context);
        let quotations = document.quotations();
        // In order first, so the quotations are walked once alongside; the
        // sort at the end then finds them in order already. A large file's
        // findings are walked in parts side by side (79,000 findings in
        // 100 MB of news took 6-7 ms on one thread), each part from the
        // quotation its first finding may be in.
        sort(&mut diagnostics);
        diagnostics
            .par_chunks_mut(FINDINGS_PER_PART)
            .with_max_len(1)
            .for_each(|part| {
                let Some(first) = part.first() else { return };
                let mut next_quotation =
                    quotations.partition_point(|quote| quote.end <= first.span.start);
                for diagnostic in part {
                    let start = diagnostic.span.start;
                    if quotes::is_quoted_from(quotations, &mut next_quotation, start) {
                        lower_in_quotation(diagnostic);
                    }
                    to_source_offsets(document, diagnostic);
                }
            });
        if document.source_map.is_some() {
            for span in spellings.spans_mut() {
                *span = document.source_span(span.clone());
            }
        }
        let mut diagnostics = self.suppress(document, diagnostics);
        sort(&mut diagnostics);
        (diagnostics, spellings)
    }

    pub fn lint_file(&self, path: &Path, format: Format) -> FileReport {
        let outcome = document::read(path).map(|text| {
            let document = Document::new(text, format);
            let (diagnostics, spellings) = self.analyse(&document, Some(path));
            let mut document = document;
            document.release_analysis();
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
        self.lint_files_with(files, &|| {})
    }

    /// [`Linter::lint_files`], calling `after_each_file` as each file is
    /// done (for a progress bar).
    pub fn lint_files_with(
        &self,
        files: &[(PathBuf, Format)],
        after_each_file: &(dyn Fn() + Sync),
    ) -> Vec<FileReport> {
        let mut reports: Vec<FileReport> = files
            .par_iter()
            .map(|(path, format)| {
                let report = self.lint_file(path, *format);
                after_each_file();
                report
            })
            .collect();
        self.add_run_findings(&mut reports);
        reports
    }

    fn add_run_findings(&self, reports: &mut [FileReport]) {
        let mut run = RunSpellings::default();
        for (index, report) in reports.iter().enumerate() {
            if let Ok(linted) = &report.outcome {
                run.add(index, &linted.spellings);
            }
        }
        let findings = self.run_findings(&run, |index| &reports[index].path);
        for (file, diagnostic) in findings {
            if let Ok(linted) = &mut reports[file].outcome {
                linted.diagnostics.push(diagnostic);
                sort(&mut linted.diagnostics);
            }
        }
    }

    /// The run-wide findings (one entity spelled differently in different
    /// files) from the spellings of every file, each with the index of the
    /// file that carries it; `path_of` gives a file's path by index.
    pub fn run_findings<'a>(
        &self,
        run: &RunSpellings,
        path_of: impl Fn(usize) -> &'a Path,
    ) -> Vec<(usize, Diagnostic)> {
        let mut findings = run.findings(&self.knowledge_base, &|index| {
            path_of(index).display().to_string()
        });
        findings.retain(|(file, diagnostic)| {
            self.settings
                .config
                .rule_enabled(diagnostic.rule, path_of(*file))
        });
        findings
    }

    /// Drops the findings that suppression directives silence, and reports
    /// the directives that silenced nothing. Only directives for rules that
    /// ran are judged: a rule turned off leaves its suppressions alone.
    fn suppress(&self, document: &Document, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if document.suppressions.is_empty() {
            return diagnostics;
        }
        let suppressions = &document.suppressions;
        let mut used = vec![false; suppressions.len()];
        // A sweep in file order: the suppressions whose range has started,
        // less those that have ended, are the only ones a finding can meet.
        let mut by_start: Vec<usize> = (0..suppressions.len()).collect();
        by_start.sort_by_key(|&index| suppressions[index].covers.start);
        let mut pending = by_start.into_iter().peekable();
        let mut active: Vec<usize> = Vec::new();
        let mut diagnostics = diagnostics;
        diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
        let mut kept = Vec::with_capacity(diagnostics.len());
        for diagnostic in diagnostics {
            let offset = diagnostic.span.start;
            while let Some(index) =
                pending.next_if(|&index| suppressions[index].covers.start <= offset)
            {
                active.push(index);
            }
            active.retain(|&index| suppressions[index].covers.end > offset);
            let mut suppressed = false;
            for &index in &active {
                if suppressions[index].covers(diagnostic.rule, offset) {
                    used[index] = true;
                    suppressed = true;
                }
            }
            if !suppressed {
                kept.push(diagnostic);
            }
        }
        if !self.runs(rules::UnusedSuppression.meta().id) {
            return kept;
        }
        for (suppression, used) in suppressions.iter().zip(used) {
            let judged = suppression.rule.as_deref().is_none_or(|rule| {
                // An unknown id (a typo) is judged: it can never be used.
                self.runs(rule) || rules::by_id(rule).is_none()
            });
            if !used && judged {
                kept.push(rules::unused_suppression(suppression));
            }
        }
        kept
    }

    fn runs(&self, rule_id: &str) -> bool {
        self.rules.iter().any(|rule| rule.meta().id == rule_id)
    }
}

/// The order reports use: by position, then end, then rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    // Not rayon's `par_sort_by`: on the 80,000 findings of 100 MB of news,
    // already in one sorted run per rule, the step around the sort took
    // 10-12 ms with it against 8-9 ms without (timed in separate runs).
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

/// Findings of one file walked in one piece of work, when the file has
/// more.
const FINDINGS_PER_PART: usize = 4096;

/// Where a rule goes when a large document's rules run side by side: the
/// heaviest first (as measured on the benchmark's news text), so no thread
/// is left with a heavy rule when the others are done.
fn heaviness_rank(rule: &str) -> usize {
    const HEAVIEST_FIRST: &[&str] = &[
        "stale-name",
        "member-count",
        "office-holder",
        // With the spelling occurrences, which it finds for the others.
        "name-inconsistent",
        "name-variant",
        "acronym-mismatch",
        "member-term",
        "mixed-script",
    ];
    HEAVIEST_FIRST
        .iter()
        .position(|heavy| *heavy == rule)
        .unwrap_or(HEAVIEST_FIRST.len())
}

/// Documents longer than this are split into pieces of about this size (at
/// line breaks) that are scanned in parallel, and their rules run side by
/// side: a single large file would otherwise use one thread.
const PIECE_BYTES: usize = 1 << 20;

/// Room for the mentions of `bytes` of text, reserved up front: the
/// benchmark's news text names an entity about every 100 bytes (101,500
/// mentions in 10 MB), and a list grown from empty was copied five times for
/// a 4 KB file. A denser text grows it as before.
fn expected_mentions(bytes: usize) -> usize {
    bytes / 96
}

/// `text` cut into ranges of about `piece_bytes`, each ending just after a
/// line break (the last at the end of the text); a single range for a short
/// text or one without line breaks.
fn pieces(text: &str, piece_bytes: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::with_capacity(text.len() / piece_bytes + 1);
    let mut start = 0;
    while text.len() - start > piece_bytes {
        let Some(line_break) = memchr::memchr(b'\n', &bytes[start + piece_bytes..]) else {
            break;
        };
        let end = start + piece_bytes + line_break + 1;
        pieces.push(start..end);
        start = end;
    }
    pieces.push(start..text.len());
    pieces
}

/// A newsroom corrects its own copy, not a speaker's words.
fn lower_in_quotation(diagnostic: &mut Diagnostic) {
    diagnostic.severity = match diagnostic.severity {
        Severity::Error => Severity::Warning,
        Severity::Warning | Severity::Info => Severity::Info,
    };
    diagnostic.fixable = false;
    diagnostic.notes.push(
        "inside a direct quotation: a newsroom corrects its own copy, not a speaker's words"
            .to_owned(),
    );
}

/// Rules report offsets in the linted text; reports need file offsets. A
/// span whose file bytes differ from the linted text (a name split by a tag,
/// or written with a character reference) is not fixable: replacing it would
/// rewrite the markup too.
fn to_source_offsets(document: &Document, diagnostic: &mut Diagnostic) {
    let text_span = diagnostic.span.clone();
    diagnostic.span = document.source_span(text_span.clone());
    if document.text().get(text_span) != document.source.get(diagnostic.span.clone()) {
        diagnostic.fixable = false;
    }
    if document.source_map.is_none() {
        return;
    }
    for suggestion in &mut diagnostic.suggestions {
        suggestion.span = document.source_span(suggestion.span.clone());
    }
    for label in &mut diagnostic.secondary {
        label.span = document.source_span(label.span.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::default_pack;

    fn linter() -> Linter {
        let settings = Settings {
            today: crate::date::Date::new(2026, 1, 1).unwrap(),
            ..Settings::default()
        };
        Linter::new(
            KnowledgeBase::load(default_pack::sources()).unwrap(),
            settings,
        )
        .unwrap()
    }

    /// (rule, severity, file bytes, fixable) for each finding.
    fn findings(
        linter: &Linter,
        source: &str,
        format: Format,
    ) -> Vec<(String, String, String, bool)> {
        let document = Document::new(source.to_owned(), format);
        linter
            .lint(&document)
            .into_iter()
            .map(|diagnostic| {
                (
                    diagnostic.rule.to_owned(),
                    diagnostic.severity.to_string(),
                    document.source[diagnostic.span].to_owned(),
                    diagnostic.fixable,
                )
            })
            .collect()
    }

    fn finding(
        rule: &str,
        severity: &str,
        text: &str,
        fixable: bool,
    ) -> (String, String, String, bool) {
        (
            rule.to_owned(),
            severity.to_owned(),
            text.to_owned(),
            fixable,
        )
    }

    #[test]
    fn a_quoted_finding_is_lowered_in_a_file_with_many_findings() {
        // Enough findings that they are walked in parts, with
        // three a paragraph, so parts start at each of them.
        let paragraph = "“Abdurahmanov spoke,” said Abdurahmanov. “Abdurahmanov.”\n";
        let repeats = FINDINGS_PER_PART + 7;
        let found = findings(&linter(), &paragraph.repeat(repeats), Format::Text);
        let expected_quoted = [true, false, true];
        assert_eq!(found.len(), expected_quoted.len() * repeats);
        for (index, (_, severity, _, fixable)) in found.iter().enumerate() {
            let quoted = expected_quoted[index % expected_quoted.len()];
            assert_eq!(
                (severity == "warning", !fixable),
                (quoted, quoted),
                "finding {index}"
            );
        }
    }

    #[test]
    fn a_quoted_finding_is_lowered_and_not_fixable() {
        let found = findings(
            &linter(),
            "“Abdurahmanov spoke,” said Abdurahmanov.",
            Format::Text,
        );
        assert_eq!(
            found,
            [
                finding("name-variant", "warning", "Abdurahmanov", false),
                finding("name-variant", "error", "Abdurahmanov", true),
            ]
        );
    }

    #[test]
    fn html_findings_are_reported_at_file_bytes() {
        let source = "<p>A &amp; B: Khalid&nbsp;Khiari and Abdu<b>rahmanov</b>, Al-Dubaie.</p>";
        assert_eq!(
            findings(&linter(), source, Format::Html),
            [
                finding("name-variant", "error", "Khalid&nbsp;Khiari", false),
                finding("name-variant", "error", "Abdu<b>rahmanov", false),
                finding("name-variant", "error", "Al-Dubaie", true),
            ]
        );
    }

    #[test]
    fn suppressed_findings_are_dropped_and_unused_suppressions_reported() {
        let source = "<!-- factlint-disable-next-line name-variant -->\nAbdurahmanov\n\n\
                      <!-- factlint-disable-next-line name-variant -->\nAbdrakhmanov\n";
        // Only name-variant is silenced: the variant next to the canonical
        // spelling is still an inconsistency.
        assert_eq!(
            findings(&linter(), source, Format::Markdown),
            [
                finding(
                    "unused-suppression",
                    "info",
                    "<!-- factlint-disable-next-line name-variant -->",
                    true
                ),
                finding("name-inconsistent", "warning", "Abdrakhmanov", true),
            ]
        );
    }

    #[test]
    fn suppressions_of_rules_that_did_not_run_are_not_judged() {
        let mut linter = linter();
        linter.rules = vec![&rules::UnusedSuppression];
        let source = "factlint: disable-next-line name-variant\nAbdrakhmanov\n\
                      factlint: disable-next-line no-such-rule\nAbdrakhmanov\n";
        assert_eq!(
            findings(&linter, source, Format::Text),
            [finding(
                "unused-suppression",
                "info",
                "factlint: disable-next-line no-such-rule",
                true
            )]
        );
        // With unused-suppression itself off, nothing is reported.
        linter.rules = vec![&rules::NameVariant];
        assert!(findings(&linter, source, Format::Text).is_empty());
    }

    #[test]
    fn a_document_linted_in_pieces_has_the_findings_of_the_whole() {
        let whole = linter();
        // Names wrapped across line breaks are joined into mentions that
        // cross from one piece into the next.
        let wrapped = "Kairat\nAbdrakhmanov met Khairat\nAbdulrahmanov in\nNur-Sultan on 17 June 2024.\n\
                       The 56 OSCE\nmember states and the Islamic Organization\nfor Food Safety (OIC) met.\n";
        let mut texts = crate::test_texts::corpus();
        texts.push(wrapped.to_owned());
        texts.push(texts.concat());
        for text in &texts {
            let document = Document::new(text.clone(), Format::Text);
            let expected = format!("{:?}", whole.analyse(&document, None));
            for piece_bytes in [1, 7, 64, 1000] {
                let pieces = linter().with_piece_bytes(piece_bytes);
                assert_eq!(
                    format!("{:?}", pieces.analyse(&document, None)),
                    expected,
                    "pieces of {piece_bytes} bytes in {:?}",
                    &text[..text.len().min(80)]
                );
            }
        }
    }

    #[test]
    fn pieces_end_after_line_breaks_and_cover_the_text() {
        let text = "ab\ncd\n\nefgh\nij";
        assert_eq!(pieces(text, 100), vec![0..text.len()]);
        assert_eq!(pieces(text, 1), [0..3, 3..6, 6..12, 12..14]);
        assert_eq!(pieces(text, 4), [0..6, 6..12, 12..14]);
        assert_eq!(pieces("no line breaks at all", 4), vec![0..21]);
    }

    /// `diagnostic` with every span moved `by` bytes back.
    fn moved_back(mut diagnostic: Diagnostic, by: usize) -> Diagnostic {
        let back = |span: &mut Range<usize>| *span = span.start - by..span.end - by;
        back(&mut diagnostic.span);
        for suggestion in &mut diagnostic.suggestions {
            back(&mut suggestion.span);
        }
        for label in &mut diagnostic.secondary {
            back(&mut label.span);
        }
        diagnostic
    }

    /// stale-name and office-holder copy a repeated finding from the first
    /// one judged at the document's date, name-variant from the first of
    /// its form: each copy must be what the paragraph it is in finds alone,
    /// under the same date line. No paragraph has two findings of one rule
    /// and one form, so alone nothing is copied.
    #[test]
    fn repeated_temporal_findings_read_as_each_would_alone() {
        let linter = linter();
        let heading = "date: 2024-06-28\n\n";
        let paragraphs = [
            "Kazakh President Nursultan Nazarbayev visited Nur-Sultan.",
            "Later, Kazakh President Nursultan Nazarbayev left Nur-Sultan.",
            "Kazakhstan's President Nursultan Nazarbayev came back to Nur-Sultan.",
            "Delegates from Swaziland arrived, as Abdurahmanov said.",
            "The Organization of the Islamic Cooperation met Abdurahmanov.",
            "In April 2019 Kazakh President Nursultan Nazarbayev was in Astana.",
        ];
        let temporal = |diagnostic: &Diagnostic| {
            matches!(
                diagnostic.rule,
                "stale-name" | "office-holder" | "name-variant"
            )
        };
        let whole = format!("{heading}{}", paragraphs.join("\n\n"));
        let all: Vec<Diagnostic> = linter
            .lint(&Document::new(whole.clone(), Format::Text))
            .into_iter()
            .filter(temporal)
            .collect();
        assert_eq!(all.len(), 12, "{all:#?}");
        let mut start = heading.len();
        for (index, paragraph) in paragraphs.into_iter().enumerate() {
            // The paragraphs before as blank lines: notes name lines.
            let blank_lines = "\n\n".repeat(index);
            let alone: Vec<Diagnostic> = linter
                .lint(&Document::new(
                    format!("{heading}{blank_lines}{paragraph}"),
                    Format::Text,
                ))
                .into_iter()
                .filter(temporal)
                .collect();
            let alone_start = heading.len() + blank_lines.len();
            let here: Vec<Diagnostic> = all
                .iter()
                .filter(|diagnostic| {
                    (start..start + paragraph.len()).contains(&diagnostic.span.start)
                })
                .map(|diagnostic| moved_back(diagnostic.clone(), start - alone_start))
                .collect();
            assert_eq!(here, alone, "{paragraph}");
            start += paragraph.len() + 2;
        }
    }
}
