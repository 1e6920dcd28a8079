//! factlint checks editorial content (news articles, press releases) for
//! name and fact inconsistencies against a knowledge base.
//!
//! The core ([`lint::Linter`]) turns a knowledge base and documents into
//! [`diagnostic::Diagnostic`]s; it prints nothing. The shell ([`cli`])
//! loads packs, walks paths, renders reports and picks the exit code.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod fix;
pub mod kb;
pub mod lint;
pub mod near_miss;
mod progress;
pub mod report;
pub mod rules;
pub mod scan;
#[cfg(test)]
mod test_texts;
pub mod titles;
pub mod transliteration;
pub mod walk;
pub mod wordlist;
