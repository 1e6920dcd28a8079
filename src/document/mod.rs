//! Reading documents and deciding which of their bytes are lintable.

pub mod dates;
pub mod html;
pub mod markdown;
pub mod quotes;
pub mod sentences;
pub mod source_map;
mod source_text;
pub mod suppress;
pub mod urls;

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::date::Date;
pub use source_map::{Segment, SourceMap};
pub use source_text::SourceText;
pub use suppress::Suppression;

/// How a document's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format for a file name, or `None` when the walker should skip it.
    pub fn from_path(path: &Path) -> Option<Format> {
        const EXTENSIONS: [(&str, Format); 6] = [
            ("txt", Format::Text),
            ("text", Format::Text),
            ("md", Format::Markdown),
            ("markdown", Format::Markdown),
            ("html", Format::Html),
            ("htm", Format::Html),
        ];
        // Compared in place: a lowercased copy of every walked file's
        // extension was an allocation per file.
        let extension = path.extension()?;
        EXTENSIONS
            .iter()
            .find(|(name, _)| extension.eq_ignore_ascii_case(name))
            .map(|&(_, format)| format)
    }
}

/// A document as read from disk, and the text rules look at.
///
/// Rules and the scanner work on `text`. For plain text it is the file
/// unchanged; for markup it is the prose only (code, URLs, tags blanked or
/// removed). Offsets in `text` go back to the file through `source_map`
/// (identity when it is `None`), which the linter applies to every
/// diagnostic before it leaves the core.
#[derive(Debug)]
pub struct Document {
    /// The file's contents, exactly as read.
    pub source: SourceText,
    /// What is linted ([`Document::text`]), when it differs from `source`:
    /// plain text without web addresses is linted as read, and a copy of
    /// an archive-sized file would only cost memory and page faults.
    linted: Option<String>,
    pub format: Format,
    pub source_map: Option<SourceMap>,
    /// A date the markup itself declares (front matter, an HTML meta tag),
    /// with the offset in `source` it was read from.
    pub declared_date: Option<DeclaredDate>,
    /// What the file's suppression directives silence (file offsets).
    pub suppressions: Vec<Suppression>,
    /// The inside of each direct quotation (offsets in `text`), found when
    /// first asked for: a large document's are found while it is scanned.
    quotations: OnceLock<Vec<Range<usize>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredDate {
    pub date: Date,
    pub source_offset: usize,
    /// Where it came from, for notes: "front matter", "`article:published_time`".
    pub origin: String,
}

impl Document {
    pub fn new(source: impl Into<SourceText>, format: Format) -> Document {
        let source = source.into();
        let (linted, source_map, declared_date, directives) = match format {
            Format::Text => {
                let directives = suppress::text_directives(&source);
                (None, None, None, directives)
            }
            Format::Markdown => {
                let parsed = markdown::parse(&source);
                let directives = suppress::comment_directives(&source, &parsed.comments);
                (
                    Some(parsed.text),
                    parsed.source_map,
                    parsed.declared_date,
                    directives,
                )
            }
            Format::Html => {
                let parsed = html::parse(&source);
                let directives = suppress::comment_directives(&source, &parsed.comments);
                (
                    Some(parsed.text),
                    Some(parsed.source_map),
                    parsed.declared_date,
                    directives,
                )
            }
        };
        let linted = without_urls(&source, linted);
        let suppressions = suppress::suppressions(&source, directives);
        Document {
            source,
            linted,
            format,
            source_map,
            declared_date,
            suppressions,
            quotations: OnceLock::new(),
        }
    }

    /// The inside of each direct quotation (offsets in `text`).
    pub fn quotations(&self) -> &[Range<usize>] {
        self.quotations.get_or_init(|| {
            let paragraphs = match self.format {
                Format::Text => quotes::Paragraphs::OnePerLine,
                Format::Markdown | Format::Html => quotes::Paragraphs::BlankLineSeparated,
            };
            quotes::quotations(self.text(), paragraphs)
        })
    }

