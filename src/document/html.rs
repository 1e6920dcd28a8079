//! HTML: the text content a reader sees, with every offset mapped back to the
//! file.
//!
//! A small hand-written tokenizer rather than html5ever: factlint needs text
//! runs, tags with their attributes and comments, each with its byte range,
//! and never a DOM. html5ever would pull in a tree builder, string interning
//! and its own offsets-free text model to get back less than this file gives.
//! The tokenizer never fails: anything that is not a well-formed tag, comment
//! or declaration is text, as in a browser.

use std::ops::Range;

use super::{DeclaredDate, Segment, SourceMap};
use crate::date::Date;

/// An HTML comment: the whole `<!-- … -->` and the part between the markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    pub body: Range<usize>,
}

/// An HTML document reduced to its text content.
#[derive(Debug)]
pub struct Parsed {
    /// Text content with entities decoded and a line break for each block
    /// boundary, so words of adjacent blocks never run together.
    pub text: String,
    pub source_map: SourceMap,
    pub declared_date: Option<DeclaredDate>,
    pub comments: Vec<Comment>,
}

/// Reduces a whole HTML file to its text content.
pub fn parse(source: &str) -> Parsed {
    let mut builder = TextBuilder::default();
    let mut comments = Vec::new();
    let mut dates = DateCandidates::default();
    let mut skipped: Option<(String, usize)> = None;
    for token in Tokenizer::new(source, 0..source.len()) {
        match token {
            Token::Comment(comment) => comments.push(comment),
            Token::Tag(tag) => {
                dates.read_tag(source, &tag);
                let name = tag.name(source).to_ascii_lowercase();
                let boundary = track_skipped(source, &tag, &mut skipped);
                if boundary && !is_block(&name) {
                    // Skipped inline code still stands between two words.
                    builder.substitute(" ", tag.span.clone());
                } else if (boundary || skipped.is_none()) && is_block(&name) {
                    builder.substitute("\n", tag.span.clone());
                }
            }
            Token::RawText { span, element } => {
                if element.is_json_ld {
                    dates.read_json_ld(source, span);
                } else if element.is_text && skipped.is_none() {
                    builder.decode(source, span);
                }
            }
            Token::Text(span) => {
                if skipped.is_none() {
                    builder.decode(source, span);
                }
            }
            Token::Declaration => {}
        }
    }
    Parsed {
        text: builder.text,
        source_map: SourceMap::new(builder.segments),
        declared_date: dates.best(),
        comments,
    }
}

/// What a Markdown file's raw HTML holds: the source ranges of its text
/// (entities left as written) and its comments.
#[derive(Debug, Default)]
pub struct Fragment {
    pub text: Vec<Range<usize>>,
    pub comments: Vec<Comment>,
}

/// The text runs and comments of `source[range]`, for HTML embedded in
/// Markdown, where the linted text keeps the file's layout and so cannot hold
/// decoded entities.
pub fn fragment(source: &str, range: Range<usize>) -> Fragment {
    let mut fragment = Fragment::default();
    let mut skipped: Option<(String, usize)> = None;
    for token in Tokenizer::new(source, range) {
        match token {
            Token::Comment(comment) => fragment.comments.push(comment),
            Token::Tag(tag) => {
                track_skipped(source, &tag, &mut skipped);
            }
            Token::RawText { span, element } if element.is_text && skipped.is_none() => {
                fragment.text.push(span);
            }
            Token::Text(span) if skipped.is_none() => fragment.text.push(span),
            _ => {}
        }
    }
    fragment
}

/// Elements whose content is not prose: code samples and inert templates.
/// (`<script>` and `<style>` never reach here: the tokenizer reads them as
/// raw text.)
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "template" | "pre" | "code" | "kbd" | "samp" | "svg" | "math"
    )
}

