//! Turning the paths on the command line into the files to lint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
pub fn collect(paths: &[PathBuf], include: &dyn Fn(&Path) -> bool) -> Walk {
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => errors.push((path.clone(), describe_io_error(&error))),
            Ok(metadata) if metadata.is_dir() => {
                walk_directory(path, include, &mut files, &mut errors)
            }
            Ok(_) => {
                let format = Format::from_path(path).unwrap_or(Format::Text);
                files.insert(path.clone(), format);
            }
        }
    }
    Walk {
        files: files.into_iter().collect(),
        errors,
    }
}

fn walk_directory(
    root: &Path,
    include: &dyn Fn(&Path) -> bool,
    files: &mut BTreeMap<PathBuf, Format>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    let walker = ignore::WalkBuilder::new(root)
        // Honour .gitignore even in a directory that is not a git checkout:
        // an editorial repository exported from a CMS often is not.
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|kind| kind.is_file()) {
                    if let Some(format) = Format::from_path(entry.path()) {
                        if include(entry.path()) {
                            files.insert(entry.into_path(), format);
                        }
                    }
                }
            }
            Err(error) => {
                let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
                errors.push((path, error.to_string()));
            }
        }
    }
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
