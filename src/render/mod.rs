//! Stage 4: a laid-out document written as a tagged PDF with krilla.
//!
//! The renderer translates; it never decides (style principle 3). Positions, page count and
//! page numbers are already in the layout; this module walks the items once, marks each as
//! content of its structure node or as an artifact, and builds krilla's tag tree from the
//! layout's nodes. PDF/UA-1 is validated by krilla when the document is finished.

mod pack;
pub(crate) mod pdfa;
pub mod stream;
mod tags;

use std::num::NonZeroU16;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect as KRect, Size};
use krilla::image::Image as KImage;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, GlyphId};
use krilla::{Document as PdfDocument, SerializeSettings};

use crate::color::Color;
use crate::error::Error;
use crate::fonts::{Face, FontSet, Weight};
use crate::image::ImageFormat;
use crate::layout::{ArtifactKind, Document, Item, Rect, Role, TextRun};

pub use pack::pack;

/// The fonts as krilla fonts, parsed once and cloned cheaply per document. krilla embeds a
/// font only when a page uses it, so a handout without fallback text has no DejaVu in it.
#[derive(Clone)]
pub struct PdfFonts {
    /// Regular, bold, fallback regular, fallback bold.
    fonts: [Font; 4],
    /// Each fallback weight's scale (see [`FontSet::fallback_scale`]).
    fallback_scale: [f32; 2],
}

impl PdfFonts {
    /// Parses the font set for the PDF writer.
    pub fn new(fonts: &FontSet) -> Result<PdfFonts, Error> {
        let load = |f: Face| {
            let file = fonts.face(f);
            Font::new(file.data.clone().into(), 0).ok_or_else(|| Error::BadFont {
                name: file.name.clone(),
                reason: "cannot be embedded in a PDF".into(),
            })
        };
        let (r, b) = (Weight::Regular, Weight::Bold);
        Ok(PdfFonts {
            fonts: [
                load(Face::main(r))?,
                load(Face::main(b))?,
                load(Face::fallback(r))?,
                load(Face::fallback(b))?,
            ],
            fallback_scale: [fonts.fallback_scale(r), fonts.fallback_scale(b)],
        })
    }

    /// The font of a face and its scale.
    fn get(&self, f: Face) -> (Font, f32) {
        let w = f.weight as usize;
        if f.fallback {
            (self.fonts[2 + w].clone(), self.fallback_scale[w])
        } else {
            (self.fonts[w].clone(), 1.0)
        }
    }
}

/// The name written as the PDF's creator.
pub const CREATOR: &str = concat!("pjece ", env!("CARGO_PKG_VERSION"));

/// Writes one handout as PDF/UA-1 tagged PDF bytes, packed, with its choices when the layout
/// carries them; also PDF/A-2a when `archival`.
pub fn render(doc: &Document, fonts: &PdfFonts, archival: bool) -> Result<Vec<u8>, Error> {
    let mut writer = Writer::new(fonts, false, archival);
    writer.add(doc, None, false)?;
    let bytes = writer.finish(&doc.title, &doc.language, doc.date)?;
    pack::pack(&bytes, doc.reissue.as_deref())
}

/// Collects laid-out handouts into one tagged PDF. A combined file groups each handout's
/// structure in a `Part` and gives it a bookmark with its sections beneath.
pub struct Writer<'f> {
    pdf: PdfDocument,
    fonts: &'f PdfFonts,
    tree: Option<TagTree>,
    outline: Outline,
    pages: usize,
    combined: bool,
}

