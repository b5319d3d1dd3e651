//! The two faces every handout is set in, regular and bold, and their fallback.
//!
//! The default is Atkinson Hyperlegible Next (Braille Institute, SIL OFL 1.1), designed for
//! low-vision readers, compiled into the binary with an open zero in place of its slashed one,
//! which Danish readers take for Ø (`fonts/make-open-zero.py`). It has no Vietnamese, Greek or
//! Cyrillic, so a subset of DejaVu Sans (`fonts/subset-fallback.sh`) shows the letters of a name
//! it lacks; the fallback stays in place with a clinic's own fonts. Font bytes are shared, so both
//! the shaper in `layout` and the PDF writer in `render` read the same data. What the checks
//! need of a font is read from it once: how tall its capitals are when the file is loaded, and
//! which characters it has when a text's glyphs are first checked (most runs never do).

use std::sync::{Arc, OnceLock};

use rustybuzz::ttf_parser;

use crate::error::Error;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Headings and lead words.
    Bold,
}

/// A font of a set: the main family or its fallback, in one weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Face {
    /// Regular or bold.
    pub weight: Weight,
    /// Whether it is the fallback for characters the main family lacks.
    pub fallback: bool,
}

impl Face {
    /// The main family's face of a weight.
    pub const fn main(weight: Weight) -> Face {
        Face {
            weight,
            fallback: false,
        }
    }

    /// The fallback's face of a weight.
    pub const fn fallback(weight: Weight) -> Face {
        Face {
            weight,
            fallback: true,
        }
    }
}

/// Shared font bytes, read by the shaper and the PDF writer without copying.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One font file.
#[derive(Clone)]
pub struct FontFile {
    /// A name for messages.
    pub name: String,
    /// The font bytes (TrueType or OpenType).
    pub data: FontBytes,
    /// What the checks need of it, or why it is not a font.
    summary: Arc<Result<Summary, ttf_parser::FaceParsingError>>,
}

/// What pjece needs of a font outside shaping and writing, read from it once.
#[derive(Debug)]
struct Summary {
    /// The top of its capital H as a share of the em, when it has one.
    cap_height: Option<f32>,
    /// The characters it has a glyph for, as sorted, disjoint, inclusive ranges.
    covered: OnceLock<Vec<(u32, u32)>>,
}

impl Summary {
    fn read(bytes: &[u8]) -> Result<Summary, ttf_parser::FaceParsingError> {
        let face = ttf_parser::Face::parse(bytes, 0)?;
        let cap_height = face
            .glyph_index('H')
            .and_then(|h| face.glyph_bounding_box(h))
            .map(|bbox| bbox.y_max as f32 / face.units_per_em() as f32);
        Ok(Summary {
            cap_height,
            covered: OnceLock::new(),
        })
    }

    /// The characters `bytes` (the font this summarises) has a glyph for.
    fn covered(&self, bytes: &[u8]) -> &[(u32, u32)] {
        self.covered.get_or_init(|| {
            ttf_parser::Face::parse(bytes, 0)
                .map(|face| coverage(&face))
                .unwrap_or_default()
        })
    }
}

/// The characters a font has a glyph for, as sorted, disjoint, inclusive ranges.
fn coverage(face: &ttf_parser::Face) -> Vec<(u32, u32)> {
    let mut chars = Vec::new();
    for table in face.tables().cmap.iter().flat_map(|cmap| cmap.subtables) {
        if table.is_unicode() {
            table.codepoints(|c| chars.push(c));
        }
    }
    chars.sort_unstable();
    chars.dedup();
    chars.retain(|&c| char::from_u32(c).is_some_and(|c| maps_to_a_glyph(face, c)));
    let mut covered: Vec<(u32, u32)> = Vec::new();
    for c in chars {
        match covered.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => covered.push((c, c)),
        }
    }
    covered
}

/// Whether the font draws `c` with a glyph of its own: a character map may send a character
/// to glyph 0, the box for a missing one (fonts do so for U+FFFF).
fn maps_to_a_glyph(face: &ttf_parser::Face, c: char) -> bool {
    face.glyph_index(c).is_some_and(|g| g.0 != 0)
}

