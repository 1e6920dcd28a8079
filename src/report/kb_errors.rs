//! Knowledge-base errors, rendered like article findings but pointing into
//! the pack files.

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Config};

use super::Color;
use crate::kb::LoadFailure;

pub fn render(failure: &LoadFailure, color: Color) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = failure
        .packs
        .iter()
        .map(|pack| files.add(pack.name.clone(), pack.text.as_str()))
        .collect();
    let config = Config::default();
    let mut buffer = match color {
        Color::Always => Buffer::ansi(),
        Color::Never => Buffer::no_color(),
    };
    for error in &failure.errors {
        let mut snippet = Snippet::error()
            .with_code("knowledge-base")
            .with_message(&error.message);
        let mut labels = Vec::new();
        match &error.span {
            Some(span) => labels.push(Label::primary(ids[error.pack], span.clone())),
            None => {
                snippet = snippet.with_notes(vec![format!("in {}", failure.packs[error.pack].name)])
            }
        }
        labels.extend(error.related.iter().map(|related| {
            Label::secondary(ids[related.pack], related.span.clone()).with_message(&related.message)
        }));
        snippet = snippet.with_labels(labels);
        if term::emit_to_write_style(&mut buffer, &config, &files, &snippet).is_err() {
            // A span outside its file would be a bug in the loader; still
            // name the file and the message rather than lose the error.
            buffer.clear();
            return failure
                .errors
                .iter()
                .map(|error| {
                    format!(
                        "error: {}: {}\n",
                        failure.packs[error.pack].name, error.message
                    )
                })
                .collect();
        }
    }
    let count = failure.errors.len();
    let mut text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    text.push_str(&format!(
        "factlint: the knowledge base has {count} error{}; nothing was linted\n",
        if count == 1 { "" } else { "s" }
    ));
    text
}
