//! A handout prepared for the writer (a combined file's, in a worker thread, or a single
//! handout's): its pages as compressed
//! content streams, and what the writer needs to link them into the file without the layout
//! (structure nodes and their marked content, bookmarks, links, fonts and glyphs used). None
//! of it depends on object numbers, which only the writer, taking handouts in row order, knows.
//!
//! The operators are pdf-writer's `Content`: text as `TJ` with 2-byte glyph ids (CID = glyph
//! id) and adjustments where the layout's advances differ from the font's; content marked
//! `/Span` or `/P` with an MCID, artifacts `/Artifact` with their kind.

use std::sync::Arc;

use pdf_writer::{Content, Name, Str, TextStr};

use super::fonts::{FACES, FONTS, GlyphUse, StreamFonts, face_index, resource_name};
use super::objects::deflate;
use crate::image::Logo;
use crate::layout::{
    ArtifactKind, Document, Item, Node, NodeId, OutlineEntry, Page, Positioned, Qr, Rect, Role,
    TextRun,
};
use crate::render::{artifact_properties, rgb_components};

/// A handout ready for [`super::CombinedWriter::add`].
pub struct PreparedHandout {
    pub(super) pages: Vec<PreparedPage>,
    pub(super) nodes: Vec<Node>,
    pub(super) roots: Vec<NodeId>,
    /// Each node's own content, in reading order.
    pub(super) leaves: Vec<Vec<Leaf>>,
    pub(super) outline: Vec<OutlineEntry>,
    pub(super) glyphs: Vec<GlyphUse>,
    /// Whether the last page is a blank one added for double-sided printing.
    pub(super) blank_page: bool,
}

impl PreparedHandout {
    /// Pages, the blank one included.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

/// One page's content stream and what it refers to.
pub(super) struct PreparedPage {
    pub width: f32,
    pub height: f32,
    /// Compressed; none on a blank page.
    pub content: Option<Vec<u8>>,
    /// Which faces (`/F0`–`/F3`) it uses.
    pub fonts: [bool; FONTS],
    /// The images `/Im0`, `/Im1`, … it draws.
    pub logos: Vec<Arc<Logo>>,
    /// The forms `/Fm0`, `/Fm1`, … it draws.
    pub forms: Vec<PreparedForm>,
    /// The node each marked-content id belongs to.
    pub mcids: Vec<NodeId>,
    pub links: Vec<PageLink>,
}

/// A form XObject's compressed content (in page coordinates) and the faces it uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PreparedForm {
    pub content: Vec<u8>,
    pub fonts: [bool; FONTS],
}

/// A link area: its node, rectangle in PDF coordinates and address.
pub(super) struct PageLink {
    pub node: NodeId,
    pub rect: [f32; 4],
    pub url: String,
}

/// A piece of a node's content: a marked-content sequence, or a link annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaf {
    Content { page: usize, mcid: i32 },
    Link { page: usize, index: usize },
}

/// Prepares a laid-out handout; `pad_to_even` adds a blank page after an odd page count.
pub fn prepare(doc: Document, fonts: &StreamFonts, pad_to_even: bool) -> PreparedHandout {
    let (pages, leaves, glyphs, blank_page) = draw(&doc, fonts, pad_to_even);
    PreparedHandout {
        pages,
        nodes: doc.nodes,
        roots: doc.roots,
        leaves,
        outline: doc.outline,
        glyphs,
        blank_page,
    }
}

/// Prepares a handout the caller keeps ([`super::render_single`]).
pub(super) fn prepare_borrowed(doc: &Document, fonts: &StreamFonts) -> PreparedHandout {
    let (pages, leaves, glyphs, blank_page) = draw(doc, fonts, false);
    PreparedHandout {
        pages,
        nodes: doc.nodes.clone(),
        roots: doc.roots.clone(),
        leaves,
        outline: doc.outline.clone(),
        glyphs,
        blank_page,
    }
}

type Drawn = (Vec<PreparedPage>, Vec<Vec<Leaf>>, Vec<GlyphUse>, bool);

fn draw(doc: &Document, fonts: &StreamFonts, pad_to_even: bool) -> Drawn {
    let mut leaves = vec![Vec::new(); doc.nodes.len()];
    let mut glyphs = vec![GlyphUse::default(); FACES];
    let mut pages: Vec<PreparedPage> = doc
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| draw_page(page, index, fonts, &mut leaves, &mut glyphs))
        .collect();
    let blank_page = pad_to_even && pages.len() % 2 == 1;
    if blank_page {
        let first = &doc.pages[0];
        pages.push(PreparedPage {
            width: first.width,
            height: first.height,
            content: None,
            fonts: [false; FONTS],
            logos: Vec::new(),
            forms: Vec::new(),
            mcids: Vec::new(),
            links: Vec::new(),
        });
    }
    (pages, leaves, glyphs, blank_page)
}