/// Updates the skipped-element state for a tag; true when the tag opened or
/// closed the outermost skipped element.
fn track_skipped(source: &str, tag: &Tag, skipped: &mut Option<(String, usize)>) -> bool {
    let name = tag.name(source).to_ascii_lowercase();
    match skipped {
        Some((open, depth)) if *open == name => {
            if tag.closing {
                *depth -= 1;
                if *depth == 0 {
                    *skipped = None;
                    return true;
                }
            } else if !tag.self_closing {
                *depth += 1;
            }
            false
        }
        Some(_) => false,
        None if !tag.closing && !tag.self_closing && is_skipped(&name) => {
            *skipped = Some((name, 1));
            true
        }
        None => false,
    }
}

/// Tags that end a line of rendered text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "math"
            | "nav"
            | "ol"
            | "option"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "svg"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "ul"
    )
}

/// The linted text and the segments mapping it back to the file.
#[derive(Default)]
struct TextBuilder {
    text: String,
    segments: Vec<Segment>,
}

impl TextBuilder {
    /// Copies `source[span]` unchanged.
    fn copy(&mut self, source: &str, span: Range<usize>) {
        if span.is_empty() {
            return;
        }
        let length = span.len();
        if let Some(last) = self.segments.last_mut() {
            let contiguous = last.text_length == last.source_length
                && last.source_start + last.source_length == span.start;
            if contiguous {
                last.text_length += length;
                last.source_length += length;
                self.text.push_str(&source[span]);
                return;
            }
        }
        self.segments.push(Segment {
            text_start: self.text.len(),
            text_length: length,
            source_start: span.start,
            source_length: length,
        });
        self.text.push_str(&source[span]);
    }

    /// Writes `replacement` for the file bytes `span`.
    fn substitute(&mut self, replacement: &str, span: Range<usize>) {
        if replacement.is_empty() {
            return;
        }
        self.segments.push(Segment {
            text_start: self.text.len(),
            text_length: replacement.len(),
            source_start: span.start,
            source_length: span.len(),
        });
        self.text.push_str(replacement);
    }

    /// Copies text content, decoding character references.
    fn decode(&mut self, source: &str, span: Range<usize>) {
        let mut copied = span.start;
        let mut position = span.start;
        while let Some(offset) = source[position..span.end].find('&') {
            let ampersand = position + offset;
            match decode_reference(&source[ampersand..span.end]) {
                Some((decoded, length)) => {
                    self.copy(source, copied..ampersand);
                    let mut buffer = [0; 4];
                    self.substitute(
                        decoded.encode_utf8(&mut buffer),
                        ampersand..ampersand + length,
                    );
                    copied = ampersand + length;
                    position = copied;
                }
                None => position = ampersand + 1,
            }
        }
        self.copy(source, copied..span.end);
    }
}

/// Decodes the character reference at the start of `text` (which starts with
/// `&`): the character and the reference's length. References need their
/// `;`; a bare `&` or an unknown name stays as written.
pub fn decode_reference(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix('&')?;
    // The longest named reference is 31 bytes; looking no further keeps a
    // text full of bare `&` linear.
    let end = rest.bytes().take(33).position(|byte| byte == b';')?;
    let name = &rest[..end];
    let character = if let Some(number) = name.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        numeric_character(value)
    } else {
        named_character(name)?
    };
    Some((character, end + 2))
}

/// What a numeric reference stands for, with the HTML parsing rules: NUL,
/// surrogates and out-of-range values become U+FFFD, and 128–159 are read as
/// Windows-1252, as old CMS exports write `&#150;` for an en dash.
fn numeric_character(value: u32) -> char {
    const WINDOWS_1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match value {
        0 => '\u{FFFD}',
        128..=159 => WINDOWS_1252[(value - 128) as usize],
        _ => char::from_u32(value).unwrap_or('\u{FFFD}'),
    }
}

