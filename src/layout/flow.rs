//! Blocks to measured flow items, and flow items to pages.
//!
//! A flow item is the smallest thing that moves to the next page whole: a heading, one line of
//! a paragraph, or a whole box. The keep rules are local flags on the items (style principle 6):
//! a heading keeps with what follows it; a paragraph allows a break only where at least two of
//! its lines stay on each side (no widows or orphans); a box is one item, so it is never split.

use std::sync::Arc;

use super::linebreak::{Line, Styled, break_lines};
use super::style::{Font, Style};
use super::{ArtifactKind, Item, Node, NodeId, NodeKind, Positioned, Rect, Role};
use crate::color::Color;
use crate::error::Error;
use crate::fonts::Weight;
use crate::layout::Shaper;
use crate::select::{BlockStyle, Handout, Piece, Rich};

/// Float noise must never move a page break.
pub(super) const FIT_TOLERANCE: f32 = 1e-3;

/// Something placed on a page as a whole.
#[derive(Debug, Clone)]
pub struct FlowItem {
    /// Its height.
    pub height: f32,
    /// Space above it, dropped at the top of a page.
    pub space_before: f32,
    /// Whether a page break before it is forbidden.
    pub keep_with_prev: bool,
    /// Its content, y relative to its top.
    pub placed: Vec<Positioned>,
    /// The heading text, when it starts an outline entry.
    pub outline: Option<String>,
    /// The block it belongs to, for messages.
    pub block: String,
    /// Footnotes referred to in this item, set at the foot of its page.
    pub footnotes: Vec<FlowItem>,
}

impl FlowItem {
    /// An item with no outline entry and no footnotes.
    pub fn new(height: f32, placed: Vec<Positioned>, block: &str) -> FlowItem {
        FlowItem {
            height,
            space_before: 0.0,
            keep_with_prev: false,
            placed,
            outline: None,
            block: block.to_string(),
            footnotes: Vec::new(),
        }
    }

    /// Height of its footnotes.
    fn footnote_height(&self) -> f32 {
        self.footnotes
            .iter()
            .map(|f| f.height + f.space_before)
            .sum()
    }
}

/// The flow of a handout and its logical structure.
pub struct Built {
    /// Flow items in order.
    pub items: Vec<FlowItem>,
    /// Structure nodes.
    pub nodes: Vec<Node>,
    /// Top-level nodes.
    pub roots: Vec<NodeId>,
    /// The red-flag boxes: each one's item index and block id.
    pub alerts: Vec<(usize, String)>,
}

pub(super) struct Builder<'a, 'f> {
    pub(super) shaper: &'a mut Shaper<'f>,
    pub(super) style: &'a Style,
    bullet: &'a str,
    nodes: Vec<Node>,
    roots: Vec<NodeId>,
    /// The current block's footnotes: the printed reference mark and the note's item.
    footnotes: Vec<(String, FlowItem)>,
}

