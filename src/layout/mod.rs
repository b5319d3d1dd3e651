//! Stage 3: the handout laid out on A4 pages as plain data, with no PDF types.
//!
//! The pipeline: [`flow::build`] turns blocks into measured flow items (shaping with the real
//! fonts in `shape`, breaking lines in `linebreak`), [`paginate::paginate`] distributes them over
//! pages under the keep rules, [`economy`] lays out again, a little tighter or balanced, when
//! the last page would hold too little, and [`finalize`] adds running headers and footers,
//! which need the page count. Tests read the result directly: positions, roles, text.

mod economy;
mod figures;
mod finalize;
mod flow;
#[doc(hidden)]
pub mod inspect;
pub mod line_cache;
pub mod linebreak;
mod paginate;
pub mod preshaped;
pub mod shape;
pub mod style;

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;

pub use line_cache::LineCache;
pub use shape::Shaper;
pub use style::Style;

use crate::color::Color;
use crate::error::Error;
use crate::field::Field;
use crate::fonts::{Face, Weight};
use crate::handout::{BlockStyle, Handout, Piece};

/// Index of a node in [`Document::nodes`].
pub type NodeId = usize;

/// A laid-out handout.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The pages in order.
    pub pages: Vec<Page>,
    /// The logical structure (for tagged PDF); content items point into it.
    pub nodes: Vec<Node>,
    /// The top-level nodes in reading order.
    pub roots: Vec<NodeId>,
    /// Section headings with where they are, for the PDF outline.
    pub outline: Vec<OutlineEntry>,
    /// The document title.
    pub title: String,
    /// The document language.
    pub language: String,
    /// The handout's date.
    pub date: Date,
    /// The choices written into the PDF to make it again ([`crate::reissue`]), when known.
    pub reissue: Option<String>,
}

/// One page: its size and what is on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Top of the text area, under the margin and the running header.
    pub body_top: f32,
    /// Bottom of the text area (footnotes included), above the footer.
    pub body_bottom: f32,
    /// Items in drawing (= reading) order.
    pub items: Vec<Positioned>,
}

/// An item at a position: for text the start of its baseline, for a rectangle its top-left
/// corner. Coordinates are points from the page's top-left corner, y downwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Positioned {
    /// Distance from the left edge.
    pub x: f32,
    /// Distance from the top edge.
    pub y: f32,
    /// What is drawn.
    pub item: Item,
    /// Whether it is content (and of which node) or an artifact.
    pub role: Role,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of shaped text.
    Text(TextRun),
    /// A filled and/or stroked rectangle.
    Rect(Rect),
    /// A raster image (the clinic's logo); the position is its top-left corner.
    Image(Image),
    /// A QR code; the position is the top-left corner of its first module.
    Qr(Qr),
    /// A clickable area linking to a web address; the position is its top-left corner.
    Link(LinkArea),
    /// A filled polygon (the warning sign's triangle); its points are relative to the position.
    Polygon(Polygon),
}

/// A closed polygon, filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// Corners in order, relative to the item's position, y downwards.
    pub points: Vec<(f32, f32)>,
    /// Fill colour.
    pub fill: Color,
}

/// A raster image and its size on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The image file and its description.
    pub logo: Arc<crate::image::Logo>,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
}

/// A QR code's modules, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    /// Dark modules, `count` × `count`, row-major.
    pub modules: Arc<Vec<bool>>,
    /// Modules per side.
    pub count: usize,
    /// Side of one module in points.
    pub module: f32,
}

impl Qr {
    /// Each row's runs of dark modules as (row, first column, length): the rectangles that
    /// draw the code, merged where modules touch.
    pub fn dark_runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.modules
            .chunks(self.count.max(1))
            .enumerate()
            .flat_map(|(row, modules)| {
                let mut runs = Vec::new();
                let mut col = 0;
                while col < modules.len() {
                    if !modules[col] {
                        col += 1;
                        continue;
                    }
                    let start = col;
                    while col < modules.len() && modules[col] {
                        col += 1;
                    }
                    runs.push((row, start, col - start));
                }
                runs
            })
    }
}

/// A rectangle that opens a web address.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    /// The address.
    pub url: String,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
}

/// Shaped text in one font, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Regular or bold, main font or fallback.
    pub face: Face,
    /// Size in points (of the main font; the fallback is drawn scaled to match it).
    pub size: f32,
    /// Fill colour.
    pub color: Color,
    /// The text the glyphs show.
    pub text: String,
    /// The glyphs.
    pub glyphs: Vec<Glyph>,
    /// Total advance in points.
    pub width: f32,
}

/// One glyph; lengths in em of the main font at the run's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Horizontal advance.
    pub advance: f32,
    /// Horizontal offset.
    pub x_offset: f32,
    /// Vertical offset (up positive).
    pub y_offset: f32,
    /// The bytes of the run's text this glyph's cluster covers.
    pub range: Range<usize>,
}

/// A rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Fill colour.
    pub fill: Option<Color>,
    /// Frame colour and width in points.
    pub stroke: Option<(Color, f32)>,
}

