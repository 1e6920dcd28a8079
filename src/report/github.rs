//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request's changed lines.
//!
//! `::error file=PATH,line=L,endLine=L,col=C,endColumn=C,title=T::MESSAGE`,
//! escaped as the Actions toolkit escapes them: in the message `%`, CR and
//! LF; in property values also `:` and `,`, which would otherwise end the
//! property.

use std::io::{self, Write};

use super::lines::LineIndex;
use super::{message_with_help, portable_path};
use crate::diagnostic::Severity;
use crate::lint::FileReport;

pub fn write_github(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let path = escape_property(&portable_path(&report.path));
        let linted = match &report.outcome {
            Ok(linted) => linted,
            Err(error) => {
                // A file-level annotation, so the reviewer sees why the
                // file was not checked.
                writeln!(
                    out,
                    "::error file={path},title=factlint::{}",
                    escape_data(&error.to_string())
                )?;
                continue;
            }
        };
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        for diagnostic in &linted.diagnostics {
            let start = index.position(text, diagnostic.span.start);
            let end = index.position(text, diagnostic.span.end);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            write!(
                out,
                "::{command} file={path},line={},endLine={}",
                start.line, end.line
            )?;
            // GitHub accepts columns only when the annotation is on one line.
            if start.line == end.line {
                write!(out, ",col={},endColumn={}", start.column, end.column)?;
            }
            writeln!(
                out,
                ",title={}::{}",
                escape_property(&format!("factlint ({})", diagnostic.rule)),
                escape_data(&message_with_help(diagnostic))
            )?;
        }
    }
    Ok(())
}

fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("dir,1/a:b%.md\n"), "dir%2C1/a%3Ab%25.md%0A");
        // `%` goes first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
