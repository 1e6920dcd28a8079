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

use std::collections::VecDeque;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Color, Summary};
use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::lint::{self, FileReport, Linter};
use crate::rules::name_inconsistent::{DocumentSpellings, RunSpellings};

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

/// Where rendered parts wait for the end of the run: the first ones in
/// memory as they are (copying them into one buffer and out again, zeroed
/// first, cost more than rendering a file's JSON), the rest in a temporary
/// file.
struct Spool {
    in_memory: VecDeque<Vec<u8>>,
    /// The bytes `in_memory` may still take: [`SPOOL_IN_MEMORY`], or no
    /// limit in a run of one chunk, which holds its files in memory anyway.
    in_memory_left: usize,
    /// Every part after the first that did not fit in memory.
    on_disk: Option<BufWriter<File>>,
}

/// The spool file's buffer: a file's part is a few kilobytes, and with the
/// default 8 KB buffer each went to the spool file, and came back, in a call
/// of its own.
const SPOOL_BUFFER_BYTES: usize = 256 * 1024;

impl Spool {
    fn new(in_memory_left: usize) -> Spool {
        Spool {
            in_memory: VecDeque::new(),
            in_memory_left,
            on_disk: None,
        }
    }

    fn push(&mut self, part: Vec<u8>) -> io::Result<()> {
        // Capacity, not length: what the part holds on to.
        if self.on_disk.is_none() && part.capacity() <= self.in_memory_left {
            self.in_memory_left -= part.capacity();
            self.in_memory.push_back(part);
            return Ok(());
        }
        let on_disk = match &mut self.on_disk {
            Some(on_disk) => on_disk,
            None => self.on_disk.insert(BufWriter::with_capacity(
                SPOOL_BUFFER_BYTES,
                tempfile::tempfile()?,
            )),
        };
        on_disk.write_all(&part)
    }

    /// The segments pushed, read back in order a file's part at a time:
    /// `lengths` are the segments', `segments` the number in each part, and
    /// `replacements` the parts that take the place of the pushed ones.
    fn into_parts<'a>(
        self,
        lengths: &'a [u64],
        segments: &'a [usize],
        replacements: &'a [(usize, Vec<Vec<u8>>)],
    ) -> io::Result<SpooledParts<'a>> {
        let on_disk = match self.on_disk {
            Some(on_disk) => {
                let mut file = on_disk.into_inner().map_err(|error| error.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                Some(BufReader::with_capacity(SPOOL_BUFFER_BYTES, file))
            }
            None => None,
        };
        Ok(SpooledParts {
            in_memory: self.in_memory,
            on_disk,
            lengths,
            segments,
            replacements,
            next_part: 0,
            next_segment: 0,
            error: None,
        })
    }
}

/// What the run keeps of each file once its part is rendered.
struct Kept {
    spool: Spool,
    /// Of each segment, in the spool's order.
    lengths: Vec<u64>,
    /// How many segments each file's part is.
    segments: Vec<usize>,
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
            let index = self.segments.len();
            if let Some(error) = &part.read_error {
                writeln!(errors, "error: {}: {error}", files[index].0.display())?;
            }
            self.outcome.summary.add(&part.counts);
            self.outcome.filtered += part.filtered;
            self.run.add(index, &part.spellings);
            self.segments.push(part.rendered.len());
            for segment in part.rendered {
                self.lengths.push(segment.len() as u64);
                self.spool.push(segment)?;
            }
            self.hashes.push(part.source_hash);
        }
        Ok(())
    }
}

