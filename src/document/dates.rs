//! The dates a document is judged at: the document's own date, and dates a
//! sentence names for itself.
//!
//! Temporal rules (stale names, office holders, member counts) ask "was this
//! true then?". "Then" is the document's date unless the sentence names its
//! own ("the summit in Astana in September 2017").

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use super::Document;
use crate::date::{Date, Period};
use crate::report::lines::LineIndex;

/// How far into a document its date is looked for: a dateline or byline
/// sits in the first lines, and a date deeper in is an event's, not the
/// article's.
const OPENING_LINES: usize = 8;
const OPENING_BYTES: usize = 3000;

/// Where the document's date came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOrigin {
    /// `--date` on the command line.
    CommandLine,
    /// Declared by the markup (front matter, an HTML meta tag).
    Declared { origin: String, line: usize },
    /// A leading `date 2024-06-28` or `date: 2024-06-28` line.
    MetadataLine { line: usize },
    /// The first full date in the opening lines.
    OpeningLine { line: usize },
    /// No date found: judged at the day of the run.
    Today,
}

/// The date a document is judged at, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDate {
    pub date: Date,
    pub origin: DateOrigin,
}

impl DocumentDate {
    /// The note temporal diagnostics carry.
    pub fn note(&self) -> String {
        let date = self.date;
        // Joined, not formatted: every temporal finding carries this note.
        match &self.origin {
            DateOrigin::CommandLine => format!("judged at {date}, the date given with --date"),
            DateOrigin::Declared { origin, line } => {
                format!("document dated {date}, from {origin} on line {line}")
            }
            DateOrigin::MetadataLine { line } | DateOrigin::OpeningLine { line } => [
                "document dated ",
                &date.to_iso_string(),
                ", from line ",
                &line.to_string(),
            ]
            .concat(),
            DateOrigin::Today => format!(
                "no date found in the document: judged at today's date, {date} (set one with --date)"
            ),
        }
    }
}

/// A date a sentence names, as the period it covers: one day for a full
/// date, a whole month for "April 2019".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedDate {
    pub period: Period,
    /// As written in the text.
    pub text: String,
    pub span: Range<usize>,
}

/// The time a mention is judged at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judged<'a> {
    Document(&'a DocumentDate),
    Sentence(NamedDate),
}

impl Judged<'_> {
    /// The judged time as a non-empty period.
    pub fn period(&self) -> Period {
        match self {
            Judged::Document(document) => Period {
                from: Some(document.date),
                until: Some(document.date.next_day()),
            },
            Judged::Sentence(named) => named.period,
        }
    }

    /// The first day of the judged time.
    pub fn start(&self) -> Date {
        match self {
            Judged::Document(document) => document.date,
            Judged::Sentence(named) => named.period.from.unwrap_or(Date::from_days_since_epoch(0)),
        }
    }

    /// How to say the judged time in a message, with its preposition:
    /// "on 2020-11-29", "in April 2019".
    pub fn describe(&self) -> String {
        match self {
            // Joined, not formatted: most temporal messages say it.
            Judged::Document(document) => ["on ", &document.date.to_iso_string()].concat(),
            Judged::Sentence(named)
                if named.period.until == named.period.from.map(Date::next_day) =>
            {
                ["on ", &named.text].concat()
            }
            Judged::Sentence(named) => ["in ", &named.text].concat(),
        }
    }

    /// The note explaining the judged time. `line_of` gives the file's
    /// 1-based line of an offset of the linted text.
    pub fn note(&self, line_of: &dyn Fn(usize) -> usize) -> String {
        match self {
            Judged::Document(document) => document.note(),
            Judged::Sentence(named) => format!(
                "judged at {}, the date this sentence names (line {}), not the document's date",
                named.text,
                line_of(named.span.start)
            ),
        }
    }
}

const MONTH: &str = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)";

/// A pattern searched through [`ascii_stand_in`], compiled on first use
/// twice at most: with ASCII classes for the stand-in, and with Unicode ones
/// only for a text that has no stand-in.
///
/// On ASCII text the two find the same matches (`\w`, `\d`, `\b` and case
/// folding agree on ASCII characters), and the Unicode classes were most of
/// the time spent compiling the patterns, which every run paid.
pub(crate) struct StandInRegex {
    pattern: fn() -> String,
    ascii: OnceLock<Regex>,
    unicode: OnceLock<Regex>,
}

impl StandInRegex {
    pub(crate) const fn new(pattern: fn() -> String) -> StandInRegex {
        StandInRegex {
            pattern,
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
        }
    }

    /// For ASCII haystacks only.
    pub(crate) fn ascii(&self) -> &Regex {
        self.ascii.get_or_init(|| self.compile(false))
    }

    pub(crate) fn unicode(&self) -> &Regex {
        self.unicode.get_or_init(|| self.compile(true))
    }

