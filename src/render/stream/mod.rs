//! The PDF writer (pdf-writer) of every handout: one in memory ([`render_single`]), or a
//! combined print file of any number of handouts, written to disk as they come, in row order,
//! with memory flat however many there are.
//!
//! Workers [`prepare`] handouts (content streams, compressed); the [`CombinedWriter`] numbers
//! their objects and writes them. Each handout is a `Part` in the structure tree with its own
//! structure beneath, a bookmark with its sections beneath, and page labels "0001: 1", … that
//! match its printed "Side 1 af 4": the row number as a prefix keeps labels unique in the file,
//! so a print dialog's page range or a viewer's "go to page" finds one handout's page (numbering
//! that restarts at 1 for each handout would give 100 000 pages labelled "1"). A blank page
//! for double-sided printing is labelled "0001: blank" and has nothing on it. Fonts, the logo,
//! trees and the cross-reference are written once, at the start or the end. A single handout
//! is the same without the `Part`, page labels and handout bookmark.

mod fonts;
mod handout;
mod image;
mod objects;
mod trees;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, NumberingStyle, PageMode, StructRole, TabOrder,
};
use pdf_writer::writers::PageLabel;
use pdf_writer::{Chunk, Date, Filter, Finish, Name, Rect, Ref, Str, TextStr};

pub use fonts::StreamFonts;
use handout::prepare_borrowed;
pub use handout::{PreparedHandout, prepare};

use crate::error::Error;
use crate::image::Logo;
use crate::layout::NodeKind;
use crate::render::tags::Kid;
use fonts::{FACES, FONTS, GlyphUse, resource_name};
use handout::{Leaf, PreparedForm};
use objects::ObjectWriter;
use trees::{NumberTreeWriter, TreeValue};

/// The most objects a PDF file may have for Acrobat, MuPDF and PDF/A (ISO 32000-1, Annex C):
/// about 83 000 four-page handouts at about 100 objects each.
const PDF_MAX_OBJECTS: i32 = 8_388_607;

/// Distinct forms kept for sharing (a batch has a few: the footer's rule and text).
const MAX_SHARED_FORMS: usize = 64;

/// Pages under one leaf of the page tree.
const PAGES_PER_LEAF: usize = trees::FANOUT;

/// Writes a combined file of handouts, one at a time, in order.
pub struct CombinedWriter<'f> {
    fonts: &'f StreamFonts,
    target: PathBuf,
    /// The file being written; none for a single handout, written to memory.
    temp: Option<tempfile::NamedTempFile>,
    w: ObjectWriter,
    /// The PDF fonts of the faces (see [`fonts::FONTS`]), written at the end if pages used them.
    font_refs: [Ref; FONTS],
    glyphs: Vec<GlyphUse>,
    logos: Vec<(Arc<Logo>, Ref)>,
    /// Forms written so far, by content and page size, to share between pages.
    forms: HashMap<(PreparedForm, [u32; 2]), Ref>,
    /// The `Document` structure element, parent of every handout's `Part`.
    document: Ref,
    parts: Vec<Ref>,
    outline_root: Ref,
    outline: Marks,
    /// The structure parents: each page's elements by marked-content id, each link's element.
    parent_tree: NumberTreeWriter<StructParent>,
    /// The `Note` elements, in the order of their ids.
    notes: Vec<Ref>,
    /// Page tree leaves and their pages.
    page_leaves: Vec<(Ref, Vec<Ref>)>,
    /// Page label ranges, by first page.
    labels: NumberTreeWriter<PageLabelRange>,
    pages: usize,
    handouts: usize,
    /// Most objects the file may have (lowered in tests).
    max_objects: i32,
    /// Archival PDF/A-2a as well as PDF/UA-1.
    archival: bool,
    /// A single handout ([`render_single`]): no `Part`, page labels or handout bookmark, and
    /// fonts embedded as subsets of the glyphs it uses.
    single: bool,
}

/// The top level of the outline: one bookmark a handout. A bookmark is written when the next
/// one is known (its `/Next`), so one waits.
#[derive(Default)]
struct Marks {
    first: Option<Ref>,
    last: Option<Ref>,
    count: i32,
    waiting: Option<Mark>,
}

struct Mark {
    id: Ref,
    title: String,
    page: Ref,
    top: f32,
    prev: Option<Ref>,
    children: Option<(Ref, Ref, i32)>,
}

