//! Suppression directives: the places where an editor has said "I know".
//!
//! Markdown and HTML use comments:
//!
//! ```text
//! <!-- factlint-disable-next-line name-variant -->
//! <!-- factlint-disable name-variant --> … <!-- factlint-enable name-variant -->
//! ```
//!
//! Plain text uses a line of its own, optionally after a comment marker:
//! `factlint: disable-next-line name-variant` (and `disable` / `enable`).
//!
//! Rule ids are optional (none means every rule) and may be listed, separated
//! by spaces or commas; anything after ` -- ` is a reason, for the reader.
//! All offsets here are offsets in the file.

use std::ops::Range;
use std::sync::LazyLock;

use super::html::Comment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    DisableNextLine,
    Disable,
    Enable,
}

impl DirectiveKind {
    /// The directive as written in Markdown and HTML comments.
    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::DisableNextLine => "factlint-disable-next-line",
            DirectiveKind::Disable => "factlint-disable",
            DirectiveKind::Enable => "factlint-enable",
        }
    }
}

/// One directive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The rule ids it names; empty for every rule.
    pub rules: Vec<String>,
    /// The comment or line that holds it.
    pub span: Range<usize>,
}

/// What one directive does for one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `None` for every rule.
    pub rule: Option<String>,
    pub kind: DirectiveKind,
    /// The file bytes where findings of `rule` are dropped: the next line, or
    /// the region up to the matching enable. Empty for an enable that closes
    /// nothing, which is then reported like a suppression that suppresses
    /// nothing.
    pub covers: Range<usize>,
    /// The directive, where an unused suppression is reported.
    pub directive: Range<usize>,
}

impl Suppression {
    /// Whether this suppression drops a finding of `rule` starting at
    /// `offset`.
    pub fn covers(&self, rule: &str, offset: usize) -> bool {
        self.covers.contains(&offset) && self.rule.as_deref().is_none_or(|own| own == rule)
    }
}

/// The directives in Markdown or HTML comments.
pub fn comment_directives(source: &str, comments: &[Comment]) -> Vec<Directive> {
    comments
        .iter()
        .filter_map(|comment| {
            let body = source.get(comment.body.clone())?;
            let (kind, rules) = parse_directive(body.trim(), "factlint-")?;
            Some(Directive {
                kind,
                rules,
                span: comment.span.clone(),
            })
        })
        .collect()
}

/// Comment markers a plain-text directive line may start with.
const LINE_COMMENT_MARKERS: &[&str] = &["#", "//", "--", ";", "%", "<!--"];

/// Built once: building the searcher took longer than searching a
/// typical news file.
static DIRECTIVE_MARK: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"factlint:"));

/// Whether `bytes` hold [`DIRECTIVE_MARK`]. A large file is searched in
/// parts side by side (100 MB took 9-11 ms on one thread, before anything
/// else could start); the parts overlap by the mark's length less one, so
/// a mark across two is in one of them.
fn has_directive_mark(bytes: &[u8]) -> bool {
    use rayon::prelude::*;
    const PART_BYTES: usize = 4 << 20;
    if bytes.len() <= PART_BYTES {
        return DIRECTIVE_MARK.find(bytes).is_some();
    }
    let overlap = DIRECTIVE_MARK.needle().len() - 1;
    (0..bytes.len().div_ceil(PART_BYTES))
        .into_par_iter()
        .with_max_len(1)
        .any(|index| {
            let start = index * PART_BYTES;
            let end = (start + PART_BYTES + overlap).min(bytes.len());
            DIRECTIVE_MARK.find(&bytes[start..end]).is_some()
        })
}

/// The directive lines of a plain-text file.
pub fn text_directives(source: &str) -> Vec<Directive> {
    let mut directives = Vec::new();
    // Most files hold no directive: one vectorised search says so, where
    // the loop below looks at every line.
    if !has_directive_mark(source.as_bytes()) {
        return directives;
    }
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let mut content = line.trim();
        if let Some(marker) = LINE_COMMENT_MARKERS
            .iter()
            .find(|marker| content.starts_with(**marker))
        {
            content = content[marker.len()..].trim_start();
            if marker == &"<!--" {
                content = content.trim_end_matches("-->").trim_end();
            }
        }
        let Some(rest) = content.strip_prefix("factlint:") else {
            continue;
        };
        let Some((kind, rules)) = parse_directive(rest.trim_start(), "") else {
            continue;
        };
        let trimmed_start = start + (line.len() - line.trim_start().len());
        directives.push(Directive {
            kind,
            rules,
            span: trimmed_start..start + line.trim_end().len(),
        });
    }
    directives
}