    fn compile(&self, unicode: bool) -> Regex {
        RegexBuilder::new(&(self.pattern)())
            .unicode(unicode)
            .build()
            .unwrap_or_else(|error| unreachable!("the pattern is a constant and valid: {error}"))
    }

    /// What to search for matches in `text`, and with which regex: offsets
    /// in the haystack are offsets in `text`; read matched text from `text`.
    pub(crate) fn search<'t>(&self, text: &'t str) -> (Cow<'t, str>, &Regex) {
        match ascii_stand_in(text) {
            Some(stand_in) => (stand_in, self.ascii()),
            None => (Cow::Borrowed(text), self.unicode()),
        }
    }
}

/// Full dates in the common English news forms.
static FULL_DATE: StandInRegex = StandInRegex::new(|| {
    let day_month_year = format!(r"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)? {MONTH},? (?P<y1>\d{{4}})");
    let month_day_year = MONTH.replace("?P<month>", "?P<month2>");
    let month_day_year =
        format!(r"{month_day_year} (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y2>\d{{4}})");
    let iso = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})";
    format!(r"\b(?:{day_month_year}|{month_day_year}|{iso})\b")
});

/// "in September 2017": a month and a year with no day.
static MONTH_YEAR: StandInRegex = StandInRegex::new(|| format!(r"\b{MONTH} (?P<year>\d{{4}})\b"));

/// `date 2024-06-28` or `Date: 2024-06-28` at the start of a line.
static METADATA_LINE: StandInRegex = StandInRegex::new(|| {
    r#"(?mi)^[ \t]*date[ \t]*[:=]?[ \t]*["']?(?P<date>\d{4}-\d{2}-\d{2})(?:\b|T)"#.to_owned()
});

fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.');
    let prefix = name.get(..3)?;
    let number = match prefix {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    Some(number)
}

/// The date `captures` name. `text` is the text the captures' offsets are
/// in (the haystack searched may be its [`ascii_stand_in`]).
fn full_date(captures: &regex::Captures<'_>, text: &str) -> Option<Date> {
    let group = |name: &str| {
        captures
            .name(name)
            .and_then(|value| text.get(value.range()))
    };
    let number = |name: &str| group(name).and_then(|value| value.parse::<u32>().ok());
    if let (Some(day), Some(year)) = (number("d1"), number("y1")) {
        return Date::new(year as i32, month_number(group("month")?)?, day);
    }
    if let (Some(day), Some(year)) = (number("d2"), number("y2")) {
        return Date::new(year as i32, month_number(group("month2")?)?, day);
    }
    Date::new(number("y3")? as i32, number("m3")?, number("d3")?)
}

/// Decides the date a document is judged at.
pub fn document_date(document: &Document, command_line: Option<Date>, today: Date) -> DocumentDate {
    if let Some(date) = command_line {
        return DocumentDate {
            date,
            origin: DateOrigin::CommandLine,
        };
    }
    if let Some(declared) = &document.declared_date {
        let index = LineIndex::new(&document.source);
        return DocumentDate {
            date: declared.date,
            origin: DateOrigin::Declared {
                origin: declared.origin.clone(),
                line: index
                    .position(&document.source, declared.source_offset)
                    .line,
            },
        };
    }
    let opening = opening_lines(document.text());
    let line_of = |offset: usize| {
        document.text()[..offset]
            .bytes()
            .filter(|&byte| byte == b'\n')
            .count()
            + 1
    };
    if let Some((date, offset)) = metadata_line_date(opening) {
        return DocumentDate {
            date,
            origin: DateOrigin::MetadataLine {
                line: line_of(offset),
            },
        };
    }
    if let Some((date, offset)) = first_full_date(opening) {
        return DocumentDate {
            date,
            origin: DateOrigin::OpeningLine {
                line: line_of(offset),
            },
        };
    }
    DocumentDate {
        date: today,
        origin: DateOrigin::Today,
    }
}

/// The first valid date a [`METADATA_LINE`] in `opening` names, and its
/// offset.
///
/// The pattern cannot cross a line break and is anchored at a line's start,
/// so it is tried line by line, and only on lines that begin with "date":
/// most openings have none, and the regex would otherwise read all of them.
/// Searched on the ASCII stand-in, as sentences are: with any non-ASCII
/// letter in the line the regex would otherwise fall back to its slow
/// engine.
fn metadata_line_date(opening: &str) -> Option<(Date, usize)> {
    for (start, line) in lines_with_offsets(opening) {
        let after_indent = line.trim_start_matches([' ', '\t']);
        let begins_with_date = after_indent
            .get(..4)
            .is_some_and(|word| word.eq_ignore_ascii_case("date"));
        if !begins_with_date {
            continue;
        }
        let (haystack, regex) = METADATA_LINE.search(line);
        for captures in regex.captures_iter(&haystack) {
            if let Some(value) = captures.name("date") {
                if let Some(date) = line.get(value.range()).and_then(Date::parse_iso) {
                    return Some((date, start + value.start()));
                }
            }
        }
    }
    None
}