/// Named references: markup escapes, typography, and the letters of
/// Latin-1 and Latin Extended-A that names in news copy are written with.
fn named_character(name: &str) -> Option<char> {
    let character = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        // A no-break space separates words like a space; as a space the
        // scanner matches "Kairat&nbsp;Abdrakhmanov" as the name it is.
        "nbsp" => ' ',
        "ensp" | "emsp" | "thinsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "hyphen" | "dash" => '‐',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "prime" => '′',
        "Prime" => '″',
        "shy" => '\u{AD}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "sect" => '§',
        "para" => '¶',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "ETH" => 'Ð',
        "Ntilde" => 'Ñ',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "Yacute" => 'Ý',
        "THORN" => 'Þ',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "eth" => 'ð',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "thorn" => 'þ',
        "yuml" => 'ÿ',
        "Yuml" => 'Ÿ',
        "Amacr" => 'Ā',
        "amacr" => 'ā',
        "Aogon" => 'Ą',
        "aogon" => 'ą',
        "Cacute" => 'Ć',
        "cacute" => 'ć',
        "Ccaron" => 'Č',
        "ccaron" => 'č',
        "Dcaron" => 'Ď',
        "dcaron" => 'ď',
        "Dstrok" => 'Đ',
        "dstrok" => 'đ',
        "Emacr" => 'Ē',
        "emacr" => 'ē',
        "Eogon" => 'Ę',
        "eogon" => 'ę',
        "Ecaron" => 'Ě',
        "ecaron" => 'ě',
        "Gbreve" => 'Ğ',
        "gbreve" => 'ğ',
        "Imacr" => 'Ī',
        "imacr" => 'ī',
        "Idot" => 'İ',
        "imath" | "inodot" => 'ı',
        "Lstrok" => 'Ł',
        "lstrok" => 'ł',
        "Nacute" => 'Ń',
        "nacute" => 'ń',
        "Ncaron" => 'Ň',
        "ncaron" => 'ň',
        "Omacr" => 'Ō',
        "omacr" => 'ō',
        "Odblac" => 'Ő',
        "odblac" => 'ő',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Rcaron" => 'Ř',
        "rcaron" => 'ř',
        "Sacute" => 'Ś',
        "sacute" => 'ś',
        "Scedil" => 'Ş',
        "scedil" => 'ş',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Tcaron" => 'Ť',
        "tcaron" => 'ť',
        "Umacr" => 'Ū',
        "umacr" => 'ū',
        "Uring" => 'Ů',
        "uring" => 'ů',
        "Udblac" => 'Ű',
        "udblac" => 'ű',
        "Zacute" => 'Ź',
        "zacute" => 'ź',
        "Zdot" => 'Ż',
        "zdot" => 'ż',
        "Zcaron" => 'Ž',
        "zcaron" => 'ž',
        _ => return None,
    };
    Some(character)
}

/// The document's date, by the first tag or block of each kind.
#[derive(Default)]
struct DateCandidates {
    meta: Option<DeclaredDate>,
    json_ld: Option<DeclaredDate>,
    time: Option<DeclaredDate>,
}

impl DateCandidates {
    /// A publication date in a `<meta>` tag outranks JSON-LD, which outranks
    /// the first `<time datetime>`: a page's `<time>` elements may date
    /// anything it mentions, the meta tag dates the page.
    fn best(self) -> Option<DeclaredDate> {
        self.meta.or(self.json_ld).or(self.time)
    }

    fn read_tag(&mut self, source: &str, tag: &Tag) {
        if tag.closing {
            return;
        }
        let name = tag.name(source);
        if name.eq_ignore_ascii_case("meta") && self.meta.is_none() {
            let names_published_time = ["property", "name", "itemprop"].iter().any(|key| {
                tag.attribute(source, key).is_some_and(|value| {
                    let value = source[value].trim();
                    value.eq_ignore_ascii_case("article:published_time")
                        || value.eq_ignore_ascii_case("datePublished")
                })
            });
            if names_published_time {
                if let Some(content) = tag.attribute(source, "content") {
                    self.meta = date_at(
                        source,
                        content,
                        "`<meta property=\"article:published_time\">`",
                    );
                }
            }
        } else if name.eq_ignore_ascii_case("time") && self.time.is_none() {
            if let Some(value) = tag.attribute(source, "datetime") {
                self.time = date_at(source, value, "`<time datetime>`");
            }
        }
    }