impl<'f> CombinedWriter<'f> {
    /// Starts a combined file that will replace `target` when finished; until then it is a
    /// temporary file beside it, removed if the writer is dropped unfinished. `archival`
    /// makes it PDF/A-2a as well as PDF/UA-1.
    pub fn create(
        target: &Path,
        fonts: &'f StreamFonts,
        archival: bool,
    ) -> Result<CombinedWriter<'f>, Error> {
        let fail = |e: io::Error| Error::Output {
            path: target.to_path_buf(),
            reason: crate::content::io_reason(&e),
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // As `output::write`: a hidden temporary name that a later run tidies up, and the
        // permissions of any new file.
        let mut builder = tempfile::Builder::new();
        builder.prefix(".pjece-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder.tempfile_in(dir).map_err(fail)?;
        let file = temp.as_file().try_clone().map_err(fail)?;
        let spill = tempfile::tempfile_in(dir).map_err(fail)?;
        let w = ObjectWriter::new(file, spill).map_err(fail)?;
        Ok(CombinedWriter::start(
            fonts,
            target.to_path_buf(),
            Some(temp),
            w,
            archival,
        ))
    }

    fn start(
        fonts: &'f StreamFonts,
        target: PathBuf,
        temp: Option<tempfile::NamedTempFile>,
        mut w: ObjectWriter,
        archival: bool,
    ) -> CombinedWriter<'f> {
        let font_refs = [(); FONTS].map(|_| w.alloc());
        let document = w.alloc();
        let outline_root = w.alloc();
        let single = temp.is_none();
        CombinedWriter {
            fonts,
            target,
            temp,
            w,
            font_refs,
            glyphs: vec![GlyphUse::default(); FACES],
            logos: Vec::new(),
            forms: HashMap::new(),
            document,
            parts: Vec::new(),
            outline_root,
            outline: Marks::default(),
            parent_tree: NumberTreeWriter::new(),
            notes: Vec::new(),
            page_leaves: Vec::new(),
            labels: NumberTreeWriter::new(),
            pages: 0,
            handouts: 0,
            max_objects: PDF_MAX_OBJECTS,
            archival,
            single,
        }
    }

    /// Pages written so far.
    pub fn page_count(&self) -> usize {
        self.pages
    }

    fn fail(&self, e: io::Error) -> Error {
        if self.single {
            // The decoder's words, as the profile check reports a logo it cannot read.
            return match e
                .get_ref()
                .and_then(|e| e.downcast_ref::<image::BrokenLogo>())
            {
                Some(logo) => Error::Pdf(logo.cause.clone()),
                None => Error::Pdf(e.to_string()),
            };
        }
        Error::Output {
            path: self.target.clone(),
            reason: crate::content::io_reason(&e),
        }
    }

    /// Appends a handout: `label` prefixes its page labels (the row number, "0001"), and
    /// `bookmark` names it in the outline. A file that would have more objects than PDF
    /// readers open is an error naming how many handouts it holds.
    pub fn add(
        &mut self,
        handout: PreparedHandout,
        label: &str,
        bookmark: &str,
    ) -> Result<(), Error> {
        // This handout's objects (pages, contents, elements, bookmarks, links, tree nodes),
        // and room for what the end of the file adds (trees over all pages, fonts).
        let needed = 2 * handout.pages.len()
            + handout.nodes.len()
            + handout.outline.len()
            + handout.pages.iter().map(|p| p.links.len()).sum::<usize>()
            + 8;
        let end = 1_000 + self.pages / 32;
        if self.w.objects() as usize + needed + end > self.max_objects as usize {
            return Err(Error::Output {
                path: self.target.clone(),
                reason: format!(
                    "is full at {n} handouts: a PDF file has at most {PDF_MAX_OBJECTS} objects \
                     (as many as Acrobat and other readers open), about 100 a handout; split \
                     the export into parts of at most {n} rows",
                    n = self.handouts,
                ),
            });
        }
        self.write_handout(handout, label, bookmark)
            .map_err(|e| self.fail(e))
    }

