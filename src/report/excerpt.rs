//! Source snippets that stay readable on prose.
//!
//! An article often keeps a whole paragraph on one line of a thousand
//! characters; printed whole under every finding, it buries the underline.
//! An [`Excerpt`] keeps only a window of each long line around the spans a
//! diagnostic labels, marked with ellipses, while line and column numbers
//! stay those of the real file.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use super::lines::LineIndex;

/// Lines up to this many characters are shown whole.
const SHORT_LINE: usize = 120;
/// Characters of context kept on each side of a span in a long line.
const CONTEXT: usize = 50;
const ELLIPSIS: &str = "…";

struct ExcerptLine {
    /// Bytes of this line in the excerpt's source, without the newline.
    range: Range<usize>,
    /// 1-based line number in the real file.
    line_number: usize,
    /// Where the window starts in the real file.
    window_start: usize,
    /// Bytes of ellipsis before the window in the excerpt.
    prefix_length: usize,
    /// Characters of the real line before the window.
    columns_before: usize,
}

/// A single-file codespan source made of windows onto the real lines.
pub struct Excerpt<'a> {
    name: &'a str,
    source: String,
    lines: Vec<ExcerptLine>,
}

impl<'a> Excerpt<'a> {
    /// Builds an excerpt of `text` showing `spans` (byte ranges of the real
    /// file) with context.
    pub fn new(
        name: &'a str,
        text: &str,
        index: &LineIndex,
        spans: &[Range<usize>],
    ) -> Excerpt<'a> {
        // Group the spans by line; a span running over several lines shows
        // each of those lines whole.
        let mut windows: Vec<(usize, Range<usize>)> = Vec::new();
        for span in spans {
            let first = index.line_of(span.start);
            let last = index.line_of(span.end.saturating_sub(1).max(span.start));
            for line in first..=last {
                let line_range = index.line_range(text, line);
                let wanted = if first == last {
                    span.start.max(line_range.start)..span.end.min(line_range.end)
                } else {
                    line_range.clone()
                };
                match windows.iter_mut().find(|(existing, _)| *existing == line) {
                    Some((_, window)) => {
                        window.start = window.start.min(wanted.start);
                        window.end = window.end.max(wanted.end);
                    }
                    None => windows.push((line, wanted)),
                }
            }
        }
        windows.sort_by_key(|(line, _)| *line);

        let mut source = String::new();
        let mut lines = Vec::with_capacity(windows.len());
        for (line, wanted) in windows {
            let line_range = index.line_range(text, line);
            let line_text = &text[line_range.clone()];
            let window = if line_text.chars().count() <= SHORT_LINE {
                line_range.clone()
            } else {
                widen(text, wanted, &line_range)
            };
            if !source.is_empty() {
                source.push('\n');
            }
            let start = source.len();
            let mut prefix_length = 0;
            if window.start > line_range.start {
                source.push_str(ELLIPSIS);
                prefix_length = ELLIPSIS.len();
            }
            source.push_str(&text[window.clone()]);
            if window.end < line_range.end {
                source.push_str(ELLIPSIS);
            }
            lines.push(ExcerptLine {
                range: start..source.len(),
                line_number: line + 1,
                window_start: window.start,
                prefix_length,
                columns_before: text[line_range.start..window.start].chars().count(),
            });
        }
        Excerpt {
            name,
            source,
            lines,
        }
    }

    /// Maps a byte range of the real file into this excerpt.
    pub fn map(&self, span: &Range<usize>) -> Range<usize> {
        self.map_offset(span.start)..self.map_offset(span.end).max(self.map_offset(span.start))
    }

    fn map_offset(&self, offset: usize) -> usize {
        let line = self
            .lines
            .iter()
            .rev()
            .find(|line| line.window_start <= offset)
            .or(self.lines.first());
        match line {
            Some(line) => {
                let mapped = line.range.start
                    + line.prefix_length
                    + offset.saturating_sub(line.window_start);
                mapped.min(line.range.end)
            }
            None => 0,
        }
    }

    fn line(&self, line_index: usize) -> Result<&ExcerptLine, Error> {
        self.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

/// Extends `wanted` by about [`CONTEXT`] characters each way within the line,
/// stopping at a space so words are not cut.
fn widen(text: &str, wanted: Range<usize>, line: &Range<usize>) -> Range<usize> {
    let before = &text[line.start..wanted.start];
    let mut start = wanted.start;
    for (taken, (offset, _)) in before.char_indices().rev().enumerate() {
        start = line.start + offset;
        if taken >= CONTEXT {
            break;
        }
    }
    if start > line.start {
        // Move forward to the start of the next word.
        if let Some(space) = text[start..wanted.start].find(' ') {
            start += space + 1;
        }
    }
    let after = &text[wanted.end..line.end];
    let mut end = wanted.end;
    for (taken, (offset, character)) in after.char_indices().enumerate() {
        end = wanted.end + offset + character.len_utf8();
        if taken >= CONTEXT {
            break;
        }
    }
    if end < line.end {
        if let Some(space) = text[wanted.end..end].rfind(' ') {
            end = wanted.end + space;
        }
    }
    start..end
}

impl<'files> Files<'files> for Excerpt<'_> {
    type FileId = ();
    type Name = &'files str;
    type Source = &'files str;

    fn name(&'files self, (): ()) -> Result<&'files str, Error> {
        Ok(self.name)
    }

    fn source(&'files self, (): ()) -> Result<&'files str, Error> {
        Ok(&self.source)
    }

    fn line_index(&'files self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .iter()
            .position(|line| byte_index <= line.range.end)
            .unwrap_or(self.lines.len().saturating_sub(1)))
    }

    fn line_number(&'files self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.line(line_index)?.line_number)
    }

    fn column_number(
        &'files self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.line(line_index)?;
        let window_offset = byte_index.saturating_sub(line.range.start + line.prefix_length);
        let shown = self
            .source
            .get(line.range.start + line.prefix_length..)
            .unwrap_or("");
        let columns = shown
            .char_indices()
            .take_while(|(offset, _)| *offset < window_offset)
            .count();
        Ok(line.columns_before + columns + 1)
    }

    fn line_range(&'files self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let line = self.line(line_index)?;
        // codespan expects the range to include the line break.
        let end = if line.range.end < self.source.len() {
            line.range.end + 1
        } else {
            line.range.end
        };
        Ok(line.range.start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_span_and_keep_real_columns() {
        let text = format!(
            "Title\n{}Abdurahmanov{}\n",
            "word ".repeat(40),
            " more".repeat(40)
        );
        let index = LineIndex::new(&text);
        let start = text.find("Abdurahmanov").unwrap();
        let span = start..start + "Abdurahmanov".len();
        let excerpt = Excerpt::new("a.txt", &text, &index, std::slice::from_ref(&span));
        let source = excerpt.source(()).unwrap();
        assert!(
            source.starts_with(ELLIPSIS) && source.ends_with(ELLIPSIS),
            "{source}"
        );
        assert!(source.chars().count() < 130, "{source}");
        let mapped = excerpt.map(&span);
        assert_eq!(&source[mapped.clone()], "Abdurahmanov");
        let location = excerpt.location((), mapped.start).unwrap();
        assert_eq!((location.line_number, location.column_number), (2, 201));
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "One line with Khalid Khiari in it.\nNext.";
        let index = LineIndex::new(text);
        let span = 14..27;
        let excerpt = Excerpt::new("a.txt", text, &index, std::slice::from_ref(&span));
        assert_eq!(
            excerpt.source(()).unwrap(),
            "One line with Khalid Khiari in it."
        );
        assert_eq!(excerpt.map(&span), span);
    }
}
