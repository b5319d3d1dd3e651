//! Checks on the input file before any row is read: that it is a regular file, that it is text
//! at all (not a workbook, not UTF-16, not binary), and that it is in the encoding asked for;
//! if not, the answer names the encoding its letters show. Each has its own answer, because
//! each has its own fix.

use std::io::Read;
use std::path::Path;

use super::codepage::{self, Weigher, Weights};
use super::{Encoding, InputError};
use crate::chars;
use crate::error::io_reason;

const SAVE_AS: &str = "in Excel choose File > Save As > 'CSV UTF-8 (kommasepareret) (*.csv)'";

/// Refuses what is not a regular text file in `encoding`.
pub fn check(path: &Path, encoding: Encoding) -> Result<(), InputError> {
    let shown = path.display().to_string();
    let unreadable = |reason: String| InputError::Unreadable {
        path: shown.clone(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(unreadable(
            "is a directory, expected a CSV or JSON Lines file".into(),
        ));
    }
    if !meta.is_file() {
        // A pipe can be read once only and a device may never end; the file is read twice.
        return Err(unreadable(
            "is not a regular file (a pipe or a device); save the export to a file first".into(),
        ));
    }
    let refuse = |reason: String| InputError::Header {
        path: shown.clone(),
        reason,
    };
    let mut file = super::open_file(path).map_err(|e| unreadable(io_reason(&e)))?;
    let mut head = Vec::with_capacity(8192);
    (&mut file)
        .take(8192)
        .read_to_end(&mut head)
        .map_err(|e| unreadable(io_reason(&e)))?;
    if let Some(reason) = not_text(&head) {
        return Err(refuse(reason));
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let utf8 = scan_utf8(path).map_err(|e| unreadable(io_reason(&e)))?;
    let weigh = || weigh(path).map_err(|e| unreadable(io_reason(&e)));
    match (utf8, encoding) {
        (Utf8::Valid { .. }, Encoding::Utf8) => Ok(()),
        (Utf8::Invalid { byte, line, offset }, Encoding::Utf8) => {
            let looks = match weigh()?.best() {
                Some(e) => format!(
                    "It looks like {}, {}: {SAVE_AS}, or run pjece with --encoding {}",
                    e.name(),
                    e.written_by(),
                    e.flag()
                ),
                None => format!(
                    "Its letters fit none of the older encodings pjece reads (Windows-1252, \
                     Mac Roman, CP850): {SAVE_AS}"
                ),
            };
            Err(refuse(format!(
                "is not UTF-8 text: byte 0x{byte:02X} at line {line} (offset {offset}) cannot \
                 start a character. {looks}"
            )))
        }
        (Utf8::Valid { non_ascii }, legacy) if bom || non_ascii => {
            let how = if bom {
                "it starts with UTF-8's byte order mark"
            } else {
                "its letters are written as UTF-8"
            };
            Err(refuse(format!(
                "is already UTF-8 ({how}); read as {} its letters would be garbled \
                 (ø as {}), so drop --encoding {}",
                legacy.name(),
                codepage::decode("ø".as_bytes(), legacy),
                legacy.flag()
            )))
        }
        (_, legacy) => {
            let weights = weigh()?;
            match weights.better_than(legacy) {
                None => Ok(()),
                Some(better) => Err(refuse(wrong_encoding(&weights, legacy, better))),
            }
        }
    }
}

/// Why a file does not read as the encoding chosen, and which one it looks like.
fn wrong_encoding(weights: &Weights, chosen: Encoding, better: Encoding) -> String {
    let shown = match weights.first_worse(chosen, better) {
        Some(spot) => format!(
            ": byte 0x{:02X} at line {} (offset {}) would be {}, where {} has {}",
            spot.byte,
            spot.line,
            spot.offset,
            chars::describe(codepage::char_of(chosen, spot.byte)),
            better.name(),
            chars::describe(codepage::char_of(better, spot.byte)),
        ),
        None => String::new(),
    };
    format!(
        "does not read as {}{shown}. It looks like {}, {}: run pjece with --encoding {} instead, \
         or {SAVE_AS}",
        chosen.name(),
        better.name(),
        better.written_by(),
        better.flag()
    )
}

/// Weighs the whole file for each one-byte encoding.
fn weigh(path: &Path) -> std::io::Result<Weights> {
    let mut file = super::open_file(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut weigher = Weigher::new();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(weigher.finish());
        }
        weigher.feed(&buf[..n]);
    }
}

/// Why the first bytes of a file are not CSV or JSON Lines text, if they are not.
fn not_text(head: &[u8]) -> Option<String> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(format!(
            "is an Excel workbook, not CSV; {SAVE_AS} and use that file"
        ));
    }
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || {
        // Without a byte order mark: ASCII text in UTF-16 has a NUL in every other byte.
        let pairs = head.len() / 2;
        let nul_in = |odd: usize| {
            head.iter()
                .skip(odd)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        pairs >= 2 && (nul_in(0) * 4 >= pairs * 3 || nul_in(1) * 4 >= pairs * 3)
    };
    if utf16 {
        return Some(format!(
            "is UTF-16 text (Excel's 'Unicode-tekst'), which pjece does not read; {SAVE_AS} instead"
        ));
    }
    // Text has no NUL, and few other control bytes (tab, line breaks and form feed aside).
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if head.contains(&0) || controls * 20 > head.len() {
        return Some(
            "is not a text file; expected a CSV or JSON Lines export (a spreadsheet saved as 'CSV UTF-8')"
                .into(),
        );
    }
    None
}

