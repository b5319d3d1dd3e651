//! Flow items that are not running text: the clinic's logo, lines to write on, the progression
//! ladder, the QR code, link areas and footnotes.

use std::sync::Arc;

use super::flow::{Builder, Column, FlowItem, Within, styled};
use super::linebreak::Styled;
use super::{
    ArtifactKind, Image, Item, LinkArea, NodeId, NodeKind, Polygon, Positioned, Qr, Rect, Role,
};
use crate::color::Color;
use crate::error::Error;
use crate::fonts::Weight;
use crate::handout::Piece;
use crate::image::Logo;

/// The logo's box: at most this wide and tall, in points.
const LOGO_MAX: (f32, f32) = (130.0, 56.0);
/// Side of the QR code: 30 mm scans reliably from a printed page.
const QR_SIDE: f32 = 30.0 * super::style::MM;
/// Empty modules around the code, as the QR standard asks.
const QR_QUIET: usize = 4;

impl Builder<'_, '_> {
    /// The logo scaled into its box at the top right, tagged as a figure; returns its width.
    pub(super) fn logo(&mut self, logo: &Logo) -> Result<(f32, FlowItem), Error> {
        let (w, h) = (logo.pixels.0 as f32, logo.pixels.1 as f32);
        let scale = (LOGO_MAX.0 / w).min(LOGO_MAX.1 / h);
        let (width, height) = (w * scale, h * scale);
        let figure = self.node(
            NodeKind::Figure {
                alt: logo.alt.clone(),
            },
            None,
        );
        let x = self.style.page_width - self.style.margin_x - width;
        let item = Positioned {
            x,
            y: 0.0,
            item: Item::Image(Image {
                logo: Arc::new(logo.clone()),
                width,
                height,
            }),
            role: Role::Content(figure),
        };
        Ok((width, FlowItem::new(height, vec![item], "logo")))
    }

    /// A warning sign for the red-flag heading at `x`: a triangle in the alert colour standing
    /// on the heading's first baseline, with a white "!" of a bar and a dot, drawn as shapes so
    /// it prints sharp and needs no font. Decoration: the heading says what it warns of.
    /// Returns the items (y from the heading's top) and the width it takes, gap included.
    pub(super) fn warning_sign(&self, x: f32) -> (Vec<Positioned>, f32) {
        let style = self.style;
        let baseline = super::flow::baseline_offset(self.shaper, style.heading);
        // As tall as the heading's capitals and ascenders together, a little wider than tall.
        let height = 0.95 * style.heading.size;
        let width = 1.15 * height;
        let stroke = 0.13 * height;
        let centre = x + width / 2.0;
        let top = baseline - height;
        let decoration = Role::Artifact(ArtifactKind::Decoration);
        let white = |y: f32, h: f32| Positioned {
            x: centre - stroke / 2.0,
            y,
            item: Item::Rect(Rect {
                width: stroke,
                height: h,
                fill: Some(Color(0xFF, 0xFF, 0xFF)),
                stroke: None,
            }),
            role: decoration,
        };
        let sign = vec![
            Positioned {
                x,
                y: top,
                item: Item::Polygon(Polygon {
                    points: vec![(0.0, height), (width / 2.0, 0.0), (width, height)],
                    fill: style.alert_color,
                }),
                role: decoration,
            },
            // The bar of the "!", then its dot.
            white(top + 0.32 * height, 0.38 * height),
            white(top + 0.77 * height, stroke),
        ];
        (sign, width + 0.4 * style.heading.size)
    }

    /// Empty lines to write on: rules one and a half body lines apart, each the content of
    /// a node a screen reader reads as "tom linje til at skrive på", not silence.
    pub(super) fn write_lines(&mut self, n: usize, at: Within, space: f32) -> FlowItem {
        let Column { x, width } = at.column;
        let gap = self.style.body.leading * 1.6;
        let placed = (1..=n)
            .map(|i| {
                let spoken = self.blank_line.to_string();
                let line = self.node(NodeKind::BlankLine { spoken }, Some(at.parent));
                Positioned {
                    x,
                    y: i as f32 * gap,
                    item: Item::Rect(Rect {
                        width,
                        height: 0.75,
                        fill: Some(self.style.muted_color),
                        stroke: None,
                    }),
                    role: Role::Content(line),
                }
            })
            .collect();
        let mut item = FlowItem::new(n as f32 * gap + 4.0, placed, at.block);
        item.space_before = space;
        item
    }