impl<'f> Writer<'f> {
    /// A writer for one handout, or (`combined`) for many; PDF/A-2a too when `archival`.
    pub fn new(fonts: &'f PdfFonts, combined: bool, archival: bool) -> Writer<'f> {
        let settings = SerializeSettings {
            configuration: pdfa::configuration(archival),
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        Writer {
            pdf: PdfDocument::new_with(settings),
            fonts,
            tree: None,
            outline: Outline::new(),
            pages: 0,
            combined,
        }
    }

    /// Pages written so far.
    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Appends a handout; `bookmark` names it in a combined file's outline, and `pad_to_even`
    /// adds a blank page after an odd page count so the next handout starts on a new sheet.
    pub fn add(
        &mut self,
        doc: &Document,
        bookmark: Option<&str>,
        pad_to_even: bool,
    ) -> Result<(), Error> {
        let first_page = self.pages;
        let mut leaves: Vec<Vec<tags::Leaf>> = vec![Vec::new(); doc.nodes.len()];
        for page in &doc.pages {
            self.page(page, &mut leaves)?;
        }
        if pad_to_even && doc.pages.len() % 2 == 1 {
            let blank = crate::layout::Page {
                items: Vec::new(),
                ..doc.pages[0].clone()
            };
            self.page(&blank, &mut leaves)?;
        }
        let groups = tags::groups(doc, leaves);
        let tree = self
            .tree
            .get_or_insert_with(|| TagTree::new().with_lang(Some(doc.language.clone())));
        if self.combined {
            let mut part = TagGroup::new(Tag::Part);
            for g in groups {
                part.push(g);
            }
            tree.push(part);
        } else {
            for g in groups {
                tree.push(g);
            }
        }
        let entries = doc.outline.iter().map(|entry| {
            OutlineNode::new(
                entry.title.clone(),
                XyzDestination::new(first_page + entry.page, Point::from_xy(0.0, entry.y)),
            )
        });
        match bookmark {
            Some(name) => {
                let mut node = OutlineNode::new(
                    name.to_string(),
                    XyzDestination::new(first_page, Point::from_xy(0.0, 0.0)),
                );
                entries.for_each(|e| node.push_child(e));
                self.outline.push_child(node);
            }
            None => entries.for_each(|e| self.outline.push_child(e)),
        }
        Ok(())
    }

    fn page(
        &mut self,
        page: &crate::layout::Page,
        leaves: &mut [Vec<tags::Leaf>],
    ) -> Result<(), Error> {
        // Each identifier's place in drawing order, so a node's own content and its children
        // (a paragraph and its bold words) are tagged in the order they are read.
        let mut drawn: usize = leaves.iter().map(Vec::len).sum();
        let size = Size::from_wh(page.width, page.height)
            .ok_or_else(|| Error::Pdf("page size is not positive".into()))?;
        let mut pdf_page = self.pdf.start_page_with(PageSettings::new(size));
        let mut surface = pdf_page.surface();
        // Consecutive items of one node (the lines of a paragraph, a bold lead and its text)
        // share one marked-content sequence: fewer ids, a smaller tag tree and file.
        let mut open: Option<(Role, bool)> = None;
        let mut links = Vec::new();
        for p in page
            .items
            .iter()
            .filter(|p| !matches!(p.item, Item::Link(_)))
        {
            let is_text = matches!(p.item, Item::Text(_));
            if open != Some((p.role, is_text)) {
                if open.is_some() {
                    surface.end_tagged();
                }
                let tag = match p.role {
                    Role::Content(_) if is_text => ContentTag::Span(SpanTag::empty()),
                    Role::Content(_) => ContentTag::Other,
                    Role::Artifact(kind) => {
                        ContentTag::Artifact(Artifact::with_kind(artifact_type(kind)))
                    }
                };
                let id = surface.start_tagged(tag);
                if let Role::Content(node) = p.role {
                    leaves[node].push((drawn, id));
                    drawn += 1;
                }
                open = Some((p.role, is_text));
            }
            match &p.item {
                Item::Text(run) => draw_text(&mut surface, p.x, p.y, run, self.fonts),
                Item::Rect(rect) => draw_rect(&mut surface, p.x, p.y, rect),
                Item::Image(image) => draw_image(&mut surface, p.x, p.y, image)?,
                Item::Qr(qr) => draw_qr(&mut surface, p.x, p.y, qr),
                Item::Polygon(polygon) => draw_polygon(&mut surface, p.x, p.y, polygon),
                Item::Link(area) => {
                    if let Role::Content(node) = p.role {
                        links.push((node, p.x, p.y, area));
                    }
                }
            }
        }
        if open.is_some() {
            surface.end_tagged();
        }
        surface.finish();
        // Annotations go on the page after its surface is finished (a krilla rule).
        for p in page.items.iter() {
            if let (Item::Link(area), Role::Content(node)) = (&p.item, p.role) {
                links.push((node, p.x, p.y, area));
            }
        }
        for (node, x, y, area) in links {
            let Some(rect) = KRect::from_xywh(x, y, area.width.max(1.0), area.height.max(1.0))
            else {
                continue;
            };
            let target = Target::Action(Action::Link(LinkAction::new(area.url.clone())));
            let annotation =
                Annotation::new_link(LinkAnnotation::new(rect, target), Some(area.url.clone()));
            leaves[node].push((drawn, pdf_page.add_tagged_annotation(annotation)));
            drawn += 1;
        }
        pdf_page.finish();
        self.pages += 1;
        Ok(())
    }

    /// Finishes the document with its title, language and date; validated against PDF/UA-1.
    pub fn finish(
        mut self,
        title: &str,
        language: &str,
        date: jiff::civil::Date,
    ) -> Result<Vec<u8>, Error> {
        self.pdf.set_tag_tree(self.tree.take().unwrap_or_default());
        self.pdf.set_outline(self.outline);
        let date = DateTime::new(date.year() as u16)
            .month(date.month() as u8)
            .day(date.day() as u8);
        self.pdf.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language(language.to_string())
                .creator(CREATOR.into())
                .creation_date(date),
        );
        self.pdf.finish().map_err(pdfa::finish_error)
    }
}

fn artifact_type(kind: ArtifactKind) -> ArtifactType {
    match kind {
        ArtifactKind::Header => ArtifactType::Header,
        ArtifactKind::Footer => ArtifactType::Footer,
        ArtifactKind::PageNumber => ArtifactType::PageNumber,
        ArtifactKind::Decoration => ArtifactType::Layout,
    }
}

/// An artifact's marked-content properties in PDF 1.7 terms, for the streaming writer
/// ([`stream`]); krilla maps [`artifact_type`] to the same. A page-number subtype is PDF 2.0,
/// so a page number is plain pagination there.
pub(crate) fn artifact_properties(
    kind: ArtifactKind,
) -> (
    pdf_writer::types::ArtifactType,
    Option<pdf_writer::types::ArtifactSubtype<'static>>,
    Option<pdf_writer::types::ArtifactAttachment>,
) {
    use pdf_writer::types::{ArtifactAttachment, ArtifactSubtype, ArtifactType as T};
    match kind {
        ArtifactKind::Header => (
            T::Pagination,
            Some(ArtifactSubtype::Header),
            Some(ArtifactAttachment::Top),
        ),
        ArtifactKind::Footer => (
            T::Pagination,
            Some(ArtifactSubtype::Footer),
            Some(ArtifactAttachment::Bottom),
        ),
        ArtifactKind::PageNumber => (T::Pagination, None, None),
        ArtifactKind::Decoration => (T::Layout, None, None),
    }
}

/// A colour as DeviceRGB components, for the streaming writer ([`stream`]).
pub(crate) fn rgb_components(c: Color) -> [f32; 3] {
    [c.0, c.1, c.2].map(|v| f32::from(v) / 255.0)
}

fn paint(c: Color) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

/// Layout glyphs are already in em of the main font, as krilla's [`krilla::text::Glyph`]
/// expects them scaled. A fallback run is drawn at its scaled size, so `em` converts its
/// lengths back (1 for the main font).
struct PdfGlyph<'a> {
    glyph: &'a crate::layout::Glyph,
    em: f32,
}

