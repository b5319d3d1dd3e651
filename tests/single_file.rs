//! A single handout written by the same writer as the combined file (issue 14): a batch's
//! files and `build`'s are the same bytes, fonts are subsets that draw like the whole faces,
//! the re-issue record reads back, and the structure tree has no `Part` wrapper.

mod util;

use std::process::Command;

use lopdf::{Document, Object};
use pjece::content::Region;
use pjece::select::Choices;
use pjece::{Engine, reissue};
use rustybuzz::ttf_parser;
use util::{Dir, files, pdftoppm_grey};

const DATE: jiff::civil::Date = jiff::civil::date(2026, 11, 26);

/// The choices of a handout with personal blocks: name, note, goals and the ladder.
fn personal() -> Choices {
    let mut c = Choices::new(Region::Lumbar, DATE);
    c.patient = Some("Ærø, Søren".into());
    c.note = Some("Husk øvelserne morgen og aften.".into());
    c.goals = vec!["Gå en tur hver dag".into()];
    c.ladder = true;
    c
}

/// The [`personal`] handout, laid out and written in this process.
fn personal_handout() -> (pjece::layout::Document, Vec<u8>) {
    let engine = Engine::embedded().unwrap();
    let mut shaper = engine.shaper().unwrap();
    let layout = engine.layout(&personal(), &mut shaper).unwrap();
    let pdf = engine.render(&layout).unwrap();
    (layout, pdf)
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).unwrap().1
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a lopdf::Dictionary {
    deref(doc, o).as_dict().unwrap()
}

#[test]
fn a_batch_file_and_builds_file_are_the_same_bytes() {
    let dir = Dir::new();
    dir.write("in.csv", "name;region\nÆrø, Søren;lænd\n");
    util::batch(&dir, "in.csv", &["--combined", "all.pdf"]).ok();
    let out = files(&dir.path("out"));
    assert_eq!(out.len(), 1, "{out:?}");
    let from_batch = std::fs::read(dir.path("out").join(&out[0])).unwrap();
    dir.build(&[
        "--region",
        "lumbar",
        "--patient",
        "Ærø, Søren",
        "-o",
        "one.pdf",
    ])
    .ok();
    let from_build = std::fs::read(dir.path("one.pdf")).unwrap();
    assert!(from_build == from_batch, "build and batch differ");
    // The subset fonts draw what the combined file's whole faces draw, pixel for pixel.
    for page in ["1", "2"] {
        let args = ["-r", "40", "-f", page, "-l", page];
        let single = pdftoppm_grey(&dir.path("one.pdf"), &args);
        let combined = pdftoppm_grey(&dir.path("all.pdf"), &args);
        assert!(
            single.pixels.iter().any(|&p| p < 128),
            "page {page} has text"
        );
        assert!(single.pixels == combined.pixels, "page {page} differs");
    }
}

#[test]
fn the_same_handout_is_the_same_bytes_whatever_a_thread_made_before() {
    let engine = Engine::embedded().unwrap();
    let fresh = || {
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut shaper = engine.shaper().unwrap();
                engine.build(&personal(), &mut shaper).unwrap()
            })
            .join()
            .unwrap()
        })
    };
    let first = fresh();
    // One thread: the personal handout, a short neck one (other glyphs, other subsets in
    // the thread's cache), then the personal one again.
    let mut shaper = engine.shaper().unwrap();
    let warm = engine.build(&personal(), &mut shaper).unwrap();
    let mut short = Choices::new(Region::Cervical, DATE);
    short.variant = pjece::content::Variant::Short;
    short.patient = Some("Nguyễn Zoë".into());
    let other = engine.build(&short, &mut shaper).unwrap();
    let again = engine.build(&personal(), &mut shaper).unwrap();
    assert!(first == warm && warm == again, "bytes differ");
    assert!(other != first);
}