    fn read_json_ld(&mut self, source: &str, span: Range<usize>) {
        if self.json_ld.is_some() {
            return;
        }
        const KEY: &str = "\"datePublished\"";
        let Some(found) = source[span.clone()].find(KEY) else {
            return;
        };
        let after_key = span.start + found + KEY.len();
        let rest = &source[after_key..span.end];
        let trimmed = rest.trim_start();
        let Some(value) = trimmed.strip_prefix(':') else {
            return;
        };
        let value_trimmed = value.trim_start();
        let Some(quoted) = value_trimmed.strip_prefix('"') else {
            return;
        };
        let start = span.end - quoted.len();
        let end = quoted.find('"').map_or(span.end, |end| start + end);
        self.json_ld = date_at(source, start..end, "JSON-LD `datePublished`");
    }
}

/// The date at the start of `source[value]` (an ISO date, or the date part of
/// an ISO timestamp).
pub(super) fn date_at(source: &str, value: Range<usize>, origin: &str) -> Option<DeclaredDate> {
    let text = source.get(value.clone())?;
    let trimmed = text.trim_start();
    let start = value.start + (text.len() - trimmed.len());
    let date = Date::parse_iso(trimmed.get(..10)?)?;
    if trimmed[10..].starts_with(|character: char| character.is_ascii_digit()) {
        return None;
    }
    Some(DeclaredDate {
        date,
        source_offset: start,
        origin: origin.to_owned(),
    })
}

/// A start or end tag.
#[derive(Debug)]
struct Tag {
    span: Range<usize>,
    name: Range<usize>,
    closing: bool,
    self_closing: bool,
    /// Attribute names and values (without quotes; empty for a bare name).
    attributes: Vec<(Range<usize>, Range<usize>)>,
}

impl Tag {
    fn name<'a>(&self, source: &'a str) -> &'a str {
        &source[self.name.clone()]
    }

    fn attribute(&self, source: &str, key: &str) -> Option<Range<usize>> {
        self.attributes
            .iter()
            .find(|(name, _)| source[name.clone()].eq_ignore_ascii_case(key))
            .map(|(_, value)| value.clone())
    }
}

/// Which raw-text element a [`Token::RawText`] is the content of.
#[derive(Debug, Clone, Copy)]
struct RawElement {
    /// `<title>` and `<textarea>` hold text (with references, without tags).
    is_text: bool,
    /// `<script type="application/ld+json">`.
    is_json_ld: bool,
}

#[derive(Debug)]
enum Token {
    Text(Range<usize>),
    Tag(Tag),
    Comment(Comment),
    /// The content of `<script>`, `<style>`, `<title>` or `<textarea>`.
    RawText {
        span: Range<usize>,
        element: RawElement,
    },
    /// `<!DOCTYPE …>`, `<?…>`, `<![CDATA[…]]>`: neither text nor a tag.
    Declaration,
}

struct Tokenizer<'a> {
    source: &'a str,
    position: usize,
    end: usize,
    /// Set after a raw-text start tag: the element whose end tag ends the text.
    raw: Option<(&'static str, RawElement)>,
}

