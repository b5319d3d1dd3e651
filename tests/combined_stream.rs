//! The streaming combined file (`render::stream`): three handouts (both regions; one with the
//! clinic profile's logo and QR code, and a name that needs the fallback font), written with
//! double-sided padding and read back with poppler and qpdf, then checked by the PDF/UA
//! validators.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use pjece::content::{Region, Variant};
use pjece::layout::Style;
use pjece::render::stream::{CombinedWriter, StreamFonts, prepare};
use pjece::select::Choices;
use pjece::{Engine, fonts::FontSet};
use serde_json::Value;
use util::{Dir, page_text};

const DATE: jiff::civil::Date = jiff::civil::date(2026, 11, 26);

fn engine(clinic: bool) -> Engine {
    let engine = Engine::embedded().unwrap();
    if !clinic {
        return engine;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clinic.json");
    let profile = pjece::load_clinic(&path, &engine.content, &engine.fonts).unwrap();
    Engine::new(engine.content, FontSet::embedded(), Style::standard())
        .unwrap()
        .with_clinic(Some(profile))
}

struct Handout {
    label: &'static str,
    name: &'static str,
    pages: usize,
}

/// Writes the three handouts into `path`; returns each one's label, name and page count
/// (without the blank page).
fn write_three(path: &Path, duplex: bool) -> Vec<Handout> {
    let plain = engine(false);
    let clinic = engine(true);
    let fonts = StreamFonts::new(&plain.fonts).unwrap();
    let mut writer = CombinedWriter::create(path, &fonts, false).unwrap();
    let rows: [(&Engine, Region, Variant, &str, &str); 3] = [
        (&plain, Region::Lumbar, Variant::Full, "0001", "Ærø, Søren"),
        (
            &plain,
            Region::Cervical,
            Variant::Short,
            "0002",
            "Åse Øberg-Hansen",
        ),
        (
            &clinic,
            Region::Lumbar,
            Variant::Full,
            "0003",
            "Nguyễn Thị Ánh",
        ),
    ];
    let mut out = Vec::new();
    for (engine, region, variant, label, name) in rows {
        let mut choices = Choices::new(region, DATE);
        choices.variant = variant;
        choices.patient = Some(name.to_string());
        choices.note = Some("Husk øvelserne".into());
        let mut shaper = engine.shaper().unwrap();
        let doc = engine.layout(&choices, &mut shaper).unwrap();
        let pages = doc.pages.len();
        let prepared = prepare(doc, &fonts, duplex);
        writer
            .add(prepared, label, &format!("{label} {name}"))
            .unwrap();
        out.push(Handout { label, name, pages });
    }
    let (handouts, pages) = writer.finish("Pjecer (3)", "da-DK", DATE).unwrap();
    assert_eq!(handouts, 3);
    let even = |n: usize| if duplex { n + n % 2 } else { n };
    assert_eq!(pages, out.iter().map(|h| even(h.pages)).sum::<usize>());
    out
}

fn sample(duplex: bool) -> (Dir, PathBuf, Vec<Handout>) {
    let dir = Dir::new();
    let path = dir.path("alle.pdf");
    let handouts = write_three(&path, duplex);
    (dir, path, handouts)
}

fn qpdf_json(pdf: &Path, key: &str) -> Value {
    let out = Command::new("qpdf")
        .args([
            "--json",
            &format!("--json-key={key}"),
            pdf.to_str().unwrap(),
        ])
        .output()
        .expect("qpdf runs");
    serde_json::from_slice(&out.stdout).expect("qpdf prints JSON")
}

/// The first page (1-based) of each handout, with blank pages after odd page counts.
fn starts(handouts: &[Handout]) -> Vec<usize> {
    let mut at = 1;
    handouts
        .iter()
        .map(|h| {
            let start = at;
            at += h.pages + h.pages % 2;
            start
        })
        .collect()
}

#[test]
fn each_handout_reads_in_order_with_its_own_page_numbers_and_blank_pages_for_duplex() {
    let (_dir, pdf, handouts) = sample(true);
    assert!(
        handouts.iter().any(|h| h.pages % 2 == 1),
        "the sample needs an odd page count to test the blank page: {:?}",
        handouts.iter().map(|h| h.pages).collect::<Vec<_>>()
    );
    let total: usize = handouts.iter().map(|h| h.pages + h.pages % 2).sum();
    assert_eq!(util::info(&pdf)["Pages"], total.to_string());
    for (h, start) in handouts.iter().zip(starts(&handouts)) {
        let first = page_text(&pdf, start);
        util::assert_contains(&first, &[&format!("Til: {}", h.name)]);
        for n in 1..=h.pages {
            let t = page_text(&pdf, start + n - 1);
            util::assert_contains(&t, &[&format!("Side {n} af {}", h.pages)]);
        }
        if h.pages % 2 == 1 {
            assert_eq!(page_text(&pdf, start + h.pages), "", "a blank page");
        }
    }
    // The red-flag box on each handout's first page, the clinic's contact block on the
    // third's last page.
    let starts = starts(&handouts);
    for &s in &starts {
        assert!(page_text(&pdf, s).contains("Søg læge med det samme"));
    }
    let last = starts[2] + handouts[2].pages - 1;
    assert!(page_text(&pdf, last).contains("Din fysioterapeut Fysioterapi Ærø"));
    assert!(!page_text(&pdf, starts[0]).contains("Fysioterapi Ærø"));
    let all = util::text(&pdf);
    let order: Vec<usize> = handouts
        .iter()
        .map(|h| all.find(&format!("Til: {}", h.name)).unwrap())
        .collect();
    assert!(order.is_sorted(), "{order:?}");

    let check = Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    util::assert_contains(&report, &["No syntax or stream encoding errors"]);
    assert!(!report.to_lowercase().contains("warning"), "{report}");
}

#[test]
fn without_duplex_there_are_no_blank_pages() {
    let (_dir, pdf, handouts) = sample(false);
    let total: usize = handouts.iter().map(|h| h.pages).sum();
    assert_eq!(util::info(&pdf)["Pages"], total.to_string());
}

#[test]
fn fonts_are_embedded_once_with_unicode_maps() {
    let (_dir, pdf, _) = sample(true);
    // Regular and bold, and the fallback for the Vietnamese name, each embedded once (one
    // descriptor and font program) for all three handouts; a face is two PDF fonts, its
    // one-byte codes and its other glyphs, and only those used are there.
    let descriptors: Vec<Value> = util::objects(&pdf)
        .into_iter()
        .filter(|o| o["/Type"] == "/FontDescriptor")
        .collect();
    let mut names: Vec<&str> = descriptors
        .iter()
        .map(|d| d["/FontName"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "/AtkinsonHyperlegibleNext-Bold",
            "/AtkinsonHyperlegibleNext-Regular",
            "/DejaVuSans"
        ]
    );
    for d in &descriptors {
        assert!(d["/FontFile2"].is_string(), "{d}");
    }
    let fonts = util::fonts(&pdf);
    assert!(fonts.len() >= 3 && fonts.len() <= 6, "{fonts:?}");
    for f in &fonts {
        assert!(f.embedded && f.unicode && !f.subset, "{f:?}");
    }
    assert!(util::text(&pdf).contains("Til: Nguyễn Thị Ánh"));
}

#[test]
fn a_part_per_handout_with_its_own_structure() {
    let (_dir, pdf, _) = sample(true);
    let objects = util::objects(&pdf);
    let of = |role: &str| -> Vec<&Value> {
        objects
            .iter()
            .filter(|o| o["/Type"] == "/StructElem" && o["/S"] == role)
            .collect()
    };
    assert_eq!(of("/Document").len(), 1);
    let parts = of("/Part");
    assert_eq!(parts.len(), 3);
    assert_eq!(of("/Document")[0]["/K"].as_array().unwrap().len(), 3);
    // Every handout has its title, sections, paragraphs, lists and red-flag box (a section)
    // beneath its part; the clinic's logo and QR code are figures with alt text.
    assert_eq!(of("/H1").len(), 3);
    assert!(of("/H2").len() >= 3 * 5);
    for role in ["/Sect", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Link"] {
        assert!(!of(role).is_empty(), "{role}");
    }
    let figures = of("/Figure");
    assert_eq!(figures.len(), 2, "the logo and the QR code");
    let alts: Vec<&str> = figures
        .iter()
        .map(|f| f["/Alt"].as_str().unwrap())
        .collect();
    assert!(alts.iter().any(|a| a.contains("Fysioterapi")), "{alts:?}");
    for h in of("/H1").iter().chain(&of("/H2")) {
        assert!(h["/T"].as_str().is_some_and(|t| !t.is_empty()), "{h}");
    }
    let root = objects
        .iter()
        .find(|o| o["/Type"] == "/StructTreeRoot")
        .unwrap();
    assert!(root["/ParentTree"].is_string());
    let catalog = objects.iter().find(|o| o["/Type"] == "/Catalog").unwrap();
    assert_eq!(catalog["/Lang"], "u:da-DK");
    assert_eq!(catalog["/PageMode"], "/UseOutlines");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    assert_eq!(util::info(&pdf)["Tagged"], "yes");
    assert_eq!(util::info(&pdf)["Title"], "Pjecer (3)");
}

#[test]
fn a_bookmark_per_handout_with_its_sections_and_page_labels_that_match_the_pages() {
    let (_dir, pdf, handouts) = sample(true);
    let starts = starts(&handouts);
    let outlines = qpdf_json(&pdf, "outlines");
    let marks = outlines["outlines"].as_array().unwrap();
    assert_eq!(marks.len(), 3);
    for ((mark, h), &start) in marks.iter().zip(&handouts).zip(&starts) {
        assert_eq!(mark["title"], format!("{} {}", h.label, h.name));
        assert_eq!(mark["destpageposfrom1"], start);
        assert_eq!(mark["open"], false);
        let kids = mark["kids"].as_array().unwrap();
        assert!(kids.len() >= 5, "{kids:?}");
        assert_eq!(kids[0]["title"], "Søg læge med det samme, hvis du");
        assert_eq!(
            kids[0]["destpageposfrom1"], start,
            "the red-flag box is on page 1"
        );
        let pages: Vec<u64> = kids
            .iter()
            .map(|k| k["destpageposfrom1"].as_u64().unwrap())
            .collect();
        assert!(pages.is_sorted() && pages.iter().all(|&p| p < (start + h.pages) as u64));
    }
    let labels = qpdf_json(&pdf, "pagelabels");
    let labels = labels["pagelabels"].as_array().unwrap();
    let mut expected = Vec::new();
    for (h, &start) in handouts.iter().zip(&starts) {
        expected.push((start - 1, format!("u:{}: ", h.label), Some("/D")));
        if h.pages % 2 == 1 {
            expected.push((start - 1 + h.pages, format!("u:{}: blank", h.label), None));
        }
    }
    let got: Vec<(usize, String, Option<&str>)> = labels
        .iter()
        .map(|l| {
            (
                l["index"].as_u64().unwrap() as usize,
                l["label"]["/P"].as_str().unwrap().to_string(),
                l["label"]["/S"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

/// The PDF/UA checkers, from the Python environment the project's tools live in
/// (`PJECE_VALIDATORS`, default /tmp/venv); the test says so and passes when it is missing.
fn validators() -> Option<PathBuf> {
    let venv = std::env::var_os("PJECE_VALIDATORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/venv"));
    let python = venv.join("bin/python");
    if python.exists() {
        Some(venv)
    } else {
        eprintln!(
            "skipped: no validators at {} (set PJECE_VALIDATORS)",
            venv.display()
        );
        None
    }
}

#[test]
fn passes_the_pdf_ua_validators() {
    let Some(venv) = validators() else { return };
    let (_dir, pdf, _) = sample(true);
    let file = pdf.to_str().unwrap();
    let run = |program: &Path, args: &[&str]| {
        let out = Command::new(program).args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    // (A file with three handouts of one region gets outloud's PAG-001 warning: its heuristic
    // takes the same title at the top of three pages for a running header. Here two regions.)
    let (ok, report) = run(&venv.join("bin/outloud"), &[file]);
    assert!(
        ok && report.contains("PASS") && report.contains("0 error(s)"),
        "{report}"
    );
    let (ok, report) = run(&venv.join("bin/python"), &["-m", "pdfua", "check", file]);
    assert!(ok && report.contains("result: PASS"), "{report}");
    let script = format!(
        "import page\nr = page.validate_pdf({file:?}, profile=page.ValidationProfile.PDF_UA_1)\n\
         print(r)\nassert r.is_compliant, r.failures"
    );
    let (ok, report) = run(&venv.join("bin/python"), &["-c", &script]);
    assert!(ok && report.contains("0 failed"), "{report}");
}

#[test]
fn footnotes_get_unique_ids_in_an_id_tree() {
    // The therapist's guide has footnotes; two of them in one file.
    let dir = Dir::new();
    let path = dir.path("guides.pdf");
    let plain = engine(false);
    let fonts = StreamFonts::new(&plain.fonts).unwrap();
    let mut writer = CombinedWriter::create(&path, &fonts, false).unwrap();
    for (label, region) in [("0001", Region::Lumbar), ("0002", Region::Cervical)] {
        let mut choices = Choices::new(region, DATE);
        choices.audience = pjece::content::Audience::Therapist;
        let doc = plain
            .layout(&choices, &mut plain.shaper().unwrap())
            .unwrap();
        writer
            .add(prepare(doc, &fonts, false), label, label)
            .unwrap();
    }
    writer.finish("Guides", "da-DK", DATE).unwrap();
    let objects = util::objects(&path);
    let ids: Vec<&str> = objects
        .iter()
        .filter(|o| o["/Type"] == "/StructElem" && o["/S"] == "/Note")
        .map(|n| n["/ID"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    let root = objects
        .iter()
        .find(|o| o["/Type"] == "/StructTreeRoot")
        .unwrap();
    let tree = objects
        .iter()
        .find(|o| {
            o["/Names"]
                .as_array()
                .is_some_and(|n| n.len() == 2 * ids.len())
        })
        .expect("the id tree names every note");
    let names: Vec<&str> = tree["/Names"]
        .as_array()
        .unwrap()
        .iter()
        .step_by(2)
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(names.is_sorted(), "a name tree is sorted: {names:?}");
    assert!(root["/IDTree"].is_string());
    if let Some(venv) = validators() {
        let script = format!(
            "import page\nr = page.validate_pdf({:?}, profile=page.ValidationProfile.PDF_UA_1)\n\
             assert r.is_compliant, r.failures",
            path.to_str().unwrap()
        );
        let out = Command::new(venv.join("bin/python"))
            .args(["-c", &script])
            .output()
            .unwrap();
        util::assert_success(&out);
    }
}

#[test]
fn an_unfinished_file_leaves_nothing_behind() {
    let dir = Dir::new();
    let plain = engine(false);
    let fonts = StreamFonts::new(&plain.fonts).unwrap();
    let path = dir.write("alle.pdf", b"the old file");
    {
        let mut writer = CombinedWriter::create(&path, &fonts, false).unwrap();
        let mut shaper = plain.shaper().unwrap();
        let doc = plain
            .layout(&Choices::new(Region::Lumbar, DATE), &mut shaper)
            .unwrap();
        writer
            .add(prepare(doc, &fonts, false), "0001", "0001")
            .unwrap();
        // Dropped without finishing, as when a batch stops on an error.
    }
    assert_eq!(dir.listing(), ["alle.pdf"]);
    assert_eq!(std::fs::read(&path).unwrap(), b"the old file");
}

#[test]
fn a_killed_runs_combined_file_is_tidied_up_in_its_own_directory() {
    // The combined file is written beside its final name while the batch runs: a killed run
    // leaves it there, where the next run removes it (once it is over a minute old).
    let dir = Dir::new();
    dir.write("in.csv", "navn;region\nAnna;lænd\n");
    let (old, fresh) = dir.leftovers("print");
    let out = util::batch(&dir, "in.csv", &["--combined", "print/alle.pdf"])
        .ok()
        .stdout();
    util::assert_contains(&out, &["removed 1 temporary file an interrupted run left"]);
    assert!(!old.exists() && fresh.exists(), "only old leftovers go");
    assert_eq!(
        util::files(&dir.path("print")),
        [".pjece-def456.tmp", "alle.pdf"],
        "the finished file, and no temporary file of this run"
    );
}