    fn write_handout(&mut self, h: PreparedHandout, label: &str, bookmark: &str) -> io::Result<()> {
        if h.pages.is_empty() {
            return Ok(());
        }
        let first_page = self.pages as i32;
        if !self.single {
            let numbered = PageLabelRange {
                prefix: format!("{label}: "),
                numbered: true,
            };
            self.labels.push(&mut self.w, first_page, numbered)?;
        }
        if h.blank_page && !self.single {
            let blank = PageLabelRange {
                prefix: format!("{label}: blank"),
                numbered: false,
            };
            let at = first_page + h.pages.len() as i32 - 1;
            self.labels.push(&mut self.w, at, blank)?;
        }
        // Object numbers first: elements and pages refer to each other.
        let mut page_refs = Vec::with_capacity(h.pages.len());
        let mut page_parents = Vec::with_capacity(h.pages.len());
        for _ in &h.pages {
            if self
                .page_leaves
                .last()
                .is_none_or(|(_, kids)| kids.len() >= PAGES_PER_LEAF)
            {
                let leaf = self.w.alloc();
                self.page_leaves.push((leaf, Vec::new()));
            }
            let page = self.w.alloc();
            let (leaf, kids) = self.page_leaves.last_mut().expect("just ensured");
            kids.push(page);
            page_refs.push(page);
            page_parents.push(*leaf);
        }
        self.pages += h.pages.len();
        let has_content = has_content(&h);
        let part = (!self.single).then(|| self.w.alloc());
        let elems: Vec<Option<Ref>> = has_content
            .iter()
            .map(|&c| c.then(|| self.w.alloc()))
            .collect();
        let annots: Vec<Vec<Ref>> = h
            .pages
            .iter()
            .map(|p| p.links.iter().map(|_| self.w.alloc()).collect())
            .collect();

        for (i, page) in h.pages.iter().enumerate() {
            let content_ref = match &page.content {
                Some(data) => {
                    let id = self.w.alloc();
                    self.w.direct(|c| {
                        c.stream(id, data).filter(Filter::FlateDecode);
                    })?;
                    Some(id)
                }
                None => None,
            };
            let struct_parents = if page.mcids.is_empty() {
                None
            } else {
                let key = self.parent_tree.next_key();
                let by_mcid = page
                    .mcids
                    .iter()
                    .map(|&n| elems[n].expect("a node with content has an element"))
                    .collect();
                let value = StructParent::Page(by_mcid);
                self.parent_tree.push(&mut self.w, key, value)?;
                Some(key)
            };
            for (link, &annot) in page.links.iter().zip(&annots[i]) {
                let key = self.parent_tree.next_key();
                let elem = elems[link.node].expect("a link's node has content");
                self.parent_tree
                    .push(&mut self.w, key, StructParent::Link(elem))?;
                self.w.packed(|c| write_link(c, annot, link, key))?;
            }
            let mut images = Vec::with_capacity(page.logos.len() + page.forms.len());
            for (index, logo) in page.logos.iter().enumerate() {
                images.push((format!("Im{index}"), self.logo(logo)?));
            }
            for (index, form) in page.forms.iter().enumerate() {
                images.push((
                    format!("Fm{index}"),
                    self.form(form, page.width, page.height)?,
                ));
            }
            let font_refs = self.font_refs;
            self.w.packed(|c| {
                let mut p = c.page(page_refs[i]);
                p.parent(page_parents[i]);
                p.media_box(Rect::new(0.0, 0.0, page.width, page.height));
                let mut resources = p.resources();
                if page.fonts.iter().any(|&u| u) {
                    let mut fonts = resources.fonts();
                    for (index, _) in page.fonts.iter().enumerate().filter(|(_, u)| **u) {
                        fonts.pair(resource_name(index), font_refs[index]);
                    }
                }
                if !images.is_empty() {
                    let mut x_objects = resources.x_objects();
                    for (name, r) in &images {
                        x_objects.pair(Name(name.as_bytes()), *r);
                    }
                }
                resources.finish();
                if let Some(id) = content_ref {
                    p.contents(id);
                }
                if let Some(key) = struct_parents {
                    p.struct_parents(key);
                }
                // Structure order for tabbing: PDF/UA asks it of pages with annotations, and
                // Acrobat's checker of every page.
                p.tab_order(TabOrder::StructureOrder);
                if !annots[i].is_empty() {
                    p.annotations(annots[i].iter().copied());
                }
            })?;
        }

        self.write_structure(&h, part, &elems, &page_refs, &annots)?;
        match part {
            Some(part) => self.parts.push(part),
            None => self.parts.extend(h.roots.iter().filter_map(|&r| elems[r])),
        }
        if self.single {
            self.write_headings(&h, &page_refs)?;
        } else {
            self.write_marks(&h, bookmark, &page_refs)?;
        }
        for (all, used) in self.glyphs.iter_mut().zip(h.glyphs) {
            all.merge(used);
        }
        self.handouts += 1;
        self.w.end_handout()
    }

