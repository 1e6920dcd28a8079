//! Reading pack files: TOML syntax and schema, collecting every error.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::IntoDeserializer;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::schema::{NearMissSettings, Office, Organization, Person, Place};
use super::{KbError, PackId, PackSource};

/// Everything one pack file declares, in file order.
#[derive(Debug, Default)]
pub struct ParsedPack {
    pub people: Vec<Person>,
    pub offices: Vec<Office>,
    pub organizations: Vec<Organization>,
    pub places: Vec<Place>,
    pub near_miss: Option<NearMissSettings>,
}

const TABLES: &str = "`person`, `office`, `organization`, `place` or `near-miss`";

/// Parses one pack. Syntax errors and schema errors of every entry are all
/// collected; the entries that are valid are still returned.
pub fn parse_pack(pack: PackId, text: &str) -> (ParsedPack, Vec<KbError>) {
    let mut parsed = ParsedPack::default();
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    let mut errors: Vec<KbError> = syntax_errors
        .iter()
        .map(|error| KbError::new(pack, error.span(), error.message()))
        .collect();
    if !errors.is_empty() {
        // A document with broken syntax yields a partial tree; schema errors
        // on top of it would only repeat the syntax error in other words.
        return (parsed, errors);
    }
    for (key, value) in root.into_inner() {
        if key.get_ref() == "near-miss" {
            let span = value.span();
            match NearMissSettings::deserialize(value.into_deserializer()) {
                Ok(settings) => parsed.near_miss = Some(settings),
                Err(error) => errors.push(KbError::new(
                    pack,
                    error.span().or(Some(span)),
                    error.message(),
                )),
            }
            continue;
        }
        let entries = match value.get_ref() {
            DeValue::Array(_) => value,
            _ => {
                errors.push(KbError::new(
                    pack,
                    Some(key.span()),
                    format!(
                        "`{}` must be an array of tables (`[[{}]]`)",
                        key.get_ref(),
                        key.get_ref()
                    ),
                ));
                continue;
            }
        };
        match key.get_ref().as_ref() {
            "person" => collect(pack, entries, &mut parsed.people, &mut errors),
            "office" => collect(pack, entries, &mut parsed.offices, &mut errors),
            "organization" => collect(pack, entries, &mut parsed.organizations, &mut errors),
            "place" => collect(pack, entries, &mut parsed.places, &mut errors),
            other => errors.push(KbError::new(
                pack,
                Some(key.span()),
                format!("unknown table `{other}`; a pack holds {TABLES}"),
            )),
        }
    }
    (parsed, errors)
}

/// Deserializes each element of an array separately, so one bad entry does
/// not hide the errors of the others.
fn collect<T: for<'de> Deserialize<'de>>(
    pack: PackId,
    entries: Spanned<DeValue<'_>>,
    out: &mut Vec<T>,
    errors: &mut Vec<KbError>,
) {
    let array_span = entries.span();
    let DeValue::Array(array) = entries.into_inner() else {
        return;
    };
    for entry in array {
        let entry_span = entry.span();
        match T::deserialize(entry.into_deserializer()) {
            Ok(value) => out.push(value),
            Err(error) => errors.push(KbError::new(
                pack,
                error
                    .span()
                    .or(Some(entry_span))
                    .or(Some(array_span.clone())),
                error.message(),
            )),
        }
    }
}

/// Reads the packs named with `--rules`: a file, or every `*.toml` file in a
/// directory (sorted, not recursive). Files that cannot be read are errors.
pub fn read_pack_paths(paths: &[PathBuf]) -> (Vec<PackSource>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            match toml_files_in(path) {
                Ok(files) if files.is_empty() => errors.push(format!(
                    "{}: no .toml files in this directory",
                    path.display()
                )),
                Ok(files) => {
                    for file in files {
                        read_one(&file, &mut sources, &mut errors);
                    }
                }
                Err(error) => errors.push(format!("{}: {error}", path.display())),
            }
        } else {
            read_one(path, &mut sources, &mut errors);
        }
    }
    (sources, errors)
}

fn toml_files_in(directory: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let path = entry?.path();
        if path.is_file()
            && path
                .extension()
                .is_some_and(|extension| extension == "toml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_one(path: &Path, sources: &mut Vec<PackSource>, errors: &mut Vec<String>) {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => sources.push(PackSource {
                name: path.display().to_string(),
                text,
            }),
            Err(error) => errors.push(format!(
                "{}: not valid UTF-8 (byte {})",
                path.display(),
                error.utf8_error().valid_up_to()
            )),
        },
        Err(error) => errors.push(format!("{}: {error}", path.display())),
    }
}

impl KbError {
    pub fn new(pack: PackId, span: Option<Range<usize>>, message: impl Into<String>) -> KbError {
        KbError {
            pack,
            span,
            message: message.into(),
            related: Vec::new(),
        }
    }
}
