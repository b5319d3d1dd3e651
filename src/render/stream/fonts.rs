//! The fonts of a combined file, each face embedded once for the whole file and whole: rows
//! stream, so which glyphs later handouts need is unknown while the first ones are written
//! (the faces are 48 to 90 KB). A face is a CID font with Identity-H encoding (2-byte codes,
//! code = CID). What pages need to set text (advances, the character each glyph stands for)
//! is read once here; the widths and the ToUnicode map list the glyphs the handouts used,
//! written at the end.
//!
//! A TrueType face's CIDs are not its glyph ids but two printable ASCII characters each (a
//! CIDToGIDMap maps them back): text is then a plain literal string, a tenth smaller
//! compressed than the hex string glyph ids need, and text is most of a handout's bytes.

use std::collections::BTreeMap;
use std::io;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};
use rustybuzz::ttf_parser;

use super::objects::{ObjectWriter, deflate};
use crate::error::Error;
use crate::fonts::{Face, FontFile, FontSet, Weight};

/// Regular, bold, fallback regular, fallback bold.
pub(super) const FACES: usize = 4;

/// The index of a face in [`StreamFonts`].
pub(super) fn face_index(f: Face) -> usize {
    f.weight as usize + if f.fallback { 2 } else { 0 }
}

/// The resource name of a face on a page.
pub(super) fn resource_name(index: usize) -> Name<'static> {
    [Name(b"F0"), Name(b"F1"), Name(b"F2"), Name(b"F3")][index]
}

/// The faces of a font set, read for the streaming writer.
pub struct StreamFonts {
    faces: Vec<FaceInfo>,
}

impl StreamFonts {
    /// Reads the faces' metrics and character maps.
    pub fn new(fonts: &FontSet) -> Result<StreamFonts, Error> {
        let (r, b) = (Weight::Regular, Weight::Bold);
        let faces = [
            Face::main(r),
            Face::main(b),
            Face::fallback(r),
            Face::fallback(b),
        ];
        debug_assert!(faces.iter().enumerate().all(|(i, &f)| face_index(f) == i));
        let faces = faces
            .into_iter()
            .map(|f| {
                let scale = if f.fallback {
                    fonts.fallback_scale(f.weight)
                } else {
                    1.0
                };
                FaceInfo::read(fonts.face(f), scale)
            })
            .collect::<Result<_, _>>()?;
        Ok(StreamFonts { faces })
    }

    pub(super) fn face(&self, index: usize) -> &FaceInfo {
        &self.faces[index]
    }
}

/// One face: its file and what setting text and describing it in the PDF need.
pub(super) struct FaceInfo {
    file: FontFile,
    /// How much larger than the run's size this face is drawn (the fallback's scale).
    pub scale: f32,
    /// Advance of each glyph in thousandths of an em (PDF glyph space).
    advances: Vec<f32>,
    /// The character each glyph stands for in the font's character map: the lowest when
    /// several share a glyph (a space before a no-break space); none for glyphs only shaping
    /// reaches.
    canonical: Vec<Option<char>>,
    postscript_name: String,
    cff: bool,
    /// Whether CIDs are printable pairs ([`printable_cid`]); else CID = glyph id.
    printable: bool,
    glyph_count: u16,
    bbox: [f32; 4],
    ascent: f32,
    descent: f32,
    cap_height: f32,
    italic_angle: f32,
    stem_v: f32,
    monospaced: bool,
}

impl FaceInfo {
    fn read(file: &FontFile, scale: f32) -> Result<FaceInfo, Error> {
        let bad = |reason: &str| Error::BadFont {
            name: file.name.clone(),
            reason: reason.into(),
        };
        let face = ttf_parser::Face::parse(file.bytes(), 0)
            .map_err(|e| bad(&format!("is not a usable TrueType/OpenType font ({e})")))?;
        let tables = face.tables();
        let cff = tables.cff.is_some();
        if tables.glyf.is_none() && !cff {
            return Err(bad("has no glyph outlines (glyf or CFF) to embed"));
        }
        let em = face.units_per_em() as f32;
        let to_pdf = |v: f32| v * 1000.0 / em;
        let count = face.number_of_glyphs();
        let advances = (0..count)
            .map(|g| to_pdf(face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0) as f32))
            .collect();
        let mut canonical: Vec<Option<char>> = vec![None; count as usize];
        for sub in tables
            .cmap
            .iter()
            .flat_map(|c| c.subtables)
            .filter(|s| s.is_unicode())
        {
            sub.codepoints(|cp| {
                let Some(c) = char::from_u32(cp).filter(|c| !c.is_control()) else {
                    return;
                };
                if let Some(g) = sub.glyph_index(cp)
                    && let Some(slot) = canonical.get_mut(g.0 as usize)
                    && slot.is_none_or(|old| c < old)
                {
                    *slot = Some(c);
                }
            });
        }
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| file.name.clone());
        // A PDF name of printable ASCII without delimiters, as PostScript names are.
        let postscript_name: String = postscript_name
            .chars()
            .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
            .collect();
        let b = face.global_bounding_box();
        let ascent = to_pdf(face.ascender() as f32);
        Ok(FaceInfo {
            file: file.clone(),
            scale,
            advances,
            canonical,
            postscript_name: if postscript_name.is_empty() {
                "Font".into()
            } else {
                postscript_name
            },
            cff,
            // A CFF font's CIDs are its glyph ids (no CIDToGIDMap for CIDFontType0).
            printable: !cff && (count as usize) <= CID_ALPHABET.len().pow(2),
            glyph_count: count,
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| to_pdf(v as f32)),
            ascent,
            descent: to_pdf(face.descender() as f32),
            cap_height: face.capital_height().map_or(ascent, |h| to_pdf(h as f32)),
            italic_angle: face.italic_angle(),
            stem_v: 10.0 + 0.244 * (face.weight().to_number() as f32 - 50.0),
            monospaced: face.is_monospaced(),
        })
    }

    /// A glyph's advance in thousandths of an em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances.get(glyph as usize).copied().unwrap_or(0.0)
    }

    /// The code (= CID) that shows a glyph.
    pub fn code(&self, glyph: u16) -> u16 {
        if self.printable {
            printable_cid(glyph)
        } else {
            glyph
        }
    }

    /// The character a glyph stands for in the font's character map.
    pub fn canonical(&self, glyph: u16) -> Option<char> {
        self.canonical.get(glyph as usize).copied().flatten()
    }
}

