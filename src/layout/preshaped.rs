//! The embedded guideline's words shaped ahead of time, so one `pjece build` does not shape the
//! same few hundred words from scratch in every process (a third of its instructions).
//!
//! The table (`preshaped.bin`, beside this file) is written by `tests/preshaped.rs` from what the
//! real layout shapes for every region, variant and audience, and is read only for the embedded
//! fonts (recognised by address, not by name) and only while they are the fonts it was made from
//! (a fingerprint of their bytes, checked once a process). That test fails as soon as the table
//! differs from what rustybuzz makes of the same words today (after a change of font, content or
//! rustybuzz); `PJECE_BLESS=1` writes it anew. A word missing from the table is shaped as before,
//! so the table saves time and never changes what is drawn.
//!
//! The format is ours (a sorted array searched in place, nothing parsed at start-up), for the
//! same reason: no serialisation crate reads a table without building it first.
//!
//! Little-endian: the magic, the fonts' fingerprint (u64), an entry count (u32), the entries (sorted by face, then text bytes),
//! the glyphs, then the texts. An entry is text offset (u32), text length (u16), glyph offset
//! (u32), glyph count (u16) and face (u8); a glyph is id (u16), cluster (u16) and x advance,
//! x offset and y offset (i16) in font units.

use std::cmp::Ordering;
use std::hash::Hasher;
use std::sync::OnceLock;

use crate::fonts::FontSet;

const MAGIC: &[u8; 16] = b"pjece-preshaped2";
const ENTRY: usize = 13;
const GLYPH: usize = 10;

static EMBEDDED: &[u8] = include_bytes!("preshaped.bin");

/// One glyph as rustybuzz gives it, in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawGlyph {
    /// Glyph id.
    pub id: u16,
    /// Byte offset of the glyph's cluster in the text.
    pub cluster: u16,
    /// Horizontal advance.
    pub x_advance: i16,
    /// Horizontal offset.
    pub x_offset: i16,
    /// Vertical offset.
    pub y_offset: i16,
}

impl RawGlyph {
    /// The glyph in table form, or None when a value does not fit (the word is then left out).
    pub fn new(
        id: u32,
        cluster: u32,
        x_advance: i32,
        x_offset: i32,
        y_offset: i32,
    ) -> Option<Self> {
        Some(RawGlyph {
            id: id.try_into().ok()?,
            cluster: cluster.try_into().ok()?,
            x_advance: x_advance.try_into().ok()?,
            x_offset: x_offset.try_into().ok()?,
            y_offset: y_offset.try_into().ok()?,
        })
    }
}