    /// The progression ladder: the highest step on top, each a framed row with its label and
    /// its activity or a line to write it on. Each row is its own item, kept with the others
    /// unless long step texts make the ladder too tall to keep on one page.
    pub(super) fn ladder(
        &mut self,
        steps: &[(String, Option<String>)],
        at: Within,
        space: f32,
    ) -> Result<Vec<FlowItem>, Error> {
        let style = self.style;
        let Within {
            column: Column { x, width },
            parent,
            block,
        } = at;
        let font = style.body;
        let row = font.leading * 2.2;
        let label_width = font.size * 4.5;
        let text_x = x + 8.0 + label_width;
        let text_width = width - 16.0 - label_width;
        let list = self.node(NodeKind::NumberedList, Some(parent));
        let mut items = Vec::new();
        for (label, text) in steps.iter().rev() {
            let li = self.node(NodeKind::ListItem, Some(list));
            let lbl = self.node(NodeKind::Label, Some(li));
            let top = (row - font.leading) / 2.0;
            let mut placed = Vec::new();
            let lines = self.break_text(
                &Styled::plain(label, Weight::Bold),
                font,
                style.heading_color,
                label_width,
                "ladder step",
            )?;
            if let Some(line) = lines.first() {
                placed.extend(self.place_line(line, font, x + 8.0, top, Role::Content(lbl)));
            }
            let height = match text {
                Some(t) => {
                    let body = self.node(NodeKind::ListBody, Some(li));
                    let lines = self.break_text(
                        &Styled::plain(t, Weight::Regular),
                        font,
                        style.text_color,
                        text_width,
                        "step",
                    )?;
                    for (k, line) in lines.iter().enumerate() {
                        placed.extend(self.place_line(
                            line,
                            font,
                            text_x,
                            top + k as f32 * font.leading,
                            Role::Content(body),
                        ));
                    }
                    // A longer step gets a taller row.
                    row + (lines.len().max(1) - 1) as f32 * font.leading
                }
                None => {
                    // The line to write the step on is the body's content, read as such.
                    let spoken = self.blank_line.to_string();
                    let body = self.node(NodeKind::BlankBody { spoken }, Some(li));
                    placed.push(Positioned {
                        x: text_x,
                        y: top + font.leading,
                        item: Item::Rect(Rect {
                            width: text_width,
                            height: 0.75,
                            fill: Some(style.muted_color),
                            stroke: None,
                        }),
                        role: Role::Content(body),
                    });
                    row
                }
            };
            // The frame's stroke is centred on its edge: inset by half of it to stay inside.
            placed.insert(
                0,
                Positioned {
                    x: x + 0.375,
                    y: 0.375,
                    item: Item::Rect(Rect {
                        width: width - 0.75,
                        height: height - 0.75,
                        fill: None,
                        stroke: Some((style.muted_color, 0.75)),
                    }),
                    role: Role::Artifact(ArtifactKind::Decoration),
                },
            );
            let mut item = FlowItem::new(height, placed, block);
            item.space_before = if items.is_empty() { space } else { 4.0 };
            items.push(item);
        }
        // A ladder is read bottom to top as one plan: keep it on one page unless its steps'
        // own text makes it too tall for that (then it may break between steps).
        let total: f32 = items.iter().map(|i| i.height + i.space_before).sum();
        let page_text = style.page_height - style.margin_top - style.margin_bottom;
        if total <= page_text / 2.0 {
            for item in items.iter_mut().skip(1) {
                item.keep_with_prev = true;
            }
        }
        Ok(items)
    }

