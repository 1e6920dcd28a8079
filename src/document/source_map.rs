//! Offsets in the linted text back to offsets in the file.
//!
//! For plain text and Markdown the linted text has the file's exact byte
//! layout (markup is blanked with spaces), so no map is needed. HTML is
//! linted as its decoded text content, where `&amp;` is one byte standing for
//! five; a [`SourceMap`] takes every reported offset back to the file.

/// A run of the linted text and the run of the file it came from. In an
/// identity segment both have the same length; a decoded entity is a
/// segment whose lengths differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub text_start: usize,
    pub text_length: usize,
    pub source_start: usize,
    pub source_length: usize,
}

/// Segments sorted by `text_start`, covering the linted text without gaps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// Builds a map; segments must be given in text order.
    pub fn new(segments: Vec<Segment>) -> SourceMap {
        SourceMap { segments }
    }

    fn segment(&self, text_offset: usize) -> Option<&Segment> {
        let index = self
            .segments
            .partition_point(|segment| segment.text_start <= text_offset);
        self.segments.get(index.checked_sub(1)?)
    }

    /// The file offset where the text at `text_offset` starts.
    pub fn start(&self, text_offset: usize) -> usize {
        match self.segment(text_offset) {
            Some(segment) if segment.text_length == segment.source_length => {
                segment.source_start + (text_offset - segment.text_start)
            }
            Some(segment) if text_offset == segment.text_start => segment.source_start,
            Some(segment) => segment.source_start + segment.source_length,
            None => text_offset,
        }
    }

    /// The file offset where text ending at `text_offset` (exclusive) ends.
    pub fn end(&self, text_offset: usize) -> usize {
        if text_offset == 0 {
            return self.start(0);
        }
        match self.segment(text_offset - 1) {
            Some(segment) if segment.text_length == segment.source_length => {
                segment.source_start + (text_offset - segment.text_start)
            }
            Some(segment) => segment.source_start + segment.source_length,
            None => text_offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_a_decoded_entity() {
        // Source: "A &amp; B"  Text: "A & B"
        let map = SourceMap::new(vec![
            Segment {
                text_start: 0,
                text_length: 2,
                source_start: 0,
                source_length: 2,
            },
            Segment {
                text_start: 2,
                text_length: 1,
                source_start: 2,
                source_length: 5,
            },
            Segment {
                text_start: 3,
                text_length: 2,
                source_start: 7,
                source_length: 2,
            },
        ]);
        assert_eq!(map.start(0), 0);
        assert_eq!(map.start(2), 2);
        assert_eq!(map.end(3), 7);
        assert_eq!(map.start(4), 8);
        assert_eq!(map.end(5), 9);
    }
}
