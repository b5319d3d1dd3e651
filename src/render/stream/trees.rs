//! The file's balanced trees, so no viewer meets an array of 400 000 pages: no node has more
//! than [`FANOUT`] entries. Number trees whose keys come in order while handouts stream (the
//! parent tree, page labels) write each leaf as it fills ([`NumberTreeWriter`]); the page
//! tree and the levels above leaves are written at the end, from a reference a leaf.

use std::io;

use pdf_writer::{Array, Finish, Name, Ref, Str};

use super::objects::ObjectWriter;

/// Most children or entries of one node.
pub(super) const FANOUT: usize = 128;

/// A key of a number tree (an integer) or a name tree (a string).
pub(super) trait TreeKey: Clone {
    fn write(&self, array: &mut Array);
}

impl TreeKey for i32 {
    fn write(&self, array: &mut Array) {
        array.item(*self);
    }
}

impl TreeKey for String {
    fn write(&self, array: &mut Array) {
        array.item(Str(self.as_bytes()));
    }
}

/// A value of a tree, written after its key.
pub(super) trait TreeValue {
    fn write(&self, array: &mut Array);
}

impl TreeValue for Ref {
    fn write(&self, array: &mut Array) {
        array.item(*self);
    }
}

/// A leaf written: its reference and first and last keys.
type Leaf<K> = (Ref, K, K);

/// Writes a leaf of `entries`, in key order.
fn write_leaf<K: TreeKey, V: TreeValue>(
    w: &mut ObjectWriter,
    kind: &[u8],
    entries: &[(K, V)],
) -> io::Result<Leaf<K>> {
    let id = w.alloc();
    let (first, last) = (&entries[0].0, &entries[entries.len() - 1].0);
    w.packed(|c| {
        let mut dict = c.indirect(id).dict();
        write_limits(&mut dict, first, last);
        let mut array = dict.insert(Name(kind)).array();
        for (k, v) in entries {
            k.write(&mut array);
            v.write(&mut array);
        }
    })?;
    Ok((id, first.clone(), last.clone()))
}

/// Writes the nodes above `leaves` (intermediate levels of at most [`FANOUT`] kids) and the
/// root; returns the root.
fn write_levels<K: TreeKey>(w: &mut ObjectWriter, mut level: Vec<Leaf<K>>) -> io::Result<Ref> {
    while level.len() > FANOUT {
        let mut up = Vec::with_capacity(level.len().div_ceil(FANOUT));
        for kids in level.chunks(FANOUT) {
            let id = w.alloc();
            let (first, last) = (&kids[0].1, &kids[kids.len() - 1].2);
            w.packed(|c| {
                let mut dict = c.indirect(id).dict();
                write_limits(&mut dict, first, last);
                dict.insert(Name(b"Kids"))
                    .array()
                    .items(kids.iter().map(|k| k.0));
            })?;
            up.push((id, first.clone(), last.clone()));
        }
        level = up;
    }
    let root = w.alloc();
    w.packed(|c| {
        c.indirect(root)
            .dict()
            .insert(Name(b"Kids"))
            .array()
            .items(level.iter().map(|k| k.0));
    })?;
    Ok(root)
}

/// Writes a number tree (`kind` is `Nums`) or name tree (`Names`) of `entries`, in key order.
pub(super) fn write_tree<K: TreeKey, V: TreeValue>(
    w: &mut ObjectWriter,
    kind: &[u8],
    entries: &[(K, V)],
) -> io::Result<Ref> {
    let mut leaves = Vec::new();
    for chunk in entries.chunks(FANOUT) {
        leaves.push(write_leaf(w, kind, chunk)?);
    }
    write_levels(w, leaves)
}

/// A number tree written while its entries come, in key order: a leaf as each fills.
pub(super) struct NumberTreeWriter<V> {
    pending: Vec<(i32, V)>,
    leaves: Vec<Leaf<i32>>,
    next_key: i32,
}

impl<V: TreeValue> NumberTreeWriter<V> {
    pub fn new() -> NumberTreeWriter<V> {
        NumberTreeWriter {
            pending: Vec::with_capacity(FANOUT),
            leaves: Vec::new(),
            next_key: 0,
        }
    }

    /// One more than the last key (the next free key when keys count up from 0).
    pub fn next_key(&self) -> i32 {
        self.next_key
    }

    /// Adds an entry; its key is above every key before.
    pub fn push(&mut self, w: &mut ObjectWriter, key: i32, value: V) -> io::Result<()> {
        debug_assert!(key >= self.next_key, "keys in order");
        self.next_key = key + 1;
        self.pending.push((key, value));
        if self.pending.len() == FANOUT {
            self.leaves.push(write_leaf(w, b"Nums", &self.pending)?);
            self.pending.clear();
        }
        Ok(())
    }

    /// Writes the last leaf and the levels above; returns the root.
    pub fn finish(mut self, w: &mut ObjectWriter) -> io::Result<Ref> {
        if !self.pending.is_empty() {
            self.leaves.push(write_leaf(w, b"Nums", &self.pending)?);
        }
        write_levels(w, self.leaves)
    }
}

fn write_limits<K: TreeKey>(dict: &mut pdf_writer::Dict, first: &K, last: &K) {
    let mut limits = dict.insert(Name(b"Limits")).array();
    first.write(&mut limits);
    last.write(&mut limits);
    limits.finish();
}