/// Whether an item belongs to the document's logical content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Content of a structure node.
    Content(NodeId),
    /// Not part of the logical content.
    Artifact(ArtifactKind),
}

/// Kinds of artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    /// Running header.
    Header,
    /// Footer lines.
    Footer,
    /// "Side N af M".
    PageNumber,
    /// Frames, tints and rules.
    Decoration,
}

/// A node of the logical structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Child nodes in reading order (only for containers).
    pub children: Vec<NodeId>,
}

/// Kinds of structure node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A section (a block of the handout).
    Section {
        /// The block id.
        id: String,
        /// Whether it is the red-flag warning.
        alert: bool,
    },
    /// A heading.
    Heading {
        /// 1 for the title, 2 for sections.
        level: u8,
        /// Its text.
        title: String,
    },
    /// A paragraph.
    Paragraph,
    /// A bullet list.
    List,
    /// A list whose labels count (the progression ladder's "Trin 5 … Trin 1"): an ordered
    /// list for a screen reader.
    NumberedList,
    /// A list item.
    ListItem,
    /// A list item's bullet.
    Label,
    /// A list item's text.
    ListBody,
    /// A list item's body left blank to write in (an empty ladder rung): its content is the
    /// line drawn to write on, `spoken` what a screen reader says for it.
    BlankBody {
        /// E.g. "tom linje til at skrive på".
        spoken: String,
    },
    /// A line to write on outside a list (the empty goal lines), read as `spoken`.
    BlankLine {
        /// E.g. "tom linje til at skrive på".
        spoken: String,
    },
    /// Bold words in running text (a lead-in, an "ikke"): emphasis a screen reader can
    /// announce, a child of the paragraph or list body they are in.
    Strong,
    /// Plain words beside bold ones: a paragraph with `Strong` words has all its text in
    /// children, so its content reads in order (some checkers read an element's own content
    /// before its children's).
    Span,
    /// An image or QR code, with its description.
    Figure {
        /// Alternative text.
        alt: String,
    },
    /// A link: its text and its clickable areas.
    Link {
        /// The address.
        url: String,
        /// A description of where it leads.
        alt: String,
    },
    /// A footnote.
    Note,
}

/// A section heading and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// The heading text.
    pub title: String,
    /// Page index (0-based).
    pub page: usize,
    /// Distance of the heading's top from the page's top.
    pub y: f32,
}

/// Lays out every document the engine's content makes (both regions and variants, the handout
/// and the therapist's guide, standard and large print, with the engine's clinic profile), so
/// `pjece check` refuses content that every build would: above all a red-flag box that cannot
/// be whole on page 1. Personal fields are left out: they belong to one build, which refuses
/// them there if they leave the box no room. The error names the document.
pub fn check_every_document(engine: &crate::Engine) -> Result<(), Error> {
    use crate::content::{Audience, Region, Variant, document_name};
    let mut shaper = engine.shaper()?;
    for region in Region::ALL {
        for variant in Variant::ALL {
            for audience in Audience::ALL {
                for large_print in [false, true] {
                    let mut choices =
                        crate::select::Choices::new(region, jiff::civil::date(2026, 12, 30));
                    choices.variant = variant;
                    choices.audience = audience;
                    choices.large_print = large_print;
                    engine.layout(&choices, &mut shaper).map_err(|e| match e {
                        Error::DoesNotFit {
                            field,
                            what,
                            detail,
                        } => Error::DoesNotFit {
                            field,
                            what: format!(
                                "{what} (in {}{})",
                                document_name(region, variant, audience),
                                if large_print { " in large print" } else { "" }
                            ),
                            detail,
                        },
                        other => other,
                    })?;
                }
            }
        }
    }
    Ok(())
}

/// Lays out a handout; `lines` remembers broken paragraphs for the next handout.
pub fn layout(
    handout: &Handout,
    shaper: &mut Shaper,
    lines: &LineCache,
    style: &Style,
) -> Result<Document, Error> {
    check_personal_text(handout, shaper)?;
    let (measured, pages) = economy::lay_out(handout, shaper, lines, style)?;
    measured.compose(handout, shaper, pages)
}

/// A handout measured in one style: its flow items and structure, its footer and running
/// header, and the text area they leave.
struct Measured {
    style: Style,
    footer: finalize::Footer,
    header: finalize::RunningHeader,
    built: flow::Built,
    body: paginate::Body,
    /// Whether page 1 names the patient or therapist (for the red-flag message).
    names: bool,
}

impl Measured {
    fn new(
        handout: &Handout,
        shaper: &mut Shaper,
        lines: &LineCache,
        style: Style,
    ) -> Result<Measured, Error> {
        let mut small = finalize::SmallPrint {
            shaper,
            cache: lines,
            style: &style,
        };
        let footer = finalize::Footer::measure(handout, &mut small)?;
        let header = finalize::RunningHeader::measure(handout, &mut small)?;
        let built = flow::build(handout, shaper, lines, &style)?;
        let body = paginate::Body {
            first_top: style.margin_top,
            later_top: style.margin_top + header.height,
            bottom: style.page_height - style.margin_bottom - footer.height,
        };
        let names = handout
            .fields
            .iter()
            .any(|f| matches!(f.field, Field::Patient | Field::Therapist));
        Ok(Measured {
            style,
            footer,
            header,
            built,
            body,
            names,
        })
    }

