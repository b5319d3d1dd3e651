//! A laid-out handout as SVG, one picture a page: the live preview beside the form.
//!
//! The preview is drawn from the same [`Document`] as the PDF, so its lines and pages break in
//! the same places. Text is drawn as glyph outlines, not `<text>`: each glyph the page uses is
//! one `<path>` in `<defs>`, in font units, placed by `<use>` exactly where the PDF writer puts
//! it. A page thus needs no installed font and cannot be re-flowed by the browser. The
//! accessible text is in the form and the PDF; a page here is an image named by its page label.
//!
//! SVG is written by hand: it is a few element kinds, and an SVG crate would add a tree to build
//! and walk for every page of a preview redrawn on each keystroke.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use rustybuzz::ttf_parser;

use crate::color::Color;
use crate::error::Error;
use crate::fonts::{Face, FontFile, FontSet, Weight};
use crate::image::ImageFormat;
use crate::layout::{ArtifactKind, Document, Image, Item, Page, Polygon, Qr, Rect, Role, TextRun};

/// Decimals of positions and lengths in points: 0.01 pt is 1/300 mm.
const POINT_DECIMALS: u32 = 2;
/// Decimals of a glyph's scale (points per font unit, about 0.005 to 0.03): with 6, a glyph
/// 2,048 units wide is off by under 0.001 pt.
const SCALE_DECIMALS: u32 = 6;

/// A glyph of one face.
type GlyphKey = (Face, u16);

/// Draws pages of laid-out handouts as SVG. Make one per engine and keep it: it remembers
/// each glyph's outline, so a page after the first only writes its positions.
pub struct Preview {
    /// Regular, bold, fallback regular, fallback bold (the order of [`face_index`]).
    files: [FontFile; 4],
    /// Each face's units per em.
    units_per_em: [f32; 4],
    /// Each fallback weight's scale (see [`FontSet::fallback_scale`]), as the PDF applies it.
    fallback_scale: [f32; 2],
    /// Path data of each glyph drawn so far, `None` for one without ink (a space).
    outlines: Mutex<HashMap<GlyphKey, Option<Arc<str>>>>,
}

fn face_index(face: Face) -> usize {
    face.fallback as usize * 2 + face.weight as usize
}

const FACES: [Face; 4] = [
    Face::main(Weight::Regular),
    Face::main(Weight::Bold),
    Face::fallback(Weight::Regular),
    Face::fallback(Weight::Bold),
];

impl Preview {
    /// Prepares the fonts of a set for drawing.
    pub fn new(fonts: &FontSet) -> Result<Preview, Error> {
        let mut units_per_em = [0.0; 4];
        for (i, face) in FACES.into_iter().enumerate() {
            let file = fonts.face(face);
            let parsed = ttf_parser::Face::parse(file.bytes(), 0).map_err(|e| Error::BadFont {
                name: file.name.clone(),
                reason: format!("is not a usable TrueType/OpenType font ({e})"),
            })?;
            units_per_em[i] = parsed.units_per_em() as f32;
        }
        Ok(Preview {
            files: FACES.map(|f| fonts.face(f).clone()),
            units_per_em,
            fallback_scale: [
                fonts.fallback_scale(Weight::Regular),
                fonts.fallback_scale(Weight::Bold),
            ],
            outlines: Mutex::new(HashMap::new()),
        })
    }

    /// Every page of a handout as SVG.
    pub fn pages(&self, doc: &Document) -> Vec<String> {
        (0..doc.pages.len())
            .filter_map(|i| self.page(doc, i))
            .collect()
    }