/// Writes the page tree over `leaves` (each a node reserved while its pages were written, and
/// those pages); returns its root.
pub(super) fn write_page_tree(w: &mut ObjectWriter, leaves: &[(Ref, Vec<Ref>)]) -> io::Result<Ref> {
    struct Node {
        id: Ref,
        kids: Vec<Ref>,
        count: usize,
    }
    let mut levels: Vec<Vec<Node>> = vec![
        leaves
            .iter()
            .map(|(id, pages)| Node {
                id: *id,
                kids: pages.clone(),
                count: pages.len(),
            })
            .collect(),
    ];
    while levels.last().is_some_and(|l| l.len() > FANOUT) {
        let next = levels
            .last()
            .expect("checked")
            .chunks(FANOUT)
            .map(|kids| Node {
                id: w.alloc(),
                kids: kids.iter().map(|k| k.id).collect(),
                count: kids.iter().map(|k| k.count).sum(),
            })
            .collect();
        levels.push(next);
    }
    let top = levels.last().expect("at least the leaves");
    let root = Node {
        id: w.alloc(),
        kids: top.iter().map(|k| k.id).collect(),
        count: top.iter().map(|k| k.count).sum(),
    };
    let write = |w: &mut ObjectWriter, node: &Node, parent: Option<Ref>| {
        w.packed(|c| {
            let mut pages = c.pages(node.id);
            pages.kids(node.kids.iter().copied());
            pages.count(node.count as i32);
            if let Some(p) = parent {
                pages.parent(p);
            }
        })
    };
    write(w, &root, None)?;
    let mut parents: Vec<Ref> = vec![root.id; levels.last().map_or(0, Vec::len)];
    for level in levels.iter().rev() {
        for (node, &parent) in level.iter().zip(&parents) {
            write(w, node, Some(parent))?;
        }
        // Each node's kids get it as their parent, in order.
        parents = level
            .iter()
            .flat_map(|n| std::iter::repeat_n(n.id, n.kids.len()))
            .collect();
    }
    Ok(root.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::TextStr;
    use pdf_writer::writers::PageLabel;

    /// A file of `pages` empty pages with a page label each, through the trees above.
    fn file_with_pages(pages: usize) -> tempfile::NamedTempFile {
        let out = tempfile::NamedTempFile::new().unwrap();
        let mut w =
            ObjectWriter::new(out.reopen().unwrap(), tempfile::tempfile().unwrap()).unwrap();
        let mut leaves: Vec<(Ref, Vec<Ref>)> = Vec::new();
        for _ in 0..pages {
            if leaves.last().is_none_or(|l| l.1.len() >= FANOUT) {
                leaves.push((w.alloc(), Vec::new()));
            }
            let (leaf, page) = (leaves.last().unwrap().0, w.alloc());
            leaves.last_mut().unwrap().1.push(page);
            w.packed(|c| {
                c.page(page)
                    .parent(leaf)
                    .media_box(pdf_writer::Rect::new(0.0, 0.0, 100.0, 100.0));
            })
            .unwrap();
            w.end_handout().unwrap();
        }
        let root = write_page_tree(&mut w, &leaves).unwrap();
        struct Label(String);
        impl TreeValue for Label {
            fn write(&self, array: &mut Array) {
                array.push().start::<PageLabel>().prefix(TextStr(&self.0));
            }
        }
        let mut labels = NumberTreeWriter::new();
        for i in 0..pages {
            labels
                .push(&mut w, i as i32, Label(format!("p{i}")))
                .unwrap();
        }
        let labels = labels.finish(&mut w).unwrap();
        let catalog = w.alloc();
        w.direct(|c| {
            let mut cat = c.indirect(catalog).start::<pdf_writer::writers::Catalog>();
            cat.pages(root);
            cat.pair(Name(b"PageLabels"), labels);
        })
        .unwrap();
        let info = w.alloc();
        w.direct(|c| {
            c.indirect(info).dict().pair(Name(b"Title"), TextStr("t"));
        })
        .unwrap();
        w.finish(catalog, info, [0; 16]).unwrap();
        out
    }

    fn qpdf(file: &std::path::Path, args: &[&str]) -> String {
        let out = std::process::Command::new("qpdf")
            .args(args)
            .arg(file)
            .output()
            .expect("qpdf runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn trees_of_three_levels_read_back_whole_and_in_order() {
        // 128 × 130 pages: 130 leaves, so an intermediate level under the root.
        let pages = FANOUT * (FANOUT + 2);
        let file = file_with_pages(pages);
        assert_eq!(
            qpdf(file.path(), &["--show-npages"]).trim(),
            pages.to_string()
        );
        let check = qpdf(file.path(), &["--check"]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&qpdf(file.path(), &["--json", "--json-key=pagelabels"])).unwrap();
        let labels = json["pagelabels"].as_array().unwrap();
        assert_eq!(labels.len(), pages);
        for i in [0, FANOUT, pages - 1] {
            assert_eq!(labels[i]["index"], i);
            assert_eq!(labels[i]["label"]["/P"], format!("u:p{i}"));
        }
    }

    #[test]
    fn a_small_tree_is_one_node() {
        let file = file_with_pages(3);
        let json: serde_json::Value =
            serde_json::from_str(&qpdf(file.path(), &["--json", "--json-key=pagelabels"])).unwrap();
        assert_eq!(json["pagelabels"].as_array().unwrap().len(), 3);
        assert_eq!(qpdf(file.path(), &["--show-npages"]).trim(), "3");
    }
}