impl FontFile {
    /// Font bytes read from disk or elsewhere.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> FontFile {
        FontFile::from_data(name.into(), Arc::new(bytes))
    }

    fn from_data(name: String, data: FontBytes) -> FontFile {
        let summary = Arc::new(Summary::read((*data).as_ref()));
        FontFile {
            name,
            data,
            summary,
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// What the checks need of it; None when it is no font.
    fn summary(&self) -> Option<&Summary> {
        (*self.summary).as_ref().ok()
    }

    /// Whether the font has a glyph for `c` (none when it is no font).
    pub fn has_glyph(&self, c: char) -> bool {
        let Some(summary) = self.summary() else {
            return false;
        };
        let covered = summary.covered(self.bytes());
        let c = u32::from(c);
        // The last range starting at or before c.
        let i = covered.partition_point(|&(start, _)| start <= c);
        i > 0 && c <= covered[i - 1].1
    }
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontFile({}, {} bytes)", self.name, self.bytes().len())
    }
}

/// The faces of a handout.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// Body text.
    pub regular: FontFile,
    /// Headings and bold text.
    pub bold: FontFile,
    /// The fallback for regular text (always the embedded DejaVu Sans subset).
    pub fallback_regular: FontFile,
    /// The fallback for bold text.
    pub fallback_bold: FontFile,
}

/// Largest font file read: ample for the biggest common fonts (Noto Sans CJK, about 20 MB a
/// weight), and a bound on what a wrong file can cost; each face is held in memory.
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

static REGULAR: &[u8] = include_bytes!("../fonts/AtkinsonHyperlegibleNext-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/AtkinsonHyperlegibleNext-Bold.ttf");
static FALLBACK_REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans-Fallback.ttf");
static FALLBACK_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Fallback-Bold.ttf");

fn embedded_file(name: &str, data: &'static [u8]) -> FontFile {
    FontFile::from_data(name.into(), Arc::new(data))
}

impl FontSet {
    /// The fonts compiled into the binary.
    pub fn embedded() -> FontSet {
        FontSet::with_fallback(
            embedded_file("Atkinson Hyperlegible Next Regular", REGULAR),
            embedded_file("Atkinson Hyperlegible Next Bold", BOLD),
        )
    }

    /// Whether these are the fonts compiled into the binary, byte for byte (by address: a
    /// clinic's own files never are).
    pub fn is_embedded(&self) -> bool {
        let same = |f: &FontFile, data: &'static [u8]| std::ptr::eq(f.bytes(), data);
        same(&self.regular, REGULAR)
            && same(&self.bold, BOLD)
            && same(&self.fallback_regular, FALLBACK_REGULAR)
            && same(&self.fallback_bold, FALLBACK_BOLD)
    }

    fn with_fallback(regular: FontFile, bold: FontFile) -> FontSet {
        FontSet {
            regular,
            bold,
            fallback_regular: embedded_file("DejaVu Sans", FALLBACK_REGULAR),
            fallback_bold: embedded_file("DejaVu Sans Bold", FALLBACK_BOLD),
        }
    }

    /// Builds a set from font bytes, checking that each parses.
    pub fn from_files(regular: FontFile, bold: FontFile) -> Result<FontSet, Error> {
        for f in [&regular, &bold] {
            if let Err(e) = &*f.summary {
                return Err(Error::BadFont {
                    name: f.name.clone(),
                    reason: format!("is not a usable TrueType/OpenType font ({e})"),
                });
            }
        }
        Ok(FontSet::with_fallback(regular, bold))
    }

    /// Reads `regular.ttf` and `bold.ttf` (or `.otf`) from a directory: a clinic's own fonts.
    pub fn load_dir(dir: &std::path::Path) -> Result<FontSet, Error> {
        if let Some(what) = crate::files::not_a_directory(dir) {
            return Err(Error::BadFont {
                name: dir.display().to_string(),
                reason: format!(
                    "{what}; --fonts names a directory holding regular.ttf and bold.ttf"
                ),
            });
        }
        let read = |stem: &str| -> Result<FontFile, Error> {
            let candidates = [
                dir.join(format!("{stem}.ttf")),
                dir.join(format!("{stem}.otf")),
            ];
            // Whatever is there is read (and refused when it is no file), not passed over.
            let path = candidates
                .iter()
                .find(|p| p.exists())
                .ok_or_else(|| Error::BadFont {
                    name: candidates[0].display().to_string(),
                    reason: format!("does not exist; a font directory holds {stem}.ttf (or .otf)"),
                })?;
            let bytes = crate::files::read(path, MAX_FONT_BYTES).map_err(|e| Error::BadFont {
                name: path.display().to_string(),
                reason: e.reason(
                    "a TrueType or OpenType font file",
                    &format!("a font may be at most {MAX_FONT_BYTES} bytes"),
                ),
            })?;
            Ok(FontFile::new(path.display().to_string(), bytes))
        };
        FontSet::from_files(read("regular")?, read("bold")?)
    }