/// A table of shaped words, searched where it lies.
#[derive(Debug, Clone, Copy)]
pub struct Preshaped {
    bytes: &'static [u8],
    count: usize,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Preshaped {
    /// The table compiled into the binary, for `fonts` in [`face_number`](super::shape) order
    /// (regular, bold, fallback regular, fallback bold) when they are the embedded fonts and still
    /// those the table was made from. None otherwise, or when it is no table: every word is then
    /// shaped as it comes.
    pub fn for_fonts(set: &FontSet, fonts: [&[u8]; 4]) -> Option<Preshaped> {
        // Only the embedded fonts are ever fingerprinted, so one answer serves the process.
        static TABLE: OnceLock<Option<Preshaped>> = OnceLock::new();
        if !set.is_embedded() {
            return None;
        }
        *TABLE.get_or_init(|| Preshaped::read(EMBEDDED, fingerprint(fonts)))
    }

    fn read(bytes: &'static [u8], fonts: u64) -> Option<Preshaped> {
        let rest = bytes.strip_prefix(MAGIC)?;
        if u64::from_le_bytes(rest.get(..8)?.try_into().ok()?) != fonts {
            return None;
        }
        let count = u32_at(rest.get(8..12)?, 0) as usize;
        let table = Preshaped {
            bytes: &rest[12..],
            count,
        };
        // Every offset is checked once here, so a lookup can index without failing.
        for i in 0..count {
            let (text, glyphs, _) = table.entry_ranges(i)?;
            std::str::from_utf8(table.bytes.get(text)?).ok()?;
            table.bytes.get(glyphs)?;
        }
        Some(table)
    }

    /// The byte ranges of entry `i`'s text and glyphs, and its face.
    fn entry_ranges(
        &self,
        i: usize,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>, u8)> {
        let e = self.bytes.get(i * ENTRY..(i + 1) * ENTRY)?;
        let text = u32_at(e, 0) as usize;
        let glyphs = u32_at(e, 6) as usize;
        Some((
            text..text + u16_at(e, 4) as usize,
            glyphs..glyphs + u16_at(e, 10) as usize * GLYPH,
            e[12],
        ))
    }

    /// The glyphs of `text` in face number `face`, when the table has them.
    pub fn get(&self, face: u8, text: &str) -> Option<impl Iterator<Item = RawGlyph> + use<>> {
        let key = (face, text.as_bytes());
        let bytes = self.bytes;
        let mut low = 0;
        let mut high = self.count;
        while low < high {
            let mid = (low + high) / 2;
            let (t, g, f) = self.entry_ranges(mid)?;
            match (f, &bytes[t]).cmp(&key) {
                Ordering::Less => low = mid + 1,
                Ordering::Greater => high = mid,
                Ordering::Equal => {
                    return Some(bytes[g].chunks_exact(GLYPH).map(|c| RawGlyph {
                        id: u16_at(c, 0),
                        cluster: u16_at(c, 2),
                        x_advance: u16_at(c, 4) as i16,
                        x_offset: u16_at(c, 6) as i16,
                        y_offset: u16_at(c, 8) as i16,
                    }));
                }
            }
        }
        None
    }

    /// Writes a table of `words` (face number, text, glyphs), in any order and each once,
    /// shaped in `fonts` (in the order of [`Preshaped::for_fonts`]).
    pub fn write(fonts: [&[u8]; 4], mut words: Vec<(u8, String, Vec<RawGlyph>)>) -> Vec<u8> {
        words.sort_by(|a, b| (a.0, a.1.as_bytes()).cmp(&(b.0, b.1.as_bytes())));
        let glyph_start = words.len() * ENTRY;
        let glyph_bytes: usize = words.iter().map(|w| w.2.len() * GLYPH).sum();
        let mut entries = Vec::with_capacity(glyph_start);
        let mut glyphs = Vec::with_capacity(glyph_bytes);
        let mut texts: Vec<u8> = Vec::new();
        for (face, text, shaped) in &words {
            let text_at = glyph_start + glyph_bytes + texts.len();
            entries.extend(u32::try_from(text_at).unwrap().to_le_bytes());
            entries.extend(u16::try_from(text.len()).unwrap().to_le_bytes());
            entries.extend(
                u32::try_from(glyph_start + glyphs.len())
                    .unwrap()
                    .to_le_bytes(),
            );
            entries.extend(u16::try_from(shaped.len()).unwrap().to_le_bytes());
            entries.push(*face);
            texts.extend(text.as_bytes());
            for g in shaped {
                glyphs.extend(g.id.to_le_bytes());
                glyphs.extend(g.cluster.to_le_bytes());
                glyphs.extend(g.x_advance.to_le_bytes());
                glyphs.extend(g.x_offset.to_le_bytes());
                glyphs.extend(g.y_offset.to_le_bytes());
            }
        }
        let mut out = MAGIC.to_vec();
        out.extend(fingerprint(fonts).to_le_bytes());
        out.extend(u32::try_from(words.len()).unwrap().to_le_bytes());
        out.extend(entries);
        out.extend(glyphs);
        out.extend(texts);
        out
    }
}

/// A fingerprint of font files' bytes: not for security, only to notice a font that changed
/// after the table was made (FxHash reads 8 bytes a step: the four fonts in about 0.1 M
/// instructions).
fn fingerprint(fonts: [&[u8]; 4]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for font in fonts {
        h.write_usize(font.len());
        h.write(font);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONTS: [&[u8]; 4] = [b"regular", b"bold", b"fallback", b"fallback bold"];

    fn glyph(id: u16, cluster: u16, x_advance: i16) -> RawGlyph {
        RawGlyph {
            id,
            cluster,
            x_advance,
            x_offset: -3,
            y_offset: 7,
        }
    }

    #[test]
    fn words_are_found_by_face_and_exact_text() {
        let words = vec![
            (
                1,
                "ø ".to_string(),
                vec![glyph(9, 0, 500), glyph(3, 2, 250)],
            ),
            (
                0,
                "ø ".to_string(),
                vec![glyph(8, 0, 480), glyph(3, 2, 240)],
            ),
            (0, "a".to_string(), vec![glyph(4, 0, 510)]),
        ];
        let bytes: &'static [u8] = Preshaped::write(FONTS, words).leak();
        let table = Preshaped::read(bytes, fingerprint(FONTS)).unwrap();
        let got: Vec<RawGlyph> = table.get(1, "ø ").unwrap().collect();
        assert_eq!(got, [glyph(9, 0, 500), glyph(3, 2, 250)]);
        let got: Vec<RawGlyph> = table.get(0, "ø ").unwrap().collect();
        assert_eq!(got, [glyph(8, 0, 480), glyph(3, 2, 240)]);
        assert!(table.get(0, "a").is_some());
        assert!(table.get(1, "a").is_none());
        assert!(table.get(0, "ø").is_none());
        assert!(table.get(0, "").is_none());
    }

    #[test]
    fn a_cut_or_foreign_table_is_not_used() {
        let bytes = Preshaped::write(FONTS, vec![(0, "ab".into(), vec![glyph(1, 0, 1)])]);
        let ours = fingerprint(FONTS);
        assert!(Preshaped::read(bytes.clone().leak(), ours).is_some());
        let cut: &'static [u8] = bytes[..bytes.len() - 1].to_vec().leak();
        assert!(Preshaped::read(cut, ours).is_none());
        assert!(Preshaped::read(b"", ours).is_none());
        assert!(Preshaped::read(b"pjece-preshaped1\0\0\0\0", ours).is_none());
    }

    #[test]
    fn a_table_made_from_other_fonts_is_not_used() {
        let bytes: &'static [u8] =
            Preshaped::write(FONTS, vec![(0, "ab".into(), vec![glyph(1, 0, 1)])]).leak();
        // One byte of one font changed, or the same bytes as other files: not the same fonts.
        let changed = [&b"regulaR"[..], b"bold", b"fallback", b"fallback bold"];
        let moved = [&b"regularb"[..], b"old", b"fallback", b"fallback bold"];
        assert!(Preshaped::read(bytes, fingerprint(changed)).is_none());
        assert!(Preshaped::read(bytes, fingerprint(moved)).is_none());
    }

    #[test]
    fn values_that_do_not_fit_are_refused() {
        assert!(RawGlyph::new(70_000, 0, 0, 0, 0).is_none());
        assert!(RawGlyph::new(1, 0, 40_000, 0, 0).is_none());
        assert!(RawGlyph::new(1, 2, -300, 4, -5).is_some());
    }
}
