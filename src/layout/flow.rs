//! Blocks to measured flow items, which `paginate` then distributes over pages.
//!
//! A flow item is the smallest thing that moves to the next page whole: a heading, one line of
//! a paragraph, or a whole box. The keep rules are local flags on the items (style principle 6):
//! a heading keeps with what follows it; a paragraph allows a break only where at least two of
//! its lines stay on each side (no widows or orphans); a list item of up to five lines is never
//! split; a box is one item, so it is never split.

use std::sync::Arc;

use super::line_cache::LineCache;
use super::linebreak::{Ink, Line, Styled};
use super::style::{Font, Style};
use super::{ArtifactKind, Item, Node, NodeId, NodeKind, Positioned, Rect, Role};
use crate::color::Color;
use crate::error::Error;
use crate::field::Field;
use crate::fonts::Weight;
use crate::handout::{BlockStyle, Handout, Piece, Rich};
use crate::layout::Shaper;

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
    /// The field the block's text was typed into, for a personal block.
    pub field: Option<Field>,
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
            field: None,
            footnotes: Vec::new(),
        }
    }

    /// Height of its footnotes.
    pub(super) fn footnote_height(&self) -> f32 {
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

/// Space between the title and the logo beside it.
const LOGO_GAP: f32 = 12.0;
/// Space under the logo on a row of its own.
const LOGO_ROW_GAP: f32 = 8.0;

/// The longest list item kept whole, in lines: a short item read across a page break loses
/// its bullet and its point (issue 11); a longer one breaks like a paragraph.
pub const KEEP_ITEM_LINES: usize = 5;

/// Where text is set: its left edge and its width.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub(super) x: f32,
    pub(super) width: f32,
}

/// Where a block's pieces go: the column, the structure node they belong to, and the block's
/// id for messages.
#[derive(Debug, Clone, Copy)]
pub(super) struct Within<'b> {
    pub(super) column: Column,
    pub(super) parent: NodeId,
    pub(super) block: &'b str,
}

/// How a paragraph's first line joins what comes before it.
#[derive(Debug, Clone, Copy)]
struct Opening {
    /// Space above it.
    space: f32,
    /// Whether it follows its section's heading (and so keeps with it).
    follows_heading: bool,
}

pub(super) struct Builder<'a, 'f> {
    pub(super) shaper: &'a mut Shaper<'f>,
    lines: &'a LineCache,
    pub(super) style: &'a Style,
    bullet: &'a str,
    /// What a screen reader says for a line left blank to write on.
    pub(super) blank_line: &'a str,
    nodes: Vec<Node>,
    roots: Vec<NodeId>,
    /// The current block's footnotes: the printed reference mark and the note's item.
    footnotes: Vec<(String, FlowItem)>,
}