    /// Page `index` (0-based) of a handout as a standalone SVG document, or `None` if the
    /// handout has no such page. The same document always gives the same string.
    pub fn page(&self, doc: &Document, index: usize) -> Option<String> {
        let page = doc.pages.get(index)?;
        let outlines = self.outlines_of(page);
        let mut out = String::with_capacity(64 * 1024);
        let (w, h) = (
            num(page.width, POINT_DECIMALS),
            num(page.height, POINT_DECIMALS),
        );
        let label =
            page_label(page).unwrap_or_else(|| format!("{} / {}", index + 1, doc.pages.len()));
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}pt" height="{h}pt" role="img" aria-label="{}">"#,
            escape(&label)
        );
        // Paper: the page is white in the PDF too, whatever the page around the picture is.
        let _ = write!(out, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
        out.push_str("<defs>");
        for (key, path) in &outlines {
            if let Some(d) = path {
                let _ = write!(out, r#"<path id="{}" d="{d}"/>"#, GlyphRef(*key));
            }
        }
        out.push_str("</defs>");
        let inked: HashSet<GlyphKey> = outlines
            .iter()
            .filter(|(_, path)| path.is_some())
            .map(|(key, _)| *key)
            .collect();
        // Consecutive runs of one colour share a group: most lines are one colour.
        let mut fill: Option<Color> = None;
        for p in &page.items {
            match &p.item {
                Item::Text(run) => {
                    if fill != Some(run.color) {
                        if fill.is_some() {
                            out.push_str("</g>");
                        }
                        let _ = write!(out, r#"<g fill="{}">"#, Hex(run.color));
                        fill = Some(run.color);
                    }
                    self.text(&mut out, p.x, p.y, run, &inked);
                }
                other => {
                    if fill.take().is_some() {
                        out.push_str("</g>");
                    }
                    match other {
                        Item::Rect(rect) => write_rect(&mut out, p.x, p.y, rect),
                        Item::Image(image) => write_image(&mut out, p.x, p.y, image),
                        Item::Qr(qr) => write_qr(&mut out, p.x, p.y, qr),
                        Item::Polygon(polygon) => write_polygon(&mut out, p.x, p.y, polygon),
                        // A link area is invisible in the PDF too.
                        Item::Link(_) | Item::Text(_) => {}
                    }
                }
            }
        }
        if fill.is_some() {
            out.push_str("</g>");
        }
        out.push_str("</svg>");
        Some(out)
    }

    /// The glyphs a page uses, in order of first use, with their path data.
    fn outlines_of(&self, page: &Page) -> Vec<(GlyphKey, Option<Arc<str>>)> {
        let mut seen = HashSet::new();
        let mut used = Vec::new();
        for p in &page.items {
            if let Item::Text(run) = &p.item {
                for g in &run.glyphs {
                    if seen.insert((run.face, g.id)) {
                        used.push((run.face, g.id));
                    }
                }
            }
        }
        // A poisoned lock still holds only complete entries: each is inserted whole.
        let mut cache = self.outlines.lock().unwrap_or_else(|e| e.into_inner());
        let mut parsed: [Option<ttf_parser::Face>; 4] = [None, None, None, None];
        used.into_iter()
            .map(|key| {
                let path = cache
                    .entry(key)
                    .or_insert_with(|| {
                        let i = face_index(key.0);
                        let face = parsed[i].get_or_insert_with(|| {
                            ttf_parser::Face::parse(self.files[i].bytes(), 0)
                                .expect("parsed when the preview was made")
                        });
                        outline(face, key.1)
                    })
                    .clone();
                (key, path)
            })
            .collect()
    }

    /// A run's glyphs, placed as the PDF writer places them: it draws each glyph
    /// at the pen plus its offset (y up), at the run's size times the face's scale, and moves
    /// the pen by its advance; the layout's lengths are in the main font's em, so a fallback
    /// run converts them back with `em`.
    fn text(&self, out: &mut String, x: f32, y: f32, run: &TextRun, inked: &HashSet<GlyphKey>) {
        let i = face_index(run.face);
        let scale = if run.face.fallback {
            self.fallback_scale[run.face.weight as usize]
        } else {
            1.0
        };
        let em = 1.0 / scale;
        let font_size = run.size * scale;
        let s = num(font_size / self.units_per_em[i], SCALE_DECIMALS);
        let mut pen = x;
        for g in &run.glyphs {
            if inked.contains(&(run.face, g.id)) {
                let gx = pen + g.x_offset * em * font_size;
                let gy = y - g.y_offset * em * font_size;
                let _ = write!(
                    out,
                    r##"<use href="#{}" transform="translate({} {}) scale({s} -{s})"/>"##,
                    GlyphRef((run.face, g.id)),
                    num(gx, POINT_DECIMALS),
                    num(gy, POINT_DECIMALS),
                );
            }
            pen += g.advance * em * font_size;
        }
    }
}

/// The page's own "Side 1 af 4", as its footer shows it.
fn page_label(page: &Page) -> Option<String> {
    let label: String = page
        .items
        .iter()
        .filter(|p| p.role == Role::Artifact(ArtifactKind::PageNumber))
        .filter_map(|p| match &p.item {
            Item::Text(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect();
    let label = label.trim();
    (!label.is_empty()).then(|| label.to_string())
}

/// The id of a glyph's `<path>`: `g-R-12`, `g-B-12`, `g-fR-12`, `g-fB-12`.
struct GlyphRef(GlyphKey);

impl fmt::Display for GlyphRef {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (face, id) = self.0;
        let fallback = if face.fallback { "f" } else { "" };
        let weight = match face.weight {
            Weight::Regular => "R",
            Weight::Bold => "B",
        };
        write!(f, "g-{fallback}{weight}-{id}")
    }
}

/// A glyph's outline as path data in font units (y up), or `None` if it has no ink.
fn outline(face: &ttf_parser::Face, id: u16) -> Option<Arc<str>> {
    let mut path = PathData(String::new());
    face.outline_glyph(ttf_parser::GlyphId(id), &mut path)?;
    (!path.0.is_empty()).then(|| path.0.into())
}

/// Path data written as ttf-parser walks an outline.
struct PathData(String);

impl PathData {
    fn command(&mut self, c: char, points: &[f32]) {
        self.0.push(c);
        for (i, v) in points.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            let _ = write!(self.0, "{}", num(*v, POINT_DECIMALS));
        }
    }
}

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        self.command('M', &[x, y]);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.command('L', &[x, y]);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.command('Q', &[x1, y1, x, y]);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.command('C', &[x1, y1, x2, y2, x, y]);
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

/// A rectangle as `draw_rect` in `render` draws it: fill and/or a frame centred on its edge.
fn write_rect(out: &mut String, x: f32, y: f32, rect: &Rect) {
    if !(rect.width >= 0.0 && rect.height >= 0.0) {
        return;
    }
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}""#,
        num(x, POINT_DECIMALS),
        num(y, POINT_DECIMALS),
        num(rect.width, POINT_DECIMALS),
        num(rect.height, POINT_DECIMALS),
        rect.fill
            .map_or_else(|| "none".to_string(), |c| Hex(c).to_string()),
    );
    if let Some((color, width)) = rect.stroke {
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{}""#,
            Hex(color),
            num(width, POINT_DECIMALS)
        );
    }
    out.push_str("/>");
}

