//! Real texts for tests that compare a fast pass with the simple one it
//! replaced: the sample corpus and every rule fixture, read from the
//! repository so the comparison grows with them.

use std::path::{Path, PathBuf};

/// The contents of every file under `corpus/` and `tests/fixtures/` that is
/// valid UTF-8.
pub fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for directory in ["corpus", "tests/fixtures"] {
        collect(&root.join(directory), &mut files);
    }
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    assert!(
        texts.len() >= 5,
        "the corpus and fixtures are where they were"
    );
    texts
}

fn collect(directory: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
