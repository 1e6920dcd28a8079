//! Turning the paths on the command line into the files to lint.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::document::Format;

/// The files to lint, sorted by path, and the paths that could not be used.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<(PathBuf, Format)>,
    pub errors: Vec<(PathBuf, String)>,
}

/// Directories are walked respecting `.gitignore`, `.ignore` and hidden-file
/// rules, keeping `.txt`, `.md`, `.markdown`, `.html` and `.htm` files; a
/// file named explicitly is always linted (as text, unless its extension says
/// Markdown or HTML).
/// `include` decides, for each file found by walking, whether it is linted
/// (the configuration's include and exclude globs).
pub fn collect(paths: &[PathBuf], include: &(dyn Fn(&Path) -> bool + Sync)) -> Walk {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => errors.push((path.clone(), describe_io_error(&error))),
            Ok(metadata) if metadata.is_dir() => {
                walk_directory(path, include, &mut files, &mut errors)
            }
            Ok(_) => {
                let format = Format::from_path(path).unwrap_or(Format::Text);
                files.push((path.clone(), format));
            }
        }
    }
    Walk {
        files: sorted_without_duplicates(files),
        errors,
    }
}

/// The files in `Path` order, each path once, as a `BTreeMap<PathBuf,
/// Format>` filled by `insert` holds them: of equal paths ("a/b", "a//b")
/// the one found first, with the format found last.
///
/// Comparing `Path`s parses both into components every time, which was most
/// of the cost of walking an archive; each path is parsed once here into a
/// key whose byte order is the `Path` order.
fn sorted_without_duplicates(mut files: Vec<(PathBuf, Format)>) -> Vec<(PathBuf, Format)> {
    // Every key, one after the other: one allocation, not one per file.
    let mut keys: Vec<u8> = Vec::new();
    let mut order: Vec<(Range<usize>, usize)> = Vec::with_capacity(files.len());
    for (index, (path, _)) in files.iter().enumerate() {
        let start = keys.len();
        if !push_order_key(path, &mut keys) {
            return sorted_by_path(files);
        }
        order.push((start..keys.len(), index));
    }
    // Equal paths stay in the order they were found: the index breaks ties.
    order.sort_unstable_by(|(left, left_index), (right, right_index)| {
        keys[left.clone()]
            .cmp(&keys[right.clone()])
            .then(left_index.cmp(right_index))
    });
    let mut sorted: Vec<(PathBuf, Format)> = Vec::with_capacity(order.len());
    let mut previous: Option<&[u8]> = None;
    for (range, index) in &order {
        let key = &keys[range.clone()];
        let format = files[*index].1;
        match sorted.last_mut() {
            Some(last) if previous == Some(key) => last.1 = format,
            _ => sorted.push((std::mem::take(&mut files[*index].0), format)),
        }
        previous = Some(key);
    }
    sorted
}

/// [`sorted_without_duplicates`] comparing the paths themselves.
fn sorted_by_path(mut files: Vec<(PathBuf, Format)>) -> Vec<(PathBuf, Format)> {
    files.sort_by(|(left, _), (right, _)| left.cmp(right));
    files.dedup_by(|later, earlier| {
        let equal = later.0 == earlier.0;
        if equal {
            earlier.1 = later.1;
        }
        equal
    });
    files
}

/// Appends to `key` bytes that sort as `path` does among `Path`s: each
/// component as a tag in the order of [`Component`]'s variants, its name,
/// and a 0 byte that ends it (a name never holds one), so that a component
/// sorts before any longer one it begins. False for a path with a Windows
/// prefix, whose order is not that of its bytes.
fn push_order_key(path: &Path, key: &mut Vec<u8>) -> bool {
    for component in path.components() {
        match component {
            Component::Prefix(_) => return false,
            Component::RootDir => key.push(1),
            Component::CurDir => key.push(2),
            Component::ParentDir => key.push(3),
            Component::Normal(name) => {
                key.push(4);
                key.extend_from_slice(name.as_encoded_bytes());
            }
        }
        key.push(0);
    }
    true
}

/// Walks `root` on a thread per core: walking 23,000 files of an archive
/// on one thread took 55-65 ms, with the other core idle until the files
/// were known. The files are sorted afterwards; the errors are sorted here
/// by path, so that they come in the same order on every run.
fn walk_directory(
    root: &Path,
    include: &(dyn Fn(&Path) -> bool + Sync),
    files: &mut Vec<(PathBuf, Format)>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    let found: Mutex<Walk> = Mutex::default();
    ignore::WalkBuilder::new(root)
        // Honour .gitignore even in a directory that is not a git checkout:
        // an editorial repository exported from a CMS often is not.
        .require_git(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let lock = || found.lock().unwrap_or_else(PoisonError::into_inner);
                match entry {
                    Ok(entry) => {
                        if entry.file_type().is_some_and(|kind| kind.is_file()) {
                            if let Some(format) = Format::from_path(entry.path()) {
                                if include(entry.path()) {
                                    lock().files.push((entry.into_path(), format));
                                }
                            }
                        }
                    }
                    Err(error) => {
                        let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
                        lock().errors.push((path, error.to_string()));
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    // A stable sort: one path's errors stay in the order they were met.
    found
        .errors
        .sort_by(|(left, _), (right, _)| left.cmp(right));
    files.append(&mut found.files);
    errors.append(&mut found.errors);
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// What `collect` did before: `insert` into a `BTreeMap`, which keeps
    /// the first of equal paths and the last value.
    fn through_btree_map(files: &[(PathBuf, Format)]) -> Vec<(PathBuf, Format)> {
        let mut map = BTreeMap::new();
        for (path, format) in files {
            map.insert(path.clone(), *format);
        }
        map.into_iter().collect()
    }

    #[test]
    fn sorts_and_deduplicates_as_path_order_does() {
        let names = [
            "a",
            "a-b",
            "a.txt",
            "a/b",
            "a-b/c",
            "a/b/c",
            "a//b",
            "a/./b",
            "a/b/",
            "./a",
            "./a-b",
            ".a",
            "-a",
            "../a",
            "..a",
            "/a",
            "/a/b",
            "//a",
            "ab",
            "a/b.txt",
            "a/b-c",
            "a/b/c.txt",
            "b",
            "./b",
            "b/../a",
            "A",
            "é",
            "e",
            "a/é.txt",
            "a/e.txt",
        ];
        let mut files: Vec<(PathBuf, Format)> = Vec::new();
        // A fixed shuffle with repeats, so that duplicates come in many orders.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..400 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let name = names[(state % names.len() as u64) as usize];
            let format = if round % 3 == 0 {
                Format::Markdown
            } else {
                Format::Text
            };
            files.push((PathBuf::from(name), format));
        }
        let expected = through_btree_map(&files);
        let found = sorted_without_duplicates(files.clone());
        assert_eq!(found, expected);
        // The paths as written, not only their order: "a//b" and "a/b" are
        // one path, kept as it was first found.
        let written = |list: &[(PathBuf, Format)]| -> Vec<String> {
            list.iter()
                .map(|(path, _)| path.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(written(&found), written(&expected));
        assert_eq!(sorted_by_path(files.clone()), expected);
    }
}
