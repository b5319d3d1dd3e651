//! The tag tree: layout's structure nodes as krilla tag groups, with each node's content
//! identifiers in drawing order (which is reading order).

use krilla::tagging::{Identifier, ListNumbering, Tag, TagGroup, TagKind};
use pdf_writer::types::StructRole;

use super::level;
use crate::layout::{Document, NodeId, NodeKind};

/// A content identifier and its place in the handout's drawing order.
pub type Leaf = (usize, Identifier);

/// The top-level groups of a handout; `leaves[n]` holds the identifiers of node `n`'s content.
pub fn groups(doc: &Document, mut leaves: Vec<Vec<Leaf>>) -> Vec<TagGroup> {
    doc.roots
        .iter()
        .filter_map(|&root| group(doc, root, &mut leaves).map(|(_, g)| g))
        .collect()
}

fn kind(k: &NodeKind) -> TagKind {
    match k {
        NodeKind::Section { .. } => Tag::Section.into(),
        NodeKind::Heading { level: l, title } => Tag::Hn(level(*l), Some(title.clone())).into(),
        NodeKind::Paragraph => Tag::P.into(),
        NodeKind::List => Tag::L(ListNumbering::Disc).into(),
        NodeKind::NumberedList => Tag::L(ListNumbering::Decimal).into(),
        NodeKind::ListItem => Tag::LI.into(),
        NodeKind::Label => Tag::Lbl.into(),
        NodeKind::ListBody => Tag::LBody.into(),
        NodeKind::BlankBody { spoken } => Tag::LBody.with_actual_text(Some(spoken.clone())).into(),
        NodeKind::BlankLine { spoken } => Tag::P.with_actual_text(Some(spoken.clone())).into(),
        // Not a PDF 1.7 type: krilla writes it role-mapped to Span.
        NodeKind::Strong => Tag::Strong.into(),
        NodeKind::Span => Tag::Span.into(),
        NodeKind::Figure { alt } => Tag::Figure(Some(alt.clone())).into(),
        NodeKind::Link { .. } => Tag::Link.into(),
        NodeKind::Note => Tag::Note.into(),
    }
}

/// A node's structure type as the streaming writer ([`super::stream`]) writes it: the same
/// types as [`kind`] gives krilla, kept beside it so the two renderers tag alike. Its
/// attributes (heading title, alt text, list numbering, spoken text, note id) are written
/// there too. `None` for `Strong`, which PDF 1.7 lacks: written by its own name and mapped
/// to `Span` in the role map ([`ROLE_MAP`]), as krilla does.
pub(crate) fn struct_role(k: &NodeKind) -> Option<StructRole> {
    Some(match k {
        NodeKind::Section { .. } => StructRole::Sect,
        NodeKind::Heading { level: l, .. } => match level(*l).get() {
            1 => StructRole::H1,
            2 => StructRole::H2,
            3 => StructRole::H3,
            4 => StructRole::H4,
            5 => StructRole::H5,
            _ => StructRole::H6,
        },
        NodeKind::Paragraph | NodeKind::BlankLine { .. } => StructRole::P,
        NodeKind::List | NodeKind::NumberedList => StructRole::L,
        NodeKind::ListItem => StructRole::LI,
        NodeKind::Label => StructRole::Lbl,
        NodeKind::ListBody | NodeKind::BlankBody { .. } => StructRole::LBody,
        NodeKind::Strong => return None,
        NodeKind::Span => StructRole::Span,
        NodeKind::Figure { .. } => StructRole::Figure,
        NodeKind::Link { .. } => StructRole::Link,
        NodeKind::Note => StructRole::Note,
    })
}

/// The role map of the streaming writer's structure tree: PDF 2.0's `Strong` as PDF 1.7's
/// `Span` (krilla writes the same).
pub(crate) const ROLE_MAP: [(&[u8], StructRole); 1] = [(b"Strong", StructRole::Span)];

/// The list numbering of a node that is a list (krilla's and the streaming writer's).
pub(crate) fn list_numbering(k: &NodeKind) -> Option<pdf_writer::types::ListNumbering> {
    use pdf_writer::types::ListNumbering as N;
    match k {
        NodeKind::List => Some(N::Disc),
        NodeKind::NumberedList => Some(N::Decimal),
        _ => None,
    }
}

/// A structure element's kid: a piece of its own content, or a child element.
pub(crate) enum Kid<L, C> {
    Own(L),
    Child(C),
}

/// Where a node's own content goes among its children: each piece before the first child
/// that was drawn after it. A paragraph with bold words reads "text, Strong, text"; a node
/// with no content of its own keeps its children's order (footnotes last in their section).
pub(crate) fn interleave<L, C>(
    own: impl IntoIterator<Item = (usize, L)>,
    children: impl IntoIterator<Item = (Option<usize>, C)>,
) -> Vec<Kid<L, C>> {
    let mut own = own.into_iter().peekable();
    let mut out = Vec::new();
    for (first, child) in children {
        if let Some(first) = first {
            while let Some((_, leaf)) = own.next_if(|(seq, _)| *seq < first) {
                out.push(Kid::Own(leaf));
            }
        }
        out.push(Kid::Child(child));
    }
    out.extend(own.map(|(_, leaf)| Kid::Own(leaf)));
    out
}

/// A node's group and the drawing-order place of its first content, or `None` when it has
/// nothing (krilla drops empty groups anyway).
fn group(
    doc: &Document,
    id: NodeId,
    leaves: &mut [Vec<Leaf>],
) -> Option<(Option<usize>, TagGroup)> {
    let node = &doc.nodes[id];
    let own = std::mem::take(&mut leaves[id]);
    let children: Vec<(Option<usize>, TagGroup)> = node
        .children
        .iter()
        .filter_map(|&child| group(doc, child, leaves))
        .collect();
    let first = own
        .first()
        .map(|l| l.0)
        .into_iter()
        .chain(children.iter().filter_map(|c| c.0))
        .min();
    let mut g = TagGroup::new(kind(&node.kind));
    for piece in interleave(own, children) {
        match piece {
            Kid::Own(leaf) => g.push(leaf),
            Kid::Child(child) => g.push(child),
        }
    }
    (!g.children.is_empty()).then_some((first, g))
}
