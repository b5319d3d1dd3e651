//! Flow items to pages: each page takes items until the next would not fit, then breaks
//! before the last item that allows a break there (see the keep flags on [`FlowItem`]).
//! Footnotes take room at the foot of the page of the line that refers to them.

use super::flow::FlowItem;
use super::{ArtifactKind, Item, Page, Positioned, Rect, Role, Style};
use crate::error::Error;

/// Float noise must never move a page break.
pub(super) const FIT_TOLERANCE: f32 = 1e-3;

/// Space between the body and the footnotes, where a short rule separates them.
pub const FOOTNOTE_GAP: f32 = 14.0;

/// The text area of the pages, between the margins, the running header and the footer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Body {
    /// Where the text starts on page 1 (which has no running header).
    pub first_top: f32,
    /// Where it starts on later pages, under the running header.
    pub later_top: f32,
    /// Where it ends, footnotes included, above the footer.
    pub bottom: f32,
}

impl Body {
    /// Where the text starts on page `index` (0-based).
    pub fn top(&self, index: usize) -> f32 {
        if index == 0 {
            self.first_top
        } else {
            self.later_top
        }
    }

    /// Height of the text area of page `index`.
    pub fn height(&self, index: usize) -> f32 {
        self.bottom - self.top(index)
    }
}

/// Per page, each item's top y and index.
pub type Pages = Vec<Vec<(f32, usize)>>;

/// A page that ends `by` points above the foot of its text area, so that what follows moves
/// to the next page (see `economy`).
#[derive(Debug, Clone, Copy)]
pub struct EarlyEnd {
    /// The page, 0-based.
    pub page: usize,
    /// How far above the foot it ends.
    pub by: f32,
}

/// Distributes items over pages. Footnotes take room at the foot of the page of the item that
/// refers to them.
pub fn paginate(items: &[FlowItem], body: &Body, early: Option<EarlyEnd>) -> Result<Pages, Error> {
    let mut pages = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let top = body.top(pages.len());
        let bottom = match early {
            Some(e) if e.page == pages.len() => body.bottom - e.by,
            _ => body.bottom,
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
                            field: items[start].field,
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

/// Height a page's content takes: its items from the top of the text area down, and its
/// footnotes with the gap above them.
pub fn used(items: &[FlowItem], body: &Body, page: &[(f32, usize)], index: usize) -> f32 {
    let flow = page
        .last()
        .map_or(0.0, |&(y, i)| y + items[i].height - body.top(index));
    let notes: f32 = page.iter().map(|&(_, i)| items[i].footnote_height()).sum();
    flow + if notes > 0.0 {
        notes + FOOTNOTE_GAP
    } else {
        0.0
    }
}

/// Sets a page's footnotes at the foot of its body, under a short rule; each note is painted
/// at its index into the page's items (the rule with the first).
pub(super) fn place_footnotes(
    page: &mut Page,
    notes: &[(usize, &FlowItem)],
    bottom: f32,
    style: &Style,
) {
    let Some(&(first_at, _)) = notes.first() else {
        return;
    };
    let height: f32 = notes.iter().map(|(_, n)| n.height + n.space_before).sum();
    let mut y = bottom - height;
    let rule = Positioned {
        x: style.margin_x,
        y: y - FOOTNOTE_GAP / 2.0,
        item: Item::Rect(Rect {
            width: style.text_width() / 3.0,
            height: 0.5,
            fill: Some(style.muted_color),
            stroke: None,
        }),
        role: Role::Artifact(ArtifactKind::Decoration),
    };
    let mut placed: Vec<(usize, Vec<Positioned>)> = vec![(first_at, vec![rule])];
    for &(at, note) in notes {
        y += note.space_before;
        placed.push((
            at,
            note.placed
                .iter()
                .map(|p| Positioned {
                    y: p.y + y,
                    ..p.clone()
                })
                .collect(),
        ));
        y += note.height;
    }
    // From the last place back, so earlier places stay where they are.
    for (at, items) in placed.into_iter().rev() {
        page.items.splice(at..at, items);
    }
}
