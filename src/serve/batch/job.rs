//! One batch: what it was asked to do, where it is, its problems, and its private directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use pjece::batch::input::{Encoding, Format, Place, RowError};
use pjece::batch::job::Defaults;

use super::dirs::JobDir;

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The page's check (`--check`) waits or runs.
    Checking,
    /// Checked; waits for "Lav pjecer".
    Checked,
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Checking => "checking",
            State::Checked => "checked",
            State::Queued => "queued",
            State::Running => "running",
            State::Done => "done",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
        }
    }

    /// Whether the state changes without the user (the page polls).
    pub fn moving(self) -> bool {
        matches!(self, State::Checking | State::Queued | State::Running)
    }

    pub(super) fn waiting(self) -> bool {
        self.moving()
    }
}

/// A problem with a row (or, with no row, the file), as the page and the API show it.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The spreadsheet row (CSV) or line (JSON Lines).
    pub row: Option<u64>,
    pub column: Option<pjece::batch::input::Column>,
    pub message: String,
}

impl Problem {
    /// A row's problem, in `message`'s words.
    pub fn of_row(e: &RowError, message: String) -> Problem {
        Problem {
            row: match e.at {
                Place::SheetRow(n) | Place::Line(n) => Some(n),
                Place::Unknown => None,
            },
            column: e.column,
            message,
        }
    }
}

/// What a batch was asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub format: Format,
    pub encoding: Encoding,
    pub defaults: Defaults,
    pub date_given: bool,
    pub combined: bool,
    pub duplex: bool,
    /// What the upload's header told, in the page's words (unknown columns).
    pub warnings: Vec<String>,
    /// The page's "go straight on when the check finds nothing".
    pub go_on: bool,
}

/// What the page and the status answer show.
#[derive(Debug, Clone)]
pub struct Progress {
    pub state: State,
    pub done: u64,
    pub failed: u64,
    pub total: u64,
    pub rows: Vec<Problem>,
    pub warnings: Vec<String>,
    /// Why the batch as a whole failed.
    pub error: Option<String>,
    /// Whether the ZIP is there to download.
    pub result: bool,
    /// When the check or the run ended: the time limit counts from here.
    pub(super) ended: Option<Instant>,
}

pub struct Job {
    pub id: String,
    pub request: Request,
    /// The private directory; `None` once removed.
    dir: Mutex<Option<JobDir>>,
    pub(super) cancel: Arc<AtomicBool>,
    /// Whether a batch thread works in the directory: then that thread removes it on cancel,
    /// since removing a directory a writer still adds to can fail and leave it behind.
    pub(super) active: AtomicBool,
    progress: Mutex<Progress>,
}

impl Job {
    /// A batch being checked, in its private directory.
    pub fn new(id: String, request: Request, dir: JobDir) -> Job {
        let warnings = request.warnings.clone();
        Job {
            id,
            request,
            dir: Mutex::new(Some(dir)),
            cancel: Arc::new(AtomicBool::new(false)),
            active: AtomicBool::new(false),
            progress: Mutex::new(Progress {
                state: State::Checking,
                done: 0,
                failed: 0,
                total: 0,
                rows: Vec::new(),
                warnings,
                error: None,
                result: false,
                ended: None,
            }),
        }
    }

    pub fn progress(&self) -> Progress {
        lock(&self.progress).clone()
    }

    pub(super) fn update(&self, f: impl FnOnce(&mut Progress)) {
        f(&mut lock(&self.progress));
    }

    /// Whether the directory is gone (downloaded, cancelled, expired).
    pub fn removed(&self) -> bool {
        lock(&self.dir).is_none()
    }

    pub fn dir(&self) -> Option<PathBuf> {
        lock(&self.dir).as_ref().map(|d| d.path().to_path_buf())
    }

    pub fn input(dir: &Path, format: Format) -> PathBuf {
        dir.join(match format {
            Format::Csv => "input.csv",
            Format::Jsonl => "input.jsonl",
        })
    }

    /// Removes the directory and everything in it.
    pub fn remove_dir(&self) {
        if let Some(dir) = lock(&self.dir).take()
            && let Err(e) = dir.close()
        {
            eprintln!(
                "pjece serve: a batch's temporary directory could not be removed: {}",
                pjece::error::io_reason(&e)
            );
        }
        self.update(|p| p.result = false);
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
