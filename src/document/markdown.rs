//! Markdown: the prose of a file, in the file's own byte layout.
//!
//! The linted text is the file with every byte that is not prose replaced by
//! a space (line breaks kept): code blocks, inline code, link destinations,
//! autolinks, HTML tags and comments, front matter and markup characters
//! (`#`, `*`, `>`, `|`, brackets). Offsets in the text are offsets in the
//! file, so a suggestion's span is exactly the bytes it replaces. Headings,
//! paragraphs, lists, tables, block quotes, footnotes, link text, image alt
//! text and the text inside HTML blocks are prose.
//!
//! One exception: emphasis markers between two pieces of prose ("Kairat
//! **Abdrakhmanov**", "Abdu*rahmanov*") are left out of the text rather than
//! blanked, so the name reads as it renders; a [`SourceMap`] then takes
//! offsets back to the file, and a finding across the markup is not fixed
//! automatically (replacing it would drop the markup).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::html::{self, Comment};
use super::{DeclaredDate, Segment, SourceMap};

#[derive(Debug)]
pub struct Parsed {
    pub text: String,
    /// Only when emphasis markers were left out of the text.
    pub source_map: Option<SourceMap>,
    pub declared_date: Option<DeclaredDate>,
    /// HTML comments outside code, where suppression directives live.
    pub comments: Vec<Comment>,
}

pub fn parse(source: &str) -> Parsed {
    let front_matter = front_matter(source);
    // Front matter is found here, at the very top only, rather than by
    // pulldown-cmark's metadata-block option: that option also takes any
    // `---` line followed by text and a later `---` line in the middle of a
    // document for metadata, which would hide whole paragraphs from the
    // linter.
    let body_start = front_matter.as_ref().map_or(0, |front| front.span.end);
    let declared_date = front_matter
        .as_ref()
        .and_then(|front| front_matter_date(source, front));

    let mut prose: Vec<Range<usize>> = Vec::new();
    let mut comments = Vec::new();
    let mut code_blocks = 0usize;
    let mut html_blocks = 0usize;
    // For each open link or image: whether its text is a URL (an autolink).
    let mut links: Vec<bool> = Vec::new();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let body = &source[body_start..];
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_blocks += 1,
            Event::End(TagEnd::CodeBlock) => code_blocks = code_blocks.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => {
                // The whole block at once: a tag may span its lines.
                html_blocks += 1;
                let fragment = html::fragment(source, range);
                prose.extend(fragment.text);
                comments.extend(fragment.comments);
            }
            Event::End(TagEnd::HtmlBlock) => html_blocks = html_blocks.saturating_sub(1),
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(matches!(link_type, LinkType::Autolink | LinkType::Email));
            }
            Event::Start(Tag::Image { .. }) => links.push(false),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                links.pop();
            }
            Event::Html(_) | Event::InlineHtml(_) if html_blocks == 0 => {
                comments.extend(html::fragment(source, range).comments);
            }
            Event::Text(_) => {
                let in_autolink = links.last().copied().unwrap_or(false);
                if code_blocks == 0 && html_blocks == 0 && !in_autolink {
                    prose.push(range);
                }
            }
            _ => {}
        }
    }
    let blanked = blank_all_but(source, &mut prose);
    let (text, source_map) = without_emphasis_markers(source, blanked, &prose);
    Parsed {
        text,
        source_map,
        declared_date,
        comments,
    }
}

/// `blanked` without the emphasis markers that sit between two pieces of
/// `prose` (sorted) on one line, and the map back to the file; `blanked`
/// itself when there are none.
fn without_emphasis_markers(
    source: &str,
    blanked: String,
    prose: &[Range<usize>],
) -> (String, Option<SourceMap>) {
    let markers: Vec<Range<usize>> = prose
        .windows(2)
        .map(|pair| pair[0].end..pair[1].start)
        .filter(|gap| {
            source.get(gap.clone()).is_some_and(|between| {
                !between.is_empty()
                    && between
                        .bytes()
                        .all(|byte| matches!(byte, b'*' | b'_' | b'~'))
            })
        })
        .collect();
    if markers.is_empty() {
        return (blanked, None);
    }
    let mut text = String::with_capacity(blanked.len());
    let mut segments = Vec::with_capacity(markers.len() * 2 + 1);
    // Kept runs (identity segments) alternate with the markers left out
    // (segments with no text).
    let mut copied = 0;
    let kept_runs = markers
        .iter()
        .map(|marker| marker.start)
        .chain(std::iter::once(blanked.len()));
    for (run_end, marker) in kept_runs.zip(markers.iter().map(Some).chain([None])) {
        segments.push(Segment {
            text_start: text.len(),
            text_length: run_end - copied,
            source_start: copied,
            source_length: run_end - copied,
        });
        // Marker bytes are ASCII, so every cut is a character boundary.
        text.push_str(blanked.get(copied..run_end).unwrap_or_default());
        if let Some(marker) = marker {
            segments.push(Segment {
                text_start: text.len(),
                text_length: 0,
                source_start: marker.start,
                source_length: marker.len(),
            });
            copied = marker.end;
        }
    }
    (text, Some(SourceMap::new(segments)))
}

