//! Text measurement with the real fonts: rustybuzz shaping (kerning included), cached.
//!
//! Advances are kept in em so the cache does not depend on the size; a handout repeats most
//! words, so each (face, text) pair is shaped once per [`Shaper`]. A batch gives every
//! worker its own shaper. Text the main font cannot show is split off into the fallback font
//! ([`Shaper::shape_runs`]), whose lengths are scaled to the main font's em. With the embedded
//! fonts, the guideline's own words come from a table shaped ahead of time ([`Preshaped`]).

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use rustybuzz::{Direction, Face, ShapePlan, UnicodeBuffer};
use unicode_segmentation::UnicodeSegmentation;

use super::preshaped::{Preshaped, RawGlyph};
use crate::error::Error;
use crate::fonts::{Face as FontFace, FontSet, Weight};

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
    /// 1, or the fallback's scale to the main face's capitals; lengths are `units / upem * scale`
    /// (dividing first keeps the main face's numbers exactly as without a fallback).
    scale: f32,
    name: String,
}

impl FaceState<'_> {
    /// A glyph with its lengths in font units, in em of the main face.
    fn in_em(&self, id: u16, cluster: u32, advance: i32, dx: i32, dy: i32) -> ShapedGlyph {
        let em = |units: i32| units as f32 / self.upem * self.scale;
        ShapedGlyph {
            id,
            advance: em(advance),
            x_offset: em(dx),
            y_offset: em(dy),
            cluster,
        }
    }
}

/// Most cached words of one face kept before its cache starts afresh. The guideline has about
/// 1,500 distinct words; names and notes add a few per handout, so a long batch would otherwise
/// grow the cache without bound.
const WORD_CACHE_LIMIT: usize = 20_000;

/// Text shaped in one face: its byte range in the text given and its glyphs.
pub type ShapedRun = (Range<usize>, FontFace, Arc<Shaped>);

