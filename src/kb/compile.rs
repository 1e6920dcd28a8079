//! Turning parsed packs into a [`KnowledgeBase`], validating as it goes:
//! ids, empty names, surface forms claimed twice, date ranges, references.

use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;

use toml::Spanned;

use super::load::ParsedPack;
use super::schema::{self, VariantSpec};
use super::{
    Entity, EntityFacts, EntityId, EntityKind, FormKind, FormerNameFact, KbError, KnowledgeBase,
    MemberCountFact, Office, PackId, PackSource, PlaceNameFact, RelatedSpan, RoleFact, SurfaceForm,
};
use crate::date::Period;

/// The indexes borrow their keys from the parsed packs, and hash them with
/// a fast fixed-seed hash: with 100,000 entities, hashing and copying half a
/// million keys with the standard library's SipHash was a fifth of start-up.
/// The keys are the packs' own ids and names, not an attacker's.
type Index<'a, T> = HashMap<&'a str, T, FixedState>;

struct Compiler<'a> {
    entities: Vec<Entity>,
    offices: Vec<Office>,
    forms: Vec<SurfaceForm>,
    form_index: Index<'a, usize>,
    entity_ids: Index<'a, (PackId, Range<usize>)>,
    office_ids: Index<'a, usize>,
    errors: Vec<KbError>,
}

pub fn compile(packs: Vec<PackSource>, parsed: Vec<ParsedPack>) -> (KnowledgeBase, Vec<KbError>) {
    let entities: usize = parsed
        .iter()
        .map(|pack| pack.people.len() + pack.organizations.len() + pack.places.len())
        .sum();
    let offices: usize = parsed.iter().map(|pack| pack.offices.len()).sum();
    // Four or five forms an entity in practice; a guess, not a limit.
    let forms = entities * 5;
    let mut compiler = Compiler {
        entities: Vec::with_capacity(entities),
        offices: Vec::with_capacity(offices),
        forms: Vec::with_capacity(forms),
        form_index: Index::with_capacity_and_hasher(forms, FixedState::default()),
        entity_ids: Index::with_capacity_and_hasher(entities, FixedState::default()),
        office_ids: Index::with_capacity_and_hasher(offices, FixedState::default()),
        errors: Vec::new(),
    };
    // Offices first: roles in any pack may refer to offices in any other.
    for (pack, pack_entries) in parsed.iter().enumerate() {
        for office in &pack_entries.offices {
            compiler.add_office(pack, office);
        }
    }
    for (pack, pack_entries) in parsed.iter().enumerate() {
        for person in &pack_entries.people {
            compiler.add_person(pack, person);
        }
        for organization in &pack_entries.organizations {
            compiler.add_organization(pack, organization);
        }
        for place in &pack_entries.places {
            compiler.add_place(pack, place);
        }
    }
    let mut office_holders = vec![Vec::new(); compiler.offices.len()];
    for (entity, details) in compiler.entities.iter().enumerate() {
        if let EntityFacts::Person { roles } = &details.facts {
            for role in roles {
                office_holders[role.office].push((entity, role.period));
            }
        }
    }
    let Compiler {
        entities,
        offices,
        forms,
        errors,
        ..
    } = compiler;
    let mut forms_by_entity: Vec<Vec<super::FormId>> = vec![Vec::new(); entities.len()];
    for (form_id, form) in forms.iter().enumerate() {
        if let Some(list) = forms_by_entity.get_mut(form.entity) {
            list.push(form_id);
        }
    }
    let knowledge_base = KnowledgeBase {
        packs,
        entities,
        offices,
        forms,
        forms_by_entity,
        office_holders,
        near_miss: Default::default(),
    };
    (knowledge_base, errors)
}

impl<'a> Compiler<'a> {
    fn error(&mut self, pack: PackId, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(KbError::new(pack, Some(span), message));
    }

    fn check_id(&mut self, pack: PackId, id: &Spanned<String>) {
        let text = id.get_ref();
        let well_formed = !text.is_empty()
            && text.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !well_formed {
            self.error(
                pack,
                id.span(),
                format!(
                    "id `{text}` must be lowercase kebab-case (letters, digits and single hyphens)"
                ),
            );
        }
    }

    fn check_source(&mut self, pack: PackId, source: &Spanned<String>) {
        if source.get_ref().trim().is_empty() {
            self.error(
                pack,
                source.span(),
                "`source` is empty: say where these facts were checked",
            );
        }
    }