    /// Frees what only analysis needs (the linted text, quotations,
    /// suppressions, the source map) once a file's findings are known:
    /// reports need only the file itself, and a run over an archive holds
    /// every file's report until it is written.
    pub fn release_analysis(&mut self) {
        self.linted = None;
        self.quotations = OnceLock::new();
        self.suppressions = Vec::new();
        self.source_map = None;
    }

    /// The linted text: the prose, web addresses blanked; offsets in it go
    /// back to the file through [`Document::source_span`].
    pub fn text(&self) -> &str {
        self.linted.as_deref().unwrap_or(&self.source)
    }

    /// A range of `text` as a range of the file.
    pub fn source_span(&self, span: Range<usize>) -> Range<usize> {
        match &self.source_map {
            Some(map) => map.start(span.start)..map.end(span.end),
            None => span,
        }
    }
}

/// The linted text (`None`: the file as read) with its web addresses
/// blanked; unchanged, and not copied, when it has none.
fn without_urls(source: &str, linted: Option<String>) -> Option<String> {
    let spans = urls::spans(linted.as_deref().unwrap_or(source));
    if spans.is_empty() {
        return linted;
    }
    let mut blanked = linted.unwrap_or_else(|| source.to_owned());
    urls::blank_spans(&mut blanked, spans);
    Some(blanked)
}

/// Why a file could not be linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    Empty,
    Binary {
        offset: usize,
    },
    NotUtf8 {
        line: usize,
        column: usize,
        offset: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(message) => write!(f, "cannot read file: {message}"),
            ReadError::Empty => write!(f, "file is empty"),
            ReadError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset}), not linted")
            }
            ReadError::NotUtf8 {
                line,
                column,
                offset,
            } => write!(
                f,
                "not valid UTF-8: invalid byte at line {line}, column {column} (offset {offset}); convert the file to UTF-8"
            ),
        }
    }
}

/// How far into a file to look for a NUL byte, as git and ripgrep do.
const BINARY_SNIFF_LENGTH: usize = 8 * 1024;

pub fn read(path: &Path) -> Result<SourceText, ReadError> {
    match read_bytes(path).map_err(|error| ReadError::Io(io_message(&error)))? {
        FileBytes::Heap(bytes) => decode(bytes).map(SourceText::Owned),
        #[cfg(unix)]
        FileBytes::Mapped(bytes) => {
            check_not_empty_or_binary(&bytes)?;
            SourceText::from_mapped(bytes)
        }
    }
}

/// A file's bytes as read: on the heap, or (a large file) in a mapping of
/// their own.
enum FileBytes {
    Heap(Vec<u8>),
    #[cfg(unix)]
    Mapped(memmap2::MmapMut),
}

/// Files at least this long are read in parts side by side, into a mapping
/// of their own.
const READ_IN_PARTS_FROM: u64 = 8 << 20;

/// The bytes of one part of a large file.
const READ_PART_BYTES: usize = 4 << 20;

/// Files up to this long are read whole before their size is asked.
const READ_BEFORE_SIZE_BYTES: usize = 16 << 10;