/// Shapes text with the handout's fonts and remembers the shaped words.
pub struct Shaper<'f> {
    /// Regular, bold, fallback regular, fallback bold.
    faces: [FaceState<'f>; 4],
    /// Shaped texts of each face (in [`face_number`] order), looked up without allocating.
    cache: [FxHashMap<Box<str>, Arc<Shaped>>; 4],
    /// Words shaped ahead of time, for the embedded fonts only.
    preshaped: Option<Preshaped>,
    /// How many texts rustybuzz has shaped (neither cached nor in the table).
    fresh: usize,
    /// The faces' font files, in [`face_number`] order.
    font_bytes: [&'f [u8]; 4],
}

impl<'f> Shaper<'f> {
    /// Prepares the faces of a font set.
    pub fn new(fonts: &'f FontSet) -> Result<Shaper<'f>, Error> {
        let state = |f: FontFace| -> Result<FaceState<'f>, Error> {
            let file = fonts.face(f);
            let face = Face::from_slice(file.bytes(), 0).ok_or_else(|| Error::BadFont {
                name: file.name.clone(),
                reason: "is not a usable TrueType/OpenType font".into(),
            })?;
            let plan = ShapePlan::new(&face, Direction::LeftToRight, Some(latin()), None, &[]);
            let scale = if f.fallback {
                fonts.fallback_scale(f.weight)
            } else {
                1.0
            };
            Ok(FaceState {
                upem: face.units_per_em() as f32,
                scale,
                plan,
                face,
                name: file.name.clone(),
            })
        };
        Ok(Shaper {
            faces: [
                state(FACES[0])?,
                state(FACES[1])?,
                state(FACES[2])?,
                state(FACES[3])?,
            ],
            cache: Default::default(),
            preshaped: Preshaped::for_fonts(fonts, font_bytes(fonts)),
            font_bytes: font_bytes(fonts),
            fresh: 0,
        })
    }

    fn face(&self, f: FontFace) -> &FaceState<'f> {
        &self.faces[face_number(f) as usize]
    }

    /// The main font's name, for messages.
    pub fn font_name(&self, w: Weight) -> &str {
        &self.face(FontFace::main(w)).name
    }

    /// Ascender and descender (positive, downwards) of the main font in em.
    pub fn vertical_metrics(&self, w: Weight) -> (f32, f32) {
        let f = self.face(FontFace::main(w));
        (
            f.face.ascender() as f32 / f.upem,
            -(f.face.descender() as f32) / f.upem,
        )
    }

    /// Shapes `text` in the main face of a weight, from the cache when it was shaped before.
    pub fn shape(&mut self, weight: Weight, text: &str) -> Arc<Shaped> {
        self.shape_in(FontFace::main(weight), text)
    }

    /// Shapes `text` in one face; lengths are in em of the main face.
    pub fn shape_in(&mut self, face: FontFace, text: &str) -> Arc<Shaped> {
        let n = face_number(face);
        if let Some(hit) = self.cache[n as usize].get(text) {
            return hit.clone();
        }
        let ready = self.preshaped.and_then(|table| table.get(n, text));
        if ready.is_none() {
            self.fresh += 1;
        }
        let f = self.face(face);
        let glyphs: Vec<ShapedGlyph> = match ready {
            Some(ready) => ready
                .map(|g| {
                    let (dx, dy) = (g.x_offset.into(), g.y_offset.into());
                    f.in_em(g.id, g.cluster.into(), g.x_advance.into(), dx, dy)
                })
                .collect(),
            None => shape_with(f, text)
                .map(|(id, cluster, advance, dx, dy)| f.in_em(id as u16, cluster, advance, dx, dy))
                .collect(),
        };
        let shaped = Arc::new(Shaped {
            advance: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
        });
        let cache = &mut self.cache[n as usize];
        if cache.len() >= WORD_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(text.into(), shaped.clone());
        shaped
    }

    /// How many texts this shaper has given to rustybuzz: neither cached nor preshaped.
    pub fn shaped_fresh(&self) -> usize {
        self.fresh
    }

    /// A [`Preshaped`] table of every text this shaper holds, each shaped afresh by rustybuzz
    /// (a text too long for the table's fields is left out).
    pub fn preshaped_table(&self) -> Vec<u8> {
        let words = FACES
            .into_iter()
            .flat_map(|face| {
                self.cache[face_number(face) as usize]
                    .keys()
                    .map(move |t| (face, t))
            })
            .filter_map(|(face, text)| {
                let glyphs = shape_with(self.face(face), text)
                    .map(|(id, cluster, advance, dx, dy)| {
                        RawGlyph::new(id, cluster, advance, dx, dy)
                    })
                    .collect::<Option<Vec<RawGlyph>>>()?;
                let fits = u16::try_from(text.len()).is_ok() && u16::try_from(glyphs.len()).is_ok();
                fits.then(|| (face_number(face), text.to_string(), glyphs))
            })
            .collect();
        Preshaped::write(self.font_bytes, words)
    }

    /// Shapes `text` in a weight, split into runs by font: a grapheme cluster the main face can
    /// show stays in it (so text it covers is set exactly as without a fallback); one it cannot
    /// goes to the fallback, and so does a letter the main face would only build from parts
    /// (see [`Shaper::whole_in_fallback`]). Fails with the first character neither can show;
    /// `field` names where the text came from.
    pub fn shape_runs(
        &mut self,
        weight: Weight,
        text: &str,
        field: &str,
    ) -> Result<Vec<ShapedRun>, Error> {
        let main = FontFace::main(weight);
        let shaped = self.shape_in(main, text);
        let missing = missing_ranges(&shaped, text.len());
        let whole = |c: char| self.whole_in_fallback(weight, c);
        if missing.is_empty() && !text.chars().any(whole) {
            return Ok(vec![(0..text.len(), main, shaped)]);
        }
        // Consecutive graphemes in the same face make one run.
        let mut runs: Vec<(Range<usize>, FontFace)> = Vec::new();
        for (start, g) in text.grapheme_indices(true) {
            let end = start + g.len();
            let lacking =
                missing.iter().any(|m| m.start < end && start < m.end) || g.chars().any(whole);
            let face = if lacking {
                FontFace::fallback(weight)
            } else {
                main
            };
            match runs.last_mut() {
                Some((r, f)) if *f == face => r.end = end,
                _ => runs.push((start..end, face)),
            }
        }
        let mut out = Vec::with_capacity(runs.len());
        for (range, face) in runs {
            let part = &text[range.clone()];
            let shaped = self.shape_in(face, part);
            if let Some(m) = missing_ranges(&shaped, part.len()).first() {
                return Err(self.missing_glyph(weight, &part[m.clone()], field));
            }
            out.push((range, face, shaped));
        }
        Ok(out)
    }

    /// Whether `c` is a letter the fallback has whole and the main face has not: the shaper
    /// would build it from parts there (Vietnamese ễ from ê and a tilde), which needs an
    /// ActualText span in the PDF that poppler extracts with a stray space after the letter.
    fn whole_in_fallback(&self, weight: Weight, c: char) -> bool {
        let has = |f: FontFace| self.face(f).face.glyph_index(c).is_some();
        !c.is_ascii()
            && c.is_alphabetic()
            && !has(FontFace::main(weight))
            && has(FontFace::fallback(weight))
    }

    /// Fails with the first character of `text` neither the font nor its fallback can show.
    pub fn check_coverage(&mut self, weight: Weight, text: &str, field: &str) -> Result<(), Error> {
        self.shape_runs(weight, text, field).map(|_| ())
    }

    /// The error for a cluster no face can show. It holds a letter and its marks; name the
    /// character the fonts lack, not the letter they may well have.
    fn missing_glyph(&self, weight: Weight, cluster: &str, field: &str) -> Error {
        let lacks = |f: FontFace, c: char| self.face(f).face.glyph_index(c).is_none();
        let ch = cluster
            .chars()
            .find(|&c| lacks(FontFace::main(weight), c) && lacks(FontFace::fallback(weight), c))
            .or_else(|| cluster.chars().next())
            .unwrap_or('\u{FFFD}');
        Error::MissingGlyph {
            field: None,
            what: field.to_string(),
            ch,
            font: self.font_name(weight).to_string(),
        }
    }
}

