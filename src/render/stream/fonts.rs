//! The fonts of a combined file, each face embedded once for the whole file and whole: rows
//! stream, so which glyphs later handouts need is unknown while the first ones are written
//! (the faces are 48 to 90 KB). A face is a CID font with CID = glyph id. What pages need to
//! set text (advances, the character each glyph stands for, its code) is read once here; the
//! widths and the ToUnicode map list the glyphs the handouts used, written at the end.
//!
//! A single handout's faces are subsets (`subsetter`) of the glyphs it shows, about a tenth of
//! a face. Its CIDs stay glyph ids of the whole face, so its pages are drawn exactly as in a
//! combined file, and a CID-to-glyph map stream leads each to its glyph in the subset. A thread
//! keeps its latest subsets, compressed: a batch's handouts of one kind share their glyphs.
//!
//! Text is most of a handout's bytes, so each face is two PDF fonts sharing one font program:
//! one with an embedded CMap of one-byte codes, a printable byte for each glyph of printable
//! ASCII and the Danish letters ([`ONE_BYTE`]), and one with Identity-H (two bytes a glyph)
//! for the other glyphs (a name's ü or ễ). Danish text is then a short literal string, and a
//! handout about a sixth smaller than with Identity-H alone. (One font with codes of both
//! lengths would do, but checkers such as outloud read a font's codes as all one length.)

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::rc::Rc;
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::writers::WMode;
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};
use rustybuzz::ttf_parser;

use super::objects::{ObjectWriter, deflate};
use super::stable_hasher;
use crate::error::Error;
use crate::fonts::{Face, FontFile, FontSet, Weight};

/// Regular, bold, fallback regular, fallback bold.
pub(super) const FACES: usize = 4;

/// PDF fonts: each face's font of one-byte codes, then each face's font of the other glyphs.
pub(super) const FONTS: usize = 2 * FACES;

/// The index of a face in [`StreamFonts`].
pub(super) fn face_index(f: Face) -> usize {
    f.weight as usize + if f.fallback { 2 } else { 0 }
}

/// The resource name of a PDF font on a page.
pub(super) fn resource_name(font: usize) -> Name<'static> {
    const NAMES: [Name<'static>; FONTS] = [
        Name(b"F0"),
        Name(b"F1"),
        Name(b"F2"),
        Name(b"F3"),
        Name(b"F4"),
        Name(b"F5"),
        Name(b"F6"),
        Name(b"F7"),
    ];
    NAMES[font]
}

/// How a glyph is shown: its PDF font (of [`FONTS`]) and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Code {
    pub font: usize,
    bytes: [u8; 2],
    len: usize,
}