enum Utf8 {
    Valid { non_ascii: bool },
    Invalid { byte: u8, line: u64, offset: u64 },
}

/// Reads the whole file as UTF-8, a chunk at a time: the first invalid byte, or whether it
/// holds any letter beyond ASCII.
fn scan_utf8(path: &Path) -> std::io::Result<Utf8> {
    let mut file = super::open_file(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry = 0usize; // bytes of an incomplete character kept from the previous chunk
    let mut offset = 0u64; // file offset of buf[0]
    let mut lines = 1u64;
    let mut non_ascii = false;
    loop {
        let n = file.read(&mut buf[carry..])?;
        let len = carry + n;
        let chunk = &buf[..len];
        let at_end = n == 0;
        match std::str::from_utf8(chunk) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && !at_end => carry = len - e.valid_up_to(),
            Err(e) => {
                let bad = e.valid_up_to();
                lines += chunk[..bad].iter().filter(|&&b| b == b'\n').count() as u64;
                return Ok(Utf8::Invalid {
                    byte: chunk.get(bad).copied().unwrap_or(0),
                    line: lines,
                    offset: offset + bad as u64,
                });
            }
        }
        let done = len - carry;
        non_ascii |= !chunk[..done].is_ascii();
        lines += chunk[..done].iter().filter(|&&b| b == b'\n').count() as u64;
        offset += done as u64;
        buf.copy_within(done..len, 0);
        if at_end {
            return Ok(Utf8::Valid { non_ascii });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_check_across_chunk_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        // 'ø' (two bytes) straddles the 64 KiB chunk boundary.
        let mut text = "navn\n".to_string();
        text.push_str(&"a".repeat(64 * 1024 - text.len() - 1));
        text.push_str("ø\n");
        std::fs::write(&p, &text).unwrap();
        assert!(matches!(
            scan_utf8(&p).unwrap(),
            Utf8::Valid { non_ascii: true }
        ));
        let mut bytes = text.into_bytes();
        bytes.push(0xE6);
        std::fs::write(&p, &bytes).unwrap();
        assert!(matches!(
            scan_utf8(&p).unwrap(),
            Utf8::Invalid {
                byte: 0xE6,
                line: 3,
                ..
            }
        ));
    }

    #[test]
    fn what_is_not_text() {
        assert!(not_text(b"navn;region\r\nS\xF8ren;l\xE6nd\r\n").is_none());
        assert!(not_text(b"").is_none());
        assert!(not_text(b"PK\x03\x04rest").unwrap().contains("workbook"));
        assert!(not_text(b"\xFF\xFEn\0a\0").unwrap().contains("UTF-16"));
        assert!(not_text(b"n\0a\0v\0n\0").unwrap().contains("UTF-16"));
        assert!(
            not_text(b"\x7FELF\x02\x01\x01\0\0")
                .unwrap()
                .contains("not a text")
        );
    }
}