    fn paginate(&self, early: Option<paginate::EarlyEnd>) -> Result<paginate::Pages, Error> {
        paginate::paginate(&self.built.items, &self.body, early)
    }

    /// Refuses a handout whose red-flag box would not be on page 1 (it is one item, so it is
    /// whole): content too long for it there, under the title and personal fields, is an
    /// error naming the block, never a box on page 2. Checked before pagination (`pages` is
    /// `None`), so a box taller than any page gets this message too, and after it, on where
    /// it really went.
    fn check_red_flags(&self, pages: Option<&paginate::Pages>) -> Result<(), Error> {
        let built = &self.built;
        for (index, id) in &built.alerts {
            let item = &built.items[*index];
            // Page 1 holds the title, subtitle and personal fields above the box.
            let above: f32 = built.items[..*index]
                .iter()
                .enumerate()
                .map(|(i, it)| it.height + if i == 0 { 0.0 } else { it.space_before })
                .sum();
            let room = self.body.height(0) - above - item.space_before;
            let on_page_one = match pages {
                None => item.height <= room + paginate::FIT_TOLERANCE,
                Some(pages) => pages
                    .first()
                    .is_some_and(|p| p.iter().any(|&(_, i)| i == *index)),
            };
            if !on_page_one {
                let (above, shorten) = if self.names {
                    ("the title and names", "its warning signs, or the names")
                } else {
                    ("the title", "its warning signs")
                };
                return Err(Error::DoesNotFit {
                    field: None,
                    what: format!("the red-flag box '{id}'"),
                    detail: format!(
                        "it must be whole on page 1, but it needs {:.0} pt and page 1 has {:.0} pt under {above}; shorten {shorten}",
                        item.height,
                        room.max(0.0)
                    ),
                });
            }
        }
        Ok(())
    }

    /// The document: each page's items at their places, with its footnotes, running header
    /// and footer.
    fn compose(
        self,
        handout: &Handout,
        shaper: &mut Shaper,
        pages: paginate::Pages,
    ) -> Result<Document, Error> {
        let Measured {
            style,
            footer,
            header,
            built,
            body,
            ..
        } = self;
        let mut doc = Document {
            pages: Vec::new(),
            nodes: built.nodes,
            roots: built.roots,
            outline: Vec::new(),
            title: handout.title.clone(),
            language: handout.language.clone(),
            date: handout.date,
            reissue: None,
        };
        let count = pages.len();
        for (index, placed) in pages.into_iter().enumerate() {
            let mut page = Page {
                width: style.page_width,
                height: style.page_height,
                body_top: body.top(index),
                body_bottom: body.bottom,
                items: Vec::new(),
            };
            if index > 0 {
                header.draw(&mut page, shaper, &style);
            }
            // Footnotes sit at the foot of the page but are painted right after the last
            // item of their block on it: a note is its section's last child in the tag tree,
            // and paint order must be tag order (a screen reader reading the page's content
            // otherwise meets the note inside the next section).
            let mut notes: Vec<(usize, &flow::FlowItem)> = Vec::new();
            let mut block: Option<&str> = None;
            let mut waiting: Vec<&flow::FlowItem> = Vec::new();
            for (y, item_index) in placed {
                let item = &built.items[item_index];
                if block != Some(item.block.as_str()) {
                    let at = page.items.len();
                    notes.extend(waiting.drain(..).map(|n| (at, n)));
                    block = Some(item.block.as_str());
                }
                if let Some(title) = &item.outline {
                    doc.outline.push(OutlineEntry {
                        title: title.clone(),
                        page: index,
                        y,
                    });
                }
                page.items.extend(item.placed.iter().map(|p| Positioned {
                    y: p.y + y,
                    ..p.clone()
                }));
                waiting.extend(item.footnotes.iter());
            }
            let at = page.items.len();
            notes.extend(waiting.drain(..).map(|n| (at, n)));
            paginate::place_footnotes(&mut page, &notes, body.bottom, &style);
            footer.draw(&mut page, index + 1, count, shaper, &style, handout)?;
            doc.pages.push(page);
        }
        Ok(doc)
    }
}

/// Checks the therapist's own text first, so a character the font lacks is reported against
/// the field it was typed into, not where it happens to be drawn first.
fn check_personal_text(handout: &Handout, shaper: &mut Shaper) -> Result<(), Error> {
    for line in &handout.fields {
        for weight in [Weight::Regular, Weight::Bold] {
            shaper
                .check_coverage(weight, &line.value, line.field.words())
                .map_err(|e| e.in_field(Some(line.field)))?;
        }
    }
    for block in handout
        .blocks
        .iter()
        .filter(|b| b.style == BlockStyle::Note)
    {
        for piece in &block.pieces {
            if let Piece::Paragraph(rich) = piece {
                for span in rich {
                    shaper
                        .check_coverage(Weight::Regular, &span.text, &block.id)
                        .map_err(|e| e.in_field(block.field))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