impl Code {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The faces of a font set, read for the streaming writer. A face's metrics and character
/// map are read when a page first uses it: most handouts never need the fallback, whose
/// character map is the largest (reading all four was a tenth of a whole `pjece build`).
pub struct StreamFonts {
    faces: Vec<LazyFace>,
}

/// A face checked as embeddable, read on first use.
struct LazyFace {
    file: FontFile,
    scale: f32,
    info: OnceLock<FaceInfo>,
}

impl StreamFonts {
    /// Checks that every face can be embedded; what setting text needs is read on first use.
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
                let file = fonts.face(f);
                check_embeddable(file)?;
                let scale = if f.fallback {
                    fonts.fallback_scale(f.weight)
                } else {
                    1.0
                };
                Ok(LazyFace {
                    file: file.clone(),
                    scale,
                    info: OnceLock::new(),
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(StreamFonts { faces })
    }

    pub(super) fn face(&self, index: usize) -> &FaceInfo {
        let lazy = &self.faces[index];
        lazy.info
            .get_or_init(|| FaceInfo::read(&lazy.file, lazy.scale))
    }
}

/// What [`FaceInfo::read`] needs of a font: it parses, and has outlines to embed.
fn check_embeddable(file: &FontFile) -> Result<(), Error> {
    let bad = |reason: String| Error::BadFont {
        name: file.name.clone(),
        reason,
    };
    let face = ttf_parser::Face::parse(file.bytes(), 0)
        .map_err(|e| bad(format!("is not a usable TrueType/OpenType font ({e})")))?;
    let tables = face.tables();
    if tables.glyf.is_none() && tables.cff.is_none() {
        return Err(bad("has no glyph outlines (glyf or CFF) to embed".into()));
    }
    Ok(())
}

/// One face: its file and what setting text and describing it in the PDF need.
pub(super) struct FaceInfo {
    file: FontFile,
    /// A hash of the font file, naming it in the cache of subsets.
    file_hash: u64,
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
    /// The one-byte code of each glyph that has one (0 for none).
    one_byte: Vec<u8>,
    glyph_count: u16,
    bbox: [f32; 4],
    ascent: f32,
    descent: f32,
    cap_height: f32,
    italic_angle: f32,
    stem_v: f32,
    monospaced: bool,
    /// The compressed encoding CMap of the one-byte font: the same in every file, so made once.
    encoding: OnceLock<Vec<u8>>,
}

impl FaceInfo {
    /// Reads a face [`check_embeddable`] accepted.
    fn read(file: &FontFile, scale: f32) -> FaceInfo {
        let face = ttf_parser::Face::parse(file.bytes(), 0)
            .expect("StreamFonts::new checked that the face parses");
        let tables = face.tables();
        let cff = tables.cff.is_some();
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
        let mut one_byte = vec![0u8; count as usize];
        for (code, c) in (FIRST_CODE..).zip(ONE_BYTE.chars()) {
            if let Some(g) = face.glyph_index(c)
                && let Some(slot) = one_byte.get_mut(g.0 as usize)
                && *slot == 0
            {
                *slot = code;
            }
        }
        let b = face.global_bounding_box();
        let ascent = to_pdf(face.ascender() as f32);
        let file_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = stable_hasher();
            file.bytes().hash(&mut h);
            Hasher::finish(&h)
        };
        FaceInfo {
            file: file.clone(),
            file_hash,
            scale,
            advances,
            canonical,
            postscript_name: if postscript_name.is_empty() {
                "Font".into()
            } else {
                postscript_name
            },
            cff,
            one_byte,
            glyph_count: count,
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| to_pdf(v as f32)),
            ascent,
            descent: to_pdf(face.descender() as f32),
            cap_height: face.capital_height().map_or(ascent, |h| to_pdf(h as f32)),
            italic_angle: face.italic_angle(),
            stem_v: 10.0 + 0.244 * (face.weight().to_number() as f32 - 50.0),
            monospaced: face.is_monospaced(),
            encoding: OnceLock::new(),
        }
    }

