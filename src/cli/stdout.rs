//! Whether standard output was open when pjece started. Rust's runtime opens /dev/null on a
//! closed descriptor 1 before `main`, so `pjece build -o - >&-` would write the PDF nowhere
//! and succeed; the only moment to see the closed descriptor is before the runtime starts,
//! from an ELF initialiser.

/// An error when standard output was closed at start: whatever is written to it is lost.
pub fn ensure_open() -> std::io::Result<()> {
    if closed_at_start() {
        return Err(std::io::Error::other("it is closed"));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn closed_at_start() -> bool {
    at_start::CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

// Elsewhere the runtime's /dev/null cannot be told from one the user chose.
#[cfg(not(target_os = "linux"))]
fn closed_at_start() -> bool {
    false
}

#[cfg(target_os = "linux")]
mod at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn check() {
        // SAFETY: fcntl on a descriptor number only asks about it; a closed one gives EBADF.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        CLOSED.store(closed, Ordering::Relaxed);
    }

    // Run by the C runtime before Rust's own start-up, which reopens closed descriptors.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;
}
