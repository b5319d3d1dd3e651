//! `pjece batch` killed at random moments, as by Ctrl-C or a crash: no truncated PDF is ever
//! left under a final name, and running the same command again keeps what was written and
//! makes the rest.

#![cfg(unix)]

mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::Dir;

const ROWS: usize = 400;
const ROUNDS: usize = 6;

/// A seeded linear congruential generator (Knuth's MMIX constants): repeatable "random" names
/// and kill moments without another crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.next() as usize % from.len()]
    }
}

fn export(rng: &mut Lcg) -> String {
    const FIRST: &[&str] = &[
        "Søren",
        "Åse",
        "Bjørn",
        "Mette",
        "Jens",
        "Anne",
        "Øjvind",
        "Birgitte",
        "Kåre",
        "Ærtebølle",
        "Lærke",
        "Ida",
        "Mads",
    ];
    const LAST: &[&str] = &[
        "Ærø",
        "Øberg-Hansen",
        "Kjær",
        "Hansen",
        "Sørensen",
        "Jørgensen",
        "Bæk",
        "Mølgaard",
        "Ågård",
        "Nørgaard",
        "Østergård",
    ];
    let mut csv = String::from("navn;region\n");
    for _ in 0..ROWS {
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let region = rng.pick(&["lænd", "nakke", "Lænd", "NAKKE"]);
        csv.push_str(&format!("{first} {last};{region}\n"));
    }
    csv
}

fn batch(dir: &Dir, quiet: bool) -> Command {
    let mut cmd = dir.command();
    cmd.args(util::BATCH_IN_CSV);
    if quiet {
        cmd.arg("--quiet");
    }
    cmd
}

/// What is in the output directory: the PDFs with their bytes, and the number of temporary
/// files. Anything else, or a PDF that is not complete, fails the test.
struct Listing {
    pdfs: BTreeMap<String, Vec<u8>>,
    temporary: usize,
}

fn list(out: &Path, when: &str) -> Listing {
    let mut listing = Listing {
        pdfs: BTreeMap::new(),
        temporary: 0,
    };
    let Ok(entries) = std::fs::read_dir(out) else {
        return listing; // not created yet
    };
    for entry in entries {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with(".pjece-") && name.ends_with(".tmp") {
            listing.temporary += 1;
        } else if name.ends_with(".pdf") {
            let bytes = std::fs::read(out.join(&name)).unwrap();
            assert_complete(&name, &bytes, when);
            listing.pdfs.insert(name, bytes);
        } else {
            panic!("{when}: unexpected file {name:?} in the output directory");
        }
    }
    listing
}

fn assert_complete(name: &str, bytes: &[u8], when: &str) {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{when}: {name} ({} bytes) does not start with %PDF-",
        bytes.len()
    );
    let end = bytes
        .strip_suffix(b"\n")
        .map(|b| b.strip_suffix(b"\r").unwrap_or(b))
        .unwrap_or(bytes);
    assert!(
        end.ends_with(b"%%EOF"),
        "{when}: {name} ({} bytes) is truncated: it does not end with %%EOF",
        bytes.len()
    );
}

/// `qpdf --check` on each of `names`; each must pass without errors or warnings.
fn qpdf_check<'a>(out: &Path, names: impl IntoIterator<Item = &'a String>, when: &str) {
    for name in names {
        let run = Command::new("qpdf")
            .arg("--check")
            .arg(out.join(name))
            .output()
            .expect("qpdf runs (Debian: apt-get install qpdf)");
        assert!(
            run.status.success(),
            "{when}: qpdf --check {name} failed ({}):\n{}{}",
            run.status,
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn a_killed_batch_leaves_no_truncated_pdf_and_a_rerun_finishes_it() {
    let started = Instant::now();
    let dir = Dir::new();
    let mut rng = Lcg(0x706a_6563_6521);
    dir.write("in.csv", export(&mut rng));
    let out = dir.path("out");

    let mut checked = BTreeSet::new();
    let mut log = Vec::new();
    for round in 0..ROUNDS {
        let mut child = batch(&dir, true)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("pjece starts");
        let after = rng.range(20, 400);
        std::thread::sleep(Duration::from_millis(after));
        let sigkill = round % 2 == 0;
        if sigkill {
            child.kill().unwrap();
        } else {
            let sent = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success(), "kill -INT {}", child.id());
        }
        let done = child.wait_with_output().unwrap();
        let signal = if sigkill { 9 } else { 2 };
        assert!(
            done.status.signal() == Some(signal) || done.status.success(),
            "round {round}: pjece ended with {} after a signal {signal} at {after} ms:\n{}",
            done.status,
            String::from_utf8_lossy(&done.stderr)
        );

        let when = format!("after signal {signal} at {after} ms (round {round})");
        let now = list(&out, &when);
        let new: Vec<&String> = now.pdfs.keys().filter(|n| !checked.contains(*n)).collect();
        qpdf_check(&out, new.iter().copied(), &when);
        checked.extend(now.pdfs.keys().cloned());
        log.push(format!(
            "signal {signal} at {after} ms: {} PDFs, {} temporary",
            now.pdfs.len(),
            now.temporary
        ));
    }

    let before = list(&out, "before the last run");
    let run = batch(&dir, false).output().unwrap();
    assert!(
        run.status.success(),
        "the last run failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let summary = String::from_utf8_lossy(&run.stdout);
    let kept = before.pdfs.len();
    let expected = if kept == 0 {
        format!("wrote {ROWS} handouts to out; 0 rows failed")
    } else {
        format!(
            "wrote {} handouts to out; kept {kept} unchanged; 0 rows failed",
            ROWS - kept
        )
    };
    // Temporary files older than a minute are removed, and the summary says so; those of this
    // test normally are younger.
    let removed: usize = match summary.trim_end().strip_prefix(&expected) {
        Some("") => 0,
        Some(rest) => rest
            .strip_prefix("; removed ")
            .and_then(|r| r.strip_suffix(" temporary files an interrupted run left"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("summary {summary:?}, expected {expected:?}")),
        None => panic!("summary {summary:?}, expected {expected:?}"),
    };

    let after = list(&out, "after the last run");
    let rows: Vec<usize> = after
        .pdfs
        .keys()
        .map(|name| {
            let (number, rest) = name.split_at(4);
            assert!(
                rest.starts_with('-') && rest.len() > ".pdf".len() + 1,
                "{name} is not NNNN-name.pdf"
            );
            number.parse().unwrap()
        })
        .collect();
    assert_eq!(rows, (1..=ROWS).collect::<Vec<_>>(), "one handout per row");
    for (name, bytes) in &before.pdfs {
        assert!(
            after.pdfs[name] == *bytes,
            "{name} existed before the last run and was changed"
        );
    }
    let new: Vec<&String> = after
        .pdfs
        .keys()
        .filter(|n| !checked.contains(*n))
        .collect();
    qpdf_check(&out, new, "after the last run");
    assert!(
        after.temporary + removed == before.temporary,
        "the last run left temporary files of its own"
    );
    eprintln!(
        "{}\nthen {} more in the last run; {:.1} s in all",
        log.join("\n"),
        ROWS - kept,
        started.elapsed().as_secs_f32()
    );
}
