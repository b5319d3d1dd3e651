//! Text measurement with the real fonts: rustybuzz shaping (kerning included), cached.
//!
//! Advances are kept in em so the cache does not depend on the size; a handout repeats most
//! words, so each (weight, text) pair is shaped once per [`Shaper`]. A batch gives every
//! worker its own shaper.

use std::collections::HashMap;
use std::sync::Arc;

use rustybuzz::{Direction, Face, ShapePlan, UnicodeBuffer};

use crate::error::Error;
use crate::fonts::{FontSet, Weight};

/// One shaped glyph, in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the font (0 means the font has no glyph for the character).
    pub id: u16,
    /// Horizontal advance.
    pub advance: f32,
    /// Horizontal offset.
    pub x_offset: f32,
    /// Vertical offset (up is positive, as in the font).
    pub y_offset: f32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: u32,
}

/// Shaped text: its glyphs and total advance in em.
#[derive(Debug, PartialEq)]
pub struct Shaped {
    /// The glyphs in visual order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of advances.
    pub advance: f32,
}

struct FaceState<'f> {
    face: Face<'f>,
    plan: ShapePlan,
    upem: f32,
    name: String,
}

/// Most cached words kept before the cache starts afresh. The guideline has about 1,500 distinct
/// words; names and notes add a few per handout, so a long batch would otherwise grow the cache
/// without bound.
const WORD_CACHE_LIMIT: usize = 20_000;
/// Most cached paragraphs: the content of all regions and variants is about 300; each handout
/// adds a few of its own (name, note), which are worth nothing to the next handout.
const LINE_CACHE_LIMIT: usize = 1_000;

/// Shapes text with the handout's fonts and remembers the results: shaped words, and (for
/// `linebreak`) whole paragraphs broken into lines, which repeat from handout to handout.
pub struct Shaper<'f> {
    faces: [FaceState<'f>; 2],
    cache: HashMap<(Weight, Box<str>), Arc<Shaped>>,
    pub(super) lines: HashMap<super::linebreak::LineKey, Arc<Vec<super::linebreak::Line>>>,
}

impl<'f> Shaper<'f> {
    /// Prepares both faces of a font set.
    pub fn new(fonts: &'f FontSet) -> Result<Shaper<'f>, Error> {
        let state = |w: Weight| -> Result<FaceState<'f>, Error> {
            let file = fonts.get(w);
            let face = Face::from_slice(file.bytes(), 0).ok_or_else(|| Error::BadFont {
                name: file.name.clone(),
                reason: "is not a usable TrueType/OpenType font".into(),
            })?;
            let plan = ShapePlan::new(&face, Direction::LeftToRight, Some(latin()), None, &[]);
            Ok(FaceState {
                upem: face.units_per_em() as f32,
                plan,
                face,
                name: file.name.clone(),
            })
        };
        Ok(Shaper {
            faces: [state(Weight::Regular)?, state(Weight::Bold)?],
            cache: HashMap::new(),
            lines: HashMap::new(),
        })
    }

    fn face(&self, w: Weight) -> &FaceState<'f> {
        &self.faces[w as usize]
    }

    /// The font's name, for messages.
    pub fn font_name(&self, w: Weight) -> &str {
        &self.face(w).name
    }

    /// Ascender and descender (positive, downwards) in em.
    pub fn vertical_metrics(&self, w: Weight) -> (f32, f32) {
        let f = self.face(w);
        (
            f.face.ascender() as f32 / f.upem,
            -(f.face.descender() as f32) / f.upem,
        )
    }

    /// Shapes `text` in one weight, from the cache when it was shaped before.
    pub fn shape(&mut self, weight: Weight, text: &str) -> Arc<Shaped> {
        if let Some(hit) = self.cache.get(&(weight, text.into())) {
            return hit.clone();
        }
        let f = &self.faces[weight as usize];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Set what the plan was built for, so guessing never disagrees with it.
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(latin());
        let out = rustybuzz::shape_with_plan(&f.face, &f.plan, buffer);
        let glyphs: Vec<ShapedGlyph> = out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: info.glyph_id as u16,
                advance: pos.x_advance as f32 / f.upem,
                x_offset: pos.x_offset as f32 / f.upem,
                y_offset: pos.y_offset as f32 / f.upem,
                cluster: info.cluster,
            })
            .collect();
        let shaped = Arc::new(Shaped {
            advance: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
        });
        if self.cache.len() >= WORD_CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert((weight, text.into()), shaped.clone());
        shaped
    }

    /// Remembers a broken paragraph (see `linebreak::break_lines`).
    pub(super) fn remember_lines(
        &mut self,
        key: super::linebreak::LineKey,
        lines: Arc<Vec<super::linebreak::Line>>,
    ) {
        if self.lines.len() >= LINE_CACHE_LIMIT {
            self.lines.clear();
        }
        self.lines.insert(key, lines);
    }

    /// Fails with the first character of `text` the font cannot show; `field` names where the
    /// text came from.
    pub fn check_coverage(&mut self, weight: Weight, text: &str, field: &str) -> Result<(), Error> {
        let shaped = self.shape(weight, text);
        if let Some(g) = shaped.glyphs.iter().find(|g| g.id == 0) {
            // A cluster holds a letter and its marks; name the character the font lacks, not
            // the letter it may well have.
            let start = g.cluster as usize;
            let end = shaped
                .glyphs
                .iter()
                .map(|o| o.cluster as usize)
                .filter(|&c| c > start)
                .min()
                .unwrap_or(text.len());
            let face = &self.face(weight).face;
            let cluster = &text[start..end];
            let ch = cluster
                .chars()
                .find(|&c| face.glyph_index(c).is_none())
                .or_else(|| cluster.chars().next())
                .unwrap_or('\u{FFFD}');
            return Err(Error::MissingGlyph {
                field: field.to_string(),
                ch,
                font: self.font_name(weight).to_string(),
            });
        }
        Ok(())
    }
}

fn latin() -> rustybuzz::Script {
    rustybuzz::script::LATIN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_changes_advance() {
        let fonts = FontSet::embedded();
        let mut s = Shaper::new(&fonts).unwrap();
        let pair = s.shape(Weight::Regular, "AV").advance;
        let apart = s.shape(Weight::Regular, "A").advance + s.shape(Weight::Regular, "V").advance;
        assert!(
            pair < apart,
            "AV {pair} should kern tighter than A+V {apart}"
        );
    }

    #[test]
    fn bold_is_wider_and_cached() {
        let fonts = FontSet::embedded();
        let mut s = Shaper::new(&fonts).unwrap();
        let r = s.shape(Weight::Regular, "nerverodspåvirkning");
        let b = s.shape(Weight::Bold, "nerverodspåvirkning");
        assert!(b.advance > r.advance);
        assert!(Arc::ptr_eq(
            &r,
            &s.shape(Weight::Regular, "nerverodspåvirkning")
        ));
    }

    #[test]
    fn missing_glyph_names_field_and_character() {
        let fonts = FontSet::embedded();
        let mut s = Shaper::new(&fonts).unwrap();
        assert!(
            s.check_coverage(Weight::Regular, "Søren Ærø", "patient")
                .is_ok()
        );
        let e = s
            .check_coverage(Weight::Regular, "Anna 中", "patient")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "patient contains U+4E2D '中', which the font Atkinson Hyperlegible Next Regular cannot show"
        );
    }
}
