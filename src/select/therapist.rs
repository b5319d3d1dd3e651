//! The therapist's conversation guide: the guideline's other half. Therapist-only blocks and the
//! therapist sentences of patient sections in guideline order, with footnotes and the TAK link,
//! then every piece of patient advice with its id, as a reference for choosing `--advice`.

use super::personal::Fields;
use super::{Block, BlockStyle, Choices, Handout, Piece, Rich, Span, frame};
use crate::clinic::Clinic;
use crate::content::markup::{self, Inline};
use crate::content::{Audience, BlockKind, Content, Element, Scoped};
use crate::error::Error;

/// Text with footnote references kept, raised and small.
fn rich(s: &str) -> Rich {
    markup::parse(s)
        .unwrap_or_default()
        .into_iter()
        .map(|p| match p {
            Inline::Text { text, bold } => Span::text(text, bold),
            Inline::FootnoteRef(mark) => Span {
                text: mark,
                bold: false,
                footnote: true,
            },
        })
        .collect()
}

/// Builds the guide for the chosen region and variant.
pub fn select(
    content: &Content,
    clinic: Option<&Clinic>,
    choices: &Choices,
    fields: &Fields,
) -> Result<Handout, Error> {
    let (region, variant) = (choices.region, choices.variant);
    let labels = &content.labels;
    let mut blocks = Vec::new();
    let mut advice = Vec::new();
    for block in &content.guideline.blocks {
        if !block.regions.contains(&region) || !block.variants.contains(&variant) {
            continue;
        }
        // The red-flag box belongs in the guide too: it is what the therapist must check.
        let wanted = |s: &dyn Scoped| {
            let audience = s.audience().unwrap_or(block.audience);
            s.applies(region, variant)
                && (audience == Audience::Therapist || block.kind == BlockKind::RedFlags)
        };
        let mut pieces = Vec::new();
        for element in &block.body {
            match element {
                Element::Paragraph(p) if wanted(p) => {
                    pieces.push(Piece::Paragraph(rich(p.text.get(region, variant))))
                }
                Element::List(l) if wanted(l) => {
                    let items = l
                        .items
                        .iter()
                        .filter(|i| i.applies(region, variant))
                        .map(|i| (i.id.clone(), rich(i.text.get(region, variant))))
                        .collect::<Vec<_>>();
                    if !items.is_empty() {
                        pieces.push(Piece::List(items));
                    }
                }
                Element::Footnote(f) if wanted(f) => pieces.push(Piece::Footnote {
                    mark: f.mark.clone(),
                    text: rich(f.text.get(region, variant)),
                }),
                Element::Link(l) if wanted(l) => pieces.push(Piece::Link {
                    text: rich(l.text.get(region, variant)),
                    url: l.url.clone(),
                }),
                Element::Call(c) if wanted(c) => {
                    let text = match clinic.and_then(|c| c.region.as_ref()) {
                        Some(r) => c
                            .with_number
                            .get(region, variant)
                            .replace("{call}", &r.call),
                        None => c.text.get(region, variant).to_string(),
                    };
                    pieces.push(Piece::Paragraph(rich(&text)));
                }
                Element::Advice(l)
                    if block.audience == Audience::Patient && l.applies(region, variant) =>
                {
                    for item in l.items.iter().filter(|i| i.applies(region, variant)) {
                        let Some(id) = &item.id else { continue };
                        let mut text = vec![Span::text(format!("{id}: "), true)];
                        text.push(Span::text(
                            markup::plain(item.text.get(region, variant)),
                            false,
                        ));
                        advice.push((None, text));
                    }
                }
                _ => {}
            }
        }
        if pieces.is_empty() {
            continue;
        }
        // Patient sections keep the guideline's own section name here.
        let heading = if block.audience == Audience::Patient && block.kind != BlockKind::RedFlags {
            block.guideline_section.clone()
        } else {
            markup::plain(block.heading.get(region, variant))
        };
        let style = if block.kind == BlockKind::RedFlags {
            BlockStyle::Alert
        } else {
            BlockStyle::Plain
        };
        blocks.push(Block {
            id: block.id.clone(),
            style,
            heading,
            pieces,
        });
    }
    if !advice.is_empty() {
        blocks.push(Block {
            id: "raad-oversigt".into(),
            style: BlockStyle::Plain,
            heading: labels.advice_reference.clone(),
            pieces: vec![Piece::List(advice)],
        });
    }
    let title = format!(
        "{}: {}",
        labels.therapist_title,
        markup::plain(content.guideline.meta.title.get(region, variant))
    );
    Ok(frame(content, clinic, choices, fields, title, blocks))
}
