use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::scan::is_word_char;

declare_rule! {
    /// ## What it flags
    /// A word that mixes Latin letters with Cyrillic or Greek letters that
    /// look the same: "Аstana" typed with a Cyrillic "А", "OSCΕ" with a
    /// Greek "Ε". The all-Latin word is suggested.
    ///
    /// ## Why
    /// The word looks right and is wrong everywhere it matters: search,
    /// archives, screen readers and every other check (factlint's own
    /// scanner cannot match "Аstana" to Astana). It happens when copy passes
    /// through a Cyrillic keyboard layout or a pasted source.
    ///
    /// ## Not flagged
    /// Words wholly in Cyrillic or Greek ("Астана"), and Latin words with
    /// accents ("Türkiye").
    ///
    /// ## Example
    /// ```text
    /// The forum opened in Аstana.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// The forum opened in Astana.
    /// ```
    pub struct MixedScript;
}

static META: RuleMeta = RuleMeta {
    id: "mixed-script",
    default_severity: Severity::Error,
    summary: "a word mixing Latin letters with look-alike Cyrillic or Greek letters",
    documentation: MixedScript::DOCUMENTATION,
};

impl Rule for MixedScript {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let text = context.text();
        // Most copy is ASCII: nothing to look at.
        if text.is_ascii() {
            return;
        }
        let mut search_from = 0;
        while let Some(position) = next_look_alike(text, search_from) {
            let start = text[..position]
                .char_indices()
                .rev()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(0, |(index, c)| index + c.len_utf8());
            let end = text[position..]
                .char_indices()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(text.len(), |(index, _)| position + index);
            search_from = end.max(position + 1);
            while !text.is_char_boundary(search_from) {
                search_from += 1;
            }
            let word = &text[start..end];
            if !word.chars().any(is_latin_letter) {
                continue;
            }
            let foreign: Vec<char> = word.chars().filter(|c| is_cyrillic_or_greek(*c)).collect();
            let mut diagnostic = Diagnostic::new(
                META.id,
                META.default_severity,
                start..end,
                format!("`{word}` mixes Latin letters with look-alike Cyrillic or Greek letters"),
            )
            .with_label(format!(
                "{} here",
                foreign
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            // Suggest the Latin word only when every foreign letter has a
            // Latin twin.
            if foreign.iter().all(|c| look_alike(*c).is_some()) {
                let latin: String = word.chars().map(|c| look_alike(c).unwrap_or(c)).collect();
                diagnostic = diagnostic.with_replacement(latin);
            }
            out.push(diagnostic);
        }
    }
}

/// The offset of the first character at or after `from` (a character
/// boundary) that has a Latin look-alike.
///
/// Every look-alike is between U+0370 and U+052F, so its UTF-8 encoding
/// starts with a byte from 0xCD to 0xD4: the bytes are tested a block at a
/// time (which the compiler turns into vector instructions), and only the
/// characters those bytes start are decoded.
fn next_look_alike(text: &str, from: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let may_start_look_alike = |byte: u8| (0xCD..=0xD4).contains(&byte);
    let rest = text.as_bytes().get(from..)?;
    // Exact blocks: a loop of known length is the one the compiler vectorises.
    let mut blocks = rest.chunks_exact(BLOCK);
    let mut block_start = from;
    let candidates = |block: &[u8], block_start: usize| {
        block.iter().enumerate().find_map(|(index, &byte)| {
            let position = block_start + index;
            let is_look_alike = may_start_look_alike(byte)
                && text[position..]
                    .chars()
                    .next()
                    .is_some_and(|character| look_alike(character).is_some());
            is_look_alike.then_some(position)
        })
    };
    for block in blocks.by_ref() {
        if block
            .iter()
            .fold(false, |found, &byte| found | may_start_look_alike(byte))
        {
            if let Some(position) = candidates(block, block_start) {
                return Some(position);
            }
        }
        block_start += BLOCK;
    }
    candidates(blocks.remainder(), block_start)
}

fn is_latin_letter(character: char) -> bool {
    character.is_ascii_alphabetic() || matches!(character, 'À'..='ɏ')
}

fn is_cyrillic_or_greek(character: char) -> bool {
    matches!(character, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{052F}')
}

/// The Latin letter a Cyrillic or Greek letter is indistinguishable from.
fn look_alike(character: char) -> Option<char> {
    Some(match character {
        // Cyrillic
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ү' => 'Y',
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        // Greek
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'ο' => 'o',
        'ι' => 'i',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character search `next_look_alike` replaced.
    fn reference_next_look_alike(text: &str, from: usize) -> Option<usize> {
        text[from..]
            .find(|character: char| look_alike(character).is_some())
            .map(|offset| from + offset)
    }

    /// Compares the searches from the start of `text`, from just after
    /// each look-alike, and from a spread of other character boundaries.
    fn assert_searches_agree(text: &str) {
        let boundaries: Vec<usize> = text.char_indices().map(|(offset, _)| offset).collect();
        let spread = boundaries.iter().step_by(boundaries.len() / 50 + 1);
        let mut starts: Vec<usize> = spread.copied().collect();
        let mut from = 0;
        while let Some(found) = reference_next_look_alike(text, from) {
            starts.push(found);
            from = found + text[found..].chars().next().map_or(1, char::len_utf8);
            starts.push(from);
        }
        for from in starts {
            assert_eq!(
                next_look_alike(text, from),
                reference_next_look_alike(text, from),
                "from {from} in {text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_character_by_character_search(
            text in "([a-zA-Z ]|[АВЕКМНОРСТХІЈЅҮаеорсухіјѕһԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοι]|[БбΩωͰϿЀӿԀԯ\u{0340}\u{0530}ü€—]){0,150}",
        ) {
            assert_searches_agree(&text);
        }
    }

    #[test]
    fn agrees_with_the_character_by_character_search_on_the_corpus() {
        for text in crate::test_texts::corpus() {
            assert_searches_agree(&text);
        }
    }
}
