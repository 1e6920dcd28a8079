//! Byte offsets to 1-based lines and character columns.

use std::cell::Cell;
use std::ops::Range;

/// The start of every line of a text, for binary search.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last position computed (offset, 0-based line, column): reporters
    /// ask in increasing order, so counting characters from there instead of
    /// from the start of the line keeps a file that is one enormous line
    /// linear rather than quadratic.
    last: Cell<(usize, usize, usize)>,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text).map(|offset| offset + 1));
        LineIndex {
            starts,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The bytes of a 0-based line, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.line_of(offset);
        let (last_offset, last_line, last_column) = self.last.get();
        let line_start = self.starts[line];
        let count =
            |range: Range<usize>| text.get(range).map_or(0, |between| between.chars().count());
        // Count from whichever known point is nearest: the line start, or
        // the last position (forwards, or backwards for the overlapping
        // spans of two findings at one name).
        let column = if last_line != line {
            count(line_start..offset) + 1
        } else if last_offset <= offset {
            count(last_offset..offset) + last_column
        } else if last_offset - offset < offset - line_start {
            last_column - count(offset..last_offset)
        } else {
            count(line_start..offset) + 1
        };
        if text.is_char_boundary(offset.min(text.len())) {
            self.last.set((offset, line, column));
        }
        Position {
            line: line + 1,
            column,
        }
    }

    /// The 1-based column of `offset` counted in bytes, as reviewdog counts.
    pub fn byte_column(&self, offset: usize) -> usize {
        offset - self.starts[self.line_of(offset)] + 1
    }
}

/// Where an offset is, found by walking the text from where the last offset
/// asked was: a reporter that asks in increasing order (findings sorted by
/// offset) reads the text up to its last finding once, counting line breaks
/// a vector at a time, and builds no index of every line of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineWalk {
    offset: usize,
    /// 0-based.
    line: usize,
    line_start: usize,
    /// 1-based, counted in characters from `line_start`.
    column: usize,
}

impl LineWalk {
    /// The walk at the start of the text.
    pub fn at_start() -> LineWalk {
        LineWalk {
            offset: 0,
            line: 0,
            line_start: 0,
            column: 1,
        }
    }

    /// The walk moved on to `offset`, a character boundary of `text`;
    /// moving back starts again from the start of the text.
    pub fn to(self, text: &str, offset: usize) -> LineWalk {
        let from = if offset < self.offset {
            LineWalk::at_start()
        } else {
            self
        };
        let passed = text.get(from.offset..offset).unwrap_or_default();
        let line_breaks = memchr::memchr_iter(b'\n', passed.as_bytes()).count();
        if line_breaks == 0 {
            return LineWalk {
                offset,
                column: from.column + passed.chars().count(),
                ..from
            };
        }
        let line_start = memchr::memrchr(b'\n', passed.as_bytes())
            .map_or(from.line_start, |line_break| from.offset + line_break + 1);
        LineWalk {
            offset,
            line: from.line + line_breaks,
            line_start,
            column: 1 + text
                .get(line_start..offset)
                .map_or(0, |line| line.chars().count()),
        }
    }

    pub fn position(&self) -> Position {
        Position {
            line: self.line + 1,
            column: self.column,
        }
    }

    /// The walk at each of `offsets`, character boundaries of `text`: what
    /// walking to each in turn gives. Increasing offsets (findings in
    /// order) are walked to side by side, a stretch between two a piece of
    /// work: a serial walk over the 100 MB of a large file held up the
    /// rendering of all its parts.
    pub fn to_each(text: &str, offsets: &[usize]) -> Vec<LineWalk> {
        use rayon::prelude::*;

        if !offsets.is_sorted() {
            let mut walk = LineWalk::at_start();
            return offsets
                .iter()
                .map(|offset| {
                    walk = walk.to(text, *offset);
                    walk
                })
                .collect();
        }

        // Each stretch is walked as if it started a line of its own, then
        // put after the walk to its start.
        let stretches: Vec<LineWalk> = (0..offsets.len())
            .into_par_iter()
            .with_max_len(1)
            .map(|index| {
                let from = index.checked_sub(1).map_or(0, |before| offsets[before]);
                LineWalk {
                    offset: from,
                    line: 0,
                    line_start: from,
                    column: 1,
                }
                .to(text, offsets[index])
            })
            .collect();
        let mut walk = LineWalk::at_start();
        stretches
            .into_iter()
            .map(|stretch| {
                walk = walk.followed_by(stretch);
                walk
            })
            .collect()
    }