/// A file's bytes, with one open, and a size query only for a file longer
/// than [`READ_BEFORE_SIZE_BYTES`]: most articles are a few kilobytes, and
/// asking each one's size was 1.7% of a run over 4 KB files. A large file
/// is read in parts side by side: copying 100 MB out of the page cache, and
/// faulting in the pages it is copied to, took 110-180 ms on one thread,
/// before anything else could start.
fn read_bytes(path: &Path) -> std::io::Result<FileBytes> {
    use std::io::Read;

    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(READ_BEFORE_SIZE_BYTES);
    (&mut file)
        .take(READ_BEFORE_SIZE_BYTES as u64)
        .read_to_end(&mut bytes)?;
    if bytes.len() < READ_BEFORE_SIZE_BYTES {
        // The end of the file came first.
        return Ok(FileBytes::Heap(bytes));
    }
    let length = file.metadata()?.len();
    #[cfg(unix)]
    if length >= READ_IN_PARTS_FROM {
        if let Some(bytes) = read_in_parts(&mut file, length)? {
            return Ok(FileBytes::Mapped(bytes));
        }
        // Cut short or grown while it was read, or no memory to map: read
        // again, whole.
        std::io::Seek::rewind(&mut file)?;
        bytes.clear();
    }
    // The length is a hint (a file may change, a pipe has none): a failed
    // reservation only means the buffer grows as it is read.
    let rest = usize::try_from(length)
        .unwrap_or(0)
        .saturating_sub(bytes.len());
    let _ = bytes.try_reserve_exact(rest);
    // Through `take`, whose read_to_end fills the reserved buffer as is:
    // File's own asks the file's size and position again.
    (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(FileBytes::Heap(bytes))
}

/// `file`, `length` bytes long when asked, read in parts side by side with
/// `pread` into an anonymous mapping advised to use huge pages; `None` if
/// it turned out shorter or longer, or could not be mapped.
#[cfg(unix)]
fn read_in_parts(
    file: &mut std::fs::File,
    length: u64,
) -> std::io::Result<Option<memmap2::MmapMut>> {
    use rayon::prelude::*;
    use std::io::{Read, Seek, SeekFrom};
    use std::os::unix::fs::FileExt;

    let Ok(length) = usize::try_from(length) else {
        return Ok(None);
    };
    // Zeroed pages from the kernel, as a large `vec![0; length]` would be,
    // but 2 MB ones where transparent huge pages are on "madvise" or
    // "always": 50 faults for 100 MB instead of 24,500.
    let Ok(mut bytes) = memmap2::MmapMut::map_anon(length) else {
        return Ok(None);
    };
    // Advice only: a kernel without huge pages maps 4 KB ones.
    let _ = bytes.advise(memmap2::Advice::HugePage);
    let read = bytes
        .par_chunks_mut(READ_PART_BYTES)
        .with_max_len(1)
        .enumerate()
        .try_for_each(|(index, part)| file.read_exact_at(part, (index * READ_PART_BYTES) as u64));
    match read {
        Ok(()) => {
            // A mapping cannot grow: a file written on meanwhile is read
            // again, whole, as a single read would have had it.
            file.seek(SeekFrom::Start(length as u64))?;
            let mut probe = [0u8; 1];
            if file.read(&mut probe)? != 0 {
                return Ok(None);
            }
            Ok(Some(bytes))
        }
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(error) => Err(error),
    }
}

/// Not empty, and no NUL byte where a binary file would have one.
fn check_not_empty_or_binary(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LENGTH)];
    if let Some(offset) = memchr::memchr(0, sniff) {
        return Err(ReadError::Binary { offset });
    }
    Ok(())
}

/// Checks a file's bytes: not empty, not binary, valid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    check_not_empty_or_binary(&bytes)?;
    String::from_utf8(bytes)
        .map_err(|error| not_utf8(error.as_bytes(), error.utf8_error().valid_up_to()))
}

