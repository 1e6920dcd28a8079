//! The TOML schema of a knowledge-base pack (see `rules/README.md`).
//!
//! Values that a diagnostic may need to point at are wrapped in
//! [`Spanned`], so a validation error can label the exact bytes in the pack
//! file.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::date::{Date, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Person {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub variants: Vec<Spanned<VariantSpec>>,
    #[serde(default)]
    pub roles: Vec<Spanned<Role>>,
    pub note: Option<String>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Role {
    pub office: Spanned<String>,
    pub from: Option<TomlDate>,
    pub until: Option<TomlDate>,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Office {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub note: Option<String>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Organization {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub acronym: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub variants: Vec<Spanned<VariantSpec>>,
    #[serde(default)]
    pub former: Vec<Spanned<FormerName>>,
    #[serde(default)]
    pub members: Vec<Spanned<MemberCount>>,
    pub member_term: Option<String>,
    pub note: Option<String>,
    pub source: Spanned<String>,
}

/// A name an organization used before a rename.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FormerName {
    pub name: Spanned<String>,
    pub acronym: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub from: Option<TomlDate>,
    pub until: TomlDate,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemberCount {
    pub count: u32,
    pub term: String,
    pub from: Option<TomlDate>,
    pub until: Option<TomlDate>,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Place {
    pub id: Spanned<String>,
    pub names: Vec<Spanned<PlaceName>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub variants: Vec<Spanned<VariantSpec>>,
    #[serde(default)]
    pub fixed: Vec<Spanned<String>>,
    pub note: Option<String>,
    pub source: Spanned<String>,
}

/// One official name of a place, for the period it was official.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlaceName {
    pub name: Spanned<String>,
    pub from: Option<TomlDate>,
    pub until: Option<TomlDate>,
    /// The old name stays acceptable until this day while a rename is
    /// published (Astana: decree signed 17 Sep 2022, in force 19 Sep).
    pub grace_until: Option<TomlDate>,
    #[serde(default)]
    pub variants: Vec<Spanned<VariantSpec>>,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// A spelling to flag: a bare string, or a table naming its replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSpec {
    pub form: String,
    pub replacement: Option<String>,
}

impl<'de> Deserialize<'de> for VariantSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VariantVisitor;

        impl<'de> Visitor<'de> for VariantVisitor {
            type Value = VariantSpec;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a string or a table { form = "...", replacement = "..." }"#)
            }

            fn visit_str<E: de::Error>(self, form: &str) -> Result<VariantSpec, E> {
                Ok(VariantSpec {
                    form: form.to_owned(),
                    replacement: None,
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VariantSpec, A::Error> {
                let mut form = None;
                let mut replacement = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "form" => form = Some(map.next_value::<String>()?),
                        "replacement" => replacement = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["form", "replacement"]))
                        }
                    }
                }
                let form = form.ok_or_else(|| de::Error::missing_field("form"))?;
                Ok(VariantSpec { form, replacement })
            }
        }

        deserializer.deserialize_any(VariantVisitor)
    }
}

/// A TOML local date (`2019-03-23`); date-times and times are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TomlDate(pub Date);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match (value.date, value.time, value.offset) {
            (Some(date), None, None) => Date::new(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .map(TomlDate)
            .ok_or_else(|| de::Error::custom(format!("{value} is not a calendar date"))),
            _ => Err(de::Error::custom(format!(
                "expected a local date like 2019-03-23, found `{value}`"
            ))),
        }
    }
}

pub fn period(from: Option<TomlDate>, until: Option<TomlDate>) -> Period {
    Period {
        from: from.map(|date| date.0),
        until: until.map(|date| date.0),
    }
}

/// `[near-miss]` in a pack: how close an unknown spelling must be to a
/// known name to be flagged.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NearMissSettings {
    pub max_edits: Option<usize>,
    pub min_length: Option<usize>,
    pub min_similarity: Option<f64>,
}