impl<'a> Tokenizer<'a> {
    fn new(source: &'a str, range: Range<usize>) -> Tokenizer<'a> {
        Tokenizer {
            source,
            position: range.start,
            end: range.end.min(source.len()),
            raw: None,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        &self.source.as_bytes()[..self.end]
    }

    fn raw_text(&mut self, name: &str, element: RawElement) -> Token {
        let start = self.position;
        let bytes = self.bytes();
        let mut index = start;
        let stop = loop {
            let Some(offset) = bytes[index..].iter().position(|&byte| byte == b'<') else {
                break self.end;
            };
            index += offset;
            let after = &bytes[index + 1..];
            if after.first() == Some(&b'/')
                && after.len() > name.len()
                && after[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
                && after
                    .get(name.len() + 1)
                    .is_none_or(|&byte| byte == b'>' || byte == b'/' || byte.is_ascii_whitespace())
            {
                break index;
            }
            index += 1;
        };
        self.position = stop;
        Token::RawText {
            span: start..stop,
            element,
        }
    }

    fn markup(&mut self) -> Option<Token> {
        let bytes = self.bytes();
        let start = self.position;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            let body_start = start + 4;
            let (body_end, end) = match find(bytes, body_start, b"-->") {
                Some(close) => (close, close + 3),
                None => (self.end, self.end),
            };
            self.position = end;
            return Some(Token::Comment(Comment {
                span: start..end,
                body: body_start..body_end,
            }));
        }
        if rest.starts_with(b"<![CDATA[") {
            let end = find(bytes, start, b"]]>").map_or(self.end, |close| close + 3);
            self.position = end;
            return Some(Token::Declaration);
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            let end = find(bytes, start, b">").map_or(self.end, |close| close + 1);
            self.position = end;
            return Some(Token::Declaration);
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start)?.is_ascii_alphabetic() {
            return None;
        }
        let mut index = name_start;
        while index < self.end
            && !bytes[index].is_ascii_whitespace()
            && bytes[index] != b'>'
            && bytes[index] != b'/'
        {
            index += 1;
        }
        let name = name_start..index;
        let mut attributes = Vec::new();
        let mut self_closing = false;
        loop {
            while index < self.end && bytes[index].is_ascii_whitespace() {
                index += 1;
            }
            match bytes.get(index) {
                None => break,
                Some(b'>') => {
                    index += 1;
                    break;
                }
                Some(b'/') => {
                    index += 1;
                    if bytes.get(index) == Some(&b'>') {
                        self_closing = true;
                    }
                    continue;
                }
                Some(_) => {}
            }
            let attribute_start = index;
            while index < self.end
                && !bytes[index].is_ascii_whitespace()
                && !matches!(bytes[index], b'=' | b'>' | b'/')
            {
                index += 1;
            }
            // A lone `=` or a stray quote still has to move the tokenizer on.
            if index == attribute_start {
                index += 1;
            }
            let attribute_name = attribute_start..index;
            let mut probe = index;
            while probe < self.end && bytes[probe].is_ascii_whitespace() {
                probe += 1;
            }
            let mut value = index..index;
            if bytes.get(probe) == Some(&b'=') {
                index = probe + 1;
                while index < self.end && bytes[index].is_ascii_whitespace() {
                    index += 1;
                }
                match bytes.get(index) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let value_start = index + 1;
                        let value_end = bytes[value_start..]
                            .iter()
                            .position(|&byte| byte == quote)
                            .map_or(self.end, |offset| value_start + offset);
                        value = value_start..value_end;
                        index = (value_end + 1).min(self.end);
                    }
                    _ => {
                        let value_start = index;
                        while index < self.end
                            && !bytes[index].is_ascii_whitespace()
                            && bytes[index] != b'>'
                        {
                            index += 1;
                        }
                        value = value_start..index;
                    }
                }
            }
            attributes.push((attribute_name, value));
        }
        self.position = index;
        let tag = Tag {
            span: start..index,
            name,
            closing,
            self_closing,
            attributes,
        };
        if !closing {
            let name = tag.name(self.source).to_ascii_lowercase();
            let raw = match name.as_str() {
                "script" => {
                    let is_json_ld = tag.attribute(self.source, "type").is_some_and(|value| {
                        self.source[value]
                            .trim()
                            .eq_ignore_ascii_case("application/ld+json")
                    });
                    Some(("script", false, is_json_ld))
                }
                "style" => Some(("style", false, false)),
                "title" => Some(("title", true, false)),
                "textarea" => Some(("textarea", true, false)),
                _ => None,
            };
            if let Some((name, is_text, is_json_ld)) = raw {
                if !self_closing {
                    self.raw = Some((
                        name,
                        RawElement {
                            is_text,
                            is_json_ld,
                        },
                    ));
                }
            }
        }
        Some(Token::Tag(tag))
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if self.position >= self.end {
            return None;
        }
        if let Some((name, element)) = self.raw.take() {
            let token = self.raw_text(name, element);
            if let Token::RawText { span, .. } = &token {
                if !span.is_empty() {
                    return Some(token);
                }
            }
            if self.position >= self.end {
                return None;
            }
        }
        if self.bytes()[self.position] == b'<' {
            if let Some(token) = self.markup() {
                return Some(token);
            }
        }
        // Text runs to the next `<` that starts markup.
        let start = self.position;
        let bytes = self.bytes();
        let mut index = start + 1;
        while index < self.end {
            if bytes[index] == b'<' && starts_markup(&bytes[index..]) {
                break;
            }
            index += 1;
        }
        self.position = index;
        Some(Token::Text(start..index))
    }
}