    /// This walk, then `stretch`, a walk from this one's offset that
    /// counted as if a line started there.
    fn followed_by(self, stretch: LineWalk) -> LineWalk {
        if stretch.line == 0 {
            LineWalk {
                offset: stretch.offset,
                column: self.column + stretch.column - 1,
                ..self
            }
        } else {
            LineWalk {
                offset: stretch.offset,
                line: self.line + stretch.line,
                ..stretch
            }
        }
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    // The memchr crate's search is vectorised; `str::match_indices` with a
    // char searches a word at a time.
    memchr::memchr_iter(b'\n', text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_asked_in_any_order_agree_with_counting_from_the_line_start() {
        let text = "ab Астана cd\nНур-Султан x y z";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|offset| text.is_char_boundary(*offset))
            .collect();
        let expected: Vec<Position> = offsets
            .iter()
            .map(|offset| LineIndex::new(text).position(text, *offset))
            .collect();
        let forward: Vec<Position> = offsets
            .iter()
            .map(|offset| index.position(text, *offset))
            .collect();
        assert_eq!(forward, expected);
        let backward: Vec<Position> = offsets
            .iter()
            .rev()
            .map(|offset| index.position(text, *offset))
            .collect();
        assert_eq!(backward.into_iter().rev().collect::<Vec<_>>(), expected);
        // Back and forth, as the overlapping spans of two findings ask.
        let mut state = 7usize;
        for _ in 0..200 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 65_536;
            let pick = state % offsets.len();
            assert_eq!(index.position(text, offsets[pick]), expected[pick]);
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "Астана\nKazakhstan’s Astana\r\nend";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        let astana = text.rfind("Astana").unwrap();
        assert_eq!(
            index.position(text, astana),
            Position {
                line: 2,
                column: 14
            }
        );
        assert_eq!(&text[index.line_range(text, 1)], "Kazakhstan’s Astana");
        assert_eq!(
            index.position(text, text.len()),
            Position { line: 3, column: 4 }
        );
    }

    proptest::proptest! {
        #[test]
        fn walks_to_each_offset_side_by_side_agree_with_one_walk(
            text in "[aб\n’ ]{0,200}",
            picks in proptest::collection::vec(0usize..1000, 0..12),
            sorted in proptest::bool::weighted(0.8),
        ) {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|offset| text.is_char_boundary(*offset))
                .collect();
            let mut offsets: Vec<usize> = picks
                .iter()
                .map(|pick| boundaries[pick % boundaries.len()])
                .collect();
            if sorted {
                offsets.sort_unstable();
            }
            let mut walk = LineWalk::at_start();
            let one_walk: Vec<LineWalk> = offsets
                .iter()
                .map(|offset| {
                    walk = walk.to(&text, *offset);
                    walk
                })
                .collect();
            proptest::prop_assert_eq!(LineWalk::to_each(&text, &offsets), one_walk);
        }
    }

    #[test]
    fn a_walk_agrees_with_the_index_forwards_and_after_going_back() {
        let text = "ab Астана cd\nНур-Султан x\r\n\n\ny z ’\nlast";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|offset| text.is_char_boundary(*offset))
            .collect();
        let mut walk = LineWalk::at_start();
        for offset in &offsets {
            walk = walk.to(text, *offset);
            assert_eq!(walk.position(), index.position(text, *offset), "{offset}");
        }
        // Steps of every length from every start, and steps back.
        for from in &offsets {
            for to in &offsets {
                let walked = LineWalk::at_start().to(text, *from).to(text, *to);
                assert_eq!(walked.position(), index.position(text, *to));
            }
        }
    }
}
