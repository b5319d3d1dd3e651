//! The red-flag box of one document, built apart from the other blocks so that it comes first
//! whatever the content's block order. It is also the second line of defence: validation
//! proves every document's box holds warning signs and a call, and this refuses a document
//! whose box would not, should content ever reach selection unvalidated.

use super::render;
use crate::content::{Audience, Content, RedFlagPart, Region, Variant, document_name, markup};
use crate::error::Error;
use crate::handout::{Block, BlockStyle, Rich};
use crate::out_of_hours::CareRegion;

/// The red-flag box for a region, variant and audience; `call` is the clinic's out-of-hours
/// service, `rich` turns markup into text as the document sets it.
pub(super) fn red_flag_box(
    content: &Content,
    region: Region,
    variant: Variant,
    audience: Audience,
    call: Option<&CareRegion>,
    rich: fn(&str) -> Rich,
) -> Result<Block, Error> {
    let refuse = |problem: String| Error::RedFlagsIncomplete {
        document: document_name(region, variant, audience),
        problem,
    };
    let blocks: Vec<_> = content.guideline.red_flag_blocks(region).collect();
    let block = match blocks[..] {
        [one] => one,
        [] => return Err(refuse(format!("no red_flags block covers {region}"))),
        _ => {
            let ids: Vec<&str> = blocks.iter().map(|b| b.id.as_str()).collect();
            return Err(refuse(format!(
                "{} red_flags blocks cover {region} ({}); there must be one",
                ids.len(),
                ids.join(", ")
            )));
        }
    };
    let shown = block.shown(region, variant, audience);
    if shown.is_empty() {
        return Err(refuse(format!(
            "the red-flag block '{}' is not part of it (check its audience, regions and variants)",
            block.id
        )));
    }
    if let Some(part) = RedFlagPart::ALL.into_iter().find(|p| !p.is_in(&shown)) {
        return Err(refuse(format!(
            "its red-flag box '{}' has no {}",
            block.id,
            part.name()
        )));
    }
    let pieces = shown
        .iter()
        .flat_map(|s| render(s, &s.items, region, variant, call, content, rich))
        .collect();
    Ok(Block {
        id: block.id.clone(),
        field: None,
        style: BlockStyle::Alert,
        heading: markup::plain(block.heading.get(region, variant)),
        pieces,
    })
}

#[cfg(test)]
mod tests {
    //! Content is edited after validation here, as a bug or a hand-made `Content` could: the
    //! selection must refuse it on its own.

    use super::super::{Choices, select};
    use super::*;
    use crate::content::{BlockKind, Element};
    use crate::handout::Piece;

    fn content() -> Content {
        Content::embedded().unwrap()
    }

    fn red_flag_block(c: &mut Content) -> &mut crate::content::Block {
        c.guideline
            .blocks
            .iter_mut()
            .find(|b| b.kind == BlockKind::RedFlags)
            .unwrap()
    }

    /// The shipped content with `edit` applied to each sign list of its red-flag box.
    fn with_sign_lists(mut edit: impl FnMut(&mut crate::content::List)) -> Content {
        let mut c = content();
        for e in &mut red_flag_block(&mut c).body {
            if let Element::List(l) = e {
                edit(l);
            }
        }
        c
    }

    /// Every region × variant × audience, with the selection's result.
    fn every_document(c: &Content) -> Vec<(String, Result<super::super::Handout, Error>)> {
        let mut out = Vec::new();
        for region in Region::ALL {
            for variant in Variant::ALL {
                for audience in Audience::ALL {
                    let mut choices = Choices::new(region, jiff::civil::date(2026, 11, 26));
                    choices.variant = variant;
                    choices.audience = audience;
                    out.push((
                        document_name(region, variant, audience),
                        select(c, None, &choices),
                    ));
                }
            }
        }
        out
    }

