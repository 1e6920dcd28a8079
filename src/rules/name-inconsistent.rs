use std::ops::Range;

use foldhash::fast::FixedState;
use hashbrown::hash_map::Entry;
use hashbrown::HashMap;

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::kb::{EntityId, FormKind, KnowledgeBase};

declare_rule! {
    /// ## What it flags
    /// One entity written two different ways: in one document (the
    /// canonical form and a variant, two variants, a near miss), or across
    /// the files of one run ("Khalid Khiari" in one article, "Mohamed Khaled
    /// Khiari" in another). Within a document the finding points at the later
    /// form, with the first one labelled; across files it is reported once
    /// per entity, naming every file and form.
    ///
    /// ## Why
    /// Readers take two spellings for two people. Even where each spelling
    /// has its own finding, seeing them together shows the copy desk which
    /// form the piece settled on.
    ///
    /// ## Not flagged
    /// Accepted forms used together (a full name, then the surname alone;
    /// an organization's name, then its acronym); one variant repeated, alone
    /// or as a full name and its surname.
    ///
    /// ## Example
    /// ```text
    /// Mr. Khairat Abdulrahmanov ... Mr. Abdurahmanov, in his turn, ...
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// Mr. Kairat Abdrakhmanov ... Mr. Abdrakhmanov, in his turn, ...
    /// ```
    pub struct NameInconsistent;
}

static META: RuleMeta = RuleMeta {
    id: "name-inconsistent",
    default_severity: Severity::Warning,
    summary: "one entity spelled two ways in one document or across a run",
    documentation: NameInconsistent::DOCUMENTATION,
};

/// How a document writes an entity: one entry per distinct spelling, at its
/// first occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    pub entity: EntityId,
    pub text: String,
    /// The canonical name or an accepted alias.
    pub accepted: bool,
    /// First occurrence, in file offsets.
    pub span: Range<usize>,
}

/// How a document writes its entities, for the run-wide check: each
/// entity's distinct spellings at their first occurrence, in text order.
/// Their texts are kept end to end in one string, one allocation a
/// document, where a `String` a spelling was most of what handing them on
/// cost on short files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentSpellings {
    texts: String,
    spellings: Vec<DocumentSpelling>,
}

/// A [`Spelling`] whose text is a range of [`DocumentSpellings::texts`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct DocumentSpelling {
    entity: EntityId,
    text: Range<usize>,
    accepted: bool,
    span: Range<usize>,
}

impl DocumentSpellings {
    /// The first occurrences, to move from text offsets to file offsets.
    pub fn spans_mut(&mut self) -> impl Iterator<Item = &mut Range<usize>> {
        self.spellings.iter_mut().map(|spelling| &mut spelling.span)
    }

    fn text(&self, spelling: &DocumentSpelling) -> &str {
        &self.texts[spelling.text.clone()]
    }
}

/// The spellings of every entity in a document, in text order.
pub fn spellings(context: &Context<'_>) -> DocumentSpellings {
    let occurrences = context.spelling_occurrences();
    let mut found = DocumentSpellings {
        texts: String::with_capacity(
            occurrences
                .iter()
                .map(|occurrence| occurrence.text.len())
                .sum(),
        ),
        spellings: Vec::with_capacity(occurrences.len()),
    };
    for occurrence in occurrences {
        let start = found.texts.len();
        found.texts.push_str(occurrence.text);
        found.spellings.push(DocumentSpelling {
            entity: occurrence.entity,
            text: start..found.texts.len(),
            accepted: occurrence.accepted,
            span: occurrence.span.clone(),
        });
    }
    found
}

/// A [`Spelling`] borrowed from the knowledge base or the text: a document
/// repeats its names, and copying each occurrence's text was most of the
/// cost of finding its spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Occurrence<'a> {
    entity: EntityId,
    text: &'a str,
    accepted: bool,
    span: Range<usize>,
}

impl<'a> Context<'a> {
    /// Each entity's distinct spellings at their first occurrence, in text
    /// order: found once per context, since both this rule and the run-wide
    /// check (through [`spellings`]) read them.
    fn spelling_occurrences(&self) -> &[Occurrence<'a>] {
        self.spelling_occurrences
            .get_or_init(|| distinct_occurrences(self))
    }

    /// This context, holding `occurrences`: what `spelling_occurrences`
    /// found in another context over the same document.
    pub(crate) fn with_spelling_occurrences(self, occurrences: SpellingOccurrences<'a>) -> Self {
        // A new context's cell is empty, so this always sets it.
        let _ = self.spelling_occurrences.set(occurrences.0);
        self
    }
}

/// A document's spelling occurrences, found in one [`Context`] and lent to
/// others over the same document: a large document's rules run side by
/// side, each with a context of its own, and the run-wide check reads the
/// same occurrences after them.
#[derive(Debug, Clone)]
pub(crate) struct SpellingOccurrences<'a>(Vec<Occurrence<'a>>);