    /// A QR code with the address printed beside it; the code is a figure with alt text, the
    /// address a link. One item, never split.
    pub(super) fn qr(
        &mut self,
        url: &str,
        caption: &str,
        alt: &str,
        at: Within,
        space: f32,
    ) -> Result<FlowItem, Error> {
        let Within {
            column: Column { x, width },
            parent,
            block,
        } = at;
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| Error::InvalidValue {
                field: crate::field::Field::Qr,
                reason: format!("cannot be made into a QR code ({e})"),
            })?;
        let count = code.width();
        let modules: Vec<bool> = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        let module = QR_SIDE / (count + 2 * QR_QUIET) as f32;
        let figure = self.node(
            NodeKind::Figure {
                alt: alt.to_string(),
            },
            Some(parent),
        );
        let mut placed = vec![Positioned {
            x: x + QR_QUIET as f32 * module,
            y: QR_QUIET as f32 * module,
            item: Item::Qr(Qr {
                modules: Arc::new(modules),
                count,
                module,
            }),
            role: Role::Content(figure),
        }];
        let font = self.style.body;
        let text_x = x + QR_SIDE + 12.0;
        let text_width = width - QR_SIDE - 12.0;
        let p = self.node(NodeKind::Paragraph, Some(parent));
        let lines = self.break_text(
            &Styled::plain(caption, Weight::Regular),
            font,
            self.style.text_color,
            text_width,
            "qr caption",
        )?;
        let mut y = QR_QUIET as f32 * module;
        for line in lines.iter() {
            placed.extend(self.place_line(line, font, text_x, y, Role::Content(p)));
            y += font.leading;
        }
        let link = self.node(
            NodeKind::Link {
                url: url.to_string(),
                alt: url.to_string(),
            },
            Some(p),
        );
        let lines = self.break_text(
            &Styled::plain(url, Weight::Bold),
            font,
            self.style.link_color,
            text_width,
            "qr",
        )?;
        for line in lines.iter() {
            placed.extend(self.place_line(line, font, text_x, y, Role::Content(link)));
            placed.push(link_area(url, text_x, y, line.width, font.leading, link));
            y += font.leading;
        }
        let mut item = FlowItem::new(QR_SIDE.max(y), placed, block);
        item.space_before = space;
        Ok(item)
    }

    /// A link's address printed small under its text, so a paper copy leads there too.
    pub(super) fn printed_address(
        &mut self,
        url: &str,
        column: Column,
        link: NodeId,
        block: &str,
    ) -> Result<FlowItem, Error> {
        let Column { x, width } = column;
        let font = self.style.small;
        // Break only after a '/': a break at a hyphen would read as part of the address.
        let field = format!("link in '{block}'");
        let mut lines = Vec::new();
        let mut current = String::new();
        for segment in url.split_inclusive('/') {
            let candidate = format!("{current}{segment}");
            let fits = self
                .break_text(
                    &Styled::plain(&candidate, Weight::Regular),
                    font,
                    self.style.link_color,
                    f32::INFINITY,
                    &field,
                )?
                .first()
                .is_some_and(|l| l.width <= width);
            if fits || current.is_empty() {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, segment.to_string()));
            }
        }
        lines.push(current);
        let mut broken = Vec::new();
        for text in &lines {
            let styled = Styled::plain(text, Weight::Regular);
            broken.extend(
                self.break_text(&styled, font, self.style.link_color, width, &field)?
                    .iter()
                    .cloned(),
            );
        }
        let lines = broken;
        let top = super::flow::baseline_offset(self.shaper, font);
        let mut placed = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let y = i as f32 * font.leading;
            placed.extend(self.place_line(line, font, x, y, Role::Content(link)));
            placed.push(link_area(
                url,
                x,
                y - top + font.size * 0.2,
                line.width,
                font.leading,
                link,
            ));
        }
        let mut item = FlowItem::new(lines.len() as f32 * font.leading, placed, block);
        item.space_before = 2.0;
        item.keep_with_prev = true;
        Ok(item)
    }

    /// Adds a clickable area over each line of a link item.
    pub(super) fn underline_as_link(&mut self, item: &mut FlowItem, link: NodeId, url: &str) {
        let lines: Vec<(f32, f32, f32)> = item
            .placed
            .iter()
            .filter_map(|p| match &p.item {
                Item::Text(t) => Some((p.x, p.y, t.width)),
                _ => None,
            })
            .collect();
        let font = self.style.body;
        if let (Some(first), Some(last)) = (lines.first(), lines.last()) {
            let width = last.0 + last.2 - first.0;
            let top = first.1 - super::flow::baseline_offset(self.shaper, font);
            item.placed
                .push(link_area(url, first.0, top, width, font.leading, link));
        }
    }

    /// The footnotes of a block's pieces, each laid out once, small, with its mark.
    pub(super) fn footnote_items(
        &mut self,
        pieces: &[Piece],
        parent: NodeId,
        block: &str,
    ) -> Result<Vec<(String, FlowItem)>, Error> {
        let style = self.style;
        let mut out = Vec::new();
        for piece in pieces {
            let Piece::Footnote { mark, text } = piece else {
                continue;
            };
            let printed = super::flow::footnote_mark(mark);
            let note = self.node(NodeKind::Note, Some(parent));
            let mut t = Styled::default();
            t.push(&format!("{mark} "), Weight::Bold);
            let body = styled(text);
            for (range, weight) in &body.runs {
                t.push(&body.text[range.clone()], *weight);
            }
            let lines = self.break_text(
                &t,
                style.small,
                style.text_color,
                style.text_width(),
                &format!("footnote {mark} of '{block}'"),
            )?;
            let mut placed = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                placed.extend(self.place_line(
                    line,
                    style.small,
                    style.margin_x,
                    i as f32 * style.small.leading,
                    Role::Content(note),
                ));
            }
            let mut item = FlowItem::new(lines.len() as f32 * style.small.leading, placed, block);
            item.space_before = 2.0;
            out.push((printed, item));
        }
        Ok(out)
    }
}

fn link_area(url: &str, x: f32, top: f32, width: f32, height: f32, node: NodeId) -> Positioned {
    Positioned {
        x,
        y: top,
        item: Item::Link(LinkArea {
            url: url.to_string(),
            width,
            height,
        }),
        role: Role::Content(node),
    }
}
