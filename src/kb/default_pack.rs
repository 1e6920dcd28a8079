//! The default pack (`rules/*.toml`), compiled into the binary so that
//! `factlint check` works with no configuration.

use super::PackSource;

/// The embedded files, with the names diagnostics show for them.
const FILES: &[(&str, &str)] = &[
    (
        "rules/offices.toml",
        include_str!("../../rules/offices.toml"),
    ),
    ("rules/people.toml", include_str!("../../rules/people.toml")),
    (
        "rules/organizations.toml",
        include_str!("../../rules/organizations.toml"),
    ),
    ("rules/places.toml", include_str!("../../rules/places.toml")),
];

pub fn sources() -> Vec<PackSource> {
    FILES
        .iter()
        .map(|(name, text)| PackSource {
            name: format!("{name} (embedded)"),
            text: (*text).to_owned(),
        })
        .collect()
}
