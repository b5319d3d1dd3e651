//! What a screen reader meets (issue 11, point 7), in a single handout and in the combined
//! batch file (both written by the streaming writer, one as memory, one to disk), read back from the PDF: the structure tree with
//! lopdf (raw types, attributes, marked-content ids), the text under each element with
//! `pdfinfo -struct-text`, and each page's content stream for the order it paints.

mod util;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Dictionary, Object, ObjectId};
use pjece::content::{Audience, Region};
use pjece::layout::{Document, Style};
use pjece::render::stream::{CombinedWriter, StreamFonts, prepare};
use pjece::select::Choices;
use pjece::{Engine, fonts::FontSet};
use util::Dir;

const DATE: jiff::civil::Date = jiff::civil::date(2026, 11, 26);
const SPOKEN: &str = "tom linje til at skrive på";

fn clinic_engine() -> Engine {
    let engine = Engine::embedded().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clinic.json");
    let profile = pjece::load_clinic(&path, &engine.content, &engine.fonts).unwrap();
    Engine::new(engine.content, FontSet::embedded(), Style::standard())
        .unwrap()
        .with_clinic(Some(profile))
}

/// The clinic handout with everything a patient fills in: two ladder steps (so three empty
/// rungs), empty goal lines, a therapist.
fn clinic_choices(large_print: bool) -> Choices {
    let mut c = Choices::new(Region::Lumbar, DATE);
    c.patient = Some("Søren Ærø".into());
    c.therapist = Some("Mette Kjær".into());
    c.steps = vec!["Gå 10 minutter".into(), "Gå 20 minutter".into()];
    c.blank_goals = true;
    c.large_print = large_print;
    c
}

fn guide_choices() -> Choices {
    let mut c = Choices::new(Region::Lumbar, DATE);
    c.audience = Audience::Therapist;
    c
}

fn lay_out(engine: &Engine, choices: &Choices) -> Document {
    engine
        .layout(choices, &mut engine.shaper().unwrap())
        .unwrap()
}

/// The two handouts as single files and together as one combined file.
struct Files {
    _dir: Dir,
    clinic: PathBuf,
    guide: PathBuf,
    combined: PathBuf,
}

fn files(large_print: bool) -> Files {
    let dir = Dir::new();
    let clinic_engine = clinic_engine();
    let plain = Engine::embedded().unwrap();
    let docs = [
        lay_out(&clinic_engine, &clinic_choices(large_print)),
        lay_out(&plain, &guide_choices()),
    ];
    let names = ["clinic.pdf", "guide.pdf"];
    let fonts = pjece::render::PdfFonts::new(&plain.fonts).unwrap();
    for (doc, name) in docs.iter().zip(names) {
        let bytes = pjece::render::render(doc, &fonts, false).unwrap();
        std::fs::write(dir.path(name), bytes).unwrap();
    }
    let combined = dir.path("combined.pdf");
    let stream_fonts = StreamFonts::new(&plain.fonts).unwrap();
    let mut writer = CombinedWriter::create(&combined, &stream_fonts, false).unwrap();
    for (i, doc) in docs.into_iter().enumerate() {
        let label = format!("000{}", i + 1);
        writer
            .add(prepare(doc, &stream_fonts, true), &label, &label)
            .unwrap();
    }
    writer.finish("Pjecer (2)", "da-DK", DATE).unwrap();
    Files {
        clinic: dir.path(names[0]),
        guide: dir.path(names[1]),
        combined,
        _dir: dir,
    }
}

/// A structure element as the file has it.
#[derive(Debug, Default)]
struct Elem {
    /// The type as written (`Strong`, not what the role map makes of it).
    kind: String,
    actual_text: Option<String>,
    numbering: Option<String>,
    /// The text beneath it, as poppler reads it.
    text: String,
    /// Its own marked content: page index and id, in the order of its `/K`.
    mcids: Vec<(usize, i64)>,
    kids: Vec<Elem>,
}

impl Elem {
    fn all(&self) -> Vec<&Elem> {
        let mut out = vec![self];
        for k in &self.kids {
            out.extend(k.all());
        }
        out
    }

    /// Marked content in tag order (own content and children as `/K` lists them).
    fn tag_order(&self, out: &mut Vec<(usize, i64)>) {
        out.extend(&self.mcids);
        for k in &self.kids {
            k.tag_order(out);
        }
    }
}