    #[test]
    fn the_shipped_box_is_first_with_signs_and_call_in_every_document() {
        let c = content();
        for (document, handout) in every_document(&c) {
            let handout = handout.unwrap();
            let first = &handout.blocks[0];
            assert_eq!(first.style, BlockStyle::Alert, "{document}");
            assert!(
                first
                    .pieces
                    .iter()
                    .any(|p| matches!(p, Piece::List(items) if !items.is_empty())),
                "{document}: no signs"
            );
            assert_eq!(
                handout
                    .blocks
                    .iter()
                    .filter(|b| b.style == BlockStyle::Alert)
                    .count(),
                1,
                "{document}"
            );
        }
    }

    #[test]
    fn a_therapist_only_sign_list_is_refused_for_the_handout() {
        let c = with_sign_lists(|l| l.audience = Some(Audience::Therapist));
        for (document, result) in every_document(&c) {
            if document.ends_with("therapist's guide") {
                // The guide shows the box whole.
                result.unwrap();
                continue;
            }
            let e = result.unwrap_err();
            assert!(matches!(e, Error::RedFlagsIncomplete { .. }), "{e:?}");
            assert_eq!(
                e.to_string(),
                format!(
                    "{document} cannot be made: its red-flag box 'roede-flag' has no warning signs; every handout must show the warning signs and whom to call"
                )
            );
        }
    }

    #[test]
    fn signs_only_in_the_full_version_are_refused_for_the_short_one() {
        let c = with_sign_lists(|l| {
            for item in &mut l.items {
                item.variants = Some(vec![Variant::Full]);
            }
        });
        for (document, result) in every_document(&c) {
            assert_eq!(
                result.is_err(),
                document.starts_with("the short"),
                "{document}"
            );
        }
    }

    #[test]
    fn a_box_without_its_call_is_refused() {
        let mut c = content();
        red_flag_block(&mut c)
            .body
            .retain(|e| !matches!(e, Element::Call(_)));
        for (document, result) in every_document(&c) {
            let e = result.unwrap_err().to_string();
            assert!(
                e.contains("'roede-flag' has no call (whom to contact)"),
                "{document}: {e}"
            );
        }
    }

    #[test]
    fn no_box_and_two_boxes_are_refused() {
        let mut c = content();
        red_flag_block(&mut c).kind = BlockKind::Section;
        for (document, result) in every_document(&c) {
            let e = result.unwrap_err().to_string();
            assert!(e.contains("no red_flags block covers"), "{document}: {e}");
        }

        let mut c = content();
        let mut second = red_flag_block(&mut c).clone();
        second.id = "roede-flag-2".into();
        c.guideline.blocks.push(second);
        for (document, result) in every_document(&c) {
            let e = result.unwrap_err().to_string();
            assert!(
                e.contains("2 red_flags blocks cover") && e.contains("roede-flag, roede-flag-2"),
                "{document}: {e}"
            );
        }
    }

    #[test]
    fn a_box_for_the_therapist_only_is_refused_for_the_handout() {
        let mut c = content();
        red_flag_block(&mut c).audience = Audience::Therapist;
        let mut choices = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
        choices.variant = Variant::Short;
        let e = select(&c, None, &choices).unwrap_err().to_string();
        assert_eq!(
            e,
            "the short lumbar handout cannot be made: the red-flag block 'roede-flag' is not part of it (check its audience, regions and variants); every handout must show the warning signs and whom to call"
        );
    }

    #[test]
    fn the_box_comes_first_whatever_the_block_order() {
        let mut c = content();
        let i = c
            .guideline
            .blocks
            .iter()
            .position(|b| b.kind == BlockKind::RedFlags)
            .unwrap();
        let block = c.guideline.blocks.remove(i);
        c.guideline.blocks.push(block);
        for (document, handout) in every_document(&c) {
            let h = handout.unwrap();
            assert_eq!(h.blocks[0].id, "roede-flag", "{document}");
            assert!(h.blocks[1..].iter().all(|b| b.style != BlockStyle::Alert));
        }
        // The personal note follows the box, not the content's first block.
        let mut choices = Choices::new(Region::Cervical, jiff::civil::date(2026, 11, 26));
        choices.note = Some("Husk øvelserne".into());
        let h = select(&c, None, &choices).unwrap();
        let order: Vec<BlockStyle> = h.blocks.iter().take(2).map(|b| b.style).collect();
        assert_eq!(order, [BlockStyle::Alert, BlockStyle::Note]);
    }
}