/// The first valid [`FULL_DATE`] in `opening`, and its offset.
///
/// No full date crosses a line break, so a search line by line finds the
/// same matches as one over the whole opening; and every valid date has a
/// year of four ASCII digits, so lines without four in a row are skipped.
/// In the [`ascii_stand_in`], a match's parts are read from their places
/// in it ([`full_date_written`]), as in a sentence: asking the regex for
/// capture groups was most of the cost of dating a 4 KB file.
fn first_full_date(opening: &str) -> Option<(Date, usize)> {
    for (start, line) in lines_with_offsets(opening) {
        if !has_four_digits_in_a_row(line.as_bytes()) {
            continue;
        }
        match ascii_stand_in(line) {
            Some(stand_in) => {
                for whole in FULL_DATE.ascii().find_iter(&stand_in) {
                    if let Some(date) = line.get(whole.range()).and_then(full_date_written) {
                        return Some((date, start + whole.start()));
                    }
                }
            }
            None => {
                for captures in FULL_DATE.unicode().captures_iter(line) {
                    if let (Some(date), Some(whole)) = (full_date(&captures, line), captures.get(0))
                    {
                        return Some((date, start + whole.start()));
                    }
                }
            }
        }
    }
    None
}

/// Whether `bytes` hold four ASCII digits in a row, as every year does.
///
/// Read eight bytes at a time: most text has no digit in most words, and
/// this runs over every sentence a temporal rule asks about.
fn has_four_digits_in_a_row(bytes: &[u8]) -> bool {
    let digit_bits = ascii_digit_bits;
    // Digits in a row at the end of what has been read.
    let mut run = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word_bytes = [0; 8];
        word_bytes.copy_from_slice(chunk);
        let digits = digit_bits(u64::from_le_bytes(word_bytes));
        if digits == 0 {
            run = 0;
            continue;
        }
        // Bytes are in text order from the lowest: a run within the word
        // shows as four neighbouring high bits.
        let leading_digits = ((!digits & HIGH_BITS).trailing_zeros() / 8) as usize;
        if run + leading_digits >= 4
            || digits & (digits >> 8) & (digits >> 16) & (digits >> 24) != 0
        {
            return true;
        }
        run = ((!digits & HIGH_BITS).leading_zeros() / 8) as usize;
    }
    for &byte in chunks.remainder() {
        run = if byte.is_ascii_digit() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

/// Eight bytes at a time: every byte's high bit.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each of the eight bytes of `word` (read little-endian)
/// that is an ASCII digit; no other bit. Adding to the low seven bits of a
/// byte cannot carry into the next byte.
pub(crate) fn ascii_digit_bits(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low_bits = word & !HIGH_BITS;
    let from_zero = low_bits + ONES * u64::from(0x80 - b'0');
    let beyond_nine = low_bits + ONES * u64::from(0x80 - b'9' - 1);
    from_zero & !beyond_nine & !word & HIGH_BITS
}

/// `text`'s lines, each with its line break, and where each starts: what
/// `split_inclusive('\n')` gives, found with the vectorised `memchr`.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let line_start = start;
        start = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |index| line_start + index + 1);
        Some((line_start, &text[line_start..start]))
    })
}