/// Measures every block of a handout into flow items.
pub fn build(handout: &Handout, shaper: &mut Shaper, style: &Style) -> Result<Built, Error> {
    let mut b = Builder {
        shaper,
        style,
        bullet: &handout.bullet,
        nodes: Vec::new(),
        roots: Vec::new(),
        footnotes: Vec::new(),
    };
    let mut items = Vec::new();
    let width = style.text_width();
    let x = style.margin_x;

    // The title block: title, subtitle, personal fields, a rule.
    let h1 = b.node(
        NodeKind::Heading {
            level: 1,
            title: handout.title.clone(),
        },
        None,
    );
    let title = Styled::plain(&handout.title, Weight::Bold);
    // A logo sits on its own row at the top right, above the title.
    if let Some(logo) = &handout.logo {
        let (_, mut row) = b.logo(logo)?;
        row.height += 8.0;
        items.push(row);
    }
    let mut head = b.lines_item(
        &title,
        style.title,
        style.heading_color,
        x,
        width,
        h1,
        "title",
    )?;
    head.keep_with_prev = true;
    items.push(head);
    if let Some(sub) = &handout.subtitle {
        let p = b.node(NodeKind::Paragraph, None);
        let mut item = b.lines_item(
            &Styled::plain(sub, Weight::Regular),
            style.subtitle,
            style.text_color,
            x,
            width,
            p,
            "subtitle",
        )?;
        item.keep_with_prev = true;
        item.space_before = 2.0;
        items.push(item);
    }
    for (i, field) in handout.fields.iter().enumerate() {
        let p = b.node(NodeKind::Paragraph, None);
        let mut text = Styled::default();
        text.push(&format!("{}: ", field.label), Weight::Bold);
        text.push(&field.value, Weight::Regular);
        let name = field.label.to_lowercase();
        let mut item = b.lines_item(&text, style.body, style.text_color, x, width, p, &name)?;
        item.keep_with_prev = true;
        item.space_before = if i == 0 { 8.0 } else { 0.0 };
        items.push(item);
    }
    let mut rule = FlowItem::new(
        1.0,
        vec![Positioned {
            x,
            y: 0.0,
            item: Item::Rect(Rect {
                width,
                height: 1.0,
                fill: Some(style.heading_color),
                stroke: None,
            }),
            role: Role::Artifact(ArtifactKind::Decoration),
        }],
        "title",
    );
    rule.space_before = 10.0;
    rule.keep_with_prev = true;
    items.push(rule);

    // The red-flag box goes first, straight under the title, whatever order it was given in:
    // its place is the layout's rule, not the content's.
    let (alerts, rest): (Vec<_>, Vec<_>) = handout
        .blocks
        .iter()
        .partition(|b| b.style == BlockStyle::Alert);
    let mut alert_items = Vec::new();
    for block in alerts.into_iter().chain(rest) {
        if block.style == BlockStyle::Alert {
            alert_items.push((items.len(), block.id.clone()));
        }
        let section = b.node(
            NodeKind::Section {
                id: block.id.clone(),
                alert: block.style == BlockStyle::Alert,
            },
            None,
        );
        match block.style {
            BlockStyle::Plain => {
                let mut heading = b.heading(
                    &block.heading,
                    style.heading_color,
                    x,
                    width,
                    section,
                    &block.id,
                )?;
                heading.space_before = style.heading_space;
                items.push(heading);
                let body = b.pieces(&block.pieces, x, width, section, &block.id)?;
                items.extend(body);
            }
            BlockStyle::Alert | BlockStyle::Note => {
                items.push(b.boxed(block, section)?);
            }
        }
    }
    Ok(Built {
        items,
        nodes: b.nodes,
        roots: b.roots,
        alerts: alert_items,
    })
}