    /// Checks that a name is usable as a surface form; returns it if so.
    fn check_name<'text>(
        &mut self,
        pack: PackId,
        text: &'text str,
        span: Range<usize>,
        what: &str,
    ) -> Option<&'text str> {
        if text.trim().is_empty() {
            self.error(pack, span, format!("{what} is empty"));
            None
        } else if text.trim() != text {
            self.error(
                pack,
                span,
                format!("{what} `{text}` has leading or trailing spaces"),
            );
            None
        } else {
            Some(text)
        }
    }

    fn check_period(&mut self, pack: PackId, span: Range<usize>, period: Period) -> Period {
        if period.is_inverted() {
            self.error(
                pack,
                span,
                format!(
                    "inverted date range: `until` ({}) must be after `from` ({})",
                    period
                        .until
                        .map(|date| date.to_string())
                        .unwrap_or_default(),
                    period.from.map(|date| date.to_string()).unwrap_or_default()
                ),
            );
        }
        period
    }

    /// Reports every pair of overlapping periods among `items`.
    fn check_no_overlap(&mut self, pack: PackId, items: &[(Period, Range<usize>)], what: &str) {
        for (later_index, (later, later_span)) in items.iter().enumerate() {
            for (earlier, earlier_span) in &items[..later_index] {
                if later.overlaps(earlier) && !later.is_inverted() && !earlier.is_inverted() {
                    self.errors.push(KbError {
                        pack,
                        span: Some(later_span.clone()),
                        message: format!(
                            "overlapping date ranges: {what} {later} overlaps {earlier}"
                        ),
                        related: vec![RelatedSpan {
                            pack,
                            span: earlier_span.clone(),
                            message: "the range it overlaps".to_owned(),
                        }],
                    });
                }
            }
        }
    }

    /// Registers an entity id, reporting duplicates. Returns the new index.
    fn new_entity(&mut self, pack: PackId, id: &'a Spanned<String>, entity: Entity) -> EntityId {
        self.check_id(pack, id);
        if let Some((first_pack, first_span)) = self.entity_ids.get(id.get_ref().as_str()).cloned()
        {
            self.errors.push(KbError {
                pack,
                span: Some(id.span()),
                message: format!("duplicate entity id `{}`", id.get_ref()),
                related: vec![RelatedSpan {
                    pack: first_pack,
                    span: first_span,
                    message: "first defined here".to_owned(),
                }],
            });
        } else {
            self.entity_ids.insert(id.get_ref(), (pack, id.span()));
        }
        self.entities.push(entity);
        self.entities.len() - 1
    }

    /// Adds a surface form, rejecting a form claimed by two entities or given
    /// two meanings within one.
    fn add_form(
        &mut self,
        pack: PackId,
        entity: EntityId,
        name: &'a Spanned<String>,
        kind: FormKind,
        what: &str,
    ) {
        self.add_form_at(pack, entity, name.get_ref(), name.span(), kind, what);
    }

    fn add_form_at(
        &mut self,
        pack: PackId,
        entity: EntityId,
        text: &'a str,
        span: Range<usize>,
        kind: FormKind,
        what: &str,
    ) {
        let Some(text) = self.check_name(pack, text, span.clone(), what) else {
            return;
        };
        if let Some(&existing) = self.form_index.get(text) {
            let first = &self.forms[existing];
            if first.entity == entity && same_meaning(&first.kind, &kind) {
                return;
            }
            let message = if first.entity == entity {
                format!(
                    "`{text}` has two meanings for `{}`: {} and {}",
                    self.entities[entity].id,
                    describe(&first.kind),
                    describe(&kind)
                )
            } else {
                format!(
                    "`{text}` is claimed by two entities: `{}` and `{}`",
                    self.entities[first.entity].id, self.entities[entity].id
                )
            };
            let related = vec![RelatedSpan {
                pack: first.pack,
                span: first.span.clone(),
                message: format!("first claimed here by `{}`", self.entities[first.entity].id),
            }];
            self.errors.push(KbError {
                pack,
                span: Some(span),
                message,
                related,
            });
            return;
        }
        self.form_index.insert(text, self.forms.len());
        self.forms.push(SurfaceForm {
            text: text.to_owned(),
            entity,
            kind,
            pack,
            span,
        });
    }

    fn add_variants(
        &mut self,
        pack: PackId,
        entity: EntityId,
        variants: &'a [Spanned<VariantSpec>],
        default_replacement: impl Fn(&str) -> String,
    ) {
        for variant in variants {
            let spec = variant.get_ref();
            let replacement = spec
                .replacement
                .clone()
                .unwrap_or_else(|| default_replacement(&spec.form));
            if replacement.trim().is_empty() {
                self.error(pack, variant.span(), "variant replacement is empty");
                continue;
            }
            if replacement == spec.form {
                self.error(
                    pack,
                    variant.span(),
                    format!("variant `{}` is replaced by itself", spec.form),
                );
                continue;
            }
            self.add_form_at(
                pack,
                entity,
                &spec.form,
                variant.span(),
                FormKind::Variant { replacement },
                "variant",
            );
        }
    }

    fn add_aliases(&mut self, pack: PackId, entity: EntityId, aliases: &'a [Spanned<String>]) {
        for alias in aliases {
            self.add_form(pack, entity, alias, FormKind::Alias, "alias");
        }
    }

    fn add_office(&mut self, pack: PackId, office: &'a schema::Office) {
        self.check_id(pack, &office.id);
        self.check_source(pack, &office.source);
        self.check_name(
            pack,
            office.title.get_ref(),
            office.title.span(),
            "office title",
        );
        if self.office_ids.contains_key(office.id.get_ref().as_str()) {
            self.error(
                pack,
                office.id.span(),
                format!("duplicate office id `{}`", office.id.get_ref()),
            );
            return;
        }
        self.office_ids
            .insert(office.id.get_ref(), self.offices.len());
        self.offices.push(Office {
            id: office.id.get_ref().clone(),
            title: office.title.get_ref().clone(),
            aliases: office
                .aliases
                .iter()
                .map(|alias| alias.get_ref().clone())
                .collect(),
            source: office.source.get_ref().clone(),
        });
    }

    fn add_person(&mut self, pack: PackId, person: &'a schema::Person) {
        self.check_source(pack, &person.source);
        let mut roles = Vec::new();
        let mut per_office: HashMap<usize, Vec<(Period, Range<usize>)>> = HashMap::new();
        for role in &person.roles {
            let entry = role.get_ref();
            let period =
                self.check_period(pack, role.span(), schema::period(entry.from, entry.until));
            match self.office_ids.get(entry.office.get_ref().as_str()) {
                Some(&office) => {
                    roles.push(RoleFact { office, period });
                    per_office
                        .entry(office)
                        .or_default()
                        .push((period, role.span()));
                }
                None => self.error(
                    pack,
                    entry.office.span(),
                    format!(
                        "unknown office `{}`: declare it in an `[[office]]` table",
                        entry.office.get_ref()
                    ),
                ),
            }
        }
        let mut offices: Vec<_> = per_office.into_iter().collect();
        offices.sort_by_key(|(office, _)| *office);
        for (office, periods) in offices {
            let what = format!("`{}`", self.offices[office].id);
            self.check_no_overlap(pack, &periods, &what);
        }
        let entity = self.new_entity(
            pack,
            &person.id,
            Entity {
                id: person.id.get_ref().clone(),
                kind: EntityKind::Person,
                name: person.name.get_ref().clone(),
                source: person.source.get_ref().clone(),
                note: person.note.clone(),
                facts: EntityFacts::Person { roles },
            },
        );
        self.add_form(pack, entity, &person.name, FormKind::Canonical, "name");
        self.add_aliases(pack, entity, &person.aliases);
        let canonical = person.name.get_ref().clone();
        self.add_variants(pack, entity, &person.variants, |form| {
            trailing_words(&canonical, form.split_whitespace().count())
        });
    }

    fn add_organization(&mut self, pack: PackId, organization: &'a schema::Organization) {
        self.check_source(pack, &organization.source);
        let mut former = Vec::new();
        for entry in &organization.former {
            let name = entry.get_ref();
            let period = self.check_period(
                pack,
                entry.span(),
                schema::period(name.from, Some(name.until)),
            );
            former.push(FormerNameFact {
                name: name.name.get_ref().clone(),
                acronym: name
                    .acronym
                    .as_ref()
                    .map(|acronym| acronym.get_ref().clone()),
                period,
            });
        }
        let mut members = Vec::new();
        let mut member_periods = Vec::new();
        for entry in &organization.members {
            let count = entry.get_ref();
            let period =
                self.check_period(pack, entry.span(), schema::period(count.from, count.until));
            member_periods.push((period, entry.span()));
            members.push(MemberCountFact {
                count: count.count,
                term: count.term.clone(),
                period,
                source: count.source.clone(),
            });
        }
        self.check_no_overlap(pack, &member_periods, "member count");
        let entity = self.new_entity(
            pack,
            &organization.id,
            Entity {
                id: organization.id.get_ref().clone(),
                kind: EntityKind::Organization,
                name: organization.name.get_ref().clone(),
                source: organization.source.get_ref().clone(),
                note: organization.note.clone(),
                facts: EntityFacts::Organization {
                    acronym: organization
                        .acronym
                        .as_ref()
                        .map(|acronym| acronym.get_ref().clone()),
                    former,
                    members,
                    member_term: organization.member_term.clone(),
                },
            },
        );
        self.add_form(
            pack,
            entity,
            &organization.name,
            FormKind::Canonical,
            "name",
        );
        if let Some(acronym) = &organization.acronym {
            self.add_form(pack, entity, acronym, FormKind::Acronym, "acronym");
        }
        self.add_aliases(pack, entity, &organization.aliases);
        let canonical = organization.name.get_ref().clone();
        self.add_variants(pack, entity, &organization.variants, |_| canonical.clone());
        for (index, entry) in organization.former.iter().enumerate() {
            let name = entry.get_ref();
            self.add_form(
                pack,
                entity,
                &name.name,
                FormKind::Former {
                    index,
                    acronym: false,
                },
                "former name",
            );
            for alias in &name.aliases {
                self.add_form(
                    pack,
                    entity,
                    alias,
                    FormKind::Former {
                        index,
                        acronym: false,
                    },
                    "former name alias",
                );
            }
            if let Some(acronym) = &name.acronym {
                self.add_form(
                    pack,
                    entity,
                    acronym,
                    FormKind::Former {
                        index,
                        acronym: true,
                    },
                    "former acronym",
                );
            }
        }
    }

    fn add_place(&mut self, pack: PackId, place: &'a schema::Place) {
        self.check_source(pack, &place.source);
        if place.names.is_empty() {
            self.error(
                pack,
                place.id.span(),
                format!("place `{}` has no `names`", place.id.get_ref()),
            );
        }
        let mut names = Vec::new();
        let mut periods = Vec::new();
        for entry in &place.names {
            let name = entry.get_ref();
            let period =
                self.check_period(pack, entry.span(), schema::period(name.from, name.until));
            periods.push((period, entry.span()));
            let grace_until = name.grace_until.map(|date| date.0);
            if let (Some(grace), Some(until)) = (grace_until, period.until) {
                if grace <= until {
                    self.error(
                        pack,
                        entry.span(),
                        format!("`grace-until` ({grace}) must be after `until` ({until})"),
                    );
                }
            }
            if grace_until.is_some() && period.until.is_none() {
                self.error(pack, entry.span(), "`grace-until` needs an `until`");
            }
            names.push(PlaceNameFact {
                name: name.name.get_ref().clone(),
                period,
                grace_until,
            });
        }
        self.check_no_overlap(pack, &periods, "name period");
        // The canonical name is the one with no end date (the name today);
        // failing that, the last one listed.
        let canonical = place
            .names
            .iter()
            .find(|name| name.get_ref().until.is_none())
            .or(place.names.last())
            .map(|name| name.get_ref().name.get_ref().clone())
            .unwrap_or_default();
        let entity = self.new_entity(
            pack,
            &place.id,
            Entity {
                id: place.id.get_ref().clone(),
                kind: EntityKind::Place,
                name: canonical.clone(),
                source: place.source.get_ref().clone(),
                note: place.note.clone(),
                facts: EntityFacts::Place { names },
            },
        );
        for entry in &place.names {
            let name = entry.get_ref();
            self.add_form(pack, entity, &name.name, FormKind::Canonical, "place name");
            let period_name = name.name.get_ref().clone();
            self.add_variants(pack, entity, &name.variants, |_| period_name.clone());
        }
        self.add_aliases(pack, entity, &place.aliases);
        self.add_variants(pack, entity, &place.variants, |_| canonical.clone());
        for fixed in &place.fixed {
            self.add_form(pack, entity, fixed, FormKind::Fixed, "fixed name");
        }
    }
}