/// The first [`OPENING_LINES`] non-blank lines, at most [`OPENING_BYTES`].
fn opening_lines(text: &str) -> &str {
    let mut end = 0;
    let mut lines = 0;
    for (_, line) in lines_with_offsets(text) {
        end += line.len();
        if !line.trim().is_empty() {
            lines += 1;
        }
        if lines >= OPENING_LINES || end >= OPENING_BYTES {
            break;
        }
    }
    // A file that is one enormous line is read no further than the limit:
    // the date regexes would otherwise run over all of it.
    let mut end = end.min(text.len()).min(OPENING_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The date named in `text[sentence]` closest to `near`: a full date, or a
/// month and year. `None` when the sentence names none.
pub fn sentence_date(text: &str, sentence: Range<usize>, near: usize) -> Option<NamedDate> {
    nearest(sentence_dates(text, sentence), near)
}

/// Of the dates a sentence names, the one closest to `near`.
pub fn nearest(found: Vec<NamedDate>, near: usize) -> Option<NamedDate> {
    found.into_iter().min_by_key(|named| {
        if named.span.start >= near {
            named.span.start - near
        } else {
            near - named.span.end.min(near)
        }
    })
}

/// Every full or month-year date named in `text[sentence]`.
pub fn sentence_dates(text: &str, sentence: Range<usize>) -> Vec<NamedDate> {
    let slice = &text[sentence.clone()];
    // Cheap rejection: every date form has four digits in a row.
    if !has_four_digits_in_a_row(slice.as_bytes()) {
        return Vec::new();
    }
    // One stand-in for both patterns.
    match ascii_stand_in(slice) {
        Some(stand_in) => dates_in_stand_in(slice, &stand_in, sentence.start),
        None => dates_by_captures(
            slice,
            slice,
            (FULL_DATE.unicode(), MONTH_YEAR.unicode()),
            sentence.start,
        ),
    }
}

/// The dates named in `slice`, which starts at `offset` of the text,
/// searched in its [`ascii_stand_in`].
///
/// A match in the stand-in is ASCII text of the date forms, so its parts
/// are read from their fixed places in it ([`full_date_written`]): the
/// matches alone are found by the regex's fast engine, where asking for
/// capture groups ran a slower one on every match, most of what reading a
/// sentence's dates cost.
fn dates_in_stand_in(slice: &str, stand_in: &str, offset: usize) -> Vec<NamedDate> {
    let mut found: Vec<NamedDate> = Vec::new();
    let Some(years) = four_digit_windows(stand_in.as_bytes()) else {
        return found;
    };
    // Every match holds a year, four digits in a row: it starts at most
    // BEFORE_YEAR bytes before the first such four and ends at most
    // AFTER_YEAR bytes after the last. The search starts at the first
    // place a match can start (`find_at` still sees the byte before, for
    // `\b`) and reads one byte past the last place one can end (for the
    // `\b` there), so it finds the matches a search of the whole sentence
    // finds without reading the rest of it.
    let search_from = years.start.saturating_sub(BEFORE_YEAR);
    let haystack = &stand_in[..(years.end + AFTER_YEAR + 1).min(stand_in.len())];
    let matches = |regex: &'static StandInRegex| {
        let regex = regex.ascii();
        let mut at = search_from;
        std::iter::from_fn(move || {
            let whole = regex.find_at(haystack, at)?;
            at = whole.end();
            Some(whole)
        })
    };
    for whole in matches(&FULL_DATE) {
        let written = &slice[whole.range()];
        if let Some(date) = full_date_written(written) {
            found.push(NamedDate {
                period: Period {
                    from: Some(date),
                    until: Some(date.next_day()),
                },
                text: written.to_owned(),
                span: offset + whole.start()..offset + whole.end(),
            });
        }
    }
    for whole in matches(&MONTH_YEAR) {
        let span = offset + whole.start()..offset + whole.end();
        if found
            .iter()
            .any(|full| full.span.start <= span.start && span.end <= full.span.end)
        {
            continue;
        }
        let written = &slice[whole.range()];
        // A month, a space and a year of four digits.
        let (Some(month), Some(year)) = (
            written.get(..written.len().saturating_sub(5)),
            written.get(written.len().saturating_sub(4)..),
        ) else {
            continue;
        };
        found.extend(month_named(
            month_number(month),
            year.parse::<i32>().ok(),
            written,
            span,
        ));
    }
    found
}

/// The month `month` of `year`, written as `written` at `span`, when both
/// were read and make a date.
fn month_named(
    month: Option<u32>,
    year: Option<i32>,
    written: &str,
    span: Range<usize>,
) -> Option<NamedDate> {
    let first = Date::new(year?, month?, 1)?;
    Some(NamedDate {
        period: Period {
            from: Some(first),
            until: Some(first.first_of_next_month()),
        },
        text: written.to_owned(),
        span,
    })
}

/// The most bytes a [`FULL_DATE`] or [`MONTH_YEAR`] match has before its
/// year: a day of two digits, a suffix, a space, "September", a comma and
/// a space (16), with room to spare.
const BEFORE_YEAR: usize = 24;

/// The most bytes a match has after its year: the ISO form's "-09-15".
const AFTER_YEAR: usize = 6;

/// From the start of the first four ASCII digits in a row in `bytes` to
/// the end of the last four; `None` when there are none.
fn four_digit_windows(bytes: &[u8]) -> Option<Range<usize>> {
    let ends_of_fours = |mut index: usize, step_back: bool| {
        let mut run = 0;
        loop {
            let byte = *bytes.get(index)?;
            run = if byte.is_ascii_digit() { run + 1 } else { 0 };
            if run == 4 {
                return Some(index);
            }
            if step_back {
                index = index.checked_sub(1)?;
            } else {
                index += 1;
            }
        }
    };
    let first_start = ends_of_fours(0, false)? - 3;
    let last_end = ends_of_fours(bytes.len().checked_sub(1)?, true)? + 4;
    Some(first_start..last_end)
}

/// The date of `written`, ASCII text that [`FULL_DATE`] matched: read as
/// [`full_date`] reads its capture groups.
fn full_date_written(written: &str) -> Option<Date> {
    let bytes = written.as_bytes();
    let number = |part: &str| part.parse::<u32>().ok();
    // Only the ISO form has a digit third (a day has at most two, then a
    // space or a suffix), and it starts with its year.
    if bytes.get(2).is_some_and(u8::is_ascii_digit) {
        return Date::new(
            number(written.get(..4)?)? as i32,
            number(written.get(5..7)?)?,
            number(written.get(8..10)?)?,
        );
    }
    // The other forms end in a year of four digits.
    let year = number(written.get(written.len().checked_sub(4)?..)?)?;
    // The month runs up to an optional comma and the space before the year.
    let mut month_end = written.len().checked_sub(5)?;
    if bytes.get(month_end.checked_sub(1)?) == Some(&b',') {
        month_end -= 1;
    }
    let first_digit = bytes.iter().position(u8::is_ascii_digit)?;
    let digits_from = |start: usize| {
        let length = bytes[start..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        written.get(start..start + length)
    };
    let day = number(digits_from(first_digit)?)?;
    let month = if first_digit == 0 {
        // "15th September, 2022": the day, an optional suffix, a space.
        let day_end = digits_from(0)?.len();
        let month_start = if bytes.get(day_end) == Some(&b' ') {
            day_end + 1
        } else {
            day_end + 3
        };
        written.get(month_start..month_end)?
    } else {
        // "September 15th, 2022": the month, a space, the day.
        written.get(..first_digit.checked_sub(1)?)?
    };
    Date::new(year as i32, month_number(month)?, day)
}

/// The dates named in `slice`, which starts at `offset` of the text,
/// searched in `haystack` (`slice` or its [`ascii_stand_in`]) with
/// `regexes`, [`FULL_DATE`] and [`MONTH_YEAR`] for it.
fn dates_by_captures(
    slice: &str,
    haystack: &str,
    (full_date_regex, month_year_regex): (&Regex, &Regex),
    offset: usize,
) -> Vec<NamedDate> {
    let sentence = offset..offset + slice.len();
    let mut found: Vec<NamedDate> = Vec::new();
    for captures in full_date_regex.captures_iter(haystack) {
        if let (Some(date), Some(whole)) = (full_date(&captures, slice), captures.get(0)) {
            found.push(NamedDate {
                period: Period {
                    from: Some(date),
                    until: Some(date.next_day()),
                },
                text: slice[whole.range()].to_owned(),
                span: sentence.start + whole.start()..sentence.start + whole.end(),
            });
        }
    }
    for captures in month_year_regex.captures_iter(haystack) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let span = sentence.start + whole.start()..sentence.start + whole.end();
        // "September 15, 2022" also contains "September 15": only a month
        // directly followed by a year counts, and not inside a full date.
        if found
            .iter()
            .any(|full| full.span.start <= span.start && span.end <= full.span.end)
        {
            continue;
        }
        let group = |name: &str| {
            captures
                .name(name)
                .and_then(|value| slice.get(value.range()))
        };
        found.extend(month_named(
            group("month").and_then(month_number),
            group("year").and_then(|year| year.parse::<i32>().ok()),
            &slice[whole.range()],
            span,
        ));
    }
    found
}

/// `text` with every non-ASCII character replaced, byte for byte, by an
/// ASCII stand-in of the same word class: `_` for a word character, `~` for
/// any other. `None` when `text` holds a non-ASCII number character.
///
/// The regex engine's fast DFA gives up on non-ASCII text when a pattern has
/// a Unicode word boundary (`\b`), and the slow engine it falls back to was
/// most of the time spent on dates and count phrases. For a pattern whose
/// only ways to match a non-ASCII character are `\b`, `\w` (as a repeated
/// class) and `\d`, the stand-in finds exactly the same matches at the same
/// offsets: `\b` and `\w` see the same word classes; a pattern's literal
/// text, all ASCII, can match neither `_` nor `~`; and a non-ASCII digit,
/// which `\d` would match, makes this return `None` (search `text` itself).
/// Offsets are the same in both; read matched text from `text`.
pub(crate) fn ascii_stand_in(text: &str) -> Option<Cow<'_, str>> {
    if text.is_ascii() {
        return Some(Cow::Borrowed(text));
    }
    // The text is copied whole and only its non-ASCII characters are
    // rewritten: news text is mostly ASCII, and building the copy one
    // character at a time cost more than the regex search it serves.
    let mut stand_in = text.as_bytes().to_vec();
    let mut position = 0;
    while let Some(skip) = stand_in[position..]
        .iter()
        .position(|byte| !byte.is_ascii())
    {
        position += skip;
        let character = text[position..].chars().next()?;
        // `is_numeric` covers every decimal digit, which is what `\d` is.
        if character.is_numeric() {
            return None;
        }
        let is_word = regex_syntax::try_is_word_character(character).ok()?;
        let replacement = if is_word { b'_' } else { b'~' };
        let end = position + character.len_utf8();
        stand_in[position..end].fill(replacement);
        position = end;
    }
    // Every byte is ASCII now, so this cannot fail; were it to, the text
    // itself is searched.
    String::from_utf8(stand_in).ok().map(Cow::Owned)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::document::Format;

    fn date(text: &str) -> Date {
        Date::parse_iso(text).unwrap()
    }

    /// The search this module used before it looked line by line and
    /// copied only non-ASCII characters: kept to show the two agree.
    mod reference {
        use super::super::{full_date, opening_lines, FULL_DATE, METADATA_LINE};
        use crate::date::Date;

        /// The date of the opening (metadata line first, then the first full
        /// date) and the offset it was read at.
        pub fn opening_date(text: &str) -> Option<(Date, usize)> {
            let opening = opening_lines(text);
            let (haystack, metadata_line) = METADATA_LINE.search(opening);
            for captures in metadata_line.captures_iter(&haystack) {
                if let Some(value) = captures.name("date") {
                    if let Some(date) = opening.get(value.range()).and_then(Date::parse_iso) {
                        return Some((date, value.start()));
                    }
                }
            }
            let (haystack, full_date_regex) = FULL_DATE.search(opening);
            for captures in full_date_regex.captures_iter(&haystack) {
                if let (Some(date), Some(whole)) = (full_date(&captures, opening), captures.get(0))
                {
                    return Some((date, whole.start()));
                }
            }
            None
        }

        pub fn ascii_stand_in(text: &str) -> Option<String> {
            let mut stand_in = String::with_capacity(text.len());
            for character in text.chars() {
                if character.is_ascii() {
                    stand_in.push(character);
                    continue;
                }
                if character.is_numeric() {
                    return None;
                }
                let is_word = regex_syntax::try_is_word_character(character).ok()?;
                let replacement = if is_word { '_' } else { '~' };
                stand_in.extend(std::iter::repeat_n(replacement, character.len_utf8()));
            }
            Some(stand_in)
        }
    }

    fn assert_opening_date_agrees(text: &str) {
        let found = metadata_line_date(opening_lines(text))
            .or_else(|| first_full_date(opening_lines(text)));
        assert_eq!(found, reference::opening_date(text), "{text:?}");
    }

    proptest::proptest! {
        #[test]
        fn the_opening_date_agrees_with_the_search_over_the_whole_opening(
            text in "([a-z ,.\\-]|(1|15|31)(st|th)? |September |Sept\\. |May |2017|2022-09-15|2022-02-31|\n|\n\n| \t|[Dd]ate:? |DATE=|T|[éж’—\u{a0}]|[٣२]){0,60}",
        ) {
            assert_opening_date_agrees(&text);
        }

        #[test]
        fn the_ascii_stand_in_is_the_character_by_character_one(
            text in "([a-z0-9 .]|[éÉж_’—\u{0301}\u{a0}\u{10348}]|[٣२]){0,60}",
        ) {
            proptest::prop_assert_eq!(
                ascii_stand_in(&text).map(|stand_in| stand_in.into_owned()),
                reference::ascii_stand_in(&text)
            );
        }

        #[test]
        fn lines_are_split_as_split_inclusive_splits_them(text in "([a-z ]|\n|é){0,40}") {
            let mut offset = 0;
            let expected: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .map(|line| {
                    offset += line.len();
                    (offset - line.len(), line)
                })
                .collect();
            proptest::prop_assert_eq!(lines_with_offsets(&text).collect::<Vec<_>>(), expected);
        }

        #[test]
        fn four_digits_in_a_row_are_found_wherever_they_are(text in "([a-z ]|[0-9]|[0-9][0-9][0-9]|é|\u{b9}){0,60}") {
            let expected = text.as_bytes().windows(4).any(|window| window.iter().all(u8::is_ascii_digit));
            proptest::prop_assert_eq!(has_four_digits_in_a_row(text.as_bytes()), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn four_digit_windows_span_every_four_digits_in_a_row(text in "([a-z ]|[0-9]|[0-9][0-9][0-9]|é){0,60}") {
            let bytes = text.as_bytes();
            let fours: Vec<usize> = (0..bytes.len().saturating_sub(3))
                .filter(|start| bytes[*start..start + 4].iter().all(u8::is_ascii_digit))
                .collect();
            let expected = fours.first().zip(fours.last()).map(|(first, last)| *first..last + 4);
            proptest::prop_assert_eq!(four_digit_windows(bytes), expected);
        }
    }

    /// Asserts that reading dates from the matches alone finds what the
    /// capture groups found, in every sentence-sized piece of `text`.
    fn assert_dates_agree_with_the_captures(text: &str) {
        let Some(stand_in) = ascii_stand_in(text) else {
            return;
        };
        assert_eq!(
            dates_in_stand_in(text, &stand_in, 7),
            dates_by_captures(text, &stand_in, (FULL_DATE.ascii(), MONTH_YEAR.ascii()), 7),
            "{text:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn dates_read_from_the_matches_agree_with_the_capture_groups(
            text in "([a-z ,.\\-]|[0-9]{1,5}|(1|5|15|31|29|00)(st|nd|rd|th|ST|x)?,? |(September|Sept\\.|Sep|May|Jan\\.|Feb|Dec)(\\.|,)? |2017|2024|0000|2022-09-15|2022-02-31|2024-02-29|[éж’—\u{a0}]){0,40}",
        ) {
            assert_dates_agree_with_the_captures(&text);
        }
    }

    #[test]
    fn dates_read_from_the_matches_agree_with_the_capture_groups_in_the_corpus() {
        let adversarial = [
            "On 1st May, 2017 and 22nd Sept. 2019 and 3rd Dec, 2020 and 4th Jan. 2021",
            "September 15th, 2022, Sept. 5, 2019, Dec. 31st 2020, May 1 2024 and May 2024",
            "2022-09-15 2022-02-31 2024-02-29 2023-02-29 0000-01-01 31 February 2022",
            "in 15 September 2022x, x15 September 2022, é15 September 2022, —15 Sep 2022",
            "April 2019 April 20190 May 0000 15 May 9999 Nov. 2020 Jun 2021 Sept 2021",
        ];
        for text in crate::test_texts::corpus()
            .iter()
            .map(String::as_str)
            .chain(adversarial)
        {
            assert_dates_agree_with_the_captures(text);
            for line in text.lines() {
                assert_dates_agree_with_the_captures(line);
            }
        }
    }

    #[test]
    fn the_opening_date_agrees_with_the_search_over_the_whole_opening_on_the_corpus() {
        let long_line = format!("{} 15 September 2022", "word ".repeat(700));
        let many_lines = format!("{}On 22 July 2024 it happened.", "Line.\n".repeat(9));
        let adversarial = [
            "31 February 2022 then 2022-09-15",
            "x15 September 2022\n15 September 2022",
            "Title\n  DaTe = '2024-06-28T10:00\n",
            "date 2024-13-40\nDate: 2024-06-28",
            "Date ٢٠٢٤-06-28\n١ May 2017, 3 May 2017",
            long_line.as_str(),
            many_lines.as_str(),
        ];
        for text in crate::test_texts::corpus()
            .iter()
            .map(String::as_str)
            .chain(adversarial)
        {
            assert_opening_date_agrees(text);
        }
    }

    #[test]
    fn no_letter_of_date_folds_to_a_non_ascii_one() {
        // The metadata line's pre-check compares "date" in ASCII only.
        let folding = Regex::new("(?i)^[date]$").unwrap();
        let folding_letters: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|character| folding.is_match(character.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding_letters, []);
    }

    fn dated(text: &str) -> DocumentDate {
        let document = Document::new(text.to_owned(), Format::Text);
        document_date(&document, None, date("2026-01-01"))
    }

    /// Asserts that `pattern` finds the same matches, with the same groups
    /// at the same offsets, in `text` and in its [`ascii_stand_in`].
    pub(crate) fn assert_stand_in_finds_the_same(pattern: &StandInRegex, text: &str) {
        let Some(stand_in) = ascii_stand_in(text) else {
            assert!(text.chars().any(|c| !c.is_ascii() && c.is_numeric()));
            return;
        };
        assert_eq!(stand_in.len(), text.len());
        let groups = |regex: &Regex, haystack: &str| -> Vec<Vec<Option<Range<usize>>>> {
            regex
                .captures_iter(haystack)
                .map(|captures| {
                    captures
                        .iter()
                        .map(|group| group.map(|group| group.range()))
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            groups(pattern.ascii(), &stand_in),
            groups(pattern.unicode(), text),
            "{text:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_stand_in_finds_the_same_dates(
            text in "([a-z0-9 ,.\\-]|(1|15|31)(st|th)? |September|Sept\\.|May|Jan|2017|2022-09-15|\n|[Dd]ate:? |T|[éÉж_’—\\u{0301}\\u{a0}]|[٣२]){0,40}",
        ) {
            assert_stand_in_finds_the_same(&FULL_DATE, &text);
            assert_stand_in_finds_the_same(&MONTH_YEAR, &text);
            assert_stand_in_finds_the_same(&METADATA_LINE, &text);
        }
    }

    #[test]
    fn the_ascii_stand_in_finds_the_same_dates_in_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_stand_in_finds_the_same(&FULL_DATE, &text);
            assert_stand_in_finds_the_same(&MONTH_YEAR, &text);
            assert_stand_in_finds_the_same(&METADATA_LINE, &text);
        }
    }

    #[test]
    fn the_ascii_stand_in_keeps_word_classes_and_refuses_foreign_digits() {
        assert_eq!(
            ascii_stand_in("é 15 — May").as_deref(),
            Some("__ 15 ~~~ May")
        );
        assert_eq!(ascii_stand_in("in ٢٠١٧"), None);
        // A word character before the day still hides its word boundary,
        // leaving only the month and year.
        let named = |text: &str| -> Vec<String> {
            sentence_dates(text, 0..text.len())
                .into_iter()
                .map(|named| named.text)
                .collect()
        };
        assert_eq!(named("x15 September 2022"), ["September 2022"]);
        assert_eq!(named("é15 September 2022"), ["September 2022"]);
        assert_eq!(named("—15 September 2022"), ["15 September 2022"]);
    }

    #[test]
    fn finds_the_document_date_in_each_news_form() {
        let cases = [
            (
                " date 2024-06-28 OSCE High Commissioner met",
                "2024-06-28",
                DateOrigin::MetadataLine { line: 1 },
            ),
            (
                "Title\nDate: 2024-06-28\nText",
                "2024-06-28",
                DateOrigin::MetadataLine { line: 2 },
            ),
            (
                "Exploring Prospects\n15 September 2022\nDr. Salim",
                "2022-09-15",
                DateOrigin::OpeningLine { line: 2 },
            ),
            (
                "Skip to Content\n\nSunday, November 29th, 2020\n",
                "2020-11-29",
                DateOrigin::OpeningLine { line: 3 },
            ),
            (
                "Geneva, September 15, 2022 - text",
                "2022-09-15",
                DateOrigin::OpeningLine { line: 1 },
            ),
            (
                "Posted 2024-06-28 by the desk",
                "2024-06-28",
                DateOrigin::OpeningLine { line: 1 },
            ),
            (
                "On 22 July 2024, the meeting",
                "2024-07-22",
                DateOrigin::OpeningLine { line: 1 },
            ),
            (
                "Sept. 5, 2019: the city",
                "2019-09-05",
                DateOrigin::OpeningLine { line: 1 },
            ),
        ];
        for (text, expected, origin) in cases {
            let found = dated(text);
            assert_eq!(found.date, date(expected), "{text}");
            assert_eq!(found.origin, origin, "{text}");
        }
    }

    #[test]
    fn without_a_date_the_document_is_judged_today_and_says_so() {
        let found = dated("UNITED NATIONS, Jul 24 (APP): A senior official said.");
        assert_eq!(found.origin, DateOrigin::Today);
        assert_eq!(found.date, date("2026-01-01"));
        assert!(found.note().contains("today's date, 2026-01-01"));
        // An impossible date is no date.
        assert_eq!(dated("On 31 February 2022").origin, DateOrigin::Today);
    }

    #[test]
    fn a_date_deep_in_the_text_is_not_the_document_date() {
        let text = format!(
            "{}On 22 July 2024 it happened.",
            "Line of text.\n".repeat(20)
        );
        assert_eq!(dated(&text).origin, DateOrigin::Today);
    }

    #[test]
    fn the_command_line_wins() {
        let document = Document::new("15 September 2022".to_owned(), Format::Text);
        let found = document_date(&document, Some(date("2020-01-01")), date("2026-01-01"));
        assert_eq!(found.origin, DateOrigin::CommandLine);
        assert_eq!(
            found.note(),
            "judged at 2020-01-01, the date given with --date"
        );
    }

    #[test]
    fn a_sentence_names_a_month_or_a_day() {
        let text = "the first Summit on Science and Technology in Astana in September 2017.";
        let named = sentence_date(text, 0..text.len(), text.find("Astana").unwrap()).unwrap();
        assert_eq!(named.text, "September 2017");
        assert_eq!(named.period.from, Some(date("2017-09-01")));
        assert_eq!(named.period.until, Some(date("2017-10-01")));

        let text = "which will be the 12th round in April 2019 in Astana.";
        let named = sentence_date(text, 0..text.len(), text.find("Astana").unwrap()).unwrap();
        assert_eq!(named.text, "April 2019");

        let text =
            "The meeting took place on Thursday, September 15, 2022, in the city of Nur-Sultan.";
        let named = sentence_date(text, 0..text.len(), text.find("Nur-Sultan").unwrap()).unwrap();
        assert_eq!(named.period.from, Some(date("2022-09-15")));

        assert!(sentence_date("No date in 12 rounds here.", 0..26, 0).is_none());
    }

    #[test]
    fn the_closest_named_date_wins() {
        let text = "In March 2019 he said the round in April 2019 would be held in Astana.";
        let named = sentence_date(text, 0..text.len(), text.find("Astana").unwrap()).unwrap();
        assert_eq!(named.text, "April 2019");
    }
}
