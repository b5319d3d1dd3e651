//! Page economy: a last page holds at least a quarter of its text area (issue 11: a page of
//! two to four lines costs a sheet and reads as left over).
//!
//! The handout is first laid out in its own style. When its last page holds too little, it is
//! laid out again with bounded tightening, the least first: the space between paragraphs,
//! list items and sections, then the body's leading. The first attempt whose last page is full
//! enough is taken. When none is, the attempt with the fewest pages is balanced: the page
//! before the last ends early, so more moves onto the last page. The same tightening is tried
//! when the handout does not fit at all in its own style (in large print, a clinic's logo and
//! contact lines can leave page 1 a little short of the red-flag box).
//!
//! The limits, and why:
//! - Spacing shrinks to no less than 60 % ([`MIN_SPACING`]): paragraphs stay 0.3 em apart and
//!   list items 0.2 em, still a visible gap on a ragged-right page, and a heading keeps at least
//!   80 % of its space above it, so sections stay easy to find.
//! - Leading never goes below 1.25 times the size ([`MIN_LEADING`]): inside the 1.15-1.5 range
//!   of content-notes §5 and only 4 % under the normal 1.3, which a reader does not notice;
//!   tighter, the lines of a paragraph crowd for readers with low vision.
//! - Balancing never ends the page before the last more than halfway down its text area.

use super::paginate::{EarlyEnd, Pages, used};
use super::style::Style;
use super::{LineCache, Measured, Shaper};
use crate::error::Error;
use crate::handout::Handout;

/// The least share of its text area a last page may hold.
pub const MIN_LAST_PAGE: f32 = 0.25;
/// The tightest spacing, as a share of the style's own.
pub const MIN_SPACING: f32 = 0.6;
/// The tightest body leading, as a multiple of the size.
pub const MIN_LEADING: f32 = 1.25;
/// The largest share of a page before the last that may stay empty before other orders of
/// the personal blocks are tried.
const MAX_GAP: f32 = 0.2;
/// How far an early end moves per try when balancing: a fraction of a line.
const BALANCE_STEP: f32 = 4.0;

/// The handout laid out with the fewest pages whose last page holds enough, within the limits
/// above. When the handout's own style does not fit (the red-flag box off page 1, a kept block
/// taller than a page), the least tightening that fits is taken; when none fits, the error of
/// the handout's own style is returned.
pub(super) fn lay_out(
    handout: &Handout,
    shaper: &mut Shaper,
    lines: &LineCache,
    style: &Style,
) -> Result<(Measured, Pages), Error> {
    let first = lay_out_in_order(handout, shaper, lines, style)?;
    if largest_gap(&first.0, &first.1) <= MAX_GAP {
        return Ok(first);
    }
    // A page ends early when a kept-together personal block (the ladder with its text, the
    // QR code) does not fit under what precedes it: another order of those blocks may fill
    // it. The order with the fewest pages and then the smallest gap is taken.
    let mut best = first;
    for order in personal_orders(handout) {
        let Ok(tried) = lay_out_in_order(&order, shaper, lines, style) else {
            continue;
        };
        let key = |m: &(Measured, Pages)| (m.1.len(), largest_gap(&m.0, &m.1));
        if key(&tried) < key(&best) {
            best = tried;
        }
    }
    Ok(best)
}

/// The largest share of its text area a page before the last leaves empty.
fn largest_gap(m: &Measured, pages: &Pages) -> f32 {
    let n = pages.len();
    (0..n.saturating_sub(1))
        .map(|i| 1.0 - used(&m.built.items, &m.body, &pages[i], i) / m.body.height(i))
        .fold(0.0, f32::max)
}

/// The handout with its personal blocks (goals, ladder, QR code) in each other order; the
/// guideline's blocks, the note and the clinic's contact (last) stay where they are.
fn personal_orders(handout: &Handout) -> Vec<Handout> {
    use crate::field::Field;
    let movable = |f: Option<Field>| matches!(f, Some(Field::Goals | Field::Steps | Field::Qr));
    let Some(at) = handout.blocks.iter().position(|b| movable(b.field)) else {
        return Vec::new();
    };
    let len = handout.blocks[at..]
        .iter()
        .take_while(|b| movable(b.field))
        .count();
    let mut out = Vec::new();
    let mut order: Vec<usize> = (0..len).collect();
    // Every permutation but the handout's own (at most 3! = 6 orders).
    while next_permutation(&mut order) {
        let mut h = handout.clone();
        for (k, &from) in order.iter().enumerate() {
            h.blocks[at + k] = handout.blocks[at + from].clone();
        }
        out.push(h);
    }
    out
}