/// The byte ranges of the clusters shaped to glyph 0 (the font has no glyph), in text order.
fn missing_ranges(shaped: &Shaped, len: usize) -> Vec<Range<usize>> {
    if shaped.glyphs.iter().all(|g| g.id != 0) {
        return Vec::new();
    }
    let mut starts: Vec<usize> = shaped.glyphs.iter().map(|g| g.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut ranges: Vec<Range<usize>> = shaped
        .glyphs
        .iter()
        .filter(|g| g.id == 0)
        .map(|g| {
            let start = g.cluster as usize;
            let end = starts.iter().copied().find(|&c| c > start).unwrap_or(len);
            start..end
        })
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges
}

/// Shapes `text` with rustybuzz in one face: each glyph's id, cluster, advance and x and y
/// offsets, in font units.
fn shape_with(f: &FaceState, text: &str) -> impl Iterator<Item = (u32, u32, i32, i32, i32)> {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    // Set what the plan was built for, so guessing never disagrees with it.
    buffer.set_direction(Direction::LeftToRight);
    buffer.set_script(latin());
    let out = rustybuzz::shape_with_plan(&f.face, &f.plan, buffer);
    let glyphs: Vec<_> = out
        .glyph_infos()
        .iter()
        .zip(out.glyph_positions())
        .map(|(i, p)| (i.glyph_id, i.cluster, p.x_advance, p.x_offset, p.y_offset))
        .collect();
    glyphs.into_iter()
}

/// The font files of a set's faces, in [`face_number`] order.
fn font_bytes(fonts: &FontSet) -> [&[u8]; 4] {
    FACES.map(|f| fonts.face(f).bytes())
}

/// Every face, in [`face_number`] order.
const FACES: [FontFace; 4] = [
    FontFace::main(Weight::Regular),
    FontFace::main(Weight::Bold),
    FontFace::fallback(Weight::Regular),
    FontFace::fallback(Weight::Bold),
];

/// The number of a face in [`Shaper::faces`] and in a [`Preshaped`] table: regular, bold,
/// fallback regular, fallback bold.
fn face_number(f: FontFace) -> u8 {
    f.weight as u8 + if f.fallback { 2 } else { 0 }
}

fn latin() -> rustybuzz::Script {
    rustybuzz::script::LATIN
}

/// A shaper over the embedded fonts, for the layout's unit tests.
#[cfg(test)]
pub(crate) fn embedded_shaper() -> Shaper<'static> {
    static FONTS: std::sync::LazyLock<FontSet> = std::sync::LazyLock::new(FontSet::embedded);
    Shaper::new(&FONTS).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_changes_advance() {
        let mut s = embedded_shaper();
        let pair = s.shape(Weight::Regular, "AV").advance;
        let apart = s.shape(Weight::Regular, "A").advance + s.shape(Weight::Regular, "V").advance;
        assert!(
            pair < apart,
            "AV {pair} should kern tighter than A+V {apart}"
        );
    }

    #[test]
    fn bold_is_wider_and_cached() {
        let mut s = embedded_shaper();
        let r = s.shape(Weight::Regular, "nerverodspåvirkning");
        let b = s.shape(Weight::Bold, "nerverodspåvirkning");
        assert!(b.advance > r.advance);
        assert!(Arc::ptr_eq(
            &r,
            &s.shape(Weight::Regular, "nerverodspåvirkning")
        ));
    }

    fn faces(runs: &[ShapedRun], text: &str) -> Vec<(String, bool)> {
        runs.iter()
            .map(|(r, f, _)| (text[r.clone()].to_string(), f.fallback))
            .collect()
    }

    #[test]
    fn text_the_main_font_covers_is_one_main_run() {
        let mut s = embedded_shaper();
        let text = "Søren Ærø, Łukasz Wąsowski, Zoë";
        let runs = s.shape_runs(Weight::Bold, text, "patient").unwrap();
        assert_eq!(faces(&runs, text), [(text.to_string(), false)]);
        assert!(Arc::ptr_eq(&runs[0].2, &s.shape(Weight::Bold, text)));
    }

    #[test]
    fn letters_the_main_font_lacks_go_to_the_fallback() {
        let mut s = embedded_shaper();
        // ễ the main font could stack from ê and a tilde; the fallback has it whole.
        let text = "Nguyễn Thị Ánh";
        let runs = s.shape_runs(Weight::Regular, text, "patient").unwrap();
        let expected = [
            ("Nguy", false),
            ("ễ", true),
            ("n Th", false),
            ("ị", true),
            (" Ánh", false),
        ];
        assert_eq!(
            faces(&runs, text),
            expected.map(|(t, f)| (t.to_string(), f))
        );
        for (_, _, shaped) in &runs {
            assert!(shaped.glyphs.iter().all(|g| g.id != 0));
        }
        // A mark the main font lacks takes its letter along: the cluster stays in one font.
        let runs = s
            .shape_runs(Weight::Bold, "xi\u{323}\u{303}", "note")
            .unwrap();
        assert_eq!(
            faces(&runs, "xi\u{323}\u{303}"),
            [("x".into(), false), ("i\u{323}\u{303}".into(), true)]
        );
    }

    #[test]
    fn the_fallback_is_drawn_as_large_as_the_main_font() {
        let mut s = embedded_shaper();
        // Greek capital Eta has the height of H; scaled, the two are about as wide as well.
        let main = s.shape(Weight::Regular, "H").advance;
        let eta = s.shape_in(FontFace::fallback(Weight::Regular), "Η").advance;
        assert!((eta / main - 1.0).abs() < 0.15, "H {main} em, Η {eta} em");
    }

    #[test]
    fn a_character_no_font_has_is_named() {
        let mut s = embedded_shaper();
        let e = s.check_coverage(Weight::Regular, "Thị 李", "patient");
        assert!(
            matches!(e, Err(Error::MissingGlyph { ch: '李', .. })),
            "{e:?}"
        );
        let e = s.check_coverage(Weight::Bold, "a\u{20DD}", "note");
        assert!(
            matches!(e, Err(Error::MissingGlyph { ch: '\u{20DD}', .. })),
            "{e:?}"
        );
    }

    #[test]
    fn missing_glyph_names_field_and_character() {
        let mut s = embedded_shaper();
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