/// The spelling occurrences of `context`'s document, to lend to other
/// contexts over it.
pub(crate) fn spelling_occurrences<'a>(context: &Context<'a>) -> SpellingOccurrences<'a> {
    SpellingOccurrences(context.spelling_occurrences().to_vec())
}

/// Room made at first for distinct spellings: as many as a short
/// document has occurrences, and a long one grows it a few times.
const DISTINCT_SPELLINGS_GUESS: usize = 64;

/// Each entity's distinct spellings at their first occurrence, in text
/// order.
fn distinct_occurrences<'a>(context: &Context<'a>) -> Vec<Occurrence<'a>> {
    let knowledge_base = context.knowledge_base;
    let text = context.text();
    // Only each spelling's first occurrence is kept as it is met: a long
    // document has a million mentions and a few thousand distinct
    // spellings, and listing every occurrence to sort and deduplicate them
    // wrote 50 MB.
    let guess = (context.mentions.len() + context.near_misses.len()).min(DISTINCT_SPELLINGS_GUESS);
    let mut occurrences: Vec<Occurrence<'a>> = Vec::with_capacity(guess);
    let mut index_of: HashMap<(EntityId, &'a str), usize, FixedState> =
        HashMap::with_capacity_and_hasher(guess, FixedState::default());
    let mut keep_first =
        |occurrence: Occurrence<'a>| match index_of.entry((occurrence.entity, occurrence.text)) {
            Entry::Occupied(index) => {
                let kept = &mut occurrences[*index.get()];
                if occurrence.span.start < kept.span.start {
                    *kept = occurrence;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(occurrences.len());
                occurrences.push(occurrence);
            }
        };
    for mention in context.mentions {
        let form = &knowledge_base.forms[mention.form];
        let accepted = match form.kind {
            FormKind::Canonical | FormKind::Alias => true,
            FormKind::Variant { .. } => false,
            // Acronyms, former and fixed names are not spellings of the name.
            FormKind::Acronym | FormKind::Former { .. } | FormKind::Fixed => continue,
        };
        keep_first(Occurrence {
            entity: form.entity,
            text: &form.text,
            accepted,
            span: mention.span(),
        });
    }
    for near_miss in context.near_misses {
        keep_first(Occurrence {
            entity: near_miss.entity,
            text: &text[near_miss.span.clone()],
            accepted: false,
            span: near_miss.span.clone(),
        });
    }
    // Mentions do not overlap, nor do near misses, which lie outside
    // mentions: no two occurrences start at one place.
    occurrences.sort_unstable_by_key(|occurrence| occurrence.span.start);
    occurrences
}

/// Accepted forms are one family; an unaccepted spelling is its own family,
/// shared with the spellings it ends with ("Khairat Abdulrahmanov" and
/// "Abdulrahmanov"; "Khalid Khiari" and the accepted surname "Khiari").
fn same_family(first: &Spelling, second: &Spelling) -> bool {
    same_family_of(
        (&first.text, first.accepted),
        (&second.text, second.accepted),
    )
}

/// [`same_family`] of two spellings given as their text and whether they
/// are accepted.
fn same_family_of(
    (first_text, first_accepted): (&str, bool),
    (second_text, second_accepted): (&str, bool),
) -> bool {
    match (first_accepted, second_accepted) {
        (true, true) => true,
        (false, false) => {
            ends_with_words(first_text, second_text) || ends_with_words(second_text, first_text)
        }
        (false, true) => ends_with_words(first_text, second_text),
        (true, false) => ends_with_words(second_text, first_text),
    }
}

/// Whether `long` is `short` or ends with a space and `short`.
fn ends_with_words(long: &str, short: &str) -> bool {
    long == short
        || long
            .strip_suffix(short)
            .is_some_and(|before| before.ends_with(' '))
}

impl Rule for NameInconsistent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let knowledge_base = context.knowledge_base;
        let all = context.spelling_occurrences();
        let mut reported: Vec<EntityId> = Vec::new();
        for (index, later) in all.iter().enumerate() {
            if reported.contains(&later.entity) {
                continue;
            }
            let Some(first) = all[..index].iter().find(|earlier| {
                earlier.entity == later.entity
                    && !same_family_of(
                        (earlier.text, earlier.accepted),
                        (later.text, later.accepted),
                    )
            }) else {
                continue;
            };
            reported.push(later.entity);
            let entity = knowledge_base.entity(later.entity);
            out.push(
                Diagnostic::new(
                    META.id,
                    META.default_severity,
                    later.span.clone(),
                    // Joined, not formatted: a fraction of the cost.
                    [
                        &entity.name,
                        " is written two ways in this document: `",
                        first.text,
                        "` and `",
                        later.text,
                        "`",
                    ]
                    .concat(),
                )
                .with_label("written differently here")
                .with_secondary(first.span.clone(), "first written like this")
                .with_entity(&entity.id)
                .with_note(["the canonical form is `", &entity.name, "`"].concat()),
            );
        }
    }
}

/// How one entity is spelled across a run: each distinct spelling, as
/// first seen, with the files it appears in (by index in the run's order).
type EntitySpellings = Vec<(Spelling, Vec<u32>)>;