impl krilla::text::Glyph for PdfGlyph<'_> {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(self.glyph.id as u32)
    }
    fn text_range(&self) -> std::ops::Range<usize> {
        self.glyph.range.clone()
    }
    fn x_advance(&self, size: f32) -> f32 {
        self.glyph.advance * self.em * size
    }
    fn x_offset(&self, size: f32) -> f32 {
        self.glyph.x_offset * self.em * size
    }
    fn y_offset(&self, size: f32) -> f32 {
        self.glyph.y_offset * self.em * size
    }
    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

fn draw_text(surface: &mut Surface, x: f32, y: f32, run: &TextRun, fonts: &PdfFonts) {
    let (font, scale) = fonts.get(run.face);
    let em = 1.0 / scale;
    let glyphs: Vec<PdfGlyph> = run
        .glyphs
        .iter()
        .map(|glyph| PdfGlyph { glyph, em })
        .collect();
    // Fill and stroke persist on a surface: clear the stroke or glyphs get outlined.
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: paint(run.color).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.draw_glyphs(
        Point::from_xy(x, y),
        &glyphs,
        font,
        &run.text,
        run.size * scale,
        false,
    );
}

fn draw_image(
    surface: &mut Surface,
    x: f32,
    y: f32,
    image: &crate::layout::Image,
) -> Result<(), Error> {
    let data: krilla::Data = image.logo.data.clone().into();
    let decoded = match image.logo.format {
        // No interpolation: PDF/A forbids it, and a logo is shown near its own size.
        ImageFormat::Png => KImage::from_png(data, false),
        ImageFormat::Jpeg => KImage::from_jpeg(data, false),
    }
    .map_err(|e| Error::Pdf(format!("the logo cannot be embedded ({e})")))?;
    let size = Size::from_wh(image.width, image.height)
        .ok_or_else(|| Error::Pdf("the logo has no size".into()))?;
    surface.push_transform(&krilla::geom::Transform::from_translate(x, y));
    surface.draw_image(decoded, size);
    surface.pop();
    Ok(())
}

