//! Stage 3: the handout laid out on A4 pages as plain data, with no PDF types.
//!
//! The pipeline: [`flow::build`] turns blocks into measured flow items (shaping with the real
//! fonts in `shape`, breaking lines in `linebreak`), [`flow::paginate`] distributes them over
//! pages under the keep rules, and [`finalize`] adds running headers and footers, which need
//! the page count. Tests read the result directly: positions, roles, text.

mod figures;
mod finalize;
mod flow;
pub mod linebreak;
pub mod shape;
pub mod style;

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;

pub use shape::Shaper;
pub use style::Style;

use crate::color::Color;
use crate::error::Error;
use crate::fonts::{Face, Weight};
use crate::select::{BlockStyle, Handout, Piece};

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
}

/// One page: its size and what is on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
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
    /// A list item.
    ListItem,
    /// A list item's bullet.
    Label,
    /// A list item's text.
    ListBody,
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
                        Error::DoesNotFit { what, detail } => Error::DoesNotFit {
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

/// Lays out a handout.
pub fn layout(handout: &Handout, shaper: &mut Shaper, style: &Style) -> Result<Document, Error> {
    check_personal_text(handout, shaper)?;
    let footer = finalize::Footer::measure(handout, shaper, style)?;
    let header = finalize::RunningHeader::measure(handout, shaper, style)?;
    let built = flow::build(handout, shaper, style)?;
    let body_bottom = style.page_height - style.margin_bottom - footer.height;
    let first_top = style.margin_top;
    let later_top = style.margin_top + header.height;
    let names = handout
        .fields
        .iter()
        .any(|f| matches!(f.key, "patient" | "therapist"));
    check_red_flags_on_page_one(&built, None, names, first_top, body_bottom)?;
    let pages = flow::paginate(&built.items, first_top, later_top, body_bottom)?;
    check_red_flags_on_page_one(&built, Some(&pages), names, first_top, body_bottom)?;
    let mut doc = Document {
        pages: Vec::new(),
        nodes: built.nodes,
        roots: built.roots,
        outline: Vec::new(),
        title: handout.title.clone(),
        language: handout.language.clone(),
        date: handout.date,
    };
    let count = pages.len();
    for (index, placed) in pages.into_iter().enumerate() {
        let mut page = Page {
            width: style.page_width,
            height: style.page_height,
            items: Vec::new(),
        };
        if index > 0 {
            header.draw(&mut page, shaper, style);
        }
        let mut notes: Vec<&flow::FlowItem> = Vec::new();
        for (y, item_index) in placed {
            let item = &built.items[item_index];
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
            notes.extend(item.footnotes.iter());
        }
        place_footnotes(&mut page, &notes, body_bottom, style);
        footer.draw(&mut page, index + 1, count, shaper, style, handout)?;
        doc.pages.push(page);
    }
    Ok(doc)
}

/// Refuses a handout whose red-flag box would not be on page 1 (it is one item, so it is
/// whole): content too long for it there, under the title and personal fields, is an error
/// naming the block, never a box on page 2. Checked before pagination (`pages` is `None`), so
/// a box taller than any page gets this message too, and after it, on where it really went.
fn check_red_flags_on_page_one(
    built: &flow::Built,
    pages: Option<&[Vec<(f32, usize)>]>,
    names: bool,
    first_top: f32,
    body_bottom: f32,
) -> Result<(), Error> {
    for (index, id) in &built.alerts {
        let item = &built.items[*index];
        // Page 1 holds the title, subtitle and personal fields above the box.
        let above: f32 = built.items[..*index]
            .iter()
            .enumerate()
            .map(|(i, it)| it.height + if i == 0 { 0.0 } else { it.space_before })
            .sum();
        let room = body_bottom - first_top - above - item.space_before;
        let on_page_one = match pages {
            None => item.height <= room + flow::FIT_TOLERANCE,
            Some(pages) => pages
                .first()
                .is_some_and(|p| p.iter().any(|&(_, i)| i == *index)),
        };
        if !on_page_one {
            let (above, shorten) = if names {
                ("the title and names", "its warning signs, or the names")
            } else {
                ("the title", "its warning signs")
            };
            return Err(Error::DoesNotFit {
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

/// Sets a page's footnotes at the foot of its body, under a short rule.
fn place_footnotes(page: &mut Page, notes: &[&flow::FlowItem], bottom: f32, style: &Style) {
    if notes.is_empty() {
        return;
    }
    let height: f32 = notes.iter().map(|n| n.height + n.space_before).sum();
    let mut y = bottom - height;
    page.items.push(Positioned {
        x: style.margin_x,
        y: y - flow::FOOTNOTE_GAP / 2.0,
        item: Item::Rect(Rect {
            width: style.text_width() / 3.0,
            height: 0.5,
            fill: Some(style.muted_color),
            stroke: None,
        }),
        role: Role::Artifact(ArtifactKind::Decoration),
    });
    for note in notes {
        y += note.space_before;
        page.items.extend(note.placed.iter().map(|p| Positioned {
            y: p.y + y,
            ..p.clone()
        }));
        y += note.height;
    }
}

/// Checks the therapist's own text first, so a character the font lacks is reported against
/// the field it was typed into, not where it happens to be drawn first.
fn check_personal_text(handout: &Handout, shaper: &mut Shaper) -> Result<(), Error> {
    for field in &handout.fields {
        for weight in [Weight::Regular, Weight::Bold] {
            shaper.check_coverage(weight, &field.value, field.key)?;
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
                    shaper.check_coverage(Weight::Regular, &span.text, "note")?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
