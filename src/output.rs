//! Writing files so that no partial file is ever left under the final name: write a temporary
//! file in the target directory, then rename it over the target (atomic on one file system).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, io_reason};

/// Whether a write waits until the data is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync before the rename: one handout, safe against a power cut.
    Now,
    /// No fsync: the rename is still atomic (a killed process never leaves a partial file);
    /// a batch calls [`sync_dir`] once at the end instead of paying an fsync per file.
    Later,
}

/// Writes `bytes` to `path` atomically and durably, replacing an existing file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write(path, bytes, true, Durability::Now)
}

/// Writes `bytes` to `path` atomically and durably; fails if `path` exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write(path, bytes, false, Durability::Now)
}

/// The directory a file to write goes into (`.` for a bare name), and how to say why it cannot
/// be written; an error when the file is a directory.
fn target(path: &Path) -> Result<(&Path, impl Fn(String) -> Error + '_), Error> {
    let fail = |reason: String| Error::Output {
        path: path.to_path_buf(),
        reason,
    };
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Ok((dir, fail))
}

/// Writes `bytes` to `path` atomically; `replace` allows replacing an existing file.
pub fn write(
    path: &Path,
    bytes: &[u8],
    replace: bool,
    durability: Durability,
) -> Result<(), Error> {
    let (dir, fail) = target(path)?;
    if !dir.is_dir() {
        return Err(fail(format!(
            "the directory {} does not exist",
            dir.display()
        )));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pjece-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like any newly created file: 0666 less the umask, not tempfile's private 0600.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(io_reason(&e)))?;
    tmp.write_all(bytes)
        .and_then(|_| match durability {
            Durability::Now => tmp.as_file().sync_all(),
            Durability::Later => Ok(()),
        })
        .map_err(|e| fail(io_reason(&e)))?;
    if replace {
        tmp.persist(path).map_err(|e| fail(io_reason(&e.error)))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::OutputExists {
                    path: path.to_path_buf(),
                }
            } else {
                fail(io_reason(&e.error))
            }
        })?;
    }
    Ok(())
}

/// Checks that new files can be made in `dir`, by creating and removing a temporary file in
/// it; while it does not exist yet, in the nearest directory above it, where it would be made.
pub fn check_dir(dir: &Path) -> Result<(), Error> {
    let fail = |reason: String| Error::Output {
        path: dir.to_path_buf(),
        reason,
    };
    let named = |existing: &Path, what: &str| {
        if existing == dir {
            what.to_string()
        } else {
            format!("{} {what}", existing.display())
        }
    };
    let mut existing = dir;
    let meta = loop {
        match std::fs::metadata(existing) {
            Ok(m) => break m,
            Err(e) => {
                // Creating the directory would fail with a puzzling "file exists".
                if let Ok(target) = std::fs::read_link(existing) {
                    return Err(fail(named(
                        existing,
                        &format!(
                            "is a symbolic link to {}, which does not exist; create that \
                             directory, or remove the link",
                            target.display()
                        ),
                    )));
                }
                match existing.parent() {
                    Some(p) if !p.as_os_str().is_empty() => existing = p,
                    Some(_) if existing != Path::new(".") => existing = Path::new("."),
                    _ => return Err(fail(io_reason(&e))),
                }
            }
        }
    };
    let named = |what: &str| named(existing, what);
    if !meta.is_dir() {
        return Err(fail(named("is not a directory")));
    }
    probe(existing).map_err(|e| fail(refusal(&e, &named)))
}

/// Checks that `file` can be written: its directory exists and takes new files.
pub fn check_file(file: &Path) -> Result<(), Error> {
    let (dir, fail) = target(file)?;
    let named = |what: &str| format!("{} {what}", dir.display());
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => probe(dir).map_err(|e| fail(refusal(&e, &named))),
        Ok(_) => Err(fail(named("is not a directory"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(fail(format!(
            "the directory {} does not exist",
            dir.display()
        ))),
        Err(e) => Err(fail(named(&io_reason(&e)))),
    }
}

fn probe(dir: &Path) -> std::io::Result<()> {
    tempfile::Builder::new()
        .prefix(".pjece-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map(drop)
}

/// Why a directory that exists refused a new file. Some (like /proc) answer "not found".
fn refusal(e: &std::io::Error, named: &dyn Fn(&str) -> String) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => named("does not accept new files"),
        _ => io_reason(e),
    }
}

/// Flushes everything written into `dir` to disk: on Linux one `syncfs` of its file system,
/// elsewhere an fsync of the directory.
pub fn sync_dir(dir: &Path) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Output {
        path: dir.to_path_buf(),
        reason: io_reason(&e),
    };
    let handle = std::fs::File::open(dir).map_err(fail)?;
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(&handle).map_err(|e| fail(e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        handle.sync_all().map_err(fail)
    }
}

/// Whether `pdf` starts like a PDF and ends with its `%%EOF` marker: a file cut off by a power
/// cut before its data reached the disk (empty, or zeros) is not.
pub fn is_complete_pdf(pdf: &[u8]) -> bool {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    pdf.len() >= 16 && pdf.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_complete_pdf_from_a_cut_off_one() {
        let whole = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n";
        assert!(is_complete_pdf(whole));
        assert!(!is_complete_pdf(&whole[..20]));
        assert!(!is_complete_pdf(b""));
        assert!(!is_complete_pdf(&[0u8; 4096]));
    }

    #[test]
    fn writes_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let e = write_new(&p, b"three").unwrap_err();
        // Typed, so the CLI's `--force` hint does not depend on the wording.
        assert!(matches!(e, Error::OutputExists { .. }), "{e:?}");
        assert!(e.to_string().ends_with("a.pdf: already exists"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn checks_a_directory_before_writing_into_it() {
        let dir = tempfile::tempdir().unwrap();
        check_dir(dir.path()).unwrap();
        check_dir(&dir.path().join("new/deeper")).unwrap();
        let file = dir.path().join("file.txt");
        std::fs::write(&file, b"x").unwrap();
        let e = check_dir(&file.join("sub")).unwrap_err().to_string();
        assert!(e.ends_with("file.txt is not a directory"), "{e}");
        let e = check_dir(&file).unwrap_err().to_string();
        assert!(e.ends_with("file.txt: is not a directory"), "{e}");
        let e = check_file(&dir.path().join("nope/all.pdf"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("the directory ") && e.ends_with("nope does not exist"),
            "{e}"
        );
        let e = check_file(&file.join("all.pdf")).unwrap_err().to_string();
        assert!(e.ends_with("file.txt is not a directory"), "{e}");
        check_file(&dir.path().join("all.pdf")).unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "probes removed"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("gone", dir.path().join("link")).unwrap();
            let e = check_dir(&dir.path().join("link/sub"))
                .unwrap_err()
                .to_string();
            assert!(
                e.ends_with(
                    "link is a symbolic link to gone, which does not exist; create that \
                     directory, or remove the link"
                ),
                "{e}"
            );
            std::fs::remove_file(dir.path().join("link")).unwrap();
        }
        if cfg!(target_os = "linux") {
            let e = check_dir(Path::new("/proc/x")).unwrap_err().to_string();
            assert_eq!(e, "cannot write /proc/x: /proc does not accept new files");
        }
    }

    #[test]
    fn missing_directory_and_directory_target() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(&dir.path().join("nope/a.pdf"), b"x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not exist"), "{e}");
        let e = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(e.ends_with("is a directory"), "{e}");
    }
}