impl Builder<'_, '_> {
    pub(super) fn node(&mut self, kind: NodeKind, parent: Option<NodeId>) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            children: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p].children.push(id),
            None => self.roots.push(id),
        }
        id
    }

    pub(super) fn break_text(
        &mut self,
        text: &Styled,
        font: Font,
        color: Color,
        width: f32,
        field: &str,
    ) -> Result<Arc<Vec<Line>>, Error> {
        break_lines(self.shaper, text, font.size, color, width, field)
    }

    /// Positions a line's runs in a line box whose top is `top`.
    pub(super) fn place_line(
        &self,
        line: &Line,
        font: Font,
        x: f32,
        top: f32,
        role: Role,
    ) -> Vec<Positioned> {
        let baseline = top + baseline_offset(self.shaper, font);
        line.runs
            .iter()
            .map(|(dx, run)| Positioned {
                x: x + dx,
                y: baseline,
                item: Item::Text(run.clone()),
                role,
            })
            .collect()
    }

    /// All lines of a text as one unbreakable item.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lines_item(
        &mut self,
        text: &Styled,
        font: Font,
        color: Color,
        x: f32,
        width: f32,
        node: NodeId,
        field: &str,
    ) -> Result<FlowItem, Error> {
        let lines = self.break_text(text, font, color, width, field)?;
        let mut placed = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            placed.extend(self.place_line(
                line,
                font,
                x,
                i as f32 * font.leading,
                Role::Content(node),
            ));
        }
        Ok(FlowItem::new(
            lines.len() as f32 * font.leading,
            placed,
            field,
        ))
    }

    /// A section heading: one item that keeps with what follows (the follower sets the flag).
    fn heading(
        &mut self,
        text: &str,
        color: Color,
        x: f32,
        width: f32,
        parent: NodeId,
        block: &str,
    ) -> Result<FlowItem, Error> {
        let node = self.node(
            NodeKind::Heading {
                level: 2,
                title: text.to_string(),
            },
            Some(parent),
        );
        let mut item = self.lines_item(
            &Styled::plain(text, Weight::Bold),
            self.style.heading,
            color,
            x,
            width,
            node,
            &format!("heading of '{block}'"),
        )?;
        item.outline = Some(text.to_string());
        Ok(item)
    }

    /// Paragraphs and lists of a block, as flow items; the first keeps with the heading.
    fn pieces(
        &mut self,
        pieces: &[Piece],
        x: f32,
        width: f32,
        parent: NodeId,
        block: &str,
    ) -> Result<Vec<FlowItem>, Error> {
        let style = self.style;
        self.footnotes = self.footnote_items(pieces, parent, block)?;
        let mut out = Vec::new();
        for (pi, piece) in pieces.iter().enumerate() {
            let space = if pi == 0 {
                style.heading_gap
            } else {
                style.paragraph_space
            };
            match piece {
                Piece::Paragraph(rich) => {
                    let node = self.node(NodeKind::Paragraph, Some(parent));
                    let lines = self.break_text(
                        &styled(rich),
                        style.body,
                        style.text_color,
                        width,
                        &field_of(block, "text"),
                    )?;
                    out.extend(self.paragraph_items(
                        &lines,
                        x,
                        node,
                        block,
                        space,
                        pi == 0,
                        None,
                    )?);
                }
                Piece::WriteLines(_) | Piece::Ladder(_) | Piece::Qr { .. } => {
                    let mut items = match piece {
                        Piece::WriteLines(n) => vec![self.write_lines(*n, x, width, space, block)],
                        Piece::Ladder(steps) => {
                            self.ladder(steps, x, width, parent, space, block)?
                        }
                        Piece::Qr { url, caption, alt } => {
                            vec![self.qr(url, caption, alt, x, width, parent, space, block)?]
                        }
                        _ => unreachable!("matched above"),
                    };
                    // The first piece keeps its heading company; lines to write on and a
                    // ladder keep with the text that explains them.
                    if let Some(first) = items.first_mut() {
                        first.keep_with_prev =
                            pi == 0 || matches!(piece, Piece::Ladder(_) | Piece::WriteLines(_));
                    }
                    out.extend(items);
                }
                Piece::Link { text, url } => {
                    let p = self.node(NodeKind::Paragraph, Some(parent));
                    let link = self.node(
                        NodeKind::Link {
                            url: url.clone(),
                            alt: plain(text),
                        },
                        Some(p),
                    );
                    let lines = self.break_text(
                        &styled(text),
                        style.body,
                        style.link_color,
                        width,
                        &format!("link in '{block}'"),
                    )?;
                    let mut items =
                        self.paragraph_items(&lines, x, link, block, space, pi == 0, None)?;
                    for item in &mut items {
                        self.underline_as_link(item, link, url);
                    }
                    out.extend(items);
                    out.push(self.printed_address(url, x, width, link, block)?);
                }
                // Footnotes are set with the line that refers to them (see `footnotes`).
                Piece::Footnote { .. } => {}
                Piece::List(items) => {
                    let list = self.node(NodeKind::List, Some(parent));
                    for (ii, (id, rich)) in items.iter().enumerate() {
                        let li = self.node(NodeKind::ListItem, Some(list));
                        let label = self.node(NodeKind::Label, Some(li));
                        let body = self.node(NodeKind::ListBody, Some(li));
                        let field = match id {
                            Some(id) => format!("advice '{id}'"),
                            None => field_of(block, "list"),
                        };
                        let lines = self.break_text(
                            &styled(rich),
                            style.body,
                            style.text_color,
                            width - style.list_indent,
                            &field,
                        )?;
                        let space = if ii == 0 { space } else { style.item_space };
                        let bullet = (label, x);
                        out.extend(self.paragraph_items(
                            &lines,
                            x + style.list_indent,
                            body,
                            block,
                            space,
                            pi == 0 && ii == 0,
                            Some(bullet),
                        )?);
                    }
                }
            }
        }
        // Footnote nodes were made first (pagination needs their heights); a screen reader
        // should meet them after the text that refers to them, as a reader of the page does.
        let children = std::mem::take(&mut self.nodes[parent].children);
        let (notes, text): (Vec<NodeId>, Vec<NodeId>) = children
            .into_iter()
            .partition(|&c| self.nodes[c].kind == NodeKind::Note);
        self.nodes[parent].children = text.into_iter().chain(notes).collect();
        Ok(out)
    }

    /// One item per line, with breaks allowed only where two lines stay on each side.
    #[allow(clippy::too_many_arguments)]
    fn paragraph_items(
        &mut self,
        lines: &[Line],
        x: f32,
        node: NodeId,
        block: &str,
        space: f32,
        follows_heading: bool,
        bullet: Option<(NodeId, f32)>,
    ) -> Result<Vec<FlowItem>, Error> {
        let font = self.style.body;
        let n = lines.len();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let mut placed = Vec::new();
            if let (0, Some((label, bx))) = (i, bullet) {
                placed.extend(self.bullet(bx, label)?);
            }
            placed.extend(self.place_line(line, font, x, 0.0, Role::Content(node)));
            let keep = if i == 0 {
                follows_heading
            } else {
                !(i >= 2 && n - i >= 2)
            };
            let mut item = FlowItem::new(font.leading, placed, block);
            item.space_before = if i == 0 { space } else { 0.0 };
            item.keep_with_prev = keep;
            // A footnote is set on the page of the line that refers to it.
            let text: String = line.runs.iter().map(|(_, r)| r.text.as_str()).collect();
            item.footnotes = self
                .footnotes
                .iter()
                .filter(|(mark, _)| text.contains(mark.as_str()))
                .map(|(_, f)| f.clone())
                .collect();
            out.push(item);
        }
        Ok(out)
    }

    fn bullet(&mut self, x: f32, label: NodeId) -> Result<Vec<Positioned>, Error> {
        let font = self.style.body;
        let text = Styled::plain(self.bullet, Weight::Bold);
        let lines = break_lines(
            self.shaper,
            &text,
            font.size,
            self.style.text_color,
            f32::INFINITY,
            "the bullet label",
        )?;
        Ok(lines
            .first()
            .map(|l| self.place_line(l, font, x + 2.0, 0.0, Role::Content(label)))
            .unwrap_or_default())
    }

    /// A framed block laid out as one unbreakable item.
    fn boxed(&mut self, block: &crate::select::Block, section: NodeId) -> Result<FlowItem, Error> {
        let style = self.style;
        let alert = block.style == BlockStyle::Alert;
        let (frame, stroke_width, fill, heading_color) = if alert {
            (
                style.alert_color,
                style.alert_stroke,
                Some(style.alert_tint),
                style.alert_color,
            )
        } else {
            (style.note_color, 1.2, None, style.heading_color)
        };
        let inset = style.box_padding + stroke_width;
        let x = style.margin_x + inset;
        let width = style.text_width() - 2.0 * inset;
        let mut inner =
            vec![self.heading(&block.heading, heading_color, x, width, section, &block.id)?];
        inner.extend(self.pieces(&block.pieces, x, width, section, &block.id)?);
        let outline = inner[0].outline.clone();

        let mut placed = Vec::new();
        let mut y = inset;
        for (i, item) in inner.into_iter().enumerate() {
            if i > 0 {
                y += item.space_before;
            }
            placed.extend(
                item.placed
                    .into_iter()
                    .map(|p| Positioned { y: p.y + y, ..p }),
            );
            y += item.height;
        }
        let height = y + inset;
        // The frame is drawn first so text sits on top of the tint; the stroke is centred on
        // the rectangle's edge, so inset it by half its width to stay inside the margins.
        placed.insert(
            0,
            Positioned {
                x: style.margin_x + stroke_width / 2.0,
                y: stroke_width / 2.0,
                item: Item::Rect(Rect {
                    width: style.text_width() - stroke_width,
                    height: height - stroke_width,
                    fill,
                    stroke: Some((frame, stroke_width)),
                }),
                role: Role::Artifact(ArtifactKind::Decoration),
            },
        );
        let mut item = FlowItem::new(height, placed, &block.id);
        item.space_before = style.heading_space;
        item.outline = outline;
        Ok(item)
    }
}

