//! Project configuration: `factlint.toml`, found in the working directory
//! or its parents (or named with `--config`).
//!
//! Settings layer predictably: built-in defaults, then the file, then the
//! command line. The file is strict: an unknown key, a value of the wrong
//! type or an unknown rule id is an error pointing at its line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::kb::schema::NearMissSettings;
use crate::rules::RULES;

pub const FILE_NAME: &str = "factlint.toml";

/// What undated documents are judged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Undated {
    /// Today's date, said in a note.
    Today,
    /// Temporal rules skip the document.
    Skip,
}

impl Undated {
    pub fn as_str(self) -> &'static str {
        match self {
            Undated::Today => "today",
            Undated::Skip => "skip",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(name: SeverityName) -> Severity {
        match name {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// `factlint.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub packs: Option<Vec<Spanned<String>>>,
    pub default_pack: Option<bool>,
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<SeverityName>,
    pub undated: Option<Undated>,
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub severity: Option<BTreeMap<Spanned<String>, SeverityName>>,
    pub per_path: Option<Vec<PerPathFile>>,
    pub near_miss: Option<NearMissSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PerPathFile {
    pub paths: Vec<Spanned<String>>,
    pub ignore: Vec<Spanned<String>>,
}

/// A problem in the configuration file, pointing at its bytes.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// The configuration file that failed, with its text for rendering.
#[derive(Debug)]
pub struct ConfigFailure {
    pub path: PathBuf,
    pub text: String,
    pub errors: Vec<ConfigError>,
}

/// Rules switched off for files matching some globs.
#[derive(Debug, Clone)]
pub struct PerPath {
    pub paths: Vec<String>,
    pub ignore: Vec<String>,
    matcher: GlobSet,
}

/// The settings in force, after layering.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file these settings came from, if any.
    pub file: Option<PathBuf>,
    /// Packs to load, resolved against the file's directory.
    pub packs: Vec<PathBuf>,
    pub default_pack: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Severity,
    pub undated: Undated,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub per_path: Vec<PerPath>,
    pub near_miss: NearMissSettings,
    /// Where include/exclude/per-path globs are relative to.
    pub root: PathBuf,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            file: None,
            packs: Vec::new(),
            default_pack: true,
            select: vec!["all".to_owned()],
            ignore: Vec::new(),
            fail_on: Severity::Error,
            undated: Undated::Today,
            include: Vec::new(),
            exclude: Vec::new(),
            severity: BTreeMap::new(),
            per_path: Vec::new(),
            near_miss: NearMissSettings::default(),
            root: PathBuf::from("."),
            include_set: None,
            exclude_set: None,
        }
    }
}

/// `factlint.toml` in `start` or its nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|directory| directory.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

impl Config {
    /// Loads a configuration file on top of the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigFailure> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigFailure {
            path: path.to_path_buf(),
            text: String::new(),
            errors: vec![ConfigError {
                span: None,
                message: format!("cannot read the configuration: {error}"),
            }],
        })?;
        let root = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Config::parse(&text, &root)
            .map(|mut config| {
                config.file = Some(path.to_path_buf());
                config
            })
            .map_err(|errors| ConfigFailure {
                path: path.to_path_buf(),
                text,
                errors,
            })
    }

    /// Parses configuration text; relative paths in it are relative to
    /// `root`.
    pub fn parse(text: &str, root: &Path) -> Result<Config, Vec<ConfigError>> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
            vec![ConfigError {
                span: error.span(),
                message: error.message().to_owned(),
            }]
        })?;
        let mut errors = Vec::new();
        let mut config = Config {
            root: root.to_path_buf(),
            ..Config::default()
        };
        let known_rule = |id: &Spanned<String>, errors: &mut Vec<ConfigError>, allow_all: bool| {
            let name = id.get_ref();
            if (allow_all && name == "all") || RULES.iter().any(|rule| rule.meta().id == name) {
                true
            } else {
                errors.push(ConfigError {
                    span: Some(id.span()),
                    message: format!("unknown rule `{name}`; `factlint rules` lists them"),
                });
                false
            }
        };
        if let Some(packs) = &file.packs {
            config.packs = packs.iter().map(|pack| root.join(pack.get_ref())).collect();
        }
        if let Some(default_pack) = file.default_pack {
            config.default_pack = default_pack;
        }
        if let Some(select) = &file.select {
            config.select = select
                .iter()
                .filter(|id| known_rule(id, &mut errors, true))
                .map(|id| id.get_ref().clone())
                .collect();
        }
        if let Some(ignore) = &file.ignore {
            config.ignore = ignore
                .iter()
                .filter(|id| known_rule(id, &mut errors, false))
                .map(|id| id.get_ref().clone())
                .collect();
        }
        if let Some(fail_on) = file.fail_on {
            config.fail_on = fail_on.into();
        }
        if let Some(undated) = file.undated {
            config.undated = undated;
        }
        if let Some(severity) = &file.severity {
            for (rule, level) in severity {
                if known_rule(rule, &mut errors, false) {
                    config
                        .severity
                        .insert(rule.get_ref().clone(), (*level).into());
                }
            }
        }
        let globs = |patterns: &Option<Vec<Spanned<String>>>,
                     errors: &mut Vec<ConfigError>|
         -> Vec<String> {
            let mut valid = Vec::new();
            for pattern in patterns.iter().flatten() {
                match Glob::new(pattern.get_ref()) {
                    Ok(_) => valid.push(pattern.get_ref().clone()),
                    Err(error) => errors.push(ConfigError {
                        span: Some(pattern.span()),
                        message: format!("invalid glob: {}", error.kind()),
                    }),
                }
            }
            valid
        };
        config.include = globs(&file.include, &mut errors);
        config.exclude = globs(&file.exclude, &mut errors);
        for entry in file.per_path.iter().flatten() {
            let paths = globs(&Some(entry.paths.clone()), &mut errors);
            let ignore: Vec<String> = entry
                .ignore
                .iter()
                .filter(|id| known_rule(id, &mut errors, false))
                .map(|id| id.get_ref().clone())
                .collect();
            config.per_path.push(PerPath {
                matcher: glob_set(&paths),
                paths,
                ignore,
            });
        }
        if let Some(near_miss) = file.near_miss {
            config.near_miss = near_miss;
        }
        config.rebuild_globs();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    fn rebuild_globs(&mut self) {
        self.include_set = (!self.include.is_empty()).then(|| glob_set(&self.include));
        self.exclude_set = (!self.exclude.is_empty()).then(|| glob_set(&self.exclude));
    }

    /// Whether a rule runs on a file: selected, not ignored, not ignored
    /// for this path.
    pub fn rule_enabled(&self, rule: &str, path: &Path) -> bool {
        let selected = self.select.iter().any(|id| id == "all" || id == rule);
        if !selected || self.ignore.iter().any(|id| id == rule) {
            return false;
        }
        // Asked for every rule of every file: the path is not made relative
        // when there is no per-path setting to match it against.
        if self.per_path.is_empty() {
            return true;
        }
        let relative = self.relative(path);
        !self.per_path.iter().any(|entry| {
            entry.matcher.is_match(&relative) && entry.ignore.iter().any(|id| id == rule)
        })
    }

    /// The severity a rule reports at.
    pub fn severity_of(&self, rule: &str, default: Severity) -> Severity {
        self.severity.get(rule).copied().unwrap_or(default)
    }

    /// Whether a file found by walking a directory is linted, by the
    /// include and exclude globs. Files named on the command line are
    /// always linted.
    pub fn walk_includes(&self, path: &Path) -> bool {
        if self.include_set.is_none() && self.exclude_set.is_none() {
            // Without globs every file is included; working out its
            // relative path was a copy per file (and canonicalising both
            // paths when a configuration file sets a root).
            return true;
        }
        let relative = self.relative(path);
        let included = self
            .include_set
            .as_ref()
            .is_none_or(|set| set.is_match(&relative));
        let excluded = self
            .exclude_set
            .as_ref()
            .is_some_and(|set| set.is_match(&relative));
        included && !excluded
    }

    /// `path` relative to the configuration's root, for glob matching.
    fn relative(&self, path: &Path) -> PathBuf {
        let path = path.strip_prefix("./").unwrap_or(path);
        let root = self.root.strip_prefix("./").unwrap_or(&self.root);
        if root == Path::new(".") || root.as_os_str().is_empty() {
            return path.to_path_buf();
        }
        match (path.canonicalize(), root.canonicalize()) {
            (Ok(absolute), Ok(root)) => absolute
                .strip_prefix(&root)
                .map_or(absolute.clone(), Path::to_path_buf),
            _ => path.strip_prefix(root).unwrap_or(path).to_path_buf(),
        }
    }

    /// The settings in force, as TOML a user could paste into
    /// `factlint.toml`.
    pub fn to_toml(&self) -> String {
        let quote = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut out = String::new();
        match &self.file {
            Some(file) => {
                let _ = writeln!(out, "# from {}, over the built-in defaults", file.display());
            }
            None => out.push_str("# built-in defaults: no factlint.toml found\n"),
        }
        let packs: Vec<String> = self
            .packs
            .iter()
            .map(|pack| pack.display().to_string())
            .collect();
        let _ = writeln!(out, "packs = {}", quote(&packs));
        let _ = writeln!(out, "default-pack = {}", self.default_pack);
        let _ = writeln!(out, "select = {}", quote(&self.select));
        let _ = writeln!(out, "ignore = {}", quote(&self.ignore));
        let _ = writeln!(out, "fail-on = \"{}\"", self.fail_on.as_str());
        let _ = writeln!(out, "undated = \"{}\"", self.undated.as_str());
        let _ = writeln!(out, "include = {}", quote(&self.include));
        let _ = writeln!(out, "exclude = {}", quote(&self.exclude));
        out.push_str("\n[severity]\n");
        for rule in RULES {
            let id = rule.meta().id;
            let severity = self.severity_of(id, rule.meta().default_severity);
            let _ = writeln!(out, "{id} = \"{}\"", severity.as_str());
        }
        for entry in &self.per_path {
            let _ = writeln!(
                out,
                "\n[[per-path]]\npaths = {}\nignore = {}",
                quote(&entry.paths),
                quote(&entry.ignore)
            );
        }
        out.push_str("\n[near-miss]\n");
        let near_miss = self.near_miss;
        let defaults = crate::near_miss::Thresholds::default();
        let _ = writeln!(
            out,
            "max-edits = {}",
            near_miss.max_edits.unwrap_or(defaults.max_edits)
        );
        let _ = writeln!(
            out,
            "min-length = {}",
            near_miss.min_length.unwrap_or(defaults.min_length)
        );
        let _ = writeln!(
            out,
            "min-similarity = {}",
            near_miss.min_similarity.unwrap_or(defaults.min_similarity)
        );
        out
    }
}