/// What handouts used of one face: the glyphs, and the text of glyphs the character map does
/// not reach (the first text seen for each, which its ToUnicode entry then gives).
#[derive(Debug, Clone, Default)]
pub(super) struct GlyphUse {
    used: Vec<u64>,
    text: BTreeMap<u16, String>,
}

impl GlyphUse {
    pub fn insert(&mut self, glyph: u16) {
        let (word, bit) = (glyph as usize / 64, glyph % 64);
        if self.used.len() <= word {
            self.used.resize(word + 1, 0);
        }
        self.used[word] |= 1 << bit;
    }

    pub fn insert_text(&mut self, glyph: u16, text: &str) {
        self.text.entry(glyph).or_insert_with(|| text.to_string());
    }

    pub fn is_empty(&self) -> bool {
        self.used.iter().all(|&w| w == 0)
    }

    /// Adds another handout's use; the text seen first stays.
    pub fn merge(&mut self, other: GlyphUse) {
        if self.used.len() < other.used.len() {
            self.used.resize(other.used.len(), 0);
        }
        for (a, b) in self.used.iter_mut().zip(&other.used) {
            *a |= b;
        }
        for (g, t) in other.text {
            self.text.entry(g).or_insert(t);
        }
    }

    pub fn glyphs(&self) -> impl Iterator<Item = u16> + '_ {
        self.used.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| (i * 64 + b) as u16)
        })
    }
}

const IDENTITY_H: &[u8] = b"Identity-H";

/// The bytes of a printable CID: printable ASCII except the string delimiters and backslash.
const CID_ALPHABET: &[u8] =
    b"!\"#$%&'*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Glyph `g` (below 91²) as a CID of two alphabet bytes.
fn printable_cid(g: u16) -> u16 {
    let n = CID_ALPHABET.len() as u16;
    u16::from_be_bytes([
        CID_ALPHABET[(g / n) as usize],
        CID_ALPHABET[(g % n) as usize],
    ])
}