/// Where the baseline sits below the top of a line box: the ascender fits inside the box, and
/// any extra leading is shared above and below.
pub fn baseline_offset(shaper: &Shaper, font: Font) -> f32 {
    let (asc, desc) = shaper.vertical_metrics(Weight::Regular);
    asc * font.size + ((font.leading - (asc + desc) * font.size) / 2.0).max(0.0)
}

pub(super) fn styled(rich: &Rich) -> Styled {
    let mut s = Styled::default();
    for span in rich {
        let weight = if span.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        if span.footnote {
            s.push(&footnote_mark(&span.text), weight);
        } else {
            s.push(&span.text, weight);
        }
    }
    s
}

/// The printed form of a footnote reference: a superscript digit where the font has one
/// (¹ ² ³), else the mark in brackets.
pub(super) fn footnote_mark(mark: &str) -> String {
    match mark {
        "1" => "¹".into(),
        "2" => "²".into(),
        "3" => "³".into(),
        other => format!("[{other}]"),
    }
}

fn plain(rich: &Rich) -> String {
    rich.iter().map(|s| s.text.as_str()).collect()
}

/// Space between the body and the footnotes, where a short rule separates them.
pub const FOOTNOTE_GAP: f32 = 14.0;

/// Distributes items over pages: returns, per page, each item's top y and index. Footnotes
/// take room at the foot of the page of the item that refers to them.
pub fn paginate(
    items: &[FlowItem],
    first_top: f32,
    later_top: f32,
    bottom: f32,
) -> Result<Vec<Vec<(f32, usize)>>, Error> {
    let mut pages = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let top = if pages.is_empty() {
            first_top
        } else {
            later_top
        };
        let mut y = top;
        let mut notes = 0.0f32;
        let mut end = items.len();
        for (i, item) in items.iter().enumerate().skip(start) {
            let space = if i == start { 0.0 } else { item.space_before };
            let item_notes = item.footnote_height();
            let gap = if notes == 0.0 && item_notes > 0.0 {
                FOOTNOTE_GAP
            } else {
                0.0
            };
            if y + space + item.height > bottom - notes - item_notes - gap + FIT_TOLERANCE {
                // Break before the last item on this page that allows it.
                end = match (start + 1..=i).rev().find(|&k| !items[k].keep_with_prev) {
                    Some(k) => k,
                    None => {
                        let block = &items[start].block;
                        let needed: f32 = items[start..=i]
                            .iter()
                            .map(|it| it.height + it.space_before + it.footnote_height())
                            .sum();
                        return Err(Error::DoesNotFit {
                            what: format!("'{block}'"),
                            detail: format!(
                                "it needs {needed:.0} pt of height kept together, but a page has {:.0} pt; shorten it",
                                bottom - top
                            ),
                        });
                    }
                };
                break;
            }
            y += space + item.height;
            notes += item_notes + gap;
        }
        let mut page = Vec::new();
        let mut y = top;
        for (i, item) in items.iter().enumerate().take(end).skip(start) {
            if i > start {
                y += item.space_before;
            }
            page.push((y, i));
            y += item.height;
        }
        pages.push(page);
        start = end;
    }
    Ok(pages)
}