    /// The handout's `Part` (none in a single handout, whose elements are the `Document`'s
    /// kids) and an element for every node with content: its own content in drawing order,
    /// then its children.
    fn write_structure(
        &mut self,
        h: &PreparedHandout,
        part: Option<Ref>,
        elems: &[Option<Ref>],
        page_refs: &[Ref],
        annots: &[Vec<Ref>],
    ) -> io::Result<()> {
        let document = self.document;
        if let Some(part) = part {
            self.w.packed(|c| {
                let mut e = c.struct_element(part);
                e.kind(StructRole::Part);
                e.parent(document);
                let mut kids = e.children();
                for r in h.roots.iter().filter_map(|&r| elems[r]) {
                    kids.struct_element(r);
                }
            })?;
        }
        let mut parents = vec![part.unwrap_or(document); h.nodes.len()];
        for (n, node) in h.nodes.iter().enumerate() {
            if let Some(id) = elems[n] {
                for &child in &node.children {
                    parents[child] = id;
                }
            }
        }
        // Where each node's content starts in drawing order (see `tags::interleave`).
        let mut first_drawn = vec![None; h.nodes.len()];
        for &r in &h.roots {
            first_content(h, r, &mut first_drawn);
        }
        for (n, node) in h.nodes.iter().enumerate() {
            let Some(id) = elems[n] else { continue };
            let note_id = matches!(node.kind, NodeKind::Note).then(|| {
                self.notes.push(id);
                note_name(self.notes.len())
            });
            let leaves = &h.leaves[n];
            // The element's page is that of its first marked content; content elsewhere
            // names its page.
            let page = leaves.iter().find_map(|l| match l {
                Leaf::Content { page, .. } => Some(*page),
                Leaf::Link { .. } => None,
            });
            self.w.packed(|c| {
                let mut e = c.struct_element(id);
                match crate::render::tags::struct_role(&node.kind) {
                    Some(role) => e.kind(role),
                    None => e.custom_kind(Name(b"Strong")),
                };
                e.parent(parents[n]);
                if let Some(p) = page {
                    e.page(page_refs[p]);
                }
                match &node.kind {
                    NodeKind::Heading { title, .. } => {
                        e.pair(Name(b"T"), Str(&text_string(title)));
                    }
                    NodeKind::Figure { alt } => {
                        e.pair(Name(b"Alt"), Str(&text_string(alt)));
                    }
                    NodeKind::BlankBody { spoken } | NodeKind::BlankLine { spoken } => {
                        e.pair(Name(b"ActualText"), Str(&text_string(spoken)));
                    }
                    _ => {}
                }
                if let Some(numbering) = crate::render::tags::list_numbering(&node.kind) {
                    e.attributes().push().list().list_numbering(numbering);
                }
                if let Some(name) = &note_id {
                    e.id(Str(name.as_bytes()));
                }
                let mut kids = e.children();
                let own = leaves.iter().map(|l| (drawn(l), l));
                let children = node
                    .children
                    .iter()
                    .filter_map(|&c| elems[c].map(|r| (first_drawn[c], r)));
                for kid in crate::render::tags::interleave(own, children) {
                    match kid {
                        Kid::Own(&Leaf::Content { page: p, mcid }) if Some(p) == page => {
                            kids.marked_content_id(mcid);
                        }
                        Kid::Own(&Leaf::Content { page: p, mcid }) => {
                            kids.marked_content_ref()
                                .marked_content_id(mcid)
                                .page(page_refs[p]);
                        }
                        Kid::Own(&Leaf::Link { page: p, index }) => {
                            kids.object_ref()
                                .object(annots[p][index])
                                .page(page_refs[p]);
                        }
                        Kid::Child(r) => {
                            kids.struct_element(r);
                        }
                    }
                }
            })?;
        }
        Ok(())
    }

    /// The handout's bookmark with its sections beneath (closed, so 100 000 handouts list as
    /// 100 000 lines); the previous handout's bookmark is written now that its next is known.
    fn write_marks(
        &mut self,
        h: &PreparedHandout,
        bookmark: &str,
        page_refs: &[Ref],
    ) -> io::Result<()> {
        let top = self.w.alloc();
        let ids = self.write_outline_items(h, top, page_refs)?;
        if let Some(waiting) = self.outline.waiting.take() {
            self.write_mark(waiting, Some(top))?;
        }
        self.outline.waiting = Some(Mark {
            id: top,
            title: bookmark.to_string(),
            page: page_refs[0],
            top: h.pages[0].height,
            prev: self.outline.last,
            children: ids
                .first()
                .zip(ids.last())
                .map(|(&f, &l)| (f, l, ids.len() as i32)),
        });
        self.outline.first.get_or_insert(top);
        self.outline.last = Some(top);
        self.outline.count += 1;
        Ok(())
    }

    /// The handout's headings as outline items under `parent`, each pointing at its place on
    /// its page; their references, in order.
    fn write_outline_items(
        &mut self,
        h: &PreparedHandout,
        parent: Ref,
        page_refs: &[Ref],
    ) -> io::Result<Vec<Ref>> {
        let ids: Vec<Ref> = h.outline.iter().map(|_| self.w.alloc()).collect();
        for (k, entry) in h.outline.iter().enumerate() {
            let height = h.pages[entry.page].height;
            self.w.packed(|c| {
                let mut item = c.outline_item(ids[k]);
                item.pair(Name(b"Title"), Str(&text_string(&entry.title)));
                item.parent(parent);
                if k > 0 {
                    item.prev(ids[k - 1]);
                }
                if let Some(&next) = ids.get(k + 1) {
                    item.next(next);
                }
                item.dest()
                    .page(page_refs[entry.page])
                    .xyz(0.0, height - entry.y, None);
            })?;
        }
        Ok(ids)
    }