/// `source` with every character outside `keep` replaced by spaces (as many
/// as its UTF-8 length), line breaks kept.
pub fn blank_all_but(source: &str, keep: &mut [Range<usize>]) -> String {
    keep.sort_by_key(|range| range.start);
    // Byte by byte: a multi-byte character becomes as many spaces as it has
    // bytes, and no byte of one is a line break.
    let mut bytes: Vec<u8> = source
        .bytes()
        .map(|byte| {
            if byte == b'\n' || byte == b'\r' {
                byte
            } else {
                b' '
            }
        })
        .collect();
    for range in keep.iter() {
        if let (Some(target), Some(original)) = (
            bytes.get_mut(range.clone()),
            source.as_bytes().get(range.clone()),
        ) {
            target.copy_from_slice(original);
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| blank_by_character(source, keep))
}

/// The same, character by character: only reached if a range to keep
/// splits a character, which pulldown-cmark's ranges never do.
fn blank_by_character(source: &str, keep: &[Range<usize>]) -> String {
    source
        .char_indices()
        .map(|(offset, character)| {
            let kept = keep.iter().any(|range| range.contains(&offset));
            if kept || character == '\n' || character == '\r' {
                character.to_string()
            } else {
                " ".repeat(character.len_utf8())
            }
        })
        .collect()
}

/// YAML (`---`) or TOML (`+++`) front matter at the top of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FrontMatter {
    /// From the opening fence through the closing fence's line break.
    span: Range<usize>,
    /// The lines between the fences.
    body: Range<usize>,
    is_toml: bool,
}

fn front_matter(source: &str) -> Option<FrontMatter> {
    let start = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
    let rest = &source[start..];
    let (fence, is_toml) = if rest.starts_with("---") {
        ("---", false)
    } else if rest.starts_with("+++") {
        ("+++", true)
    } else {
        return None;
    };
    let mut lines = lines_with_offsets(source, start);
    let (_, opening) = lines.next()?;
    if opening.trim_end() != fence || !opening.ends_with('\n') {
        return None;
    }
    let body_start = start + opening.len();
    for (offset, line) in lines {
        let content = line.trim_end();
        if content == fence || (!is_toml && content == "...") {
            return Some(FrontMatter {
                span: start..offset + line.len(),
                body: body_start..offset,
                is_toml,
            });
        }
    }
    None
}

