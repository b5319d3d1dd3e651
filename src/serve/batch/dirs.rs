//! A batch's private directory in the temporary directory, and the sweep at start-up of those a
//! killed server left behind (they hold patients' handouts).
//!
//! Each directory holds a lock file that its server keeps locked (`flock`, through std's
//! `File::try_lock`) for as long as the directory is in use. A directory whose lock can be taken
//! is stale: the kernel drops a lock when its process ends, however it ends (SIGKILL too), so a
//! held lock means a live server holds it. A recorded pid would not do: a killed server's pid
//! can be reused by any process, and servers in containers sharing /tmp see other pids.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;
use std::time::Duration;

/// The name every batch directory starts with.
const PREFIX: &str = "pjece-batch-";

/// The lock file inside each.
const LOCK: &str = ".in-use";

/// A directory without a lock file younger than this may be one its server is just making.
const MAKING: Duration = Duration::from_secs(60);

/// A batch's private directory (0700), locked while it exists; removed when dropped.
pub struct JobDir {
    dir: tempfile::TempDir,
    // Dropped after `dir` (fields drop in order): the lock is held until the directory is gone.
    _lock: File,
}

impl JobDir {
    /// A fresh directory, locked.
    pub fn new() -> io::Result<JobDir> {
        let dir = tempfile::Builder::new().prefix(PREFIX).tempdir()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        }
        let lock = File::create_new(dir.path().join(LOCK))?;
        lock.try_lock().map_err(io::Error::from)?;
        Ok(JobDir { dir, _lock: lock })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the directory, saying why it could not be.
    pub fn close(self) -> io::Result<()> {
        self.dir.close()
    }
}

/// Removes the batch directories in `tmp` that are this user's and in use by no running server;
/// returns how many went.
pub fn sweep(tmp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(PREFIX))
        .filter(|e| remove_if_stale(&e.path()))
        .count()
}

fn remove_if_stale(dir: &Path) -> bool {
    // Not followed: a link named like a batch directory is not one.
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    if !meta.is_dir() || !mine(&meta) {
        return false;
    }
    let lock = OpenOptions::new().read(true).open(dir.join(LOCK));
    match lock {
        // Held while the directory goes, so a second server sweeping now leaves it alone.
        Ok(lock) => match lock.try_lock() {
            Ok(()) => remove(dir),
            Err(TryLockError::WouldBlock) | Err(TryLockError::Error(_)) => false,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let old = meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > MAKING);
            old && remove(dir)
        }
        Err(_) => false,
    }
}

fn remove(dir: &Path) -> bool {
    std::fs::remove_dir_all(dir).is_ok()
}

#[cfg(unix)]
fn mine(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn mine(_: &std::fs::Metadata) -> bool {
    true
}
