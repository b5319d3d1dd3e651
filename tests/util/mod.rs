//! Shared helpers for the integration tests: a scratch directory per test, the real binary
//! with a clean environment, and poppler-utils to read the PDFs back.

#![allow(dead_code)]

pub mod engines;
pub mod guarded;
pub mod json;
pub mod setup;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `pjece batch INPUT --out-dir out` with a fixed date and two workers, plus `extra`.
pub fn batch(dir: &Dir, input: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "batch",
        input,
        "--out-dir",
        "out",
        "--date",
        "2026-11-26",
        "--jobs",
        "2",
    ];
    args.extend_from_slice(extra);
    dir.run(&args)
}

/// The names of the files in `dir`, sorted (none when it does not exist).
pub fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A fresh scratch directory that is removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("pjece-test-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// Runs `pjece` with `args` in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command().args(args).output().expect("pjece runs");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output,
        }
    }

    /// A copy of the shipped content directory at `name` inside this directory.
    pub fn content_copy(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::create_dir_all(&to).unwrap();
        for file in ["guideline.json", "labels.json", "out_of_hours.json"] {
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("content")
                    .join(file),
                to.join(file),
            )
            .unwrap();
        }
        to
    }

    /// File names in the directory, sorted.
    pub fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// The result of one run, with everything needed to understand a failure.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "pjece {:?}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
            self.args,
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts success and returns self.
    pub fn ok(self) -> Run {
        assert!(
            self.output.status.success(),
            "expected success\n{}",
            self.describe()
        );
        self
    }

    /// Asserts exit code `code` (a batch prints its summary even when rows fail); returns stderr.
    pub fn exits(&self, code: i32) -> String {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "expected exit {code}\n{}",
            self.describe()
        );
        self.stderr()
    }

    /// Asserts failure with exit code `code` and nothing on stdout; returns stderr.
    pub fn fails(self, code: i32) -> String {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "expected exit {code}\n{}",
            self.describe()
        );
        assert!(
            self.stdout().is_empty() || code == 2,
            "errors go to stderr\n{}",
            self.describe()
        );
        self.stderr()
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run {name} ({e}); install poppler-utils (Debian: apt-get install poppler-utils)"
        )
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