    /// The file for a weight.
    pub fn get(&self, weight: Weight) -> &FontFile {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The file of a face.
    pub fn face(&self, face: Face) -> &FontFile {
        match (face.fallback, face.weight) {
            (false, w) => self.get(w),
            (true, Weight::Regular) => &self.fallback_regular,
            (true, Weight::Bold) => &self.fallback_bold,
        }
    }

    /// How much the fallback of `weight` is scaled so its capitals are as tall as the main
    /// face's: mixed in one name, letters of both fonts then look the same size.
    pub fn fallback_scale(&self, weight: Weight) -> f32 {
        let cap = |f: Face| self.face(f).summary()?.cap_height;
        match (cap(Face::main(weight)), cap(Face::fallback(weight))) {
            // A clinic font without an H, or a freak one, keeps the fallback's own size.
            (Some(main), Some(fallback)) if main > 0.0 => (main / fallback).clamp(0.75, 1.25),
            _ => 1.0,
        }
    }

    /// The first character of `text` that neither `weight` nor its fallback has a glyph for
    /// (line breaks need none).
    pub fn first_missing(&self, weight: Weight, text: &str) -> Option<char> {
        let (main, fallback) = (
            self.face(Face::main(weight)),
            self.face(Face::fallback(weight)),
        );
        // from_files refuses a file that is no font; a set put together around it checks nothing.
        if main.summary().is_none() || fallback.summary().is_none() {
            return None;
        }
        text.chars()
            .find(|&c| c != '\n' && !main.has_glyph(c) && !fallback.has_glyph(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_cover_danish_and_common_names() {
        let f = FontSet::embedded();
        for w in [Weight::Regular, Weight::Bold] {
            assert_eq!(f.first_missing(w, "ÆØÅæøå éüöäß –•"), None);
            assert_eq!(
                f.first_missing(w, "Nguyễn Thị Ánh Łukasz Ωμέγα Жанна"),
                None
            );
            assert_eq!(f.first_missing(w, "Li 李"), Some('李'));
            // Mapped to glyph 0, the missing-letter box: missing, not printed as a box.
            assert_eq!(f.first_missing(w, "a\u{FFFF}"), Some('\u{FFFF}'));
        }
    }

    #[test]
    fn the_glyphs_read_once_are_those_the_font_maps() {
        // Every character of the two planes these fonts draw from, against the font's own map.
        let f = FontSet::embedded();
        for file in [&f.regular, &f.bold, &f.fallback_regular, &f.fallback_bold] {
            let face = ttf_parser::Face::parse(file.bytes(), 0).unwrap();
            let mut covered = 0;
            for c in (0..=0x1_FFFF).filter_map(char::from_u32) {
                let has = maps_to_a_glyph(&face, c);
                assert_eq!(file.has_glyph(c), has, "{}: {c:?}", file.name);
                covered += usize::from(has);
            }
            assert!(covered > 300, "{}: {covered} characters", file.name);
        }
        // Bytes read from disk are summarised the same way.
        let copy = FontFile::new("copy", f.regular.bytes().to_vec());
        assert!(copy.has_glyph('Ø') && !copy.has_glyph('李'));
        assert!(!FontFile::new("x", b"not a font".to_vec()).has_glyph('a'));
    }

    #[test]
    fn fallback_is_scaled_to_the_main_capitals() {
        let f = FontSet::embedded();
        for w in [Weight::Regular, Weight::Bold] {
            let s = f.fallback_scale(w);
            assert!((0.85..0.97).contains(&s), "{w:?}: {s}");
        }
    }

    #[test]
    fn garbage_is_not_a_font() {
        let bad = FontFile::new("x.ttf", b"not a font".to_vec());
        let err = FontSet::from_files(bad.clone(), bad).unwrap_err();
        assert!(err.to_string().starts_with("font x.ttf: is not a usable"));
    }
}