/// The run-wide spellings, folded in file by file so that a run over an
/// archive keeps one entry per distinct spelling (plus four bytes per file
/// it appears in), not every file's list.
#[derive(Debug, Default)]
pub struct RunSpellings {
    /// Each entity's spellings, entities in the order first met.
    entities: Vec<(EntityId, EntitySpellings)>,
    /// Where each entity is in `entities`: a hash lookup per spelling, as
    /// every file is added, where a B-tree search was most of the cost of
    /// keeping a 4 KB file's spellings.
    position: HashMap<EntityId, usize, FixedState>,
}

impl RunSpellings {
    /// Adds the spellings of the file at `file` (its index in the run).
    /// Files must be added in run order: the first file to use a spelling
    /// is where the finding points.
    pub fn add(&mut self, file: usize, spellings: &DocumentSpellings) {
        let file = u32::try_from(file).unwrap_or(u32::MAX);
        for spelling in &spellings.spellings {
            let text = spellings.text(spelling);
            let position = *self
                .position
                .entry(spelling.entity)
                .or_insert(self.entities.len());
            if position == self.entities.len() {
                self.entities.push((spelling.entity, Vec::new()));
            }
            let entry = &mut self.entities[position].1;
            match entry.iter_mut().find(|(known, _)| known.text == text) {
                Some((_, in_files)) => {
                    if in_files.last() != Some(&file) {
                        in_files.push(file);
                    }
                }
                None => entry.push((
                    Spelling {
                        entity: spelling.entity,
                        text: text.to_owned(),
                        accepted: spelling.accepted,
                        span: spelling.span.clone(),
                    },
                    vec![file],
                )),
            }
        }
    }

    /// One finding per entity written differently in different files: the
    /// first file with an unaccepted spelling carries it (the `usize` is
    /// its index), and its notes name every file and form. `path_of` gives
    /// a file's path by index.
    pub fn findings(
        &self,
        knowledge_base: &KnowledgeBase,
        path_of: &dyn Fn(usize) -> String,
    ) -> Vec<(usize, Diagnostic)> {
        let mut findings = Vec::new();
        // In the order of entity ids, as the findings have always come.
        let mut by_entity: Vec<&(EntityId, EntitySpellings)> = self.entities.iter().collect();
        by_entity.sort_unstable_by_key(|(entity, _)| *entity);
        for (entity, spellings) in by_entity {
            // Two spellings of different families, not both confined to one
            // and the same file (that is the per-document check's finding).
            let differs_across_files =
                spellings
                    .iter()
                    .enumerate()
                    .any(|(index, (first, first_files))| {
                        spellings[index + 1..].iter().any(|(second, second_files)| {
                            let only_in_one_same_file = first_files.len() == 1
                                && second_files.len() == 1
                                && first_files[0] == second_files[0];
                            !same_family(first, second) && !only_in_one_same_file
                        })
                    });
            if !differs_across_files {
                continue;
            }
            let Some((carrier_spelling, carrier_files)) =
                spellings.iter().find(|(spelling, _)| !spelling.accepted)
            else {
                continue;
            };
            let carrier = carrier_files[0] as usize;
            let entity = knowledge_base.entity(*entity);
            let quoted: Vec<String> = spellings
                .iter()
                .map(|(spelling, _)| format!("`{}`", spelling.text))
                .collect();
            let mut diagnostic = Diagnostic::new(
                META.id,
                META.default_severity,
                carrier_spelling.span.clone(),
                format!(
                    "{} is written differently across files: {}",
                    entity.name,
                    quoted.join(", ")
                ),
            )
            .with_label("one of several spellings in this run")
            .with_entity(&entity.id);
            for (spelling, in_files) in spellings {
                let listed: Vec<String> = in_files
                    .iter()
                    .take(MAX_FILES_LISTED)
                    .map(|file| path_of(*file as usize))
                    .collect();
                let more = in_files.len().saturating_sub(MAX_FILES_LISTED);
                diagnostic = diagnostic.with_note(format!(
                    "`{}`{} in {}{}",
                    spelling.text,
                    if spelling.accepted { " (accepted)" } else { "" },
                    listed.join(", "),
                    if more > 0 {
                        format!(" and {more} more files")
                    } else {
                        String::new()
                    }
                ));
            }
            findings.push((carrier, diagnostic));
        }
        findings
    }
}

/// How many files a note names for one spelling before it only counts the
/// rest.
const MAX_FILES_LISTED: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_with_words_is_ends_with_a_space_and_the_words() {
        let texts = [
            "",
            " ",
            "Khiari",
            "Khalid Khiari",
            "KhalidKhiari",
            " Khiari",
            "Khiari ",
            "é Khiari",
            "Khalid  Khiari",
            "i",
            "Khalid Khiari Khiari",
        ];
        for long in texts {
            for short in texts {
                assert_eq!(
                    ends_with_words(long, short),
                    long == short || long.ends_with(&format!(" {short}")),
                    "{long:?} {short:?}"
                );
            }
        }
    }
}