    /// A glyph's advance in thousandths of an em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances.get(glyph as usize).copied().unwrap_or(0.0)
    }

    /// How the face `index` shows a glyph.
    pub fn code(&self, index: usize, glyph: u16) -> Code {
        match self.one_byte.get(glyph as usize) {
            Some(&b) if b != 0 => Code {
                font: index,
                bytes: [b, 0],
                len: 1,
            },
            _ => Code {
                font: FACES + index,
                bytes: glyph.to_be_bytes(),
                len: 2,
            },
        }
    }

    fn has_one_byte_code(&self, glyph: u16) -> bool {
        self.one_byte.get(glyph as usize).is_some_and(|&b| b != 0)
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

/// The characters whose glyphs have one-byte codes, from code 0x20 on: printable ASCII with its
/// rarest characters in Danish text (# $ < = > @ \\ ^ ` | ~) replaced by the Danish letters and
/// the typography of the handouts (æ ø é · § å • Æ Ø Å –).
const ONE_BYTE: &str = " !\"æø%&'()*+,-./0123456789:;é·§?åABCDEFGHIJKLMNOPQRSTUVWXYZ[•]Æ_Øabcdefghijklmnopqrstuvwxyz{Å}–";
const FIRST_CODE: u8 = 0x20;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A CMap program of one-byte codes: the header naming it, `body`, and the trailer.
fn cmap_program(name: &str, ordering: &str, kind: u8, body: &str) -> Vec<u8> {
    format!(
        "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\n\
         begincmap\n/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n\
         /Ordering ({ordering}) def\n/Supplement 0 def\nend def\n/CMapName /{name} def\n\
         /CMapVersion 1 def\n/CMapType {kind} def\n/WMode 0 def\n\
         1 begincodespacerange\n<20> <7E>\nendcodespacerange\n{body}endcmap\n\
         CMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    .into_bytes()
}

/// Entries in blocks of at most 100, as CMaps allow.
fn blocks(kind: &str, entries: &[String]) -> String {
    let mut out = String::new();
    for block in entries.chunks(100) {
        out.push_str(&format!("{} begin{kind}\n", block.len()));
        for e in block {
            out.push_str(e);
            out.push('\n');
        }
        out.push_str(&format!("end{kind}\n"));
    }
    out
}

/// The encoding of a face's one-byte font: each code's glyph (= CID).
fn encoding_cmap(name: &str, face: &FaceInfo) -> Vec<u8> {
    let mut codes: Vec<(u8, u16)> = (0..face.glyph_count)
        .filter_map(|g| match face.one_byte[g as usize] {
            0 => None,
            b => Some((b, g)),
        })
        .collect();
    codes.sort_unstable();
    let entries: Vec<String> = codes
        .iter()
        .map(|&(b, g)| format!("<{b:02X}> {g}"))
        .collect();
    cmap_program(name, "Identity", 1, &blocks("cidchar", &entries))
}

const IDENTITY_H: &[u8] = b"Identity-H";

/// Writes a face as the two PDF fonts `fonts` (one-byte codes, other glyphs; the references
/// pages already use), of the glyphs in `used`, with one descriptor and font program; a font
/// none of whose glyphs was used is left out.
pub(super) fn write_face(
    w: &mut ObjectWriter,
    fonts: [Ref; 2],
    face: &FaceInfo,
    used: &GlyphUse,
    subset: bool,
) -> io::Result<()> {
    if used.is_empty() {
        return Ok(());
    }
    let (one_byte, other): (Vec<u16>, Vec<u16>) =
        used.glyphs().partition(|&g| face.has_one_byte_code(g));
    // A CFF face is embedded whole: its CIDs could not stay glyph ids of the whole face.
    let subset = (subset && !face.cff).then(|| subset_of(face, used));
    let subset_name;
    let name = match &subset {
        Some(s) => {
            subset_name = format!("{}+{}", s.tag, face.postscript_name);
            subset_name.as_bytes()
        }
        None => face.postscript_name.as_bytes(),
    };
    let descriptor = w.alloc();
    let program_ref = w.alloc();
    w.packed(|c| {
        let mut flags = FontFlags::SYMBOLIC;
        flags.set(FontFlags::ITALIC, face.italic_angle != 0.0);
        flags.set(FontFlags::FIXED_PITCH, face.monospaced);
        let [x0, y0, x1, y1] = face.bbox;
        let mut d = c.font_descriptor(descriptor);
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
    })?;
    let whole;
    let (program, length) = match &subset {
        Some(s) => (&s.program[..], s.length),
        None => {
            whole = deflate(face.file.bytes());
            (&whole[..], face.file.bytes().len())
        }
    };
    w.direct(|c| {
        let mut s = c.stream(program_ref, program);
        s.filter(Filter::FlateDecode);
        if face.cff {
            // The whole OpenType file; its CFF is not CID-keyed, so CIDs are glyph ids.
            s.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            s.pair(Name(b"Length1"), length as i32);
        }
    })?;
    // A subset renumbers the glyphs it keeps; CIDs stay the face's glyph ids (the pages'
    // codes are those of the whole face) and this map gives each its glyph in the subset.
    let cid_to_gid = match &subset {
        Some(s) => {
            let id = w.alloc();
            w.direct(|c| {
                c.stream(id, &s.cid_to_gid).filter(Filter::FlateDecode);
            })?;
            Some(id)
        }
        None => None,
    };
    let pdf_font = PdfFont {
        face,
        name,
        descriptor,
        cid_to_gid,
    };
    if !one_byte.is_empty() {
        write_font(w, fonts[0], &pdf_font, &one_byte, used, true)?;
    }
    if !other.is_empty() {
        write_font(w, fonts[1], &pdf_font, &other, used, false)?;
    }
    Ok(())
}

/// What a face's PDF fonts share: the face, its name in the file (with a subset's tag), its
/// descriptor and, for a subset, its CID-to-glyph map.
struct PdfFont<'a> {
    face: &'a FaceInfo,
    name: &'a [u8],
    descriptor: Ref,
    cid_to_gid: Option<Ref>,
}

/// A face's subset of some glyphs, compressed, as the PDF embeds it.
struct Subset {
    /// Six capital letters from the glyphs, the subset's name prefix (PDF 1.7, 9.6.4).
    tag: String,
    program: Vec<u8>,
    /// The font program's length before compression.
    length: usize,
    /// The CID-to-glyph map, two bytes a CID (glyph of the whole face).
    cid_to_gid: Vec<u8>,
}

/// Subsets kept by a thread, most recent last.
const CACHED_SUBSETS: usize = 16;

/// A subset's key: the face's file hash and the glyphs (a bit a glyph id).
type SubsetKey = (u64, Vec<u64>);

thread_local! {
    /// The subsets this thread made lately, by face and glyphs: a batch of handouts of one
    /// kind subsets each face once.
    static SUBSETS: RefCell<Vec<(SubsetKey, Rc<Subset>)>> = const { RefCell::new(Vec::new()) };
}

/// The subset of `face` with the glyphs in `used`, from this thread's cache or made now.
fn subset_of(face: &FaceInfo, used: &GlyphUse) -> Rc<Subset> {
    let mut bits = used.used.clone();
    while bits.last() == Some(&0) {
        bits.pop();
    }
    let key = (face.file_hash, bits);
    let cached = SUBSETS.with(|c| {
        let c = c.borrow();
        c.iter().find(|(k, _)| *k == key).map(|(_, s)| s.clone())
    });
    if let Some(s) = cached {
        return s;
    }
    let s = Rc::new(make_subset(face, used));
    SUBSETS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHED_SUBSETS {
            c.remove(0);
        }
        c.push((key, s.clone()));
    });
    s
}