/// How an error names the text of `block`: the personal blocks by the field the user gave
/// (`goal`, `note`), the guideline's by block id.
fn field_of(block: &str, part: &str) -> String {
    match block {
        "note" => "note".into(),
        "personlig-maal" => "goal".into(),
        "personlig-progressionsstige" => "step".into(),
        _ => format!("{part} of '{block}'"),
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;
    use crate::content::Region;
    use crate::layout::{NodeKind, layout};
    use crate::select::{BlockStyle, Choices, select};

    /// The layout, not only the selection, puts the box first: a handout given with its box
    /// last is still laid out with the box as the first section, at the top of page 1.
    #[test]
    fn the_box_is_laid_out_first_whatever_the_handout_order() {
        let e = Engine::embedded().unwrap();
        let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
        c.note = Some("Husk øvelserne".into());
        let mut h = select(&e.content, None, &c).unwrap();
        let alert = h.blocks.remove(0);
        assert_eq!(alert.style, BlockStyle::Alert);
        h.blocks.push(alert);
        let d = layout(&h, &mut e.shaper().unwrap(), &e.style).unwrap();
        let sections: Vec<(String, bool)> = d
            .roots
            .iter()
            .filter_map(|&n| match &d.nodes[n].kind {
                NodeKind::Section { id, alert } => Some((id.clone(), *alert)),
                _ => None,
            })
            .collect();
        assert_eq!(sections[0], ("roede-flag".to_string(), true));
        assert_eq!(sections[1].0, "note");
        assert_eq!(sections.iter().filter(|s| s.1).count(), 1);
        // The first heading of the body, on page 1, is the box's.
        let first = &d.outline[0];
        assert_eq!(first.page, 0);
        assert_eq!(first.title, h.blocks.last().unwrap().heading);
    }
}