/// Writes a face as the Type 0 font `type0` (the reference pages already use): its CID font,
/// descriptor, font program, widths and ToUnicode map of the glyphs in `used`.
pub(super) fn write_font(
    w: &mut ObjectWriter,
    type0: Ref,
    face: &FaceInfo,
    used: &GlyphUse,
) -> io::Result<()> {
    let cid_ref = w.alloc();
    let descriptor_ref = w.alloc();
    let program_ref = w.alloc();
    let cmap_ref = w.alloc();
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let name = face.postscript_name.as_bytes();
    let type0_name = if face.cff {
        // A CIDFontType0's Type 0 font is named after the font and its CMap (PDF 1.7, 9.7.6.1).
        [name, b"-", IDENTITY_H].concat()
    } else {
        name.to_vec()
    };
    w.packed(|c| {
        c.type0_font(type0)
            .base_font(Name(&type0_name))
            .encoding_predefined(Name(IDENTITY_H))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);
    });
    // (CID, glyph) in CID order, as widths and maps list them.
    let mut glyphs: Vec<(u16, u16)> = used.glyphs().map(|g| (face.code(g), g)).collect();
    glyphs.sort_unstable();
    let cid_to_gid_ref = w.alloc();
    w.packed(|c| {
        let mut cid = c.cid_font(cid_ref);
        cid.subtype(if face.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        cid.base_font(Name(name));
        cid.system_info(system_info);
        cid.font_descriptor(descriptor_ref);
        cid.default_width(0.0);
        if face.printable {
            cid.pair(Name(b"CIDToGIDMap"), cid_to_gid_ref);
        } else if !face.cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut widths = cid.widths();
        // Runs of consecutive glyph ids, each as `first [w w …]`.
        let mut i = 0;
        while i < glyphs.len() {
            let mut j = i + 1;
            while j < glyphs.len() && glyphs[j].0 == glyphs[j - 1].0 + 1 {
                j += 1;
            }
            widths.consecutive(
                glyphs[i].0,
                glyphs[i..j].iter().map(|&(_, g)| face.advance(g)),
            );
            i = j;
        }
        widths.finish();
        cid.finish();
    });
    w.packed(|c| {
        let mut flags = FontFlags::SYMBOLIC;
        flags.set(FontFlags::ITALIC, face.italic_angle != 0.0);
        flags.set(FontFlags::FIXED_PITCH, face.monospaced);
        let [x0, y0, x1, y1] = face.bbox;
        let mut d = c.font_descriptor(descriptor_ref);
        d.name(Name(name))
            .flags(flags)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(face.italic_angle)
            .ascent(face.ascent)
            .descent(face.descent)
            .cap_height(face.cap_height)
            .stem_v(face.stem_v);
        if face.cff {
            d.font_file3(program_ref);
        } else {
            d.font_file2(program_ref);
        }
    });
    if face.printable {
        // Two bytes a CID, the glyph id, up to the last glyph's CID.
        let last = printable_cid(face.glyph_count.saturating_sub(1));
        let mut map = vec![0u8; 2 * (last as usize + 1)];
        for g in 0..face.glyph_count {
            let cid = printable_cid(g) as usize;
            map[2 * cid..2 * cid + 2].copy_from_slice(&g.to_be_bytes());
        }
        let map = deflate(&map);
        w.direct(|c| {
            c.stream(cid_to_gid_ref, &map).filter(Filter::FlateDecode);
        })?;
    }
    let bytes = face.file.bytes();
    let program = deflate(bytes);
    w.direct(|c| {
        let mut s = c.stream(program_ref, &program);
        s.filter(Filter::FlateDecode);
        if face.cff {
            // The whole OpenType file; its CFF is not CID-keyed, so CIDs are glyph ids.
            s.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            s.pair(Name(b"Length1"), bytes.len() as i32);
        }
    })?;
    let mut cmap = UnicodeCmap::new(
        Name(b"Custom"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for &(cid, g) in &glyphs {
        match (face.canonical(g), used.text.get(&g)) {
            (Some(c), _) => cmap.pair(cid, c),
            (None, Some(t)) if !t.is_empty() => cmap.pair_with_multiple(cid, t.chars()),
            // Never seen with text (an empty cluster): the replacement character, so every
            // glyph has a Unicode value as PDF/UA asks.
            _ => cmap.pair(cid, '\u{FFFD}'),
        }
    }
    let cmap = deflate(&cmap.finish().into_vec());
    w.direct(|c| {
        let mut stream = c.cmap(cmap_ref, &cmap);
        stream.name(Name(b"Custom")).system_info(system_info);
        stream.filter(Filter::FlateDecode);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_map_to_their_characters_and_advances_are_in_thousandths() {
        let set = FontSet::embedded();
        let fonts = StreamFonts::new(&set).unwrap();
        let regular = fonts.face(0);
        let face = ttf_parser::Face::parse(set.regular.bytes(), 0).unwrap();
        let space = face.glyph_index(' ').unwrap().0;
        let ae = face.glyph_index('æ').unwrap().0;
        assert_eq!(regular.canonical(space), Some(' '));
        assert_eq!(regular.canonical(ae), Some('æ'));
        assert_eq!(regular.canonical(0), None, ".notdef stands for nothing");
        let em = face.units_per_em() as f32;
        let a = face.glyph_hor_advance(ttf_parser::GlyphId(ae)).unwrap() as f32;
        assert_eq!(regular.advance(ae), a * 1000.0 / em);
        assert!(fonts.face(2).scale < 1.0, "the fallback is drawn smaller");
        assert_eq!(regular.postscript_name, "AtkinsonHyperlegibleNext-Regular");
    }

    #[test]
    fn glyph_use_merges_and_keeps_the_first_text() {
        let mut a = GlyphUse::default();
        a.insert(3);
        a.insert_text(300, "fi");
        let mut b = GlyphUse::default();
        b.insert(200);
        b.insert(3);
        b.insert_text(300, "other");
        a.merge(b);
        assert_eq!(a.glyphs().collect::<Vec<_>>(), [3, 200]);
        assert_eq!(a.text[&300], "fi");
        assert!(GlyphUse::default().is_empty());
    }

    #[test]
    fn printable_cids_are_distinct_two_byte_ascii_without_delimiters() {
        let all: Vec<u16> = (0..91 * 91).map(printable_cid).collect();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert_eq!(CID_ALPHABET.len(), 91);
        for cid in all {
            for b in cid.to_be_bytes() {
                assert!(b.is_ascii_graphic() && !b"()\\".contains(&b), "{b}");
            }
        }
        assert_eq!(printable_cid(0), u16::from_be_bytes(*b"!!"));
        let fonts = StreamFonts::new(&FontSet::embedded()).unwrap();
        assert_eq!(fonts.face(0).code(1), u16::from_be_bytes(*b"!\""));
    }
}
