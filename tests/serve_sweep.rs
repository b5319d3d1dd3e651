//! A server killed with SIGKILL leaves its batch directories (patients' handouts) in the
//! temporary directory; the next server removes them as it starts, but never a running
//! server's, nor what is not a batch directory. Both servers share one TMPDIR, as two servers
//! on one machine share /tmp.

mod util;

#[path = "util/http.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use util::Dir;

/// A server on `tmp`, and its port.
fn start(home: &Dir, tmp: &Path) -> (Child, u16) {
    http::spawn(
        http::serve_command(home.root(), &["--no-clinic"])
            .env("TMPDIR", tmp)
            .stderr(Stdio::piped()),
    )
}

/// Starts a batch of the example export through `/api/batch`.
fn start_batch(port: u16) {
    let csv =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patients.csv")).unwrap();
    let body = http::multipart("x.csv", "text/csv", &csv, &[]);
    let ct = http::multipart_type();
    let a = http::request(port, "POST", "/api/batch", &[("Content-Type", &ct)], &body);
    assert_eq!(a.status, 202, "{}", a.text());
}

/// A server in a home of its own with one batch running: its one job directory is in `tmp`.
fn start_with_a_batch() -> (Dir, PathBuf, Child, u16) {
    let home = Dir::new();
    let tmp = home.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let (server, port) = start(&home, &tmp);
    start_batch(port);
    let dirs = batch_dirs(&tmp);
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    (home, tmp, server, port)
}

fn batch_dirs(tmp: &Path) -> Vec<String> {
    util::files(tmp)
        .into_iter()
        .filter(|n| n.starts_with("pjece-batch-"))
        .collect()
}

#[test]
fn a_killed_servers_batch_directory_goes_when_the_next_server_starts() {
    let (home, tmp, mut killed, _) = start_with_a_batch();
    let left = batch_dirs(&tmp);
    // SIGKILL: nothing of the server's own clean-up runs.
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(
        batch_dirs(&tmp),
        left,
        "the premise: the directory is left behind"
    );
    // Beside it: a directory named like one that its server is making right now (no lock file
    // yet, fresh), one that is old and has none, and one that is not pjece's.
    std::fs::create_dir(tmp.join("pjece-batch-making")).unwrap();
    std::fs::create_dir(tmp.join("pjece-batch-old")).unwrap();
    let touched = Command::new("touch")
        .args(["-d", "10 minutes ago"])
        .arg(tmp.join("pjece-batch-old"))
        .status()
        .unwrap();
    assert!(touched.success());
    std::fs::create_dir(tmp.join("other")).unwrap();

    let (mut next, _) = start(&home, &tmp);
    // The address is printed after the sweep.
    assert_eq!(batch_dirs(&tmp), ["pjece-batch-making"]);
    assert!(tmp.join("other").is_dir());
    let err = http::kill_for_stderr(&mut next);
    assert!(
        err.contains("removed 2 batch directories a stopped server left behind"),
        "{err}"
    );
}

#[test]
fn a_running_servers_batch_directory_survives_another_servers_start() {
    let (home, tmp, mut first, port) = start_with_a_batch();
    let held = batch_dirs(&tmp);
    let (mut second, _) = start(&home, &tmp);
    assert_eq!(batch_dirs(&tmp), held);
    // The first server still has its batch.
    let a = http::request(port, "GET", "/batch", &[], b"");
    assert_eq!(a.status, 200);
    let _ = http::kill_for_stderr(&mut second);
    let _ = http::kill_for_stderr(&mut first);
}