/// Parses `{prefix}disable-next-line RULE, RULE -- reason`.
fn parse_directive(text: &str, prefix: &str) -> Option<(DirectiveKind, Vec<String>)> {
    let rest = text.strip_prefix(prefix)?;
    // Longest first: `disable-next-line` starts with `disable`.
    let (kind, rest) = [
        ("disable-next-line", DirectiveKind::DisableNextLine),
        ("disable", DirectiveKind::Disable),
        ("enable", DirectiveKind::Enable),
    ]
    .into_iter()
    .find_map(|(word, kind)| Some((kind, rest.strip_prefix(word)?)))?;
    if rest
        .chars()
        .next()
        .is_some_and(|next| !next.is_whitespace())
    {
        return None;
    }
    let rules_text = match rest.find(" --") {
        Some(reason) => &rest[..reason],
        None => rest,
    };
    let rules = rules_text
        .split(|character: char| character.is_whitespace() || character == ',')
        .filter(|rule| !rule.is_empty())
        .map(str::to_owned)
        .collect();
    Some((kind, rules))
}

/// What the directives of a file suppress. `source` is the file.
pub fn suppressions(source: &str, mut directives: Vec<Directive>) -> Vec<Suppression> {
    directives.sort_by_key(|directive| directive.span.start);
    let mut suppressions = Vec::new();
    // Open `disable` regions: rule, where the region starts, the directive.
    let mut open: Vec<(Option<String>, usize, Range<usize>)> = Vec::new();
    for directive in &directives {
        let rules: Vec<Option<String>> = if directive.rules.is_empty() {
            vec![None]
        } else {
            directive.rules.iter().cloned().map(Some).collect()
        };
        match directive.kind {
            DirectiveKind::DisableNextLine => {
                let covers = next_line(source, directive.span.end, &directives);
                for rule in rules {
                    suppressions.push(Suppression {
                        rule,
                        kind: directive.kind,
                        covers: covers.clone(),
                        directive: directive.span.clone(),
                    });
                }
            }
            DirectiveKind::Disable => {
                for rule in rules {
                    open.push((rule, directive.span.end, directive.span.clone()));
                }
            }
            DirectiveKind::Enable => {
                let closes = |own: &Option<String>| match (&directive.rules[..], own) {
                    // A bare enable closes every region.
                    ([], _) => true,
                    (named, Some(own)) => named.contains(own),
                    (_, None) => false,
                };
                let mut closed = Vec::new();
                let mut still_open = Vec::new();
                for region in open.drain(..) {
                    if closes(&region.0) {
                        closed.push(region);
                    } else {
                        still_open.push(region);
                    }
                }
                open = still_open;
                for rule in &rules {
                    let matched = (rule.is_none() && !closed.is_empty())
                        || closed.iter().any(|region| &region.0 == rule);
                    if !matched {
                        suppressions.push(Suppression {
                            rule: rule.clone(),
                            kind: DirectiveKind::Enable,
                            covers: directive.span.start..directive.span.start,
                            directive: directive.span.clone(),
                        });
                    }
                }
                for (rule, start, span) in closed {
                    suppressions.push(Suppression {
                        rule,
                        kind: DirectiveKind::Disable,
                        covers: start..directive.span.start,
                        directive: span,
                    });
                }
            }
        }
    }
    // A disable without an enable runs to the end of the file.
    for (rule, start, span) in open {
        suppressions.push(Suppression {
            rule,
            kind: DirectiveKind::Disable,
            covers: start..source.len(),
            directive: span,
        });
    }
    suppressions.sort_by_key(|suppression| suppression.directive.start);
    suppressions
}

/// The first line after the one holding `after` that is neither blank nor
/// made only of directives (so stacked directives all apply to the line
/// below them). Empty at the end of the file when there is none.
fn next_line(source: &str, after: usize, directives: &[Directive]) -> Range<usize> {
    let Some(line_break) = source[after..].find('\n') else {
        return source.len()..source.len();
    };
    let mut offset = after + line_break + 1;
    for line in source[offset..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if !only_directives(source, start..start + content.len(), directives) {
            return start..start + content.len();
        }
    }
    source.len()..source.len()
}