/// The error for `bytes`, valid UTF-8 up to `offset` and not there.
fn not_utf8(bytes: &[u8], offset: usize) -> ReadError {
    let valid = &bytes[..offset];
    let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let line_start = valid
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |index| index + 1);
    // The prefix is valid UTF-8, so counting characters is exact.
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    ReadError::NotUtf8 {
        line,
        column,
        offset,
    }
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_parts_is_the_file() {
        // Past the size read in parts, not a whole number of parts, and no
        // two parts alike, so a part put in the wrong place shows.
        let length = READ_IN_PARTS_FROM as usize + READ_PART_BYTES / 3;
        let bytes: Vec<u8> = (0..length).map(|index| (index % 251) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        match read_bytes(file.path()).unwrap() {
            FileBytes::Mapped(mapped) => assert!(mapped[..] == bytes[..]),
            FileBytes::Heap(_) => panic!("a large file is read into a mapping"),
        }
        assert!(matches!(
            read(file.path()),
            Err(ReadError::Binary { offset: 0 })
        ));
    }

    #[test]
    fn files_around_the_size_read_before_asking_are_read_whole() {
        let around = READ_BEFORE_SIZE_BYTES;
        for length in [1, around - 1, around, around + 1, 3 * around + 7] {
            let bytes: Vec<u8> = (0..length).map(|index| (index % 251) as u8).collect();
            let mut file = tempfile::NamedTempFile::new().unwrap();
            std::io::Write::write_all(&mut file, &bytes).unwrap();
            match read_bytes(file.path()).unwrap() {
                FileBytes::Heap(read) => assert!(read == bytes, "{length} bytes"),
                FileBytes::Mapped(_) => panic!("a small file is read onto the heap"),
            }
        }
    }

    /// A large file's text: lines of `line`, to past the size read in
    /// parts, and not a whole number of parts.
    fn large_text(line: &str) -> String {
        let length = READ_IN_PARTS_FROM as usize + READ_PART_BYTES / 3;
        line.repeat(length / line.len() + 1)
    }

    #[test]
    fn a_large_text_file_read_into_a_mapping_is_its_text() {
        let text = large_text("Astana, not Nur-Sultan, hosted the OIC summit.\n");
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
        let read = read(file.path()).unwrap();
        assert!(matches!(read, SourceText::Mapped(_)));
        assert!(read.as_str() == text);
    }

    #[test]
    fn a_large_file_not_utf8_is_named_at_its_line_and_column() {
        let mut bytes = large_text("Ab\n").into_bytes();
        // Line 2,000,001, after "A": far into a part past the first.
        let offset = 3 * 2_000_000 + 1;
        bytes[offset] = 0xff;
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        assert_eq!(
            read(file.path()),
            Err(ReadError::NotUtf8 {
                line: 2_000_001,
                column: 2,
                offset,
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_longer_or_shorter_than_asked_is_not_taken_from_its_parts() {
        let text = large_text("Kairat Abdrakhmanov\n");
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
        let length = text.len() as u64;
        let mut reopened = std::fs::File::open(file.path()).unwrap();
        assert!(read_in_parts(&mut reopened, length).unwrap().is_some());
        // Grown since its size was asked: the rest would not fit.
        assert!(read_in_parts(&mut reopened, length - 1).unwrap().is_none());
        // Cut short since.
        assert!(read_in_parts(&mut reopened, length + 1).unwrap().is_none());
    }

    #[test]
    fn formats_follow_the_extension_in_any_case() {
        let format = |name: &str| Format::from_path(Path::new(name));
        assert_eq!(format("a/b.txt"), Some(Format::Text));
        assert_eq!(format("b.TEXT"), Some(Format::Text));
        assert_eq!(format("b.Md"), Some(Format::Markdown));
        assert_eq!(format("b.markDown"), Some(Format::Markdown));
        assert_eq!(format("b.HTML"), Some(Format::Html));
        assert_eq!(format("b.htm"), Some(Format::Html));
        assert_eq!(format("b.html.bak"), None);
        assert_eq!(format("b.mdx"), None);
        assert_eq!(format("b.tx"), None);
        assert_eq!(format("txt"), None);
        assert_eq!(format(".txt"), None);
        assert_eq!(format("b.téxt"), None);
    }

    #[test]
    fn rejects_empty_binary_and_invalid_utf8() {
        assert_eq!(decode(Vec::new()), Err(ReadError::Empty));
        assert_eq!(
            decode(b"ab\0cd".to_vec()),
            Err(ReadError::Binary { offset: 2 })
        );
        assert_eq!(
            decode(b"first\nsec\xffond".to_vec()),
            Err(ReadError::NotUtf8 {
                line: 2,
                column: 4,
                offset: 9
            })
        );
        assert_eq!(
            decode("Астана".as_bytes().to_vec()).as_deref(),
            Ok("Астана")
        );
    }
}
