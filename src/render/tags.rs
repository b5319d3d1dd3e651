//! The structure types of layout's nodes, and the order of a structure element's kids: its
//! own content (marked-content ids, link annotations) and its children, in reading order.

use pdf_writer::types::StructRole;

use crate::layout::NodeKind;

/// A node's structure type as the writer ([`super::stream`]) writes it; its attributes
/// (heading title, alt text, list numbering, spoken text, note id) are written there.
/// `None` for `Strong`, which PDF 1.7 lacks: written by its own name and mapped to `Span` in
/// the role map ([`ROLE_MAP`]).
pub(crate) fn struct_role(k: &NodeKind) -> Option<StructRole> {
    Some(match k {
        NodeKind::Section { .. } => StructRole::Sect,
        NodeKind::Heading { level: l, .. } => match (*l).max(1) {
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

/// The role map of the structure tree: PDF 2.0's `Strong` as PDF 1.7's `Span`.
pub(crate) const ROLE_MAP: [(&[u8], StructRole); 1] = [(b"Strong", StructRole::Span)];

/// The list numbering of a node that is a list.
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