/// Lines of `source[from..]`, each with its offset and its line break.
fn lines_with_offsets(source: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    source[from..]
        .split_inclusive('\n')
        .scan(from, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
}

/// Keys that date a page, in order of preference (`date` is Jekyll's and
/// Hugo's; the others are common in other generators).
const DATE_KEYS: &[&str] = &[
    "date",
    "publishDate",
    "pubDate",
    "published",
    "published_at",
];

fn front_matter_date(source: &str, front: &FrontMatter) -> Option<DeclaredDate> {
    let separator = if front.is_toml { '=' } else { ':' };
    let mut found: Vec<(usize, DeclaredDate)> = Vec::new();
    for (offset, line) in lines_with_offsets(&source[..front.body.end], front.body.start) {
        // Only top-level keys: an indented `date:` belongs to a nested table.
        let Some((key, value)) = line.split_once(separator) else {
            continue;
        };
        let key = key.trim_end();
        let Some(rank) = DATE_KEYS.iter().position(|wanted| *wanted == key) else {
            continue;
        };
        let value_start = offset + line.len() - value.len();
        let value_text = value.trim();
        let leading = value.len() - value.trim_start().len();
        let unquoted = value_text.trim_start_matches(['"', '\'']);
        let quote = value_text.len() - unquoted.len();
        let start = value_start + leading + quote;
        let date = html::date_at(source, start..offset + line.len(), "front matter");
        if let Some(date) = date {
            found.push((rank, date));
        }
    }
    found
        .into_iter()
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, date)| date)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of the linted text.
    fn words(source: &str) -> Vec<String> {
        let parsed = parse(source);
        if parsed.source_map.is_none() {
            assert_eq!(parsed.text.len(), source.len(), "layout kept");
        }
        parsed.text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn emphasis_inside_a_name_is_left_out_and_mapped_back() {
        let source = "Kairat **Abdrakhmanov** and Abdu*rahmanov*, *whole* and **a** b.\n";
        let parsed = parse(source);
        assert_eq!(
            parsed.text,
            "Kairat Abdrakhmanov and Abdurahmanov, whole and a b.\n"
        );
        let map = parsed.source_map.expect("a map when markers are left out");
        let name = parsed.text.find("Kairat Abdrakhmanov").unwrap();
        let span = map.start(name)..map.end(name + "Kairat Abdrakhmanov".len());
        assert_eq!(&source[span], "Kairat **Abdrakhmanov");
        let joined = parsed.text.find("Abdurahmanov").unwrap();
        let span = map.start(joined)..map.end(joined + "Abdurahmanov".len());
        assert_eq!(&source[span], "Abdu*rahmanov");
        // Text after the last marker keeps its place relative to the file.
        let last = parsed.text.find("b.").unwrap();
        assert_eq!(&source[map.start(last)..map.end(last + 2)], "b.");
    }

    #[test]
    fn keeps_the_layout_and_only_prose() {
        let source = "# Heading *one*\n\nA [link text](https://example.org/Abdurahmanov \"title\") \
                      and `inline code` and <https://example.org/auto>.\n\n```\nfenced code\n```\n\n    \
                      indented code\n\n> quoted\n\n| a | b |\n|---|---|\n| cell | two |\n\n\
                      ![alt text](image.png)\n\n<!-- comment -->\n";
        let parsed = parse(source);
        // Only the marker between "Heading " and "one" is left out; the one
        // closing the line has no prose after it on the line and is blanked.
        assert_eq!(parsed.text.len(), source.len() - 1);
        assert_eq!(
            parsed.text.matches('\n').count(),
            source.matches('\n').count()
        );
        assert_eq!(
            words(source),
            [
                "Heading", "one", "A", "link", "text", "and", "and", ".", "quoted", "a", "b",
                "cell", "two", "alt", "text"
            ]
        );
        assert_eq!(parsed.comments.len(), 1);
        // Prose is at its file offset, less the marker left out before it.
        let at = source.find("quoted").unwrap();
        assert_eq!(&parsed.text[at - 1..at + 5], "quoted");
    }

    #[test]
    fn a_range_splitting_a_character_still_gives_valid_text() {
        let source = "aé b";
        let mut keep = vec![0..2, 4..4];
        let text = blank_all_but(source, &mut keep);
        assert_eq!(text, "aé  ");
    }

    #[test]
    fn multi_byte_characters_keep_their_byte_length() {
        let source = "`Астана` “Türkiye — Астана” `é`\n";
        let parsed = parse(source);
        assert_eq!(parsed.text.len(), source.len());
        let at = source.find("Türkiye").unwrap();
        assert_eq!(&parsed.text[at..at + "Türkiye".len()], "Türkiye");
        assert!(parsed.text.starts_with("              "));
    }

    #[test]
    fn text_inside_html_blocks_is_prose_but_tags_and_comments_are_not() {
        let source = "<div class=\"Abdurahmanov\">\nKhalid <b>Khiari</b> <!-- x -->\n</div>\n\n\
                      Text <span title=\"Al-Dubaie\">here</span>.\n";
        assert_eq!(words(source), ["Khalid", "Khiari", "Text", "here", "."]);
        assert_eq!(parse(source).comments.len(), 1);
    }

    #[test]
    fn front_matter_is_blanked_and_dates_the_document() {
        let source = "---\ntitle: Abdurahmanov in Astana\ndate: 2024-06-28T10:00:00Z\n---\nBody\n";
        let parsed = parse(source);
        assert_eq!(words(source), ["Body"]);
        let date = parsed.declared_date.unwrap();
        assert_eq!(date.date.to_string(), "2024-06-28");
        assert_eq!(date.origin, "front matter");
        assert_eq!(
            &source[date.source_offset..date.source_offset + 10],
            "2024-06-28"
        );

        let toml = "+++\ntitle = \"x\"\ndate = \"2022-09-15\"\n+++\nBody\n";
        let date = parse(toml).declared_date.unwrap();
        assert_eq!(date.date.to_string(), "2022-09-15");
        assert_eq!(
            &toml[date.source_offset..date.source_offset + 10],
            "2022-09-15"
        );

        let quoted = "---\npublishDate: '2020-01-01'\ndate: \"2020-11-29 10:00\"\n---\n";
        let date = parse(quoted).declared_date.unwrap();
        assert_eq!(date.date.to_string(), "2020-11-29");
    }

    #[test]
    fn dashes_later_in_the_document_are_not_front_matter() {
        let source = "Intro\n\n---\nKhalid Khiari spoke.\n\n---\n";
        assert_eq!(words(source), ["Intro", "Khalid", "Khiari", "spoke."]);
        let unclosed = "---\ntitle: x\n\nNo closing fence.\n";
        assert!(parse(unclosed).declared_date.is_none());
        assert!(words(unclosed).contains(&"closing".to_owned()));
        assert!(parse("---\ndate: not a date\n---\n")
            .declared_date
            .is_none());
        assert!(parse("---").declared_date.is_none());
    }

    #[test]
    fn comments_in_code_are_not_directives() {
        let source = "```html\n<!-- factlint-disable -->\n```\n\nText <!-- inline --> more\n";
        let parsed = parse(source);
        assert_eq!(parsed.comments.len(), 1);
        assert_eq!(&source[parsed.comments[0].span.clone()], "<!-- inline -->");
    }
}