/// The text of a PDF in reading order, whitespace folded to single spaces.
pub fn text(pdf: &Path) -> String {
    let raw = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of one page (1-based).
pub fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let raw = tool(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &p,
            "-l",
            &p,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdfinfo` as key-value pairs.
pub fn info(pdf: &Path) -> BTreeMap<String, String> {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// One row of `pdffonts`.
#[derive(Debug)]
pub struct FontRow {
    pub name: String,
    pub embedded: bool,
    pub subset: bool,
    pub unicode: bool,
}

/// The fonts of a PDF as `pdffonts` sees them.
pub fn fonts(pdf: &Path) -> Vec<FontRow> {
    tool("pdffonts", &[pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let n = cols.len();
            // name type... encoding emb sub uni object ID
            FontRow {
                name: cols[0].to_string(),
                embedded: cols[n - 5] == "yes",
                subset: cols[n - 4] == "yes",
                unicode: cols[n - 3] == "yes",
            }
        })
        .collect()
}

/// Every object of a PDF as `qpdf --json` shows it (dictionaries and stream dictionaries).
pub fn objects(pdf: &Path) -> Vec<serde_json::Value> {
    let out = Command::new("qpdf")
        .args(["--json", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf prints JSON");
    json["qpdf"][1]
        .as_object()
        .map(|o| {
            o.values()
                .map(|v| {
                    v.get("value")
                        .or_else(|| v.get("stream").and_then(|s| s.get("dict")))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `pdfimages -list` rows (one per image drawn).
pub fn images(pdf: &Path) -> usize {
    tool("pdfimages", &["-list", pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

impl Dir {
    /// `pjece` to run in this directory with a clean environment: no `SOURCE_DATE_EPOCH`, no
    /// colour, and an empty `XDG_CONFIG_HOME`, so the user's own clinic profile
    /// (`$XDG_CONFIG_HOME/pjece/clinic.json`) never leaks into a test.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pjece"));
        cmd.current_dir(self.root())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("XDG_CONFIG_HOME", self.root().join("no-config"))
            .env("NO_COLOR", "1");
        cmd
    }
}

/// The handout date the tests build with, unless a test is about dates.
pub const DATE: &str = "2026-11-26";

impl Dir {
    /// `pjece build ARGS`, dated [`DATE`] unless `args` give a `--date` of their own: the one
    /// way the tests build a handout through the binary.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut full = vec!["build"];
        if !args.contains(&"--date") {
            full.extend(["--date", DATE]);
        }
        full.extend_from_slice(args);
        self.run(&full)
    }

    /// Builds `--region REGION ARGS -o OUT`, asserts success and returns the PDF's path.
    pub fn handout(&self, region: &str, args: &[&str], out: &str) -> PathBuf {
        let mut full = vec!["--region", region];
        full.extend_from_slice(args);
        full.extend(["-o", out]);
        self.build(&full).ok();
        self.path(out)
    }

    /// Copies `tests/fixtures/NAME` into this directory; returns the copy's path.
    pub fn fixture(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::copy(fixture_path(name), &to).unwrap();
        to
    }

    /// Writes `contents` to `name` in this directory; returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let to = self.path(name);
        std::fs::write(&to, contents).unwrap();
        to
    }
}

/// Asserts that `text` holds every one of `parts`, showing the whole text when one is missing.
#[track_caller]
pub fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

/// Asserts that `text` holds none of `parts`, showing the whole text when one is there.
#[track_caller]
pub fn assert_lacks(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(!text.contains(part), "unexpected {part:?} in:\n{text}");
    }
}

/// `tests/fixtures/NAME` in the source tree.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A grey picture: one byte a pixel (0 black, 255 white), rows from the top.
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// A PDF rendered by `pdftoppm -gray ARGS` (pages, resolution, crop) as a [`Grey`].
pub fn pdftoppm_grey(pdf: &Path, args: &[&str]) -> Grey {
    let out = Command::new("pdftoppm")
        .arg("-gray")
        .args(args)
        .arg(pdf)
        .output()
        .expect("pdftoppm runs (Debian: apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftoppm {args:?} failed");
    // Binary PGM: "P5", width, height, maxval (255), each followed by one whitespace byte,
    // then the pixels.
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = data[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height);
    Grey {
        width,
        height,
        pixels,
    }
}

impl Dir {
    /// Writes `contents` to `name` (making its directory) with the time it was last changed
    /// an hour ago: what a run killed long ago left behind.
    pub fn write_an_hour_ago(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let to = self.path(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, contents).unwrap();
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&to)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
        to
    }
}

/// Asserts that `text` begins with `prefix`, showing the whole text when not.
#[track_caller]
pub fn assert_starts_with(text: &str, prefix: &str) {
    assert!(
        text.starts_with(prefix),
        "expected {prefix:?} first in:\n{text}"
    );
}

/// Asserts that a process other than `pjece` itself ended well, showing its stderr when not.
#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pjece build` of the lumbar handout into x.pdf, dated [`DATE`]: what a test adds to.
pub const BUILD_LUMBAR: [&str; 7] = ["build", "--region", "lumbar", "--date", DATE, "-o", "x.pdf"];

impl Dir {
    /// `sh -c SCRIPT` in this directory, with the environment of [`Dir::command`]: for what
    /// needs a shell (closed or redirected descriptors, pipes, limits).
    pub fn shell(&self, script: &str) -> Output {
        Command::new("sh")
            .args(["-c", script])
            .current_dir(self.root())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("XDG_CONFIG_HOME", self.root().join("no-config"))
            .env("NO_COLOR", "1")
            .output()
            .expect("sh runs")
    }
}

/// `pjece batch in.csv --out-dir out`, dated [`DATE`]: what a test adds to.
pub const BATCH_IN_CSV: [&str; 6] = ["batch", "in.csv", "--out-dir", "out", "--date", DATE];

/// Rewrites the text file at `path` with `edit`.
pub fn edit_file(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, edit(text)).unwrap();
}
