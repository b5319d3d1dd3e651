//! pjece run so that a hang or an endless read fails the test instead of stalling it or the
//! machine: killed after a time limit and held to 2 GB of memory.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Dir;

/// What a run printed and how it ended.
pub struct Guarded {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs pjece with `args` in `dir` under a memory limit, killing it after 30 seconds.
pub fn guarded(dir: &Dir, args: &[&str]) -> Guarded {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_pjece"))
        .args(args)
        .current_dir(dir.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("XDG_CONFIG_HOME", dir.root().join("no-config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("pjece {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Guarded {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Guarded {
    /// Asserts exit code 1 and a message containing `expected`; returns the message.
    pub fn refuses(&self, args: &str, expected: &str) -> &str {
        assert_eq!(
            self.code,
            Some(1),
            "{args}: expected exit 1\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.contains(expected),
            "{args}: expected «{expected}» in\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        &self.stderr
    }
}
