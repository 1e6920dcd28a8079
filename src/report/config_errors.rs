//! Errors in `factlint.toml`, rendered with their place in the file.

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Config};

use super::Color;
use crate::config::ConfigFailure;

pub fn render(failure: &ConfigFailure, color: Color) -> String {
    let name = failure.path.display().to_string();
    let file = SimpleFile::new(name.as_str(), failure.text.as_str());
    let mut buffer = match color {
        Color::Always => Buffer::ansi(),
        Color::Never => Buffer::no_color(),
    };
    let mut fallback = String::new();
    for error in &failure.errors {
        let mut snippet = Snippet::error()
            .with_code("config")
            .with_message(&error.message);
        match &error.span {
            Some(span) => snippet = snippet.with_labels(vec![Label::primary((), span.clone())]),
            None => snippet = snippet.with_notes(vec![format!("in {name}")]),
        }
        if term::emit_to_write_style(&mut buffer, &Config::default(), &file, &snippet).is_err() {
            fallback.push_str(&format!("error: {name}: {}\n", error.message));
        }
    }
    let mut text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    text.push_str(&fallback);
    text.push_str(&format!(
        "factlint: {name} has errors; nothing was linted\n"
    ));
    text
}