    /// A single handout's outline: its headings at the top level, all shown.
    fn write_headings(&mut self, h: &PreparedHandout, page_refs: &[Ref]) -> io::Result<()> {
        let ids = self.write_outline_items(h, self.outline_root, page_refs)?;
        self.outline.first = ids.first().copied();
        self.outline.last = ids.last().copied();
        self.outline.count = ids.len() as i32;
        Ok(())
    }

    fn write_mark(&mut self, mark: Mark, next: Option<Ref>) -> io::Result<()> {
        let root = self.outline_root;
        self.w.packed(|c| {
            let mut item = c.outline_item(mark.id);
            item.pair(Name(b"Title"), Str(&text_string(&mark.title)));
            item.parent(root);
            if let Some(p) = mark.prev {
                item.prev(p);
            }
            if let Some(n) = next {
                item.next(n);
            }
            if let Some((first, last, count)) = mark.children {
                item.first(first).last(last).count(-count);
            }
            item.dest().page(mark.page).xyz(0.0, mark.top, None);
        })
    }

    /// The logo's image, written the first time a page shows it.
    fn logo(&mut self, logo: &Arc<Logo>) -> io::Result<Ref> {
        if let Some((_, r)) = self
            .logos
            .iter()
            .find(|(l, _)| Arc::ptr_eq(l, logo) || l.data == logo.data)
        {
            return Ok(*r);
        }
        let id = self.w.alloc();
        image::write_logo(&mut self.w, id, logo)?;
        self.logos.push((logo.clone(), id));
        Ok(id)
    }

    /// A form's XObject, written the first time a page shows it. Up to [`MAX_SHARED_FORMS`]
    /// are kept to share; should a batch have more distinct ones, later ones are written
    /// for each page, so memory stays bounded.
    fn form(&mut self, form: &PreparedForm, width: f32, height: f32) -> io::Result<Ref> {
        let key = (form.clone(), [width.to_bits(), height.to_bits()]);
        if let Some(&r) = self.forms.get(&key) {
            return Ok(r);
        }
        let id = self.w.alloc();
        let font_refs = self.font_refs;
        self.w.direct(|c| {
            let mut x = c.form_xobject(id, &form.content);
            x.filter(Filter::FlateDecode);
            x.bbox(Rect::new(0.0, 0.0, width, height));
            let mut resources = x.resources();
            let mut fonts = resources.fonts();
            for (index, _) in form.fonts.iter().enumerate().filter(|(_, u)| **u) {
                fonts.pair(resource_name(index), font_refs[index]);
            }
        })?;
        if self.forms.len() < MAX_SHARED_FORMS {
            self.forms.insert(key, id);
        }
        Ok(id)
    }

    /// Finishes the file with its title, language and date, and puts it in place of the
    /// target. Returns the handouts and pages in it.
    pub fn finish(
        mut self,
        title: &str,
        language: &str,
        date: jiff::civil::Date,
    ) -> Result<(usize, usize), Error> {
        let (catalog, info) = match self.write_end(title, language, date, None) {
            Ok(refs) => refs,
            Err(e) => return Err(self.fail(e)),
        };
        let id = file_id(title, date, self.handouts, self.w.len());
        let CombinedWriter {
            target,
            temp,
            w,
            handouts,
            pages,
            ..
        } = self;
        let fail = |e: io::Error| Error::Output {
            path: target.clone(),
            reason: crate::content::io_reason(&e),
        };
        let objects::Finished::File(file) = w.finish(catalog, info, id).map_err(fail)? else {
            unreachable!("a combined file is written to a file")
        };
        file.sync_all().map_err(fail)?;
        drop(file);
        let temp = temp.expect("a combined file has its temporary file");
        temp.persist(&target).map_err(|e| fail(e.error))?;
        Ok((handouts, pages))
    }