fn make_subset(face: &FaceInfo, used: &GlyphUse) -> Subset {
    let glyphs: Vec<u16> = std::iter::once(0).chain(used.glyphs()).collect();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
    let last = glyphs.iter().copied().max().unwrap_or(0);
    let mut cid_to_gid = vec![0u8; 2 * (last as usize + 1)];
    for &g in &glyphs {
        let new = remapper.get(g).unwrap_or(0);
        cid_to_gid[2 * g as usize..2 * g as usize + 2].copy_from_slice(&new.to_be_bytes());
    }
    let tag = {
        use std::hash::{Hash, Hasher};
        let mut h = stable_hasher();
        (face.file_hash, &glyphs).hash(&mut h);
        let mut n = Hasher::finish(&h);
        (0..6)
            .map(|_| {
                let c = (b'A' + (n % 26) as u8) as char;
                n /= 26;
                c
            })
            .collect()
    };
    let (program, length) = match subsetter::subset(face.file.bytes(), 0, &remapper) {
        Ok(sub) => (deflate(&sub), sub.len()),
        // The face was read and shaped with, so this is not expected; the whole face is
        // still a correct font program for the same CIDs.
        Err(_) => {
            let whole = face.file.bytes();
            cid_to_gid = (0..=last).flat_map(u16::to_be_bytes).collect();
            (deflate(whole), whole.len())
        }
    };
    Subset {
        tag,
        program,
        length,
        cid_to_gid: deflate(&cid_to_gid),
    }
}