/// The structure tree's `Document` element, and the role map.
fn structure(pdf: &Path) -> (Elem, HashMap<String, String>) {
    let doc = lopdf::Document::load(pdf).unwrap();
    let pages: HashMap<ObjectId, usize> = doc
        .get_pages()
        .into_iter()
        .map(|(n, id)| (id, n as usize - 1))
        .collect();
    let root = doc
        .catalog()
        .unwrap()
        .get_deref(b"StructTreeRoot", &doc)
        .unwrap()
        .as_dict()
        .unwrap();
    let role_map = root
        .get_deref(b"RoleMap", &doc)
        .and_then(Object::as_dict)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = v.as_name().unwrap();
                    (name(k), name(v))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut top = Vec::new();
    kids(&doc, &pages, root.get(b"K").unwrap(), None, &mut top, None);
    assert_eq!(top.len(), 1, "one Document element");
    let mut document = top.pop().unwrap();
    let mut texts = poppler_texts(pdf).into_iter();
    fill_text(&mut document, &mut texts, &role_map);
    assert!(
        texts.next().is_none(),
        "the same tree from lopdf and poppler"
    );
    (document, role_map)
}

/// Gives each element, in pre-order, its text from poppler's list of the same elements.
fn fill_text(
    e: &mut Elem,
    texts: &mut impl Iterator<Item = (String, String)>,
    role_map: &HashMap<String, String>,
) {
    let (kind, text) = texts.next().expect("poppler lists every element");
    // poppler names a role-mapped type by what it maps to.
    let mapped = role_map.get(&e.kind).unwrap_or(&e.kind);
    assert_eq!(&kind, mapped, "the same tree from lopdf and poppler");
    e.text = text;
    for k in &mut e.kids {
        fill_text(k, texts, role_map);
    }
}

