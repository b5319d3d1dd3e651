//! The two faces every handout is set in: regular and bold.
//!
//! The default is Atkinson Hyperlegible Next (Braille Institute, SIL OFL 1.1), designed for
//! low-vision readers, compiled into the binary. Font bytes are shared, so both the shaper in
//! `layout` and the PDF writer in `render` read the same data.

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
}

static REGULAR: &[u8] = include_bytes!("../fonts/AtkinsonHyperlegibleNext-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/AtkinsonHyperlegibleNext-Bold.ttf");

impl FontSet {
    /// The fonts compiled into the binary.
    pub fn embedded() -> FontSet {
        FontSet {
            regular: FontFile {
                name: "Atkinson Hyperlegible Next Regular".into(),
                data: Arc::new(REGULAR),
            },
            bold: FontFile {
                name: "Atkinson Hyperlegible Next Bold".into(),
                data: Arc::new(BOLD),
            },
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
        Ok(FontSet { regular, bold })
    }

    /// Reads `regular.ttf` and `bold.ttf` (or `.otf`) from a directory: a clinic's own fonts.
    pub fn load_dir(dir: &std::path::Path) -> Result<FontSet, Error> {
        let read = |stem: &str| -> Result<FontFile, Error> {
            let candidates = [
                dir.join(format!("{stem}.ttf")),
                dir.join(format!("{stem}.otf")),
            ];
            let path = candidates
                .iter()
                .find(|p| p.is_file())
                .ok_or_else(|| Error::BadFont {
                    name: dir.join(format!("{stem}.ttf")).display().to_string(),
                    reason: format!("does not exist; a font directory holds {stem}.ttf (or .otf)"),
                })?;
            let bytes = std::fs::read(path).map_err(|e| Error::BadFont {
                name: path.display().to_string(),
                reason: crate::content::io_reason(&e),
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

    /// The first character of `text` that `weight` has no glyph for (spaces and line breaks
    /// need none).
    pub fn first_missing(&self, weight: Weight, text: &str) -> Option<char> {
        let file = self.get(weight);
        let face = rustybuzz::ttf_parser::Face::parse(file.bytes(), 0).ok()?;
        text.chars()
            .find(|&c| c != '\n' && face.glyph_index(c).is_none())
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
        }
    }

    #[test]
    fn garbage_is_not_a_font() {
        let bad = FontFile::new("x.ttf", b"not a font".to_vec());
        let err = FontSet::from_files(bad.clone(), bad).unwrap_err();
        assert!(err.to_string().starts_with("font x.ttf: is not a usable"));
    }
}