/// True when every non-blank byte of `line` belongs to a directive.
/// `directives` are sorted and do not overlap.
fn only_directives(source: &str, line: Range<usize>, directives: &[Directive]) -> bool {
    let mut position = line.start;
    let first = directives.partition_point(|directive| directive.span.end <= line.start);
    for directive in &directives[first..] {
        let span = &directive.span;
        if span.start >= line.end {
            break;
        }
        if span.start > position && !source[position..span.start].trim().is_empty() {
            return false;
        }
        position = position.max(span.end);
    }
    position >= line.end || source[position..line.end].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directive_mark_is_found_across_the_parts_of_a_large_file() {
        let part_bytes = 4 << 20;
        let filler = "x".repeat(part_bytes * 2 + 100);
        assert!(!has_directive_mark(filler.as_bytes()));
        for mark_start in (part_bytes - 10..part_bytes + 2).chain([0, filler.len() - 9]) {
            let mut text = filler.clone();
            text.replace_range(mark_start..mark_start + 9, "factlint:");
            assert!(has_directive_mark(text.as_bytes()), "at {mark_start}");
        }
    }

    fn comments(source: &str) -> Vec<Comment> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(start) = source[from..].find("<!--").map(|at| from + at) {
            let end = source[start..]
                .find("-->")
                .map_or(source.len(), |at| start + at + 3);
            found.push(Comment {
                span: start..end,
                body: start + 4..end.saturating_sub(3).max(start + 4),
            });
            from = end;
        }
        found
    }

    fn markup(source: &str) -> Vec<Suppression> {
        suppressions(source, comment_directives(source, &comments(source)))
    }

    #[test]
    fn parses_kinds_rules_and_reasons() {
        assert_eq!(
            parse_directive(
                "factlint-disable-next-line name-variant, stale-name -- quoting",
                "factlint-"
            ),
            Some((
                DirectiveKind::DisableNextLine,
                vec!["name-variant".to_owned(), "stale-name".to_owned()]
            ))
        );
        assert_eq!(
            parse_directive("factlint-disable", "factlint-"),
            Some((DirectiveKind::Disable, vec![]))
        );
        assert_eq!(parse_directive("factlint-disabled", "factlint-"), None);
        assert_eq!(parse_directive("a factlint-disable", "factlint-"), None);
    }

    #[test]
    fn next_line_skips_blank_lines_and_other_directives() {
        let source = "<!-- factlint-disable-next-line name-variant -->\n\n\
                      <!-- factlint-disable-next-line stale-name -->\nThe line.\nNot this.\n";
        let found = markup(source);
        assert_eq!(found.len(), 2);
        for suppression in &found {
            assert_eq!(&source[suppression.covers.clone()], "The line.");
        }
        assert!(found[0].covers("name-variant", source.find("line.").unwrap()));
        assert!(!found[0].covers("stale-name", source.find("line.").unwrap()));
        assert!(!found[0].covers("name-variant", source.find("Not").unwrap()));
    }

    #[test]
    fn next_line_at_the_end_of_the_file_covers_nothing() {
        let source = "Text\n<!-- factlint-disable-next-line -->";
        assert!(markup(source)[0].covers.is_empty());
    }

    #[test]
    fn regions_run_to_their_enable_or_the_end_of_the_file() {
        let source = "a <!-- factlint-disable name-variant --> b \
                      <!-- factlint-enable name-variant --> c <!-- factlint-disable --> d";
        let found = markup(source);
        assert_eq!(found.len(), 2);
        assert_eq!(&source[found[0].covers.clone()], " b ");
        assert_eq!(found[0].rule.as_deref(), Some("name-variant"));
        assert_eq!(&source[found[1].covers.clone()], " d");
        assert_eq!(found[1].rule, None);
    }

    #[test]
    fn a_bare_enable_closes_every_region_and_a_stray_enable_is_kept() {
        let source =
            "<!-- factlint-disable a b -->x<!-- factlint-enable -->y<!-- factlint-enable c -->";
        let found = markup(source);
        let regions: Vec<_> = found
            .iter()
            .filter(|suppression| suppression.kind == DirectiveKind::Disable)
            .collect();
        assert_eq!(regions.len(), 2);
        assert!(regions
            .iter()
            .all(|region| &source[region.covers.clone()] == "x"));
        let stray: Vec<_> = found
            .iter()
            .filter(|suppression| suppression.kind == DirectiveKind::Enable)
            .collect();
        assert_eq!(stray.len(), 1);
        assert_eq!(stray[0].rule.as_deref(), Some("c"));
        assert!(stray[0].covers.is_empty());
    }

    #[test]
    fn text_directives_may_follow_a_comment_marker() {
        let source = "# factlint: disable-next-line name-variant\nAbdurahmanov\n\
                      // factlint: disable-next-line\nx\nfactlint: disable-next-line a,b\ny\n\
                      Not factlint: disable-next-line here\n";
        let directives = text_directives(source);
        assert_eq!(directives.len(), 3);
        assert_eq!(
            &source[directives[0].span.clone()],
            "# factlint: disable-next-line name-variant"
        );
        assert_eq!(directives[2].rules, ["a", "b"]);
        let found = suppressions(source, directives);
        assert_eq!(&source[found[0].covers.clone()], "Abdurahmanov");
        assert_eq!(&source[found[1].covers.clone()], "x");
    }

    #[test]
    fn crlf_lines_do_not_include_the_carriage_return() {
        let source = "<!-- factlint-disable-next-line -->\r\nText\r\n";
        assert_eq!(&source[markup(source)[0].covers.clone()], "Text");
    }
}