/// A filled polygon (the warning sign), its points relative to (x, y), as the PDF draws it.
fn write_polygon(out: &mut String, x: f32, y: f32, polygon: &Polygon) {
    out.push_str(r#"<path d=""#);
    for (i, &(px, py)) in polygon.points.iter().enumerate() {
        let _ = write!(
            out,
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            num(x + px, POINT_DECIMALS),
            num(y + py, POINT_DECIMALS)
        );
    }
    let _ = write!(out, r#"Z" fill="{}"/>"#, Hex(polygon.fill));
}

/// The logo, its file's own bytes in a `data:` address.
fn write_image(out: &mut String, x: f32, y: f32, image: &Image) {
    let mime = match image.logo.format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
    };
    let _ = write!(
        out,
        r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" href="data:{mime};base64,"#,
        num(x, POINT_DECIMALS),
        num(y, POINT_DECIMALS),
        num(image.width, POINT_DECIMALS),
        num(image.height, POINT_DECIMALS),
    );
    base64::engine::general_purpose::STANDARD.encode_string(image.logo.data.as_slice(), out);
    out.push_str(r#""/>"#);
}

/// A QR code as one black path in module units: each row's runs of dark modules, one
/// rectangle a run (the same squares as the PDF's, merged where they touch).
fn write_qr(out: &mut String, x: f32, y: f32, qr: &Qr) {
    let _ = write!(
        out,
        r##"<path fill="#000" transform="translate({} {}) scale({})" d=""##,
        num(x, POINT_DECIMALS),
        num(y, POINT_DECIMALS),
        num(qr.module, SCALE_DECIMALS),
    );
    for (row, start, len) in qr.dark_runs() {
        let _ = write!(out, "M{start} {row}h{len}v1h-{len}z");
    }
    out.push_str(r#""/>"#);
}

/// `#rrggbb`.
struct Hex(Color);

impl fmt::Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let Color(r, g, b) = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// A number rounded to at most `decimals` decimals, written without trailing zeros. Formatted
/// from an integer: a page has thousands of numbers, and float formatting is the slow part.
struct Num {
    value: f32,
    decimals: u32,
}

fn num(value: f32, decimals: u32) -> Num {
    Num { value, decimals }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let unit = 10_i64.pow(self.decimals);
        // `as` saturates (and takes NaN to 0): a layout has no such values, the SVG stays valid.
        let scaled = (f64::from(self.value) * unit as f64).round() as i64;
        if scaled < 0 {
            f.write_str("-")?;
        }
        let (whole, mut fraction) = (
            scaled.unsigned_abs() / unit as u64,
            scaled.unsigned_abs() % unit as u64,
        );
        write!(f, "{whole}")?;
        if fraction != 0 {
            let mut digits = self.decimals as usize;
            while fraction % 10 == 0 {
                fraction /= 10;
                digits -= 1;
            }
            write!(f, ".{fraction:0digits$}")?;
        }
        Ok(())
    }
}

/// Text made safe for a double-quoted attribute or element content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use crate::content::Region;
    use crate::select::Choices;

    fn doc(engine: &Engine, patient: &str) -> Document {
        let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
        c.patient = Some(patient.into());
        let mut shaper = engine.shaper().unwrap();
        engine.layout(&c, &mut shaper).unwrap()
    }

    /// The `translate` and `scale` of every `<use>` of `href`.
    fn placements(svg: &str, href: &str) -> Vec<(f32, f32, f32)> {
        let start = format!(r##"<use href="#{href}" transform="translate("##);
        svg.match_indices(&start)
            .map(|(at, _)| {
                let rest = &svg[at + start.len()..];
                let rest = &rest[..rest.find("\"/>").unwrap()];
                let numbers: Vec<f32> = rest
                    .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                    .filter_map(|s| s.parse().ok())
                    .collect();
                assert_eq!(numbers[3], -numbers[2], "{rest}");
                (numbers[0], numbers[1], numbers[2])
            })
            .collect()
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        let text = |v: f32, decimals: u32| num(v, decimals).to_string();
        assert_eq!(text(12.0, 2), "12");
        assert_eq!(text(12.5, 2), "12.5");
        assert_eq!(text(0.126, 2), "0.13");
        assert_eq!(text(-0.001, 2), "0");
        assert_eq!(text(-3.25, 2), "-3.25");
        assert_eq!(text(-0.05, 2), "-0.05");
        assert_eq!(text(0.011, 6), "0.011");
        assert_eq!(text(0.0047168, 6), "0.004717");
        assert_eq!(text(100.0, 0), "100");
        assert_eq!(text(841.89, 2), "841.89");
    }

    #[test]
    fn attribute_text_is_escaped() {
        assert_eq!(
            escape(r#"Side "1" <af> 4 & 'x'"#),
            "Side &quot;1&quot; &lt;af&gt; 4 &amp; &apos;x&apos;"
        );
    }

    /// The fallback is drawn scaled so its capitals match the main face's (as in the PDF): a
    /// Cyrillic capital in a name is as tall on the preview as a Latin one.
    #[test]
    fn fallback_capitals_are_as_tall_as_the_main_faces() {
        let engine = Engine::embedded().unwrap();
        let preview = Preview::new(&engine.fonts).unwrap();
        let svg = preview.page(&doc(&engine, "Жанна Hansen"), 0).unwrap();
        let height = |face: Face, c: char| {
            let file = engine.fonts.face(face);
            let f = ttf_parser::Face::parse(file.bytes(), 0).unwrap();
            let id = f.glyph_index(c).unwrap();
            let cap = f.glyph_bounding_box(id).unwrap().y_max as f32;
            let uses = placements(&svg, &GlyphRef((face, id.0)).to_string());
            assert!(!uses.is_empty(), "{c} is drawn");
            uses.iter().map(|u| u.2 * cap).collect::<Vec<f32>>()
        };
        let cyrillic = height(Face::fallback(Weight::Regular), 'Ж');
        // The H of "Hansen", in the same line and size as the Ж.
        let latin = height(Face::main(Weight::Regular), 'H');
        assert!(
            latin.iter().any(|l| (l - cyrillic[0]).abs() < 0.01 * l),
            "Ж {cyrillic:?} pt, H {latin:?} pt"
        );
    }

    #[test]
    fn the_same_document_gives_the_same_pages_with_a_warm_or_cold_cache() {
        let engine = Engine::embedded().unwrap();
        let d = doc(&engine, "Søren Ærø");
        let warm = Preview::new(&engine.fonts).unwrap();
        let first = warm.pages(&d);
        assert_eq!(warm.pages(&d), first);
        // Drawing the last page first fills the cache in another order.
        let cold = Preview::new(&engine.fonts).unwrap();
        let last = d.pages.len() - 1;
        assert_eq!(cold.page(&d, last).as_ref(), first.last());
        assert_eq!(cold.pages(&d), first);
        assert_eq!(cold.page(&d, d.pages.len()), None);
    }
}
