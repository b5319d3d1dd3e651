//! Replays the inputs kept from fuzzing (`tests/fuzz_regressions/<target>/*`) through the same
//! code the fuzz targets in `fuzz/` run, so a fixed crash stays fixed under plain `cargo test`.
//! See `fuzz/fuzz_targets/harness.rs` for what each target does with its bytes.

use std::path::{Path, PathBuf};

#[path = "../fuzz/fuzz_targets/harness.rs"]
mod harness;

/// Runs every saved input of `target` and fails naming each one that panics.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no saved inputs in {}", dir.display());
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("a saved input is readable");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} saved inputs panic:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn content_loader() {
    replay("content_loader", harness::content_loader);
}

#[test]
fn batch_parser() {
    replay("batch_parser", harness::batch_parser);
}

#[test]
fn layout_text() {
    replay("layout_text", harness::layout_text);
}
