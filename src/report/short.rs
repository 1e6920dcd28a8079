//! `--format short`: one line per finding, `path:line:col: severity[rule]:
//! message`, the shape editors and `grep` understand.

use std::io::{self, Write};

use super::lines::LineIndex;
use crate::lint::FileReport;

pub fn write_short(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let Ok(linted) = &report.outcome else {
            continue;
        };
        if linted.diagnostics.is_empty() {
            continue;
        }
        let path = report.path.display();
        let text = &linted.document.source;
        let index = LineIndex::new(text);
        for diagnostic in &linted.diagnostics {
            let start = index.position(text, diagnostic.span.start);
            writeln!(
                out,
                "{path}:{}:{}: {}[{}]: {}",
                start.line,
                start.column,
                diagnostic.severity,
                diagnostic.rule,
                one_line(&diagnostic.message)
            )?;
        }
    }
    Ok(())
}

/// A line break inside a message would split one finding over two records.
fn one_line(message: &str) -> String {
    message.replace("\r\n", " ").replace(['\r', '\n'], " ")
}