/// Two decimals of a point: finer than any printer, and a shorter content stream.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn draw_page(
    page: &Page,
    index: usize,
    fonts: &StreamFonts,
    leaves: &mut [Vec<Leaf>],
    glyphs: &mut [GlyphUse],
) -> PreparedPage {
    let mut d = Drawer::new(fonts, page.height);
    let mut mcids = Vec::new();
    let mut forms: Vec<PreparedForm> = Vec::new();
    let items: Vec<&Positioned> = page
        .items
        .iter()
        .filter(|p| !matches!(p.item, Item::Link(_)))
        .collect();
    // Consecutive items of one node share one marked-content sequence, as in a single handout:
    // fewer ids and a smaller structure.
    let is_text = |p: &Positioned| matches!(p.item, Item::Text(_));
    let in_form = |p: &Positioned| p.role == Role::Artifact(ArtifactKind::Footer);
    for sequence in items.chunk_by(|a, b| a.role == b.role && is_text(a) == is_text(b)) {
        // Text runs on in one text object across marked content, each line placed relative
        // to the last (a new text object would place it absolutely, and positions are much of
        // a page's bytes); it is closed for anything else. A text object and a marked-content
        // sequence must nest, so it is opened before the sequence begins.
        if is_text(sequence[0]) && !in_form(sequence[0]) {
            d.open_text();
        } else {
            d.close_text();
        }
        match sequence[0].role {
            Role::Content(node) => {
                let mcid = mcids.len() as i32;
                mcids.push(node);
                leaves[node].push(Leaf::Content { page: index, mcid });
                let tag = if is_text(sequence[0]) {
                    Name(b"Span")
                } else {
                    Name(b"P")
                };
                d.content
                    .begin_marked_content_with_properties(tag)
                    .properties()
                    .identify(mcid);
            }
            Role::Artifact(kind) => {
                let (kind, subtype, attached) = artifact_properties(kind);
                let mut mark = d
                    .content
                    .begin_marked_content_with_properties(Name(b"Artifact"));
                let mut artifact = mark.properties().artifact();
                artifact.kind(kind);
                if let Some(s) = subtype {
                    artifact.subtype(s);
                }
                if let Some(a) = attached {
                    artifact.attached([a]);
                }
            }
        }
        if in_form(sequence[0]) {
            // The footer (source and content version) is the same on every page of a batch:
            // drawn once in a form the writer shares between all pages that show it.
            let mut f = Drawer::new(fonts, page.height);
            for p in sequence {
                f.draw(p, glyphs);
            }
            f.close_text();
            d.content
                .x_object(Name(format!("Fm{}", forms.len()).as_bytes()));
            forms.push(PreparedForm {
                content: deflate(&f.content.finish().into_vec()),
                fonts: f.used_fonts,
            });
        } else {
            for p in sequence {
                d.draw(p, glyphs);
            }
        }
        d.content.end_marked_content();
    }
    d.close_text();
    // Link annotations follow the page's content in their node.
    let mut links = Vec::new();
    for p in &page.items {
        if let (Item::Link(area), Role::Content(node)) = (&p.item, p.role) {
            let (w, h) = (area.width.max(1.0), area.height.max(1.0));
            let bottom = page.height - p.y - h;
            leaves[node].push(Leaf::Link {
                page: index,
                index: links.len(),
            });
            links.push(PageLink {
                node,
                rect: [p.x, bottom, p.x + w, bottom + h],
                url: area.url.clone(),
            });
        }
    }
    PreparedPage {
        width: page.width,
        height: page.height,
        content: Some(deflate(&d.content.finish().into_vec())),
        fonts: d.used_fonts,
        logos: d.logos,
        forms,
        mcids,
        links,
    }
}

/// Draws one page (or form), setting colours, line width and font only when they change.
struct Drawer<'a> {
    content: Content,
    fonts: &'a StreamFonts,
    height: f32,
    fill: Option<[f32; 3]>,
    stroke: Option<[f32; 3]>,
    line_width: Option<f32>,
    font: Option<(usize, f32)>,
    /// In an open text object, the start of its current line: the lines of a paragraph are
    /// one text object, each line placed relative to the one before (repeated moves compress
    /// to almost nothing).
    line: Option<(f32, f32)>,
    used_fonts: [bool; FONTS],
    logos: Vec<Arc<Logo>>,
}