/// Measures every block of a handout into flow items.
pub fn build(
    handout: &Handout,
    shaper: &mut Shaper,
    lines: &LineCache,
    style: &Style,
) -> Result<Built, Error> {
    let mut b = Builder {
        shaper,
        lines,
        style,
        bullet: &handout.bullet,
        blank_line: &handout.blank_line,
        nodes: Vec::new(),
        roots: Vec::new(),
        footnotes: Vec::new(),
    };
    let mut items = Vec::new();
    let column = Column {
        x: style.margin_x,
        width: style.text_width(),
    };

    // The title block: title, subtitle, personal fields, a rule.
    items.extend(b.title_block(handout, column)?);
    for (i, field) in handout.fields.iter().enumerate() {
        let p = b.node(NodeKind::Paragraph, None);
        let mut text = Styled::default();
        text.push(&format!("{}: ", field.label), Weight::Bold);
        text.push(&field.value, Weight::Regular);
        let name = field.label.to_lowercase();
        let mut item = b
            .lines_item(&text, style.body, style.text_color, column, p, &name)
            .map_err(|e| e.in_field(Some(field.field)))?;
        item.keep_with_prev = true;
        item.space_before = if i == 0 { 8.0 } else { 0.0 };
        items.push(item);
    }
    let mut rule = FlowItem::new(
        1.0,
        vec![Positioned {
            x: column.x,
            y: 0.0,
            item: Item::Rect(Rect {
                width: column.width,
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
        let first = items.len();
        match block.style {
            BlockStyle::Plain => {
                let within = Within {
                    column,
                    parent: section,
                    block: &block.id,
                };
                let mut heading = b.heading(&block.heading, style.heading_color, within)?;
                heading.space_before = style.heading_space;
                items.push(heading);
                let body = b
                    .pieces(&block.pieces, within)
                    .map_err(|e| e.in_field(block.field))?;
                items.extend(body);
            }
            BlockStyle::Alert | BlockStyle::Note => {
                items.push(b.boxed(block, section)?);
            }
        }
        for item in &mut items[first..] {
            item.field = block.field;
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
    /// The title and subtitle, with the clinic's logo at the top right: beside them (they wrap
    /// short of it) or, when that makes the block taller, on a row of its own above them. Page
    /// 1 needs the room for the red-flag box, in large print above all.
    fn title_block(&mut self, handout: &Handout, column: Column) -> Result<Vec<FlowItem>, Error> {
        let h1 = self.node(
            NodeKind::Heading {
                level: 1,
                title: handout.title.clone(),
            },
            None,
        );
        let logo = handout.logo.as_ref().map(|l| self.logo(l)).transpose()?;
        let subtitle = handout
            .subtitle
            .as_deref()
            .map(|s| (s, self.node(NodeKind::Paragraph, None)));
        let Some((logo_width, logo)) = logo else {
            return self.title_lines(handout, h1, subtitle, column);
        };
        let height = |block: &[FlowItem]| -> f32 {
            block
                .iter()
                .enumerate()
                .map(|(i, it)| it.height + if i > 0 { it.space_before } else { 0.0 })
                .sum()
        };
        let narrow = Column {
            width: column.width - logo_width - LOGO_GAP,
            ..column
        };
        let mut beside = self.title_lines(handout, h1, subtitle, narrow)?;
        let short_by = (logo.height - height(&beside)).max(0.0);
        // Painted after the title, as it is read (its figure node follows the title's).
        beside[0].placed.extend(logo.placed.iter().cloned());
        if let Some(last) = beside.last_mut() {
            last.height += short_by;
        }
        let mut above = self.title_lines(handout, h1, subtitle, column)?;
        let mut row = logo;
        row.height += LOGO_ROW_GAP;
        if height(&beside) <= row.height + height(&above) {
            return Ok(beside);
        }
        // Painted first, so read first: its figure node moves before the title's.
        if let Some(Role::Content(figure)) = row.placed.first().map(|p| p.role) {
            self.roots.retain(|&n| n != figure);
            let at = self.roots.iter().position(|&n| n == h1).unwrap_or(0);
            self.roots.insert(at, figure);
        }
        above.insert(0, row);
        Ok(above)
    }

    /// The title and the subtitle set in `column`.
    fn title_lines(
        &mut self,
        handout: &Handout,
        h1: NodeId,
        subtitle: Option<(&str, NodeId)>,
        column: Column,
    ) -> Result<Vec<FlowItem>, Error> {
        let style = self.style;
        let title = Styled::plain(&handout.title, Weight::Bold);
        let lines = self.balanced_lines(
            &title,
            style.title,
            style.heading_color,
            column.width,
            "title",
        )?;
        let mut head = self.lines_at(&lines, style.title, column.x, h1, "title");
        head.keep_with_prev = true;
        let mut block = vec![head];
        if let Some((sub, p)) = subtitle {
            let mut item = self.lines_item(
                &Styled::plain(sub, Weight::Regular),
                style.subtitle,
                style.text_color,
                column,
                p,
                "subtitle",
            )?;
            item.keep_with_prev = true;
            item.space_before = 2.0;
            block.push(item);
        }
        Ok(block)
    }

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
        let ink = Ink {
            size: font.size,
            color,
        };
        self.lines.break_lines(self.shaper, text, ink, width, field)
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
    pub(super) fn lines_item(
        &mut self,
        text: &Styled,
        font: Font,
        color: Color,
        column: Column,
        node: NodeId,
        field: &str,
    ) -> Result<FlowItem, Error> {
        let lines = self.break_text(text, font, color, column.width, field)?;
        Ok(self.lines_at(&lines, font, column.x, node, field))
    }

    /// A title's or heading's lines, balanced so that no word stands alone on the last
    /// (issue 11: "… i / lænden").
    fn balanced_lines(
        &mut self,
        text: &Styled,
        font: Font,
        color: Color,
        width: f32,
        field: &str,
    ) -> Result<Arc<Vec<Line>>, Error> {
        let mut lines = self.break_text(text, font, color, width, field)?;
        if lone_last_word(&lines) {
            // The narrowest width that keeps the number of lines evens them out, which gives
            // the last line company; a width that adds a line, or cuts a word, is too narrow.
            let count = lines.len();
            let mut widest_word = 0.0f32;
            for word in text.text.split_whitespace() {
                let one = Styled::plain(word, text.runs.first().map_or(Weight::Bold, |r| r.1));
                let line = self.break_text(&one, font, color, f32::INFINITY, field)?;
                widest_word = widest_word.max(line.first().map_or(0.0, |l| l.width));
            }
            let (mut narrow, mut wide) = ((width / 2.0).max(widest_word), width);
            for _ in 0..12 {
                let mid = (narrow + wide) / 2.0;
                if self.break_text(text, font, color, mid, field)?.len() == count {
                    wide = mid;
                } else {
                    narrow = mid;
                }
            }
            let balanced = self.break_text(text, font, color, wide, field)?;
            if balanced.len() == count && !lone_last_word(&balanced) {
                lines = balanced;
            }
        }
        Ok(lines)
    }

    /// Lines set one under the other from `x`, as one unbreakable item.
    fn lines_at(&self, lines: &[Line], font: Font, x: f32, node: NodeId, field: &str) -> FlowItem {
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
        FlowItem::new(lines.len() as f32 * font.leading, placed, field)
    }

    /// A section heading: one item that keeps with what follows (the follower sets the flag).
    fn heading(&mut self, text: &str, color: Color, at: Within) -> Result<FlowItem, Error> {
        let node = self.node(
            NodeKind::Heading {
                level: 2,
                title: text.to_string(),
            },
            Some(at.parent),
        );
        let field = format!("heading of '{}'", at.block);
        let font = self.style.heading;
        let lines = self.balanced_lines(
            &Styled::plain(text, Weight::Bold),
            font,
            color,
            at.column.width,
            &field,
        )?;
        let mut item = self.lines_at(&lines, font, at.column.x, node, &field);
        item.outline = Some(text.to_string());
        Ok(item)
    }

    /// Paragraphs and lists of a block, as flow items; the first keeps with the heading.
    fn pieces(&mut self, pieces: &[Piece], at: Within) -> Result<Vec<FlowItem>, Error> {
        let style = self.style;
        let Within {
            column: Column { x, width },
            parent,
            block,
        } = at;
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
                        &format!("text of '{block}'"),
                    )?;
                    let opening = Opening {
                        space,
                        follows_heading: pi == 0,
                    };
                    out.extend(self.paragraph_items(&lines, x, node, block, opening, None)?);
                }
                Piece::WriteLines(_) | Piece::Ladder(_) | Piece::Qr { .. } => {
                    let mut items = match piece {
                        Piece::WriteLines(n) => vec![self.write_lines(*n, at, space)],
                        Piece::Ladder(steps) => self.ladder(steps, at, space)?,
                        Piece::Qr { url, caption, alt } => {
                            vec![self.qr(url, caption, alt, at, space)?]
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
                    let opening = Opening {
                        space,
                        follows_heading: pi == 0,
                    };
                    let mut items = self.paragraph_items(&lines, x, link, block, opening, None)?;
                    for item in &mut items {
                        self.underline_as_link(item, link, url);
                    }
                    out.extend(items);
                    // A link that shows its own address needs it printed no second time.
                    let text = plain(text);
                    if *url != text && *url != format!("mailto:{text}") {
                        out.push(self.printed_address(url, at.column, link, block)?);
                    }
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
                            None => format!("list of '{block}'"),
                        };
                        let lines = self.break_text(
                            &styled(rich),
                            style.body,
                            style.text_color,
                            width - style.list_indent,
                            &field,
                        )?;
                        let opening = Opening {
                            space: if ii == 0 { space } else { style.item_space },
                            follows_heading: pi == 0 && ii == 0,
                        };
                        let bullet = (label, x);
                        out.extend(self.paragraph_items(
                            &lines,
                            x + style.list_indent,
                            body,
                            block,
                            opening,
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

    /// One item per line, with breaks allowed only where two lines stay on each side, and
    /// none inside a list item of up to [`KEEP_ITEM_LINES`] lines.
    fn paragraph_items(
        &mut self,
        lines: &[Line],
        x: f32,
        node: NodeId,
        block: &str,
        opening: Opening,
        bullet: Option<(NodeId, f32)>,
    ) -> Result<Vec<FlowItem>, Error> {
        let font = self.style.body;
        let n = lines.len();
        let mut out = Vec::new();
        // Bold words are `Strong`; in a text with any, the plain words around them are
        // `Span`s, each stretch one node, across a line break too.
        let emphasis = lines.iter().any(|l| {
            l.runs
                .iter()
                .any(|(_, r)| r.face.weight == Weight::Bold && !r.text.trim().is_empty())
        });
        let mut stretch: Option<(Weight, NodeId)> = None;
        for (i, line) in lines.iter().enumerate() {
            let mut placed = Vec::new();
            if let (0, Some((label, bx))) = (i, bullet) {
                placed.extend(self.bullet(bx, label)?);
            }
            let mut runs = self.place_line(line, font, x, 0.0, Role::Content(node));
            for p in runs.iter_mut().filter(|_| emphasis) {
                let Item::Text(run) = &p.item else { continue };
                let weight = run.face.weight;
                let id = match stretch {
                    Some((w, id)) if w == weight => id,
                    _ => {
                        let kind = match weight {
                            Weight::Bold => NodeKind::Strong,
                            Weight::Regular => NodeKind::Span,
                        };
                        self.node(kind, Some(node))
                    }
                };
                stretch = Some((weight, id));
                p.role = Role::Content(id);
            }
            placed.extend(runs);
            let keep = if i == 0 {
                opening.follows_heading
            } else if bullet.is_some() && n <= KEEP_ITEM_LINES {
                true
            } else {
                !(i >= 2 && n - i >= 2)
            };
            let mut item = FlowItem::new(font.leading, placed, block);
            item.space_before = if i == 0 { opening.space } else { 0.0 };
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
        let lines = self.break_text(
            &text,
            font,
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
    fn boxed(&mut self, block: &crate::handout::Block, section: NodeId) -> Result<FlowItem, Error> {
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
            (
                style.note_color,
                style.note_stroke,
                None,
                style.note_heading_color,
            )
        };
        let inset = style.box_padding + stroke_width;
        let within = Within {
            column: Column {
                x: style.margin_x + inset,
                width: style.text_width() - 2.0 * inset,
            },
            parent: section,
            block: &block.id,
        };
        // The warning sign hangs before the red-flag heading; the heading's lines indent past it.
        let heading = if alert {
            let (sign, width) = self.warning_sign(within.column.x);
            let mut indented = within;
            indented.column.x += width;
            indented.column.width -= width;
            let mut heading = self.heading(&block.heading, heading_color, indented)?;
            heading.placed.splice(0..0, sign);
            heading
        } else {
            self.heading(&block.heading, heading_color, within)?
        };
        let mut inner = vec![heading];
        inner.extend(
            self.pieces(&block.pieces, within)
                .map_err(|e| e.in_field(block.field))?,
        );
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

/// Whether the last of several lines is a single word.
fn lone_last_word(lines: &[Line]) -> bool {
    let text = |l: &Line| -> String { l.runs.iter().map(|(_, r)| r.text.as_str()).collect() };
    lines.len() > 1 && lines.last().is_some_and(|l| !text(l).trim().contains(' '))
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

#[cfg(test)]
mod tests {
    use crate::Engine;
    use crate::content::Region;
    use crate::handout::BlockStyle;
    use crate::layout::{NodeKind, layout};
    use crate::select::{Choices, select};

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
        let d = layout(&h, &mut e.shaper().unwrap(), e.line_cache(), &e.style).unwrap();
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
