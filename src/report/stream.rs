//! Reports written while the run goes on, so that a run over an archive
//! holds a few hundred files at a time, not the archive.
//!
//! Files are linted in chunks, in parallel; each file's part of the report
//! is rendered on the worker that linted it, then the file's source and
//! findings are dropped. The parts go to a spool (memory, then a temporary
//! file past a few megabytes) because two things are known only at the end:
//! the summary, which the JSON report puts first, and the run-wide findings
//! (one entity spelled differently in different files), which belong inside
//! the part of the file that carries them. That file is read and linted
//! again, and its part rendered anew; if it changed meanwhile, the finding
//! is not placed and the run says so.
//!
//! The output is byte for byte what the collecting reporters write for the
//! same files; `tests/formats.rs` holds the two to that.

use std::hash::BuildHasher;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Color, Summary};
use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::lint::{self, FileReport, Linter};
use crate::rules::name_inconsistent::{RunSpellings, Spelling};

/// Formats whose report is a sequence of per-file parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// The snippets, and the summary line unless `quiet`.
    Human {
        color: Color,
        quiet: bool,
    },
    Short,
    Json,
    Github,
}

/// Files linted at once: enough to keep every thread busy, few enough that
/// their sources and findings stay small next to the knowledge base.
const CHUNK_FILES: usize = 256;

/// Rendered parts stay in memory up to this size, then spill to a
/// temporary file.
const SPOOL_IN_MEMORY: usize = 8 << 20;

/// Drops findings a baseline already records (the identity when there is
/// no baseline): the filter `--fix` uses too.
pub use crate::fix::Select as Filter;

/// What the run found, for the exit code and the closing messages.
#[derive(Debug, Default)]
pub struct StreamOutcome {
    pub summary: Summary,
    /// Findings the filter dropped.
    pub filtered: usize,
    /// Files that carry a run-wide finding but changed on disk before it
    /// could be placed.
    pub changed: Vec<PathBuf>,
}

/// Where rendered parts wait for the end of the run.
enum Spool {
    /// A run of one chunk holds its files in memory anyway: its parts stay
    /// there as they are, not copied anywhere.
    Parts(std::collections::VecDeque<Vec<u8>>),
    /// Memory, then a temporary file past [`SPOOL_IN_MEMORY`].
    File(tempfile::SpooledTempFile),
}

/// What the run keeps of each file once its part is rendered.
struct Kept {
    spool: Spool,
    lengths: Vec<u64>,
    hashes: Vec<u64>,
    run: RunSpellings,
    outcome: StreamOutcome,
}

impl Kept {
    /// Keeps the parts of the next files in run order.
    fn keep(
        &mut self,
        parts: Vec<io::Result<Part>>,
        files: &[(PathBuf, Format)],
        errors: &mut (dyn Write + Send),
    ) -> io::Result<()> {
        for part in parts {
            let part = part?;
            let index = self.lengths.len();
            if let Some(error) = &part.read_error {
                writeln!(errors, "error: {}: {error}", files[index].0.display())?;
            }
            self.outcome.summary.add(&part.counts);
            self.outcome.filtered += part.filtered;
            self.run.add(index, &part.spellings);
            self.lengths.push(part.rendered.len() as u64);
            match &mut self.spool {
                Spool::Parts(parts) => parts.push_back(part.rendered),
                Spool::File(file) => file.write_all(&part.rendered)?,
            }
            self.hashes.push(part.source_hash);
        }
        Ok(())
    }
}

/// One file's part of the run, once linted and rendered.
struct Part {
    rendered: Vec<u8>,
    counts: Summary,
    spellings: Vec<Spelling>,
    source_hash: u64,
    read_error: Option<String>,
    filtered: usize,
}

/// Lints `files` and writes the report in `format` to `out`; files that
/// cannot be read are named on `errors` as they are met.
pub fn lint_and_write(
    linter: &Linter,
    files: &[(PathBuf, Format)],
    format: StreamFormat,
    filter: &Filter<'_>,
    after_each_file: &(dyn Fn() + Sync),
    errors: &mut (dyn Write + Send),
    out: &mut dyn Write,
) -> io::Result<StreamOutcome> {
    let mut kept = Kept {
        spool: if files.len() <= CHUNK_FILES {
            Spool::Parts(std::collections::VecDeque::new())
        } else {
            Spool::File(tempfile::spooled_tempfile(SPOOL_IN_MEMORY))
        },
        lengths: Vec::with_capacity(files.len()),
        hashes: Vec::with_capacity(files.len()),
        run: RunSpellings::default(),
        outcome: StreamOutcome::default(),
    };
    // While one chunk is linted, the parts of the one before are kept: the
    // threads never wait for that (serial) work.
    let mut previous: Option<Vec<io::Result<Part>>> = None;
    for chunk in files.chunks(CHUNK_FILES) {
        let lint_chunk = || {
            chunk
                .par_iter()
                .map(|(path, file_format)| {
                    let part = lint_part(linter, path, *file_format, format, filter);
                    after_each_file();
                    part
                })
                .collect::<Vec<io::Result<Part>>>()
        };
        let (parts, kept_previous) = rayon::join(lint_chunk, || match previous.take() {
            Some(parts) => kept.keep(parts, files, errors),
            None => Ok(()),
        });
        kept_previous?;
        previous = Some(parts);
    }
    if let Some(parts) = previous {
        kept.keep(parts, files, errors)?;
    }
    let Kept {
        mut spool,
        lengths,
        hashes,
        run,
        mut outcome,
    } = kept;

    // Run-wide findings, grouped by the file that carries them.
    let mut carried: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
    for (file, diagnostic) in linter.run_findings(&run, |index| &files[index].0) {
        match carried.iter_mut().find(|(carrier, _)| *carrier == file) {
            Some((_, diagnostics)) => diagnostics.push(diagnostic),
            None => carried.push((file, vec![diagnostic])),
        }
    }
    carried.sort_by_key(|(file, _)| *file);
    let mut replacements: Vec<(usize, Vec<u8>)> = Vec::with_capacity(carried.len());
    for (file, diagnostics) in carried {
        let (path, file_format) = &files[file];
        let carried_count = diagnostics.len();
        match relint_with(
            linter,
            path,
            *file_format,
            hashes[file],
            diagnostics,
            filter,
        ) {
            Some((report, added)) => {
                outcome.summary.count(&added);
                outcome.filtered += carried_count - added.len();
                replacements.push((file, render(&report, format)?));
            }
            None => outcome.changed.push(path.clone()),
        }
    }

    if let Spool::File(file) = &mut spool {
        file.seek(SeekFrom::Start(0))?;
    }
    let mut parts = SpooledParts {
        spool,
        lengths: &lengths,
        replacements: &replacements,
        next: 0,
        error: None,
    };
    match format {
        StreamFormat::Json => {
            let mut rendered = std::iter::from_fn(|| parts.next_part());
            super::write_json_document(&outcome.summary, &mut rendered, out)?;
        }
        StreamFormat::Human { quiet, .. } => {
            while let Some(part) = parts.next_part() {
                out.write_all(&part)?;
            }
            if !quiet {
                super::write_summary(&outcome.summary, out)?;
            }
        }
        StreamFormat::Short | StreamFormat::Github => {
            while let Some(part) = parts.next_part() {
                out.write_all(&part)?;
            }
        }
    }
    if let Some(error) = parts.error.take() {
        return Err(error);
    }
    Ok(outcome)
}