/// The next order of `v` in lexicographic order; false after the last.
fn next_permutation(v: &mut [usize]) -> bool {
    let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else {
        return false;
    };
    let j = (i..v.len())
        .rev()
        .find(|&j| v[j] > v[i - 1])
        .expect("v[i] is one");
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

/// [`lay_out`] with the blocks in the handout's order.
fn lay_out_in_order(
    handout: &Handout,
    shaper: &mut Shaper,
    lines: &LineCache,
    style: &Style,
) -> Result<(Measured, Pages), Error> {
    let mut styles = tightened(style).into_iter();
    let mut best = match attempt(handout, shaper, lines, style.clone()) {
        Ok(fits) => fits,
        Err(e) => styles
            .by_ref()
            .find_map(|s| attempt(handout, shaper, lines, s).ok())
            .ok_or(e)?,
    };
    if fills_last_page(&best.0, &best.1) {
        return Ok(best);
    }
    for tight in styles {
        let Ok((measured, pages)) = attempt(handout, shaper, lines, tight) else {
            continue;
        };
        if pages.len() > best.1.len() {
            continue;
        }
        if fills_last_page(&measured, &pages) {
            return Ok((measured, pages));
        }
        if pages.len() < best.1.len() {
            best = (measured, pages);
        }
    }
    if let Some(pages) = balance(&best.0, &best.1) {
        best.1 = pages;
    }
    Ok(best)
}

/// The handout measured in `style` and paginated, with its red-flag box on page 1.
fn attempt(
    handout: &Handout,
    shaper: &mut Shaper,
    lines: &LineCache,
    style: Style,
) -> Result<(Measured, Pages), Error> {
    let measured = Measured::new(handout, shaper, lines, style)?;
    measured.check_red_flags(None)?;
    let pages = measured.paginate(None)?;
    measured.check_red_flags(Some(&pages))?;
    Ok((measured, pages))
}

/// Whether the last page holds at least [`MIN_LAST_PAGE`] of its text area (a single page
/// holds what the handout has).
pub(super) fn fills_last_page(m: &Measured, pages: &Pages) -> bool {
    let last = pages.len() - 1;
    last == 0
        || used(&m.built.items, &m.body, &pages[last], last) >= MIN_LAST_PAGE * m.body.height(last)
}

/// The style's tighter versions, least tight first.
fn tightened(style: &Style) -> Vec<Style> {
    let normal_leading = style.body.leading / style.body.size;
    [
        (0.8, normal_leading),
        (MIN_SPACING, normal_leading),
        (MIN_SPACING, MIN_LEADING),
    ]
    .into_iter()
    .map(|(spacing, leading)| {
        let mut s = style.clone();
        s.paragraph_space *= spacing;
        s.item_space *= spacing;
        s.heading_gap *= spacing;
        // Headings mark the sections: their space shrinks half as much.
        s.heading_space *= (1.0 + spacing) / 2.0;
        s.body.leading = s.body.size * leading.min(normal_leading);
        s
    })
    .collect()
}

/// Ends the page before the last early, a little more each try, until the last page holds
/// enough; `None` when that would take more than half of that page, add a page, or move the
/// red-flag box.
fn balance(m: &Measured, pages: &Pages) -> Option<Pages> {
    let n = pages.len();
    if n < 2 {
        return None;
    }
    let page = n - 2;
    let mut by = BALANCE_STEP;
    while by <= m.body.height(page) / 2.0 {
        let tried = m.paginate(Some(EarlyEnd { page, by })).ok()?;
        if tried.len() != n || m.check_red_flags(Some(&tried)).is_err() {
            return None;
        }
        if fills_last_page(m, &tried) {
            return Some(tried);
        }
        by += BALANCE_STEP;
    }
    None
}