    /// Everything after the last handout but the cross-reference; returns the catalog and
    /// the document information dictionary.
    fn write_end(
        &mut self,
        title: &str,
        language: &str,
        date: jiff::civil::Date,
        reissue: Option<&str>,
    ) -> io::Result<(Ref, Ref)> {
        if let Some(waiting) = self.outline.waiting.take() {
            self.write_mark(waiting, None)?;
        }
        for index in 0..FACES {
            if self.glyphs[index].is_empty() {
                continue; // A face no page used is never read.
            }
            let refs = [self.font_refs[index], self.font_refs[FACES + index]];
            let face = self.fonts.face(index);
            fonts::write_face(&mut self.w, refs, face, &self.glyphs[index], self.single)?;
        }
        let pages = trees::write_page_tree(&mut self.w, &self.page_leaves)?;

        let parent_tree = std::mem::replace(&mut self.parent_tree, NumberTreeWriter::new());
        let next_key = parent_tree.next_key();
        let parent_tree_root = parent_tree.finish(&mut self.w)?;
        let notes: Vec<(String, Ref)> = std::mem::take(&mut self.notes)
            .into_iter()
            .enumerate()
            .map(|(i, r)| (note_name(i + 1), r))
            .collect();
        let id_tree = if notes.is_empty() {
            None
        } else {
            Some(trees::write_tree(&mut self.w, b"Names", &notes)?)
        };
        let struct_root = self.w.alloc();
        let (document, parts) = (self.document, std::mem::take(&mut self.parts));
        self.w.packed(|c| {
            let mut e = c.struct_element(document);
            e.kind(StructRole::Document);
            e.parent(struct_root);
            e.lang(TextStr(language));
            let mut kids = e.children();
            for &part in &parts {
                kids.struct_element(part);
            }
        })?;
        self.w.packed(|c| {
            let mut root = c
                .indirect(struct_root)
                .start::<pdf_writer::writers::StructTreeRoot>();
            root.child(document);
            root.pair(Name(b"ParentTree"), parent_tree_root);
            root.parent_tree_next_key(next_key);
            let mut roles = root.role_map();
            for (name, role) in crate::render::tags::ROLE_MAP {
                roles.insert(Name(name), role);
            }
            roles.finish();
            if let Some(ids) = id_tree {
                root.pair(Name(b"IDTree"), ids);
            }
        })?;
        let outline = self.outline_root;
        let marks = std::mem::take(&mut self.outline);
        self.w.packed(|c| {
            let mut o = c.outline(outline);
            if let (Some(first), Some(last)) = (marks.first, marks.last) {
                o.first(first).last(last);
            }
            o.count(marks.count);
        })?;
        let labels = std::mem::replace(&mut self.labels, NumberTreeWriter::new());
        let page_labels = if self.single {
            None
        } else {
            Some(labels.finish(&mut self.w)?)
        };

        let metadata = self.w.alloc();
        let xmp = xmp(title, language, date, self.archival);
        self.w.direct(|c| {
            c.metadata(metadata, xmp.as_bytes());
        })?;
        let info = self.w.alloc();
        let pdf_date = Date::new(date.year() as u16)
            .month(date.month() as u8)
            .day(date.day() as u8)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(0)
            .utc_offset_minute(0);
        self.w.direct(|c| {
            c.indirect(info)
                .start::<pdf_writer::writers::DocumentInfo>()
                .title(TextStr(title))
                .creator(TextStr(crate::render::CREATOR))
                .creation_date(pdf_date)
                .modified_date(pdf_date);
        })?;
        let output_intent = if self.archival {
            let (intent, profile) = (self.w.alloc(), self.w.alloc());
            self.w
                .direct(|c| crate::render::pdfa::write_icc_profile(c, profile))?;
            self.w
                .packed(|c| crate::render::pdfa::write_output_intent(c, intent, profile))?;
            Some(intent)
        } else {
            None
        };
        let catalog = self.w.alloc();
        self.w.direct(|c| {
            let mut cat = c.indirect(catalog).start::<pdf_writer::writers::Catalog>();
            cat.pages(pages);
            cat.pair(Name(b"StructTreeRoot"), struct_root);
            cat.mark_info().marked(true);
            cat.lang(TextStr(language));
            cat.outlines(outline);
            cat.viewer_preferences().display_doc_title(true);
            if let Some(labels) = page_labels {
                // A combined file opens on its list of handouts.
                cat.page_mode(PageMode::UseOutlines);
                cat.pair(Name(b"PageLabels"), labels);
            }
            cat.metadata(metadata);
            if let Some(record) = reissue {
                // The choices the handout was made with (see `crate::reissue`), dated as the
                // handout so the same choices give the same bytes.
                let mut pieces = cat.insert(Name(b"PieceInfo")).dict();
                let mut data = pieces.insert(Name(crate::reissue::PIECE)).dict();
                data.pair(Name(b"LastModified"), pdf_date);
                let mut private = data.insert(Name(b"Private")).dict();
                private.pair(Name(b"Version"), crate::reissue::VERSION as i32);
                private.pair(Name(b"Choices"), Str(record.as_bytes()));
            }
            if let Some(intent) = output_intent {
                cat.insert(Name(b"OutputIntents")).array().item(intent);
            }
        })?;
        Ok((catalog, info))
    }
}