/// The last `count` words of `name` (all of it if it has fewer): the
/// replacement for a person's variant of that many words.
fn trailing_words(name: &str, count: usize) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let keep = count.clamp(1, words.len().max(1));
    words[words.len().saturating_sub(keep)..].join(" ")
}

fn same_meaning(first: &FormKind, second: &FormKind) -> bool {
    match (first, second) {
        (FormKind::Variant { replacement: a }, FormKind::Variant { replacement: b }) => a == b,
        (
            FormKind::Former {
                index: a,
                acronym: x,
            },
            FormKind::Former {
                index: b,
                acronym: y,
            },
        ) => a == b && x == y,
        _ => first == second,
    }
}

fn describe(kind: &FormKind) -> String {
    match kind {
        FormKind::Canonical => "its name".to_owned(),
        FormKind::Alias => "an accepted alias".to_owned(),
        FormKind::Variant { replacement } => format!("a variant of `{replacement}`"),
        FormKind::Acronym => "its acronym".to_owned(),
        FormKind::Former { .. } => "a former name".to_owned(),
        FormKind::Fixed => "a fixed name".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::trailing_words;

    #[test]
    fn person_variants_are_replaced_by_as_many_trailing_words() {
        assert_eq!(
            trailing_words("Kairat Abdrakhmanov", 2),
            "Kairat Abdrakhmanov"
        );
        assert_eq!(trailing_words("Kairat Abdrakhmanov", 1), "Abdrakhmanov");
        assert_eq!(trailing_words("Yousef M. Al-Dobeay", 1), "Al-Dobeay");
        assert_eq!(trailing_words("Khaled Khiari", 4), "Khaled Khiari");
    }
}