fn starts_markup(bytes: &[u8]) -> bool {
    match bytes.get(1) {
        Some(b'!' | b'?') => true,
        Some(b'/') => bytes.get(2).is_some_and(u8::is_ascii_alphabetic),
        Some(byte) => byte.is_ascii_alphabetic(),
        None => false,
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file bytes behind `text[needle]` (its first occurrence).
    fn source_of<'a>(source: &'a str, parsed: &Parsed, needle: &str) -> &'a str {
        let start = parsed.text.find(needle).unwrap();
        let end = start + needle.len();
        &source[parsed.source_map.start(start)..parsed.source_map.end(end)]
    }

    #[test]
    fn keeps_text_and_drops_tags_attributes_scripts_styles_comments() {
        let source = "<html><head><title>The title</title><style>p { color: red }</style>\
            <script>var Abdurahmanov = 1;</script></head>\
            <body><p class=\"Abdurahmanov\">First <b>bold</b> paragraph.</p><!-- a comment -->\
            <p>Second</p><template><p>hidden</p></template><pre>code</pre></body></html>";
        let parsed = parse(source);
        assert!(!parsed.text.contains("Abdurahmanov"));
        assert!(!parsed.text.contains("color"));
        assert!(!parsed.text.contains("comment"));
        assert!(!parsed.text.contains("hidden"));
        assert!(!parsed.text.contains("code"));
        assert!(parsed.text.contains("The title"));
        assert!(parsed.text.contains("First bold paragraph."));
        assert!(parsed.text.contains("paragraph.\n"));
        assert!(parsed.text.contains("\nSecond\n"));
        assert_eq!(parsed.comments.len(), 1);
        assert_eq!(&source[parsed.comments[0].body.clone()], " a comment ");
    }

    #[test]
    fn decodes_references_and_maps_offsets_back_to_the_file() {
        let source = "<p>Rock &amp; roll in T&uuml;rkiye &#8212; &#x410;stana&nbsp;now</p>";
        let parsed = parse(source);
        assert_eq!(parsed.text, "\nRock & roll in Türkiye — Аstana now\n");
        assert_eq!(source_of(source, &parsed, "roll"), "roll");
        assert_eq!(source_of(source, &parsed, "Türkiye"), "T&uuml;rkiye");
        assert_eq!(source_of(source, &parsed, "Аstana"), "&#x410;stana");
        assert_eq!(source_of(source, &parsed, "now"), "now");
        assert_eq!(source_of(source, &parsed, "& roll"), "&amp; roll");
    }

    #[test]
    fn multi_byte_text_keeps_exact_offsets() {
        let source = "<p>“Türkiye — Астана”</p><p>Abdurahmanov</p>";
        let parsed = parse(source);
        let found = source_of(source, &parsed, "Abdurahmanov");
        assert_eq!(found, "Abdurahmanov");
        let start = parsed.text.find("Abdurahmanov").unwrap();
        assert_eq!(
            parsed.source_map.start(start),
            source.find("Abdurahmanov").unwrap()
        );
    }

    #[test]
    fn references_without_a_semicolon_or_unknown_stay_as_written() {
        assert_eq!(
            parse("a &amp b &bogus; c & d").text,
            "a &amp b &bogus; c & d"
        );
        assert_eq!(decode_reference("&#150;"), Some(('–', 6)));
        assert_eq!(decode_reference("&#0;"), Some(('\u{FFFD}', 4)));
        assert_eq!(decode_reference("&#xD800;"), Some(('\u{FFFD}', 8)));
        assert_eq!(decode_reference("&#99999999999;"), None);
        assert_eq!(decode_reference("&gbreve;"), Some(('ğ', 8)));
    }

    #[test]
    fn block_tags_separate_words_inline_tags_do_not() {
        assert_eq!(parse("<td>A</td><td>B</td>").text, "\nA\n\nB\n");
        assert_eq!(parse("Line<br>next").text, "Line\nnext");
        assert_eq!(parse("Ab<i>du</i>rahmanov").text, "Abdurahmanov");
        assert_eq!(parse("a<code>x</code>b").text, "a  b");
        assert_eq!(parse("a<pre>x</pre>b").text, "a\n\nb");
    }

    #[test]
    fn broken_markup_never_panics_and_is_text() {
        for source in [
            "<",
            "<p",
            "<p class=\"x",
            "a < b",
            "<!--",
            "<!-- x",
            "<script>x",
            "</",
            "<3",
            "<a href='x>y</a>",
            "&",
            "&#",
            "&#x;",
            "<p =x>",
            "<title>T",
            "<p/>",
        ] {
            let parsed = parse(source);
            for start in 0..=parsed.text.len() {
                assert!(parsed.source_map.start(start) <= source.len());
                assert!(parsed.source_map.end(start) <= source.len());
            }
        }
        assert_eq!(parse("a < b and 3<4").text, "a < b and 3<4");
    }

    #[test]
    fn reads_the_publication_date_in_order_of_trust() {
        let meta = "<time datetime=\"2020-01-01\">x</time>\
            <meta property=\"article:published_time\" content=\"2024-06-28T09:00:00+00:00\">";
        let date = parse(meta).declared_date.unwrap();
        assert_eq!(date.date.to_string(), "2024-06-28");
        assert_eq!(
            &meta[date.source_offset..date.source_offset + 10],
            "2024-06-28"
        );

        let json_ld = "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \
            \"datePublished\" : \"2022-09-15T12:00:00Z\"}</script><time datetime=\"2020-01-01\">";
        let date = parse(json_ld).declared_date.unwrap();
        assert_eq!(date.date.to_string(), "2022-09-15");
        assert_eq!(
            &json_ld[date.source_offset..date.source_offset + 10],
            "2022-09-15"
        );

        let time = "<p>Posted <time datetime=\"2020-11-29\">29 November</time></p>";
        assert_eq!(
            parse(time).declared_date.unwrap().date.to_string(),
            "2020-11-29"
        );

        assert!(parse("<time datetime=\"soon\">x</time>")
            .declared_date
            .is_none());
        assert!(parse("<time datetime=\"2020-11-299\">")
            .declared_date
            .is_none());
    }

    #[test]
    fn fragments_give_raw_text_ranges_and_comments() {
        let source = "<div>Khalid <em>Khiari</em><!-- note --><code>x</code></div>";
        let fragment = fragment(source, 0..source.len());
        let texts: Vec<&str> = fragment
            .text
            .iter()
            .map(|range| &source[range.clone()])
            .collect();
        assert_eq!(texts, ["Khalid ", "Khiari"]);
        assert_eq!(fragment.comments.len(), 1);
    }
}