/// One of a face's PDF fonts: Type 0 font, CID font (CID = glyph id, widths of `glyphs`), its
/// encoding and its ToUnicode map.
fn write_font(
    w: &mut ObjectWriter,
    type0: Ref,
    font: &PdfFont,
    glyphs: &[u16],
    used: &GlyphUse,
    one_byte: bool,
) -> io::Result<()> {
    let cid_ref = w.alloc();
    let to_unicode_ref = w.alloc();
    let identity = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let ucs = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    };
    let PdfFont {
        face,
        name,
        descriptor,
        cid_to_gid,
    } = *font;
    let encoding_name = format!("Pjece-{}-Latin", face.postscript_name);
    let encoding = if one_byte {
        let id = w.alloc();
        let program = face
            .encoding
            .get_or_init(|| deflate(&encoding_cmap(&encoding_name, face)));
        w.direct(|c| {
            let mut stream = c.cmap(id, program);
            stream
                .name(Name(encoding_name.as_bytes()))
                .system_info(identity)
                .writing_mode(WMode::Horizontal);
            stream.filter(Filter::FlateDecode);
        })?;
        Some(id)
    } else {
        None
    };
    let type0_name = match (face.cff, encoding) {
        // A CIDFontType0's Type 0 font is named after the font and its CMap (PDF 1.7, 9.7.6.1).
        (true, Some(_)) => [name, b"-", encoding_name.as_bytes()].concat(),
        (true, None) => [name, b"-", IDENTITY_H].concat(),
        (false, _) => name.to_vec(),
    };
    w.packed(|c| {
        let mut font = c.type0_font(type0);
        font.base_font(Name(&type0_name));
        match encoding {
            Some(id) => font.encoding_cmap(id),
            None => font.encoding_predefined(Name(IDENTITY_H)),
        };
        font.descendant_font(cid_ref).to_unicode(to_unicode_ref);
    })?;
    w.packed(|c| {
        let mut cid = c.cid_font(cid_ref);
        cid.subtype(if face.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        cid.base_font(Name(name));
        cid.system_info(identity);
        cid.font_descriptor(descriptor);
        cid.default_width(0.0);
        match cid_to_gid {
            Some(map) => {
                cid.cid_to_gid_map_stream(map);
            }
            None if !face.cff => {
                cid.cid_to_gid_map_predefined(Name(b"Identity"));
            }
            None => {}
        }
        let mut widths = cid.widths();
        // Runs of consecutive glyph ids, each as `first [w w …]`.
        let mut i = 0;
        while i < glyphs.len() {
            let mut j = i + 1;
            while j < glyphs.len() && glyphs[j] == glyphs[j - 1] + 1 {
                j += 1;
            }
            widths.consecutive(glyphs[i], glyphs[i..j].iter().map(|&g| face.advance(g)));
            i = j;
        }
        widths.finish();
        cid.finish();
    })?;
    let program = to_unicode(face, glyphs, used, one_byte);
    w.direct(|c| {
        let mut stream = c.cmap(to_unicode_ref, &program);
        stream.name(Name(b"Adobe-Identity-UCS")).system_info(ucs);
        stream.filter(Filter::FlateDecode);
    })
}

/// What a ToUnicode CMap depends on: the face, which font of it, its glyphs, and the text
/// seen with those glyphs the character map does not reach.
type ToUnicodeKey = (u64, bool, Vec<u16>, Vec<(u16, String)>);

thread_local! {
    /// The ToUnicode CMaps this thread wrote lately: a batch's handouts of one kind share them.
    static TO_UNICODE: RefCell<Vec<(ToUnicodeKey, Rc<Vec<u8>>)>> =
        const { RefCell::new(Vec::new()) };
}

