//! The two faces every handout is set in, regular and bold, and their fallback.
//!
//! The default is Atkinson Hyperlegible Next (Braille Institute, SIL OFL 1.1), designed for
//! low-vision readers, compiled into the binary with an open zero in place of its slashed one,
//! which Danish readers take for Ø (`fonts/make-open-zero.py`). It has no Vietnamese, Greek or
//! Cyrillic, so a subset of DejaVu Sans (`fonts/subset-fallback.sh`) shows the letters of a name
//! it lacks; the fallback stays in place with a clinic's own fonts. Font bytes are shared, so both
//! the shaper in `layout` and the PDF writer in `render` read the same data.

use std::sync::Arc;

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

/// Shared font bytes, in the form krilla takes them without copying.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One font file.
#[derive(Clone)]
pub struct FontFile {
    /// A name for messages.
    pub name: String,
    /// The font bytes (TrueType or OpenType).
    pub data: FontBytes,
}

impl FontFile {
    /// Font bytes read from disk or elsewhere.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> FontFile {
        FontFile {
            name: name.into(),
            data: Arc::new(bytes),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
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
    FontFile {
        name: name.into(),
        data: Arc::new(data),
    }
}

impl FontSet {
    /// The fonts compiled into the binary.
    pub fn embedded() -> FontSet {
        FontSet::with_fallback(
            embedded_file("Atkinson Hyperlegible Next Regular", REGULAR),
            embedded_file("Atkinson Hyperlegible Next Bold", BOLD),
        )
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
            rustybuzz::ttf_parser::Face::parse(f.bytes(), 0).map_err(|e| Error::BadFont {
                name: f.name.clone(),
                reason: format!("is not a usable TrueType/OpenType font ({e})"),
            })?;
        }
        Ok(FontSet::with_fallback(regular, bold))
    }

    /// Reads `regular.ttf` and `bold.ttf` (or `.otf`) from a directory: a clinic's own fonts.
    pub fn load_dir(dir: &std::path::Path) -> Result<FontSet, Error> {
        if !dir.is_dir() {
            let what = if dir.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
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
        let cap = |f: Face| {
            let face = rustybuzz::ttf_parser::Face::parse(self.face(f).bytes(), 0).ok()?;
            let bbox = face.glyph_bounding_box(face.glyph_index('H')?)?;
            Some(bbox.y_max as f32 / face.units_per_em() as f32)
        };
        match (cap(Face::main(weight)), cap(Face::fallback(weight))) {
            // A clinic font without an H, or a freak one, keeps the fallback's own size.
            (Some(main), Some(fallback)) if main > 0.0 => (main / fallback).clamp(0.75, 1.25),
            _ => 1.0,
        }
    }

    /// The first character of `text` that neither `weight` nor its fallback has a glyph for
    /// (line breaks need none).
    pub fn first_missing(&self, weight: Weight, text: &str) -> Option<char> {
        let parse = |f: Face| rustybuzz::ttf_parser::Face::parse(self.face(f).bytes(), 0).ok();
        let main = parse(Face::main(weight))?;
        let fallback = parse(Face::fallback(weight))?;
        text.chars().find(|&c| {
            c != '\n' && main.glyph_index(c).is_none() && fallback.glyph_index(c).is_none()
        })
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
        }
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
