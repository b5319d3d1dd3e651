//! The therapist's conversation guide: the guideline's other half. The red-flag box first, then
//! therapist-only blocks and the therapist sentences of patient sections in guideline order,
//! with footnotes and the TAK link, then every piece of patient advice with its id, as a
//! reference for choosing `--advice`.

use super::personal::Fields;
use super::red_flags::red_flag_box;
use super::{Choices, frame, render};
use crate::clinic::Clinic;
use crate::content::markup::{self, Inline};
use crate::content::{Audience, BlockKind, Content, Element};
use crate::error::Error;
use crate::handout::{Block, BlockStyle, Handout, Piece, Rich, Span};

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
    let call = clinic.and_then(|c| c.region.as_ref());
    // The red-flag box belongs in the guide too, first: it is what the therapist must check.
    let mut blocks = vec![red_flag_box(
        content,
        region,
        variant,
        Audience::Therapist,
        call,
        rich,
    )?];
    let mut advice = Vec::new();
    for block in &content.guideline.blocks {
        if block.kind == BlockKind::RedFlags {
            continue;
        }
        let mut pieces = Vec::new();
        for shown in block.shown(region, variant, Audience::Therapist) {
            pieces.extend(render(
                &shown,
                &shown.items,
                region,
                variant,
                call,
                content,
                rich,
            ));
        }
        // The patient's advice, with ids, as a reference for choosing `--advice`.
        for shown in block.shown(region, variant, Audience::Patient) {
            if !matches!(shown.element, Element::Advice(_)) {
                continue;
            }
            for item in &shown.items {
                let Some(id) = &item.id else { continue };
                let mut text = vec![Span::text(format!("{id}: "), true)];
                text.push(Span::text(
                    markup::plain(item.text.get(region, variant)),
                    false,
                ));
                advice.push((None, text));
            }
        }
        if pieces.is_empty() {
            continue;
        }
        // Patient sections keep the guideline's own section name here.
        let heading = if block.audience == Audience::Patient {
            block.guideline_section.clone()
        } else {
            markup::plain(block.heading.get(region, variant))
        };
        blocks.push(Block {
            id: block.id.clone(),
            field: None,
            style: BlockStyle::Plain,
            heading,
            pieces,
        });
    }
    if !advice.is_empty() {
        blocks.push(Block {
            id: "raad-oversigt".into(),
            field: None,
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