/// Writes one handout as tagged PDF/UA-1 bytes (PDF/A-2a too when `archival`), in memory: the
/// structure tree's `Document` holds its sections, its outline its headings, its catalog the
/// record of its choices when the layout carries one, and its fonts are subsets of the glyphs
/// it uses. The same layout gives the same bytes.
pub fn render_single(
    doc: &crate::layout::Document,
    fonts: &StreamFonts,
    archival: bool,
) -> Result<Vec<u8>, Error> {
    let prepared = prepare_borrowed(doc, fonts);
    if archival {
        for logo in prepared.pages.iter().flat_map(|p| &p.logos) {
            if image::is_cmyk(logo) {
                return Err(Error::Pdf(format!(
                    "the logo {}",
                    crate::render::pdfa::CMYK_LOGO
                )));
            }
        }
    }
    let mut w = CombinedWriter::start(
        fonts,
        PathBuf::new(),
        None,
        ObjectWriter::in_memory(32 * 1024),
        archival,
    );
    w.write_handout(prepared, "", "").map_err(|e| w.fail(e))?;
    let (catalog, info) = w
        .write_end(&doc.title, &doc.language, doc.date, doc.reissue.as_deref())
        .map_err(|e| w.fail(e))?;
    // The identifier of what was written: the same handout, the same bytes.
    let id = content_id(w.w.memory());
    match w.w.finish(catalog, info, id) {
        Ok(objects::Finished::Memory(bytes)) => Ok(bytes),
        Ok(objects::Finished::File(_)) => unreachable!("a single handout is written to memory"),
        Err(e) => Err(Error::Pdf(e.to_string())),
    }
}

/// The hasher of file identifiers and subset tags: SipHash-1-3 with zero keys, which is what
/// `std::hash::DefaultHasher` is today, but from a crate that promises never to change it, so the
/// same input gives the same bytes whichever Rust built pjece.
fn stable_hasher() -> siphasher::sip::SipHasher13 {
    siphasher::sip::SipHasher13::new_with_keys(0, 0)
}

/// A file identifier from the bytes written.
fn content_id(bytes: &[u8]) -> [u8; 16] {
    use std::hash::{Hash, Hasher};
    let mut id = [0u8; 16];
    for (half, salt) in [0u8, 1].iter().enumerate() {
        let mut h = stable_hasher();
        (salt, bytes).hash(&mut h);
        id[half * 8..half * 8 + 8].copy_from_slice(&Hasher::finish(&h).to_be_bytes());
    }
    id
}

/// A structure parent tree value: a page's elements by marked-content id, or a link's element.
enum StructParent {
    Page(Vec<Ref>),
    Link(Ref),
}

impl TreeValue for StructParent {
    fn write(&self, array: &mut pdf_writer::Array) {
        match self {
            StructParent::Page(elems) => {
                array.push().array().items(elems.iter().copied());
            }
            StructParent::Link(elem) => {
                array.item(*elem);
            }
        }
    }
}

/// A page label range: its prefix, and whether its pages are numbered from 1 after it.
struct PageLabelRange {
    prefix: String,
    numbered: bool,
}

impl TreeValue for PageLabelRange {
    fn write(&self, array: &mut pdf_writer::Array) {
        let mut label = array.push().start::<PageLabel>();
        label.prefix(TextStr(&self.prefix));
        if self.numbered {
            label.style(NumberingStyle::Arabic);
            label.offset(1);
        }
    }
}

/// Which nodes get an element: those with content of their own or below.
fn has_content(h: &PreparedHandout) -> Vec<bool> {
    fn visit(h: &PreparedHandout, n: usize, out: &mut [bool]) -> bool {
        let mut any = !h.leaves[n].is_empty();
        for &child in &h.nodes[n].children {
            any |= visit(h, child, out);
        }
        out[n] = any;
        any
    }
    let mut out = vec![false; h.nodes.len()];
    for &r in &h.roots {
        visit(h, r, &mut out);
    }
    out
}

/// A leaf's place in drawing order: by page, then marked content (drawn in id order), a
/// page's links after its content.
fn drawn(leaf: &Leaf) -> usize {
    let (page, at) = match *leaf {
        Leaf::Content { page, mcid } => (page, mcid as usize),
        Leaf::Link { page, index } => (page, 1 << 30 | index),
    };
    page << 32 | at
}

/// The drawing-order place of the first content of node `n` and of each node beneath it.
fn first_content(h: &PreparedHandout, n: usize, out: &mut [Option<usize>]) -> Option<usize> {
    let mut first = h.leaves[n].iter().map(drawn).min();
    for &child in &h.nodes[n].children {
        first = first.into_iter().chain(first_content(h, child, out)).min();
    }
    out[n] = first;
    first
}

/// A text string in PDFDocEncoding when it has only characters that encode as in Latin-1 (one
/// byte a character: Danish text), else in UTF-16 (pdf-writer's `TextStr` always takes UTF-16
/// for non-ASCII text, twice the bytes, in the titles of every handout's headings and bookmarks).
fn text_string(s: &str) -> Vec<u8> {
    let latin = |c: char| matches!(c, ' '..='~' | '\u{A1}'..='\u{FF}') && c != '\u{AD}';
    if s.chars().all(latin) {
        s.chars().map(|c| c as u8).collect()
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        bytes
    }
}