fn glob_set(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        Config::parse(text, Path::new("."))
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = parse("").unwrap();
        let defaults = Config::default();
        assert_eq!(config.to_toml(), defaults.to_toml());
        assert!(config.rule_enabled("stale-name", Path::new("a.md")));
    }

    #[test]
    fn every_setting_is_read() {
        let config = parse(
            r#"
packs = ["rules/house.toml"]
default-pack = false
select = ["all"]
ignore = ["name-near-miss"]
fail-on = "warning"
undated = "skip"
include = ["content/**/*.md"]
exclude = ["content/archive/**"]

[severity]
stale-name = "error"

[[per-path]]
paths = ["content/history/**"]
ignore = ["stale-name"]

[near-miss]
max-edits = 1
min-length = 6
"#,
        )
        .unwrap();
        assert_eq!(config.packs, [PathBuf::from("./rules/house.toml")]);
        assert!(!config.default_pack);
        assert!(!config.rule_enabled("name-near-miss", Path::new("content/a.md")));
        assert!(config.rule_enabled("stale-name", Path::new("content/a.md")));
        assert!(!config.rule_enabled("stale-name", Path::new("content/history/1998.md")));
        assert_eq!(config.fail_on, Severity::Warning);
        assert_eq!(config.undated, Undated::Skip);
        assert_eq!(
            config.severity_of("stale-name", Severity::Warning),
            Severity::Error
        );
        assert!(config.walk_includes(Path::new("content/news/a.md")));
        assert!(!config.walk_includes(Path::new("content/archive/a.md")));
        assert!(!config.walk_includes(Path::new("drafts/a.md")));
        assert_eq!(config.near_miss.max_edits, Some(1));
    }

    #[test]
    fn unknown_keys_wrong_types_and_unknown_rules_point_at_their_bytes() {
        let text = "select = [\"all\"]\nignroe = [\"stale-name\"]\n";
        let errors = parse(text).unwrap_err();
        let span = errors[0].span.clone().unwrap();
        assert_eq!(&text[span], "ignroe");
        assert!(errors[0].message.contains("unknown field `ignroe`"));

        let errors = parse("fail-on = 3\n").unwrap_err();
        assert!(errors[0].span.is_some());

        let text = "ignore = [\"stale-names\"]\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(&text[errors[0].span.clone().unwrap()], "\"stale-names\"");
        assert!(errors[0].message.contains("unknown rule `stale-names`"));
    }

    #[test]
    fn finds_the_nearest_file_upwards() {
        let directory =
            std::env::temp_dir().join(format!("factlint-config-{}", std::process::id()));
        let nested = directory.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(directory.join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&nested), Some(directory.join(FILE_NAME)));
        let _ = std::fs::remove_dir_all(&directory);
    }
}