/// One file's part of the run, once linted and rendered.
struct Part {
    /// Segments (see [`render`]).
    rendered: Vec<Vec<u8>>,
    counts: Summary,
    spellings: DocumentSpellings,
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
        spool: Spool::new(if files.len() <= CHUNK_FILES {
            usize::MAX
        } else {
            SPOOL_IN_MEMORY
        }),
        lengths: Vec::with_capacity(files.len()),
        segments: Vec::with_capacity(files.len()),
        hashes: Vec::with_capacity(files.len()),
        run: RunSpellings::default(),
        outcome: StreamOutcome::default(),
    };
    // While one chunk is linted, the parts of the one before are kept: the
    // threads never wait for that (serial) work.
    let mut previous: Option<Vec<io::Result<Part>>> = None;
    for chunk in files.chunks(CHUNK_FILES) {
        let lint_chunk = || {
            // One file a job, as a large file's pieces are: a thread that
            // finishes early takes the next file, not waits for a run.
            chunk
                .par_iter()
                .with_max_len(1)
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
        spool,
        lengths,
        segments,
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
    let mut replacements: Vec<(usize, Vec<Vec<u8>>)> = Vec::with_capacity(carried.len());
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

    let mut parts = spool.into_parts(&lengths, &segments, &replacements)?;
    match format {
        StreamFormat::Json => {
            let mut rendered = std::iter::from_fn(|| parts.next_part()).flatten();
            super::write_json_document(&outcome.summary, &mut rendered, out)?;
        }
        StreamFormat::Human { quiet, .. } => {
            while let Some(part) = parts.next_part() {
                part.iter().try_for_each(|segment| out.write_all(segment))?;
            }
            if !quiet {
                super::write_summary(&outcome.summary, out)?;
            }
        }
        StreamFormat::Short | StreamFormat::Github => {
            while let Some(part) = parts.next_part() {
                part.iter().try_for_each(|segment| out.write_all(segment))?;
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
        spellings: DocumentSpellings::default(),
        source_hash: 0,
        read_error: None,
        filtered: 0,
    };
    match &mut report.outcome {
        Ok(linted) => {
            part.spellings = std::mem::take(&mut linted.spellings);
            let found = std::mem::take(&mut linted.diagnostics);
            let before = found.len();
            linted.diagnostics = filter(path, &linted.document, found);
            part.filtered = before - linted.diagnostics.len();
        }
        Err(error) => part.read_error = Some(error.to_string()),
    }
    part.counts = Summary::of(std::slice::from_ref(&report));
    let source = report
        .outcome
        .as_ref()
        .ok()
        .map(|linted| linted.document.source.as_str());
    // A large file's hash (10 ms for 100 MB) is taken while its part is
    // rendered.
    let (hash, rendered) = match source {
        Some(source) if source.len() >= HASHED_WHILE_RENDERED_FROM => {
            rayon::join(|| source_hash(source), || render(&report, format))
        }
        _ => (source.map_or(0, source_hash), render(&report, format)),
    };
    part.source_hash = hash;
    part.rendered = rendered?;
    release(report);
    Ok(part)
}

/// Frees a file's report once its part is rendered. A large file's is
/// freed on another thread: its findings are many small allocations
/// (90,000 findings in 100 MB of news took 130 ms to free), which would
/// otherwise hold up the file's part, or the end of a run of one file.
fn release(report: FileReport) {
    let large = report
        .outcome
        .as_ref()
        .is_ok_and(|linted| linted.diagnostics.len() > RELEASED_ASIDE_FROM_FINDINGS);
    if large {
        rayon::spawn(move || drop(report));
    }
}

/// Sources at least this long are hashed while their part is rendered.
const HASHED_WHILE_RENDERED_FROM: usize = 1 << 20;

/// Reports with more findings than this are freed on another thread.
const RELEASED_ASIDE_FROM_FINDINGS: usize = 4096;

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

/// A file's part of the report, in segments written one after another: as
/// they are for the human, short and GitHub formats; joined by commas,
/// leaving out empty ones, for JSON (see [`super::json_file_parts`]).
fn render(report: &FileReport, format: StreamFormat) -> io::Result<Vec<Vec<u8>>> {
    let mut rendered = Vec::new();
    let one = std::slice::from_ref(report);
    match format {
        StreamFormat::Human { color, .. } => {
            super::write_human_diagnostics(one, color, &mut rendered)?
        }
        StreamFormat::Short => super::write_short(one, &mut rendered)?,
        StreamFormat::Json => return Ok(super::json_file_parts(report)),
        StreamFormat::Github => super::write_github(one, &mut rendered)?,
    }
    Ok(vec![rendered])
}

/// Whether a file is unchanged between two reads.
fn source_hash(source: &str) -> u64 {
    foldhash::quality::FixedState::default().hash_one(source)
}

/// The rendered parts read back from the spool in file order, with the
/// parts of files that carry run-wide findings swapped for their new ones.
struct SpooledParts<'a> {
    in_memory: VecDeque<Vec<u8>>,
    on_disk: Option<BufReader<File>>,
    lengths: &'a [u64],
    segments: &'a [usize],
    replacements: &'a [(usize, Vec<Vec<u8>>)],
    next_part: usize,
    next_segment: usize,
    /// The first read error, which ends the parts.
    error: Option<io::Error>,
}

impl SpooledParts<'_> {
    /// The next file's part, in its segments.
    fn next_part(&mut self) -> Option<Vec<Vec<u8>>> {
        let index = self.next_part;
        let count = *self.segments.get(index)?;
        self.next_part += 1;
        let mut part = Vec::with_capacity(count);
        for _ in 0..count {
            part.push(self.next_segment()?);
        }
        if let Ok(position) = self
            .replacements
            .binary_search_by_key(&index, |(file, _)| *file)
        {
            return Some(self.replacements[position].1.clone());
        }
        Some(part)
    }

    fn next_segment(&mut self) -> Option<Vec<u8>> {
        let length = *self.lengths.get(self.next_segment)?;
        self.next_segment += 1;
        // The first segments stay in memory; once one spilled, every later
        // one did.
        match (self.in_memory.pop_front(), &mut self.on_disk) {
            (Some(segment), _) => Some(segment),
            (None, Some(file)) => {
                let mut segment = Vec::with_capacity(length as usize);
                if let Err(error) = file.take(length).read_to_end(&mut segment) {
                    self.error = Some(error);
                    return None;
                }
                Some(segment)
            }
            (None, None) => Some(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts read back in the order they were kept, whether they stayed in
    /// memory or went to the temporary file, with replacements swapped in.
    fn spooled_and_read_back(in_memory_left: usize, parts: &[Vec<Vec<u8>>]) -> Vec<Vec<Vec<u8>>> {
        let mut spool = Spool::new(in_memory_left);
        let mut lengths = Vec::new();
        for segment in parts.iter().flatten() {
            lengths.push(segment.len() as u64);
            spool.push(segment.clone()).unwrap();
        }
        let segments: Vec<usize> = parts.iter().map(Vec::len).collect();
        let replacements = vec![(3, vec![b"replaced".to_vec()])];
        let mut spooled = spool
            .into_parts(&lengths, &segments, &replacements)
            .unwrap();
        let read: Vec<Vec<Vec<u8>>> = std::iter::from_fn(|| spooled.next_part()).collect();
        assert!(spooled.error.is_none());
        read
    }

    #[test]
    fn parts_come_back_in_order_from_memory_and_disk() {
        // Parts of no segment (a file without findings), one, or several
        // (a large file's JSON).
        let parts: Vec<Vec<Vec<u8>>> = (0..40)
            .map(|index: usize| {
                (0..index % 4)
                    .map(|segment| {
                        let length = (index * 37 + segment * 11) % 300;
                        (0..length).map(|byte| (byte + index) as u8).collect()
                    })
                    .collect()
            })
            .collect();
        let mut expected = parts.clone();
        expected[3] = vec![b"replaced".to_vec()];
        // All in memory, none, and a split: the first part that does not
        // fit sends it and every later part to disk, even ones that would.
        for in_memory_left in [usize::MAX, 0, 1_000, 2_000] {
            assert_eq!(spooled_and_read_back(in_memory_left, &parts), expected);
        }
    }
}