/// The id of the `n`th note (from 1), zero-padded so ids sort as the name tree needs.
fn note_name(n: usize) -> String {
    format!("Note {n:010}")
}

fn write_link(c: &mut Chunk, id: Ref, link: &handout::PageLink, key: i32) {
    let mut a = c.annotation(id);
    a.subtype(AnnotationType::Link);
    let [x0, y0, x1, y1] = link.rect;
    a.rect(Rect::new(x0, y0, x1, y1));
    a.border(0.0, 0.0, 0.0, None);
    // Printed with the page, as PDF/A asks; it has no border to print.
    a.flags(AnnotationFlags::PRINT);
    a.struct_parent(key);
    // The address as its description.
    a.contents(TextStr(&link.url));
    a.action()
        .action_type(ActionType::Uri)
        .uri(Str(link.url.as_bytes()));
}

/// XMP metadata: title, language, dates, creator and the PDF/UA-1 (and PDF/A-2a) claim.
fn xmp(title: &str, language: &str, date: jiff::civil::Date, archival: bool) -> String {
    use xmp_writer::{LangId, Timezone, XmpWriter};
    let date = xmp_writer::DateTime {
        year: date.year() as u16,
        month: Some(date.month() as u8),
        day: Some(date.day() as u8),
        hour: Some(0),
        minute: Some(0),
        second: Some(0),
        timezone: Some(Timezone::Utc),
    };
    let mut x = XmpWriter::new();
    x.title([(None, title)]);
    x.language([LangId(language)]);
    x.creator_tool(crate::render::CREATOR);
    x.create_date(date);
    x.modify_date(date);
    x.format("application/pdf");
    crate::render::pdfa::write_xmp_claims(&mut x, archival);
    x.finish(None)
}

/// A file identifier from what the file is: the same input gives the same file, byte for byte.
fn file_id(title: &str, date: jiff::civil::Date, handouts: usize, len: u64) -> [u8; 16] {
    use std::hash::{Hash, Hasher};
    let mut id = [0u8; 16];
    for (half, salt) in [0u8, 1].iter().enumerate() {
        let mut h = stable_hasher();
        (salt, title, date.to_string(), handouts, len).hash(&mut h);
        id[half * 8..half * 8 + 8].copy_from_slice(&Hasher::finish(&h).to_be_bytes());
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_stops_before_it_has_more_objects_than_readers_open() {
        let engine = crate::Engine::embedded().unwrap();
        let fonts = StreamFonts::new(&engine.fonts).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alle.pdf");
        let mut writer = CombinedWriter::create(&path, &fonts, false).unwrap();
        writer.max_objects = 1_500;
        let choices = crate::select::Choices::new(
            crate::content::Region::Lumbar,
            jiff::civil::date(2026, 11, 26),
        );
        let mut shaper = engine.shaper().unwrap();
        let pages = engine.layout(&choices, &mut shaper).unwrap().pages.len();
        let mut added = 0;
        let err = loop {
            let doc = engine.layout(&choices, &mut shaper).unwrap();
            match writer.add(prepare(doc, &fonts, false), "0001", "0001") {
                Ok(()) => added += 1,
                Err(e) => break e.to_string(),
            }
            assert!(added < 100, "no error");
        };
        assert!(added >= 3, "{added}");
        assert!(
            err.ends_with(&format!(
                "alle.pdf: is full at {added} handouts: a PDF file has at most 8388607 objects \
                 (as many as Acrobat and other readers open), about 100 a handout; split the \
                 export into parts of at most {added} rows"
            )),
            "{err}"
        );
        assert!(writer.w.objects() < 1_500);
        // What was written so far still makes a whole file.
        writer
            .finish("t", "da-DK", jiff::civil::date(2026, 11, 26))
            .unwrap();
        assert_eq!(util_pages(&path), pages * added);
    }

    fn util_pages(path: &Path) -> usize {
        let out = std::process::Command::new("qpdf")
            .arg("--show-npages")
            .arg(path)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    #[test]
    fn text_strings_take_one_byte_a_danish_character() {
        assert_eq!(text_string("Søg læge"), b"S\xF8g l\xE6ge");
        assert_eq!(text_string("plain"), b"plain");
        // PDFDocEncoding differs from Latin-1 below U+00A1 and has no soft hyphen.
        for s in ["a\u{A0}b", "a\u{AD}b", "Nguyễn", "€"] {
            let bytes = text_string(s);
            assert_eq!(&bytes[..2], [0xFE, 0xFF], "{s}");
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(String::from_utf16(&units).unwrap(), s);
        }
    }
}
