//! The knowledge base: entities, their surface forms and their facts.
//!
//! Packs are parsed and validated once per run ([`KnowledgeBase::load`]),
//! collecting every error, and the result is immutable and shared by all
//! worker threads.

mod compile;
pub mod default_pack;
pub mod load;
pub mod schema;

use std::ops::Range;

use crate::date::Period;

/// Index of a pack file in [`KnowledgeBase::packs`].
pub type PackId = usize;
/// Index of an entity in [`KnowledgeBase::entities`].
pub type EntityId = usize;
/// Index of a surface form in [`KnowledgeBase::forms`]; also the pattern id in
/// the scanner's automaton.
pub type FormId = usize;

/// A pack file as read: its display name and its text.
#[derive(Debug, Clone)]
pub struct PackSource {
    pub name: String,
    pub text: String,
}

/// A problem in a pack file, pointing at the bytes it is about.
#[derive(Debug, Clone)]
pub struct KbError {
    pub pack: PackId,
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Other places the error involves (the first claim of a duplicated form).
    pub related: Vec<RelatedSpan>,
}

#[derive(Debug, Clone)]
pub struct RelatedSpan {
    pub pack: PackId,
    pub span: Range<usize>,
    pub message: String,
}

/// Packs failed validation; nothing can be linted against them.
#[derive(Debug)]
pub struct LoadFailure {
    pub packs: Vec<PackSource>,
    pub errors: Vec<KbError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Person,
    Organization,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
}

#[derive(Debug)]
pub struct Entity {
    pub id: String,
    pub kind: EntityKind,
    /// The canonical name (for a place: the name it has today).
    pub name: String,
    pub source: String,
    pub note: Option<String>,
    pub facts: EntityFacts,
}

#[derive(Debug)]
pub enum EntityFacts {
    Person {
        roles: Vec<RoleFact>,
    },
    Organization {
        acronym: Option<String>,
        former: Vec<FormerNameFact>,
        members: Vec<MemberCountFact>,
        member_term: Option<String>,
    },
    Place {
        names: Vec<PlaceNameFact>,
    },
}

#[derive(Debug)]
pub struct RoleFact {
    pub office: usize,
    pub period: Period,
}

#[derive(Debug)]
pub struct FormerNameFact {
    pub name: String,
    pub acronym: Option<String>,
    pub period: Period,
}

#[derive(Debug)]
pub struct MemberCountFact {
    pub count: u32,
    pub term: String,
    pub period: Period,
    pub source: Option<String>,
}

#[derive(Debug)]
pub struct PlaceNameFact {
    pub name: String,
    pub period: Period,
    /// The name stays acceptable until this day (exclusive) after its
    /// period ends: the days a rename took to be published.
    pub grace_until: Option<crate::date::Date>,
}

impl PlaceNameFact {
    /// The period in which writing this name is not an error.
    pub fn accepted(&self) -> Period {
        Period {
            from: self.period.from,
            until: match (self.period.until, self.grace_until) {
                (Some(until), Some(grace)) => Some(until.max(grace)),
                (until, _) => until,
            },
        }
    }
}

#[derive(Debug)]
pub struct Office {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub source: String,
}

/// What a surface form says about the entity it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// The canonical name (or, for a place, one of its official names).
    Canonical,
    /// An accepted alternative; never flagged.
    Alias,
    /// A known non-canonical spelling, with the form to write instead.
    Variant {
        replacement: String,
    },
    Acronym,
    /// A name (or acronym) the organization had before a rename: index into
    /// its `former` facts.
    Former {
        index: usize,
        acronym: bool,
    },
    /// A proper name that keeps an old form (Astana Process); never flagged.
    Fixed,
}

/// One exact string the scanner looks for.
#[derive(Debug)]
pub struct SurfaceForm {
    pub text: String,
    pub entity: EntityId,
    pub kind: FormKind,
    pub pack: PackId,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub struct KnowledgeBase {
    pub packs: Vec<PackSource>,
    pub entities: Vec<Entity>,
    pub offices: Vec<Office>,
    pub forms: Vec<SurfaceForm>,
    /// For each entity, its forms: rules asking for one entity's names do
    /// not walk every form of a knowledge base that may hold 100,000
    /// entities.
    pub forms_by_entity: Vec<Vec<FormId>>,
    /// For each office, who held it and when.
    pub office_holders: Vec<Vec<(EntityId, Period)>>,
    /// Near-miss thresholds set by packs (later packs win, field by field).
    pub near_miss: schema::NearMissSettings,
}

impl KnowledgeBase {
    /// Parses, validates and compiles the given packs. Every error of every
    /// pack is returned at once.
    pub fn load(packs: Vec<PackSource>) -> Result<KnowledgeBase, LoadFailure> {
        let mut errors = Vec::new();
        let mut parsed = Vec::with_capacity(packs.len());
        for (pack_id, pack) in packs.iter().enumerate() {
            let (pack_entries, pack_errors) = load::parse_pack(pack_id, &pack.text);
            errors.extend(pack_errors);
            parsed.push(pack_entries);
        }
        let mut near_miss = schema::NearMissSettings::default();
        for settings in parsed.iter().filter_map(|pack| pack.near_miss) {
            near_miss.max_edits = settings.max_edits.or(near_miss.max_edits);
            near_miss.min_length = settings.min_length.or(near_miss.min_length);
            near_miss.min_similarity = settings.min_similarity.or(near_miss.min_similarity);
        }
        let (mut knowledge_base, compile_errors) = compile::compile(packs, parsed);
        knowledge_base.near_miss = near_miss;
        errors.extend(compile_errors);
        if errors.is_empty() {
            Ok(knowledge_base)
        } else {
            errors.sort_by_key(|error| (error.pack, error.span.as_ref().map(|span| span.start)));
            Err(LoadFailure {
                packs: knowledge_base.packs,
                errors,
            })
        }
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id]
    }

    /// Every surface form of `entity`.
    pub fn forms_of(&self, entity: EntityId) -> impl Iterator<Item = &SurfaceForm> {
        self.forms_by_entity
            .get(entity)
            .into_iter()
            .flatten()
            .map(|&form| &self.forms[form])
    }

    /// The roles of a person (empty for other entities).
    pub fn roles(&self, entity: EntityId) -> &[RoleFact] {
        match &self.entities[entity].facts {
            EntityFacts::Person { roles } => roles,
            _ => &[],
        }
    }

    pub fn entity_by_id(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|entity| entity.id == id)
    }
}
