//! Helpers shared by the integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the built `factlint` binary in `directory` with colour off.
pub fn factlint(directory: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factlint"))
        .args(args)
        .current_dir(directory)
        .env("NO_COLOR", "1")
        .output()
        .expect("the factlint binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn exit_code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// A temporary directory holding `files` (name, contents); parent
/// directories are created.
pub fn workspace<T: AsRef<[u8]>>(files: &[(&str, T)]) -> tempfile::TempDir {
    let directory = tempfile::TempDir::new().expect("a temporary directory");
    for (name, contents) in files {
        let path = directory.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("directories");
        std::fs::write(path, contents).expect("the file is written");
    }
    directory
}