impl<'a> Drawer<'a> {
    fn new(fonts: &'a StreamFonts, height: f32) -> Drawer<'a> {
        Drawer {
            content: Content::with_settings(super::objects::COMPACT),
            fonts,
            height,
            fill: None,
            stroke: None,
            line_width: None,
            font: None,
            line: None,
            used_fonts: [false; FONTS],
            logos: Vec::new(),
        }
    }

    fn draw(&mut self, p: &Positioned, glyphs: &mut [GlyphUse]) {
        match &p.item {
            Item::Text(run) => self.text(p.x, p.y, run, glyphs),
            Item::Rect(rect) => self.rect(p.x, p.y, rect),
            Item::Image(image) => self.image(p.x, p.y, image),
            Item::Qr(qr) => self.qr(p.x, p.y, qr),
            Item::Polygon(polygon) => self.polygon(p.x, p.y, polygon),
            Item::Link(_) => {}
        }
    }

    fn set_fill(&mut self, c: [f32; 3]) {
        if self.fill != Some(c) {
            self.content.set_fill_rgb(c[0], c[1], c[2]);
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: [f32; 3], width: f32) {
        if self.stroke != Some(c) {
            self.content.set_stroke_rgb(c[0], c[1], c[2]);
            self.stroke = Some(c);
        }
        if self.line_width != Some(width) {
            self.content.set_line_width(width);
            self.line_width = Some(width);
        }
    }

    /// A run of shaped text from its baseline start `(x, y)` (y from the top). Each glyph goes
    /// where the layout put it: an adjustment wherever its advance differs from the font's. A
    /// cluster whose glyphs do not each stand for its text (a no-break space drawn with the
    /// space glyph, a letter and mark drawn as one) is wrapped in a span with that text as
    /// `/ActualText`, so copying and screen readers get the text as written.
    fn text(&mut self, x: f32, y: f32, run: &TextRun, glyphs: &mut [GlyphUse]) {
        let index = face_index(run.face);
        let face = self.fonts.face(index);
        let size = run.size * face.scale;
        self.set_fill(rgb_components(run.color));
        let (x, y) = (round(x), round(self.height - y));
        let (lx, ly) = self.open_text();
        let (dx, dy) = (round(x - lx), round(y - ly));
        self.content.next_line(dx, dy);
        self.line = Some((lx + dx, ly + dy));
        let mut tj = Tj::default();
        // Where the layout puts the pen, and where the PDF's text position is, from the start.
        let (mut pen, mut at) = (0.0f32, 0.0f32);
        for cluster in run.glyphs.chunk_by(|a, b| a.range == b.range) {
            let text = run.text.get(cluster[0].range.clone()).unwrap_or_default();
            let mut chars = text.chars();
            let plain = cluster.len() == 1
                && matches!((chars.next(), chars.next()), (Some(c), None) if face.canonical(cluster[0].id) == Some(c));
            if !plain {
                tj.flush(&mut self.content);
                self.content
                    .begin_marked_content_with_properties(Name(b"Span"))
                    .properties()
                    .actual_text(TextStr(text));
            }
            for g in cluster {
                glyphs[index].insert(g.id);
                if face.canonical(g.id).is_none() {
                    glyphs[index].insert_text(g.id, text);
                }
                let rise = g.y_offset * run.size;
                if rise != 0.0 {
                    tj.flush(&mut self.content);
                    self.content.set_rise(round(rise));
                }
                let code = face.code(index, g.id);
                if self.font != Some((code.font, size)) {
                    tj.flush(&mut self.content);
                    self.content.set_font(resource_name(code.font), size);
                    self.font = Some((code.font, size));
                    self.used_fonts[code.font] = true;
                }
                let target = pen + g.x_offset * run.size;
                let adjust = ((at - target) * 1000.0 / size).round();
                if adjust != 0.0 {
                    tj.adjust(adjust);
                    at -= adjust * size / 1000.0;
                }
                tj.glyph(code.bytes());
                at += face.advance(g.id) * size / 1000.0;
                pen += g.advance * run.size;
                if rise != 0.0 {
                    tj.flush(&mut self.content);
                    self.content.set_rise(0.0);
                }
            }
            if !plain {
                tj.flush(&mut self.content);
                self.content.end_marked_content();
            }
        }
        tj.flush(&mut self.content);
    }

    /// Opens a text object unless one is; returns its current line's start.
    fn open_text(&mut self) -> (f32, f32) {
        *self.line.get_or_insert_with(|| {
            self.content.begin_text();
            (0.0, 0.0)
        })
    }

    /// Ends the open text object, if any.
    fn close_text(&mut self) {
        if self.line.take().is_some() {
            self.content.end_text();
        }
    }

    fn rect(&mut self, x: f32, y: f32, rect: &Rect) {
        if !(rect.width > 0.0 && rect.height > 0.0) {
            return;
        }
        if let Some(c) = rect.fill {
            self.set_fill(rgb_components(c));
        }
        if let Some((c, width)) = rect.stroke {
            self.set_stroke(rgb_components(c), width);
        }
        self.content.rect(
            round(x),
            round(self.height - y - rect.height),
            round(rect.width),
            round(rect.height),
        );
        match (rect.fill.is_some(), rect.stroke.is_some()) {
            (true, true) => self.content.fill_nonzero_and_stroke(),
            (true, false) => self.content.fill_nonzero(),
            (false, true) => self.content.stroke(),
            (false, false) => self.content.end_path(),
        };
    }

    /// A filled polygon (the warning sign), its points relative to `(x, y)`.
    fn polygon(&mut self, x: f32, y: f32, polygon: &crate::layout::Polygon) {
        let Some((&(x0, y0), rest)) = polygon.points.split_first() else {
            return;
        };
        self.set_fill(rgb_components(polygon.fill));
        self.content
            .move_to(round(x + x0), round(self.height - y - y0));
        for &(px, py) in rest {
            self.content
                .line_to(round(x + px), round(self.height - y - py));
        }
        self.content.close_path();
        self.content.fill_nonzero();
    }

    fn image(&mut self, x: f32, y: f32, image: &crate::layout::Image) {
        let index = match self.logos.iter().position(|l| Arc::ptr_eq(l, &image.logo)) {
            Some(i) => i,
            None => {
                self.logos.push(image.logo.clone());
                self.logos.len() - 1
            }
        };
        let name = format!("Im{index}");
        self.content.save_state();
        self.content.transform([
            round(image.width),
            0.0,
            0.0,
            round(image.height),
            round(x),
            round(self.height - y - image.height),
        ]);
        self.content.x_object(Name(name.as_bytes()));
        self.content.restore_state();
    }

    /// A QR code as one filled path, each row's runs of dark modules one rectangle: vector,
    /// sharp at any print resolution.
    fn qr(&mut self, x: f32, y: f32, qr: &Qr) {
        self.set_fill([0.0; 3]);
        let mut any = false;
        for (row, start, len) in qr.dark_runs() {
            self.content.rect(
                round(x + start as f32 * qr.module),
                round(self.height - y - (row + 1) as f32 * qr.module),
                round(len as f32 * qr.module),
                round(qr.module),
            );
            any = true;
        }
        if any {
            self.content.fill_nonzero();
        }
    }
}

/// The pieces of one `TJ` array being collected.
#[derive(Default)]
struct Tj {
    items: Vec<TjItem>,
}

enum TjItem {
    Glyphs(Vec<u8>),
    Adjust(f32),
}

impl Tj {
    fn glyph(&mut self, code: &[u8]) {
        match self.items.last_mut() {
            Some(TjItem::Glyphs(g)) => g.extend_from_slice(code),
            _ => self.items.push(TjItem::Glyphs(code.to_vec())),
        }
    }

    fn adjust(&mut self, amount: f32) {
        self.items.push(TjItem::Adjust(amount));
    }

    fn flush(&mut self, content: &mut Content) {
        match self.items.as_slice() {
            [] => {}
            [TjItem::Glyphs(g)] => {
                content.show(Str(g));
            }
            items => {
                let mut show = content.show_positioned();
                let mut array = show.items();
                for item in items {
                    match item {
                        TjItem::Glyphs(g) => array.show(Str(g)),
                        TjItem::Adjust(a) => array.adjust(*a),
                    };
                }
            }
        }
        self.items.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Color;
    use crate::fonts::{Face, FontSet, Weight};
    use crate::layout::{ArtifactKind, Glyph, NodeKind, Positioned};
    use std::io::Read;

    fn glyph(set: &FontSet, c: char) -> u16 {
        rustybuzz::ttf_parser::Face::parse(set.regular.bytes(), 0)
            .unwrap()
            .glyph_index(c)
            .unwrap()
            .0
    }

    fn content(page: &PreparedPage) -> String {
        let mut out = String::new();
        flate2::read::ZlibDecoder::new(&page.content.as_ref().unwrap()[..])
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn glyphs_go_where_the_layout_put_them_and_clusters_keep_their_text() {
        let set = FontSet::embedded();
        let fonts = StreamFonts::new(&set).unwrap();
        let (a, e, acute) = (glyph(&set, 'a'), glyph(&set, 'e'), glyph(&set, '\u{301}'));
        let advance = |g: u16| fonts.face(0).advance(g) / 1000.0;
        let run = TextRun {
            face: Face::main(Weight::Regular),
            size: 10.0,
            color: Color(0, 0, 0),
            // "a" spaced 0.1 em wider than the font has it, then "é" as a letter and a mark.
            text: "aé".into(),
            glyphs: vec![
                Glyph {
                    id: a,
                    advance: advance(a) + 0.1,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    range: 0..1,
                },
                Glyph {
                    id: e,
                    advance: advance(e),
                    x_offset: 0.0,
                    y_offset: 0.0,
                    range: 1..3,
                },
                Glyph {
                    id: acute,
                    advance: 0.0,
                    x_offset: -0.3,
                    y_offset: 0.0,
                    range: 1..3,
                },
            ],
            width: 0.0,
        };
        let page = Page {
            width: 200.0,
            height: 100.0,
            body_top: 0.0,
            body_bottom: 100.0,
            items: vec![
                Positioned {
                    x: 10.0,
                    y: 20.0,
                    item: Item::Text(run),
                    role: Role::Content(0),
                },
                Positioned {
                    x: 0.0,
                    y: 90.0,
                    item: Item::Rect(Rect {
                        width: 200.0,
                        height: 1.0,
                        fill: Some(Color(255, 0, 0)),
                        stroke: None,
                    }),
                    role: Role::Artifact(ArtifactKind::Footer),
                },
            ],
        };
        let doc = Document {
            pages: vec![page],
            nodes: vec![Node {
                kind: NodeKind::Paragraph,
                children: Vec::new(),
            }],
            roots: vec![0],
            outline: Vec::new(),
            title: "t".into(),
            language: "da".into(),
            date: jiff::civil::date(2026, 1, 1),
            reissue: None,
        };
        let prepared = prepare(doc, &fonts, true);
        assert_eq!(prepared.pages.len(), 2, "a blank page after one");
        assert!(prepared.pages[1].content.is_none() && prepared.blank_page);
        let page = &prepared.pages[0];
        assert_eq!(page.mcids, [0]);
        assert_eq!(prepared.leaves[0], [Leaf::Content { page: 0, mcid: 0 }]);
        let c = content(page);
        // A glyph's code as pdf-writer writes a string.
        let show = |g: u16| {
            let mut c = Content::with_settings(super::super::objects::COMPACT);
            c.show(Str(fonts.face(0).code(0, g).bytes()));
            let bytes = c.finish().into_vec();
            String::from_utf8(bytes)
                .unwrap()
                .trim_end_matches("Tj")
                .to_string()
        };
        // Baseline 20 pt from the top of a 100 pt page: "a" as the font spaces it; the
        // layout's extra 0.1 em before "é" (100 thousandths); "é" drawn as a letter and a mark
        // 0.3 em to its left (the mark from the face's font of two-byte codes), with its text
        // as written.
        // The text object is opened before the marked content (they must nest), and closed
        // after it, before the footer's form.
        let expected = format!(
            "BT/Span<</MCID 0>>BDC 0 0 0 rg 10 80 Td/F0 10 Tf{}Tj\
             /Span<</ActualText<FEFF00E9>>>BDC[-100{}]TJ/F4 10 Tf[300{}]TJ\nEMC\nEMC\nET/Artifact",
            show(a),
            show(e),
            show(acute)
        );
        assert!(c.starts_with(&expected), "{c}\n{expected}");
        // The footer rule as a footer artifact, red, in a form the writer can share.
        assert!(
            c.contains(
                "/Artifact<</Type/Pagination/Subtype/Footer/Attached[/Bottom]>>BDC/Fm0 Do\nEMC"
            ),
            "{c}"
        );
        let mut form = String::new();
        flate2::read::ZlibDecoder::new(&page.forms[0].content[..])
            .read_to_string(&mut form)
            .unwrap();
        assert_eq!(form.trim(), "1 0 0 rg 0 9 200 1 re\nf");
        let mut used = GlyphUse::default();
        for g in [a, e, acute] {
            used.insert(g);
        }
        assert_eq!(
            prepared.glyphs[0].glyphs().collect::<Vec<_>>(),
            used.glyphs().collect::<Vec<_>>()
        );
        assert!(prepared.glyphs[1..].iter().all(GlyphUse::is_empty));
    }
}