/// The compressed ToUnicode CMap of a font showing `glyphs`, from this thread's cache or made now.
fn to_unicode(face: &FaceInfo, glyphs: &[u16], used: &GlyphUse, one_byte: bool) -> Rc<Vec<u8>> {
    let texts = glyphs
        .iter()
        .filter(|&&g| face.canonical(g).is_none())
        .filter_map(|&g| used.text.get(&g).map(|t| (g, t.clone())))
        .collect();
    let key = (face.file_hash, one_byte, glyphs.to_vec(), texts);
    let cached = TO_UNICODE.with(|c| {
        let c = c.borrow();
        c.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())
    });
    if let Some(p) = cached {
        return p;
    }
    let program = Rc::new(deflate(&to_unicode_program(face, glyphs, used, one_byte)));
    TO_UNICODE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHED_SUBSETS {
            c.remove(0);
        }
        c.push((key, program.clone()));
    });
    program
}

fn to_unicode_program(face: &FaceInfo, glyphs: &[u16], used: &GlyphUse, one_byte: bool) -> Vec<u8> {
    let ucs = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    };
    // Each glyph's text: its character, else the text first seen drawn with it, else (never
    // seen with text, an empty cluster) the replacement character, so that every glyph has a
    // Unicode value as PDF/UA asks.
    let text = |g: u16| -> String {
        match (face.canonical(g), used.text.get(&g)) {
            (Some(c), _) => c.to_string(),
            (None, Some(t)) if !t.is_empty() => t.clone(),
            _ => "\u{FFFD}".into(),
        }
    };
    if one_byte {
        let mut entries: Vec<(u8, String)> = glyphs
            .iter()
            .map(|&g| (face.one_byte[g as usize], text(g)))
            .collect();
        entries.sort();
        let entries: Vec<String> = entries
            .iter()
            .map(|(code, t)| {
                let utf16: Vec<u8> = t.encode_utf16().flat_map(u16::to_be_bytes).collect();
                format!("<{code:02X}> <{}>", hex(&utf16))
            })
            .collect();
        cmap_program("Adobe-Identity-UCS", "UCS", 2, &blocks("bfchar", &entries))
    } else {
        let mut cmap = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), ucs);
        for &g in glyphs {
            cmap.pair_with_multiple(g, text(g).chars());
        }
        cmap.finish().into_vec()
    }
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
    fn danish_text_takes_one_byte_a_glyph_and_other_glyphs_two() {
        assert_eq!(ONE_BYTE.chars().count(), 95);
        let set = FontSet::embedded();
        let fonts = StreamFonts::new(&set).unwrap();
        let parsed = ttf_parser::Face::parse(set.bold.bytes(), 0).unwrap();
        let face = fonts.face(1);
        let code = |c: char| {
            let g = parsed.glyph_index(c).unwrap().0;
            let code = face.code(1, g);
            (code.font, code.bytes().to_vec(), g)
        };
        assert_eq!(code('a').0, 1, "the face's one-byte font");
        assert_eq!(code('a').1, b"a");
        assert_eq!(code(' ').1, b" ");
        assert_eq!(code('(').1, b"(");
        assert_eq!(code('æ').1, b"#");
        assert_eq!(code('Å').1, b"|");
        assert_eq!(code('–').1, b"~");
        // Other glyphs: the face's second font, by glyph id.
        let (font, bytes, g) = code('ü');
        assert_eq!((font, bytes), (FACES + 1, g.to_be_bytes().to_vec()));
        let cmap = String::from_utf8(encoding_cmap("Pjece-X", face)).unwrap();
        let a = parsed.glyph_index('a').unwrap().0;
        assert!(cmap.contains(&format!("<61> {a}\n")), "{cmap}");
        assert!(
            cmap.contains("1 begincodespacerange\n<20> <7E>\n"),
            "{cmap}"
        );
    }
}