fn name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A PDF text string: UTF-16 with its byte-order mark, else PDFDocEncoding (Latin-1 for
/// the Danish letters).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => String::from_utf16(
            &utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        None => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Walks a `/K` entry: elements into `out`, marked content into `owner`'s list.
fn kids(
    doc: &lopdf::Document,
    pages: &HashMap<ObjectId, usize>,
    k: &Object,
    page: Option<usize>,
    out: &mut Vec<Elem>,
    mut owner: Option<&mut Vec<(usize, i64)>>,
) {
    match k {
        Object::Array(items) => {
            for item in items {
                kids(doc, pages, item, page, out, owner.as_deref_mut());
            }
        }
        Object::Integer(mcid) => {
            if let Some(o) = owner {
                o.push((page.expect("a page for marked content"), *mcid));
            }
        }
        Object::Reference(id) => {
            let obj = doc.get_object(*id).unwrap();
            kids(doc, pages, obj, page, out, owner);
        }
        Object::Dictionary(d) => {
            let page_of = |d: &Dictionary| {
                d.get(b"Pg")
                    .ok()
                    .and_then(|p| p.as_reference().ok())
                    .map(|r| pages[&r])
            };
            match d.get(b"Type").and_then(Object::as_name) {
                Ok(b"MCR") => {
                    let mcid = d.get(b"MCID").unwrap().as_i64().unwrap();
                    if let Some(o) = owner {
                        o.push((page_of(d).or(page).unwrap(), mcid));
                    }
                }
                Ok(b"OBJR") => {}
                _ => out.push(element(doc, pages, d, page_of(d).or(page))),
            }
        }
        _ => {}
    }
}

fn element(
    doc: &lopdf::Document,
    pages: &HashMap<ObjectId, usize>,
    d: &Dictionary,
    page: Option<usize>,
) -> Elem {
    let mut e = Elem {
        kind: name(d.get(b"S").unwrap().as_name().unwrap()),
        actual_text: d
            .get(b"ActualText")
            .ok()
            .map(|t| text_string(t.as_str().unwrap())),
        ..Elem::default()
    };
    if let Ok(a) = d.get_deref(b"A", doc) {
        let attrs: Vec<&Object> = match a {
            Object::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for attr in attrs {
            let attr = match attr {
                Object::Reference(id) => doc.get_object(*id).unwrap(),
                o => o,
            };
            if let Ok(n) = attr.as_dict().unwrap().get(b"ListNumbering") {
                e.numbering = Some(name(n.as_name().unwrap()));
            }
        }
    }
    if let Ok(k) = d.get(b"K") {
        let mut own = Vec::new();
        let mut children = Vec::new();
        kids(doc, pages, k, page, &mut children, Some(&mut own));
        e.mcids = own;
        e.kids = children;
    }
    e
}

/// Each element's type and text from `pdfinfo -struct-text`, in pre-order from `Document`.
fn poppler_texts(pdf: &Path) -> Vec<(String, String)> {
    let out = Command::new("pdfinfo")
        .args(["-struct-text", pdf.to_str().unwrap()])
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    let mut elems: Vec<(usize, String, String)> = Vec::new();
    // The elements the current line is inside, by index.
    let mut open: Vec<usize> = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        // Attribute lines, and a link's annotation ("Object 174 0").
        if t.is_empty() || t.starts_with('/') || t.starts_with("Object ") {
            continue;
        }
        while open.last().is_some_and(|&i| elems[i].0 >= indent) {
            open.pop();
        }
        if let Some(quoted) = t.strip_prefix('"') {
            // Text belongs to every element it is inside.
            let text = quoted.trim_end_matches('"');
            for &i in &open {
                elems[i].2.push_str(text);
            }
        } else {
            let kind = t.split([' ', ':']).next().unwrap().to_string();
            open.push(elems.len());
            elems.push((indent, kind, String::new()));
        }
    }
    elems.into_iter().map(|(_, k, t)| (k, t)).collect()
}

/// Each page's marked-content ids in the order its content stream paints them.
fn paint_order(pdf: &Path) -> Vec<Vec<i64>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.get_pages()
        .values()
        .map(|&id| {
            let content = doc.get_page_content(id);
            lopdf::content::Content::decode(&content)
                .unwrap()
                .operations
                .iter()
                .filter(|op| op.operator == "BDC")
                .filter_map(|op| match op.operands.get(1) {
                    Some(Object::Dictionary(d)) => d.get(b"MCID").ok()?.as_i64().ok(),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The `LI`s of a list, each as its label's text and its body.
fn items(list: &Elem) -> Vec<(&str, &Elem)> {
    list.kids
        .iter()
        .map(|li| {
            assert_eq!(li.kind, "LI");
            let lbl = li.kids.iter().find(|k| k.kind == "Lbl").expect("a label");
            let body = li.kids.iter().find(|k| k.kind == "LBody").expect("a body");
            (lbl.text.as_str(), body)
        })
        .collect()
}

fn all_files(f: &Files) -> [&Path; 3] {
    [&f.clinic, &f.guide, &f.combined]
}

#[test]
fn the_ladder_is_an_ordered_list_whose_empty_rungs_read_as_lines_to_write_on() {
    let f = files(false);
    for pdf in [&f.clinic, &f.combined] {
        let (doc, _) = structure(pdf);
        let lists: Vec<&Elem> = doc.all().into_iter().filter(|e| e.kind == "L").collect();
        let ladder = lists
            .iter()
            .find(|l| l.kids.first().is_some_and(|li| li.text.starts_with("Trin")))
            .expect("the ladder is a list");
        assert_eq!(ladder.numbering.as_deref(), Some("Decimal"), "{pdf:?}");
        // Every other list is one of bullets.
        for l in lists.iter().filter(|l| !std::ptr::eq(**l, *ladder)) {
            assert_eq!(l.numbering.as_deref(), Some("Disc"), "{pdf:?}: {}", l.text);
        }
        let rungs = items(ladder);
        let labels: Vec<&str> = rungs.iter().map(|r| r.0).collect();
        assert_eq!(
            labels,
            ["Trin 5", "Trin 4", "Trin 3", "Trin 2", "Trin 1"],
            "{pdf:?}"
        );
        for (label, body) in &rungs[..3] {
            assert_eq!(body.actual_text.as_deref(), Some(SPOKEN), "{pdf:?} {label}");
            assert!(
                !body.mcids.is_empty(),
                "{label}: the line is the body's content"
            );
        }
        for (label, body) in &rungs[3..] {
            assert_eq!(body.actual_text, None, "{label}");
            assert!(body.text.starts_with("Gå "), "{label}: {}", body.text);
        }
        // The empty goal lines after their request, each read the same way.
        let goals: Vec<&Elem> = doc
            .all()
            .into_iter()
            .filter(|e| e.kind == "P" && e.actual_text.as_deref() == Some(SPOKEN))
            .collect();
        assert_eq!(goals.len(), 3, "{pdf:?}");
        assert!(goals.iter().all(|g| !g.mcids.is_empty()));
    }
}

#[test]
fn bold_lead_ins_are_strong_and_read_in_place() {
    let f = files(false);
    for pdf in all_files(&f) {
        let (doc, role_map) = structure(pdf);
        assert_eq!(
            role_map.get("Strong").map(String::as_str),
            Some("Span"),
            "{pdf:?}: Strong is not PDF 1.7, so it is role-mapped"
        );
        let all = doc.all();
        let strong: Vec<&&Elem> = all.iter().filter(|e| e.kind == "Strong").collect();
        assert!(strong.len() >= 5, "{pdf:?}: {}", strong.len());
        // Headings and labels are bold by style, not emphasis.
        assert!(strong.iter().all(|s| !s.text.starts_with("Trin")));
        if pdf == f.guide {
            continue;
        }
        // A lead-in: the body starts with its Strong words, and its plain words follow in
        // Spans, the whole read in the order printed.
        let body = all
            .iter()
            .find(|e| {
                e.kind == "LBody"
                    && e.kids.first().is_some_and(|k| {
                        k.kind == "Strong" && k.text == "Bliv ved med at bevæge dig."
                    })
            })
            .unwrap_or_else(|| panic!("{pdf:?}: a lead-in in Strong"));
        assert!(body.mcids.is_empty(), "all of its text is in children");
        assert_eq!(body.kids[1].kind, "Span");
        assert!(body.kids[1].text.starts_with(" Selv om det kan gøre ondt"));
    }
}

#[test]
fn every_page_paints_in_tag_order() {
    let f = files(false);
    for pdf in all_files(&f) {
        let (doc, _) = structure(pdf);
        let mut order = Vec::new();
        doc.tag_order(&mut order);
        let painted = paint_order(pdf);
        for (page, paint) in painted.iter().enumerate() {
            let tags: Vec<i64> = order
                .iter()
                .filter(|(p, _)| *p == page)
                .map(|(_, m)| *m)
                .collect();
            assert_eq!(
                paint,
                &tags,
                "{pdf:?} page {}: painted vs tag order",
                page + 1
            );
        }
    }
    // The therapist's guide's page 2 has a footnote and text after it: the note is
    // painted with its own section, as the tree reads it.
    let (doc, _) = structure(&f.guide);
    let note = doc
        .all()
        .into_iter()
        .find(|e| e.kind == "Note")
        .expect("the guide has a footnote");
    assert!(note.mcids.iter().all(|&(p, _)| p == 1), "on page 2");
}

/// Footer lines of each page of a laid-out document (its footer artifacts' baselines).
fn footer_lines(doc: &Document) -> Vec<usize> {
    use pjece::layout::{ArtifactKind, Item, Role};
    doc.pages
        .iter()
        .map(|p| {
            let mut ys: Vec<i64> = p
                .items
                .iter()
                .filter(|it| {
                    it.role == Role::Artifact(ArtifactKind::Footer)
                        && matches!(it.item, Item::Text(_))
                })
                .map(|it| (it.y * 10.0).round() as i64)
                .collect();
            ys.sort();
            ys.dedup();
            ys.len()
        })
        .collect()
}

#[test]
fn the_clinics_contact_is_read_in_the_body_and_the_footer_keeps_two_lines() {
    for large_print in [false, true] {
        let f = files(large_print);
        for pdf in [&f.clinic, &f.combined] {
            let (doc, _) = structure(pdf);
            let contact = doc
                .all()
                .into_iter()
                .find(|e| {
                    e.kind == "Sect"
                        && e.kids
                            .first()
                            .is_some_and(|h| h.text == "Din fysioterapeut")
                })
                .unwrap_or_else(|| panic!("{pdf:?}: a contact section"));
            assert_eq!(contact.kids[0].kind, "H2");
            let lines: Vec<&str> = contact.kids[1..].iter().map(|p| p.text.as_str()).collect();
            assert_eq!(
                lines,
                [
                    "Fysioterapi Ærø",
                    "Fysioterapeut: Mette Kjær",
                    "Vestergade 1, 8000 Aarhus C",
                    "62 52 12 34",
                    "kontakt@fysio-aeroe.dk",
                    "https://fysio-aeroe.dk",
                ],
                "{pdf:?}"
            );
            assert!(contact.kids[1..].iter().all(|p| p.kind == "P"));
            // The e-mail address and website are links (their addresses printed once).
            let links: Vec<&str> = contact.kids[5..]
                .iter()
                .map(|p| p.kids[0].kind.as_str())
                .collect();
            assert_eq!(links, ["Link", "Link"], "{pdf:?}");
        }
        // Printed at body size, and the footer keeps to source and version, on every page.
        let engine = clinic_engine();
        let doc = lay_out(&engine, &clinic_choices(large_print));
        let style = if large_print {
            &engine.large_print
        } else {
            &engine.style
        };
        let sizes: Vec<f32> = doc
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|it| match &it.item {
                pjece::layout::Item::Text(t) if t.text.contains("62 52 12 34") => Some(t.size),
                _ => None,
            })
            .collect();
        assert!(
            !sizes.is_empty() && sizes.iter().all(|&s| s == style.body.size),
            "{sizes:?}"
        );
        let footers = footer_lines(&doc);
        assert!(footers.iter().all(|&n| (1..=2).contains(&n)), "{footers:?}");
        for page in 1..=doc.pages.len() {
            let text = util::page_text(&f.clinic, page);
            assert!(text.contains("Bygger på:"), "page {page}: the source");
            assert!(text.contains("Indholdsversion"), "page {page}: the version");
        }
    }
}