fn lint_part(
    linter: &Linter,
    path: &Path,
    file_format: Format,
    format: StreamFormat,
    filter: &Filter<'_>,
) -> io::Result<Part> {
    let mut report = linter.lint_file(path, file_format);
    let mut part = Part {
        rendered: Vec::new(),
        counts: Summary::default(),
        spellings: Vec::new(),
        source_hash: 0,
        read_error: None,
        filtered: 0,
    };
    match &mut report.outcome {
        Ok(linted) => {
            part.source_hash = source_hash(&linted.document.source);
            part.spellings = std::mem::take(&mut linted.spellings);
            let found = std::mem::take(&mut linted.diagnostics);
            let before = found.len();
            linted.diagnostics = filter(path, &linted.document, found);
            part.filtered = before - linted.diagnostics.len();
        }
        Err(error) => part.read_error = Some(error.to_string()),
    }
    part.counts = Summary::of(std::slice::from_ref(&report));
    part.rendered = render(&report, format)?;
    Ok(part)
}

/// The file linted again with its run-wide `added` findings, if it is
/// still what was first read; also the added findings the filter kept.
fn relint_with(
    linter: &Linter,
    path: &Path,
    file_format: Format,
    first_hash: u64,
    added: Vec<Diagnostic>,
    filter: &Filter<'_>,
) -> Option<(FileReport, Vec<Diagnostic>)> {
    let mut report = linter.lint_file(path, file_format);
    let linted = report.outcome.as_mut().ok()?;
    if source_hash(&linted.document.source) != first_hash {
        return None;
    }
    // A baseline fingerprint depends on the finding and its file only, so
    // the added findings can be filtered on their own.
    let added = filter(path, &linted.document, added);
    let found = std::mem::take(&mut linted.diagnostics);
    let mut diagnostics = filter(path, &linted.document, found);
    diagnostics.extend(added.iter().cloned());
    lint::sort(&mut diagnostics);
    linted.diagnostics = diagnostics;
    Some((report, added))
}

fn render(report: &FileReport, format: StreamFormat) -> io::Result<Vec<u8>> {
    let mut rendered = Vec::new();
    let one = std::slice::from_ref(report);
    match format {
        StreamFormat::Human { color, .. } => {
            super::write_human_diagnostics(one, color, &mut rendered)?
        }
        StreamFormat::Short => super::write_short(one, &mut rendered)?,
        StreamFormat::Json => super::write_json_file(report, &mut rendered)?,
        StreamFormat::Github => super::write_github(one, &mut rendered)?,
    }
    Ok(rendered)
}

/// Whether a file is unchanged between two reads.
fn source_hash(source: &str) -> u64 {
    foldhash::quality::FixedState::default().hash_one(source)
}

/// The rendered parts read back from the spool in file order, with the
/// parts of files that carry run-wide findings swapped for their new ones.
struct SpooledParts<'a> {
    spool: Spool,
    lengths: &'a [u64],
    replacements: &'a [(usize, Vec<u8>)],
    next: usize,
    /// The first read error, which ends the parts.
    error: Option<io::Error>,
}

impl SpooledParts<'_> {
    fn next_part(&mut self) -> Option<Vec<u8>> {
        let index = self.next;
        let length = *self.lengths.get(index)?;
        self.next += 1;
        let part = match &mut self.spool {
            Spool::Parts(parts) => parts.pop_front().unwrap_or_default(),
            Spool::File(file) => {
                let mut part = Vec::with_capacity(length as usize);
                if let Err(error) = file.take(length).read_to_end(&mut part) {
                    self.error = Some(error);
                    return None;
                }
                part
            }
        };
        if let Ok(position) = self
            .replacements
            .binary_search_by_key(&index, |(file, _)| *file)
        {
            return Some(self.replacements[position].1.clone());
        }
        Some(part)
    }
}
