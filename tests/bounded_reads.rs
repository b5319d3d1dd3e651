//! Every file pjece reads must be a regular file, read through a byte limit: a FIFO, a device
//! such as /dev/zero, a symbolic link to one, or a directory is refused at once, by name, for
//! each kind of input (content, clinic profile, logo, fonts, batch input), and nothing is
//! written. A device reports a size of 0 and never ends, and opening a FIFO waits for a writer,
//! so each run here is guarded: killed after a time limit and held to 2 GB of memory, so a
//! hang or an endless read fails the test instead of stalling it or the machine.

mod util;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use util::Dir;
use util::guarded::guarded;

/// The ways a path can be there without being a file, and what pjece says about each.
#[derive(Clone, Copy, Debug)]
enum NotAFile {
    Fifo,
    LinkToDevZero,
    Directory,
}

const ALL: [NotAFile; 3] = [NotAFile::Fifo, NotAFile::LinkToDevZero, NotAFile::Directory];

impl NotAFile {
    fn make(self, path: &Path) {
        let _ = std::fs::remove_file(path);
        match self {
            NotAFile::Fifo => {
                let ok = Command::new("mkfifo").arg(path).status().unwrap();
                assert!(ok.success(), "mkfifo {}", path.display());
            }
            NotAFile::LinkToDevZero => std::os::unix::fs::symlink("/dev/zero", path).unwrap(),
            NotAFile::Directory => std::fs::create_dir(path).unwrap(),
        }
    }

    fn remove(self, path: &Path) {
        match self {
            NotAFile::Directory => std::fs::remove_dir(path).unwrap(),
            _ => std::fs::remove_file(path).unwrap(),
        }
    }

    /// The start of the reason pjece gives; `expected` is what the input should have been.
    fn reason(self, expected: &str) -> String {
        match self {
            NotAFile::Fifo => "is not a regular file but a FIFO (named pipe)".into(),
            NotAFile::LinkToDevZero => "is not a regular file but a character device".into(),
            NotAFile::Directory => format!("is a directory, expected {expected}"),
        }
    }
}

fn build_refuses(dir: &Dir, extra: &[&str], expected: &str) {
    let args: Vec<&str> = util::BUILD_LUMBAR.iter().chain(extra).copied().collect();
    guarded(dir, &args).refuses(&args.join(" "), expected);
    assert!(!dir.path("x.pdf").exists(), "{args:?} wrote x.pdf");
}

#[test]
fn a_content_file_that_is_not_a_file_is_refused_at_once() {
    let dir = Dir::new();
    let c = dir.content_copy("c");
    for kind in ALL {
        for name in ["guideline.json", "labels.json", "out_of_hours.json"] {
            let path = c.join(name);
            std::fs::rename(&path, dir.path("saved")).unwrap();
            kind.make(&path);
            let expected = format!("c/{name}: {}", kind.reason("a JSON file"));
            build_refuses(&dir, &["--content", "c"], &expected);
            guarded(&dir, &["check", "--content", "c"]).refuses("check", &expected);
            kind.remove(&path);
            std::fs::rename(dir.path("saved"), &path).unwrap();
        }
    }
}

#[test]
fn a_clinic_profile_that_is_not_a_file_is_refused_at_once() {
    let dir = Dir::new();
    for kind in ALL {
        kind.make(&dir.path("p.json"));
        let expected = format!("p.json: {}", kind.reason("a JSON file"));
        build_refuses(&dir, &["--clinic", "p.json"], &expected);
        guarded(&dir, &["check", "--clinic", "p.json"]).refuses("check", &expected);
        kind.remove(&dir.path("p.json"));
    }
    let err = guarded(&dir, &["check", "--clinic", "/dev/zero"]);
    err.refuses(
        "check --clinic /dev/zero",
        "/dev/zero: is not a regular file but a character device",
    );
}

#[test]
fn a_profile_in_the_config_directory_that_is_not_a_file_is_refused_not_skipped() {
    let dir = Dir::new();
    let config = dir.root().join("no-config/pjece");
    std::fs::create_dir_all(&config).unwrap();
    NotAFile::Fifo.make(&config.join("clinic.json"));
    build_refuses(
        &dir,
        &[],
        "clinic.json: is not a regular file but a FIFO (named pipe)",
    );
}

#[test]
fn a_logo_that_is_not_a_file_is_refused_at_once() {
    let dir = Dir::new();
    dir.fixture("clinic.json");
    let profile = std::fs::read_to_string(dir.path("clinic.json")).unwrap();
    dir.write("z.json", profile.replace("\"logo.png\"", "\"/dev/zero\""));
    let expected = "z.json: logo: /dev/zero: is not a regular file but a character device";
    build_refuses(&dir, &["--clinic", "z.json"], expected);
    for kind in ALL {
        kind.make(&dir.path("logo.png"));
        let expected = format!(
            "clinic.json: logo: logo.png: {}",
            kind.reason("a PNG or JPEG file")
        );
        build_refuses(&dir, &["--clinic", "clinic.json"], &expected);
        guarded(&dir, &["check", "--clinic", "clinic.json"]).refuses("check", &expected);
        kind.remove(&dir.path("logo.png"));
    }
}

#[test]
fn a_font_that_is_not_a_file_is_refused_at_once() {
    let dir = Dir::new();
    let fonts = dir.shipped_fonts_copy("f");
    for kind in ALL {
        for name in ["regular.ttf", "bold.ttf"] {
            let path = fonts.join(name);
            std::fs::rename(&path, dir.path("saved")).unwrap();
            kind.make(&path);
            let expected = format!(
                "font f/{name}: {}",
                kind.reason("a TrueType or OpenType font file")
            );
            build_refuses(&dir, &["--fonts", "f"], &expected);
            kind.remove(&path);
            std::fs::rename(dir.path("saved"), &path).unwrap();
        }
    }
    // The real pair still works.
    let args: Vec<&str> = util::BUILD_LUMBAR
        .iter()
        .copied()
        .chain(["--fonts", "f"])
        .collect();
    let run = guarded(&dir, &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_batch_input_that_is_not_a_file_is_refused_at_once() {
    let dir = Dir::new();
    for kind in ALL {
        kind.make(&dir.path("in.csv"));
        let run = guarded(&dir, &["batch", "in.csv", "--out-dir", "out"]);
        let expected = format!(
            "pjece: cannot read in.csv: {}",
            kind.reason("a CSV or JSON Lines file")
        );
        run.refuses("batch", &expected);
        assert!(dir.handouts().is_empty(), "nothing written");
        kind.remove(&dir.path("in.csv"));
    }
}

#[test]
fn a_batch_input_over_the_limit_is_refused_before_it_is_read() {
    let dir = Dir::new();
    // A header, then a hole of zeros up to 300 MB (sparse: it takes no disk space).
    dir.write("in.csv", "navn;region\nAnna;lumbar\n");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path("in.csv"))
        .unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let run = guarded(&dir, &["batch", "in.csv", "--out-dir", "out"]);
    run.refuses(
        "batch",
        "pjece: cannot read in.csv: is 314572800 bytes; a batch input may be at most 268435456 bytes (256 MB)",
    );
    assert!(dir.handouts().is_empty(), "nothing written");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused before reading: {:?}",
        started.elapsed()
    );
}
