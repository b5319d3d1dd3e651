//! The tag tree: layout's structure nodes as krilla tag groups, with each node's content
//! identifiers in drawing order (which is reading order).

use krilla::tagging::{Identifier, ListNumbering, Tag, TagGroup, TagKind};
use pdf_writer::types::StructRole;

use super::level;
use crate::layout::{Document, NodeId, NodeKind};

/// The top-level groups of a handout; `leaves[n]` holds the identifiers of node `n`'s content.
pub fn groups(doc: &Document, mut leaves: Vec<Vec<Identifier>>) -> Vec<TagGroup> {
    doc.roots
        .iter()
        .filter_map(|&root| group(doc, root, &mut leaves))
        .collect()
}

fn kind(k: &NodeKind) -> TagKind {
    match k {
        NodeKind::Section { .. } => Tag::Section.into(),
        NodeKind::Heading { level: l, title } => Tag::Hn(level(*l), Some(title.clone())).into(),
        NodeKind::Paragraph => Tag::P.into(),
        NodeKind::List => Tag::L(ListNumbering::Disc).into(),
        NodeKind::ListItem => Tag::LI.into(),
        NodeKind::Label => Tag::Lbl.into(),
        NodeKind::ListBody => Tag::LBody.into(),
        NodeKind::Figure { alt } => Tag::Figure(Some(alt.clone())).into(),
        NodeKind::Link { .. } => Tag::Link.into(),
        NodeKind::Note => Tag::Note.into(),
    }
}

/// A node's structure type as the streaming writer ([`super::stream`]) writes it: the same
/// types as [`kind`] gives krilla, kept beside it so the two renderers tag alike. Its
/// attributes (heading title, alt text, list numbering, note id) are written there too.
pub(crate) fn struct_role(k: &NodeKind) -> StructRole {
    match k {
        NodeKind::Section { .. } => StructRole::Sect,
        NodeKind::Heading { level: l, .. } => match level(*l).get() {
            1 => StructRole::H1,
            2 => StructRole::H2,
            3 => StructRole::H3,
            4 => StructRole::H4,
            5 => StructRole::H5,
            _ => StructRole::H6,
        },
        NodeKind::Paragraph => StructRole::P,
        NodeKind::List => StructRole::L,
        NodeKind::ListItem => StructRole::LI,
        NodeKind::Label => StructRole::Lbl,
        NodeKind::ListBody => StructRole::LBody,
        NodeKind::Figure { .. } => StructRole::Figure,
        NodeKind::Link { .. } => StructRole::Link,
        NodeKind::Note => StructRole::Note,
    }
}

/// A node's group, or `None` when it has nothing (krilla drops empty groups anyway).
fn group(doc: &Document, id: NodeId, leaves: &mut [Vec<Identifier>]) -> Option<TagGroup> {
    let node = &doc.nodes[id];
    let mut g = TagGroup::new(kind(&node.kind));
    for leaf in std::mem::take(&mut leaves[id]) {
        g.push(leaf);
    }
    for &child in &node.children {
        if let Some(c) = group(doc, child, leaves) {
            g.push(c);
        }
    }
    (!g.children.is_empty()).then_some(g)
}