#[test]
fn fonts_are_subsets_of_the_glyphs_used() {
    let (_, pdf) = personal_handout();
    let fonts = pjece::fonts::FontSet::embedded();
    assert!(pdf.len() <= 30 * 1024, "{} bytes", pdf.len());
    let doc = Document::load_mem(&pdf).unwrap();
    let whole = ttf_parser::Face::parse(fonts.regular.bytes(), 0).unwrap();
    let mut checked = 0;
    for (_, object) in doc.objects.iter() {
        let Ok(font) = object.as_dict() else { continue };
        if font.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"CIDFontType2") {
            continue;
        }
        let name = font.get(b"BaseFont").unwrap().as_name().unwrap();
        let name = String::from_utf8_lossy(name).into_owned();
        let Some(("AtkinsonHyperlegibleNext-Regular", tag)) =
            name.split_once('+').map(|(tag, base)| (base, tag))
        else {
            continue;
        };
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        let descriptor = dict(&doc, font.get(b"FontDescriptor").unwrap());
        let program = deref(&doc, descriptor.get(b"FontFile2").unwrap())
            .as_stream()
            .unwrap()
            .decompressed_content()
            .unwrap();
        assert!(program.len() < fonts.regular.bytes().len() / 2);
        let subset = ttf_parser::Face::parse(&program, 0).unwrap();
        assert!(
            subset.number_of_glyphs() < whole.number_of_glyphs() / 2,
            "{} glyphs",
            subset.number_of_glyphs()
        );
        // CIDs are the face's glyph ids; the map gives each its glyph in the subset: a used
        // letter a glyph of its own, one the handout never shows (@) none.
        let map = deref(&doc, font.get(b"CIDToGIDMap").unwrap())
            .as_stream()
            .unwrap()
            .decompressed_content()
            .unwrap();
        let gid = |c: char| {
            let cid = whole.glyph_index(c).unwrap().0 as usize;
            map.get(2 * cid..2 * cid + 2)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
        };
        assert_ne!(gid('ø'), 0);
        assert_ne!(gid('ø'), gid('æ'));
        assert!(gid('ø') < subset.number_of_glyphs());
        assert_eq!(gid('@'), 0);
        checked += 1;
    }
    assert_eq!(checked, 1, "one subset of the regular face");
}

#[test]
fn the_reissue_record_reads_back() {
    let (_, pdf) = personal_handout();
    let expected = reissue::record(&personal());
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(
        serde_json::Value::Object(reissue::read(&pdf).unwrap()),
        expected
    );
    // Dated as the handout.
    let doc = Document::load_mem(&pdf).unwrap();
    let pieces = dict(&doc, doc.catalog().unwrap().get(b"PieceInfo").unwrap());
    let data = dict(&doc, pieces.get(b"pjece").unwrap());
    assert_eq!(
        data.get(b"LastModified").unwrap().as_str().unwrap(),
        b"D:20261126000000Z"
    );
}

#[test]
fn a_single_handout_has_its_sections_under_the_document_and_its_headings_as_the_outline() {
    let (layout, pdf) = personal_handout();
    let doc = Document::load_mem(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    assert!(catalog.get(b"PageLabels").is_err(), "no row-number labels");
    let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
    let top = root.get(b"K").unwrap();
    let top = match deref(&doc, top) {
        Object::Array(a) => {
            assert_eq!(a.len(), 1);
            dict(&doc, &a[0])
        }
        other => other.as_dict().unwrap(),
    };
    assert_eq!(top.get(b"S").unwrap().as_name().unwrap(), b"Document");
    let kinds: Vec<Vec<u8>> = top
        .get(b"K")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|k| dict(&doc, k).get(b"S").unwrap().as_name().unwrap().to_vec())
        .collect();
    assert!(kinds.len() > 3, "{kinds:?}");
    assert!(!kinds.iter().any(|k| k == b"Part"), "no Part wrapper");
    assert!(kinds.iter().any(|k| k == b"Sect"));
    // The outline: the layout's headings at the top level, in order, no handout bookmark.
    let outline = dict(&doc, catalog.get(b"Outlines").unwrap());
    let mut titles = Vec::new();
    let mut item = outline.get(b"First").ok();
    while let Some(r) = item {
        let d = dict(&doc, r);
        assert!(d.get(b"First").is_err(), "a heading has no children");
        let raw = d.get(b"Title").unwrap().as_str().unwrap();
        titles.push(
            lopdf::decode_text_string(&Object::String(raw.to_vec(), lopdf::StringFormat::Literal))
                .unwrap_or_else(|_| raw.iter().map(|&b| b as char).collect()),
        );
        item = d.get(b"Next").ok();
    }
    let headings: Vec<&str> = layout.outline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, headings);
    assert_eq!(
        outline.get(b"Count").unwrap().as_i64().unwrap(),
        headings.len() as i64
    );
    // qpdf finds nothing wrong.
    let dir = Dir::new();
    let path = dir.write("h.pdf", &pdf);
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
