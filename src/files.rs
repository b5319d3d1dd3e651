//! Opening and reading the files pjece is given (content, clinic profile, logo, fonts, batch
//! input): only regular files, and never more than a limit.
//!
//! A size from `metadata()` is not enough: a device such as /dev/zero reports 0 and never ends,
//! a FIFO blocks `open` until a writer comes, and a file can grow while it is read. So the file
//! type is checked before opening (following symbolic links) and again on the opened handle,
//! the open does not wait (O_NONBLOCK, which regular files ignore), and every read goes through
//! a hard byte limit that is an error, never a silent cut.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::io_reason;

/// Why a file cannot be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file system said no (does not exist, permission denied, ...).
    Io(std::io::Error),
    /// A directory.
    Directory,
    /// Something other than a regular file or directory: `a FIFO (named pipe)`, ...
    NotAFile(&'static str),
    /// More bytes than the limit: the size when known before reading, else None (it grew).
    TooLarge(Option<u64>),
}

impl ReadError {
    /// The reason in words, after the file's name: `expected` says what the file should be
    /// (`a JSON file`), `limit` the size rule (`a logo may be at most 2097152 bytes`).
    pub fn reason(&self, expected: &str, limit: &str) -> String {
        match self {
            ReadError::Io(e) => io_reason(e),
            ReadError::Directory => format!("is a directory, expected {expected}"),
            ReadError::NotAFile(kind) => {
                format!("is not a regular file but {kind}; expected {expected}")
            }
            ReadError::TooLarge(Some(n)) => format!("is {n} bytes; {limit}"),
            ReadError::TooLarge(None) => format!("grew while it was read; {limit}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Refuses what is not a regular file.
fn regular(file_type: std::fs::FileType) -> Result<(), ReadError> {
    if file_type.is_file() {
        return Ok(());
    }
    if file_type.is_dir() {
        return Err(ReadError::Directory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = if file_type.is_fifo() {
            "a FIFO (named pipe)"
        } else if file_type.is_char_device() {
            "a character device"
        } else if file_type.is_block_device() {
            "a block device"
        } else if file_type.is_socket() {
            "a socket"
        } else {
            "an unknown kind of file"
        };
        Err(ReadError::NotAFile(kind))
    }
    #[cfg(not(unix))]
    Err(ReadError::NotAFile("a device"))
}

/// Why `dir` cannot be read as a directory ("does not exist", "is not a directory"), if it
/// cannot.
pub fn not_a_directory(dir: &Path) -> Option<&'static str> {
    if dir.is_dir() {
        None
    } else if dir.exists() {
        Some("is not a directory")
    } else {
        Some("does not exist")
    }
}

/// Opens a regular file of at most `limit` bytes, without waiting on a FIFO.
pub fn open(path: &Path, limit: u64) -> Result<Bounded, ReadError> {
    // Before opening: opening a FIFO would wait for a writer, and a device may do anything.
    let before = std::fs::metadata(path)?;
    regular(before.file_type())?;
    if before.len() > limit {
        return Err(ReadError::TooLarge(Some(before.len())));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path be swapped for a FIFO after the check, open still returns at once.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    regular(meta.file_type())?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    Ok(Bounded::new(file, limit))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    open(path, limit)?.read_to_end(&mut bytes).map_err(|e| {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<OverLimit>())
        {
            Some(_) => ReadError::TooLarge(None),
            None => ReadError::Io(e),
        }
    })?;
    Ok(bytes)
}

/// A reader that fails, rather than ends, once more than its limit would be read: a file
/// that grows while it is read is refused, not cut short.
pub struct Bounded<R = File> {
    inner: R,
    left: u64,
    limit: u64,
}

/// The error a [`Bounded`] reader gives past its limit.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "it grew past {} bytes while being read, the most pjece reads",
            self.0
        )
    }
}

impl std::error::Error for OverLimit {}

impl<R: Read> Bounded<R> {
    /// Reads at most `limit` bytes of `inner`.
    pub fn new(inner: R, limit: u64) -> Bounded<R> {
        Bounded {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: the end is fine, one byte more is not.
            return match self.inner.read(&mut [0u8])? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(OverLimit(self.limit))),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_that_goes_on_past_the_limit_is_an_error_not_a_cut() {
        let mut bytes = Vec::new();
        let e = Bounded::new(std::io::repeat(b'x'), 1000)
            .read_to_end(&mut bytes)
            .unwrap_err();
        assert_eq!(bytes.len(), 1000);
        assert_eq!(
            e.to_string(),
            "it grew past 1000 bytes while being read, the most pjece reads"
        );
        // Exactly the limit is fine.
        let mut bytes = Vec::new();
        Bounded::new(&[7u8; 1000][..], 1000)
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(bytes.len(), 1000);
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read(&p, 5).unwrap(), b"12345");
        assert!(matches!(read(&p, 4), Err(ReadError::TooLarge(Some(5)))));
        assert!(matches!(read(dir.path(), 5), Err(ReadError::Directory)));
        let reason = |path: &Path| {
            read(path, 5)
                .unwrap_err()
                .reason("a JSON file", "at most 5")
        };
        assert_eq!(
            reason(Path::new("/dev/zero")),
            "is not a regular file but a character device; expected a JSON file"
        );
        assert_eq!(reason(&dir.path().join("missing")), "does not exist");
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || send.send(read(&fifo, 5).map_err(|e| e.reason("x", "y"))));
        let answer = receive
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("no answer within 10 s: the read waits on the FIFO");
        assert_eq!(
            answer.unwrap_err(),
            "is not a regular file but a FIFO (named pipe); expected x"
        );
    }
}
