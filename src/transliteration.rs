//! A transliteration-aware key for romanised names.
//!
//! Arabic, Turkic and Slavic names reach English copy through several
//! romanisation systems, so one person is "Abdrakhmanov", "Abdrahmanov" and
//! "Abdurakhmanov", one official "Khaled" and "Khalid", "Mohamed" and
//! "Muhammad". The key folds the differences those systems make (kh/h, q/k,
//! dh/d, ou/u, y/i/j, doubled letters, -ev/-yev/-iev, short vowels, al-/el-
//! prefixes, hyphens and spaces) so that spellings of one name share a key,
//! or sit within one edit of each other. It is a lookup key, not a verdict:
//! matches are confirmed with edit distance on the real spellings.

/// The key of a name or a word of a name. Writes into `out` (cleared first)
/// so a caller checking many words reuses one buffer.
pub fn key_into(name: &str, out: &mut String) {
    out.clear();
    let lower = fold_letters(name);
    let mut text = strip_article(&lower);
    // Whole-name spellings that vary more than letter rules can follow.
    for (variants, folded) in GIVEN_NAMES {
        if variants.contains(&text) {
            text = folded;
        }
    }
    let bytes: Vec<u8> = text.bytes().collect();
    let mut index = 0;
    let mut previous: Option<u8> = None;
    while index < bytes.len() {
        let current = bytes[index];
        let next = bytes.get(index + 1).copied();
        let (folded, consumed) = match (current, next) {
            (b'k', Some(b'h')) => (Some(b'h'), 2),
            (b'g' | b'd' | b't', Some(b'h')) => (Some(current), 2),
            (b'p', Some(b'h')) => (Some(b'f'), 2),
            (b'o', Some(b'u')) => (Some(b'u'), 2),
            (b'q', _) | (b'c', Some(b'k')) => (Some(b'k'), if current == b'c' { 2 } else { 1 }),
            (b'y' | b'j', _) => (Some(b'i'), 1),
            (b'e', _) => (Some(b'i'), 1),
            (b'o', _) => (Some(b'u'), 1),
            (b'w', _) => (Some(b'v'), 1),
            (b'-' | b' ' | b'\'' | b'.', _) => (None, 1),
            _ => (Some(current), 1),
        };
        index += consumed;
        if let Some(letter) = folded {
            // Doubled letters are one letter.
            if previous != Some(letter) {
                out.push(char::from(letter));
            }
            previous = Some(letter);
        }
    }
    // -yev / -iev / -ev all fold to "iv" above; nothing left to do.
}

/// The key of a name, as a new string.
pub fn key(name: &str) -> String {
    let mut out = String::new();
    key_into(name, &mut out);
    out
}

/// Spellings of common given names that letter rules cannot join.
const GIVEN_NAMES: &[(&[&str], &str)] = &[
    (
        &[
            "mohamed", "mohammed", "muhammad", "muhammed", "mohammad", "mohamad", "mehmet",
            "mahomed",
        ],
        "mhmd",
    ),
    (
        &[
            "yousef", "youssef", "yusuf", "yousuf", "youssouf", "josef", "yosef",
        ],
        "ysf",
    ),
    (&["ahmed", "ahmad", "ahmet"], "ahmd"),
];

/// Lowercase ASCII letters, digits and separators; accented Latin letters
/// lose their accents; anything else is dropped.
pub(crate) fn fold_letters(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for character in name.chars() {
        let base = match character {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => {
                'a'
            }
            'ç' | 'Ç' | 'č' | 'Č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ə' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ə' => {
                'e'
            }
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => {
                'i'
            }
            'ñ' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ō' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => 'u',
            'ş' | 'Ş' | 'š' | 'Š' => 's',
            'ğ' | 'Ğ' => 'g',
            'ž' | 'Ž' => 'z',
            other if other.is_ascii_alphanumeric() => other.to_ascii_lowercase(),
            '-' | ' ' | '\'' | '’' => '-',
            _ => continue,
        };
        folded.push(base);
    }
    folded
}

/// "al-Malik", "el-Sisi", "AlMalik" (already lowercased: "almalik" is
/// ambiguous, so only a separated article is dropped, and "al" glued to a
/// name of 4+ letters).
fn strip_article(text: &str) -> &str {
    for article in ["al-", "el-", "al ", "el "] {
        if let Some(rest) = text.strip_prefix(article) {
            return rest;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn spellings_of_one_name_share_a_key() {
        let groups: &[&[&str]] = &[
            &["Abdrakhmanov", "Abdrahmanov"],
            &["Khaled", "Khalid"],
            &["Khiari", "Khiary"],
            &["Mohamed", "Mohammed", "Muhammad"],
            &["Tokayev", "Tokaev", "Tokaiev"],
            &["Nazarbayev", "Nazarbaev"],
            &["Al-Othaimeen", "al-Othaimeen", "Othaimeen"],
            &["Yousef", "Youssef", "Yusuf"],
            &["Qasim", "Kasim"],
            &["Nur-Sultan", "Nursultan", "Nur Sultan"],
        ];
        for group in groups {
            let first = key(group[0]);
            for spelling in &group[1..] {
                assert_eq!(key(spelling), first, "{} vs {}", group[0], spelling);
            }
        }
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(key("Abdrakhmanov"), key("Atamkulov"));
        assert_ne!(key("Khiari"), key("Kairat"));
        assert_ne!(key("Taha"), key("Dar"));
    }
}