/// A QR code as one path of squares: vector, sharp at any print resolution.
fn draw_qr(surface: &mut Surface, x: f32, y: f32, qr: &crate::layout::Qr) {
    let mut builder = PathBuilder::new();
    for (i, dark) in qr.modules.iter().enumerate() {
        if !*dark {
            continue;
        }
        let (row, col) = (i / qr.count, i % qr.count);
        if let Some(r) = KRect::from_xywh(
            x + col as f32 * qr.module,
            y + row as f32 * qr.module,
            qr.module,
            qr.module,
        ) {
            builder.push_rect(r);
        }
    }
    let Some(path) = builder.finish() else { return };
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.draw_path(&path);
}

/// A filled polygon (the warning sign), its points relative to (x, y).
fn draw_polygon(surface: &mut Surface, x: f32, y: f32, polygon: &crate::layout::Polygon) {
    let mut builder = PathBuilder::new();
    for (i, &(px, py)) in polygon.points.iter().enumerate() {
        if i == 0 {
            builder.move_to(x + px, y + py);
        } else {
            builder.line_to(x + px, y + py);
        }
    }
    builder.close();
    let Some(path) = builder.finish() else { return };
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: paint(polygon.fill).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.draw_path(&path);
}

fn draw_rect(surface: &mut Surface, x: f32, y: f32, rect: &Rect) {
    let Some(r) = KRect::from_xywh(x, y, rect.width, rect.height) else {
        return;
    };
    let mut builder = PathBuilder::new();
    builder.push_rect(r);
    let Some(path) = builder.finish() else { return };
    surface.set_fill(rect.fill.map(|c| Fill {
        paint: paint(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.set_stroke(rect.stroke.map(|(c, width)| Stroke {
        paint: paint(c).into(),
        width,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

/// Heading level for krilla.
fn level(l: u8) -> NonZeroU16 {
    NonZeroU16::new(l.max(1) as u16).unwrap_or(NonZeroU16::MIN)
}
