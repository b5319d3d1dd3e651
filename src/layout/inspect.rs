//! Reading a laid-out document back the way its tests check it: where an item puts ink, which
//! nodes a section holds and on which pages, the printed lines of the note. Shared by the
//! layout unit tests and `tests/properties.rs` so both check the same geometry; not API.

use std::collections::{BTreeMap, BTreeSet};

use super::{Document, Item, NodeId, NodeKind, Positioned, Role, Shaper, TextRun};
use crate::fonts::Weight;

/// Left, right, top and bottom of what an item puts on the page.
pub fn extent(p: &Positioned) -> (f32, f32, f32, f32) {
    match &p.item {
        Item::Text(t) => (
            p.x,
            p.x + t.width - trailing_space(t),
            // The font's ascender and descender (0.984 and 0.316 em) bound its ink.
            p.y - 0.984 * t.size,
            p.y + 0.316 * t.size,
        ),
        Item::Rect(r) => {
            let half = r.stroke.map_or(0.0, |s| s.1 / 2.0);
            (
                p.x - half,
                p.x + r.width + half,
                p.y - half,
                p.y + r.height + half,
            )
        }
        Item::Image(i) => (p.x, p.x + i.width, p.y, p.y + i.height),
        Item::Qr(q) => {
            let side = q.count as f32 * q.module;
            (p.x, p.x + side, p.y, p.y + side)
        }
        Item::Link(l) => (p.x, p.x + l.width, p.y, p.y + l.height),
        Item::Polygon(poly) => {
            let xs = poly.points.iter().map(|q| p.x + q.0);
            let ys = poly.points.iter().map(|q| p.y + q.1);
            (
                xs.clone().fold(f32::INFINITY, f32::min),
                xs.fold(f32::NEG_INFINITY, f32::max),
                ys.clone().fold(f32::INFINITY, f32::min),
                ys.fold(f32::NEG_INFINITY, f32::max),
            )
        }
    }
}

/// Width of a run's trailing spaces, which are not ink.
pub fn trailing_space(t: &TextRun) -> f32 {
    let visible = t.text.trim_end().len();
    t.glyphs
        .iter()
        .filter(|g| g.range.start >= visible)
        .map(|g| g.advance * t.size)
        .sum()
}

/// A node and all its descendants.
pub fn subtree(doc: &Document, root: NodeId) -> BTreeSet<NodeId> {
    let mut out = BTreeSet::from([root]);
    let mut todo = vec![root];
    while let Some(n) = todo.pop() {
        for &c in &doc.nodes[n].children {
            if out.insert(c) {
                todo.push(c);
            }
        }
    }
    out
}

/// Each node's parent.
pub fn parents(doc: &Document) -> BTreeMap<NodeId, NodeId> {
    let mut out = BTreeMap::new();
    for (n, node) in doc.nodes.iter().enumerate() {
        for &c in &node.children {
            out.insert(c, n);
        }
    }
    out
}

/// Whether node `n` is the note or lies inside it (`parents` from [`parents`]).
pub fn in_note(doc: &Document, parents: &BTreeMap<NodeId, NodeId>, mut n: NodeId) -> bool {
    loop {
        if doc.nodes[n].kind == NodeKind::Note {
            return true;
        }
        match parents.get(&n) {
            Some(&p) => n = p,
            None => return false,
        }
    }
}

/// Pages holding content of `nodes`.
pub fn pages_with(doc: &Document, nodes: &BTreeSet<NodeId>) -> BTreeSet<usize> {
    doc.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.items
                .iter()
                .any(|it| matches!(it.role, Role::Content(n) if nodes.contains(&n)))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The lines of text drawn for the note box's paragraphs (its heading excluded), in order.
pub fn note_lines(doc: &Document) -> Vec<String> {
    let note = (0..doc.nodes.len())
        .find(|&n| matches!(&doc.nodes[n].kind, NodeKind::Section { id, .. } if id == "note"))
        .expect("a note box");
    let text: BTreeSet<NodeId> = subtree(doc, note)
        .into_iter()
        .filter(|&n| doc.nodes[n].kind == NodeKind::Paragraph)
        .collect();
    let mut lines: BTreeMap<(usize, i64), String> = BTreeMap::new();
    for (pi, page) in doc.pages.iter().enumerate() {
        for p in &page.items {
            if let (Role::Content(n), Item::Text(t)) = (p.role, &p.item)
                && text.contains(&n)
            {
                let at = (pi, (p.y * 100.0).round() as i64);
                lines.entry(at).or_default().push_str(&t.text);
            }
        }
    }
    lines.into_values().collect()
}

/// The widest letter of the body font (Æ in Atkinson Hyperlegible Next).
pub fn widest_letter(shaper: &mut Shaper) -> char {
    let letters = ('A'..='Z').chain('a'..='z').chain("ÆØÅæøåÄÖÜäöüÉé".chars());
    letters
        .map(|c| (shaper.shape(Weight::Regular, &c.to_string()).advance, c))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
        .1
}
