//! What the bytes of an input file say before any row is read: whether it is text at all (not
//! a workbook, not UTF-16, not binary), and whether it is in the encoding asked for; if not,
//! the answer names the encoding its letters show. Each has its own answer, because each has
//! its own fix. The file is read once for all of it, by [`super::survey`].

use super::codepage::{self, Weights};
use super::{Encoding, NotText};
use crate::chars;

const SAVE_AS: &str = "in Excel choose File > Save As > 'CSV UTF-8 (kommasepareret) (*.csv)'";

/// How many bytes from the start tell whether a file is text.
pub const HEAD: usize = 8192;

/// Why a file whose bytes are `utf8` (with or without a byte order mark) cannot be read in
/// `encoding`, if it cannot, with the encoding it looks like (when one pjece reads fits).
/// `weights` weighs the file, when the answer needs it.
pub fn wrong_encoding_reason<E>(
    utf8: &Utf8,
    bom: bool,
    encoding: Encoding,
    weights: impl FnOnce() -> Result<Weights, E>,
) -> Result<Option<(Option<Encoding>, String)>, E> {
    Ok(match (utf8, encoding) {
        (Utf8::Valid { .. }, Encoding::Utf8) => None,
        (&Utf8::Invalid { byte, line, offset }, Encoding::Utf8) => {
            let best = weights()?.best();
            let looks = match best {
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
            Some((
                best,
                format!(
                    "is not UTF-8 text: byte 0x{byte:02X} at line {line} (offset {offset}) \
                     cannot start a character. {looks}"
                ),
            ))
        }
        (&Utf8::Valid { non_ascii }, legacy) if bom || non_ascii => {
            let how = if bom {
                "it starts with UTF-8's byte order mark"
            } else {
                "its letters are written as UTF-8"
            };
            Some((
                Some(Encoding::Utf8),
                format!(
                    "is already UTF-8 ({how}); read as {} its letters would be garbled \
                     (ø as {}), so drop --encoding {}",
                    legacy.name(),
                    codepage::decode("ø".as_bytes(), legacy),
                    legacy.flag()
                ),
            ))
        }
        (_, legacy) => {
            let weights = weights()?;
            weights
                .better_than(legacy)
                .map(|better| (Some(better), wrong_encoding(&weights, legacy, better)))
        }
    })
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

/// What the first bytes of a file are, and why that is not CSV or JSON Lines text, if they
/// are not.
pub fn not_text(head: &[u8]) -> Option<(NotText, String)> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some((
            NotText::Workbook,
            format!("is an Excel workbook, not CSV; {SAVE_AS} and use that file"),
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
        return Some((
            NotText::Utf16,
            format!(
                "is UTF-16 text (Excel's 'Unicode-tekst'), which pjece does not read; {SAVE_AS} \
                 instead"
            ),
        ));
    }
    // Text has no NUL, and few other control bytes (tab, line breaks and form feed aside).
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if head.contains(&0) || controls * 20 > head.len() {
        return Some((
            NotText::Binary,
            "is not a text file; expected a CSV or JSON Lines export (a spreadsheet saved as 'CSV UTF-8')"
                .into(),
        ));
    }
    None
}

/// What a file is as UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf8 {
    /// Valid; whether it holds any letter beyond ASCII.
    Valid { non_ascii: bool },
    /// The first byte that cannot start a character, its line (1-based) and file offset.
    Invalid { byte: u8, line: u64, offset: u64 },
}

/// Checks a file as UTF-8 from bytes handed over in pieces: the first invalid byte, or whether
/// it holds any letter beyond ASCII.
#[derive(Debug, Default)]
pub struct Utf8Check {
    /// The start of a character cut off at the end of the last piece (at most 3 bytes).
    pending: Vec<u8>,
    /// The file offset of the first byte not yet passed (`pending`'s first, if any).
    offset: u64,
    /// Line breaks before `offset`.
    breaks: u64,
    non_ascii: bool,
    invalid: Option<Utf8>,
}

impl Utf8Check {
    /// Takes the next bytes of the file.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        if self.invalid.is_some() {
            return;
        }
        // First complete a character the last piece cut off.
        while !self.pending.is_empty() {
            let Some((&b, rest)) = bytes.split_first() else {
                return;
            };
            bytes = rest;
            self.pending.push(b);
            match std::str::from_utf8(&self.pending) {
                Ok(_) => {
                    let done = std::mem::take(&mut self.pending);
                    self.pass(&done);
                }
                Err(e) if e.error_len().is_none() => {}
                Err(_) => return self.fail(self.pending[0]),
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => self.pass(bytes),
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                self.pass(good);
                match e.error_len() {
                    None => self.pending.extend_from_slice(rest),
                    Some(_) => self.fail(rest[0]),
                }
            }
        }
    }

    /// Bytes that are whole, valid characters.
    fn pass(&mut self, bytes: &[u8]) {
        self.non_ascii |= !bytes.is_ascii();
        self.breaks += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset += bytes.len() as u64;
    }

    /// `byte`, at `offset`, cannot start a character.
    fn fail(&mut self, byte: u8) {
        self.invalid = Some(Utf8::Invalid {
            byte,
            line: self.breaks + 1,
            offset: self.offset,
        });
    }

    /// The verdict, once the whole file is fed.
    pub fn finish(mut self) -> Utf8 {
        if self.invalid.is_none() && !self.pending.is_empty() {
            self.fail(self.pending[0]); // the file ends inside a character
        }
        self.invalid.unwrap_or(Utf8::Valid {
            non_ascii: self.non_ascii,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], piece: usize) -> Utf8 {
        let mut check = Utf8Check::default();
        for piece in bytes.chunks(piece) {
            check.feed(piece);
        }
        check.finish()
    }

    #[test]
    fn utf8_check_across_piece_boundaries() {
        // 'ø' (two bytes) and '€' (three) fall across every kind of boundary.
        let text = "navn\nSøren €\n".as_bytes();
        for piece in 1..=text.len() {
            assert_eq!(
                check(text, piece),
                Utf8::Valid { non_ascii: true },
                "{piece}"
            );
        }
        assert_eq!(check(b"navn\nBo\n", 3), Utf8::Valid { non_ascii: false });
        let cases: [(&[u8], u8, u64, u64); 5] = [
            (b"navn\n\nS\xF8ren\n", 0xF8, 3, 7),
            (b"navn\n\xC3", 0xC3, 2, 5),     // ends inside a character
            (b"a\n\xE2\x82x\n", 0xE2, 2, 2), // a character broken off
            (b"a\xF0\x9F\x98\x80\n\xFF", 0xFF, 2, 6), // after a 4-byte character
            (b"\xEF\xBB\xBF\n\x80", 0x80, 2, 4), // a byte order mark counts
        ];
        for (bytes, byte, line, offset) in cases {
            for piece in 1..=bytes.len() {
                assert_eq!(
                    check(bytes, piece),
                    Utf8::Invalid { byte, line, offset },
                    "{bytes:?} in pieces of {piece}"
                );
            }
        }
    }

    #[test]
    fn what_is_not_text() {
        assert!(not_text(b"navn;region\r\nS\xF8ren;l\xE6nd\r\n").is_none());
        assert!(not_text(b"").is_none());
        assert!(not_text(b"PK\x03\x04rest").unwrap().1.contains("workbook"));
        assert!(not_text(b"\xFF\xFEn\0a\0").unwrap().1.contains("UTF-16"));
        assert!(not_text(b"n\0a\0v\0n\0").unwrap().1.contains("UTF-16"));
        assert!(
            not_text(b"\x7FELF\x02\x01\x01\0\0")
                .unwrap()
                .1
                .contains("not a text")
        );
    }
}
