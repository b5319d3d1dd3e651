//! The ids a therapist chooses (`--advice`) or leaves out (`--omit`): checked against the
//! content for the region and variant, matched without case, and refused with the reason and
//! the ids that can be used.

use std::collections::BTreeSet;

use super::Choices;
use crate::content::{
    Audience, Block as ContentBlock, BlockKind, Content, Element, Region, Scoped, Variant,
};
use crate::error::Error;
use crate::field::Field;

/// The advice ids of a region and variant, in document order.
pub fn advice_ids(content: &Content, region: Region, variant: Variant) -> Vec<&str> {
    let mut ids = Vec::new();
    for block in content
        .patient_blocks(region)
        .filter(|b| b.variants.contains(&variant))
    {
        for element in &block.body {
            if let Element::Advice(list) = element {
                if list.audience.unwrap_or(block.audience) != Audience::Patient
                    || !list.applies(region, variant)
                {
                    continue;
                }
                ids.extend(
                    list.items
                        .iter()
                        .filter(|i| i.applies(region, variant))
                        .filter_map(|i| i.id.as_deref()),
                );
            }
        }
    }
    ids
}

/// Checks `--advice` and `--omit` ids; returns the chosen advice and the omitted ids.
pub(super) fn check_ids<'c>(
    content: &'c Content,
    choices: &'c Choices,
) -> Result<(Option<BTreeSet<&'c str>>, BTreeSet<&'c str>), Error> {
    let Choices {
        region, variant, ..
    } = *choices;
    let valid_advice = advice_ids(content, region, variant);
    let blocks: Vec<&ContentBlock> = content
        .patient_blocks(region)
        .filter(|b| b.variants.contains(&variant))
        .collect();
    let unknown = |id: &str, field: Field, valid: Vec<&str>| {
        let reason = why_not(content, id, region, variant);
        Error::UnknownId {
            field,
            // Quoted back as given, but never with a character the terminal would not show.
            id: crate::chars::shown(id),
            reason,
            valid: valid.into_iter().map(String::from).collect(),
        }
    };

    // Ids are ASCII; "Tag-Ansvar" from a spreadsheet cell means tag-ansvar.
    let canonical = |id: &str, among: &[&'c str]| {
        among
            .iter()
            .copied()
            .find(|v| v.eq_ignore_ascii_case(id.trim()))
    };
    let chosen = match &choices.advice {
        None => None,
        Some(ids) if ids.iter().all(|id| id.trim().is_empty()) => {
            return Err(Error::NoAdviceChosen);
        }
        Some(ids) => {
            let mut set = BTreeSet::new();
            for id in ids.iter().filter(|id| !id.trim().is_empty()) {
                match canonical(id, &valid_advice) {
                    Some(id) => set.insert(id),
                    None => return Err(unknown(id, Field::Advice, valid_advice.clone())),
                };
            }
            Some(set)
        }
    };
    let block_ids: Vec<&'c str> = blocks.iter().map(|b| b.id.as_str()).collect();
    let mut omitted = BTreeSet::new();
    for id in choices.omit.iter().filter(|id| !id.trim().is_empty()) {
        let id = if let Some(block) = canonical(id, &block_ids) {
            if blocks
                .iter()
                .any(|b| b.id == block && b.kind == BlockKind::RedFlags)
            {
                return Err(Error::RedFlagsRequired { id: block.into() });
            }
            block
        } else if let Some(advice) = canonical(id, &valid_advice) {
            advice
        } else {
            let mut valid: Vec<&str> = blocks
                .iter()
                .filter(|b| b.kind != BlockKind::RedFlags)
                .map(|b| b.id.as_str())
                .collect();
            valid.extend(valid_advice.iter().copied());
            return Err(unknown(id, Field::Omit, valid));
        };
        if chosen.as_ref().is_some_and(|c| c.contains(id)) {
            return Err(Error::ChosenAndOmitted { id: id.into() });
        }
        omitted.insert(id);
    }
    // Chosen advice must not vanish with a section left out around it.
    if let Some(chosen) = &chosen {
        for block in &blocks {
            if !omitted.contains(block.id.as_str()) {
                continue;
            }
            for element in &block.body {
                if let Element::Advice(list) = element
                    && let Some(id) = list
                        .items
                        .iter()
                        .filter_map(|i| i.id.as_deref())
                        .find(|id| chosen.contains(id))
                {
                    return Err(Error::ChosenInOmitted {
                        id: id.into(),
                        block: block.id.clone(),
                    });
                }
            }
        }
    }
    Ok((chosen, omitted))
}

/// Why an id cannot be used for this region and variant.
fn why_not(content: &Content, id: &str, region: Region, variant: Variant) -> String {
    // Ids are matched without case, as the selection matches them.
    let same = |known: &str| known.eq_ignore_ascii_case(id.trim());
    for block in &content.guideline.blocks {
        let found = |regions: &[Region], variants: &[Variant], audience: Audience| {
            if audience == Audience::Therapist {
                "is therapist-only text, never part of a patient handout".to_string()
            } else if !regions.contains(&region) {
                format!(
                    "is not valid for {region} (only for {})",
                    regions
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else if !variants.contains(&variant) {
                format!(
                    "is not part of the {} version",
                    if variant == Variant::Short {
                        "short"
                    } else {
                        "full"
                    }
                )
            } else {
                "cannot be chosen here".to_string()
            }
        };
        if same(&block.id) {
            return found(&block.regions, &block.variants, block.audience);
        }
        for element in &block.body {
            if let Element::Advice(l) | Element::List(l) = element {
                for item in &l.items {
                    if item.id.as_deref().is_some_and(same) {
                        let regions = item
                            .regions
                            .as_deref()
                            .or(l.regions.as_deref())
                            .unwrap_or(&block.regions);
                        let variants = item
                            .variants
                            .as_deref()
                            .or(l.variants.as_deref())
                            .unwrap_or(&block.variants);
                        let audience = l.audience.unwrap_or(block.audience);
                        return found(regions, variants, audience);
                    }
                }
            }
        }
    }
    "is not known".into()
}
